#pragma once

#include "domain/ProbeResult.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace certdash {

// One typed report cell. CSV and JSON need to know whether a value is text (guarded against
// spreadsheet formulas in CSV, a string in JSON), a number (never altered, a JSON number) or
// missing (an empty CSV field, JSON null).
class ReportCell {
public:
    // Hex: an identifier in hexadecimal digits (a certificate serial). It is text, but bare
    // digits such as "1000", "0E10" or 40 decimal-looking digits are numbers to a spreadsheet,
    // so CSV writes it with a "0x" prefix; JSON keeps it as it is (a string already).
    enum class Kind { Empty, Text, Number, Hex };

    ReportCell() = default;
    static ReportCell text(const QString &value); // an empty string is an Empty cell
    static ReportCell number(qint64 value);
    static ReportCell hex(const QString &digits); // an empty string is an Empty cell

    Kind kind() const { return m_kind; }
    bool isEmpty() const { return m_kind == Kind::Empty; }
    bool isNumber() const { return m_kind == Kind::Number; }
    bool isText() const { return m_kind == Kind::Text || m_kind == Kind::Hex; }
    // Text as written (hex digits without a prefix), a number in decimal, "" when empty.
    QString toString() const;
    qint64 toNumber() const { return m_number; }

    friend bool operator==(const ReportCell &a, const ReportCell &b) {
        return a.m_kind == b.m_kind && a.m_text == b.m_text && a.m_number == b.m_number;
    }

private:
    Kind m_kind = Kind::Empty;
    QString m_text;
    qint64 m_number = 0;
};

struct ReportField {
    QString column;
    ReportCell value;
};

// Report column names in their contractual order (CSV header, JSON keys). Scripts index CSV
// columns by position, so new columns only ever go at the end.
QStringList reportColumns();

// The cells of one report row, in reportColumns() order.
QList<ReportField> reportRow(const ProbeResult &result);

// ISO 8601 in UTC with "Z" and whole seconds ("2026-11-23T10:00:00Z"), whatever the offset of
// the given time; "" for an invalid time.
QString isoUtc(const QDateTime &time);

} // namespace certdash
