// Trust as an alert dimension: a wrong certificate on a host is announced once, stays quiet
// while it stays wrong, and its recovery is said once; weak only goes to the event log.
#include "AlertFixtures.h"
#include "alerts/AlertTracker.h"
#include "alerts/EventLog.h"
#include "alerts/Notification.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// An ok certificate (20 days) whose trust is `level` because of `kinds`.
ProbeResult withTrust(TrustLevel level, const QList<FindingKind> &kinds = {},
                      const QString &cert = u"A"_s) {
    ProbeResult r = probeResult(1, Status::Ok, cert, 60);
    r.target.host = u"api.example.com"_s;
    r.address = u"10.0.0.1"_s;
    for (const FindingKind kind : kinds)
        r.trust.add(kind, findingKindKey(kind).replace(u'_', u' ') + u": details"_s);
    r.trustVerdict.level = level;
    return r;
}

ProbeResult mismatch(const QString &cert = u"A"_s) {
    return withTrust(TrustLevel::Failed, {FindingKind::HostnameMismatch}, cert);
}

QList<AlertEvent> trustEvents(const AlertTracker::ScanOutcome &outcome) {
    QList<AlertEvent> out;
    for (const AlertEvent &e : outcome.events) {
        if (e.isTrust())
            out << e;
    }
    return out;
}
} // namespace

class TestAlertTrust : public QObject {
    Q_OBJECT

private slots:
    void failureIsAnnouncedOnceAndRecoveryOnce() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        QVERIFY(trustEvents(tracker.process({withTrust(TrustLevel::Trusted)}, now)).isEmpty());

