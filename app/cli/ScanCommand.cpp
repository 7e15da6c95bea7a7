#include "ScanCommand.h"

#include "domain/ExpiryPolicy.h"
#include "probing/ProbeScheduler.h"
#include "probing/TlsProber.h"
#include "probing/TrustStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QMap>
#include <QTimer>

#include <algorithm>

namespace certdash::cli {

namespace {
struct ScanText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::cli::Scan)
};

void say(QIODevice *device, const QString &text)
{
    if (device)
        device->write(text.toUtf8());
}

// CSV and Prometheus never show PEM, DER or the text dump; dropping them as results arrive keeps
// a 10,000-endpoint scan small.
void dropBulkyFields(ProbeResult &r)
{
    const auto strip = [](CertificateInfo &c) {
        c.der.clear();
        c.pem.clear();
        c.text.clear();
    };
    for (CertificateInfo &c : r.chain)
        strip(c);
    for (CertificateInfo &c : r.trust.verifiedPath)
        strip(c);
    if (r.limiting)
        strip(*r.limiting);
}
// Lets the last probes' sockets finish their polite close before the process exits (bounded).
void waitForClosingSockets()
{
    QElapsedTimer waited;
    waited.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (TlsProber::closingSockets() == 0 || waited.elapsed() > 1000)
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

QString summaryLine(const QList<ProbeResult> &results)
{
    QMap<int, QPair<Status, int>> byRank;
    for (const ProbeResult &r : results) {
        auto &entry = byRank[severityRank(r.status)];
        entry.first = r.status;
        ++entry.second;
    }
    QStringList parts;
    for (auto it = byRank.cbegin(); it != byRank.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value().second).arg(statusKey(it.value().first));
    // No plural in the sentence: the untranslated (English) text must read right for any count.
    return ScanText::tr("endpoints %1: %2").arg(results.size()).arg(parts.join(QStringLiteral(", ")));
}

int runScan(const QStringList &arguments, const CommandStreams &streams)
{
    const ScanArguments parsed = parseScanArguments(arguments);
    if (parsed.helpRequested) {
        say(streams.out, scanUsage());
        return 0;
    }
    if (!parsed.options) {
        say(streams.err, ScanText::tr("certdash scan: %1\nTry 'certdash scan --help'.\n").arg(parsed.error));
        return 3;
    }
    const ScanOptions &options = *parsed.options;

    const ParsedTargets input = readTargetsFile(options.targetsPath, options.inputFormat);
    if (!input.ok()) {
        for (const ParseIssue &issue : input.issues)
            say(streams.err, issue.toString() + QLatin1Char('\n'));
        say(streams.err, ScanText::tr("certdash scan: problems in the targets: %1; nothing was probed.\n")
                             .arg(input.issues.size()));
        return 3;
    }
    if (input.targets.isEmpty()) {
        say(streams.err, ScanText::tr("certdash scan: %1 lists no targets; nothing was probed.\n")
                             .arg(options.targetsPath == QLatin1String("-")
                                      ? QStringLiteral("<stdin>")
                                      : options.targetsPath));
        return 3;
    }

    QString error;
    ProbeOptions probeOptions;
    probeOptions.timeoutMs = options.timeoutMs;
    probeOptions.policy = options.policy;
    probeOptions.clock = streams.clock;
    probeOptions.anchors = TrustStore::create(options.systemAnchors, options.caFiles, &error);
    if (!probeOptions.anchors) {
        say(streams.err, ScanText::tr("certdash scan: %1\n").arg(error));
        return 3;
    }

    const bool keepBulk = options.format == ReportFormat::Json;
    const bool showProgress = streams.errIsTerminal && !options.quiet;
    QList<QPair<int, ProbeResult>> collected;
    collected.reserve(input.targets.size());

    ProbeScheduler scheduler(probeOptions);
    scheduler.setConcurrency(options.concurrency);
    QElapsedTimer elapsed;
    elapsed.start();
    qint64 lastDrawn = -1000;
    QObject::connect(&scheduler, &ProbeScheduler::resultReady,
                     [&](int index, const ProbeResult &result) {
                         collected.append({index, result});
                         if (!keepBulk)
                             dropBulkyFields(collected.last().second);
                     });
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
    scheduler.enqueue(input.targets);
    loop.exec();
    waitForClosingSockets();
    if (showProgress)
        say(streams.err, QStringLiteral("\r\033[K"));

    sortForReport(collected);
    QList<ProbeResult> results;
    results.reserve(collected.size());
    Status worst = Status::Ok;
    for (auto &c : collected) {
        worst = worseOf(worst, c.second.status);
        results << std::move(c.second);
    }
    collected.clear();

    const QByteArray report = renderReport(options.format, results, streams.clock->now());
    if (options.outputPath.isEmpty()) {
        streams.out->write(report);
    } else if (!writeFileAtomically(options.outputPath, report, &error)) {
        say(streams.err, ScanText::tr("certdash scan: %1\n").arg(error));
        return 3;
    }
    if (!options.quiet) {
        say(streams.err, ScanText::tr("certdash scan: %1 in %2 s\n")
                             .arg(summaryLine(results))
                             .arg(elapsed.elapsed() / 1000.0, 0, 'f', 1));
    }
    return exitCodeFor(worst);
}

} // namespace certdash::cli
