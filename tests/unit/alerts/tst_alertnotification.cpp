// What the user reads: one notification per crossing, or one digest for a flood.
#include "AlertFixtures.h"
#include "alerts/AlertTracker.h"
#include "alerts/Notification.h"
#include "i18n/Translations.h"

#include <QLocale>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::Status)

namespace {
// The events of one scan that crosses `count` targets from ok: the first ones critical, the
// rest warning.
QList<AlertEvent> crossings(int count, int critical) {
    AlertTracker tracker;
    QList<ProbeResult> results;
    for (int i = 0; i < count; ++i) {
        results << probeResult(i + 1, i < critical ? Status::Critical : Status::Warning, u"A"_s,
                               i < critical ? 3 : 20);
    }
    return tracker.process(results, pinnedNow()).events;
}

// One scan in which these probes fail (a DNS failure has no address) and these certificates
// cross: the events as the tracker makes them, failures counted from the first one.
QList<AlertEvent> outages(const QList<Status> &failures, bool dns, int crossings) {
    AlertTrackerOptions options;
    options.failureThreshold = 1;
    AlertTracker tracker(options);
    QList<ProbeResult> results;
    for (int i = 0; i < failures.size(); ++i) {
        ProbeResult r = probeResult(i + 1, failures.at(i));
        if (dns && failures.at(i) == Status::Unreachable) {
            r.address.clear();
            r.error = u"DNS: host%1.test not found"_s.arg(i + 1);
        }
        results << r;
    }
    for (int i = 0; i < crossings; ++i)
        results << probeResult(100 + i, i == 0 ? Status::Critical : Status::Warning, u"A"_s,
                               i == 0 ? 3 : 20);
    return tracker.process(results, pinnedNow()).events;
}

QString localExpiry(const QDateTime &utc) {
    return QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat);
}
} // namespace

class TestAlertNotification : public QObject {
    Q_OBJECT

private slots:
    // The English plural forms, installed the way main.cpp does for the GUI and the CLI.
    void initTestCase() {
        const QStringList installed = installTranslators(QLocale::c());
        QVERIFY2(installed.contains(u"certdash_en"_s), qPrintable(installed.join(u", ")));
    }

