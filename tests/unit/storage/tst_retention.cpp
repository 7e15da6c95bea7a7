#include "TestSupport.h"
#include "domain/ProbeResult.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Retention.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// The store never decodes DER, so retention tests use stand-ins: distinct bytes per name.
CertificateInfo fakeCertificate(const QString &name) {
    CertificateInfo c;
    c.der = "DER of " + name.toUtf8();
    c.subject = u"CN="_s + name;
    c.subjectCommonName = name;
    c.notBefore = pinnedNow().addYears(-4);
    c.notAfter = pinnedNow().addYears(1);
    return c;
}

qint64 count(Database &db, const QString &sql) {
    QSqlQuery q(db.connection());
    if (!q.exec(sql) || !q.next())
        qFatal("count query failed: %s", qPrintable(sql));
    return q.value(0).toLongLong();
}

Target insertTarget(Database &db, const QString &host) {
    QSqlQuery q(db.connection());
    q.prepare(u"INSERT INTO targets(endpoint_key, host, port, created_at, updated_at) "
              "VALUES (?, ?, 443, 0, 0)"_s);
    q.addBindValue(host + u":443"_s);
    q.addBindValue(host);
    if (!q.exec())
        qFatal("cannot insert target");
    Target t;
    t.id = q.lastInsertId().toLongLong();
    t.host = host;
    return t;
}

ProbeResult probe(const Target &target, const QString &address, const QDateTime &at,
                  const QList<CertificateInfo> &chain, const QList<CertificateInfo> &path) {
    ProbeResult r;
    r.target = target;
    r.address = address;
    r.status = Status::Ok;
    r.chain = chain;
    r.trust.pathToAnchor = true;
    r.trust.verifiedPath = path;
    r.probedAt = at;
    return r;
}
} // namespace

class TestRetention : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    Target m_web, m_retired;
    // now = 2026-03-15 12:00 UTC.
    const QDateTime m_now = pinnedNow();
    const QStringList m_addresses{u"192.0.2.1"_s, u"192.0.2.2"_s};
    const CertificateInfo m_oldLeaf = fakeCertificate(u"old leaf"_s);
    const CertificateInfo m_oldRoot = fakeCertificate(u"old root"_s);
    const CertificateInfo m_leaf = fakeCertificate(u"leaf"_s);
    const CertificateInfo m_root = fakeCertificate(u"root"_s);
    const CertificateInfo m_intermediate = fakeCertificate(u"intermediate"_s);
    const CertificateInfo m_retiredLeaf = fakeCertificate(u"retired leaf"_s);
    qint64 m_recorded = 0;

    qint64 probesBetween(const QString &address, const QDateTime &from, const QDateTime &to) {
        return count(*m_db, u"SELECT count(*) FROM probes WHERE target_id = %1 AND address = '%2' "
                            "AND probed_at >= %3 AND probed_at < %4"_s.arg(m_web.id)
                                .arg(address)
                                .arg(from.isValid() ? from.toSecsSinceEpoch() : 0)
                                .arg(to.isValid() ? to.toSecsSinceEpoch()
                                                  : std::numeric_limits<qint64>::max()));
    }

    bool hasCertificate(const CertificateInfo &c) {
        return count(*m_db, u"SELECT count(*) FROM certificates c JOIN certificate_info i "
                            "ON i.certificate_id = c.id WHERE c.der = x'%1'"_s.arg(
                                QString::fromLatin1(c.der.toHex()))) == 1;
    }

