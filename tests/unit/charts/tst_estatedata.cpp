// The estate charts' data: the expiry calendar's weekly buckets (local weeks, DST, UTC midnight)
// and the aggregated rotation-health scatter.
#include "ChartFixtures.h"
#include "charts/EstateData.h"
#include "storage/TagPolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
QDateTime utc(const char *iso) {
    QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    t.setTimeZone(QTimeZone::utc());
    return t;
}

// A result whose limiting certificate (90 days) expires at notAfter, probed at now.
ProbeResult expiringAt(const QDateTime &notAfter, const QDateTime &now) {
    return resultFor(syntheticCert(notAfter.toString(Qt::ISODate), notAfter.addDays(-90), 90), now);
}

// The bucket the single result landed in: -1 already expired, weeks for "later".
int bucketOf(const ExpiryCalendar &calendar) {
    if (calendar.expired.total() == 1)
        return -1;
    for (int i = 0; i < calendar.weeks.size(); ++i) {
        if (calendar.weeks.at(i).total() == 1)
            return i;
    }
    return calendar.later == 1 ? int(calendar.weeks.size()) : -2;
}
} // namespace

class TestEstateData : public QObject {
    Q_OBJECT
private slots:
    void weekBuckets_data() {
        QTest::addColumn<QByteArray>("zoneId"); // IANA id
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<QDateTime>("notAfter");
        QTest::addColumn<int>("bucket"); // -1: already expired; 26: after the last week

        const QByteArray utcZone = "UTC";
        const QByteArray berlin = "Europe/Berlin";
        const QByteArray newYork = "America/New_York";
        // UTC midnight: now is Monday 2026-03-16 00:00:00Z, the first instant of week 0.
        const QDateTime monday = utc("2026-03-16T00:00:00");
        QTest::newRow("utc: expiring exactly now is expired") << utcZone << monday << monday << -1;
        QTest::newRow("utc: one second later, week 0")
            << utcZone << monday << monday.addSecs(1) << 0;
        QTest::newRow("utc: Sunday 23:59:59, week 0")
            << utcZone << monday << utc("2026-03-22T23:59:59") << 0;
        QTest::newRow("utc: next Monday midnight, week 1")
            << utcZone << monday << utc("2026-03-23T00:00:00") << 1;
        QTest::newRow("utc: week 25 ends before the 26th Monday")
            << utcZone << monday << monday.addDays(26 * 7).addSecs(-1) << 25;
        QTest::newRow("utc: the 26th Monday is later")
            << utcZone << monday << monday.addDays(26 * 7) << 26;
        QTest::newRow("utc: Sunday now, Monday 02:00Z is next week")
            << utcZone << pinnedNow() << utc("2026-03-16T02:00:00") << 1;
        // The same instant is still Sunday evening in New York: the same week as now.
        QTest::newRow("new york: Monday 02:00Z is Sunday 22:00 local")
            << newYork << pinnedNow() << utc("2026-03-16T02:00:00") << 0;
        // Spring forward in Berlin (Sunday 2026-03-29 02:00 CET -> 03:00 CEST): the week of
        // Monday 23 March has 167 hours, so the next week starts at 2026-03-29T22:00Z.
        const QDateTime spring = utc("2026-03-25T12:00:00");
        QTest::newRow("berlin spring: Sunday 23:30 CEST, week 0")
            << berlin << spring << utc("2026-03-29T21:30:00") << 0;
        QTest::newRow("berlin spring: Monday 00:30 CEST, week 1")
            << berlin << spring << utc("2026-03-29T22:30:00") << 1;
        // Fall back (Sunday 2026-10-25 03:00 CEST -> 02:00 CET): 169 hours, the next week
        // starts at 2026-10-25T23:00Z.
        const QDateTime autumn = utc("2026-10-21T12:00:00");
        QTest::newRow("berlin autumn: Sunday 23:30 CET, week 0")
            << berlin << autumn << utc("2026-10-25T22:30:00") << 0;
        QTest::newRow("berlin autumn: Monday 00:00 CET, week 1")
            << berlin << autumn << utc("2026-10-25T23:00:00") << 1;
    }

