#include "ScanCommand.h"

#include "ScanReport.h"

#include "domain/ExpiryPolicy.h"
#include "probing/ClientIdentity.h"
#include "probing/ProbeScheduler.h"
#include "probing/Prober.h"
#include "probing/TrustStore.h"
#include "secrets/KeychainSecretStore.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Retention.h"
#include "storage/ScanRunRepository.h"
#include "storage/Settings.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMap>
#include <QTimer>

#include <algorithm>
#include <functional>

// DesktopNotifier (QtDBus) is written alongside the tray; until it is in the tree, --notify has
// no desktop to reach and says so.
#if __has_include("alerts/DesktopNotifier.h")
#include "alerts/DesktopNotifier.h"
#define CERTDASH_HAS_DESKTOP_NOTIFIER 1
#endif

namespace certdash::cli {

namespace {
struct ScanText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Scan)
};

// Lets the last probes' sockets finish their polite close before the process exits (bounded).
void waitForClosingSockets()
{
    QElapsedTimer waited;
    waited.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (Prober::closingSockets() == 0 || waited.elapsed() > 1000)
            loop.quit();
    });
    tick.start(5);
    loop.exec();
}
} // namespace

void sortForReport(QList<QPair<int, ProbeResult>> &results)
{
    std::stable_sort(results.begin(), results.end(), [](const auto &a, const auto &b) {
        if (a.first != b.first)
            return a.first < b.first;
        return a.second.address < b.second.address;
    });
}

QString progressLine(int done, int total, double elapsedSeconds)
{
    const int width = int(QString::number(total).size());
    QString line = QStringLiteral("[%1/%2]").arg(done, width).arg(total);
    if (elapsedSeconds > 0.2 && done > 0) {
        const double rate = done / elapsedSeconds;
        line += ScanText::tr(" %1 probes/s").arg(rate, 0, 'f', 1);
        if (done < total)
            line += ScanText::tr(", about %1 s left").arg(qint64(std::ceil((total - done) / rate)));
    }
    return line;
}

void ScanTally::add(const ProbeResult &result)
{
    auto &entry = m_byRank[severityRank(result.status)];
    entry.first = result.status;
    ++entry.second;
    ++m_count;
    m_worst = worseOf(m_worst, result.status);
    const auto trust = trustLevelOf(result);
    if (trust && isWorse(*trust, m_worstTrust))
        m_worstTrust = *trust;
    if (exitCodeFor(result.status) > 0 || (trust && exitCodeForTrust(*trust) > 0)) {
        ++m_attention;
        m_targetsNeedingAttention.insert(endpointKey(result.target));
    }
}

QString ScanTally::summaryLine() const
{
    QStringList parts;
    for (auto it = m_byRank.cbegin(); it != m_byRank.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value().second).arg(statusKey(it.value().first));
    // No plural in the sentence: the untranslated (English) text must read right for any count.
    return ScanText::tr("endpoints %1: %2").arg(m_count).arg(parts.join(QStringLiteral(", ")));
}

int ScanTally::exitCode() const
{
    // Expiry and trust are separate dimensions; the exit code is the worse of the two.
    return std::max(exitCodeFor(m_worst), exitCodeForTrust(m_worstTrust));
}

QString summaryLine(const QList<ProbeResult> &results)
{
    ScanTally tally;
    for (const ProbeResult &r : results)
        tally.add(r);
    return tally.summaryLine();
}

int exitCodeForResults(const QList<ProbeResult> &results)
{
    ScanTally tally;
    for (const ProbeResult &r : results)
        tally.add(r);
    return tally.exitCode();
}

namespace {
// Targets from the store, each carrying the thresholds it inherits from its tags, so that the
// probe's classification needs no database.
std::optional<QList<Target>> storedTargets(Database &database, const ScanOptions &options,
                                           const CommandStreams &streams)
{
    TargetRepository repository(database, *streams.clock);
    QString error;
    const QList<Target> all = repository.all(&error);
    const QList<TagPolicy> policies = repository.tagPolicies(&error);
    if (!error.isEmpty()) {
        say(streams.err, QStringLiteral("certdash scan: %1\n").arg(error));
        return std::nullopt;
    }
    QList<Target> enabled;
    for (Target t : all) {
        if (!t.enabled)
            continue;
        const ExpiryPolicy p = effectivePolicy(options.policy, policies, t);
        t.warningDays = p.warningDays;
        t.criticalDays = p.criticalDays;
        t.rotationDays = p.rotationDays;
        t.acceptance = effectiveAcceptance(policies, t);
        // The scan's own proxy (--proxy, the environment) stays in ProbeOptions: a target that
        // names none, nor its tags, falls back to it there.
        t.connection = effectiveConnection(ConnectionSettings{}, policies, t);
        t.checkRevocation = effectiveRevocationCheck(policies, t);
        enabled << t;
    }
    return enabled;
}

// Probes every target and hands each result over as it arrives (in completion order, with its
// target's position); nothing is kept here.
void probeAll(const QList<Target> &targets, const ProbeOptions &probeOptions,
              const ScanOptions &options, const CommandStreams &streams,
              const std::function<void(int, const ProbeResult &)> &onResult)
{
    const bool showProgress = streams.errIsTerminal && !options.quiet;
    ProbeScheduler scheduler(probeOptions);
    scheduler.setConcurrency(options.concurrency);
    QElapsedTimer elapsed;
    elapsed.start();
    qint64 lastDrawn = -1000;
    QObject::connect(&scheduler, &ProbeScheduler::resultReady, onResult);
    QObject::connect(&scheduler, &ProbeScheduler::progress, [&](int done, int total) {
        if (!showProgress)
            return;
        const qint64 now = elapsed.elapsed();
        if (now - lastDrawn < 100 && done < total)
            return; // ten redraws a second are plenty
        lastDrawn = now;
        say(streams.err, QStringLiteral("\r\033[K") + progressLine(done, total, now / 1000.0));
    });
    QEventLoop loop;
    QObject::connect(&scheduler, &ProbeScheduler::finished, &loop, &QEventLoop::quit);
    scheduler.enqueue(targets);
    loop.exec();
    waitForClosingSockets();
    if (showProgress)
        say(streams.err, QStringLiteral("\r\033[K"));
}
} // namespace

