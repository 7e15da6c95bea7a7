// Reading the fleet at estate scale: N blackbox_exporter probes as Prometheus's /api/v1/query
// answers them (the two bodies FleetReader asks for, generated with the labels `certdash fleet
// config` writes and the metrics blackbox_exporter 0.23 exports), converted into report rows by
// FleetRows (parse + rows), then rendered as CSV as `certdash fleet read` does. Prints wall and
// CPU milliseconds (median of --rounds) and peak RSS; never a test.
//
//     build/bench/certdash_bench_fleet [--series 10000] [--rounds 5]
#include "fleet/FleetRows.h"
#include "reports/Report.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <ctime>
#include <vector>

using namespace certdash;

namespace {
const QDateTime kNow = QDateTime::currentDateTimeUtc();

void say(const QString &line) {
    QTextStream(stdout) << line << Qt::endl;
}

double cpuMs() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1000.0 + double(t.tv_nsec) / 1e6;
}

// VmHWM (peak resident set) or VmRSS of this process, in MB.
double memoryMb(const QByteArray &field) {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

QByteArray vector(const QJsonArray &result) {
    return QJsonDocument(
               QJsonObject{{QStringLiteral("status"), QStringLiteral("success")},
                           {QStringLiteral("data"),
                            QJsonObject{{QStringLiteral("resultType"), QStringLiteral("vector")},
                                        {QStringLiteral("result"), result}}}})
        .toJson(QJsonDocument::Compact);
}

// The two answers for n probes: 1 in 100 failed (probe_success 0, no TLS metric), the rest with
// every metric; expiries spread over -10..400 days.
QPair<QByteArray, QByteArray> bodies(int n) {
    QJsonArray metrics, times;
    const double at = double(kNow.toSecsSinceEpoch());
    for (int i = 0; i < n; ++i) {
        const QString name = QStringLiteral("svc%1.zone%2.bench.example").arg(i).arg(i % 17);
        const QString address =
            QStringLiteral("10.%1.%2.%3").arg(i >> 16).arg((i >> 8) & 255).arg(i & 255);
        QJsonObject labels{
            {QStringLiteral("job"), QStringLiteral("certdash_blackbox")},
            {QStringLiteral("instance"), address + QStringLiteral(":443")},
            {QStringLiteral("module"), QStringLiteral("certdash_tls_svc%1_0a1b2c3d").arg(i)},
            {QStringLiteral("exporter"), QStringLiteral("zone-a.bench.example:9115")},
            {QStringLiteral("target"), name},
            {QStringLiteral("host"), name},
            {QStringLiteral("port"), QStringLiteral("443")},
            {QStringLiteral("sni"), name},
            {QStringLiteral("owner"), QStringLiteral("team-%1@bench.example").arg(i % 40)},
            {QStringLiteral("tags"), QStringLiteral("prod,zone-%1").arg(i % 17)}};
        const auto add = [&](const QString &metric, const QString &value,
                             const QJsonObject &extra = {}) {
            QJsonObject l = labels;
            l.insert(QStringLiteral("__name__"), metric);
            for (auto it = extra.begin(); it != extra.end(); ++it)
                l.insert(it.key(), it.value());
            metrics.append(QJsonObject{{QStringLiteral("metric"), l},
                                       {QStringLiteral("value"), QJsonArray{at, value}}});
        };
        times.append(QJsonObject{
            {QStringLiteral("metric"), labels},
            {QStringLiteral("value"), QJsonArray{at, QString::number(at - (i % 60), 'f', 3)}}});
        add(QStringLiteral("probe_duration_seconds"), QStringLiteral("0.0%1").arg(100 + i % 900));
        if (i % 100 == 0) {
            add(QStringLiteral("probe_success"), QStringLiteral("0"));
            continue;
        }
        add(QStringLiteral("probe_success"), QStringLiteral("1"));
        const qint64 expiry = kNow.toSecsSinceEpoch() + qint64((i % 410) - 10) * 86400 + 3600;
        add(QStringLiteral("probe_ssl_earliest_cert_expiry"), QString::number(double(expiry)));
        add(QStringLiteral("probe_ssl_last_chain_expiry_timestamp_seconds"),
            QStringLiteral("-6.21355968e+10"));
        add(QStringLiteral("probe_ssl_last_chain_info"), QStringLiteral("1"),
            {{QStringLiteral("fingerprint_sha256"),
              QString::fromLatin1(QByteArray::number(i).toHex().leftJustified(64, 'a'))},
             {QStringLiteral("subject"), QStringLiteral("CN=%1,O=Bench Corp,C=DE").arg(name)},
             {QStringLiteral("issuer"),
              QStringLiteral("CN=Bench Issuing CA %1,O=Bench Corp,C=DE").arg(i % 3)},
             {QStringLiteral("subjectalternative"), name + QStringLiteral(",www.") + name}});
        add(QStringLiteral("probe_tls_version_info"), QStringLiteral("1"),
            {{QStringLiteral("version"),
              i % 4 ? QStringLiteral("TLS 1.3") : QStringLiteral("TLS 1.2")}});
    }
    return {vector(metrics), vector(times)};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption seriesOption(QStringLiteral("series"),
                                          QStringLiteral("Probes (target addresses)."),
                                          QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption roundsOption(QStringLiteral("rounds"), QStringLiteral("Rounds."),
                                          QStringLiteral("N"), QStringLiteral("5"));
    parser.addOptions({seriesOption, roundsOption});
    parser.addHelpOption();
    parser.process(app);
    const int n = std::max(1, parser.value(seriesOption).toInt());
    const int rounds = std::max(1, parser.value(roundsOption).toInt());

    const auto [metricsBody, timesBody] = bodies(n);
    const QString where = QStringLiteral("http://127.0.0.1:9090/api/v1/query");
    say(QStringLiteral("fleet bench: %1 probes, answers %2 MB (metrics) + %3 MB (sample times)")
            .arg(n)
            .arg(double(metricsBody.size()) / 1e6, 0, 'f', 1)
            .arg(double(timesBody.size()) / 1e6, 0, 'f', 1));
    const double rssBefore = memoryMb("VmRSS");

    std::vector<double> parseWall, parseCpu, rowsWall, rowsCpu, csvWall, csvCpu;
    qsizetype rowCount = 0;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        double cpu = cpuMs();
        const PromVector metrics = parsePromVector(metricsBody, where);
        const PromVector times = parsePromVector(timesBody, where);
        parseWall.push_back(double(timer.nsecsElapsed()) / 1e6);
        parseCpu.push_back(cpuMs() - cpu);
        if (!metrics.error.isEmpty() || !times.error.isEmpty()) {
            say(metrics.error + times.error);
            return 1;
        }

        timer.restart();
        cpu = cpuMs();
        FleetRowContext context;
        context.source = QStringLiteral("http://127.0.0.1:9090");
        context.now = kNow;
        const QList<ProbeResult> rows = fleetRows(metrics.samples, times.samples, context);
        rowsWall.push_back(double(timer.nsecsElapsed()) / 1e6);
        rowsCpu.push_back(cpuMs() - cpu);
        rowCount = rows.size();

        timer.restart();
        cpu = cpuMs();
        const QByteArray csv = renderReport(ReportFormat::Csv, rows, kNow);
        csvWall.push_back(double(timer.nsecsElapsed()) / 1e6);
        csvCpu.push_back(cpuMs() - cpu);
        if (csv.isEmpty())
            return 1;
    }
    say(QStringLiteral("rows: %1 (medians of %2 rounds)").arg(rowCount).arg(rounds));
    say(QStringLiteral("  parse JSON (2 answers): wall %1 ms, CPU %2 ms")
            .arg(median(parseWall), 0, 'f', 1)
            .arg(median(parseCpu), 0, 'f', 1));
    say(QStringLiteral("  series -> rows:         wall %1 ms, CPU %2 ms")
            .arg(median(rowsWall), 0, 'f', 1)
            .arg(median(rowsCpu), 0, 'f', 1));
    say(QStringLiteral("  answers -> rows total:  wall %1 ms, CPU %2 ms")
            .arg(median(parseWall) + median(rowsWall), 0, 'f', 1)
            .arg(median(parseCpu) + median(rowsCpu), 0, 'f', 1));
    say(QStringLiteral("  rows -> CSV report:     wall %1 ms, CPU %2 ms")
            .arg(median(csvWall), 0, 'f', 1)
            .arg(median(csvCpu), 0, 'f', 1));
    say(QStringLiteral("memory: RSS %1 MB with the answers generated, peak %2 MB")
            .arg(rssBefore, 0, 'f', 0)
            .arg(memoryMb("VmHWM"), 0, 'f', 0));
    return 0;
}
