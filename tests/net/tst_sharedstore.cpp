// One store, several processes. The README lets a cron `certdash scan` share the dashboard's
// store, so this process holds connections open on a store as the window does (one on this
// thread, a writer in a thread of its own) and writes through both, while the real certdash
// binary imports, scans the stored inventory (against a TLS server on loopback) and lists it,
// round after round. Afterwards nothing either side wrote may be missing, the store must pass
// integrity_check, and no store file may have been deleted under this live process.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "domain/Clock.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// Marks the probes this process's writer recorded, to count them apart from the CLI's.
const QString kWriterError = u"recorded by the writer connection of the test"_s;

qint64 scalar(Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QString integrity(Database &db) {
    QSqlQuery q(db.connection());
    if (!q.exec(u"PRAGMA integrity_check"_s) || !q.next())
        return u"integrity_check did not run: "_s + q.lastError().text();
    return q.value(0).toString();
}

// Files of the store that this process still has open although they were deleted: what a
// process that wrongly believed itself the store's last user leaves behind.
QStringList deletedStoreFiles(const QString &databasePath) {
    QStringList deleted;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString &fd : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        if (target.startsWith(databasePath) && target.endsWith(u" (deleted)"_s))
            deleted << target;
    }
    return deleted;
}

CertSpec aroundNow(CertSpec spec, double fromDays, double toDays) {
    const QDateTime now = QDateTime::currentDateTimeUtc(); // the CLI runs on the real clock
    spec.notBefore = now.addSecs(qint64(fromDays * 86400));
    spec.notAfter = now.addSecs(qint64(toDays * 86400));
    return spec;
}

// This process's second connection, in a thread of its own (the window's scan writer): records
// one probe after another for the targets this process added, until stopped.
class Writer {
public:
    Writer(QString path)
        : m_path(std::move(path)) {}
    ~Writer() { stop(); }

    void start() {
        m_thread = std::thread([this] { run(); });
    }
    void stop() {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    void addTarget(const Target &t) {
        QMutexLocker lock(&m_mutex);
        m_targets << t;
    }
    int recorded() const { return m_recorded; }
    QStringList errors() const {
        QMutexLocker lock(&m_mutex);
        return m_errors;
    }

private:
    void run() {
        QString error;
        std::unique_ptr<Database> db = Database::open(m_path, &error);
        if (!db) {
            QMutexLocker lock(&m_mutex);
            m_errors << error;
            return;
        }
        int n = 0;
        while (!m_stop) {
            Target target;
            {
                QMutexLocker lock(&m_mutex);
                if (!m_targets.isEmpty())
                    target = m_targets.at(n % m_targets.size());
            }
            if (target.id != 0) {
                ProbeResult r;
                r.target = target;
                r.address = u"127.0.0.1"_s;
                r.sni = target.host;
                r.status = Status::Timeout;
                r.error = kWriterError;
                r.probedAt = QDateTime::currentDateTimeUtc();
                if (HistoryRepository(*db).record({r}, &error)) {
                    ++m_recorded;
                } else {
                    QMutexLocker lock(&m_mutex);
                    m_errors << error;
                }
                ++n;
            }
            // Pacing, not timing: a writer in a tight loop would only measure lock fairness.
            QThread::msleep(5);
        }
    }

    QString m_path;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_recorded{0};
    mutable QMutex m_mutex;
    QList<Target> m_targets;
    QStringList m_errors;
};

} // namespace

class TestSharedStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_binary;

    // Runs the certdash binary with its own home, keeping this event loop (the TLS server's)
    // running meanwhile.
    QProcess *start(const QStringList &arguments) {
        auto *process = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"home/config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/data"_s));
        process->setProcessEnvironment(env);
        process->start(m_binary, arguments);
        return process;
    }
    static bool finish(QProcess *process) {
        if (process->state() != QProcess::NotRunning) {
            QSignalSpy finished(process, &QProcess::finished);
            if (!finished.wait(60000))
                return false;
        }
        return process->exitStatus() == QProcess::NormalExit;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(u"home/config"_s)));
        m_binary = qEnvironmentVariable("CERTDASH_BINARY");
    }

    void windowAndCliShareOneStore() {
        if (m_binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const TestCert root = makeCert(aroundNow(CertSpec::root(u"Shared Root"_s), -400, 3000));
        const TestCert ca =
            makeCert(aroundNow(CertSpec::intermediate(u"Shared CA"_s), -200, 1000), &root);
        CertSpec leafSpec = aroundNow(CertSpec::leaf(u"shared.test"_s), -10, 80.5);
        leafSpec.dnsNames << u"*.shared.test"_s;
        const TestCert leaf = makeCert(leafSpec, &ca);
        LocalTlsServer server;
        server.setChain({leaf.certificate(), ca.certificate()}, leaf.key());
        QVERIFY(server.listenLoopback());
        const QString rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));

        const QString path = m_dir.filePath(u"shared.sqlite"_s);
        QString error;
        // Like the window: its own connection here, then the writer's in another thread.
        std::unique_ptr<Database> db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        Writer writer(path);
        writer.start();
        SystemClock clock;
        TargetRepository targets(*db, clock);

        // This thread adds a target every few milliseconds while the CLI runs.
        int added = 0;
        QStringList addErrors;
        QTimer adder;
        adder.setInterval(40);
        connect(&adder, &QTimer::timeout, this, [&] {
            Target t;
            t.host = u"w%1.shared.test"_s.arg(added);
            t.port = server.port();
            t.addresses = {u"127.0.0.1"_s};
            if (targets.add(t, &error)) {
                ++added;
                writer.addTarget(t);
            } else {
                addErrors << error;
            }
        });
        adder.start();

        const int rounds = 8;
        const int perImport = 5;
        int imported = 0;
        int scanned = 0; // rows the CLI's scans reported, one recorded probe each
        int listings = 0;
        QElapsedTimer elapsed;
        elapsed.start();
        const QStringList scanArguments{u"scan"_s, u"--database"_s,     path,
                                        u"-q"_s,   u"--no-system-ca"_s, u"--ca-file"_s,
                                        rootPem,   u"--timeout"_s,      u"5"_s};
        for (int round = 0; round < rounds; ++round) {
            QByteArray lines;
            for (int i = 0; i < perImport; ++i)
                lines += u"c%1-%2.shared.test:%3 address=127.0.0.1\n"_s.arg(round)
                             .arg(i)
                             .arg(server.port())
                             .toUtf8();
            const QString file = m_dir.filePath(u"import-%1.txt"_s.arg(round));
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(lines);
            f.close();

            QProcess *import = start({u"import"_s, file, u"--database"_s, path});
            QVERIFY(finish(import));
            QVERIFY2(import->exitCode() == 0, import->readAllStandardError().constData());
            imported += perImport;

            QProcess *scan = start(scanArguments);
            QVERIFY(finish(scan));
            const QByteArray report = scan->readAllStandardOutput();
            QVERIFY2(scan->exitCode() == 0,
                     (scan->readAllStandardError() + report.left(2000)).constData());
            const int rows = int(report.count('\n')) - 1; // below the header
            QVERIFY2(rows >= imported, report.left(2000).constData());
            scanned += rows;

            QProcess *list = start({u"targets"_s, u"--database"_s, path});
            QVERIFY(finish(list));
            QVERIFY2(list->exitCode() == 0, list->readAllStandardError().constData());
            QVERIFY(list->readAllStandardOutput().contains(
                u"c%1-%2.shared.test"_s.arg(round).arg(perImport - 1).toUtf8()));
            ++listings;
            for (QProcess *p : {import, scan, list})
                delete p;

            // While this process's connections are open, its store files are still there.
            QVERIFY(QFileInfo::exists(path + u"-wal"_s));
            QVERIFY(QFileInfo::exists(path + u"-shm"_s));
            const QStringList deleted = deletedStoreFiles(path);
            QVERIFY2(deleted.isEmpty(), qPrintable(deleted.join(u", "_s)));
        }
        adder.stop();
        writer.stop();
        const qint64 ms = elapsed.elapsed();
        QVERIFY2(addErrors.isEmpty(), qPrintable(addErrors.join(u'\n')));
        QVERIFY2(writer.errors().isEmpty(), qPrintable(writer.errors().join(u'\n')));
        QVERIFY(added > 0);
        QVERIFY(writer.recorded() > 0);

        const auto expectEverything = [&](Database &store, const char *seenBy) {
            QCOMPARE(integrity(store), u"ok"_s);
            QCOMPARE(scalar(store, u"SELECT count(*) FROM targets WHERE host LIKE 'w%'"_s),
                     qint64(added));
            QCOMPARE(scalar(store, u"SELECT count(*) FROM targets WHERE host LIKE 'c%'"_s),
                     qint64(imported));
            QCOMPARE(scalar(store,
                            u"SELECT count(*) FROM probes WHERE error = '%1'"_s.arg(kWriterError)),
                     qint64(writer.recorded()));
            QCOMPARE(scalar(store,
                            u"SELECT count(*) FROM probes WHERE error <> '%1'"_s.arg(kWriterError)),
                     qint64(scanned));
            // Each CLI scan of the store also recorded its run (schema version 8).
            QCOMPARE(scalar(store, u"SELECT count(*) FROM scan_runs"_s), qint64(rounds));
            QCOMPARE(scalar(store, u"SELECT sum(endpoints) FROM scan_runs"_s), qint64(scanned));
            qInfo("%s: %d rounds in %lld ms; this process added %d targets and recorded %d "
                  "probes, the CLI imported %d targets and recorded %d probes in %d scans, and "
                  "listed the inventory %d times; all %lld rows found",
                  seenBy, rounds, ms, added, writer.recorded(), imported, scanned, rounds, listings,
                  qint64(added + imported + writer.recorded() + scanned));
        };
        // What this process sees through its live connection...
        expectEverything(*db, "seen by the live connection");
        if (QTest::currentTestFailed())
            return;
        QVERIFY(deletedStoreFiles(path).isEmpty());
        db.reset();
        // ...and what a newcomer finds once it has closed: the same.
        std::unique_ptr<Database> fresh = Database::open(path, &error);
        QVERIFY2(fresh, qPrintable(error));
        expectEverything(*fresh, "seen by a fresh connection");
    }
};

QTEST_GUILESS_MAIN(TestSharedStore)
#include "tst_sharedstore.moc"
