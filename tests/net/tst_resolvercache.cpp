// Many targets on one host cost one lookup: a name asked while its lookup runs waits for that
// lookup, and answers are kept for a while (a minute; a name that does not exist, ten seconds),
// through the real scheduler and the system resolver with getaddrinfo() replaced by a counter.
#include "ProbeHarness.h"
#include "probing/HostResolver.h"
#include "probing/ResolverCache.h"

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <mutex>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// Stands in for getaddrinfo(): counts the calls per name, answers 127.0.0.1 (or "not found" for
// names starting with "gone"), and, while closed, blocks like a DNS server that is slow to
// answer.
struct FakeDns
{
    std::mutex mutex;
    std::condition_variable opened;
    bool open = true;
    QHash<QByteArray, int> calls;
    std::atomic<int> returned{0};

    void close()
    {
        std::lock_guard lock(mutex);
        open = false;
    }
    void release()
    {
        std::lock_guard lock(mutex);
        open = true;
        opened.notify_all();
    }
    int namesAsked()
    {
        std::lock_guard lock(mutex);
        return int(calls.size());
    }
    int callsFor(const QByteArray &name)
    {
        std::lock_guard lock(mutex);
        return calls.value(name);
    }
    Resolution lookup(const QByteArray &name)
    {
        std::unique_lock lock(mutex);
        ++calls[name];
        opened.wait(lock, [this] { return open; });
        ++returned;
        Resolution r;
        if (name.startsWith("gone"))
            r.notFound = true;
        else
            r.addresses = {u"127.0.0.1"_s};
        return r;
    }
};

// Milliseconds that move only when the test says so.
struct ManualClock
{
    std::atomic<qint64> ms{1000000};
};

// Targets on one name, each on its own port (refused on loopback: the lookup is what counts).
QList<Target> onOneHost(const QString &host, int count)
{
    QList<Target> targets;
    for (int i = 0; i < count; ++i)
        targets << loopbackTarget(host, quint16(1 + i), QString());
    return targets;
}

} // namespace

class TestResolverCache : public QObject
{
    Q_OBJECT

    std::shared_ptr<FakeDns> m_dns;
    std::shared_ptr<ManualClock> m_clock;

    std::shared_ptr<SystemResolver> makeResolver()
    {
        return std::make_shared<SystemResolver>(
            [dns = m_dns](const QByteArray &name) { return dns->lookup(name); },
            ResolverCachePolicy{}, [clock = m_clock] { return clock->ms.load(); });
    }

private slots:
    void init()
    {
        m_dns = std::make_shared<FakeDns>();
        m_clock = std::make_shared<ManualClock>();
    }
    void cleanup() { m_dns->release(); } // no test leaves a thread blocked

