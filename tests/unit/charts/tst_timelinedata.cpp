// The per-target expiry timeline's data on synthetic histories: what the chart in the details
// pane draws, checked without Qt Charts.
#include "ChartFixtures.h"
#include "charts/TimelineData.h"

#include <QTest>

#include <algorithm>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kA = u"127.0.0.1"_s;
const QString kB = u"127.0.0.2"_s;

bool near(double a, double b) {
    return std::abs(a - b) < 1e-6;
}
} // namespace

class TestTimelineData : public QObject {
    Q_OBJECT
private slots:
    // Renewed every 30 days, 90-day certificates, probed daily: a saw-tooth inside the default
    // band with a rotation marker at each renewal.
    void threeRotations() {
        const QDateTime start = daysFromNow(-100);
        QList<CertificateInfo> certs;
        for (int k = 0; k < 4; ++k)
            certs << syntheticCert(u"r%1"_s.arg(k), start.addDays(30 * k), 90);
        QList<HistoryPoint> history;
        for (int d = 0; d <= 100; ++d)
            history << reading(start.addDays(d), certs.at(std::min(d / 30, 3)));
        const TimelineData data =
            buildTimeline(history, resultFor(certs.last(), pinnedNow()), {}, pinnedNow());

        QCOMPARE(data.points.size(), 101);
        QCOMPARE(data.rotations, (QList<int>{30, 60, 90}));
        for (int k = 1; k < 4; ++k) {
            const TimelinePoint &p = data.points.at(data.rotations.at(k - 1));
            QCOMPARE(p.at, certs.at(k).notBefore);
            QCOMPARE(p.fingerprint, certs.at(k).sha256Fingerprint);
            QVERIFY(near(p.daysLeft, 90));
        }
        // The tooth: 61 days left the day before a renewal, 90 on the day.
        QVERIFY(near(data.points.at(29).daysLeft, 61));
        QCOMPARE(*data.points.at(29).recordedDaysLeft, 61);
        QVERIFY(data.failures.isEmpty());
        for (const TimelinePoint &p : data.points)
            QVERIFY2(!p.underBand, qPrintable(p.at.toString(Qt::ISODate)));

        QCOMPARE(data.notBefore, certs.last().notBefore);
        QCOMPARE(data.notAfter, certs.last().notAfter);
        QVERIFY(near(data.lifetimeDays, 90));
        QVERIFY(data.band.isDefault);
        QVERIFY(near(data.band.upperDays, 90));
        QVERIFY(near(data.band.lowerDays, 30)); // renewal expected at 2/3 of the lifetime
        QVERIFY(near(data.warningDays, 30));
        QVERIFY(near(data.criticalDays, 7));
        QCOMPARE(data.rotationDueAt, certs.last().notAfter.addDays(-30));
        QCOMPARE(data.projectionFrom, pinnedNow());
        QVERIFY(near(data.projectionFromDays, 80));
        QCOMPARE(data.rangeStart, start);
        QCOMPARE(data.rangeEnd, certs.last().notAfter);
    }

    // With a 30-day rotation period the band is [60, 90]; the second certificate is never
    // replaced and leaves the band 30 days before the warning threshold fires.
    void failedRotation() {
        ExpiryPolicy policy;
        policy.rotationDays = 30;
        const QDateTime start = daysFromNow(-80);
        const CertificateInfo first = syntheticCert(u"first"_s, start, 90);
        const CertificateInfo stuck = syntheticCert(u"stuck"_s, start.addDays(30), 90);
        QList<HistoryPoint> history;
        for (int d = 0; d <= 80; ++d)
            history << reading(start.addDays(d), d < 30 ? first : stuck, kA, policy);
        const ProbeResult latest = resultFor(stuck, pinnedNow(), kA, {}, policy);
        QCOMPARE(latest.status, Status::RotationOverdue);
        const TimelineData data = buildTimeline(history, latest, policy, pinnedNow());

        QVERIFY(!data.band.isDefault);
        QVERIFY(near(data.band.lowerDays, 60));
        QCOMPARE(data.rotations, QList<int>{30});
        QCOMPARE(data.rotationDueAt, stuck.notBefore.addDays(30));
        QVERIFY(data.rotationDueAt < pinnedNow());
        int under = 0;
        for (const TimelinePoint &p : data.points) {
            QCOMPARE(p.underBand, p.at > data.rotationDueAt);
            under += p.underBand;
        }
        QCOMPARE(under, 20);
        // On the lower edge is still inside the band.
        QVERIFY(near(data.points.at(60).daysLeft, data.band.lowerDays));
        QVERIFY(!data.points.at(60).underBand);
        const QDateTime warningFires = data.notAfter.addSecs(-qint64(data.warningDays * 86400));
        QCOMPARE(data.rotationDueAt.daysTo(warningFires), 30);
        QVERIFY(near(data.projectionFromDays, 40));
    }

