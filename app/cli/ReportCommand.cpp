#include "ReportCommand.h"

#include "ScanCommand.h"
#include "reports/Report.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace certdash::cli {

namespace {
struct ReportText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Report)
};

// `report --format html|pdf`: the registered renderer writes the whole document, then it goes
// out as every report does (atomically to --output, else standard output). Exit codes as for
// the other formats.
int writeDocument(const DocumentFormat &document, const QString &sinceText, const QString &output,
                  const QString &databasePath, const CommandStreams &streams)
{
    DocumentRequest request;
    request.now = streams.clock->now().toUTC();
    QString error;
    const std::optional<QDateTime> since =
        sinceText.isEmpty() ? std::optional<QDateTime>(request.now.addDays(-7))
                            : parseSince(sinceText, request.now, request.zone, &error);
    if (!since) {
        say(streams.err, QStringLiteral("certdash report: %1\n").arg(error));
        return 3;
    }
    request.changesSince = *since;
    auto store = openStore(databasePath, QStringLiteral("report"), streams);
    if (!store)
        return 3;
    DocumentOutput rendered;
    if (!document.write(*store, request, &rendered, &error)) {
        say(streams.err, QStringLiteral("certdash report: %1\n").arg(error));
        return 3;
    }
    if (rendered.results == 0)
        say(streams.err, ReportText::tr("certdash report: %1 has no probe results yet; run "
                                        "'certdash scan' first.\n")
                             .arg(store->path()));
    if (!writeOutput(rendered.data, output, QStringLiteral("report"), streams))
        return 3;
    return rendered.exitCode;
}
} // namespace

int runReport(const QStringList &arguments, const CommandStreams &streams)
{
    return runReport(arguments, streams, {});
}

int runReport(const QStringList &arguments, const CommandStreams &streams,
              const QList<DocumentFormat> &documents)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(
        documents.isEmpty()
            ? ReportText::tr("Report the latest stored result of every target address (as "
                             "'certdash scan' would print it), without probing. Exit codes as "
                             "for scan.")
            : ReportText::tr("Report the latest stored result of every target address (as "
                             "'certdash scan' would print it), without probing; or, with "
                             "--format html or pdf, the evidence report. Exit codes as for "
                             "scan."));
    QStringList formatNames = reportFormatNames();
    QStringList documentLines;
    for (const DocumentFormat &d : documents) {
        formatNames << d.name;
        documentLines << QStringLiteral("%1: %2").arg(d.name, d.description);
    }
    const QString formatHelp =
        documents.isEmpty()
            ? ReportText::tr("csv (default), json or prometheus.")
            : ReportText::tr("csv (default), json, prometheus, or a document: %1.")
                  .arg(documentLines.join(QStringLiteral("; ")));
    const QCommandLineOption format(QStringList{QStringLiteral("f"), QStringLiteral("format")},
                                    formatHelp, ReportText::tr("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption since(
        QStringLiteral("since"),
        ReportText::tr("Documents only: list the changes first seen since DATE (2026-11-30, "
                       "local time unless an offset is given) or DURATION before now (7d, 36h, "
                       "2w; default 7d)."),
        ReportText::tr("DATE|DURATION"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    ReportText::tr("Write to FILE (atomically) instead of "
                                                   "standard output."),
                                    ReportText::tr("FILE"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  ReportText::tr("Show this help."));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({format, output, database, help});
    if (!documents.isEmpty())
        parser.addOption(since);
    if (!parser.parse(QStringList{QStringLiteral("certdash report")} + arguments)) {
        say(streams.err, QStringLiteral("certdash report: %1\n").arg(parser.errorText()));
        return 3;
    }
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, QStringLiteral("report")));
        return 0;
    }
    const DocumentFormat *document = nullptr;
    for (const DocumentFormat &d : documents) {
        if (d.name.compare(parser.value(format).trimmed(), Qt::CaseInsensitive) == 0)
            document = &d;
    }
    const auto reportFormat = reportFormatFromName(parser.value(format));
    if (!reportFormat && !document) {
        say(streams.err, ReportText::tr("certdash report: --format: unknown format '%1' (expected "
                                        "one of: %2)\n")
                             .arg(parser.value(format), formatNames.join(u", ")));
        return 3;
    }
    if (document)
        return writeDocument(*document, parser.value(since), parser.value(output),
                             parser.value(database), streams);
    if (parser.isSet(since)) {
        say(streams.err, ReportText::tr("certdash report: --since applies to the documents (%1) "
                                        "only\n")
                             .arg(formatNames.mid(reportFormatNames().size()).join(u", ")));
        return 3;
    }
    auto store = openStore(parser.value(database), QStringLiteral("report"), streams);
    if (!store)
        return 3;
    QString error;
    // JSON shows every certificate with its PEM and text dump; CSV and Prometheus only need
    // the leaf and the limiting certificate, which is several times faster to load.
    const CertificateDetail detail = *reportFormat == ReportFormat::Json
        ? CertificateDetail::Full
        : CertificateDetail::Summary;
    const QList<ProbeResult> results = HistoryRepository(*store).latest(&error, detail);
    if (!error.isEmpty()) {
        say(streams.err, QStringLiteral("certdash report: %1\n").arg(error));
        return 3;
    }
    if (results.isEmpty())
        say(streams.err, ReportText::tr("certdash report: %1 has no probe results yet; run "
                                        "'certdash scan' first.\n")
                             .arg(store->path()));
    const QByteArray data = renderReport(*reportFormat, results, streams.clock->now());
    if (!writeOutput(data, parser.value(output), QStringLiteral("report"), streams))
        return 3;
    return exitCodeForResults(results);
}

} // namespace certdash::cli