    // Eight targets on one host, all asked before the answer comes: one lookup, and every
    // target's probe goes to the address it gave.
    void targetsOnOneHostShareOneLookup()
    {
        ProbeHarness harness({}, 20000);
        harness.options.resolver = makeResolver();
        m_dns->close();
        ProbeScheduler scheduler(harness.options);
        scheduler.setConcurrency(8);
        QList<ProbeResult> results;
        connect(&scheduler, &ProbeScheduler::resultReady, this,
                [&](int, const ProbeResult &r) { results << r; });
        scheduler.enqueue(onOneHost(u"shared.test"_s, 8));
        QTRY_COMPARE(m_dns->callsFor("shared.test"), 1); // by now every target has asked
        m_dns->release();
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 8, 20000);
        QCOMPARE(m_dns->callsFor("shared.test"), 1);
        for (const ProbeResult &r : std::as_const(results)) {
            QCOMPARE(r.address, u"127.0.0.1"_s);
            QVERIFY2(!r.error.startsWith(u"DNS"_s), qPrintable(r.error));
        }
    }

    // A second scan within the minute asks nothing; after it, the name is asked again.
    void answersAreKeptForAMinute()
    {
        ProbeHarness harness({}, 10000);
        harness.options.resolver = makeResolver(); // one resolver for every scan, as the window
        const QList<Target> targets = onOneHost(u"kept.test"_s, 5);
        QCOMPARE(harness.probe(targets).size(), 5);
        QCOMPARE(m_dns->callsFor("kept.test"), 1);

        m_clock->ms += 59000;
        const QList<ProbeResult> again = harness.probe(targets);
        QCOMPARE(again.size(), 5);
        for (const ProbeResult &r : again)
            QCOMPARE(r.address, u"127.0.0.1"_s);
        QCOMPARE(m_dns->callsFor("kept.test"), 1);

        m_clock->ms += 1000;
        QCOMPARE(harness.probe(targets).size(), 5);
        QCOMPARE(m_dns->callsFor("kept.test"), 2);
    }

    // A name that does not exist is not asked again for ten seconds, then it is.
    void aMissingNameIsAskedAgainAfterTenSeconds()
    {
        ProbeHarness harness({}, 10000);
        harness.options.resolver = makeResolver();
        const QList<Target> targets = onOneHost(u"gone.test"_s, 3);
        QList<ProbeResult> results = harness.probe(targets);
        QCOMPARE(results.size(), 3);
        for (const ProbeResult &r : std::as_const(results)) {
            QCOMPARE(statusKey(r.status), u"unreachable"_s);
            QVERIFY2(r.error.contains(u"not found"_s), qPrintable(r.error));
        }
        QCOMPARE(m_dns->callsFor("gone.test"), 1);

        m_clock->ms += 9000;
        results = harness.probe(targets);
        QCOMPARE(results.size(), 3);
        QVERIFY2(results[0].error.contains(u"not found"_s), qPrintable(results[0].error));
        QCOMPARE(m_dns->callsFor("gone.test"), 1);

        m_clock->ms += 1000;
        QCOMPARE(harness.probe(targets).size(), 3);
        QCOMPARE(m_dns->callsFor("gone.test"), 2);
    }

    // Two scans with different timeouts wait for one lookup: the impatient one gives up (its
    // target unreachable), the other still gets the answer, and no second lookup is made.
    // A lookup everyone gave up on delivers nothing and is not kept.
    void aWaiterThatGivesUpLeavesTheOthersWaiting()
    {
        auto resolver = makeResolver();
        ProbeHarness patient({}, 30000);
        patient.options.resolver = resolver;
        ProbeHarness impatient({}, 300);
        impatient.options.resolver = resolver;
        m_dns->close();

        ProbeScheduler waiting(patient.options);
        QList<ProbeResult> patientResults;
        connect(&waiting, &ProbeScheduler::resultReady, this,
                [&](int, const ProbeResult &r) { patientResults << r; });
        waiting.enqueue(onOneHost(u"slow.test"_s, 1));
        QTRY_COMPARE(m_dns->callsFor("slow.test"), 1);

        const QList<ProbeResult> gaveUp = impatient.probe(onOneHost(u"slow.test"_s, 2));
        QCOMPARE(gaveUp.size(), 2);
        for (const ProbeResult &r : gaveUp)
            QVERIFY2(r.error.contains(u"no answer"_s), qPrintable(r.error));
        QVERIFY(patientResults.isEmpty());

        m_dns->release();
        QTRY_COMPARE_WITH_TIMEOUT(patientResults.size(), 1, 20000);
        QCOMPARE(patientResults[0].address, u"127.0.0.1"_s);
        QCOMPARE(m_dns->callsFor("slow.test"), 1);
        // The answer a waiter received is kept.
        QCOMPARE(patient.probe(onOneHost(u"slow.test"_s, 1)).size(), 1);
        QCOMPARE(m_dns->callsFor("slow.test"), 1);

        // Everyone gives up on lost.test: nothing is delivered, nothing kept.
        m_dns->close();
        const int returnedBefore = m_dns->returned.load();
        int delivered = 0;
        {
            QObject context;
            const int first = resolver->lookup(u"lost.test"_s, &context,
                                               [&](const Resolution &) { ++delivered; });
            const int second = resolver->lookup(u"lost.test"_s, &context,
                                                [&](const Resolution &) { ++delivered; });
            QTRY_COMPARE(m_dns->callsFor("lost.test"), 1); // shared while both wait
            resolver->abort(first);
            resolver->abort(second);
        }
        m_dns->release();
        QTRY_COMPARE(m_dns->returned.load(), returnedBefore + 1);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(delivered, 0);
        const QList<ProbeResult> later = patient.probe(onOneHost(u"lost.test"_s, 1));
        QCOMPARE(later.size(), 1);
        QCOMPARE(later[0].address, u"127.0.0.1"_s);
        QCOMPARE(m_dns->callsFor("lost.test"), 2);
    }

    // The window's scans run in a worker thread; several threads asking one resolver for the
    // same names at once get every answer, with one lookup per name.
    void threadsShareOneResolver()
    {
        auto resolver = makeResolver();
        m_dns->close();
        const int threads = 4;
        const int names = 10;
        std::atomic<int> answered{0};
        std::atomic<int> wrong{0};
        QList<QThread *> workers;
        for (int t = 0; t < threads; ++t) {
            QThread *worker = QThread::create([&, t] {
                QObject context;
                int mine = 0;
                for (int i = 0; i < names; ++i) {
                    const QString host = u"n%1.test"_s.arg((i + t) % names);
                    resolver->lookup(host, &context, [&](const Resolution &r) {
                        ++mine;
                        if (r.addresses != QStringList{u"127.0.0.1"_s})
                            ++wrong;
                    });
                }
                while (mine < names)
                    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
                answered += mine;
            });
            workers << worker;
            worker->start();
        }
        QTRY_COMPARE(m_dns->namesAsked(), names);
        m_dns->release();
        for (QThread *worker : std::as_const(workers)) {
            QVERIFY(worker->wait(20000));
            delete worker;
        }
        QCOMPARE(answered.load(), threads * names);
        QCOMPARE(wrong.load(), 0);
        for (int i = 0; i < names; ++i)
            QCOMPARE(m_dns->callsFor("n" + QByteArray::number(i) + ".test"), 1);
    }
};

QTEST_GUILESS_MAIN(TestResolverCache)
#include "tst_resolvercache.moc"
