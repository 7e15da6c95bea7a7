#pragma once

#include <QString>

#include <optional>

namespace certdash {

// One status per probed endpoint address. The first six describe a certificate that was read;
// the last three say why none was read.
enum class Status {
    Ok,
    RotationOverdue,
    Warning,
    Critical,
    NotYetValid,
    Expired,
    Unreachable,     // DNS failure, connection refused, no route
    Timeout,         // the whole probe outlived --timeout
    HandshakeFailed, // peer speaks no TLS, protocol/cipher failure, STARTTLS refused
};

// Stable machine name used in CSV/JSON/Prometheus and the database: "rotation_overdue".
QString statusKey(Status status);
std::optional<Status> statusFromKey(const QString &key);
// Translated, human wording for the GUI and notifications.
QString statusLabel(Status status);

bool isProbeFailure(Status status);
// Smaller is worse. Failures rank between critical and warning: an endpoint nobody can reach
// needs attention before one that merely warns.
int severityRank(Status status);
Status worseOf(Status a, Status b);

// Exit code of `certdash scan` for the worst status (monitoring-plugin convention):
// 0 ok, 1 warning or rotation_overdue, 2 critical/expired/not_yet_valid or any probe failure.
int exitCodeFor(Status worst);

} // namespace certdash
