#include "DocumentFormat.h"

#include "domain/Excerpt.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

namespace certdash::cli {

namespace {
struct DocumentText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Report)
};

// The command and its arguments, whatever comes before it (`--database F report ...`).
QStringList commandArguments(int argc, char **argv) {
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    while (!arguments.isEmpty()) {
        const QString &a = arguments.first();
        if (a == QLatin1String("--database") && arguments.size() > 1)
            arguments.remove(0, 2);
        else if (a.startsWith(QLatin1String("--database=")))
            arguments.removeFirst();
        else
            break;
    }
    return arguments;
}
} // namespace

bool needsGuiApplication(int argc, char **argv, const Extensions &extensions) {
    const QStringList arguments = commandArguments(argc, argv);
    if (arguments.value(0) != QLatin1String("report") || extensions.documentFormats.isEmpty())
        return false;
    QString format;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--"))
            break;
        if ((a == QLatin1String("--format") || a == QLatin1String("-format") ||
             a == QLatin1String("-f")) &&
            i + 1 < arguments.size()) {
            format = arguments.at(++i);
        } else if (a.startsWith(QLatin1String("--format="))) {
            format = a.mid(9);
        } else if (a.startsWith(QLatin1String("-format="))) {
            format = a.mid(8);
        }
    }
    for (const DocumentFormat &d : extensions.documentFormats) {
        if (d.name.compare(format.trimmed(), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

std::optional<QDateTime> parseSince(const QString &text, const QDateTime &now,
                                    const QTimeZone &zone, QString *error) {
    const QString value = text.trimmed();
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,6})\\s*([mhdw])$"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (const QRegularExpressionMatch m = duration.match(value); m.hasMatch()) {
        const qint64 count = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0).toLower();
        const qint64 seconds = unit == u'm'   ? 60
                               : unit == u'h' ? 3600
                               : unit == u'd' ? 86400
                                              : 604800;
        return now.toUTC().addSecs(-count * seconds);
    }
    if (const QDate date = QDate::fromString(value, Qt::ISODate);
        date.isValid() && value.size() == 10)
        return QDateTime(date, QTime(0, 0), zone).toUTC();
    QDateTime at = QDateTime::fromString(value, Qt::ISODateWithMs);
    if (at.isValid()) {
        // No offset written: the reader's own clock.
        if (at.timeSpec() == Qt::LocalTime)
            at = QDateTime(at.date(), at.time(), zone);
        return at.toUTC();
    }
    if (error)
        *error = DocumentText::tr("--since: %1 is neither a date (2026-11-30), a date and time "
                                  "(2026-11-30T08:00) nor a duration (7d, 36h, 2w, 90m)")
                     .arg(quoteExcerpt(value));
    return std::nullopt;
}

} // namespace certdash::cli
