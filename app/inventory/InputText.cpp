#include "InputText.h"

#include "TargetFields.h"

#include <QJsonValue>
#include <QStringDecoder>

namespace certdash::inventory {

namespace {

QString hexDigits(uint value, int width) {
    return QString::number(value, 16).toUpper().rightJustified(width, QLatin1Char('0'));
}

int lineOf(const QByteArray &bytes, qsizetype offset) {
    return int(QByteArrayView(bytes).first(offset).count('\n')) + 1;
}

// Offset of the first byte that is not part of well-formed UTF-8, or -1.
qsizetype invalidUtf8Offset(const QByteArray &bytes) {
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const uchar c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        char32_t min = 0;
        char32_t value = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            min = 0x80;
            value = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            min = 0x800;
            value = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            min = 0x10000;
            value = c & 0x07;
        } else {
            return i;
        }
        if (i + extra >= n)
            return i;
        for (int k = 1; k <= extra; ++k) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            value = (value << 6) | (p[i + k] & 0x3F);
        }
        if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

} // namespace

QString jsonTypeName(const QJsonValue &value) {
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return InventoryText::tr("a boolean");
    case QJsonValue::Double:
        return InventoryText::tr("a number");
    case QJsonValue::String:
        return InventoryText::tr("a string");
    case QJsonValue::Array:
        return InventoryText::tr("an array");
    case QJsonValue::Object:
        return InventoryText::tr("an object");
    case QJsonValue::Undefined:
        break;
    }
    return InventoryText::tr("missing");
}

bool decodeInput(const QByteArray &raw, QByteArray *utf8, InputProblem *problem) {
    const auto refuse = [&](int line, const QString &reason) {
        problem->line = line;
        problem->reason = reason;
        return false;
    };
    if (raw.startsWith(QByteArray("\xFF\xFE\x00\x00", 4)) ||
        raw.startsWith(QByteArray("\x00\x00\xFE\xFF", 4))) {
        return refuse(0, InventoryText::tr("UTF-32 text is not supported: save the file as "
                                           "UTF-8"));
    }
    const bool le = raw.startsWith("\xFF\xFE");
    if (le || raw.startsWith("\xFE\xFF")) {
        QStringDecoder decoder(le ? QStringConverter::Utf16LE : QStringConverter::Utf16BE,
                               QStringConverter::Flag::Stateless);
        const QString text = decoder.decode(QByteArrayView(raw).sliced(2));
        if (decoder.hasError() || raw.size() % 2 != 0) {
            return refuse(0, InventoryText::tr("the file starts with a UTF-16 byte order mark but "
                                               "is not valid UTF-16: save it as UTF-8"));
        }
        *utf8 = text.toUtf8();
    } else if (raw.startsWith("\xEF\xBB\xBF")) {
        *utf8 = raw.mid(3);
    } else {
        *utf8 = raw;
    }

    // Whichever comes first: UTF-16 without a BOM shows as NUL bytes before any invalid one.
    const qsizetype nul = utf8->indexOf('\0');
    const qsizetype bad = invalidUtf8Offset(*utf8);
    if (nul >= 0 && (bad < 0 || nul < bad)) {
        return refuse(lineOf(*utf8, nul),
                      InventoryText::tr("a NUL byte: this is not a text file (UTF-16 needs a byte "
                                        "order mark)"));
    }
    if (bad >= 0) {
        // lastIndexOf(c, -1) searches from the end: a bad first byte is on line 1, column 1.
        const qsizetype lineStart = bad > 0 ? utf8->lastIndexOf('\n', bad - 1) + 1 : 0;
        const int column = int(QString::fromUtf8(utf8->mid(lineStart, bad - lineStart)).size()) + 1;
        return refuse(lineOf(*utf8, bad),
                      InventoryText::tr("not UTF-8: byte \\x%1 at column %2; save the file as "
                                        "UTF-8 (or UTF-16 with a byte order mark), e.g. with "
                                        "iconv -f latin1 -t utf-8")
                          .arg(hexDigits(uchar(utf8->at(bad)), 2))
                          .arg(column));
    }
    // U+FEFF past the start is a byte order mark left where files were concatenated (`cat a.csv
    // b.csv`), never part of a name: dropped, so that a value does not start with an invisible
    // character that Qt's JSON reader would drop on the way back in. Line numbers are unchanged.
    if (utf8->contains("\xEF\xBB\xBF"))
        utf8->replace("\xEF\xBB\xBF", "");
    return true;
}

} // namespace certdash::inventory
