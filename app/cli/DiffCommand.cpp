#include "DiffCommand.h"

#include "domain/Excerpt.h"
#include "reports/CsvWriter.h"
#include "storage/ChangeFeed.h"
#include "storage/Database.h"
#include "storage/Settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace certdash::cli {

namespace {
struct DiffText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Diff)
};

QString isoUtc(const QDateTime &time) {
    return time.toUTC().toString(Qt::ISODate);
}

bool isInteger(const QString &text) {
    bool ok = false;
    text.toLongLong(&ok);
    return ok;
}
} // namespace

std::optional<QDateTime> parseTimePoint(const QString &text, const QDateTime &now, QString *error) {
    const QString trimmed = text.trimmed();
    static const QRegularExpression duration(QStringLiteral("^(\\d{1,6})\\s*([smhdw])$"),
                                             QRegularExpression::CaseInsensitiveOption);
    if (const auto m = duration.match(trimmed); m.hasMatch()) {
        static const QHash<QChar, qint64> unit{{QLatin1Char('s'), 1},
                                               {QLatin1Char('m'), 60},
                                               {QLatin1Char('h'), 3600},
                                               {QLatin1Char('d'), 86400},
                                               {QLatin1Char('w'), 7 * 86400}};
        return now.addSecs(-m.captured(1).toLongLong() * unit.value(m.captured(2).at(0).toLower()));
    }
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODate);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(trimmed, Qt::ISODate);
        if (date.isValid())
            time = date.startOfDay();
    }
    if (time.isValid())
        return time.toUTC();
    if (error)
        *error = DiffText::tr("%1 is neither a duration (7d, 12h, 30m, 2w) nor an ISO 8601 "
                              "date (2026-03-01, 2026-03-01T08:00, 2026-03-01T08:00Z)")
                     .arg(quoteExcerpt(trimmed));
    return std::nullopt;
}

QByteArray renderChangesCsv(const QList<Change> &changes) {
    CsvWriter csv;
    csv.addHeader({QStringLiteral("first_seen"), QStringLiteral("kind"),
                   QStringLiteral("target_id"), QStringLiteral("target"), QStringLiteral("address"),
                   QStringLiteral("before"), QStringLiteral("after"), QStringLiteral("detail")});
    for (const Change &c : changes) {
        csv.addRaw(isoUtc(c.firstSeen));
        csv.addRaw(changeKindKey(c.kind));
        if (c.targetId > 0)
            csv.addNumber(c.targetId);
        else
            csv.addEmpty();
        csv.addText(c.target);
        csv.addText(c.address);
        csv.addText(c.before);
        csv.addText(c.after);
        if (isInteger(c.detail))
            csv.addRaw(c.detail); // days left: a number, never guarded
        else
            csv.addText(c.detail);
        csv.endRow();
    }
    return csv.data();
}

QByteArray renderChangesJson(const QList<Change> &changes, const QDateTime &since,
                             const QDateTime &until) {
    QJsonArray rows;
    for (const Change &c : changes) {
        QJsonObject row{
            {QStringLiteral("first_seen"), isoUtc(c.firstSeen)},
            {QStringLiteral("kind"), changeKindKey(c.kind)},
            {QStringLiteral("target_id"), c.targetId > 0 ? QJsonValue(c.targetId) : QJsonValue()},
            {QStringLiteral("target"), c.target},
            {QStringLiteral("address"), c.address},
            {QStringLiteral("before"), c.before},
            {QStringLiteral("after"), c.after},
            {QStringLiteral("detail"), c.detail}};
        rows.append(row);
    }
    const QJsonObject document{{QStringLiteral("since"), isoUtc(since)},
                               {QStringLiteral("until"), isoUtc(until)},
                               {QStringLiteral("changes"), rows}};
    return QJsonDocument(document).toJson(QJsonDocument::Indented);
}

int runDiff(const QStringList &arguments, const CommandStreams &streams) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(DiffText::tr(
        "List what changed in the store between two points in time: certificates rotated, "
        "rotations overdue, findings new or resolved, failures and recoveries, addresses that "
        "appeared, disappeared or serve a different certificate than their siblings, targets "
        "added or removed. One row per change, at the time it was first seen, oldest first. "
        "Exit code 0 (changes or none), 3 for usage or store errors."));
    const QCommandLineOption since(QStringLiteral("since"),
                                   DiffText::tr("From WHEN: a duration back from now (7d, 12h, "
                                                "30m, 2w) or an ISO 8601 date or date-time "
                                                "(local time unless it ends in Z or an offset)."),
                                   DiffText::tr("WHEN"));
    const QCommandLineOption until(QStringLiteral("until"),
                                   DiffText::tr("Up to WHEN, excluded (default: now)."),
                                   DiffText::tr("WHEN"));
    const QCommandLineOption format(QStringList{QStringLiteral("f"), QStringLiteral("format")},
                                    DiffText::tr("csv (default) or json."), DiffText::tr("FORMAT"),
                                    QStringLiteral("csv"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    DiffText::tr("Write to FILE (atomically) instead of "
                                                 "standard output."),
                                    DiffText::tr("FILE"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  DiffText::tr("Show this help."));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({since, until, format, output, database, help});
    const auto usageError = [&](const QString &message) {
        say(streams.err, QStringLiteral("certdash diff: %1\n").arg(message));
        return 3;
    };
    if (!parser.parse(QStringList{QStringLiteral("certdash diff")} + arguments))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, QStringLiteral("diff")));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(DiffText::tr("unexpected argument %1")
                              .arg(quoteExcerpt(parser.positionalArguments().constFirst())));
    const QString formatName = parser.value(format).toLower();
    if (formatName != QLatin1String("csv") && formatName != QLatin1String("json"))
        return usageError(DiffText::tr("--format: unknown format %1 (expected csv or json)")
                              .arg(quoteExcerpt(parser.value(format))));
    if (!parser.isSet(since))
        return usageError(DiffText::tr("--since is required (a duration such as 7d, or a date)"));
    const QDateTime now = streams.clock->now();
    QString error;
    const auto from = parseTimePoint(parser.value(since), now, &error);
    if (!from)
        return usageError(QStringLiteral("--since: ") + error);
    QDateTime to = now;
    if (parser.isSet(until)) {
        const auto parsed = parseTimePoint(parser.value(until), now, &error);
        if (!parsed)
            return usageError(QStringLiteral("--until: ") + error);
        to = *parsed;
    }
    if (*from >= to)
        return usageError(DiffText::tr("--since (%1) must be before --until (%2)")
                              .arg(isoUtc(*from), isoUtc(to)));

    auto store = openStore(parser.value(database), QStringLiteral("diff"), streams);
    if (!store)
        return 3;
    const QList<Change> changes =
        changesBetween(*store, *from, to, Settings().values().rotationDays, &error);
    if (!error.isEmpty())
        return usageError(error);
    const QByteArray data = formatName == QLatin1String("json")
                                ? renderChangesJson(changes, *from, to)
                                : renderChangesCsv(changes);
    if (!writeOutput(data, parser.value(output), QStringLiteral("diff"), streams))
        return 3;
    return 0;
}

} // namespace certdash::cli
