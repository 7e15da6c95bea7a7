#pragma once

#include "domain/ProbeResult.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace certdash {

// RFC 4180 quoting of one field: quoted when it contains a comma, a double quote, CR or LF, or
// starts or ends with a space (which many readers would trim), or starts with '#' (a record
// whose first cell starts with an unquoted '#' is a comment to `certdash import`); inner quotes
// are doubled.
QString quoteCsvField(const QString &field);

// Formula-injection guard for a TEXT cell: a leading ' when it starts with = + - @ TAB or CR, so
// that a spreadsheet shows the text instead of running it. Never apply it to numbers.
QString guardCsvFormula(const QString &text);
// The inverse, for CertDash's own CSV read back (certdash export -> import).
QString unguardCsvFormula(const QString &text);

// Builds an RFC 4180 document: CRLF line ends, UTF-8 without a byte order mark. Shared by reports
// and inventory exports, so every CSV CertDash writes quotes and guards the same way.
class CsvWriter {
public:
    // A text cell: guarded against formulas, then quoted as needed.
    void addText(const QString &text);
    // A number or another value that must reach the reader unchanged ("-3" stays "-3").
    void addRaw(const QString &value);
    void addNumber(qint64 value);
    // Hexadecimal digits of an identifier (a serial), written "0x1000" so that no spreadsheet
    // reads them as a number ("1000"), in scientific notation ("0E10" is 0) or rounded (40
    // digits); a negative serial (invalid, but certificates have them) is "-0x..." and guarded.
    void addHex(const QString &digits);
    void addEmpty();
    void endRow();

    // A header row: column names are ours, never guarded.
    void addHeader(const QStringList &columns);

    QByteArray data() const { return m_data; }

private:
    void addField(const QString &quoted);

    QByteArray m_data;
    bool m_rowStarted = false;
};

// The scan report as CSV: a header of reportColumns(), then one row per result.
QByteArray renderCsvReport(const QList<ProbeResult> &results);
// One result's row of that report.
void addReportRow(CsvWriter &csv, const ProbeResult &result);

} // namespace certdash