private slots:
    // Three years of history, four probes a day (01:00, 07:00, 13:00, 19:00 UTC) on each of two
    // addresses of one target, up to now (today: 01:00 and 07:00). Probes older than two years
    // served "old leaf" (verified path: old leaf, intermediate, old root); newer ones "leaf"
    // (leaf, intermediate, root). A retired target was probed four times on one day 2.5 years
    // ago and never since.
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QString error;
        m_db = Database::open(m_dir->filePath(u"retention.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
        m_web = insertTarget(*m_db, u"web.test"_s);
        m_retired = insertTarget(*m_db, u"retired.test"_s);

        const QDateTime twoYearsAgo = m_now.addDays(-730);
        QList<ProbeResult> results;
        const QDate today = m_now.date();
        for (qint64 back = 0; back < 3 * 365; ++back) {
            for (int hour : {1, 7, 13, 19}) {
                const QDateTime at(today.addDays(-back), QTime(hour, 0), Qt::UTC);
                if (at > m_now)
                    continue;
                const bool old = at < twoYearsAgo;
                for (const QString &address : m_addresses) {
                    results << probe(
                        m_web, address, at, {old ? m_oldLeaf : m_leaf, m_intermediate},
                        {old ? m_oldLeaf : m_leaf, m_intermediate, old ? m_oldRoot : m_root});
                }
            }
        }
        const QDate retiredDay = today.addDays(-913);
        for (int hour : {3, 9, 15, 21}) {
            results << probe(m_retired, u"198.51.100.7"_s,
                             QDateTime(retiredDay, QTime(hour, 0), Qt::UTC),
                             {m_retiredLeaf, m_intermediate}, {m_retiredLeaf, m_intermediate});
        }
        HistoryRepository history(*m_db);
        QVERIFY2(history.record(results, &error), qPrintable(error));
        m_recorded = results.size();
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificates"_s), 6);
    }

    void cleanup() {
        m_db.reset();
        m_dir.reset();
    }

    void keepsEachBandExactly_data() {
        QTest::addColumn<int>("keepAllDays");
        QTest::addColumn<int>("keepDailyDays");
        QTest::addColumn<int>("keptAll");   // per address, probed_at >= now - keepAllDays
        QTest::addColumn<int>("keptDaily"); // per address, in the daily band
        QTest::addColumn<int>("keptOlder"); // per address, older than the daily band

        // Default: keep-all from 2026-02-13 12:00: that day's 13:00 and 19:00, 29 whole days
        // (02-14..03-14) of four, today's 01:00 and 07:00 = 2 + 116 + 2 = 120. Daily band from
        // 2024-03-15 12:00: one (19:00) for each day 2024-03-15..2026-02-12 = 700 days; the
        // 2026-02-13 probes before 12:00 go because that day's last probe (19:00) is kept.
        QTest::newRow("30 days, 2 years") << 30 << 730 << 120 << 700 << 0;
        // 7 days from 2026-03-08 12:00: 2 + 6 * 4 + 2 = 28; daily from 2025-03-15 12:00 to
        // 2026-03-07: 365 - 7 = 358 days.
        QTest::newRow("7 days, 1 year") << 7 << 365 << 28 << 358 << 0;
        // Nothing kept by age: only the latest probe (today 07:00) survives.
        QTest::newRow("nothing") << 0 << 0 << 0 << 0 << 1;
    }

    void keepsEachBandExactly() {
        QFETCH(int, keepAllDays);
        QFETCH(int, keepDailyDays);
        QFETCH(int, keptAll);
        QFETCH(int, keptDaily);
        QFETCH(int, keptOlder);

        QString error;
        const auto summary =
            prune(*m_db, RetentionPolicy{keepAllDays, keepDailyDays}, m_now, &error);
        QVERIFY2(summary, qPrintable(error));

        const QDateTime allFrom = m_now.addDays(-keepAllDays);
        const QDateTime dailyFrom = m_now.addDays(-keepDailyDays);
        for (const QString &address : m_addresses) {
            QCOMPARE(probesBetween(address, allFrom, {}), keptAll);
            QCOMPARE(probesBetween(address, dailyFrom, allFrom), keptDaily);
            QCOMPARE(probesBetween(address, {}, dailyFrom), keptOlder);
        }
        // The daily band holds the last probe of each day.
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes WHERE target_id = %1 "
                              "AND probed_at >= %2 AND probed_at < %3 AND probed_at % 86400 <> %4"_s
                                  .arg(m_web.id)
                                  .arg(dailyFrom.toSecsSinceEpoch())
                                  .arg(allFrom.toSecsSinceEpoch())
                                  .arg(19 * 3600)),
                 0);
        // The retired target's latest probe stays however old; its three earlier ones go.
        QCOMPARE(
            count(*m_db, u"SELECT count(*) FROM probes WHERE target_id = %1"_s.arg(m_retired.id)),
            1);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes p JOIN latest_probes l "
                              "ON l.probe_id = p.id"_s),
                 3);
        QCOMPARE(summary->deleted, m_recorded - 2 * (keptAll + keptDaily + keptOlder) - 1);
    }

    void removesOrphanCertificatesOnly() {
        QString error;
        const auto summary = prune(*m_db, RetentionPolicy(), m_now, &error);
        QVERIFY2(summary, qPrintable(error));
        // Only probes older than two years used the old leaf (chain) and the old root (verified
        // path only): both go. The intermediate is shared with kept probes, the root is in kept
        // verified paths only, the retired leaf belongs to a latest probe: all stay.
        QCOMPARE(summary->certificatesDeleted, 2);
        QVERIFY(!hasCertificate(m_oldLeaf));
        QVERIFY(!hasCertificate(m_oldRoot));
        QVERIFY(hasCertificate(m_leaf));
        QVERIFY(hasCertificate(m_root));
        QVERIFY(hasCertificate(m_intermediate));
        QVERIFY(hasCertificate(m_retiredLeaf));

        // Nothing left dangling (no fields of a deleted certificate either), and what remains
        // still rebuilds.
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM pragma_foreign_key_check"_s), 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM certificate_info"_s), 4);
        const QList<ProbeResult> latest =
            HistoryRepository(*m_db).latest(&error, CertificateDetail::Full);
        QCOMPARE(latest.size(), 3);
        QCOMPARE(latest.last().target.id, m_retired.id);
        QCOMPARE(latest.last().chain.first().der, m_retiredLeaf.der);
        QCOMPARE(latest.first().trust.verifiedPath.last().der, m_root.der);
    }

    void pruningAgainChangesNothing() {
        QString error;
        QVERIFY(prune(*m_db, RetentionPolicy(), m_now, &error));
        const qint64 probes = count(*m_db, u"SELECT count(*) FROM probes"_s);
        const auto again = prune(*m_db, RetentionPolicy(), m_now, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->deleted, 0);
        QCOMPARE(again->certificatesDeleted, 0);
        QCOMPARE(count(*m_db, u"SELECT count(*) FROM probes"_s), probes);
        // Foreign keys are enforced again afterwards.
        QCOMPARE(count(*m_db, u"PRAGMA foreign_keys"_s), 1);
    }

    void aDayLaterThinsTheDayThatLeftTheKeepAllBand() {
        QString error;
        QVERIFY(prune(*m_db, RetentionPolicy(), m_now, &error));
        // At 2026-03-16 12:00, per address: 2026-02-13 13:00 is no longer the last of its day
        // in the band (19:00 is), 2026-02-14 01:00 and 07:00 enter the band while that day's
        // last probe is still kept-all, and 2024-03-15 19:00 leaves the two-year window.
        const auto later = prune(*m_db, RetentionPolicy(), m_now.addDays(1), &error);
        QVERIFY2(later, qPrintable(error));
        QCOMPARE(later->deleted, 2 * (1 + 2 + 1));
    }

    // Scans run every few minutes; thinning runs at most once in the interval.
    void pruneIfDueRunsAtMostOncePerInterval() {
        QString error;
        QVERIFY(!lastPruned(*m_db).isValid());
        const auto first = pruneIfDue(*m_db, RetentionPolicy(), m_now, &error);
        QVERIFY2(first, qPrintable(error));
        QVERIFY(first->deleted > 0);
        QCOMPARE(lastPruned(*m_db), m_now);
        // Twelve hours later the day that left the keep-all band could be thinned, but it is
        // not due yet.
        const auto soon = pruneIfDue(*m_db, RetentionPolicy(), m_now.addSecs(12 * 3600), &error);
        QVERIFY2(soon, qPrintable(error));
        QCOMPARE(soon->deleted, 0);
        QCOMPARE(lastPruned(*m_db), m_now);
        const auto nextDay = pruneIfDue(*m_db, RetentionPolicy(), m_now.addDays(1), &error);
        QVERIFY2(nextDay, qPrintable(error));
        QCOMPARE(nextDay->deleted, 2 * (1 + 2 + 1));
        QCOMPARE(lastPruned(*m_db), m_now.addDays(1));
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
