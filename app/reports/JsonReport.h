#pragma once

#include "domain/CertificateInfo.h"
#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace certdash {

// Every field of one certificate with snake_case keys, including "pem" and "text".
QJsonObject certificateToJson(const CertificateInfo &certificate);

// One result: the report columns with JSON types (numbers as numbers, empty as null), plus
// "chain" (every presented certificate), "verified_path" (subjects, leaf first) and
// "verification_errors" as an array of findings.
QJsonObject probeResultToJson(const ProbeResult &result);

// {"generated_at": ISO 8601 UTC, "results": [...]}, UTF-8, indented for people reading it.
QByteArray renderJsonReport(const QList<ProbeResult> &results, const QDateTime &generatedAt);

} // namespace certdash