    void weekBuckets() {
        QFETCH(QByteArray, zoneId);
        const QTimeZone zone(zoneId);
        QFETCH(QDateTime, now);
        QFETCH(QDateTime, notAfter);
        QFETCH(int, bucket);
        QVERIFY(zone.isValid());
        const ExpiryCalendar calendar = expiryCalendar({expiringAt(notAfter, now)}, now, zone);
        QCOMPARE(calendar.weeks.size(), 26);
        QCOMPARE(bucketOf(calendar), bucket);
        // Buckets tile the time after now without gaps, each starting on a local Monday at
        // local midnight.
        for (int i = 0; i < calendar.weeks.size(); ++i) {
            const ExpiryBucket &b = calendar.weeks.at(i);
            QCOMPARE(b.week.dayOfWeek(), 1);
            QCOMPARE(b.from.toTimeZone(zone).date(), b.week);
            QCOMPARE(b.from.toTimeZone(zone).time(), QTime(0, 0));
            if (i > 0)
                QCOMPARE(b.from, calendar.weeks.at(i - 1).to);
        }
        QVERIFY(calendar.weeks.first().from <= now);
        QVERIFY(now < calendar.weeks.first().to);
        if (bucket >= 0 && bucket < 26) {
            const ExpiryBucket &b = calendar.weeks.at(bucket);
            QVERIFY(b.from <= notAfter && notAfter < b.to);
        }
    }

    void dstWeekLengths() {
        const QTimeZone berlin("Europe/Berlin");
        const ExpiryCalendar spring = expiryCalendar({}, utc("2026-03-25T12:00:00"), berlin);
        QCOMPARE(spring.weeks.at(0).from.secsTo(spring.weeks.at(0).to), 167 * 3600);
        QCOMPARE(spring.weeks.at(1).from.secsTo(spring.weeks.at(1).to), 168 * 3600);
        const ExpiryCalendar autumn = expiryCalendar({}, utc("2026-10-21T12:00:00"), berlin);
        QCOMPARE(autumn.weeks.at(0).from.secsTo(autumn.weeks.at(0).to), 169 * 3600);
    }

    // Stacked by status; failures have no certificate to date and are counted apart.
    void stackedByStatus() {
        const QDateTime now = pinnedNow();
        QList<ProbeResult> results;
        // Week 2 (Monday 23 March): three 90-day certificates with 9 to 10 days left (warning).
        for (double left : {9.0, 9.5, 10.0})
            results << resultFor(syntheticCert(u"w%1"_s.arg(left), daysFromNow(left - 90), 90),
                                 now);
        results << resultFor(syntheticCert(u"c"_s, daysFromNow(-86), 90), now);  // 4 left
        results << resultFor(syntheticCert(u"x"_s, daysFromNow(-95), 90), now);  // expired
        results << resultFor(syntheticCert(u"ok"_s, daysFromNow(-10), 90), now); // 80 left
        results << failedResult(now, Status::Timeout);
        const ExpiryCalendar calendar = expiryCalendar(results, now, QTimeZone::utc());

        QCOMPARE(calendar.withoutCertificate, 1);
        QCOMPARE(calendar.expired.total(), 1);
        QCOMPARE(calendar.expired.count(Status::Expired), 1);
        // pinnedNow() is a Sunday: week 0 is that one day; 4 days left is week 1.
        QCOMPARE(calendar.weeks.at(1).count(Status::Critical), 1);
        QCOMPARE(calendar.weeks.at(1).members[size_t(certificateStatusIndex(Status::Critical))],
                 QList<int>{3});
        QCOMPARE(calendar.weeks.at(2).count(Status::Warning), 3);
        QCOMPARE(calendar.weeks.at(2).total(), 3);
        const int okWeek =
            int(calendar.weeks.first().week.daysTo(results.at(5).limiting->notAfter.date())) / 7;
        QCOMPARE(calendar.weeks.at(okWeek).count(Status::Ok), 1);
        int total = calendar.expired.total() + calendar.later + calendar.withoutCertificate;
        for (const ExpiryBucket &b : calendar.weeks)
            total += b.total();
        QCOMPARE(total, results.size());
    }