NotificationSink desktopNotificationSink()
{
#ifdef CERTDASH_HAS_DESKTOP_NOTIFIER
    if (!DesktopNotifier::available())
        return {};
    return [](const QList<Notification> &notifications) {
        DesktopNotifier notifier;
        for (const Notification &n : notifications)
            notifier.notify(n);
    };
#else
    return {};
#endif
}

namespace {
// The tracker over a recorded scan: state in the store, crossings to the event log, and with
// --notify to the desktop. Problems are reported and never change the scan's exit code.
// notify null: the desktop, looked up only when --notify asks for it.
void trackAlerts(Database &database, const QList<ProbeResult> &results, const ScanOptions &options,
                 const NotificationSink *notify, const CommandStreams &streams)
{
    const Settings::Values settings = Settings().values();
    AlertServiceOptions alertOptions;
    alertOptions.failureThreshold = settings.alertFailureCount;
    alertOptions.eventLogPath = options.eventLogPath.value_or(settings.eventLogPath);
    AlertService alerts(database, streams.clock, alertOptions);
    const auto report = [&](const QString &message) {
        say(streams.err, ScanText::tr("certdash scan: alerts: %1\n").arg(message));
    };
    QObject::connect(&alerts, &AlertService::problem, report);
    QString error;
    if (!alerts.load(&error))
        report(error);
    if (options.notify) {
        const NotificationSink sink = notify ? *notify : desktopNotificationSink();
        if (sink)
            alerts.setNotificationSink(sink);
        else
            report(ScanText::tr("--notify: no desktop notification service is available; "
                                "crossings are only logged"));
    }
    alerts.processScan(results);
}
} // namespace

namespace {
int scan(const QStringList &arguments, const CommandStreams &streams,
         const NotificationSink *notify);
} // namespace

int runScan(const QStringList &arguments, const CommandStreams &streams)
{
    return scan(arguments, streams, nullptr);
}

int runScan(const QStringList &arguments, const CommandStreams &streams,
            const NotificationSink &notify)
{
    return scan(arguments, streams, &notify);
}

