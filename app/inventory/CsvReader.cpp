#include "CsvReader.h"

#include "InputText.h"

#include <QCoreApplication>

namespace certdash {

namespace {

class CsvText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Csv)
};

constexpr QChar kQuote = QLatin1Char('"');

bool isLineEnd(QChar c) {
    return c == QLatin1Char('\n') || c == QLatin1Char('\r');
}

bool isBlank(QChar c) {
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

class Reader {
public:
    Reader(QStringView text, const CsvOptions &options)
        : m_text(text)
        , m_options(options) {
        if (m_text.startsWith(QChar(0xFEFF)))
            m_pos = 1;
    }

    CsvDocument read() {
        CsvDocument doc;
        while (!atEnd()) {
            const int startLine = m_line;
            if (m_options.skipCommentLines && peek() == QLatin1Char('#')) {
                skipRestOfLine();
                continue;
            }
            CsvRecord record;
            record.line = startLine;
            QString error;
            m_recordStart = m_pos;
            if (!readRecord(record.fields, error)) {
                doc.issues.append({startLine, error});
                continue;
            }
            if (overLimit()) {
                doc.issues.append({startLine, CsvText::tr("record too long: %1 characters (a "
                                                          "record holds at most %2)")
                                                  .arg(m_pos - m_recordStart)
                                                  .arg(m_options.maxRecordChars)});
                continue;
            }
            const bool blank =
                record.fields.size() == 1 && record.fields.first().isEmpty() && !m_lastFieldQuoted;
            if (!blank)
                doc.records.append(record);
        }
        return doc;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    bool overLimit() const {
        return m_options.maxRecordChars > 0 && m_pos - m_recordStart > m_options.maxRecordChars;
    }
    QChar peek() const { return m_text.at(m_pos); }

    // Consumes one line end (CRLF counts as one) and counts it.
    void consumeLineEnd() {
        if (peek() == QLatin1Char('\r') && m_pos + 1 < m_text.size() &&
            m_text.at(m_pos + 1) == QLatin1Char('\n'))
            ++m_pos;
        ++m_pos;
        ++m_line;
    }

    void skipRestOfLine() {
        while (!atEnd() && !isLineEnd(peek()))
            ++m_pos;
        if (!atEnd())
            consumeLineEnd();
    }

    // Reads cells up to and including the record's line end. On broken quoting, skips to the
    // end of the physical line the damage is on, so that the following records still parse.
    bool readRecord(QStringList &fields, QString &error) {
        for (;;) {
            QString field;
            if (!readField(field, error))
                return false;
            fields.append(field);
            if (atEnd())
                return true;
            if (isLineEnd(peek())) {
                consumeLineEnd();
                return true;
            }
            ++m_pos; // delimiter
        }
    }

    bool readField(QString &field, QString &error) {
        m_lastFieldQuoted = false;
        qsizetype probe = m_pos;
        while (probe < m_text.size() && isBlank(m_text.at(probe)))
            ++probe;
        if (probe < m_text.size() && m_text.at(probe) == kQuote)
            return readQuoted(probe + 1, field, error);

        const qsizetype start = m_pos;
        while (!atEnd() && peek() != m_options.delimiter && !isLineEnd(peek()))
            ++m_pos;
        if (!overLimit())
            field = m_text.mid(start, m_pos - start).toString();
        return true;
    }

    bool readQuoted(qsizetype contentStart, QString &field, QString &error) {
        m_lastFieldQuoted = true;
        const int quoteLine = m_line;
        m_pos = contentStart;
        for (;;) {
            if (atEnd()) {
                error = CsvText::tr("unterminated quoted cell (the quote opened on line %1 is "
                                    "never closed)")
                            .arg(quoteLine);
                return false;
            }
            const QChar c = peek();
            if (c == kQuote) {
                if (m_pos + 1 < m_text.size() && m_text.at(m_pos + 1) == kQuote) {
                    if (!overLimit())
                        field.append(kQuote);
                    m_pos += 2;
                    continue;
                }
                ++m_pos;
                break;
            }
            if (isLineEnd(c)) {
                // Keep the cell's line break but count the physical line, normalised to LF.
                consumeLineEnd();
                if (!overLimit())
                    field.append(QLatin1Char('\n'));
                continue;
            }
            if (!overLimit())
                field.append(c);
            ++m_pos;
        }
        while (!atEnd() && isBlank(peek()))
            ++m_pos;
        if (!atEnd() && peek() != m_options.delimiter && !isLineEnd(peek())) {
            const int badLine = m_line;
            qsizetype end = m_pos;
            while (end < m_text.size() && !isLineEnd(m_text.at(end)))
                ++end;
            const QString stray = inventory::quoteExcerpt(m_text.mid(m_pos, end - m_pos), 20);
            error = CsvText::tr("text after a closing quote on line %1: %2 (write a quote "
                                "inside a quoted cell as \"\")")
                        .arg(badLine)
                        .arg(stray);
            skipRestOfLine();
            return false;
        }
        return true;
    }

    QStringView m_text;
    CsvOptions m_options;
    qsizetype m_pos = 0;
    qsizetype m_recordStart = 0;
    int m_line = 1;
    bool m_lastFieldQuoted = false;
};

} // namespace

CsvDocument readCsv(QStringView text, const CsvOptions &options) {
    return Reader(text, options).read();
}

QChar detectCsvDelimiter(QStringView text) {
    int commas = 0;
    int semicolons = 0;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == kQuote)
            quoted = !quoted;
        else if (!quoted && isLineEnd(c))
            break;
        else if (!quoted && c == QLatin1Char(','))
            ++commas;
        else if (!quoted && c == QLatin1Char(';'))
            ++semicolons;
    }
    return semicolons > commas ? QLatin1Char(';') : QLatin1Char(',');
}

} // namespace certdash
