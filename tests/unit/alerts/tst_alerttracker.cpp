// The tracker's rules: when a probe result is news for the user, and when it is not.
#include "AlertFixtures.h"
#include "alerts/AlertTracker.h"
#include "domain/Clock.h"

#include <QTest>

#include <algorithm>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::AlertLevel)
Q_DECLARE_METATYPE(certdash::Status)

namespace {
enum class Expect { Nothing, Crossing, Renewed };

AlertState stateAt(AlertLevel level, const QString &cert = u"A"_s) {
    AlertState s;
    s.targetId = 1;
    s.address = u"127.0.0.1"_s;
    s.level = level;
    s.notifiedLevel = level;
    s.fingerprint = fingerprintFor(cert);
    return s;
}

// Runs one scan of one result through the tracker and returns the events.
QList<AlertEvent> scan(AlertTracker &tracker, const ProbeResult &result, const QDateTime &now) {
    return tracker.process({result}, now).events;
}
} // namespace

Q_DECLARE_METATYPE(Expect)

class TestAlertTracker : public QObject {
    Q_OBJECT

private slots:
    // Every pair of levels, with the same certificate and with a new one.
    void levelPairs_data() {
        QTest::addColumn<AlertLevel>("from");
        QTest::addColumn<AlertLevel>("to");
        QTest::addColumn<bool>("newCertificate");
        QTest::addColumn<Expect>("expected");
        for (const AlertLevel from : allLevels()) {
            for (const AlertLevel to : allLevels()) {
                for (const bool newCert : {false, true}) {
                    // The rules of issue 6: worse is a crossing; better with a new certificate
                    // is a renewal; anything else is silent.
                    Expect e = Expect::Nothing;
                    if (isWorse(to, from))
                        e = Expect::Crossing;
                    else if (newCert && isWorse(from, to))
                        e = Expect::Renewed;
                    QTest::addRow("%s->%s%s", qPrintable(alertLevelKey(from)),
                                  qPrintable(alertLevelKey(to)), newCert ? " new cert" : "")
                        << from << to << newCert << e;
                }
            }
        }
    }
    void levelPairs() {
        QFETCH(AlertLevel, from);
        QFETCH(AlertLevel, to);
        QFETCH(bool, newCertificate);
        QFETCH(Expect, expected);

        const ProbeResult r = probeResult(1, statusFor(to), newCertificate ? u"B"_s : u"A"_s, 12);
        const AlertStep step = alertStep(stateAt(from), r, pinnedNow(), false);
        QCOMPARE(step.state.level, to);
        if (expected == Expect::Nothing) {
            QVERIFY(!step.event);
        } else {
            QVERIFY(step.event);
            QCOMPARE(step.event->kind, expected == Expect::Crossing ? AlertEventKind::Crossing
                                                                    : AlertEventKind::Renewed);
            QCOMPARE(step.event->level, to);
            QCOMPARE(step.event->previous, from);
            QVERIFY(step.event->notify);
            QCOMPARE(step.event->daysLeft, std::optional<int>(12));
            QCOMPARE(step.event->fingerprint, r.limiting->sha256Fingerprint);
        }
        QCOMPARE(step.state.fingerprint, r.limiting->sha256Fingerprint);

        // Never the same level twice: the next identical scan says nothing.
        const AlertStep again = alertStep(step.state, r, pinnedNow().addSecs(600), false);
        QVERIFY(!again.event);
        QCOMPARE(again.state.level, to);
    }

    void notYetValidIsCritical() {
        const AlertStep step = alertStep(stateAt(AlertLevel::Warning),
                                         probeResult(1, Status::NotYetValid), pinnedNow(), false);
        QVERIFY(step.event);
        QCOMPARE(step.event->level, AlertLevel::Critical);
        QCOMPARE(step.event->status, Status::NotYetValid);
    }