namespace {
int scan(const QStringList &arguments, const CommandStreams &streams,
         const NotificationSink *notify)
{
    const ScanArguments parsed = parseScanArguments(arguments);
    if (parsed.helpRequested) {
        say(streams.out, scanUsage());
        return 0;
    }
    if (!parsed.options) {
        say(streams.err,
            ScanText::tr("certdash scan: %1\nTry 'certdash scan --help'.\n").arg(parsed.error));
        return 3;
    }
    ScanOptions options = *parsed.options;
    QElapsedTimer elapsed;
    elapsed.start();
    const QDateTime startedAt = streams.clock->now();

    // Targets come from a file (no database involved at all) or from the stored inventory.
    std::unique_ptr<Database> database;
    QList<Target> targets;
    if (!options.targetsPath.isEmpty()) {
        const ParsedTargets input = readTargetsFile(options.targetsPath, options.inputFormat);
        if (!input.ok()) {
            for (const QString &message : input.messages())
                say(streams.err, message + QLatin1Char('\n'));
            say(streams.err,
                ScanText::tr("certdash scan: problems in the targets: %1; nothing was probed.\n")
                    .arg(input.issueCount()));
            return 3;
        }
        targets = input.targets;
        if (targets.isEmpty()) {
            say(streams.err,
                ScanText::tr("certdash scan: %1 lists no targets; nothing was probed.\n")
                    .arg(options.targetsPath == QLatin1String("-") ? QStringLiteral("<stdin>")
                                                                   : options.targetsPath));
            return 3;
        }
    } else {
        database = openStore(options.databasePath, QStringLiteral("scan"), streams);
        if (!database)
            return 3;
        const auto stored = storedTargets(*database, options, streams);
        if (!stored)
            return 3;
        targets = *stored;
        if (targets.isEmpty()) {
            say(streams.err, ScanText::tr("certdash scan: the inventory in %1 has no enabled "
                                          "targets; add some with 'certdash import FILE' or "
                                          "give --targets FILE.\n")
                                 .arg(database->path()));
            return 3;
        }
        options.record = true;
    }

    QString error;
    ProbeOptions probeOptions;
    probeOptions.timeoutMs = options.timeoutMs;
    probeOptions.engine = options.engine;
    // Online revocation checks: --check-revocation, or the window's setting for its inventory.
    probeOptions.checkRevocation =
        options.checkRevocation || (options.record && Settings().values().checkRevocation);
    probeOptions.policy = options.policy;
    probeOptions.clock = streams.clock;
    probeOptions.anchors = TrustStore::create(options.systemAnchors, options.caFiles, &error);
    if (!probeOptions.anchors) {
        say(streams.err, ScanText::tr("certdash scan: %1\n").arg(error));
        return 3;
    }
    // Passwords come from the keychain (asked only when a proxy names a user), else from
    // CERTDASH_PROXY_PASSWORD.
    KeychainSecretStore keychain;
    if (!applyScanProxy(probeOptions, options, QProcessEnvironment::systemEnvironment(), &keychain,
                        &error)) {
        say(streams.err, ScanText::tr("certdash scan: %1\n").arg(error));
        return 3;
    }
    if (const QStringList problems = addTargetProxies(probeOptions.proxy, targets, &keychain);
        !problems.isEmpty()) {
        for (const QString &problem : problems)
            say(streams.err, ScanText::tr("certdash scan: %1\n").arg(problem));
        return 3;
    }
    if (!options.clientCertPath.isEmpty()) {
        // Once per scan, before any probe: a wrong passphrase is one clear error, not a failed
        // probe per target. The passphrase: the keychain, else the documented variable.
        const ClientIdentity::Loaded loaded =
            ClientIdentity::load(options.clientCertPath, options.clientKeyPath, &keychain);
        if (!loaded.identity) {
            say(streams.err, ScanText::tr("certdash scan: client certificate: %1\n").arg(loaded.error));
            return 3;
        }
        probeOptions.clientIdentity = loaded.identity;
    }
    if (const QStringList problems = addTargetIdentities(probeOptions, targets, &keychain);
        !problems.isEmpty()) {
        for (const QString &problem : problems)
            say(streams.err, ScanText::tr("certdash scan: %1\n").arg(problem));
        return 3;
    }

    // Each result is counted and rendered into its report row as it arrives, then dropped: a
    // scan holds its targets, not its results. Only a recorded scan keeps them, for the store's
    // one transaction and the alert tracker.
    ScanTally tally;
    ScanReport report(options, streams);
    QList<QPair<int, ProbeResult>> recorded;
    probeAll(targets, probeOptions, options, streams, [&](int index, const ProbeResult &result) {
        tally.add(result);
        report.add(index, result);
        if (options.record)
            recorded.append({index, result});
    });
    int exitCode = tally.exitCode();

    if (database) {
        sortForReport(recorded);
        QList<ProbeResult> results;
        results.reserve(recorded.size());
        for (auto &r : recorded)
            results << std::move(r.second);
        recorded = {};
        // Keep the history, then let retention thin it out (by default every probe for a month,
        // one a day for two years), at most about once a day.
        HistoryRepository history(*database);
        if (!history.record(results, &error)) {
            say(streams.err,
                ScanText::tr("certdash scan: the results were not recorded: %1\n").arg(error));
            exitCode = 3;
        } else {
            trackAlerts(*database, results, options, notify, streams);
            // The run itself, for the window's "last scheduled scan". certdash-scan.service
            // says so with CERTDASH_SCHEDULED=1; systemd's own INVOCATION_ID is no sign of a
            // timer, since a terminal of a systemd user session passes it to every shell.
            ScanRun run;
            run.startedAt = startedAt;
            run.finishedAt = streams.clock->now();
            run.trigger = qEnvironmentVariable("CERTDASH_SCHEDULED") == QLatin1String("1")
                              ? ScanRun::Trigger::Timer
                              : ScanRun::Trigger::Command;
            run.targets = int(targets.size());
            run.endpoints = tally.count();
            run.attention = tally.targetsNeedingAttention();
            run.exitCode = exitCode;
            if (!ScanRunRepository(*database).record(run, &error)) {
                say(streams.err,
                    ScanText::tr("certdash scan: the run was not recorded: %1\n").arg(error));
            }
            if (!pruneIfDue(*database, options.retention, streams.clock->now(), &error)) {
                say(streams.err, ScanText::tr("certdash scan: pruning old history failed: %1\n")
                                     .arg(error));
            }
        }
    }

    if (!report.finish(streams.clock->now()))
        return 3;
    if (!options.quiet) {
        say(streams.err, ScanText::tr("certdash scan: %1 in %2 s\n")
                             .arg(tally.summaryLine())
                             .arg(elapsed.elapsed() / 1000.0, 0, 'f', 1));
    }
    return exitCode;
}

} // namespace

} // namespace certdash::cli