    // Equal (lifetime, days left, verdict) share a point; each target is judged by its own
    // effective policy (tags included); the 6-day certificate by its short band.
    void rotationHealthPoints() {
        const QDateTime now = pinnedNow();
        const ExpiryPolicy global;
        const QList<TagPolicy> tags{{u"fast"_s, std::nullopt, std::nullopt, 30}};
        const auto policyOf = [&](const Target &t) {
            return effectivePolicy(global, tags, t);
        };

        QList<ProbeResult> results;
        for (int i = 0; i < 100; ++i) // one automation: 100 certificates issued the same day
            results << resultFor(syntheticCert(u"auto%1"_s.arg(i), daysFromNow(-40.5), 90), now);
        Target fast;
        fast.host = u"fast.test"_s;
        fast.tags = {u"fast"_s};
        // Same certificate age, but rotated every 30 days: due 10 days ago.
        results << resultFor(syntheticCert(u"fast"_s, daysFromNow(-40.5), 90), now, u"a"_s, fast);
        results << resultFor(syntheticCert(u"six"_s, daysFromNow(-5.5), 6), now);  // 0.5 left
        results << resultFor(syntheticCert(u"six-ok"_s, daysFromNow(-3), 6), now); // 3 left
        results << failedResult(now, Status::Unreachable);
        const RotationHealth health = rotationHealth(results, policyOf, global);

        QCOMPARE(health.inBand.size(), 2);
        QCOMPARE(health.inBand.at(0).members.size(), 100);
        QCOMPARE(health.inBand.at(0).lifetimeDays, 90);
        QCOMPARE(health.inBand.at(0).daysLeft, 49);
        QCOMPARE(health.inBand.at(1).members, QList<int>{102});
        QCOMPARE(health.underBand.size(), 2);
        QCOMPARE(health.underBand.at(0).members, QList<int>{100});
        QCOMPARE(health.underBand.at(0).daysLeft, 49); // same spot, other verdict
        QCOMPARE(health.underBand.at(1).members, QList<int>{101});
        QCOMPARE(health.underBand.at(1).lifetimeDays, 6);
        QCOMPARE(health.maxLifetimeDays, 90);

        // The global band without a rotation period: renewal at 2/3, the lower edge L/3.
        QVERIFY(health.bandIsDefault);
        QCOMPARE(health.bandUpper.last(), QPointF(90, 90));
        QCOMPARE(health.bandLower.last(), QPointF(90, 30));
        // Thresholds capped at 1/3 and 1/6 of the lifetime: knees at 90 and 42 days.
        QCOMPARE(health.warning, (QList<QPointF>{{0, 0}, {90, 30}}));
        QCOMPARE(health.critical, (QList<QPointF>{{0, 0}, {42, 7}, {90, 7}}));
    }

    void rotationHealthGlobalRotation() {
        ExpiryPolicy global;
        global.rotationDays = 60;
        // 70 days old and rotated every 60 days: 327 days left, below the edge at 337.
        const QList<ProbeResult> results{
            resultFor(syntheticCert(u"y"_s, daysFromNow(-70), 397), pinnedNow())};
        const RotationHealth health = rotationHealth(
            results, [&](const Target &) { return global; }, global);
        QVERIFY(!health.bandIsDefault);
        QCOMPARE(health.maxLifetimeDays, 397);
        QCOMPARE(health.bandLower, (QList<QPointF>{{0, 0}, {60, 0}, {397, 337}}));
        QCOMPARE(health.underBand.size(), 1);
        QCOMPARE(health.underBand.first().daysLeft, 327);
    }
};

QTEST_GUILESS_MAIN(TestEstateData)
#include "tst_estatedata.moc"
