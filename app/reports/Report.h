#pragma once

#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace certdash {

enum class ReportFormat { Csv, Json, Prometheus };

// "csv", "json", "prometheus" (any case); nullopt otherwise.
std::optional<ReportFormat> reportFormatFromName(const QString &name);
QString reportFormatName(ReportFormat format);
QStringList reportFormatNames(); // for usage messages

// The whole report in the given format. generatedAt only appears where the format has a place
// for it (JSON); it is converted to UTC.
QByteArray renderReport(ReportFormat format, const QList<ProbeResult> &results,
                        const QDateTime &generatedAt);

// Writes data to path through a temporary file renamed over it (QSaveFile), so that readers such
// as node_exporter never see half a report and a failed write leaves an existing file as it was.
// On failure returns false and, when error is given, a translated message naming the file and
// the reason.
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error);

} // namespace certdash
