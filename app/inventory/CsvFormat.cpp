#include "CsvReader.h"
#include "InputText.h"
#include "TargetFields.h"
#include "reports/CsvWriter.h"

#include <climits>

namespace certdash::inventory {


namespace {

// The first line that is neither blank nor a comment: the header, which decides the delimiter.
QStringView headerLine(QStringView text) {
    if (text.startsWith(QChar(0xFEFF)))
        text = text.mid(1);
    while (!text.isEmpty()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'));
        if (end < 0)
            end = text.size();
        const QStringView line = text.left(end).trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')))
            return line;
        text = text.mid(qMin(end + 1, text.size()));
    }
    return {};
}

} // namespace

void parseCsvFormat(const QString &text, const QString &source, ParsedTargets &out) {
    CsvOptions options;
    options.delimiter = detectCsvDelimiter(headerLine(text));
    options.skipCommentLines = true;
    options.maxRecordChars = kMaxTargetEntryChars;
    const CsvDocument doc = readCsv(text, options);

    // Reader issues and records are both in file order; merge them as they come so that messages
    // stay sorted (and the first kMaxListedIssues are the first in the file).
    qsizetype nextReaderIssue = 0;
    const auto flushReaderIssues = [&](int beforeLine) {
        for (; nextReaderIssue < doc.issues.size() &&
               doc.issues.at(nextReaderIssue).line < beforeLine;
             ++nextReaderIssue) {
            const CsvIssue &issue = doc.issues.at(nextReaderIssue);
            out.addIssue(SourceLocation{source, issue.line}, issue.reason);
        }
    };
    const auto finish = [&] { flushReaderIssues(INT_MAX); };

    if (doc.records.isEmpty()) {
        finish();
        return;
    }

    const CsvRecord &header = doc.records.first();
    const SourceLocation headerWhere{source, header.line};
    if (!doc.issues.isEmpty() && doc.issues.first().line < header.line) {
        // The header itself is broken: nothing after it can be mapped to columns.
        finish();
        return;
    }
    flushReaderIssues(header.line);
    QList<ParseIssue> headerIssues;
    QStringList columns; // canonical key per cell; empty for a trailing unnamed column
    QStringList unknown;
    for (const QString &cell : header.fields) {
        const QString key = cell.trimmed().toLower();
        if (!key.isEmpty() && !targetKeys().contains(key)) {
            if (unknown.size() < 5)
                unknown << quoteExcerpt(cell.trimmed());
            else if (unknown.size() == 5)
                unknown << QStringLiteral("...");
        } else if (!key.isEmpty() && columns.contains(key)) {
            headerIssues.append(
                {headerWhere, InventoryText::tr("column '%1' appears twice").arg(key)});
        }
        columns << key;
    }
    if (!unknown.isEmpty()) {
        headerIssues.append(
            {headerWhere, InventoryText::tr("unknown column(s) %1 (valid columns: %2)")
                              .arg(joinForMessage(unknown), joinForMessage(targetKeys()))});
    }
    if (!columns.contains(QStringLiteral("host"))) {
        headerIssues.append(
            {headerWhere, InventoryText::tr("missing 'host' column in the header (columns found: %1)")
                              .arg(quoteExcerpt(header.fields.join(options.delimiter), 80))});
    }
    if (!headerIssues.isEmpty()) {
        // Rows cannot be read reliably against a header that is wrong.
        for (const ParseIssue &issue : std::as_const(headerIssues))
            out.addIssue(issue.where, issue.reason);
        finish();
        return;
    }

    for (qsizetype r = 1; r < doc.records.size(); ++r) {
        const CsvRecord &record = doc.records.at(r);
        const SourceLocation where{source, record.line};
        flushReaderIssues(record.line);
        RawTarget raw;
        QStringList reasons;
        qsizetype extra = 0;
        for (qsizetype c = 0; c < record.fields.size(); ++c) {
            // CertDash's own CSV (certdash export, reports) prefixes text that a spreadsheet
            // would run as a formula with a quote; take it off again so export/import round-trips.
            const QString value = unguardCsvFormula(record.fields.at(c));
            if (value.trimmed().isEmpty())
                continue;
            if (c >= columns.size() || columns.at(c).isEmpty()) {
                ++extra;
                continue;
            }
            raw.text.insert(columns.at(c), value);
        }
        if (extra > 0) {
            reasons << InventoryText::tr("%1 cells but the header names %2 columns")
                           .arg(record.fields.size())
                           .arg(columns.size());
        }
        if (raw.text.isEmpty() && extra == 0)
            continue; // a row of empty cells, as spreadsheets like to leave behind
        const auto target = buildTarget(raw, where, reasons);
        if (target && reasons.isEmpty())
            out.targets.append(*target);
        for (const QString &reason : std::as_const(reasons))
            out.addIssue(where, reason);
    }
    finish();
}

} // namespace certdash::inventory