    // Failed probes are markers on the diagonal of the certificate last seen (or at 0 before
    // any), are never rotations, and a DNS failure (no address) belongs to every address.
    void failedProbes() {
        const QDateTime start = daysFromNow(-20);
        const CertificateInfo cert = syntheticCert(u"steady"_s, start, 90);
        QList<HistoryPoint> history;
        history << failure(start.addDays(-1), Status::Unreachable);
        for (int d = 0; d <= 20; ++d) {
            if (d == 5 || d == 6)
                history << failure(start.addDays(d), Status::Timeout);
            else if (d == 10)
                history << failure(start.addDays(d), Status::Unreachable, QString());
            else
                history << reading(start.addDays(d), cert);
        }
        history << failure(start.addDays(7), Status::Timeout, kB); // another address
        std::stable_sort(history.begin(), history.end(),
                         [](const auto &a, const auto &b) { return a.probedAt < b.probedAt; });
        const TimelineData data =
            buildTimeline(history, resultFor(cert, pinnedNow()), {}, pinnedNow());

        QCOMPARE(data.points.size(), 22);
        QCOMPARE(data.failures, (QList<int>{0, 6, 7, 11}));
        QVERIFY(data.rotations.isEmpty());
        QVERIFY(near(data.points.at(0).daysLeft, 0));
        for (int i : {6, 7, 11}) {
            const TimelinePoint &p = data.points.at(i);
            QVERIFY(p.failed);
            QVERIFY(!p.recordedDaysLeft);
            QVERIFY(p.fingerprint.isEmpty());
            QVERIFY(near(p.daysLeft, daysBetween(p.at, cert.notAfter)));
        }
        QCOMPARE(data.points.at(6).status, Status::Timeout);
        QCOMPARE(data.points.at(11).status, Status::Unreachable);
    }

    // A 6-day certificate renewed every 4 days, probed every 6 hours: thresholds capped to the
    // lifetime (warning 2 days, critical 1), the band [2, 6], never under it.
    void sixDayCertificate() {
        const QDateTime start = daysFromNow(-13);
        QList<CertificateInfo> certs;
        for (int k = 0; k < 4; ++k)
            certs << syntheticCert(u"short%1"_s.arg(k), start.addDays(4 * k), 6);
        QList<HistoryPoint> history;
        for (int q = 0; q <= 13 * 4; ++q)
            history << reading(start.addSecs(q * 6 * 3600), certs.at(std::min(q / 16, 3)));
        const ProbeResult latest = resultFor(certs.last(), pinnedNow());
        QCOMPARE(latest.status, Status::Ok);
        const TimelineData data = buildTimeline(history, latest, {}, pinnedNow());

        QCOMPARE(data.points.size(), 53);
        QCOMPARE(data.rotations, (QList<int>{16, 32, 48}));
        QVERIFY(near(data.lifetimeDays, 6));
        QVERIFY(near(data.warningDays, 2));
        QVERIFY(near(data.criticalDays, 1));
        QVERIFY(near(data.band.lowerDays, 2));
        QVERIFY(near(data.band.upperDays, 6));
        for (const TimelinePoint &p : data.points)
            QVERIFY(!p.underBand);
        QVERIFY(near(data.projectionFromDays, 5));
    }

    // Two addresses of one target: one renewed, one stuck on the old certificate. Each
    // address's timeline follows its own certificates; interleaved rows are not rotations.
    void divergingAddresses() {
        const QDateTime start = daysFromNow(-75);
        QList<CertificateInfo> renewed;
        for (int k = 0; k < 3; ++k)
            renewed << syntheticCert(u"lb%1"_s.arg(k), start.addDays(30 * k), 90);
        QList<HistoryPoint> history;
        for (int d = 0; d <= 75; ++d) {
            history << reading(start.addDays(d), renewed.at(std::min(d / 30, 2)), kA);
            history << reading(start.addDays(d), renewed.first(), kB);
            if (d == 40)
                history << failure(start.addDays(d).addSecs(60), Status::Unreachable, QString());
        }

        const TimelineData a =
            buildTimeline(history, resultFor(renewed.last(), pinnedNow(), kA), {}, pinnedNow());
        QCOMPARE(a.address, kA);
        QCOMPARE(a.points.size(), 77);
        QCOMPARE(a.rotations, (QList<int>{30, 61})); // the DNS failure is point 41
        QCOMPARE(a.failures, QList<int>{41});
        QCOMPARE(std::count_if(a.points.begin(), a.points.end(),
                               [](const TimelinePoint &p) { return p.underBand; }),
                 0);

        const TimelineData b =
            buildTimeline(history, resultFor(renewed.first(), pinnedNow(), kB), {}, pinnedNow());
        QCOMPARE(b.points.size(), 77);
        QVERIFY(b.rotations.isEmpty());
        QCOMPARE(b.failures, QList<int>{41});
        QCOMPARE(b.notAfter, renewed.first().notAfter);
        QCOMPARE(std::count_if(b.points.begin(), b.points.end(),
                               [](const TimelinePoint &p) { return p.underBand; }),
                 15);
        QVERIFY(b.rotationDueAt < pinnedNow());
        QVERIFY(a.rotationDueAt > pinnedNow());
    }

