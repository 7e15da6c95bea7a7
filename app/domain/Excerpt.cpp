#include "Excerpt.h"

#include <QCoreApplication>

#include <climits>

namespace certdash {

namespace {

// The inventory's translation context, where this text was first translated (as InventoryText).
class ExcerptText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Inventory)
};

bool needsEscape(char32_t c) {
    if (c < 0x20 || c == 0x7F)
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format: // bidi overrides, zero-width characters, soft hyphens
    case QChar::Other_Surrogate:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString hexDigits(uint value, int width) {
    return QString::number(value, 16).toUpper().rightJustified(width, QLatin1Char('0'));
}

void appendEscaped(QString &out, char32_t c) {
    switch (c) {
    case '\n':
        out += QLatin1String("\\n");
        return;
    case '\r':
        out += QLatin1String("\\r");
        return;
    case '\t':
        out += QLatin1String("\\t");
        return;
    default:
        break;
    }
    out += c < 0x100 ? QLatin1String("\\x") : QLatin1String("\\u");
    out += hexDigits(c, c < 0x100 ? 2 : 4);
}

} // namespace

QString quoteExcerpt(QStringView text, qsizetype maxChars) {
    QString out = QStringLiteral("'");
    qsizetype shown = 0;
    qsizetype i = 0;
    while (i < text.size() && shown < maxChars) {
        char32_t c = text.at(i).unicode();
        qsizetype width = 1;
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() &&
            text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            width = 2;
        }
        if (c == '\\' || c == '\'') {
            out += QLatin1Char('\\');
            out += QChar(c);
        } else if (needsEscape(c)) {
            appendEscaped(out, c);
        } else {
            out += text.mid(i, width);
        }
        i += width;
        ++shown;
    }
    out += QLatin1Char('\'');
    if (i < text.size()) {
        out.insert(out.size() - 1, QChar(0x2026));
        out += ExcerptText::tr(" (%n characters)", nullptr,
                               int(qMin<qsizetype>(text.size(), INT_MAX)));
    }
    return out;
}

} // namespace certdash
