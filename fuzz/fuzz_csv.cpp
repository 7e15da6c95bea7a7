// CSV inventories (`certdash import list.csv`, the window's import, `scan --targets`), as a
// spreadsheet or another tool exported them: parseTargets with TargetFormat::Csv, and the RFC 4180
// reader underneath with each delimiter it accepts.
#include "InventoryInvariants.h"
#include "inventory/CsvReader.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace certdash;

namespace {

void readWith(const QString &text, QChar delimiter, bool skipComments, qsizetype maxRecordChars)
{
    CsvOptions options;
    options.delimiter = delimiter;
    options.skipCommentLines = skipComments;
    options.maxRecordChars = maxRecordChars;
    const CsvDocument doc = readCsv(text, options);
    // Physical lines: a record's line never goes back, and none lies past the end.
    const int lines = int(text.count(QLatin1Char('\n')) + text.count(QLatin1Char('\r'))) + 1;
    int last = 1;
    for (const CsvRecord &record : doc.records) {
        fuzz::check(record.line >= last && record.line <= lines, "a CSV record's line is wrong",
                    QString::number(record.line));
        last = record.line;
        fuzz::check(!record.fields.isEmpty(), "a CSV record without cells");
        if (maxRecordChars > 0) {
            qsizetype chars = 0;
            for (const QString &field : record.fields)
                chars += field.size();
            fuzz::check(chars <= maxRecordChars, "a CSV record over the limit was returned");
        }
    }
    for (const CsvIssue &issue : doc.issues) {
        fuzz::check(issue.line >= 1 && issue.line <= lines, "a CSV issue's line is wrong",
                    QString::number(issue.line));
        fuzz::check(issue.reason.size() <= fuzz::kMaxMessageChars, "a CSV message is not bounded",
                    issue.reason);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     static_cast<qsizetype>(size));
    const QString source = QStringLiteral("fuzz.csv");
    const ParsedTargets parsed = parseTargets(input, source, TargetFormat::Csv);
    fuzz::checkParsed(parsed, input, source);
    fuzz::checkRoundTrip(parsed);

    const QString text = QString::fromUtf8(input);
    const QChar detected = detectCsvDelimiter(text);
    fuzz::check(detected == QLatin1Char(',') || detected == QLatin1Char(';'),
                "detectCsvDelimiter chose neither ',' nor ';'");
    readWith(text, QLatin1Char(','), false, 0);
    readWith(text, QLatin1Char(';'), true, 0);
    readWith(text, QLatin1Char(','), true, 64); // a small limit, so that inputs reach it
    return 0;
}
