#include "FleetCommand.h"

#include "FleetReadCommand.h"

#include "fleet/FleetConfig.h"
#include "fleet/YamlText.h"
#include "inventory/TargetParser.h"
#include "reports/Report.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

#include <algorithm>

namespace certdash::cli {

namespace {
struct FleetCommandText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Fleet)
};

const QString kCommand = QStringLiteral("fleet config");

int usageError(const CommandStreams &streams, const QString &message) {
    say(streams.err, QStringLiteral("certdash fleet config: %1\n").arg(message) +
                         FleetCommandText::tr("Try 'certdash fleet config --help'.\n"));
    return 3;
}

QString fleetUsage() {
    return FleetCommandText::tr("Usage: certdash fleet config|read [OPTIONS]\n"
                                "\n"
                                "Subcommands:\n"
                                "  config   write blackbox_exporter and Prometheus configuration "
                                "from the inventory\n"
                                "  read     read the fleet's results from Prometheus, as 'certdash "
                                "scan' reports\n"
                                "\n"
                                "Options:\n"
                                "  -h, --help  Show this help.\n"
                                "\n"
                                "See 'certdash fleet config --help' and 'certdash fleet read "
                                "--help'.\n");
}
} // namespace

int runFleet(const QStringList &arguments, const CommandStreams &streams) {
    const QString sub = arguments.value(0);
    if (sub.isEmpty()) {
        say(streams.err, fleetUsage());
        return 3;
    }
    if (sub == QLatin1String("-h") || sub == QLatin1String("--help")) {
        say(streams.out, fleetUsage());
        return 0;
    }
    if (sub == QLatin1String("read"))
        return runFleetRead(arguments.mid(1), streams);
    if (sub != QLatin1String("config")) {
        say(streams.err,
            FleetCommandText::tr("certdash fleet: unknown subcommand '%1'\n").arg(sub.left(40)) +
                fleetUsage());
        return 3;
    }

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(FleetCommandText::tr(
        "Write a Prometheus + blackbox_exporter fleet configuration from the inventory: "
        "DIR/blackbox.yml (modules), DIR/targets.json (file-based discovery, one entry per "
        "target address), DIR/prometheus.yml (scrapes the exporters) and DIR/README.txt. "
        "Targets blackbox_exporter cannot probe the way CertDash does are listed on standard "
        "error and in README.txt."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  FleetCommandText::tr("Show this help."));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    FleetCommandText::tr("The directory to write (created if "
                                                         "missing; the files are replaced)."),
                                    FleetCommandText::tr("DIR"));
    const QCommandLineOption targetsFile(
        QStringList{QStringLiteral("t"), QStringLiteral("targets")},
        FleetCommandText::tr("Read the targets from FILE (any format 'certdash import' reads) "
                             "instead of the stored inventory."),
        FleetCommandText::tr("FILE"));
    const QCommandLineOption exporter(
        QStringLiteral("exporter"),
        FleetCommandText::tr("A blackbox_exporter to scrape (repeatable; default "
                             "127.0.0.1:9115)."),
        FleetCommandText::tr("HOST:PORT"));
    const QCommandLineOption interval(
        QStringLiteral("interval"),
        FleetCommandText::tr("Prometheus scrape interval (e.g. 30s, 1m, 5m; default 1m)."),
        FleetCommandText::tr("DURATION"), QStringLiteral("1m"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"),
        FleetCommandText::tr("Probe timeout of every module, in seconds (default: the probe "
                             "timeout in the window's Settings, 10 unless changed)."),
        FleetCommandText::tr("SECONDS"));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({help, output, targetsFile, exporter, interval, timeout, database});
    if (!parser.parse(QStringList{QStringLiteral("certdash fleet config")} + arguments.mid(1)))
        return usageError(streams, parser.errorText());
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, kCommand));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(streams, FleetCommandText::tr("unexpected argument '%1'")
                                       .arg(parser.positionalArguments().first().left(60)));
    if (!parser.isSet(output) || parser.value(output).isEmpty())
        return usageError(streams, FleetCommandText::tr("--output DIR is required"));
    if (parser.isSet(targetsFile) && parser.isSet(database))
        return usageError(streams,
                          FleetCommandText::tr("--targets and --database exclude each other"));

    fleet::FleetOptions options;
    if (parser.isSet(exporter)) {
        options.exporters = parser.values(exporter);
        for (const QString &value : std::as_const(options.exporters)) {
            const QString problem = fleet::exporterProblem(value);
            if (!problem.isEmpty())
                return usageError(streams, QStringLiteral("--exporter: ") + problem);
        }
    }
    const auto intervalMs = fleet::parseDuration(parser.value(interval));
    if (!intervalMs || *intervalMs < 1000)
        return usageError(streams, FleetCommandText::tr("--interval: expected a duration of at "
                                                        "least 1s (e.g. 30s, 1m), got '%1'")
                                       .arg(parser.value(interval).left(40)));
    options.intervalMs = *intervalMs;
    bool numeric = false;
    // The window's Settings allow up to an hour; a module's timeout is at most 600 s.
    const double timeoutSeconds = parser.isSet(timeout)
                                      ? parser.value(timeout).toDouble(&numeric)
                                      : std::min(Settings().values().timeoutSeconds, 600.0);
    numeric = numeric || !parser.isSet(timeout);
    if (!numeric || !(timeoutSeconds >= 0.1) || timeoutSeconds > 600)
        return usageError(streams, FleetCommandText::tr("--timeout: expected seconds between 0.1 "
                                                        "and 600, got '%1'")
                                       .arg(parser.value(timeout).left(40)));
    options.timeoutMs = qRound64(timeoutSeconds * 1000);

    QList<Target> targets;
    if (parser.isSet(targetsFile)) {
        const QString file = parser.value(targetsFile);
        const ParsedTargets parsed = readTargetsFile(file, TargetFormat::Auto);
        for (const QString &message : parsed.messages())
            say(streams.err, message + QLatin1Char('\n'));
        if (!parsed.ok()) {
            say(streams.err, FleetCommandText::tr("certdash fleet config: problems in %1; "
                                                  "nothing was written.\n")
                                 .arg(file));
            return 3;
        }
        targets = parsed.targets;
    } else {
        auto store = openStore(parser.value(database), kCommand, streams);
        if (!store)
            return 3;
        QString error;
        const TargetRepository repository(*store, *streams.clock);
        targets = repository.all(&error);
        const QList<TagPolicy> policies =
            error.isEmpty() ? repository.tagPolicies(&error) : QList<TagPolicy>{};
        if (!error.isEmpty()) {
            say(streams.err, QStringLiteral("certdash fleet config: %1\n").arg(error));
            return 3;
        }
        // What a scan of the store would use: the tags' acceptance, client certificate and
        // proxy, and the settings' (the window's), so that every difference is listed.
        const ConnectionSettings global = Settings().values().connection;
        for (Target &t : targets) {
            t.acceptance = effectiveAcceptance(policies, t);
            t.connection = effectiveConnection(global, policies, t);
        }
    }

    const fleet::FleetConfig config = fleet::generateFleetConfig(targets, options);
    const QString dir = parser.value(output);
    if (!QDir().mkpath(dir)) {
        say(streams.err,
            FleetCommandText::tr("certdash fleet config: cannot create the directory %1\n")
                .arg(dir));
        return 3;
    }
    const QList<QPair<QString, QByteArray>> files{
        {QStringLiteral("blackbox.yml"), config.blackboxYml},
        {QStringLiteral("targets.json"), config.targetsJson},
        {QStringLiteral("prometheus.yml"), config.prometheusYml},
        {QStringLiteral("README.txt"), config.readme}};
    for (const auto &[name, data] : files) {
        if (!writeOutput(data, QDir(dir).filePath(name), kCommand, streams))
            return 3;
    }
    for (const fleet::FleetNote &note : config.notes)
        say(streams.err,
            QStringLiteral("certdash fleet config: %1: %2\n").arg(note.target, note.reason));
    say(streams.err, FleetCommandText::tr("certdash fleet config: wrote %1: %2 target addresses, "
                                          "%3 modules, %4 listed in README.txt\n")
                         .arg(dir)
                         .arg(config.entries)
                         .arg(config.modules)
                         .arg(config.notes.size()));
    return 0;
}

} // namespace certdash::cli
