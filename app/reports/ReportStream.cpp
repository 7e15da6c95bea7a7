#include "ReportStream.h"

#include "CsvWriter.h"
#include "JsonReport.h"
#include "PrometheusReport.h"
#include "ReportColumns.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>

namespace certdash {

namespace {
// renderJsonReport() is QJsonDocument's indented form of {"generated_at", "results": [...]}:
// four spaces a level, each result an object two levels in, separated by ",\n". JSON strings
// carry no raw newline, so a result rendered alone is shifted in line by line.
const QByteArray kJsonRowIndent(8, ' ');

QByteArray jsonRow(const ProbeResult &result) {
    QByteArray alone = QJsonDocument(probeResultToJson(result)).toJson(QJsonDocument::Indented);
    alone.chop(1); // the document's final newline
    alone.replace('\n', QByteArray(1, '\n') + kJsonRowIndent);
    return kJsonRowIndent + alone;
}

QByteArray jsonHead(const QDateTime &generatedAt) {
    const QString at = isoUtc(generatedAt);
    const QJsonValue value = at.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(at);
    QByteArray encoded = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    encoded = encoded.mid(1, encoded.size() - 2); // [value]
    return "{\n    \"generated_at\": " + encoded + ",\n    \"results\": [\n";
}

QByteArray csvHeader() {
    CsvWriter csv;
    csv.addHeader(reportColumns());
    return csv.data();
}
} // namespace

ReportStream::ReportStream(ReportFormat format, QIODevice *device, Delivery delivery,
                           qint64 spoolMemory)
    : m_format(format)
    , m_device(device) {
    switch (format) {
    case ReportFormat::Csv:
        if (delivery == Delivery::AtFinish)
            m_body = std::make_unique<Spool>(spoolMemory);
        write(csvHeader());
        break;
    case ReportFormat::Json:
        m_body = std::make_unique<Spool>(spoolMemory);
        break;
    case ReportFormat::Prometheus:
        for (int i = 0; i < prometheusFamilyCount(); ++i)
            m_families.push_back(std::make_unique<Spool>(spoolMemory));
        break;
    }
}

ReportStream::~ReportStream() = default;

ReportStream::Row ReportStream::render(const ProbeResult &result) const {
    switch (m_format) {
    case ReportFormat::Csv: {
        CsvWriter csv;
        addReportRow(csv, result);
        return {{csv.data()}};
    }
    case ReportFormat::Json:
        return {{jsonRow(result)}};
    case ReportFormat::Prometheus:
        return {prometheusSamples(result)};
    }
    return {};
}

void ReportStream::write(const QByteArray &bytes) {
    if (m_body)
        m_body->append(bytes);
    else
        m_device->write(bytes);
}

void ReportStream::append(const Row &row) {
    switch (m_format) {
    case ReportFormat::Csv:
        write(row.parts.value(0));
        break;
    case ReportFormat::Json:
        if (m_rows > 0)
            m_body->append(",\n");
        m_body->append(row.parts.value(0));
        break;
    case ReportFormat::Prometheus:
        for (qsizetype i = 0; i < row.parts.size() && i < qsizetype(m_families.size()); ++i)
            m_families[size_t(i)]->append(row.parts.at(i));
        break;
    }
    ++m_rows;
}

bool ReportStream::spilled() const {
    if (m_body && m_body->onDisk())
        return true;
    for (const auto &family : m_families) {
        if (family->onDisk())
            return true;
    }
    return false;
}

bool ReportStream::finish(const QDateTime &generatedAt, QString *error) {
    switch (m_format) {
    case ReportFormat::Csv:
        return !m_body || m_body->writeTo(m_device, error);
    case ReportFormat::Json:
        m_device->write(jsonHead(generatedAt));
        if (!m_body->writeTo(m_device, error))
            return false;
        m_device->write(m_rows > 0 ? "\n    ]\n}\n" : "    ]\n}\n");
        return true;
    case ReportFormat::Prometheus:
        // A family without samples is left out rather than announced empty.
        for (size_t i = 0; i < m_families.size(); ++i) {
            if (m_families[i]->isEmpty())
                continue;
            m_device->write(prometheusFamilyHeader(int(i)));
            if (!m_families[i]->writeTo(m_device, error))
                return false;
        }
        return true;
    }
    return true;
}

} // namespace certdash
