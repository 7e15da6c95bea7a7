#pragma once

#include "CertFactory.h"
#include "EngineUnderTest.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "probing/ProbeScheduler.h"
#include "probing/TrustStore.h"

#include <QSignalSpy>
#include <QTest>

namespace certdash::test {

// Probes targets through the real scheduler against local servers, with the clock pinned and
// only the test's own root trusted, through the engine under test (EngineUnderTest.h).
struct ProbeHarness
{
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(pinnedNow());
    ProbeOptions options;

    explicit ProbeHarness(const QList<TestCert> &anchors = {}, int timeoutMs = 5000)
    {
        options.timeoutMs = timeoutMs;
        options.clock = clock;
        options.engine = engineUnderTest();
        QString error;
        options.anchors = TrustStore::fromCertificates(derList(anchors), &error);
        if (!options.anchors)
            qFatal("trust store: %s", qPrintable(error));
    }

    // Results ordered by (target index, address).
    QList<ProbeResult> probe(const QList<Target> &targets, int concurrency = 8,
                             int waitMs = 30000, int *peakInFlight = nullptr) const
    {
        ProbeScheduler scheduler(options);
        scheduler.setConcurrency(concurrency);
        QList<QPair<int, ProbeResult>> collected;
        QObject::connect(&scheduler, &ProbeScheduler::resultReady,
                         [&](int index, const ProbeResult &r) { collected.append({index, r}); });
        QSignalSpy finished(&scheduler, &ProbeScheduler::finished);
        scheduler.enqueue(targets);
        if (!finished.wait(waitMs))
            qWarning("scheduler did not finish within %d ms", waitMs);
        if (peakInFlight)
            *peakInFlight = scheduler.peakInFlight();
        std::sort(collected.begin(), collected.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first < b.first : a.second.address < b.second.address;
        });
        QList<ProbeResult> results;
        for (const auto &c : collected)
            results << c.second;
        return results;
    }

    ProbeResult probeOne(const Target &target) const
    {
        const QList<ProbeResult> results = probe({target});
        return results.isEmpty() ? ProbeResult{} : results.first();
    }
};

inline Target loopbackTarget(const QString &host, quint16 port, const QString &address = QStringLiteral("127.0.0.1"))
{
    Target t;
    t.host = host;
    t.port = port;
    if (!address.isEmpty())
        t.addresses = {address};
    return t;
}

} // namespace certdash::test
