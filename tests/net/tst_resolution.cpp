// Name resolution under the probe's timeout: a name that never resolves ends on time, the time
// spent resolving is part of the timeout, and a lookup nobody waits for any more holds up
// nothing, not even the exit of the process that wrote its report.
#include "ProbeHarness.h"
#include "probing/HostResolver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <atomic>
#include <condition_variable>
#include <mutex>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// A resolver under the test's control: it answers only when told to.
class ScriptedResolver final : public HostResolver
{
public:
    int lookup(const QString &, QObject *context, Callback callback) override
    {
        const int id = ++m_lastId;
        m_pending.insert(id, {context, std::move(callback)});
        return id;
    }
    void abort(int id) override
    {
        if (m_pending.remove(id))
            ++aborted;
    }
    // Answers every pending lookup with these addresses.
    void answerAll(const QStringList &addresses)
    {
        const auto pending = std::exchange(m_pending, {});
        for (const auto &p : pending) {
            Resolution r;
            r.addresses = addresses;
            QMetaObject::invokeMethod(p.first, [callback = p.second, r] { callback(r); },
                                      Qt::QueuedConnection);
        }
    }
    int pendingCount() const { return int(m_pending.size()); }
    int aborted = 0;

private:
    int m_lastId = 0;
    QHash<int, std::pair<QObject *, Callback>> m_pending;
};

// Blocks like getaddrinfo() with a DNS server that never answers, until released.
struct Gate
{
    std::mutex mutex;
    std::condition_variable released;
    bool open = false;
    std::atomic<int> returned{0};

    void release()
    {
        std::lock_guard lock(mutex);
        open = true;
        released.notify_all();
    }
    Resolution wait()
    {
        std::unique_lock lock(mutex);
        released.wait(lock, [this] { return open; });
        ++returned;
        Resolution r;
        r.addresses = {u"127.0.0.1"_s};
        return r;
    }
};

} // namespace

class TestResolution : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    // A name whose resolver never answers is unreachable at the timeout, and the lookup is
    // abandoned.
    void unansweredNameEndsAtTheTimeout()
    {
        auto resolver = std::make_shared<ScriptedResolver>();
        ProbeHarness harness({}, 1000);
        harness.options.resolver = resolver;
        const QList<ProbeResult> results =
            harness.probe({loopbackTarget(u"never.test"_s, 443, QString())}, 8, 20000);
        QCOMPARE(results.size(), 1);
        QCOMPARE(statusKey(results[0].status), u"unreachable"_s);
        QVERIFY2(results[0].error.contains(u"no answer"_s), qPrintable(results[0].error));
        QCOMPARE(resolver->aborted, 1);
        QCOMPARE(resolver->pendingCount(), 0);
    }

    // The timeout counts from the start of the resolution: a name that resolves late leaves its
    // probe only the rest of the timeout (here a silent server: the probe ends as a timeout at
    // about the timeout, not the timeout after the resolution).
    void resolutionTimeIsPartOfTheTimeout()
    {
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        auto resolver = std::make_shared<ScriptedResolver>();
        const int timeoutMs = 3000;
        ProbeHarness harness({}, timeoutMs);
        harness.options.resolver = resolver;
        ProbeScheduler scheduler(harness.options);
        QList<ProbeResult> results;
        connect(&scheduler, &ProbeScheduler::resultReady, this,
                [&](int, const ProbeResult &r) { results << r; });
        QElapsedTimer elapsed;
        elapsed.start();
        scheduler.enqueue({loopbackTarget(u"late.test"_s, silent.port(), QString())});
        // The answer comes at two thirds of the timeout.
        QTimer::singleShot(2 * timeoutMs / 3, Qt::PreciseTimer, this,
                           [&] { resolver->answerAll({u"127.0.0.1"_s}); });
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 1, 4 * timeoutMs);
        QCOMPARE(statusKey(results[0].status), u"timeout"_s);
        QCOMPARE(results[0].address, u"127.0.0.1"_s);
        // Without the rule the probe would end at 5/3 of the timeout.
        QVERIFY2(elapsed.elapsed() < timeoutMs + timeoutMs / 3,
                 qPrintable(QString::number(elapsed.elapsed())));
        // duration_ms counts from the start of the resolution too.
        QVERIFY2(results[0].durationMs >= 2 * timeoutMs / 3,
                 qPrintable(QString::number(results[0].durationMs)));
        QVERIFY2(results[0].durationMs < timeoutMs + timeoutMs / 3,
                 qPrintable(QString::number(results[0].durationMs)));
    }

    // The system resolver gives up on a blocked lookup without waiting for it, and the blocked
    // thread, once it returns, delivers nothing to a scheduler that is gone.
    void abandonedLookupsWaitForNothing()
    {
        auto gate = std::make_shared<Gate>();
        int delivered = 0;
        {
            auto resolver = std::make_shared<SystemResolver>(
                [gate](const QByteArray &) { return gate->wait(); });
            ProbeHarness harness({}, 500);
            harness.options.resolver = resolver;
            const QList<ProbeResult> results = harness.probe(
                {loopbackTarget(u"a.test"_s, 443, QString()),
                 loopbackTarget(u"b.test"_s, 443, QString())},
                8, 20000);
            QCOMPARE(results.size(), 2);
            for (const ProbeResult &r : results)
                QCOMPARE(statusKey(r.status), u"unreachable"_s);
            // A lookup started and dropped here must not come back either.
            QObject context;
            resolver->abort(resolver->lookup(u"c.test"_s, &context,
                                             [&](const Resolution &) { ++delivered; }));
        }
        gate->release();
        QTRY_COMPARE(gate->returned.load(), 3);
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QCOMPARE(delivered, 0);
    }

    // The real binary, with a DNS that never answers (an LD_PRELOAD shim whose getaddrinfo()
    // blocks forever for *.hang.test): the report says unreachable and the process exits once
    // it is written, instead of waiting for lookups nobody needs.
    void binaryExitsWhenTheReportIsWritten()
    {
        const QString binary = qEnvironmentVariable("CERTDASH_BINARY");
        if (binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        QFile targets(m_dir.filePath(u"hang.txt"_s));
        QVERIFY(targets.open(QIODevice::WriteOnly));
        for (int i = 0; i < 40; ++i)
            targets.write(QByteArray("name") + QByteArray::number(i) + ".hang.test:443\n");
        targets.close();

        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"LD_PRELOAD"_s, QStringLiteral(CERTDASH_HANGING_RESOLVER));
        process.setProcessEnvironment(env);
        process.start(binary, {u"scan"_s, u"--targets"_s, targets.fileName(), u"--timeout"_s,
                               u"1"_s, u"-q"_s});
        QVERIFY(process.waitForStarted());
        // Generous ceiling; the blocked lookups would keep the process alive forever.
        const bool exited = process.waitForFinished(30000);
        if (!exited)
            process.kill();
        QVERIFY2(exited, "the scan did not exit after its report");
        QCOMPARE(process.exitCode(), 2);
        const QList<QByteArray> rows = process.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(rows.size(), 41);
        for (int i = 1; i < rows.size(); ++i)
            QVERIFY2(rows[i].contains(",unreachable,") && rows[i].contains("no answer"),
                     rows[i].constData());
    }
};

QTEST_GUILESS_MAIN(TestResolution)
#include "tst_resolution.moc"
