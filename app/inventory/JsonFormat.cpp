#include "InputText.h"
#include "TargetFields.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace certdash::inventory {


namespace {

int lineAt(const QByteArray &utf8, qsizetype offset) {
    offset = qBound<qsizetype>(0, offset, utf8.size());
    return int(utf8.first(offset).count('\n')) + 1;
}

int columnAt(const QByteArray &utf8, qsizetype offset) {
    offset = qBound<qsizetype>(0, offset, utf8.size());
    const qsizetype lineStart = utf8.lastIndexOf('\n', offset - 1) + 1;
    // Count characters, not bytes, so the column matches what an editor shows.
    return int(QString::fromUtf8(utf8.mid(lineStart, offset - lineStart)).size()) + 1;
}

bool isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Byte offset where each element of the top-level array starts. Only called on text that
// QJsonDocument accepted, so it just needs to skip strings and nesting correctly.
QList<qsizetype> topLevelElementOffsets(const QByteArray &json) {
    QList<qsizetype> offsets;
    qsizetype i = 0;
    const qsizetype n = json.size();
    while (i < n && isJsonSpace(json.at(i)))
        ++i;
    if (i >= n || json.at(i) != '[')
        return offsets;
    ++i;
    int depth = 0;
    bool expectElement = true;
    for (; i < n; ++i) {
        const char c = json.at(i);
        if (c == '"') {
            if (depth == 0 && expectElement) {
                offsets << i;
                expectElement = false;
            }
            for (++i; i < n && json.at(i) != '"'; ++i) {
                if (json.at(i) == '\\')
                    ++i;
            }
            continue;
        }
        if (isJsonSpace(c))
            continue;
        if (depth == 0) {
            if (c == ',') {
                expectElement = true;
                continue;
            }
            if (c == ']')
                break;
            if (expectElement) {
                offsets << i;
                expectElement = false;
            }
        }
        if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']')
            --depth;
    }
    return offsets;
}

QString numberText(double value) {
    if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 1e15)
        return QString::number(qint64(value));
    return QString::number(value);
}

// A string value, or an item of an array value, that can be stored and written out again.
bool checkString(const QString &key, const QString &text, QStringList &reasons) {
    if (text.size() > kMaxTargetEntryChars) {
        reasons << InventoryText::tr("'%1' is too long: %2 (a value holds at most %3 characters)")
                       .arg(key, quoteExcerpt(text), QString::number(kMaxTargetEntryChars));
        return false;
    }
    if (!QStringView(text).isValidUtf16()) {
        // "\ud800" escapes decode to half a character that no file or database can hold.
        reasons << InventoryText::tr("'%1' holds an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF "
                                     "escape on its own): %2")
                       .arg(key, quoteExcerpt(text));
        return false;
    }
    if (text.contains(QChar(0))) {
        // A "\u0000" escape: no text file holds a NUL, so the target could not be exported.
        reasons << InventoryText::tr("'%1' holds a NUL character (a \\u0000 escape): %2")
                       .arg(key, quoteExcerpt(text));
        return false;
    }
    return true;
}

