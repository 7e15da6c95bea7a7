#include "AlertService.h"

#include "alerts/AlertStateRepository.h"
#include "storage/Database.h"

#include <QLoggingCategory>

namespace certdash {

namespace {
Q_LOGGING_CATEGORY(lcAlerts, "certdash.alerts")
} // namespace

AlertService::AlertService(Database &database, std::shared_ptr<const Clock> clock,
                           AlertServiceOptions options, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_clock(std::move(clock))
    , m_options(options)
    , m_tracker(AlertTrackerOptions{options.failureThreshold}) {
    qRegisterMetaType<QList<certdash::Notification>>();
}

AlertService::~AlertService() = default;

bool AlertService::load(QString *error) {
    AlertStateRepository repository(m_database);
    QString message;
    const QList<AlertState> states = repository.states(&message);
    const QList<AlertSnooze> snoozes =
        message.isEmpty() ? repository.snoozes(&message) : QList<AlertSnooze>();
    if (!message.isEmpty()) {
        qCWarning(lcAlerts) << "alert state not loaded:" << message;
        if (error)
            *error = message;
        m_tracker.load({}, {});
        return false;
    }
    m_tracker.load(states, snoozes);
    return true;
}

void AlertService::setOptions(const AlertServiceOptions &options) {
    m_options = options;
    m_tracker.setOptions(AlertTrackerOptions{options.failureThreshold});
}

QList<Notification> AlertService::processScan(const QList<ProbeResult> &results) {
    m_lastEvents = track(results);
    return notify(m_lastEvents);
}

void AlertService::processPart(const QList<ProbeResult> &results) {
    m_partEvents += track(results);
}

QList<Notification> AlertService::finishParts() {
    m_lastEvents = std::exchange(m_partEvents, {});
    return notify(m_lastEvents);
}

QList<AlertEvent> AlertService::track(const QList<ProbeResult> &results) {
    const QDateTime now = m_clock->now();
    const AlertTracker::ScanOutcome outcome = m_tracker.process(results, now, m_pausedUntil);

    AlertStateRepository repository(m_database);
    QString error;
    if (!repository.save(outcome.changed, outcome.removed, &error)) {
        emit problem(
            tr("The alert state was not saved; crossings may be announced again: %1").arg(error));
    }
    for (const qint64 id : outcome.snoozesEnded) {
        if (!repository.clearSnooze(id, &error))
            emit problem(tr("A finished snooze was not cleared: %1").arg(error));
        else
            emit snoozeChanged(id);
    }

    if (!EventLog(m_options.eventLogPath).append(outcome.events, &error))
        emit problem(tr("The event log was not written: %1").arg(error));
    return outcome.events;
}

QList<Notification> AlertService::notify(const QList<AlertEvent> &events) {
    const QList<Notification> notifications = notificationsFor(events, m_options.digestThreshold);
    if (!notifications.isEmpty()) {
        if (m_sink)
            m_sink(notifications);
        emit notificationsReady(notifications);
    }
    return notifications;
}

bool AlertService::snooze(qint64 targetId, SnoozeKind kind, QString *error) {
    const AlertSnooze snooze = AlertSnooze::make(targetId, kind, m_clock->now());
    if (!AlertStateRepository(m_database).setSnooze(snooze, error))
        return false;
    m_tracker.setSnooze(snooze);
    emit snoozeChanged(targetId);
    return true;
}

bool AlertService::clearSnooze(qint64 targetId, QString *error) {
    if (!AlertStateRepository(m_database).clearSnooze(targetId, error))
        return false;
    m_tracker.clearSnooze(targetId);
    emit snoozeChanged(targetId);
    return true;
}

std::optional<AlertSnooze> AlertService::snoozeFor(qint64 targetId) const {
    const auto snooze = m_tracker.snooze(targetId);
    if (snooze && !snooze->activeAt(m_clock->now()))
        return std::nullopt;
    return snooze;
}

} // namespace certdash
