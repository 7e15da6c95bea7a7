#include "FleetReadCommand.h"

#include "ScanCommand.h"
#include "domain/Excerpt.h"
#include "fleet/FleetReader.h"
#include "reports/Report.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>

#include <cmath>

namespace certdash::cli {

namespace {
struct FleetReadText {
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::FleetRead)
};

const QString kCommand = QStringLiteral("fleet read");

int usageError(const CommandStreams &streams, const QString &message) {
    say(streams.err, QStringLiteral("certdash fleet read: %1\n").arg(message) +
                         FleetReadText::tr("Try 'certdash fleet read --help'.\n"));
    return 3;
}

// Stored targets with the thresholds their tags give them, as `certdash scan` judges them.
std::optional<QList<Target>> storedTargets(const QString &path, const CommandStreams &streams) {
    auto store = openStore(path, kCommand, streams);
    if (!store)
        return std::nullopt;
    const TargetRepository repository(*store, *streams.clock);
    QString error;
    QList<Target> all = repository.all(&error);
    const QList<TagPolicy> policies =
        error.isEmpty() ? repository.tagPolicies(&error) : QList<TagPolicy>{};
    if (!error.isEmpty()) {
        say(streams.err, QStringLiteral("certdash fleet read: %1\n").arg(error));
        return std::nullopt;
    }
    for (Target &t : all) {
        const ExpiryPolicy p = effectivePolicy(ExpiryPolicy{}, policies, t);
        t.warningDays = p.warningDays;
        t.criticalDays = p.criticalDays;
        t.rotationDays = p.rotationDays;
    }
    return all;
}
} // namespace

int runFleetRead(const QStringList &arguments, const CommandStreams &streams) {
    KeychainSecretStore keychain;
    return runFleetRead(arguments, streams, &keychain);
}

