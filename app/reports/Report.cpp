#include "Report.h"

#include "CsvWriter.h"
#include "JsonReport.h"
#include "PrometheusReport.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

namespace certdash {

std::optional<ReportFormat> reportFormatFromName(const QString &name) {
    const QString key = name.trimmed().toLower();
    for (const ReportFormat format :
         {ReportFormat::Csv, ReportFormat::Json, ReportFormat::Prometheus}) {
        if (key == reportFormatName(format))
            return format;
    }
    return std::nullopt;
}

QString reportFormatName(ReportFormat format) {
    switch (format) {
    case ReportFormat::Csv:
        return QStringLiteral("csv");
    case ReportFormat::Json:
        return QStringLiteral("json");
    case ReportFormat::Prometheus:
        return QStringLiteral("prometheus");
    }
    return {};
}

QStringList reportFormatNames() {
    return {reportFormatName(ReportFormat::Csv), reportFormatName(ReportFormat::Json),
            reportFormatName(ReportFormat::Prometheus)};
}

QByteArray renderReport(ReportFormat format, const QList<ProbeResult> &results,
                        const QDateTime &generatedAt) {
    switch (format) {
    case ReportFormat::Csv:
        return renderCsvReport(results);
    case ReportFormat::Json:
        return renderJsonReport(results, generatedAt);
    case ReportFormat::Prometheus:
        return renderPrometheusReport(results);
    }
    return {};
}

bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error) {
    const auto fail = [&](const QString &reason) {
        if (error) {
            *error = QCoreApplication::translate("certdash::Reports", "cannot write %1: %2")
                         .arg(QDir::toNativeSeparators(path), reason);
        }
        return false;
    };

    QSaveFile file(path);
    // Never fall back to writing the target in place: a half-written file is what this avoids.
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    if (file.write(data) != data.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return fail(reason);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace certdash
