// The stored inventory end to end: import, targets, export, scan of the store with history,
// report, and what happens to the database when a process is killed mid-write.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "CommandRunner.h"
#include "TestSupport.h"
#include "cli/InventoryCommands.h"
#include "cli/ReportCommand.h"
#include "cli/ScanCommand.h"
#include "storage/Database.h"
#include "storage/TargetRepository.h"

#include <QBuffer>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace certdash;
using namespace certdash::cli;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
using Run = CommandRun;

qint64 count(const QString &databasePath, const QString &table)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    if (!db)
        return -1;
    QSqlQuery q(db->connection());
    if (!q.exec(u"SELECT count(*) FROM %1"_s.arg(table)) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QString integrity(const QString &databasePath)
{
    QString error;
    auto db = Database::open(databasePath, &error);
    if (!db)
        return error;
    QSqlQuery q(db->connection());
    if (!q.exec(u"PRAGMA integrity_check"_s) || !q.next())
        return u"integrity_check did not run"_s;
    return q.value(0).toString();
}
} // namespace

class TestStoreCommands : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;

    QString file(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }
    QString freshDatabase() { return m_dir.filePath(u"db%1.sqlite"_s.arg(++m_counter)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Stored scans append to the event log of Settings: never the developer's own.
        QStandardPaths::setTestModeEnabled(true);
    }

    void importListExportRoundTrip()
    {
        const QString db = freshDatabase();
        const QString targets = file(
            u"inventory.txt"_s,
            QStringLiteral("# the estate\n"
                           "api.example.com name=\"Payments API\" tags=prod,api owner=payments "
                           "rotation=30\n"
                           "[2001:db8::1]:8443 sni=edge.example.com warning=45 critical=10\n"
                           "mail.example.com starttls=smtp notes=\"relay; EU\"\n"
                           "lb.example.com address=10.0.0.2,10.0.0.1\n"
                           "=cmd.example.com name=\"=HYPERLINK()\"\n"
                           "guard.example.com name=\"=SUM(1)\" enabled=false\n"
                           "api.example.com\n") // duplicate: merged
                .toUtf8());
        Run run = runCommand(&runImport, {targets, u"--database"_s, db});
        // "=cmd.example.com" is not a valid host: the whole file is refused.
        QCOMPARE(run.exitCode, 3);
        QVERIFY2(run.err.contains(targets + u":6: "_s), qPrintable(run.err));
        QVERIFY(run.err.contains(u"nothing was imported"_s));
        QCOMPARE(count(db, u"targets"_s), 0);

        run = runCommand(&runImport, {targets, u"--database"_s, db, u"--skip-invalid"_s});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(u"5 added, 0 updated, 0 unchanged, 1 duplicates merged, 1 rejected"_s),
                 qPrintable(run.err));
        QCOMPARE(count(db, u"targets"_s), 5);

        // Importing again changes nothing.
        run = runCommand(&runImport, {targets, u"--database"_s, db, u"--skip-invalid"_s});
        QVERIFY2(run.err.contains(u"0 added, 0 updated, 5 unchanged"_s), qPrintable(run.err));

        run = runCommand(&runTargets, {u"--database"_s, db});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Payments API (api.example.com:443)"));
        QVERIFY(run.out.contains("[2001:db8::1]:8443"));
        QVERIFY(run.out.contains("10.0.0.1,10.0.0.2") || run.out.contains("10.0.0.2,10.0.0.1"));
        QVERIFY(run.out.contains("45/10/-"));
        QVERIFY(run.out.contains("off")); // guard.example.com is disabled

        for (const QString &format : {u"csv"_s, u"json"_s}) {
            const Run exported = runCommand(&runExport, {u"--database"_s, db, u"-f"_s, format});
            QCOMPARE(exported.exitCode, 0);
            const QString copy = freshDatabase();
            const QString exportFile = file(u"export."_s + format, exported.out);
            QCOMPARE(runCommand(&runImport, {exportFile, u"--database"_s, copy}).exitCode, 0);
            const Run again = runCommand(&runExport, {u"--database"_s, copy, u"-f"_s, format});
            QCOMPARE(again.out, exported.out);
            if (format == u"csv"_s) // a spreadsheet never runs the name as a formula
                QVERIFY(exported.out.contains("'=SUM(1)"));
        }
    }

    void kubectlImport()
    {
        const QString db = freshDatabase();
        const QString ingress = file(u"ingress.json"_s, R"({"kind": "List", "items": [
            {"kind": "Ingress", "metadata": {"name": "api", "namespace": "payments"},
             "spec": {"tls": [{"hosts": ["api.pay.example"]}], "rules": [{"host": "api.pay.example"}]}}]})");
        QCOMPARE(runCommand(&runImport, {ingress, u"--database"_s, db}).exitCode, 0);
        const Run listed = runCommand(&runTargets, {u"--database"_s, db});
        QVERIFY2(listed.out.contains("ingress:api,namespace:payments"), listed.out.constData());
    }

    // Issue 15, the Mux lesson: the pods behind an ingress host each get a row, so the one pod
    // still serving an expired certificate is seen, where the host through its load balancer
    // may look fine. The ingress, the EndpointSlices and the pods come as three kubectl outputs.
    void kubectlPodsImportAndScan()
    {
        const TestCert root = makeCert(CertSpec::root(u"Pods Root"_s).validDays(-1000, 3000));
        const QString rootPem = m_dir.filePath(u"pods-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));
        const TestCert fresh = makeCert(CertSpec::leaf(u"shop.test"_s).validDays(-10, 80), &root);
        const TestCert stale = makeCert(CertSpec::leaf(u"shop.test"_s).validDays(-100, -3), &root);
        LocalTlsServer healthy;
        healthy.setChain({fresh.certificate()}, fresh.key());
        QVERIFY(healthy.listenLoopback());
        LocalTlsServer forgotten; // the pod whose certificate reload never happened
        forgotten.setChain({stale.certificate()}, stale.key());
        QVERIFY2(forgotten.listen(QHostAddress(u"127.0.0.2"_s), healthy.port()),
                 qPrintable(forgotten.errorString()));

        const QString ingress = file(u"pods-ingress.json"_s, R"({"kind": "List", "items": [
            {"kind": "Ingress", "metadata": {"name": "storefront", "namespace": "shop"},
             "spec": {"tls": [{"hosts": ["shop.test"]}], "rules": [{"host": "shop.test", "http":
               {"paths": [{"path": "/", "backend": {"service": {"name": "web", "port": {"name": "https"}}}}]}}]}}]})");
        const QString slices = file(u"pods-endpointslices.json"_s, QString::fromUtf8(R"({"kind": "List", "items": [
            {"kind": "EndpointSlice", "addressType": "IPv4",
             "metadata": {"name": "web-abcde", "namespace": "shop",
                          "labels": {"kubernetes.io/service-name": "web"}},
             "ports": [{"name": "https", "port": %1, "protocol": "TCP"}],
             "endpoints": [
               {"addresses": ["127.0.0.1"], "conditions": {"ready": true}, "targetRef": {"kind": "Pod", "name": "web-0"}},
               {"addresses": ["127.0.0.2"], "conditions": {"ready": true}},
               {"addresses": ["127.0.0.3"], "conditions": {"ready": false}, "targetRef": {"kind": "Pod", "name": "web-2"}}]}]})")
                                                   .arg(healthy.port())
                                                   .toUtf8());
        const QString pods = file(u"pods-pods.json"_s, R"({"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"name": "web-1", "namespace": "shop"},
             "status": {"podIP": "127.0.0.2"}}]})");

        const QString db = freshDatabase();
        const Run imported = runCommand(&runImport, {ingress, slices, pods, u"--database"_s, db});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.err.contains(u"not ready, not probed"_s) &&
                     imported.err.contains(u"web-2"_s),
                 qPrintable(imported.err));
        QVERIFY2(imported.err.contains(u"3 added"_s), qPrintable(imported.err));

        const Run listed = runCommand(&runTargets, {u"--database"_s, db});
        const QString port = QString::number(healthy.port());
        bool sawWeb0 = false;
        bool sawWeb1 = false;
        for (const QString &line : QString::fromUtf8(listed.out).split(u'\n')) {
            const bool podRow = line.contains(u"shop.test:"_s + port);
            sawWeb0 = sawWeb0 || (podRow && line.contains(u"127.0.0.1"_s) && line.contains(u"pod:web-0"_s));
            sawWeb1 = sawWeb1 || (podRow && line.contains(u"127.0.0.2"_s) && line.contains(u"pod:web-1"_s));
        }
        QVERIFY2(sawWeb0 && sawWeb1, listed.out.constData());
        QVERIFY2(listed.out.contains("shop.test:443"), listed.out.constData()); // the front door
        QVERIFY2(!listed.out.contains("127.0.0.3"), listed.out.constData());

        // Only the pods are scanned here (the front door resolves shop.test, which is no host).
        {
            QString error;
            auto store = Database::open(db, &error);
            QVERIFY(store->exec(u"UPDATE targets SET enabled = 0 WHERE port = 443"_s));
        }
        const QStringList trust{u"--no-system-ca"_s, u"--ca-file"_s, rootPem, u"--timeout"_s, u"5"_s};
        const Run scan = runCommand(&runScan, QStringList{u"--database"_s, db, u"-q"_s} + trust);
        QCOMPARE(scan.exitCode, 2); // the stale pod
        QString staleRow;
        QString freshRow;
        for (const QString &line : QString::fromUtf8(scan.out).split(u'\n')) {
            if (line.contains(u"127.0.0.2"_s))
                staleRow = line;
            if (line.contains(u"127.0.0.1"_s))
                freshRow = line;
        }
        QVERIFY2(staleRow.contains(u",expired,"_s), scan.out.constData());
        QVERIFY2(freshRow.contains(u",ok,"_s), scan.out.constData());
    }

    // Scanning the stored inventory records history; `report` then gives the very rows `scan`
    // printed.
    void scanRecordsAndReportRepeats()
    {
        const TestCert root = makeCert(CertSpec::root(u"Store Root"_s).validDays(-1000, 3000));
        const TestCert ca = makeCert(CertSpec::intermediate(u"Store CA"_s).validDays(-500, 1000), &root);
        const QString rootPem = m_dir.filePath(u"store-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));
        CertSpec spec = CertSpec::leaf(u"store.test"_s);
        spec.validDays(-70, 20.5);
        const TestCert leaf = makeCert(spec, &ca);
        LocalTlsServer server;
        server.setChain({leaf.certificate(), ca.certificate()}, leaf.key());
        QVERIFY(server.listenLoopback());

        const QString db = freshDatabase();
        const QString targets = file(
            u"store.txt"_s,
            u"store.test:%1 address=127.0.0.1 tags=prod\nstore.test:%1 address=127.0.0.2\n"_s
                .arg(server.port())
                .toUtf8());
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);

        const QStringList trust{u"--no-system-ca"_s, u"--ca-file"_s, rootPem, u"--timeout"_s, u"2"_s};
        const Run scan = runCommand(&runScan, QStringList{u"--database"_s, db, u"-q"_s} + trust);
        QCOMPARE(scan.exitCode, 2); // 127.0.0.2 has nothing listening: unreachable
        QVERIFY(scan.out.contains(",warning,20,"));
        QCOMPARE(count(db, u"probes"_s), 2);

        const Run report = runCommand(&runReport, {u"--database"_s, db});
        QCOMPARE(report.exitCode, 2);
        QCOMPARE(report.out, scan.out);

        // Thresholds inherited through a tag policy apply to stored scans.
        {
            QString error;
            auto store = Database::open(db, &error);
            QVERIFY(store->exec(u"INSERT INTO tag_policies(tag, warning_days) VALUES ('prod', 10)"_s));
        }
        const Run second = runCommand(&runScan, QStringList{u"--database"_s, db, u"-q"_s} + trust);
        QVERIFY2(second.out.contains(",ok,20,"), second.out.constData());
        QCOMPARE(count(db, u"probes"_s), 4);
    }

    // A backend taken out of the target's addresses leaves the report at the next scan: the
    // latest view holds the addresses of the newest round, while the history keeps both.
    void removedAddressLeavesTheReport()
    {
        const TestCert root = makeCert(CertSpec::root(u"Backends Root"_s).validDays(-1000, 3000));
        const QString rootPem = m_dir.filePath(u"backends-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));
        const TestCert healthy = makeCert(CertSpec::leaf(u"backends.test"_s).validDays(-10, 80), &root);
        const TestCert expired = makeCert(CertSpec::leaf(u"backends.test"_s).validDays(-100, -3), &root);
        LocalTlsServer first;
        first.setChain({healthy.certificate()}, healthy.key());
        QVERIFY(first.listenLoopback());
        LocalTlsServer second; // the backend about to be decommissioned, with an expired leaf
        second.setChain({expired.certificate()}, expired.key());
        QVERIFY2(second.listen(QHostAddress(u"127.0.0.2"_s), first.port()),
                 qPrintable(second.errorString()));

        const QString db = freshDatabase();
        const QString targets = file(
            u"backends.txt"_s,
            u"backends.test:%1 address=127.0.0.1,127.0.0.2\n"_s.arg(first.port()).toUtf8());
        QCOMPARE(runCommand(&runImport, {targets, u"--database"_s, db}).exitCode, 0);
        const QStringList trust{u"--no-system-ca"_s, u"--ca-file"_s, rootPem, u"--timeout"_s, u"5"_s};
        const Run scan = runCommand(&runScan, QStringList{u"--database"_s, db, u"-q"_s} + trust);
        QCOMPARE(scan.exitCode, 2); // the expired backend
        QVERIFY2(scan.out.contains("127.0.0.2") && scan.out.contains("127.0.0.1"),
                 scan.out.constData());

        {
            // The target edited to one address, as the window's editor does it.
            QString error;
            auto store = Database::open(db, &error);
            QVERIFY2(store, qPrintable(error));
            const FixedClock clock(pinnedNow());
            TargetRepository repository(*store, clock);
            QList<Target> stored = repository.all(&error);
            QCOMPARE(stored.size(), 1);
            stored.first().addresses = {u"127.0.0.1"_s};
            QVERIFY2(repository.update(stored.first(), &error), qPrintable(error));
        }
        const Run rescan = runCommand(&runScan, QStringList{u"--database"_s, db, u"-q"_s} + trust);
        QCOMPARE(rescan.exitCode, 0);

        const Run report = runCommand(&runReport, {u"--database"_s, db});
        QVERIFY2(!report.out.contains("127.0.0.2"), report.out.constData());
        qsizetype rows = 0;
        for (const QByteArray &line : report.out.split('\n'))
            rows += line.contains("backends.test") ? 1 : 0;
        QCOMPARE(rows, 1);
        QCOMPARE(report.out, rescan.out);
        QCOMPARE(report.exitCode, 0); // no expired backend haunting the exit code
        QCOMPARE(count(db, u"probes"_s), 3);
    }

    void scanOfEmptyStoreIsAnInputError()
    {
        const Run run = runCommand(&runScan, {u"--database"_s, freshDatabase()});
        QCOMPARE(run.exitCode, 3);
        QVERIFY(run.err.contains(u"certdash import"_s));
    }

    void refusedDatabases_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("text file") << QByteArray("hello, this is not a database\n")
                                   << "not a CertDash database";
    }
    void refusedDatabases()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString path = file(u"not-a-db.sqlite"_s, content);
        for (CommandFunction command : {&runTargets, &runReport, &runExport}) {
            const Run run = runCommand(command, {u"--database"_s, path});
            QCOMPARE(run.exitCode, 3);
            QVERIFY2(run.err.contains(message) && run.err.contains(path), qPrintable(run.err));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
    }

    // kill -9 in the middle of a big import: the database opens, passes integrity_check, and
    // holds either nothing of the file or all of it.
    // 0.1.0 kept the store in ~/.local/share/CertDash/CertDash: the first command of a newer
    // CertDash moves it (and its event log) to ~/.local/share/CertDash, says so once, and finds
    // every stored target there.
    void legacyStoreMovesOnFirstStart()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, home.path());
        env.insert(u"XDG_DATA_HOME"_s, home.filePath(u".local/share"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u".config"_s));
        const QString legacy = home.filePath(u".local/share/CertDash/CertDash"_s);
        const QString current = home.filePath(u".local/share/CertDash"_s);
        const auto run = [&](const QStringList &arguments) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(binary, arguments);
            p.waitForFinished(30000);
            return std::make_tuple(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                                   QString::fromUtf8(p.readAllStandardError()));
        };
        const QString targets = file(u"legacy.txt"_s, "old-store.example.com owner=ops\n");
        auto [code, out, err] =
            run({u"import"_s, targets, u"--database"_s, legacy + u"/certdash.sqlite"_s});
        QVERIFY2(code == 0, qPrintable(err));

        std::tie(code, out, err) = run({u"targets"_s});
        QVERIFY2(code == 0, qPrintable(err));
        QVERIFY2(out.contains(u"old-store.example.com"_s), qPrintable(out));
        QVERIFY2(err.contains(u"moved the store from %1 to %2"_s.arg(legacy, current)),
                 qPrintable(err));
        QVERIFY(QFileInfo::exists(current + u"/certdash.sqlite"_s));
        QVERIFY(!QFileInfo::exists(legacy));

        std::tie(code, out, err) = run({u"targets"_s});
        QVERIFY2(code == 0 && out.contains(u"old-store.example.com"_s), qPrintable(out + err));
        QVERIFY2(!err.contains(u"moved"_s), qPrintable(err));
    }

    void killDuringImport()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QByteArray big;
        const int n = 100000;
        for (int i = 0; i < n; ++i)
            big += "host" + QByteArray::number(i) + ".example.com tags=bulk owner=crash\n";
        const QString targets = file(u"big.txt"_s, big);
        int interrupted = 0;
        for (int delayMs : {50, 150, 300, 600, 1000}) {
            const QString db = freshDatabase();
            QProcess process;
            process.start(binary, {u"import"_s, targets, u"--database"_s, db});
            QVERIFY(process.waitForStarted());
            QTest::qWait(delayMs);
            if (process.state() == QProcess::Running) {
                ::kill(pid_t(process.processId()), SIGKILL);
                ++interrupted;
            }
            process.waitForFinished();
            QCOMPARE(integrity(db), u"ok"_s);
            const qint64 stored = count(db, u"targets"_s);
            QVERIFY2(stored == 0 || stored == n, qPrintable(QString::number(stored)));
        }
        QVERIFY2(interrupted > 0, "every import finished before it could be killed");
    }

    // kill -9 while a scan of the store is in flight: inventory and history intact.
    void killDuringScan()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        QByteArray lines;
        for (int i = 0; i < 50; ++i)
            lines += "s" + QByteArray::number(i) + ".test:" + QByteArray::number(silent.port())
                + " address=127.0.0.1\n";
        const QString db = freshDatabase();
        QCOMPARE(runCommand(&runImport, {file(u"silent.txt"_s, lines), u"--database"_s, db}).exitCode, 0);
        QProcess process;
        process.start(binary, {u"scan"_s, u"--database"_s, db, u"--timeout"_s, u"30"_s, u"-q"_s});
        QVERIFY(process.waitForStarted());
        QTest::qWait(700); // the server event loop keeps accepting meanwhile
        QCOMPARE(process.state(), QProcess::Running);
        ::kill(pid_t(process.processId()), SIGKILL);
        process.waitForFinished();
        QCOMPARE(integrity(db), u"ok"_s);
        QCOMPARE(count(db, u"targets"_s), 50);
        QCOMPARE(count(db, u"probes"_s), 0);
    }
};

QTEST_GUILESS_MAIN(TestStoreCommands)
#include "tst_storecommands.moc"