int runFleetRead(const QStringList &arguments, const CommandStreams &streams,
                 SecretStore *secrets) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(
        FleetReadText::tr(
            "Read the fleet's latest results from Prometheus (the blackbox_exporter probes that "
            "'certdash fleet config' set up) and print them as 'certdash scan' does: same columns, "
            "statuses, thresholds and exit codes (0 ok, 1 warning, 2 critical, expired or a failed "
            "probe). Columns blackbox_exporter does not export stay empty (see the README). Exit "
            "3: "
            "bad usage, or Prometheus could not be read within --timeout or has no fleet series.\n"
            "The bearer token, or with --user the Basic password, is read from the keychain entry "
            "fleet:URL ('certdash secret set fleet:URL'), else from the environment variable %1.")
            .arg(QString::fromLatin1(kFleetSecretVariable)));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  FleetReadText::tr("Show this help."));
    const QCommandLineOption prometheus(
        QStringLiteral("prometheus"),
        FleetReadText::tr("The Prometheus that scrapes the fleet (e.g. http://127.0.0.1:9090)."),
        FleetReadText::tr("URL"));
    const QCommandLineOption format(QStringList{QStringLiteral("f"), QStringLiteral("format")},
                                    FleetReadText::tr("Report format: csv, json or prometheus "
                                                      "(default csv)."),
                                    FleetReadText::tr("FORMAT"), QStringLiteral("csv"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    FleetReadText::tr("Write the report to FILE (atomically) "
                                                      "instead of standard output."),
                                    FleetReadText::tr("FILE"));
    const QCommandLineOption caFile(QStringLiteral("ca-file"),
                                    FleetReadText::tr("The CA (PEM) of an https Prometheus on a "
                                                      "private CA (default: the system CAs)."),
                                    FleetReadText::tr("FILE"));
    const QCommandLineOption user(QStringLiteral("user"),
                                  FleetReadText::tr("Basic authentication as USER (the password "
                                                    "from the keychain or the environment)."),
                                  FleetReadText::tr("USER"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"),
        FleetReadText::tr("Give up when Prometheus has not answered within SECONDS (default 10)."),
        FleetReadText::tr("SECONDS"), QStringLiteral("10"));
    const QCommandLineOption database = databaseOption();
    parser.addOptions({help, prometheus, format, output, caFile, user, timeout, database});
    if (!parser.parse(QStringList{QStringLiteral("certdash fleet read")} + arguments))
        return usageError(streams, parser.errorText());
    if (parser.isSet(help)) {
        say(streams.out, commandHelp(parser, kCommand));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(streams, FleetReadText::tr("unexpected argument %1")
                                       .arg(quoteExcerpt(parser.positionalArguments().first())));
    if (!parser.isSet(prometheus))
        return usageError(streams, FleetReadText::tr("--prometheus URL is required"));
    const QString urlProblem = fleetUrlProblem(parser.value(prometheus));
    if (!urlProblem.isEmpty())
        return usageError(streams, QStringLiteral("--prometheus: ") + urlProblem);
    const auto reportFormat = reportFormatFromName(parser.value(format));
    if (!reportFormat)
        return usageError(streams, FleetReadText::tr("--format: expected %1, got %2")
                                       .arg(reportFormatNames().join(QStringLiteral(", ")),
                                            quoteExcerpt(parser.value(format))));
    bool numeric = false;
    const double seconds = parser.value(timeout).toDouble(&numeric);
    if (!numeric || !std::isfinite(seconds) || seconds <= 0 || seconds > 3600)
        return usageError(streams, FleetReadText::tr("--timeout: expected seconds between 0 and "
                                                     "3600, got %1")
                                       .arg(quoteExcerpt(parser.value(timeout))));

    FleetSource source;
    source.url = QUrl(parser.value(prometheus), QUrl::StrictMode);
    source.caFile = parser.value(caFile);
    if (parser.isSet(user)) {
        source.auth = FleetSource::Auth::Basic;
        source.user = parser.value(user);
    }

    QList<Target> known;
    if (parser.isSet(database)) {
        const auto stored = storedTargets(parser.value(database), streams);
        if (!stored)
            return 3;
        known = *stored;
    }

    // The secret: required for Basic; a bearer token when one is stored or set, else none.
    const ResolvedSecret secret = resolveSecret(secrets, source.secretKey(), kFleetSecretVariable);
    if (source.auth == FleetSource::Auth::Basic && !secret.found) {
        say(streams.err, QStringLiteral("certdash fleet read: %1\n").arg(secret.error));
        return 3;
    }
    if (source.auth == FleetSource::Auth::None && secret.found)
        source.auth = FleetSource::Auth::Bearer;

    FleetReader reader(source, secret.value);
    reader.setTimeout(std::chrono::milliseconds(qint64(std::llround(seconds * 1000))));
    reader.setKnownTargets(known);
    reader.setClock(streams.clock);
    QEventLoop loop;
    QList<ProbeResult> rows;
    QDateTime readAt;
    QString failure;
    QObject::connect(&reader, &FleetReader::latestRead, &loop,
                     [&](const QList<ProbeResult> &read, const QDateTime &at) {
                         rows = read;
                         readAt = at;
                         loop.quit();
                     });
    QObject::connect(&reader, &FleetReader::readFailed, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    reader.readLatest();
    loop.exec();
    if (!failure.isEmpty()) {
        say(streams.err, QStringLiteral("certdash fleet read: %1\n").arg(failure));
        return 3;
    }
    if (rows.isEmpty()) {
        say(streams.err,
            FleetReadText::tr("certdash fleet read: %1 has no series of CertDash's fleet "
                              "(probe_success with the labels target and host that 'certdash "
                              "fleet config' writes)\n")
                .arg(source.url.toString(QUrl::RemoveUserInfo)));
        return 3;
    }

    const QByteArray report = renderReport(*reportFormat, rows, readAt);
    if (!writeOutput(report, parser.value(output), kCommand, streams))
        return 3;
    QDateTime oldest;
    for (const ProbeResult &r : std::as_const(rows)) {
        if (r.probedAt.isValid() && (!oldest.isValid() || r.probedAt < oldest))
            oldest = r.probedAt;
    }
    say(streams.err, FleetReadText::tr("certdash fleet read: %1 (from %2, oldest sample %3 s "
                                       "old)\n")
                         .arg(summaryLine(rows), source.url.toString(QUrl::RemoveUserInfo))
                         .arg(oldest.isValid() ? oldest.secsTo(readAt) : 0));
    return exitCodeForResults(rows);
}

} // namespace certdash::cli