    // A digest counts in English: "1 certificate", never "1 certificate(s)" or "1 certificates".
    void digestTitleCountsInEnglish_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("renewals");
        QTest::addColumn<QString>("title");
        QTest::newRow("1 crossing") << 1 << false << u"1 certificate crossed thresholds"_s;
        QTest::newRow("5 crossings") << 5 << false << u"5 certificates crossed thresholds"_s;
        QTest::newRow("1 renewal") << 1 << true << u"1 certificate renewed"_s;
        QTest::newRow("5 renewals") << 5 << true << u"5 certificates renewed"_s;
    }
    void digestTitleCountsInEnglish() {
        QFETCH(int, count);
        QFETCH(bool, renewals);
        QFETCH(QString, title);
        QList<AlertEvent> events = crossings(count, 1);
        for (AlertEvent &e : events) {
            if (renewals) {
                e.kind = AlertEventKind::Renewed;
                e.level = AlertLevel::Ok;
            }
        }
        QCOMPARE(digestFor(events).title, title);
    }

    void digestThreshold_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("expectedNotifications");
        QTest::addColumn<bool>("digest");
        QTest::newRow("1 crossing") << 1 << 1 << false;
        QTest::newRow("3 crossings: three notifications") << 3 << 3 << false;
        QTest::newRow("4 crossings: one digest") << 4 << 1 << true;
        QTest::newRow("5 crossings: one digest") << 5 << 1 << true;
    }
    void digestThreshold() {
        QFETCH(int, count);
        QFETCH(int, expectedNotifications);
        QFETCH(bool, digest);
        const QList<AlertEvent> events = crossings(count, 2);
        QCOMPARE(events.size(), count);
        const QList<Notification> shown = notificationsFor(events);
        QCOMPARE(shown.size(), expectedNotifications);
        for (const Notification &n : shown) {
            QCOMPARE(n.digest, digest);
            QCOMPARE(n.targetId == -1, digest);
        }
        if (digest) {
            QCOMPARE(shown.first().level, AlertLevel::Critical);
            QCOMPARE(shown.first().title, u"%1 certificates crossed thresholds"_s.arg(count));
            QVERIFY2(shown.first().body.startsWith(u"2 critical, %1 warning"_s.arg(count - 2)),
                     qPrintable(shown.first().body));
            QVERIFY(shown.first().body.contains(u"Critical: host1.test:443"_s));
        }
    }

    void digestCountsRenewalsSeparately() {
        QList<AlertEvent> events = crossings(4, 1);
        events[3].kind = AlertEventKind::Renewed;
        events[3].level = AlertLevel::Ok;
        const Notification n = digestFor(events);
        QVERIFY2(n.body.startsWith(u"1 critical, 2 warning, 1 renewed"_s), qPrintable(n.body));
        QCOMPARE(n.level, AlertLevel::Critical);
        QVERIFY(!n.renewed);
    }

    // Issue 14: a digest of DNS failures and hosts that are down says outage, counts them by
    // what failed, and never calls them certificates crossing thresholds.
    void digestOfOutagesSaysOutage() {
        const QList<AlertEvent> events =
            outages({Status::Unreachable, Status::Unreachable, Status::Unreachable, Status::Timeout,
                     Status::HandshakeFailed},
                    true, 0);
        QCOMPARE(events.size(), 5);
        const QList<Notification> shown = notificationsFor(events);
        QCOMPARE(shown.size(), 1);
        const Notification &n = shown.first();
        QVERIFY(n.digest);
        QVERIFY(n.outage);
        QCOMPARE(n.title, u"Outage: 5 down"_s);
        QVERIFY2(
            n.body.startsWith(u"3 not resolved (DNS), 1 timed out, 1 TLS handshake failed\n"_s),
            qPrintable(n.body));
        QVERIFY2(n.body.contains(u"Not resolved (DNS): host1.test:443"_s), qPrintable(n.body));
        QVERIFY2(n.body.contains(u"Timed out: host4.test:443"_s), qPrintable(n.body));
        QVERIFY2(n.body.contains(u"Handshake failed: host5.test:443"_s), qPrintable(n.body));
        QVERIFY2(!n.body.contains(u"critical"_s, Qt::CaseInsensitive), qPrintable(n.body));
        QCOMPARE(n.level, AlertLevel::Critical); // still as urgent
    }

    // Outages and certificate crossings in one scan: both named, each counted as what it is.
    void digestOfOutagesAndCrossings() {
        const QList<AlertEvent> events = outages({Status::Unreachable, Status::Timeout}, false, 3);
        const Notification n = digestFor(events);
        QVERIFY(!n.outage);
        QCOMPARE(n.title, u"Outage: 2 down; 3 certificates crossed thresholds"_s);
        QVERIFY2(n.body.startsWith(u"1 unreachable, 1 timed out, 1 critical, 2 warning\n"_s),
                 qPrintable(n.body));
        QVERIFY2(n.body.contains(u"Unreachable: host1.test:443"_s), qPrintable(n.body));
        QVERIFY2(n.body.contains(u"Critical: host100.test:443"_s), qPrintable(n.body));
    }

    void mutedEventsAreNotShown() {
        QList<AlertEvent> events = crossings(5, 0);
        for (int i = 0; i < 3; ++i)
            events[i].notify = false;
        const QList<Notification> shown = notificationsFor(events);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown.at(0).targetId, 4);
        QCOMPARE(shown.at(1).targetId, 5);
    }

    void crossingText() {
        ProbeResult r = probeResult(7, Status::Critical, u"A"_s, 5);
        r.target.host = u"api.example.com"_s;
        r.address = u"127.0.0.9"_s;
        r.limitingRole = u"intermediate"_s;
        r.limiting->subjectCommonName = u"Example Issuing CA"_s;
        AlertTracker tracker;
        const QList<AlertEvent> events = tracker.process({r}, pinnedNow()).events;
        const Notification n = notificationFor(events.first());
        QCOMPARE(n.title, u"Critical: api.example.com:443"_s);
        QCOMPARE(n.targetId, 7);
        QCOMPARE(n.address, u"127.0.0.9"_s);
        QVERIFY(!n.renewed && !n.digest);
        QVERIFY2(
            n.body.contains(u"5 days left, expires %1."_s.arg(localExpiry(r.limiting->notAfter))),
            qPrintable(n.body));
        QVERIFY2(n.body.contains(u"intermediate certificate \u201cExample Issuing CA\u201d"_s),
                 qPrintable(n.body));
        QVERIFY2(n.body.contains(u"address 127.0.0.9"_s), qPrintable(n.body));
    }

    void pluralsAndExpired_data() {
        QTest::addColumn<int>("daysLeft");
        QTest::addColumn<Status>("status");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one day") << 1 << Status::Critical << u"1 day left"_s;
        QTest::newRow("two days") << 2 << Status::Critical << u"2 days left"_s;
        // probeResult() puts notAfter an hour after the days left, as days_left's floor has it:
        // -1 expired 23 hours ago, -2 47 hours ago (1 whole day), -3 71 hours ago (2 days).
        QTest::newRow("expired 23 hours ago") << -1 << Status::Expired << u"Expired 23 hour"_s;
        QTest::newRow("expired a day ago") << -2 << Status::Expired << u"Expired 1 day ago"_s;
        QTest::newRow("expired 2 days ago") << -3 << Status::Expired << u"Expired 2 days ago"_s;
    }
    void pluralsAndExpired() {
        QFETCH(int, daysLeft);
        QFETCH(Status, status);
        QFETCH(QString, expected);
        AlertTracker tracker;
        const auto events =
            tracker.process({probeResult(1, status, u"A"_s, daysLeft)}, pinnedNow()).events;
        const Notification n = notificationFor(events.first());
        QVERIFY2(n.body.contains(expected), qPrintable(n.body));
        QVERIFY2(n.body.contains(u"leaf"_s), qPrintable(n.body));
    }

    // A certificate that expired 24.5 hours before the scan: days_left is -2 (the report's
    // floor), but the notification (and the banner that shows it) says what a person would.
    void expiredInWholeDays_data() {
        QTest::addColumn<double>("hoursAgo");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("wrong");
        QTest::newRow("24.5 h") << 24.5 << u"Expired 1 day ago, on "_s << u"2 days"_s;
        QTest::newRow("48.1 h") << 48.1 << u"Expired 2 days ago, on "_s << u"3 days"_s;
        QTest::newRow("30 min") << 0.5 << u"Expired less than an hour ago, on "_s << u"day"_s;
    }
    void expiredInWholeDays() {
        QFETCH(double, hoursAgo);
        QFETCH(QString, expected);
        QFETCH(QString, wrong);
        AlertEvent e;
        e.level = AlertLevel::Expired;
        e.status = Status::Expired;
        e.targetId = 1;
        e.targetLabel = e.endpoint = u"host1.test:443"_s;
        e.host = u"host1.test"_s;
        e.time = pinnedNow();
        e.notAfter = pinnedNow().addMSecs(-qint64(hoursAgo * 3600 * 1000));
        e.daysLeft = daysLeft(e.notAfter, e.time);
        e.limitingRole = u"leaf"_s;
        const Notification n = notificationFor(e);
        QVERIFY2(n.body.contains(expected + localExpiry(e.notAfter)), qPrintable(n.body));
        QVERIFY2(!n.body.contains(wrong), qPrintable(n.body));
    }

    void failureText() {
        AlertTracker tracker;
        ProbeResult r = probeResult(3, Status::Unreachable);
        r.probedAt = pinnedNow().addSecs(-600);
        tracker.process({r}, pinnedNow().addSecs(-600));
        r.probedAt = pinnedNow();
        const auto events = tracker.process({r}, pinnedNow()).events;
        const Notification n = notificationFor(events.first());
        QCOMPARE(n.title, u"Critical: host3.test:443"_s);
        QVERIFY2(
            n.body.contains(u"Unreachable since %1"_s.arg(localExpiry(pinnedNow().addSecs(-600)))),
            qPrintable(n.body));
        QVERIFY(n.body.contains(u"connection refused"_s));
    }

    void renewedText() {
        AlertTracker tracker;
        tracker.process({probeResult(1, Status::Critical, u"A"_s, 3)}, pinnedNow());
        const auto events =
            tracker.process({probeResult(1, Status::Ok, u"B"_s, 90)}, pinnedNow()).events;
        const Notification n = notificationFor(events.first());
        QVERIFY(n.renewed);
        QCOMPARE(n.level, AlertLevel::Ok);
        QCOMPARE(n.title, u"Renewed: host1.test:443"_s);
        QVERIFY2(n.body.contains(u"90 days left"_s), qPrintable(n.body));
    }
};

QTEST_GUILESS_MAIN(TestAlertNotification)
#include "tst_alertnotification.moc"