        QList<AlertEvent> events = trustEvents(tracker.process({mismatch()}, now.addSecs(60)));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustFailed);
        QVERIFY(events[0].notify);
        QCOMPARE(events[0].trustReason, u"hostname mismatch"_s);

        const Notification n = notificationFor(events[0]);
        QCOMPARE(n.title, u"Not trusted: api.example.com:443"_s);
        QVERIFY2(
            n.body.startsWith(
                u"api.example.com:443 (10.0.0.1): certificate not trusted: hostname mismatch"_s),
            qPrintable(n.body));
        QCOMPARE(n.level, AlertLevel::Critical);

        // Still failing: quiet, scan after scan.
        for (int i = 2; i < 5; ++i)
            QVERIFY(trustEvents(tracker.process({mismatch()}, now.addSecs(60 * i))).isEmpty());

        // Fixed by a renewal: said once.
        events = trustEvents(
            tracker.process({withTrust(TrustLevel::Trusted, {}, u"B"_s)}, now.addSecs(600)));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustRecovered);
        QVERIFY(events[0].notify);
        QCOMPARE(notificationFor(events[0]).title, u"Trusted again: api.example.com:443"_s);
        QVERIFY(trustEvents(
                    tracker.process({withTrust(TrustLevel::Trusted, {}, u"B"_s)}, now.addSecs(700)))
                    .isEmpty());
    }

    void acceptedCountsAsTrusted() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.process({withTrust(TrustLevel::Trusted)}, now);
        QVERIFY(trustEvents(
                    tracker.process({withTrust(TrustLevel::Accepted, {FindingKind::SelfSigned})},
                                    now.addSecs(60)))
                    .isEmpty());
        // Accepted, then the pin stops matching: an incident.
        const QList<AlertEvent> events = trustEvents(tracker.process(
            {withTrust(TrustLevel::Failed, {FindingKind::SelfSigned, FindingKind::PinMismatch},
                       u"C"_s)},
            now.addSecs(120)));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustFailed);
    }

    // An expired certificate is untrusted too, but the expiry alert already says so: one
    // notification, not "expired" and "not trusted: expired" for the same certificate. A real
    // trust failure beside the expiry still alerts on its own.
    void expiryAloneIsNotASecondTrustAlert() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.process({withTrust(TrustLevel::Trusted)}, now);
        ProbeResult expired = probeResult(1, Status::Expired, u"A"_s, -2);
        expired.target.host = u"api.example.com"_s;
        expired.address = u"10.0.0.1"_s;
        expired.trust.add(FindingKind::ExpiredInChain, u"expired: CN=api expired"_s);
        expired.trustVerdict.level = TrustLevel::Failed;
        const AlertTracker::ScanOutcome outcome = tracker.process({expired}, now.addSecs(60));
        QVERIFY(trustEvents(outcome).isEmpty());
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events[0].level, AlertLevel::Expired);

        ProbeResult wrongHostToo = expired;
        wrongHostToo.trust.add(FindingKind::HostnameMismatch, u"hostname mismatch: x"_s);
        const QList<AlertEvent> events =
            trustEvents(tracker.process({wrongHostToo}, now.addSecs(120)));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustFailed);
        QCOMPARE(events[0].trustReason, u"hostname mismatch"_s);
    }

    // A certificate its CA revoked alerts as a trust failure, with the reason and date in the
    // finding; "unknown" and an unanswered check only inform unless checks were asked for, and
    // then they are weak (logged, not notified).
    void revokedIsATrustFailure() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.process({withTrust(TrustLevel::Trusted)}, now);
        ProbeResult revoked = withTrust(TrustLevel::Trusted);
        revoked.trust.add(FindingKind::Revoked,
                          u"revoked: the stapled OCSP response says the certificate was revoked "
                          u"on 2026-03-12T12:00:00Z (key compromise)"_s);
        revoked.trustVerdict = trustVerdict(revoked.trust.kinds, revoked.target.acceptance);
        const auto outcome = tracker.process({revoked}, now.addSecs(60));
        const QList<AlertEvent> events = trustEvents(outcome);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustFailed);
        QVERIFY(events[0].notify);
        QCOMPARE(events[0].trustReason, u"revoked"_s);
        const Notification n = notificationFor(events[0]);
        QVERIFY2(n.body.contains(u"revoked"_s), qPrintable(n.body));
        QCOMPARE(n.level, AlertLevel::Critical);

        // Expired and revoked: the revocation is still a trust failure of its own.
        ProbeResult expired = revoked;
        expired.status = Status::Expired;
        expired.trust.add(FindingKind::ExpiredInChain, u"expired: CN=api expired"_s);
        QCOMPARE(trustBeyondExpiry(expired), TrustLevel::Failed);

        AlertTracker second;
        second.process({withTrust(TrustLevel::Trusted)}, now);
        ProbeResult unknown = withTrust(TrustLevel::Trusted, {FindingKind::OcspUnknown});
        unknown.trustVerdict = trustVerdict(unknown.trust.kinds, {});
        QVERIFY(trustEvents(second.process({unknown}, now.addSecs(60))).isEmpty());
        unknown.trust.revocationAsked = true;
        unknown.trustVerdict = trustVerdict(unknown.trust.kinds, {}, true);
        const QList<AlertEvent> weak = trustEvents(second.process({unknown}, now.addSecs(120)));
        QCOMPARE(weak.size(), 1);
        QCOMPARE(weak[0].kind, AlertEventKind::TrustWeak);
        QVERIFY(!weak[0].notify);
    }

    void weakIsLoggedNotNotified() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.process({withTrust(TrustLevel::Trusted)}, now);
        const auto outcome =
            tracker.process({withTrust(TrustLevel::Weak, {FindingKind::WeakKey})}, now.addSecs(60));
        const QList<AlertEvent> events = trustEvents(outcome);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, AlertEventKind::TrustWeak);
        QVERIFY(!events[0].notify);
        QVERIFY(events[0].logged());
        QVERIFY(notificationsFor(outcome.events).isEmpty());
        const QJsonObject line = QJsonDocument::fromJson(eventLogLine(events[0])).object();
        QCOMPARE(line.value(u"type"_s).toString(), u"certdash-trust-weak"_s);
        QCOMPARE(line.value(u"trust_level"_s).toString(), u"weak"_s);
    }

    void probeFailuresKeepTheTrustState() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.process({mismatch()}, now);
        ProbeResult down = probeResult(1, Status::Unreachable);
        down.address = u"10.0.0.1"_s;
        for (int i = 1; i < 4; ++i)
            QVERIFY(trustEvents(tracker.process({down}, now.addSecs(60 * i))).isEmpty());
        QCOMPARE(tracker.state(1, u"10.0.0.1"_s)->trustLevel, TrustLevel::Failed);
        QVERIFY(trustEvents(tracker.process({mismatch()}, now.addSecs(600))).isEmpty());
    }

    void restartRemembers() {
        AlertTracker first;
        const QDateTime now = pinnedNow();
        QCOMPARE(trustEvents(first.process({mismatch()}, now)).size(), 1);
        AlertTracker second; // a new process, the state read back from the store
        second.load(first.states(), {});
        QVERIFY(trustEvents(second.process({mismatch()}, now.addSecs(60))).isEmpty());
    }

    void snoozeMutes() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        tracker.setSnooze(AlertSnooze::make(1, SnoozeKind::OneDay, now));
        const auto outcome = tracker.process({mismatch()}, now.addSecs(60));
        const QList<AlertEvent> events = trustEvents(outcome);
        QCOMPARE(events.size(), 1);
        QVERIFY(!events[0].notify); // logged, shown to nobody
        QVERIFY(notificationsFor(outcome.events).isEmpty());
    }

    void eventLogTypes() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        const AlertEvent failed = trustEvents(tracker.process({mismatch()}, now)).value(0);
        QJsonObject o = QJsonDocument::fromJson(eventLogLine(failed)).object();
        QCOMPARE(o.value(u"type"_s).toString(), u"certdash-trust-failed"_s);
        QCOMPARE(o.value(u"previous_trust_level"_s).toString(), u"trusted"_s);
        QCOMPARE(o.value(u"trust_reason"_s).toString(), u"hostname mismatch"_s);
        QCOMPARE(o.value(u"address"_s).toString(), u"10.0.0.1"_s);
        const AlertEvent recovered =
            trustEvents(tracker.process({withTrust(TrustLevel::Trusted)}, now.addSecs(60)))
                .value(0);
        o = QJsonDocument::fromJson(eventLogLine(recovered)).object();
        QCOMPARE(o.value(u"type"_s).toString(), u"certdash-trust-recovered"_s);
    }

    // A deploy that breaks many hosts at once: one digest that counts the trust failures.
    void digestCountsTrustFailures() {
        AlertTracker tracker;
        QList<ProbeResult> results;
        for (int id = 1; id <= 5; ++id) {
            ProbeResult r = mismatch();
            r.target.id = id;
            r.target.host = u"host%1.test"_s.arg(id);
            results << r;
        }
        ProbeResult expired = probeResult(9, Status::Expired, u"E"_s, -1);
        results << expired;
        const QList<Notification> shown =
            notificationsFor(tracker.process(results, pinnedNow()).events);
        QCOMPARE(shown.size(), 1);
        QVERIFY(shown[0].digest);
        QVERIFY2(shown[0].body.startsWith(u"5 not trusted, 1 expired"_s),
                 qPrintable(shown[0].body));
        QVERIFY(shown[0].body.contains(u"Not trusted: host1.test:443"_s));
    }
};

QTEST_GUILESS_MAIN(TestAlertTrust)
#include "tst_alerttrust.moc"