    void firstSightingOfAHealthyEndpointIsQuiet() {
        AlertTracker tracker;
        QVERIFY(scan(tracker, probeResult(1, Status::Ok), pinnedNow()).isEmpty());
        const auto events = scan(tracker, probeResult(1, Status::Warning), pinnedNow());
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().previous, AlertLevel::Ok);
    }

    // Flapping, decided: an improvement without a new certificate (thresholds edited, a tag
    // policy changed) lowers the level silently; worsening again is announced again.
    void flappingWithoutRenewalAnnouncesEachWorsening() {
        AlertTracker tracker;
        QList<int> eventsPerScan;
        QList<AlertEventKind> kinds;
        const QList<Status> statuses{Status::Warning, Status::Ok, Status::Warning, Status::Ok,
                                     Status::Warning};
        QDateTime now = pinnedNow();
        for (const Status s : statuses) {
            const auto events = scan(tracker, probeResult(1, s), now);
            eventsPerScan << int(events.size());
            for (const AlertEvent &e : events)
                kinds << e.kind;
            now = now.addSecs(3600);
        }
        QCOMPARE(eventsPerScan, (QList<int>{1, 0, 1, 0, 1}));
        QVERIFY(!kinds.contains(AlertEventKind::Renewed)); // same certificate: no "renewed"
        QCOMPARE(tracker.state(1, u"127.0.0.1"_s)->level, AlertLevel::Warning);
    }

    void failures_data() {
        QTest::addColumn<int>("threshold");
        QTest::addColumn<int>("failures");
        QTest::addColumn<bool>("announced");
        QTest::newRow("one blip, default count") << 2 << 1 << false;
        QTest::newRow("two in a row, default count") << 2 << 2 << true;
        QTest::newRow("five in a row, default count") << 2 << 5 << true;
        QTest::newRow("two of three") << 3 << 2 << false;
        QTest::newRow("three of three") << 3 << 3 << true;
        QTest::newRow("count of one") << 1 << 1 << true;
    }
    void failures() {
        QFETCH(int, threshold);
        QFETCH(int, failures);
        QFETCH(bool, announced);
        AlertTracker tracker(AlertTrackerOptions{threshold});
        QDateTime now = pinnedNow();
        QVERIFY(scan(tracker, probeResult(1, Status::Warning), now).size() == 1);
        QList<AlertEvent> events;
        QDateTime firstFailure;
        for (int i = 0; i < failures; ++i) {
            now = now.addSecs(600);
            ProbeResult r = probeResult(1, Status::Timeout);
            r.probedAt = now;
            if (i == 0)
                firstFailure = now;
            events += scan(tracker, r, now);
        }
        QCOMPARE(events.size(), announced ? 1 : 0); // at the count, once, never again
        if (announced) {
            const AlertEvent &e = events.first();
            QCOMPARE(e.level, AlertLevel::Critical);
            QVERIFY(e.failure);
            QCOMPARE(e.status, Status::Timeout);
            QCOMPARE(e.failingSince, firstFailure);
            QCOMPARE(e.error, u"connection refused"_s);
        }
        // Back with the same certificate: lowered silently.
        QVERIFY(scan(tracker, probeResult(1, Status::Warning), now.addSecs(600)).isEmpty());
        QCOMPARE(tracker.state(1, u"127.0.0.1"_s)->failures, 0);
    }

    // A success between failures restarts the count: fail, ok, fail is never an alert.
    void successResetsTheFailureCount() {
        AlertTracker tracker;
        QDateTime now = pinnedNow();
        int events = 0;
        for (const Status s : {Status::Unreachable, Status::Ok, Status::Unreachable, Status::Ok,
                               Status::HandshakeFailed}) {
            events += int(scan(tracker, probeResult(1, s), now).size());
            now = now.addSecs(600);
        }
        QCOMPARE(events, 0);
    }

    // Unreachable never makes an expired certificate look better.
    void failureOfAnExpiredEndpointStaysExpired() {
        AlertTracker tracker;
        QCOMPARE(scan(tracker, probeResult(1, Status::Expired, u"A"_s, -3), pinnedNow()).size(), 1);
        for (int i = 1; i <= 3; ++i)
            QVERIFY(scan(tracker, probeResult(1, Status::Unreachable), pinnedNow().addSecs(i))
                        .isEmpty());
        QCOMPARE(tracker.state(1, u"127.0.0.1"_s)->level, AlertLevel::Expired);
        QVERIFY(scan(tracker, probeResult(1, Status::Expired, u"A"_s, -3), pinnedNow().addSecs(9))
                    .isEmpty());
    }

    void renewalAfterAnOutageIsAnnounced() {
        AlertTracker tracker;
        QDateTime now = pinnedNow();
        scan(tracker, probeResult(1, Status::Critical, u"A"_s, 3), now);
        scan(tracker, probeResult(1, Status::Unreachable), now.addSecs(60));
        scan(tracker, probeResult(1, Status::Unreachable), now.addSecs(120));
        const auto events = scan(tracker, probeResult(1, Status::Ok, u"B"_s, 89), now.addSecs(180));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, AlertEventKind::Renewed);
        QCOMPARE(events.first().previous, AlertLevel::Critical);
        QCOMPARE(events.first().level, AlertLevel::Ok);
        QCOMPARE(events.first().daysLeft, std::optional<int>(89));
    }

    // A name that does not resolve is tracked under the address ""; once it resolves, that
    // streak is forgotten so that the next DNS failure counts from one again.
    void dnsFailureStreakEndsWhenTheNameResolves() {
        AlertTracker tracker;
        QDateTime now = pinnedNow();
        const ProbeResult dns = probeResult(1, Status::Unreachable, {}, 0, QString());
        QVERIFY(scan(tracker, dns, now).isEmpty());
        QCOMPARE(scan(tracker, dns, now.addSecs(60)).size(), 1);
        const auto outcome = tracker.process({probeResult(1, Status::Ok)}, now.addSecs(120));
        QCOMPARE(outcome.removed.size(), 1);
        QCOMPARE(outcome.removed.first().address, QString());
        QVERIFY(!tracker.state(1, QString()));
        QVERIFY(scan(tracker, dns, now.addSecs(180)).isEmpty()); // one blip again
    }

    // A backend taken out of DNS keeps no alert level alive: its state goes with the round that
    // leaves it out, and should the address come back expired, that is news again. A DNS
    // failure, or a result that does not know its round, forgets nothing.
    void addressLeftOutOfTheRoundIsForgotten() {
        AlertTracker tracker;
        QDateTime now = pinnedNow();
        const QString a = u"192.0.2.1"_s, b = u"192.0.2.2"_s;
        const auto inRound = [](ProbeResult r, const QStringList &round) {
            r.roundAddresses = round;
            return r;
        };
        const ProbeResult healthy = inRound(probeResult(1, Status::Ok, u"A"_s, 80, a), {a, b});
        const ProbeResult expired = inRound(probeResult(1, Status::Expired, u"X"_s, -3, b), {a, b});
        auto outcome = tracker.process({healthy, expired}, now);
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events.first().level, AlertLevel::Expired);

        QVERIFY(tracker.process({probeResult(1, Status::Ok, u"A"_s, 80, a)}, now.addSecs(30))
                    .removed.isEmpty());
        ProbeResult dns = probeResult(1, Status::Unreachable, {}, 0, QString());
        dns.roundAddresses = {QString()};
        QVERIFY(tracker.process({dns}, now.addSecs(60)).removed.isEmpty());
        QVERIFY(tracker.state(1, b));

        outcome = tracker.process({inRound(healthy, {a})}, now.addSecs(120));
        QCOMPARE(outcome.removed.size(), 2); // b, and the DNS failure streak
        QVERIFY(std::any_of(outcome.removed.cbegin(), outcome.removed.cend(),
                            [&](const AlertState &s) { return s.address == b; }));
        QVERIFY(!tracker.state(1, b));
        QVERIFY(tracker.state(1, a));

        outcome = tracker.process({inRound(healthy, {a, b}), expired}, now.addSecs(180));
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events.first().address, b);
        QCOMPARE(outcome.events.first().level, AlertLevel::Expired);
        QVERIFY(outcome.events.first().notify);
    }

    // A fleet row of a stored target (keyed at its own "fleet ..." address) crosses edge-
    // triggered like an own probe; the target's own rounds do not forget it (the fleet, not DNS,
    // says which instances exist: forgetting would announce the same crossing again at the next
    // read), and it does not end the own probe's DNS-failure streak.
    void fleetRowsKeepTheirOwnStateBesideOwnProbes() {
        AlertTracker tracker;
        const QDateTime now = pinnedNow();
        const QString fleet = fleetAlertAddress(u"prom.test:9090"_s, u"127.0.0.1:443"_s);
        QVERIFY(isFleetAlertAddress(fleet));
        QVERIFY(!isFleetAlertAddress(u"127.0.0.1"_s));
        ProbeResult dns = probeResult(1, Status::Unreachable, {}, 0, QString());
        dns.roundAddresses = {QString()};
        tracker.process({dns}, now);
        auto outcome = tracker.process({probeResult(1, Status::Critical, u"A"_s, 3, fleet)},
                                       now.addSecs(10));
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events.first().address, fleet);
        QCOMPARE(outcome.events.first().level, AlertLevel::Critical);
        QVERIFY(outcome.removed.isEmpty()); // the DNS streak goes on
        QVERIFY(tracker.state(1, QString()));

        ProbeResult own = probeResult(1, Status::Ok, u"B"_s, 80, u"192.0.2.1"_s);
        own.roundAddresses = {u"192.0.2.1"_s};
        outcome = tracker.process({own}, now.addSecs(20));
        QVERIFY(std::none_of(outcome.removed.cbegin(), outcome.removed.cend(),
                             [&](const AlertState &s) { return s.address == fleet; }));
        QVERIFY(tracker.state(1, fleet));
        // The same level read again from the fleet is not announced twice.
        QVERIFY(tracker.process({probeResult(1, Status::Critical, u"A"_s, 3, fleet)},
                                now.addSecs(30))
                    .events.isEmpty());
    }

    void resultsWithoutAStoredTargetAreIgnored() {
        AlertTracker tracker;
        const auto outcome = tracker.process({probeResult(0, Status::Expired)}, pinnedNow());
        QVERIFY(outcome.events.isEmpty());
        QVERIFY(outcome.changed.isEmpty());
    }

    // Snoozes: crossings during one are tracked (and logged) but not shown; what was hidden is
    // shown once as a reminder when the snooze ends; after it, crossings notify again.
    void snoozeExpiry_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<qint64>("lengthSeconds");
        QTest::newRow("1 day") << int(SnoozeKind::OneDay) << qint64(24 * 3600);
        QTest::newRow("1 week") << int(SnoozeKind::OneWeek) << qint64(7 * 24 * 3600);
    }
    void snoozeExpiry() {
        QFETCH(int, kind);
        QFETCH(qint64, lengthSeconds);
        FixedClock clock(pinnedNow());
        AlertTracker tracker;
        scan(tracker, probeResult(1, Status::Warning), clock.now());
        tracker.setSnooze(AlertSnooze::make(1, SnoozeKind(kind), clock.now()));

        clock.advance(3600);
        auto events = scan(tracker, probeResult(1, Status::Critical, u"A"_s, 5), clock.now());
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, AlertEventKind::Crossing);
        QVERIFY(!events.first().notify);
        QVERIFY(events.first().logged());

        clock.set(pinnedNow().addSecs(lengthSeconds - 1));
        QVERIFY(tracker.isMuted(1, clock.now()));
        QVERIFY(scan(tracker, probeResult(1, Status::Critical, u"A"_s, 5), clock.now()).isEmpty());

        clock.set(pinnedNow().addSecs(lengthSeconds));
        QVERIFY(!tracker.isMuted(1, clock.now()));
        const auto outcome =
            tracker.process({probeResult(1, Status::Critical, u"A"_s, 5)}, clock.now());
        QCOMPARE(outcome.snoozesEnded, QList<qint64>{1});
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events.first().kind, AlertEventKind::Reminder);
        QVERIFY(outcome.events.first().notify);
        QVERIFY(!outcome.events.first().logged()); // the log saw the crossing already

        clock.advance(3600);
        QVERIFY(scan(tracker, probeResult(1, Status::Critical, u"A"_s, 5), clock.now()).isEmpty());
        events = scan(tracker, probeResult(1, Status::Expired, u"A"_s, -1), clock.now());
        QCOMPARE(events.size(), 1);
        QVERIFY(events.first().notify);
    }

    // A snooze that ends with nothing hidden owes the user nothing.
    void snoozeWithoutCrossingsEndsQuietly() {
        AlertTracker tracker;
        scan(tracker, probeResult(1, Status::Warning), pinnedNow());
        tracker.setSnooze(AlertSnooze::make(1, SnoozeKind::OneDay, pinnedNow()));
        QVERIFY(scan(tracker, probeResult(1, Status::Warning), pinnedNow().addDays(2)).isEmpty());
    }

    void snoozeUntilRenewed() {
        AlertTracker tracker;
        QDateTime now = pinnedNow();
        scan(tracker, probeResult(1, Status::Warning, u"A"_s, 20), now);
        tracker.setSnooze(AlertSnooze::make(1, SnoozeKind::UntilRenewed, now));
        // Weeks later it is still muted, whatever happens to the old certificate.
        now = now.addDays(30);
        auto events = scan(tracker, probeResult(1, Status::Expired, u"A"_s, -10), now);
        QCOMPARE(events.size(), 1);
        QVERIFY(!events.first().notify);
        QVERIFY(tracker.isMuted(1, now));

        const auto outcome =
            tracker.process({probeResult(1, Status::Ok, u"B"_s, 90)}, now.addSecs(60));
        QCOMPARE(outcome.events.size(), 1);
        QCOMPARE(outcome.events.first().kind, AlertEventKind::Renewed);
        QVERIFY(outcome.events.first().notify);
        QCOMPARE(outcome.snoozesEnded, QList<qint64>{1});
        QVERIFY(!tracker.isMuted(1, now.addSecs(60)));
    }

    // The tray's global pause works like a snooze of everything.
    void pauseHidesThenReminds() {
        AlertTracker tracker;
        const QDateTime pausedUntil = pinnedNow().addSecs(3600);
        auto outcome = tracker.process(
            {probeResult(1, Status::Warning), probeResult(2, Status::Critical, u"A"_s, 3)},
            pinnedNow(), pausedUntil);
        QCOMPARE(outcome.events.size(), 2);
        for (const AlertEvent &e : outcome.events)
            QVERIFY(!e.notify);
        outcome = tracker.process(
            {probeResult(1, Status::Warning), probeResult(2, Status::Critical, u"A"_s, 3)},
            pausedUntil, pausedUntil);
        QCOMPARE(outcome.events.size(), 2);
        for (const AlertEvent &e : outcome.events) {
            QCOMPARE(e.kind, AlertEventKind::Reminder);
            QVERIFY(e.notify);
        }
    }

    // Only what changed is written back: a steady estate costs the store nothing per scan.
    void unchangedStatesAreNotWrittenBack() {
        AlertTracker tracker;
        QCOMPARE(tracker.process({probeResult(1, Status::Ok)}, pinnedNow()).changed.size(), 1);
        QVERIFY(tracker.process({probeResult(1, Status::Ok)}, pinnedNow().addSecs(60))
                    .changed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAlertTracker)
#include "tst_alerttracker.moc"
