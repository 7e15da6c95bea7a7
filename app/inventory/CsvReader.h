#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace certdash {

// One logical CSV record. `line` is the physical line (1-based) where the record starts, so that
// a message about a record whose quoted cells span several lines still points at its beginning.
struct CsvRecord {
    QStringList fields;
    int line = 0;
};

struct CsvIssue {
    int line = 0; // physical line where the broken record starts
    QString reason;
};

struct CsvOptions {
    QChar delimiter = QLatin1Char(',');
    // Records whose first character is an unquoted '#' are skipped (target lists allow comments;
    // a real cell can still start with '#' when quoted).
    bool skipCommentLines = false;
    // A record longer than this many characters (0: no limit) is reported and skipped, its
    // cells never copied.
    qsizetype maxRecordChars = 0;
};

struct CsvDocument {
    QList<CsvRecord> records; // blank lines are not records
    QList<CsvIssue> issues;   // a record with broken quoting is reported here and not returned
};

// RFC 4180 reader: quoted cells may hold the delimiter, doubled quotes and line breaks. Lenient
// where that cannot lose data: CRLF, LF or CR line ends, spaces around a quoted cell, a quote in
// the middle of an unquoted cell is kept as text. A leading UTF-8 BOM (U+FEFF) is ignored.
CsvDocument readCsv(QStringView text, const CsvOptions &options = {});

// ',' or ';' for the first record of `text` (the header): whichever occurs more often outside
// quotes; ',' on a tie.
QChar detectCsvDelimiter(QStringView text);

} // namespace certdash
