#include "Status.h"

#include <QCoreApplication>

#include <array>

namespace certdash {

namespace {
struct StatusName
{
    Status status;
    const char *key;
};
constexpr std::array<StatusName, 9> kNames{{
    {Status::Ok, "ok"},
    {Status::RotationOverdue, "rotation_overdue"},
    {Status::Warning, "warning"},
    {Status::Critical, "critical"},
    {Status::NotYetValid, "not_yet_valid"},
    {Status::Expired, "expired"},
    {Status::Unreachable, "unreachable"},
    {Status::Timeout, "timeout"},
    {Status::HandshakeFailed, "handshake_failed"},
}};
} // namespace

QString statusKey(Status status)
{
    for (const auto &n : kNames) {
        if (n.status == status)
            return QString::fromLatin1(n.key);
    }
    return {};
}

std::optional<Status> statusFromKey(const QString &key)
{
    for (const auto &n : kNames) {
        if (key == QLatin1String(n.key))
            return n.status;
    }
    return std::nullopt;
}

QString statusLabel(Status status)
{
    switch (status) {
    case Status::Ok:
        return QCoreApplication::translate("Status", "OK");
    case Status::RotationOverdue:
        return QCoreApplication::translate("Status", "Rotation overdue");
    case Status::Warning:
        return QCoreApplication::translate("Status", "Warning");
    case Status::Critical:
        return QCoreApplication::translate("Status", "Critical");
    case Status::NotYetValid:
        return QCoreApplication::translate("Status", "Not yet valid");
    case Status::Expired:
        return QCoreApplication::translate("Status", "Expired");
    case Status::Unreachable:
        return QCoreApplication::translate("Status", "Unreachable");
    case Status::Timeout:
        return QCoreApplication::translate("Status", "Timed out");
    case Status::HandshakeFailed:
        return QCoreApplication::translate("Status", "Handshake failed");
    }
    return {};
}

bool isProbeFailure(Status status)
{
    return status == Status::Unreachable || status == Status::Timeout
        || status == Status::HandshakeFailed;
}

int severityRank(Status status)
{
    switch (status) {
    case Status::Expired:
        return 0;
    case Status::NotYetValid:
        return 1;
    case Status::Critical:
        return 2;
    case Status::HandshakeFailed:
        return 3;
    case Status::Timeout:
        return 4;
    case Status::Unreachable:
        return 5;
    case Status::Warning:
        return 6;
    case Status::RotationOverdue:
        return 7;
    case Status::Ok:
        return 8;
    }
    return 8;
}

Status worseOf(Status a, Status b)
{
    return severityRank(b) < severityRank(a) ? b : a;
}

int exitCodeFor(Status worst)
{
    switch (worst) {
    case Status::Ok:
        return 0;
    case Status::Warning:
    case Status::RotationOverdue:
        return 1;
    default:
        return 2;
    }
}

} // namespace certdash
