#include "EventLog.h"

#include "reports/ReportColumns.h"
#include "storage/Settings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace certdash {

namespace {
// The reports' timestamp form, or null: a SIEM should not have to parse "".
QJsonValue timeValue(const QDateTime &t) {
    return t.isValid() ? QJsonValue(isoUtc(t)) : QJsonValue();
}
} // namespace

QString alertEventType(const AlertEvent &event) {
    switch (event.kind) {
    case AlertEventKind::Renewed:
        return QStringLiteral("certdash-renewed");
    case AlertEventKind::TrustFailed:
        return QStringLiteral("certdash-trust-failed");
    case AlertEventKind::TrustWeak:
        return QStringLiteral("certdash-trust-weak");
    case AlertEventKind::TrustRecovered:
        return QStringLiteral("certdash-trust-recovered");
    case AlertEventKind::Crossing:
    case AlertEventKind::Reminder:
        break;
    }
    switch (event.level) {
    case AlertLevel::Ok:
        return {};
    case AlertLevel::RotationOverdue:
        return QStringLiteral("certdash-rotation-overdue");
    case AlertLevel::Warning:
        return QStringLiteral("certdash-warning");
    case AlertLevel::Critical:
        return QStringLiteral("certdash-critical");
    case AlertLevel::Expired:
        return QStringLiteral("certdash-expired");
    }
    return {};
}

QByteArray eventLogLine(const AlertEvent &e) {
    QJsonObject o;
    o.insert(QStringLiteral("type"), alertEventType(e));
    o.insert(QStringLiteral("target"), e.targetLabel);
    o.insert(QStringLiteral("target_id"), e.targetId);
    o.insert(QStringLiteral("host"), e.host);
    o.insert(QStringLiteral("port"), int(e.port));
    o.insert(QStringLiteral("address"), e.address);
    o.insert(QStringLiteral("level"), alertLevelKey(e.level));
    o.insert(QStringLiteral("previous_level"), alertLevelKey(e.previous));
    o.insert(QStringLiteral("status"), statusKey(e.status));
    o.insert(QStringLiteral("days_left"), e.daysLeft ? QJsonValue(*e.daysLeft) : QJsonValue());
    o.insert(QStringLiteral("not_after"), timeValue(e.notAfter));
    o.insert(QStringLiteral("fingerprint"), e.fingerprint);
    o.insert(QStringLiteral("limiting_role"), e.limitingRole);
    o.insert(QStringLiteral("limiting_subject"), e.limitingName);
    if (e.isTrust()) {
        o.insert(QStringLiteral("trust_level"), trustLevelKey(e.trustLevel));
        o.insert(QStringLiteral("previous_trust_level"), trustLevelKey(e.trustPrevious));
        o.insert(QStringLiteral("trust_reason"), e.trustReason);
        o.insert(QStringLiteral("trust_finding"), e.trustFinding);
        if (e.acceptedBy != AcceptanceRule::None)
            o.insert(QStringLiteral("accepted_by"), acceptanceRuleKey(e.acceptedBy));
    }
    if (e.failure) {
        o.insert(QStringLiteral("error"), e.error);
        o.insert(QStringLiteral("failing_since"), timeValue(e.failingSince));
    }
    o.insert(QStringLiteral("time"), timeValue(e.time));
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

EventLog::EventLog(QString path)
    : m_path(std::move(path)) {}

QString EventLog::defaultPath() {
    return Settings::defaultEventLogPath();
}

bool EventLog::append(const QList<AlertEvent> &events, QString *error) const {
    QByteArray lines;
    for (const AlertEvent &e : events) {
        if (e.logged())
            lines += eventLogLine(e);
    }
    if (lines.isEmpty() || m_path.isEmpty())
        return true;
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath())) {
        if (error)
            *error = tr("%1: the directory cannot be created.").arg(m_path);
        return false;
    }
    // One unbuffered write in append mode: another CertDash process appending at the same time
    // (the GUI and a cron scan) cannot interleave inside a scan's lines on a local file system.
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error)
            *error = tr("%1: %2").arg(m_path, file.errorString());
        return false;
    }
    if (file.write(lines) != lines.size() || !file.flush()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace certdash
