// certdash_bench_changes: changesBetween() (storage/ChangeFeed) on a synthetic estate.
//
// 10,000 targets (one address each, every 20th two), 30 daily scans recorded through
// HistoryRepository::record() (about 315,000 probes), with changes in the last week: every 10th
// target rotates, every 25th starts failing, every 40th gains a finding, every 50th second
// address disappears. Then prints the wall and CPU time of changesBetween() over the last week
// and over the whole history, with the number of changes of each kind.
//
//     certdash_bench_changes [--targets N] [--scans N] [--keep DIR]

#include "domain/ProbeResult.h"
#include "domain/Target.h"
#include "storage/ChangeFeed.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/TargetRepository.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>
#include <memory>

using namespace certdash;

namespace {

const QDateTime kNow(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

void say(const QString &line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// A stand-in leaf: the store never decodes DER, so random bytes cost what a certificate would.
CertificateInfo leaf(QRandomGenerator &random, const QString &cn, const QDateTime &notBefore) {
    CertificateInfo c;
    QList<quint32> words(325);
    random.fillRange(words.data(), words.size());
    c.der = QByteArray(reinterpret_cast<const char *>(words.constData()), 1300);
    c.subject = QStringLiteral("CN=") + cn;
    c.issuer = QStringLiteral("CN=Bench CA");
    c.notBefore = notBefore;
    c.notAfter = notBefore.addDays(90);
    c.sha256Fingerprint = QString::fromLatin1(
        QCryptographicHash::hash(c.der, QCryptographicHash::Sha256).toHex(':').toUpper());
    return c;
}

QString loadAverage() {
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2);
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption targetsOption(QStringLiteral("targets"), QStringLiteral("targets"),
                                           QStringLiteral("N"), QStringLiteral("10000"));
    const QCommandLineOption scansOption(QStringLiteral("scans"), QStringLiteral("daily scans"),
                                         QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption keepOption(QStringLiteral("keep"), QStringLiteral("keep the store"),
                                        QStringLiteral("DIR"));
    parser.addOptions({targetsOption, scansOption, keepOption});
    parser.addHelpOption();
    parser.process(app);
    const int targetCount = parser.value(targetsOption).toInt();
    const int scans = parser.value(scansOption).toInt();

    QTemporaryDir temporary;
    const QString dir = parser.isSet(keepOption) ? parser.value(keepOption) : temporary.path();
    QFile::remove(dir + QStringLiteral("/changes.sqlite"));
    QString error;
    auto db = Database::open(dir + QStringLiteral("/changes.sqlite"), &error);
    if (!db) {
        say(error);
        return 1;
    }
    const QDateTime firstScan = kNow.addDays(-scans);
    FixedClock clock(firstScan.addDays(-1));
    TargetRepository targets(*db, clock);
    QList<Target> list;
    for (int i = 0; i < targetCount; ++i) {
        Target t;
        t.host = QStringLiteral("t%1.bench.test").arg(i);
        t.port = 443;
        list << t;
    }
    QElapsedTimer timer;
    timer.start();
    if (!targets.importTargets(list, &error)) {
        say(error);
        return 1;
    }
    list = targets.all();

    QRandomGenerator random(16);
    QList<CertificateInfo> leaves, renewed;
    for (int i = 0; i < targetCount; ++i) {
        leaves << leaf(random, list[i].host, firstScan.addDays(-10));
        renewed << leaf(random, list[i].host, kNow.addDays(-5));
    }
    HistoryRepository history(*db);
    qint64 probes = 0;
    for (int scan = 0; scan < scans; ++scan) {
        const QDateTime at = firstScan.addDays(scan);
        const bool lastWeek = at >= kNow.addDays(-7);
        const bool afterRotation = at >= kNow.addDays(-3);
        QList<ProbeResult> round;
        for (int i = 0; i < targetCount; ++i) {
            QStringList addresses{QStringLiteral("10.%1.%2.1").arg(i / 250).arg(i % 250)};
            if (i % 20 == 0 && !(lastWeek && i % 50 == 0))
                addresses << QStringLiteral("10.%1.%2.2").arg(i / 250).arg(i % 250);
            for (const QString &address : std::as_const(addresses)) {
                ProbeResult r;
                r.target = list[i];
                r.address = address;
                r.probedAt = at.addSecs(i % 600);
                r.roundAddresses = addresses;
                if (lastWeek && i % 25 == 0) {
                    r.status = Status::Timeout;
                    r.error = QStringLiteral("timed out after 10 s");
                } else {
                    r.chain = {afterRotation && i % 10 == 0 ? renewed[i] : leaves[i]};
                    if (lastWeek && i % 40 == 0)
                        r.trust.add(FindingKind::HostnameMismatch,
                                    QStringLiteral("hostname mismatch: bench"));
                    applyClassification(r, ExpiryPolicy(), at);
                }
                round << r;
            }
        }
        if (!history.record(round, &error)) {
            say(error);
            return 1;
        }
        probes += round.size();
    }
    say(QStringLiteral("store: %1 targets, %2 probes over %3 days, written in %4 s")
            .arg(targetCount)
            .arg(probes)
            .arg(scans)
            .arg(double(timer.elapsed()) / 1000, 0, 'f', 1));

    for (const int days : {1, 7, scans + 1}) {
        const QDateTime since = kNow.addDays(-days);
        const double cpuBefore = cpuSeconds();
        timer.restart();
        const QList<Change> changes = changesBetween(*db, since, kNow.addDays(1), &error);
        const qint64 wallMs = timer.elapsed();
        const double cpuMs = (cpuSeconds() - cpuBefore) * 1000;
        if (!error.isEmpty()) {
            say(error);
            return 1;
        }
        QMap<QString, int> byKind;
        for (const Change &c : changes)
            ++byKind[changeKindKey(c.kind)];
        QStringList counts;
        for (auto it = byKind.cbegin(); it != byKind.cend(); ++it)
            counts << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
        say(QStringLiteral("changesBetween(last %1 days): %2 changes in %3 ms wall, %4 ms CPU "
                           "(load %5): %6")
                .arg(days)
                .arg(changes.size())
                .arg(wallMs)
                .arg(qint64(cpuMs))
                .arg(loadAverage(), counts.join(QStringLiteral(", "))));
    }
    return 0;
}
