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
} // namespace

int runReport(const QStringList &arguments, const CommandStreams &streams)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(
        ReportText::tr("Report the latest stored result of every target address (as 'certdash "
                       "scan' would print it), without probing. Exit codes as for scan."));
    const QCommandLineOption format(QStringList{QStringLiteral("f"), QStringLiteral("format")},
                                    ReportText::tr("csv (default), json or prometheus."),
                                    ReportText::tr("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    ReportText::tr("Write to FILE (atomically) instead of "
                                                   "standard output."),
                                    ReportText::tr("FILE"));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  ReportText::tr("Show this help."));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({format, output, database, help});
    if (!parser.parse(QStringList{QStringLiteral("certdash report")} + arguments)) {
        say(streams.err, QStringLiteral("certdash report: %1\n").arg(parser.errorText()));
        return 3;
    }
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, QStringLiteral("report")));
        return 0;
    }
    const auto reportFormat = reportFormatFromName(parser.value(format));
    if (!reportFormat) {
        say(streams.err, ReportText::tr("certdash report: --format: unknown format '%1' (expected "
                                        "one of: %2)\n")
                             .arg(parser.value(format), reportFormatNames().join(u", ")));
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
