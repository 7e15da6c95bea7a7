#include "CsvWriter.h"

#include "ReportColumns.h"

namespace certdash {

QString quoteCsvField(const QString &field) {
    const bool needsQuotes = field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) ||
                             field.contains(QLatin1Char('\r')) ||
                             field.contains(QLatin1Char('\n')) ||
                             field.startsWith(QLatin1Char(' ')) || field.endsWith(QLatin1Char(' ')) ||
                             field.startsWith(QLatin1Char('#'));
    if (!needsQuotes)
        return field;
    QString quoted = field;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

namespace {
// Text a spreadsheet runs as a formula: it starts, after any quotes already guarding it, with one
// of these. Counting the quotes keeps guard and unguard exact inverses ("'=x" is written
// "''=x" and read back as "'=x").
bool startsLikeFormula(const QString &text) {
    qsizetype i = 0;
    while (i < text.size() && text.at(i) == QLatin1Char('\''))
        ++i;
    return i < text.size() && QStringView(u"=+-@\t\r").contains(text.at(i));
}
} // namespace

QString guardCsvFormula(const QString &text) {
    return startsLikeFormula(text) ? QLatin1Char('\'') + text : text;
}

QString unguardCsvFormula(const QString &text) {
    return text.startsWith(QLatin1Char('\'')) && startsLikeFormula(text) ? text.mid(1) : text;
}

void CsvWriter::addField(const QString &quoted) {
    if (m_rowStarted)
        m_data.append(',');
    m_data.append(quoted.toUtf8());
    m_rowStarted = true;
}

void CsvWriter::addText(const QString &text) {
    addField(quoteCsvField(guardCsvFormula(text)));
}

void CsvWriter::addRaw(const QString &value) {
    addField(quoteCsvField(value));
}

void CsvWriter::addNumber(qint64 value) {
    addField(QString::number(value));
}

void CsvWriter::addHex(const QString &digits) {
    if (digits.isEmpty()) {
        addEmpty();
        return;
    }
    const bool negative = digits.startsWith(QLatin1Char('-'));
    addText((negative ? QLatin1String("-0x") : QLatin1String("0x")) +
            (negative ? digits.mid(1) : digits));
}

void CsvWriter::addEmpty() {
    addField(QString());
}

void CsvWriter::endRow() {
    m_data.append("\r\n");
    m_rowStarted = false;
}

void CsvWriter::addHeader(const QStringList &columns) {
    for (const QString &column : columns)
        addRaw(column);
    endRow();
}

void addReportRow(CsvWriter &csv, const ProbeResult &result) {
    for (const ReportField &field : reportRow(result)) {
        switch (field.value.kind()) {
        case ReportCell::Kind::Text:
            csv.addText(field.value.toString());
            break;
        case ReportCell::Kind::Number:
            csv.addNumber(field.value.toNumber());
            break;
        case ReportCell::Kind::Hex:
            csv.addHex(field.value.toString());
            break;
        case ReportCell::Kind::Empty:
            csv.addEmpty();
            break;
        }
    }
    csv.endRow();
}

QByteArray renderCsvReport(const QList<ProbeResult> &results) {
    CsvWriter csv;
    csv.addHeader(reportColumns());
    for (const ProbeResult &result : results)
        addReportRow(csv, result);
    return csv.data();
}

} // namespace certdash
