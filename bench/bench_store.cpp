// certdash_bench_store: the store's speed bars on a synthetic estate.
//
// 100,000 targets (one address each), ten recorded scans of all of them (1,000,000 probe rows)
// spread over 800 days, a realistic certificate population (5 roots, 20 shared intermediates,
// leaves renewed about yearly, sizes of real RSA-2048 certificates and their text dumps), then
// prints the time to record, latest() over every target address, one target's two-year history
// and prune(), and the database size.
//
//     certdash_bench_store [--targets N] [--keep DIR]
//     certdash_bench_store --keep DIR --latest-only   (times latest() on a kept database)
//     certdash_bench_store --with-round               (results carry roundAddresses, as scans'
//                                                      do: record() also prunes the latest view)

#include "domain/ProbeResult.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Retention.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>

using namespace certdash;

namespace {

constexpr qint64 kDay = 86400;
const QDateTime kNow(QDate(2026, 11, 23), QTime(10, 0), Qt::UTC);

void say(const QString &line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

QByteArray randomBytes(QRandomGenerator &random, int size) {
    QList<quint32> words((size + 3) / 4);
    random.fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.constData()), size);
}

// A stand-in with the sizes of a real certificate: the store never decodes DER, so random bytes
// cost it exactly what a real certificate would.
CertificateInfo certificate(QRandomGenerator &random, const QString &subjectCn,
                            const QString &issuerCn, const QDateTime &notBefore, int days,
                            bool isCa) {
    CertificateInfo c;
    c.der = randomBytes(random, isCa ? 1100 : 1300);
    // X509_print_ex of an RSA-2048 certificate: about 4 KB of text (modulus and signature in hex).
    c.text = QString::fromLatin1(randomBytes(random, isCa ? 1700 : 2000).toHex(':'))
                 .left(isCa ? 3400 : 4200);
    c.subject = QStringLiteral("CN=%1, O=Bench Org, C=DE").arg(subjectCn);
    c.issuer = QStringLiteral("CN=%1, O=Bench CA, C=US").arg(issuerCn);
    c.subjectCommonName = subjectCn;
    c.issuerCommonName = issuerCn;
    c.serial = QString::fromLatin1(randomBytes(random, 16).toHex().toUpper());
    c.notBefore = notBefore;
    c.notAfter = notBefore.addDays(days);
    if (!isCa)
        c.subjectAltNames =
            QStringList{QStringLiteral("DNS:") + subjectCn, QStringLiteral("DNS:www.") + subjectCn};
    c.keyType = QStringLiteral("RSA");
    c.keyBits = 2048;
    c.signatureAlgorithm = QStringLiteral("sha256WithRSAEncryption");
    c.sha256Fingerprint = QString::fromLatin1(
        QCryptographicHash::hash(c.der, QCryptographicHash::Sha256).toHex(':').toUpper());
    c.sha1Fingerprint = QString::fromLatin1(
        QCryptographicHash::hash(c.der, QCryptographicHash::Sha1).toHex(':').toUpper());
    c.subjectKeyId = QString::fromLatin1(randomBytes(random, 20).toHex(':').toUpper());
    c.authorityKeyId = QString::fromLatin1(randomBytes(random, 20).toHex(':').toUpper());
    c.isCa = isCa;
    c.pathLength = isCa ? 0 : -1;
    c.keyUsage =
        isCa ? QStringList{QStringLiteral("Certificate Sign"), QStringLiteral("CRL Sign")}
             : QStringList{QStringLiteral("Digital Signature"), QStringLiteral("Key Encipherment")};
    if (!isCa) {
        c.extendedKeyUsage = QStringList{QStringLiteral("TLS Web Server Authentication")};
        c.ocspUrls = QStringList{QStringLiteral("http://ocsp.bench.test")};
        c.caIssuersUrls = QStringList{QStringLiteral("http://ca.bench.test/") + issuerCn};
        c.sctCount = 2;
    }
    c.selfIssued = subjectCn == issuerCn;
    c.selfSigned = c.selfIssued;
    return c;
}

QString megabytes(qint64 bytes) {
    return QString::number(double(bytes) / (1024 * 1024), 'f', 1) + QStringLiteral(" MiB");
}

