#include "InputText.h"
#include "TargetFields.h"

#include <QSet>

namespace certdash::inventory {


namespace {

struct Token {
    QString key;   // text before the first unquoted '=', or the whole token
    QString value; // text after it
    bool hasValue = false;
};

bool isSpace(QChar c) {
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

// Splits a line into whitespace-separated tokens. Double quotes group text with spaces and are
// removed; inside them \" and \\ stand for themselves. '#' at the start of a token ends the line.
bool tokenize(QStringView line, QList<Token> &tokens, QString &error) {
    qsizetype i = 0;
    const qsizetype n = line.size();
    while (i < n) {
        while (i < n && isSpace(line.at(i)))
            ++i;
        if (i >= n || line.at(i) == QLatin1Char('#'))
            break;
        Token token;
        QString *target = &token.key;
        bool inQuotes = false;
        qsizetype quoteStart = 0;
        for (; i < n; ++i) {
            const QChar c = line.at(i);
            if (inQuotes) {
                if (c == QLatin1Char('\\') && i + 1 < n &&
                    (line.at(i + 1) == QLatin1Char('"') || line.at(i + 1) == QLatin1Char('\\'))) {
                    target->append(line.at(++i));
                } else if (c == QLatin1Char('"')) {
                    inQuotes = false;
                } else {
                    target->append(c);
                }
            } else if (isSpace(c)) {
                break;
            } else if (c == QLatin1Char('"')) {
                inQuotes = true;
                quoteStart = i;
            } else if (c == QLatin1Char('=') && !token.hasValue) {
                token.hasValue = true;
                target = &token.value;
            } else {
                target->append(c);
            }
        }
        if (inQuotes) {
            error = InventoryText::tr("unterminated quote: the \" at column %1 is never closed")
                        .arg(quoteStart + 1);
            return false;
        }
        tokens.append(token);
    }
    return true;
}

QStringList lineKeys() {
    QStringList keys = targetKeys();
    keys.removeAll(QStringLiteral("host"));
    keys.removeAll(QStringLiteral("port"));
    return keys;
}

// "'a', 'b' and 3 more": names from one line, each quoted short, at most five of them.
QString someNames(const QStringList &names) {
    constexpr qsizetype shown = 5;
    QStringList quoted;
    for (qsizetype i = 0; i < qMin(shown, names.size()); ++i)
        quoted << quoteExcerpt(names.at(i));
    QString text = joinForMessage(quoted);
    if (names.size() > shown)
        text += InventoryText::tr(" and %n more", nullptr, int(names.size() - shown));
    return text;
}

void parseLine(QStringView line, const SourceLocation &where, ParsedTargets &out) {
    const auto report = [&](const QString &reason) { out.addIssue(where, reason); };
    // A target line is short; a huge one is not worth tokenizing (nor quoting whole).
    if (line.size() > kMaxTargetEntryChars) {
        report(InventoryText::tr("line too long: %1 (a line holds at most %2 characters)")
                   .arg(quoteExcerpt(line), QString::number(kMaxTargetEntryChars)));
        return;
    }
    QList<Token> tokens;
    QString error;
    if (!tokenize(line, tokens, error)) {
        report(error);
        return;
    }
    if (tokens.isEmpty())
        return; // blank or comment

    static const QStringList keys = lineKeys();
    QStringList reasons;
    RawTarget raw;
    const Token &first = tokens.first();
    if (first.hasValue) {
        reasons << InventoryText::tr("empty host: a line starts with host[:port], not %1=")
                       .arg(quoteExcerpt(first.key));
    } else {
        raw.text.insert(QStringLiteral("host"), first.key);
    }

    // Each kind of problem is said once per line, naming a few of the keys: a line of 10,000
    // unknown keys is one message, not 10,000.
    QStringList unknownKeys;
    QStringList strayWords;
    QStringList misplaced;
    QStringList duplicates;
    QSet<QString> seen; // "kind|name" already listed
    const auto listOnce = [&seen](QStringList &list, QChar kind, const QString &name) {
        const QString tag = kind + name;
        if (!seen.contains(tag)) {
            seen.insert(tag);
            list << name;
        }
    };
    for (qsizetype i = first.hasValue ? 0 : 1; i < tokens.size(); ++i) {
        const Token &token = tokens.at(i);
        const QString key = token.key.toLower();
        if (key == QLatin1String("host") || key == QLatin1String("port")) {
            listOnce(misplaced, QLatin1Char('m'), token.key);
        } else if (!keys.contains(key)) {
            if (token.hasValue)
                listOnce(unknownKeys, QLatin1Char('u'), token.key);
            else
                listOnce(strayWords, QLatin1Char('s'), token.key);
        } else if (raw.has(key)) {
            listOnce(duplicates, QLatin1Char('d'), key);
        } else if (!token.hasValue && key != QLatin1String("no_sni") &&
                   key != QLatin1String("accept_self_signed")) {
            // Flags may stand alone: "no_sni", "accept_self_signed".
            if (!seen.contains(QLatin1Char('v') + key)) {
                seen.insert(QLatin1Char('v') + key);
                reasons << InventoryText::tr("missing value for '%1' (write %1=VALUE)").arg(key);
            }
        } else {
            raw.text.insert(key, token.hasValue ? token.value : QStringLiteral("true"));
        }
    }
    if (!misplaced.isEmpty()) {
        reasons << InventoryText::tr("unknown key %1: host and port go first, as host[:port]")
                       .arg(someNames(misplaced));
    }
    if (!unknownKeys.isEmpty()) {
        reasons << InventoryText::tr("unknown key %1 (valid keys: %2)")
                       .arg(someNames(unknownKeys), joinForMessage(keys));
    }
    if (!strayWords.isEmpty()) {
        reasons << InventoryText::tr("unexpected %1: expected key=value (valid keys: %2)")
                       .arg(someNames(strayWords), joinForMessage(keys));
    }
    if (!duplicates.isEmpty())
        reasons << InventoryText::tr("duplicate key %1").arg(someNames(duplicates));

    // With no host there is nothing to validate the other keys against, and "empty host" said it.
    if (raw.has(QStringLiteral("host"))) {
        const auto target = buildTarget(raw, where, reasons);
        if (target && reasons.isEmpty())
            out.targets.append(*target);
    }
    for (const QString &reason : std::as_const(reasons))
        report(reason);
}

} // namespace

void parseLineFormat(const QString &text, const QString &source, ParsedTargets &out) {
    // Line by line over the text itself: splitting a 64 MiB file into a list would copy it.
    qsizetype start = 0;
    int number = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        QStringView line = QStringView(text).mid(start, end - start);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (number == 0 && line.startsWith(QChar(0xFEFF)))
            line = line.mid(1);
        parseLine(line, SourceLocation{source, ++number}, out);
        start = end + 1;
    }
}

} // namespace certdash::inventory
