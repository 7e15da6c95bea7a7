#include "TargetFields.h"

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
bool tokenize(const QString &line, QList<Token> &tokens, QString &error) {
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

void parseLine(const QString &line, const SourceLocation &where, ParsedTargets &out) {
    QList<Token> tokens;
    QString error;
    const auto report = [&](const QString &reason) {
        out.issues.append({where, reason});
    };
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
        reasons << InventoryText::tr("empty host: a line starts with host[:port], not %1=").arg(first.key);
    } else {
        raw.text.insert(QStringLiteral("host"), first.key);
    }

    for (qsizetype i = first.hasValue ? 0 : 1; i < tokens.size(); ++i) {
        const Token &token = tokens.at(i);
        const QString key = token.key.toLower();
        if (key == QLatin1String("host") || key == QLatin1String("port")) {
            reasons << InventoryText::tr("unknown key '%1': host and port go first, as host[:port]")
                           .arg(token.key);
            continue;
        }
        if (!keys.contains(key)) {
            if (token.hasValue) {
                reasons << InventoryText::tr("unknown key '%1' (valid keys: %2)")
                               .arg(token.key, joinForMessage(keys));
            } else {
                reasons << InventoryText::tr("unexpected '%1': expected key=value (valid keys: %2)")
                               .arg(token.key, joinForMessage(keys));
            }
            continue;
        }
        if (raw.has(key)) {
            reasons << InventoryText::tr("duplicate key '%1'").arg(key);
            continue;
        }
        // Flags may stand alone: "no_sni", "accept_self_signed".
        if (!token.hasValue && key != QLatin1String("no_sni") &&
            key != QLatin1String("accept_self_signed")) {
            reasons << InventoryText::tr("missing value for '%1' (write %1=VALUE)").arg(key);
            continue;
        }
        raw.text.insert(key, token.hasValue ? token.value : QStringLiteral("true"));
    }

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
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (i == 0 && line.startsWith(QChar(0xFEFF)))
            line.remove(0, 1);
        parseLine(line, SourceLocation{source, int(i + 1)}, out);
    }
}

} // namespace certdash::inventory
