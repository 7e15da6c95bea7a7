#pragma once

#include "AlertEvent.h"
#include "AlertState.h"
#include "domain/ProbeResult.h"

#include <QHash>
#include <QList>

#include <optional>

namespace certdash {

struct AlertTrackerOptions {
    // Probe failures (unreachable, timeout, handshake_failed) count as Critical only after this
    // many in a row: one blip is no alert.
    int failureThreshold = 2;
};

// Fleet rows (read from a Prometheus) are tracked under the stored target they match by endpoint
// key, at an address of their own: "fleet <prometheus host:port> <instance>". So a fleet row
// crosses thresholds edge-triggered like an own probe, shares the target's snooze, and never
// shares (or flaps) the level of CertDash's own probe of the same address. Own rounds never
// remove these states (the fleet, not DNS, says which instances exist), and fleet rows never
// end an own probe's DNS-failure streak.
QString fleetAlertAddress(const QString &prometheus, const QString &instance);
bool isFleetAlertAddress(const QString &address);

// One probe result against one address's state: the new state and at most one event. Pure.
// `muted` says the target is snoozed or notifications are paused (the event is still produced,
// with notify = false, when it is a crossing or a renewal).
struct AlertStep {
    AlertState state;
    std::optional<AlertEvent> event;
    // Trust is tracked beside the expiry level: a crossing into failed (notified unless muted),
    // into weak (logged only), or out of them (notified when it leaves failed).
    std::optional<AlertEvent> trustEvent;
};
AlertStep alertStep(const AlertState &before, const ProbeResult &result, const QDateTime &now,
                    bool muted, const AlertTrackerOptions &options = {});

// Edge-triggered level crossings over whole scans, with the state of every target address in
// memory. Rules (see alertStep):
// - a level worse than the last one crossed is a Crossing (notified unless muted);
// - a new limiting certificate with a better level is Renewed (notified unless muted; it ends an
//   "until renewed" snooze first, so the user hears about the renewal they waited for);
// - the same level is never announced twice; a level that improves without a new certificate is
//   lowered silently, so a later worsening is announced again (flapping thresholds notify on
//   every worsening; failures are damped by the consecutive-failure count);
// - crossings hidden by a snooze or a pause are shown once as a Reminder when it ends.
// Results without a stored target (target.id == 0) are ignored.
class AlertTracker {
public:
    explicit AlertTracker(AlertTrackerOptions options = {});

    void setOptions(const AlertTrackerOptions &options) { m_options = options; }
    const AlertTrackerOptions &options() const { return m_options; }

    // Replaces everything remembered (from the store, at start).
    void load(const QList<AlertState> &states, const QList<AlertSnooze> &snoozes);

    struct ScanOutcome {
        QList<AlertEvent> events;   // in the order of the results
        QList<AlertState> changed;  // states to write back
        QList<AlertState> removed;  // states to delete (a target's "" row once it resolves,
                                    // addresses its newest resolved round left out)
        QList<qint64> snoozesEnded; // "until renewed" snoozes ended by a renewal, expired ones
    };
    // Applies one scan's results. pausedUntil: a global pause of notifications (the tray's).
    ScanOutcome process(const QList<ProbeResult> &results, const QDateTime &now,
                        const QDateTime &pausedUntil = {});

    std::optional<AlertState> state(qint64 targetId, const QString &address) const;
    QList<AlertState> states() const;

    void setSnooze(const AlertSnooze &snooze);
    void clearSnooze(qint64 targetId);
    std::optional<AlertSnooze> snooze(qint64 targetId) const;
    bool isMuted(qint64 targetId, const QDateTime &now) const;

private:
    using Key = QPair<qint64, QString>;
    AlertTrackerOptions m_options;
    QHash<Key, AlertState> m_states;
    QHash<qint64, AlertSnooze> m_snoozes;
};

} // namespace certdash