    void bandEdges_data() {
        QTest::addColumn<double>("lifetime");
        QTest::addColumn<int>("rotation"); // 0: none set
        QTest::addColumn<double>("lower");
        QTest::addColumn<bool>("isDefault");

        QTest::newRow("90-day, default: renewal at 60 days") << 90.0 << 0 << 30.0 << true;
        QTest::newRow("90-day, rotated every 30 days") << 90.0 << 30 << 60.0 << false;
        QTest::newRow("rotation equal to the lifetime") << 90.0 << 90 << 0.0 << false;
        QTest::newRow("rotation longer than the lifetime") << 90.0 << 120 << 0.0 << false;
        QTest::newRow("6-day, default") << 6.0 << 0 << 2.0 << true;
        QTest::newRow("6-day, rotated every 4 days") << 6.0 << 4 << 2.0 << false;
        QTest::newRow("397-day, default") << 397.0 << 0 << 397.0 / 3 << true;
        QTest::newRow("397-day, rotated yearly") << 397.0 << 365 << 32.0 << false;
    }

    void bandEdges() {
        QFETCH(double, lifetime);
        QFETCH(int, rotation);
        QFETCH(double, lower);
        QFETCH(bool, isDefault);
        ExpiryPolicy policy;
        if (rotation > 0)
            policy.rotationDays = rotation;
        const RotationBand band = rotationBand(policy, lifetime);
        QVERIFY2(near(band.lowerDays, lower), qPrintable(QString::number(band.lowerDays)));
        QVERIFY(near(band.upperDays, lifetime));
        QCOMPARE(band.isDefault, isDefault);
        QVERIFY(band.contains(lower));
        QVERIFY(band.contains(lifetime));
        QVERIFY(!band.contains(lower - 1.0 / 86400));
    }

    // Issue 14: a two-year intermediate limits the endpoint, probed daily for two weeks. The x
    // range is those two weeks (and now), not the intermediate's two years: the probes spread
    // over the chart instead of collapsing into one dot at its right edge.
    void scaledToProbeHistory() {
        const CertificateInfo cert = syntheticCert(u"int"_s, daysFromNow(-700), 730);
        QList<HistoryPoint> history;
        for (int d = -14; d <= 0; ++d)
            history << reading(daysFromNow(d), cert);
        const ProbeResult latest = resultFor(cert, pinnedNow());
        const TimelineData data = buildTimeline(history, latest, {}, pinnedNow());
        QCOMPARE(data.rangeStart, daysFromNow(-14));
        // The expiry, 30 days ahead, is further than the 14 days of history reach back: left
        // to the Y axis.
        QCOMPARE(data.rangeEnd, pinnedNow());
        QCOMPARE(data.points.size(), 15);

        // The same certificate a fortnight before its expiry: the expiry is in range.
        QList<HistoryPoint> late;
        const CertificateInfo soon = syntheticCert(u"soon"_s, daysFromNow(-720), 730);
        for (int d = -14; d <= 0; ++d)
            late << reading(daysFromNow(d), soon);
        const TimelineData near = buildTimeline(late, resultFor(soon, pinnedNow()), {}, pinnedNow());
        QCOMPARE(near.rangeEnd, soon.notAfter);
    }

    // An expired certificate: no projection; the x range is the probe history (the 90-day
    // window before it would leave the six probes in a corner).
    void expiredCertificate() {
        const CertificateInfo cert = syntheticCert(u"old"_s, daysFromNow(-100), 90);
        QList<HistoryPoint> history;
        for (int d = -5; d <= 0; ++d)
            history << reading(daysFromNow(d), cert);
        const ProbeResult latest = resultFor(cert, pinnedNow());
        QCOMPARE(latest.status, Status::Expired);
        const TimelineData data = buildTimeline(history, latest, {}, pinnedNow());
        QVERIFY(!data.projectionFrom.isValid());
        QCOMPARE(data.rangeStart, daysFromNow(-5));
        QCOMPARE(data.rangeEnd, pinnedNow());
        QVERIFY(near(data.points.last().daysLeft, -10));
        QVERIFY(data.points.last().underBand);
    }

    // The latest probe failed: the chart still dates the certificate last read.
    void latestProbeFailed() {
        const CertificateInfo cert = syntheticCert(u"seen"_s, daysFromNow(-30), 90);
        QList<HistoryPoint> history{reading(daysFromNow(-2), cert),
                                    failure(pinnedNow(), Status::HandshakeFailed)};
        const TimelineData data = buildTimeline(
            history, failedResult(pinnedNow(), Status::HandshakeFailed), {}, pinnedNow());
        QCOMPARE(data.notAfter, cert.notAfter);
        QCOMPARE(data.notBefore, cert.notBefore);
        QCOMPARE(data.failures, QList<int>{1});
        QCOMPARE(data.projectionFrom, daysFromNow(-2));

        const TimelineData nothing =
            buildTimeline({failure(pinnedNow(), Status::Unreachable)},
                          failedResult(pinnedNow(), Status::Unreachable), {}, pinnedNow());
        QVERIFY(!nothing.hasCertificate());
        QVERIFY(!nothing.projectionFrom.isValid());
        QCOMPARE(nothing.points.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTimelineData)
#include "tst_timelinedata.moc"
