#pragma once

#include "AlertEvent.h"
#include "AlertState.h"
#include "AlertTracker.h"
#include "EventLog.h"
#include "Notification.h"
#include "domain/Clock.h"
#include "domain/ProbeResult.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace certdash {

class Database;

// Where notifications go besides the notificationsReady signal: the CLI's --notify hands them to
// DesktopNotifier through this; the GUI can use the signal instead.
using NotificationSink = std::function<void(const QList<Notification> &)>;

struct AlertServiceOptions {
    int failureThreshold = 2; // Settings::Values::alertFailureCount
    QString eventLogPath;     // "" = no event log
    int digestThreshold = 3;  // more crossings than this in one scan become one digest
};

// The alert core as a service: owns the tracker, its state in the store and the event log.
// Call processScan() after each scan's results are stored (GUI: on ScanController::finished with
// that scan's results; CLI: ScanCommand). Lives on the thread that owns the Database.
class AlertService : public QObject {
    Q_OBJECT

public:
    AlertService(Database &database, std::shared_ptr<const Clock> clock,
                 AlertServiceOptions options = {}, QObject *parent = nullptr);
    ~AlertService() override;

    // Reads the remembered state from the store. False (with a message) when it cannot be read;
    // the service then starts from nothing rather than refusing to work.
    bool load(QString *error = nullptr);

    void setOptions(const AlertServiceOptions &options);
    const AlertServiceOptions &options() const { return m_options; }

    // Runs the tracker over one scan's results, writes the state back (one transaction), appends
    // the crossings to the event log, and hands the notifications to the sink and to
    // notificationsReady (once, and only when there are any). Returns them as well.
    // Failures to write the state or the log are reported through problem() and never stop it.
    QList<Notification> processScan(const QList<ProbeResult> &results);
    // One scan fed in parts (a fleet read of 10,000 rows, so that the UI thread never holds
    // still for all of it at once): each part is tracked, its state written and its crossings
    // logged at once; the notifications of every part go out together at finishParts(), as
    // processScan() would give them for the whole (one digest, not one per part).
    void processPart(const QList<ProbeResult> &results);
    QList<Notification> finishParts();

    // The events of the last processScan(), for callers that want more than notifications.
    const QList<AlertEvent> &lastEvents() const { return m_lastEvents; }

    void setNotificationSink(NotificationSink sink) { m_sink = std::move(sink); }

    // Acknowledge/snooze per target: 1 day, 1 week, or until a new certificate is seen.
    bool snooze(qint64 targetId, SnoozeKind kind, QString *error = nullptr);
    bool clearSnooze(qint64 targetId, QString *error = nullptr);
    std::optional<AlertSnooze> snoozeFor(qint64 targetId) const;

    // Pause every notification until `until` (the tray's "Pause notifications"); crossings are
    // still tracked and logged and shown once as reminders after the pause. Null ends a pause.
    void pauseUntil(const QDateTime &until) { m_pausedUntil = until.toUTC(); }
    QDateTime pausedUntil() const { return m_pausedUntil; }

    const AlertTracker &tracker() const { return m_tracker; }

signals:
    void notificationsReady(const QList<certdash::Notification> &notifications);
    // A non-fatal problem: the event log or the state could not be written.
    void problem(const QString &message);
    void snoozeChanged(qint64 targetId);

private:
    Database &m_database;
    std::shared_ptr<const Clock> m_clock;
    AlertServiceOptions m_options;
    AlertTracker m_tracker;
    QList<AlertEvent> m_lastEvents;
    QList<AlertEvent> m_partEvents; // of the parts fed since the last finishParts()
    NotificationSink m_sink;
    QDateTime m_pausedUntil;

    // Tracks results, writes the state and the event log; the events they made.
    QList<AlertEvent> track(const QList<ProbeResult> &results);
    QList<Notification> notify(const QList<AlertEvent> &events);
};

} // namespace certdash
