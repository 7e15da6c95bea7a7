#include "AlertLevel.h"

#include <QCoreApplication>

#include <array>

namespace certdash {

namespace {
struct LevelName {
    AlertLevel level;
    const char *key;
};
constexpr std::array<LevelName, 5> kLevels{{
    {AlertLevel::Ok, "ok"},
    {AlertLevel::RotationOverdue, "rotation_overdue"},
    {AlertLevel::Warning, "warning"},
    {AlertLevel::Critical, "critical"},
    {AlertLevel::Expired, "expired"},
}};
} // namespace

AlertLevel alertLevelFor(Status status) {
    switch (status) {
    case Status::Ok:
        return AlertLevel::Ok;
    case Status::RotationOverdue:
        return AlertLevel::RotationOverdue;
    case Status::Warning:
        return AlertLevel::Warning;
    case Status::Critical:
    case Status::NotYetValid:
    case Status::Unreachable:
    case Status::Timeout:
    case Status::HandshakeFailed:
        return AlertLevel::Critical;
    case Status::Expired:
        return AlertLevel::Expired;
    }
    return AlertLevel::Ok;
}

QString alertLevelLabel(AlertLevel level) {
    switch (level) {
    case AlertLevel::Ok:
        return QCoreApplication::translate("certdash::Alerts", "OK");
    case AlertLevel::RotationOverdue:
        return QCoreApplication::translate("certdash::Alerts", "Rotation overdue");
    case AlertLevel::Warning:
        return QCoreApplication::translate("certdash::Alerts", "Warning");
    case AlertLevel::Critical:
        return QCoreApplication::translate("certdash::Alerts", "Critical");
    case AlertLevel::Expired:
        return QCoreApplication::translate("certdash::Alerts", "Expired");
    }
    return {};
}

QString alertLevelKey(AlertLevel level) {
    for (const auto &l : kLevels) {
        if (l.level == level)
            return QString::fromLatin1(l.key);
    }
    return {};
}

std::optional<AlertLevel> alertLevelFromKey(const QString &key) {
    for (const auto &l : kLevels) {
        if (key == QLatin1String(l.key))
            return l.level;
    }
    return std::nullopt;
}

} // namespace certdash
