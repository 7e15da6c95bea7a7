#include "YamlText.h"

#include <QRegularExpression>

namespace certdash::fleet {

QString yamlQuoted(const QString &text) {
    QString quoted;
    quoted.reserve(text.size() + 2);
    quoted += QLatin1Char('"');
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"':
            quoted += QLatin1String("\\\"");
            break;
        case u'\\':
            quoted += QLatin1String("\\\\");
            break;
        case u'\n':
            quoted += QLatin1String("\\n");
            break;
        case u'\r':
            quoted += QLatin1String("\\r");
            break;
        case u'\t':
            quoted += QLatin1String("\\t");
            break;
        default:
            if (u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f))
                quoted += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
            else if (u == 0x2028 || u == 0x2029 || u == 0xfeff)
                quoted += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
            else
                quoted += c;
        }
    }
    quoted += QLatin1Char('"');
    return quoted;
}

std::optional<qint64> parseDuration(const QString &text) {
    const QString t = text.trimmed();
    bool plain = false;
    const double seconds = t.toDouble(&plain);
    if (plain) {
        if (!(seconds > 0) || seconds > 365.0 * 86400)
            return std::nullopt;
        return qRound64(seconds * 1000);
    }
    static const QRegularExpression whole(QStringLiteral("^(?:\\d+(?:ms|s|m|h|d))+$"));
    if (!whole.match(t).hasMatch())
        return std::nullopt;
    static const QRegularExpression part(QStringLiteral("(\\d+)(ms|s|m|h|d)"));
    qint64 total = 0;
    for (auto it = part.globalMatch(t); it.hasNext();) {
        const auto m = it.next();
        const qint64 n = m.captured(1).left(9).toLongLong();
        const QString unit = m.captured(2);
        const qint64 factor = unit == QLatin1String("ms")  ? 1
                              : unit == QLatin1String("s") ? 1000
                              : unit == QLatin1String("m") ? 60'000
                              : unit == QLatin1String("h") ? 3'600'000
                                                           : 86'400'000;
        total += n * factor;
    }
    if (total <= 0 || total > 365LL * 86'400'000)
        return std::nullopt;
    return total;
}

QString formatDuration(qint64 milliseconds) {
    if (milliseconds % 1000 != 0)
        return QStringLiteral("%1ms").arg(milliseconds);
    const qint64 s = milliseconds / 1000;
    if (s % 3600 == 0)
        return QStringLiteral("%1h").arg(s / 3600);
    if (s % 60 == 0)
        return QStringLiteral("%1m").arg(s / 60);
    return QStringLiteral("%1s").arg(s);
}

} // namespace certdash::fleet
