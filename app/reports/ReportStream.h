#pragma once

#include "Report.h"
#include "Spool.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <memory>
#include <vector>

class QIODevice;

namespace certdash {

// A scan report written as results come, so that a scan holds neither its results nor its whole
// report: each result is rendered at once into a Row (its share of the report, a few KB at most)
// and can then be dropped. The bytes written are exactly renderReport()'s over the same results
// in the same order.
//
// CSV rows go to the device as they are appended (Delivery::Direct). What a format can only place
// at the end waits in spools (memory, then a temporary file): JSON's rows (generated_at comes
// first, and is only known when the scan ends) and Prometheus's samples (grouped by metric
// family). With Delivery::AtFinish nothing reaches the device before finish(): for a pipe or a
// terminal, whose reader could stall the scan by not reading.
class ReportStream {
public:
    struct Row {
        QList<QByteArray> parts; // CSV and JSON: one; Prometheus: one per metric family
    };
    enum class Delivery { Direct, AtFinish };
    // Bytes each spool keeps in memory before it moves to a temporary file.
    static constexpr qint64 kSpoolMemory = 256 * 1024;

    ReportStream(ReportFormat format, QIODevice *device, Delivery delivery = Delivery::Direct,
                 qint64 spoolMemory = kSpoolMemory);
    ~ReportStream();
    ReportStream(const ReportStream &) = delete;
    ReportStream &operator=(const ReportStream &) = delete;

    ReportFormat format() const { return m_format; }
    Row render(const ProbeResult &result) const;
    // Appends the next row in report order.
    void append(const Row &row);
    void append(const ProbeResult &result) { append(render(result)); }
    qint64 rowCount() const { return m_rows; }
    // Whether any spool had to use a temporary file (for tests).
    bool spilled() const;

    // Writes what waited (JSON: everything, with generatedAt in UTC; Prometheus: the families).
    // Call once, after the last row. False when a temporary file could not be read back; *error
    // then says why.
    bool finish(const QDateTime &generatedAt, QString *error = nullptr);

private:
    void write(const QByteArray &bytes); // to the device, or the body spool with AtFinish

    ReportFormat m_format;
    QIODevice *m_device;
    qint64 m_rows = 0;
    std::unique_ptr<Spool> m_body;                  // JSON rows; CSV rows with Delivery::AtFinish
    std::vector<std::unique_ptr<Spool>> m_families; // Prometheus samples, by family
};

} // namespace certdash