qint64 databaseBytes(const QString &path) {
    return QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
}

qint64 scalar(Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

// The process's CPU time: on a shared machine it says more than the wall clock does.
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// latest(): the dashboard table and `certdash report` as CSV/Prometheus (summary), then with every
// parsed field, then with DER, PEM and text (JSON).
bool timeLatest(const HistoryRepository &history) {
    const QList<QPair<CertificateDetail, QString>> modes{
        {CertificateDetail::Summary, QStringLiteral("summary, run 1")},
        {CertificateDetail::Summary, QStringLiteral("summary, run 2")},
        {CertificateDetail::Summary, QStringLiteral("summary, run 3")},
        {CertificateDetail::Fields, QStringLiteral("fields, run 1 ")},
        {CertificateDetail::Full, QStringLiteral("full, run 1   ")},
    };
    QElapsedTimer timer;
    for (const auto &[detail, label] : modes) {
        QString error;
        timer.restart();
        const double cpuBefore = cpuSeconds();
        const QList<ProbeResult> latest = history.latest(&error, detail);
        const qint64 ms = timer.elapsed();
        const double cpuMs = (cpuSeconds() - cpuBefore) * 1000;
        if (!error.isEmpty()) {
            say(QStringLiteral("latest failed: ") + error);
            return false;
        }
        say(QStringLiteral("latest() %1: %2 target addresses in %3 ms (CPU %4 ms)")
                .arg(label)
                .arg(latest.size())
                .arg(ms)
                .arg(qint64(cpuMs)));
    }
    return true;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("targets"), QStringLiteral("Number of targets."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("keep"),
                      QStringLiteral("Write the database into DIR and keep it."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("latest-only"),
                      QStringLiteral("Only time latest() on the database kept in --keep DIR.")});
    parser.addOption({QStringLiteral("with-round"),
                      QStringLiteral("Record results that know their round (roundAddresses), as "
                                     "scans do: measures the pruning of the latest view.")});
    parser.process(app);
    const bool withRound = parser.isSet(QStringLiteral("with-round"));
    const int targetCount = std::max(1, parser.value(QStringLiteral("targets")).toInt());

    QTemporaryDir temp;
    const QString dir =
        parser.isSet(QStringLiteral("keep")) ? parser.value(QStringLiteral("keep")) : temp.path();
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(QStringLiteral("bench_store.sqlite"));
    if (parser.isSet(QStringLiteral("latest-only"))) {
        QString error;
        std::unique_ptr<Database> db = Database::open(path, &error);
        if (!db) {
            say(error);
            return 1;
        }
        return timeLatest(HistoryRepository(*db)) ? 0 : 1;
    }
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));

    QString error;
    std::unique_ptr<Database> db = Database::open(path, &error);
    if (!db) {
        say(error);
        return 1;
    }
    QRandomGenerator random(20261123);
    QElapsedTimer timer;

    // Targets, raw SQL (the inventory is not what this measures).
    QList<Target> targets;
    targets.reserve(targetCount);
    timer.start();
    const bool inserted = db->inTransaction(
        [&] {
            QSqlQuery target(db->connection());
            QSqlQuery tag(db->connection());
            target.prepare(QStringLiteral(
                "INSERT INTO targets(endpoint_key, name, host, port, owner, created_at, "
                "updated_at) VALUES (?, ?, ?, 443, ?, ?, ?)"));
            tag.prepare(QStringLiteral("INSERT INTO target_tags(target_id, tag) VALUES (?, ?)"));
            for (int i = 0; i < targetCount; ++i) {
                Target t;
                t.host = QStringLiteral("host%1.team%2.bench.test").arg(i).arg(i % 97);
                t.name = QStringLiteral("Service %1").arg(i);
                t.owner = QStringLiteral("team%1").arg(i % 97);
                t.tags = QStringList{QStringLiteral("env-%1").arg(i % 3 ? QStringLiteral("prod")
                                                                        : QStringLiteral("dev")),
                                     QStringLiteral("team%1").arg(i % 97)};
                target.addBindValue(t.host + QStringLiteral(":443"));
                target.addBindValue(t.name);
                target.addBindValue(t.host);
                target.addBindValue(t.owner);
                target.addBindValue(kNow.addDays(-900).toSecsSinceEpoch());
                target.addBindValue(kNow.addDays(-900).toSecsSinceEpoch());
                if (!target.exec()) {
                    error = target.lastError().text();
                    return false;
                }
                t.id = target.lastInsertId().toLongLong();
                for (const QString &name : std::as_const(t.tags)) {
                    tag.addBindValue(t.id);
                    tag.addBindValue(name);
                    if (!tag.exec()) {
                        error = tag.lastError().text();
                        return false;
                    }
                }
                targets.append(t);
            }
            return true;
        },
        &error);
    if (!inserted) {
        say(QStringLiteral("inserting targets failed: ") + error);
        return 1;
    }
    say(QStringLiteral("targets:                 %1 inserted in %2 ms (raw SQL)")
            .arg(targetCount)
            .arg(timer.elapsed()));

    // Five roots, twenty intermediates that every leaf shares with thousands of others.
    QList<CertificateInfo> roots, intermediates;
    for (int r = 0; r < 5; ++r)
        roots << certificate(random, QStringLiteral("Bench Root %1").arg(r),
                             QStringLiteral("Bench Root %1").arg(r), kNow.addYears(-10), 7300,
                             true);
    for (int i = 0; i < 20; ++i)
        intermediates << certificate(random, QStringLiteral("Bench Issuing CA %1").arg(i),
                                     roots.at(i % 5).subjectCommonName, kNow.addYears(-3), 2190,
                                     true);

    // Ten scans per target address over 800 days: two beyond the two-year window, three on one
    // day (retention keeps one), the rest spread out. Leaves are renewed about yearly.
    const QList<double> scanDaysAgo{800, 760, 400, 300.5, 300.3, 300.1, 200, 100, 20, 0};
    QHash<qint64, CertificateInfo> leaves; // (target index, era) -> leaf
    qint64 recordMs = 0;
    qint64 rows = 0;
    HistoryRepository history(*db);
    for (double daysAgo : scanDaysAgo) {
        const QDateTime at = kNow.addSecs(qint64(-daysAgo * kDay));
        const int era = int((900 - daysAgo) / 365);
        QList<ProbeResult> results;
        results.reserve(targetCount);
        for (int i = 0; i < targetCount; ++i) {
            ProbeResult r;
            r.target = targets.at(i);
            r.address =
                QStringLiteral("10.%1.%2.%3").arg((i >> 16) & 255).arg((i >> 8) & 255).arg(i & 255);
            r.sni = r.target.host;
            r.probedAt = at;
            if (withRound)
                r.roundAddresses = {r.address};
            // 3 % of probes fail without a certificate.
            if (random.bounded(100) < 3) {
                r.status = Status::Timeout;
                r.error = QStringLiteral("timed out after 10 s");
                r.durationMs = 10000;
                results.append(r);
                continue;
            }
            const qint64 key = qint64(i) * 8 + era;
            auto leaf = leaves.find(key);
            if (leaf == leaves.end()) {
                const CertificateInfo &ca = intermediates.at(i % 20);
                leaf = leaves.insert(key, certificate(random, r.target.host, ca.subjectCommonName,
                                                      kNow.addDays(-900 + era * 365), 398, false));
            }
            const CertificateInfo &ca = intermediates.at(i % 20);
            r.chain = {*leaf, ca};
            r.trust.pathToAnchor = true;
            r.trust.trusted = true;
            r.trust.verifiedPath = {*leaf, ca, roots.at(i % 20 % 5)};
            r.tlsVersion = QStringLiteral("TLSv1.3");
            r.cipher = QStringLiteral("TLS_AES_256_GCM_SHA384");
            r.durationMs = 20 + random.bounded(200);
            applyClassification(r, ExpiryPolicy(), at);
            results.append(r);
        }
        // Only leaves of the current era are needed again.
        for (auto it = leaves.begin(); it != leaves.end();)
            it = (it.key() % 8 < era) ? leaves.erase(it) : std::next(it);

        timer.restart();
        if (!history.record(results, &error)) {
            say(QStringLiteral("record failed: ") + error);
            return 1;
        }
        recordMs += timer.elapsed();
        rows += results.size();
    }
    say(QStringLiteral("record:                  %1 probe rows in %2 ms (%3 rows/s, 10 scans of "
                       "%4, one transaction each); %5 certificates")
            .arg(rows)
            .arg(recordMs)
            .arg(qint64(rows * 1000.0 / std::max<qint64>(1, recordMs)))
            .arg(targetCount)
            .arg(scalar(*db, QStringLiteral("SELECT count(*) FROM certificates"))));

    // One target with the history retention keeps in steady state: every hour for 30 days, then
    // one a day for two years (1,450 rows), to measure the chart query where it is heaviest.
    {
        const Target &dense = targets.first();
        const CertificateInfo leaf =
            certificate(random, dense.host, intermediates.at(0).subjectCommonName,
                        kNow.addDays(-60), 90, false);
        QList<ProbeResult> results;
        const auto add = [&](const QDateTime &at) {
            ProbeResult r;
            r.target = dense;
            r.address = QStringLiteral("10.255.255.255");
            r.probedAt = at;
            r.chain = {leaf, intermediates.at(0)};
            applyClassification(r, ExpiryPolicy(), at);
            results.append(r);
        };
        for (int d = 730; d > 30; --d)
            add(kNow.addDays(-d));
        for (int h = 30 * 24; h > 0; --h)
            add(kNow.addSecs(-h * 3600));
        if (!history.record(results, &error)) {
            say(QStringLiteral("record failed: ") + error);
            return 1;
        }
    }

    if (!timeLatest(history))
        return 1;

    // One target's two-year history, the chart query.
    {
        const QDateTime from = kNow.addDays(-730);
        qint64 points = 0;
        timer.restart();
        for (int i = 0; i < 1000; ++i) {
            const Target &t = targets.at(int(random.bounded(targetCount)));
            points += history.history(t.id, from, kNow).size();
        }
        const qint64 ns = timer.nsecsElapsed();
        say(QStringLiteral("history (2 years):       %1 ms average over 1,000 random targets "
                           "(%2 points each)")
                .arg(double(ns) / 1000 / 1e6, 0, 'f', 3)
                .arg(double(points) / 1000, 0, 'f', 1));
        timer.restart();
        int densePoints = 0;
        for (int i = 0; i < 100; ++i)
            densePoints = int(history.history(targets.first().id, from, kNow).size());
        say(QStringLiteral("history (dense target):  %1 ms average for %2 points (hourly for 30 "
                           "days, daily for 2 years)")
                .arg(double(timer.nsecsElapsed()) / 100 / 1e6, 0, 'f', 3)
                .arg(densePoints));
    }

    const qint64 before = databaseBytes(path);
    say(QStringLiteral("database size:           %1 (%2 probes, %3 certificates)")
            .arg(megabytes(before))
            .arg(scalar(*db, QStringLiteral("SELECT count(*) FROM probes")))
            .arg(scalar(*db, QStringLiteral("SELECT count(*) FROM certificates"))));

    timer.restart();
    const auto pruned = prune(*db, RetentionPolicy(), kNow, &error);
    const qint64 pruneMs = timer.elapsed();
    if (!pruned) {
        say(QStringLiteral("prune failed: ") + error);
        return 1;
    }
    say(QStringLiteral("prune:                   %1 ms (%2 probes and %3 certificates deleted)")
            .arg(pruneMs)
            .arg(pruned->deleted)
            .arg(pruned->certificatesDeleted));
    timer.restart();
    const auto again = prune(*db, RetentionPolicy(), kNow, &error);
    say(QStringLiteral("prune again (no-op):     %1 ms (%2 deleted)")
            .arg(timer.elapsed())
            .arg(again ? again->deleted : -1));
    say(QStringLiteral("database size after:     %1 (%2 probes; freed pages are reused, "
                       "not returned)")
            .arg(megabytes(databaseBytes(path)))
            .arg(scalar(*db, QStringLiteral("SELECT count(*) FROM probes"))));
    return 0;
}