// Converts one member to the raw text the shared validation reads; false on a wrong type.
bool takeMember(const QString &key, const QJsonValue &value, RawTarget &raw, QStringList &reasons) {
    if (value.isNull() || value.isUndefined())
        return true;
    const bool numeric = key == QLatin1String("port") || key == QLatin1String("rotation") ||
                         key == QLatin1String("warning") || key == QLatin1String("critical");
    const bool list = key == QLatin1String("address") || key == QLatin1String("tags");

    if (key == QLatin1String("no_sni") || key == QLatin1String("enabled") ||
        key == QLatin1String("accept_self_signed")) {
        if (!value.isBool()) {
            reasons << InventoryText::tr("'%1' must be true or false, not %2").arg(key, jsonTypeName(value));
            return false;
        }
        raw.text.insert(key, value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        return true;
    }
    if (key == QLatin1String("check_revocation") && value.isBool()) {
        raw.text.insert(key, value.toBool() ? QStringLiteral("yes") : QStringLiteral("no"));
        return true;
    }
    if (numeric && value.isDouble()) {
        raw.text.insert(key, numberText(value.toDouble()));
        return true;
    }
    if (list && value.isArray()) {
        QStringList items;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array) {
            if (!item.isString()) {
                reasons << InventoryText::tr("'%1' must hold strings, not %2").arg(key, jsonTypeName(item));
                return false;
            }
            // The checks a string value gets (below): an item is stored and exported the same.
            if (!checkString(key, item.toString(), reasons))
                return false;
            items << item.toString();
        }
        raw.lists.insert(key, items);
        return true;
    }
    if (value.isString() && !checkString(key, value.toString(), reasons))
        return false;
    if (value.isString()) {
        // An empty string is how exporters write "not set", as an empty CSV cell is.
        if (!value.toString().trimmed().isEmpty())
            raw.text.insert(key, value.toString());
        return true;
    }
    QString expected = InventoryText::tr("a string");
    if (numeric)
        expected = InventoryText::tr("a number or a string");
    else if (list)
        expected = InventoryText::tr("a string or an array of strings");
    reasons << InventoryText::tr("'%1' must be %2, not %3").arg(key, expected, jsonTypeName(value));
    return false;
}

} // namespace

void parseJsonFormat(const QByteArray &input, const QString &source, ParsedTargets &out) {
    QByteArray utf8 = input;
    if (utf8.startsWith("\xEF\xBB\xBF"))
        utf8.remove(0, 3); // the line numbers do not change: the BOM has no line end

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &error);
    if (error.error != QJsonParseError::NoError) {
        out.addIssue(SourceLocation{source, lineAt(utf8, error.offset)},
                     InventoryText::tr("invalid JSON: %1 (column %2)")
                         .arg(error.errorString())
                         .arg(columnAt(utf8, error.offset)));
        return;
    }
    if (!doc.isArray()) {
        out.addIssue(SourceLocation{source, 1},
                     InventoryText::tr("expected a JSON array of target objects, found %1")
                         .arg(doc.isObject() ? InventoryText::tr("an object")
                                             : InventoryText::tr("nothing")));
        return;
    }

    const QJsonArray array = doc.array();
    const QList<qsizetype> offsets = topLevelElementOffsets(utf8);
    for (qsizetype index = 0; index < array.size(); ++index) {
        // Without a line (the scan found fewer elements, which it should not), name the item.
        const int line = offsets.size() == array.size() ? lineAt(utf8, offsets.at(index)) : 0;
        const SourceLocation where{source, line};
        const QString item = InventoryText::tr("item %1").arg(index);
        QStringList reasons;
        const QJsonValue element = array.at(index);
        if (!element.isObject()) {
            out.addIssue(where, InventoryText::tr("%1: expected an object with at least \"host\", "
                                                  "found %2")
                                    .arg(item, jsonTypeName(element)),
                         item);
            continue;
        }
        const QJsonObject object = element.toObject();
        RawTarget raw;
        QStringList unknown;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!targetKeys().contains(it.key())) {
                if (unknown.size() < 5)
                    unknown << quoteExcerpt(it.key());
                else if (unknown.size() == 5)
                    unknown << QStringLiteral("...");
            }
            else if (!takeMember(it.key(), it.value(), raw, reasons))
                raw.alreadyReported << it.key();
        }
        if (!unknown.isEmpty()) {
            reasons.prepend(InventoryText::tr("unknown key(s) %1 (valid keys: %2)")
                                .arg(joinForMessage(unknown), joinForMessage(targetKeys())));
        }
        const auto target = buildTarget(raw, where, reasons);
        if (target && reasons.isEmpty())
            out.targets.append(*target);
        for (const QString &reason : std::as_const(reasons))
            out.addIssue(where, QStringLiteral("%1: %2").arg(item, reason), item);
    }
}

} // namespace certdash::inventory
