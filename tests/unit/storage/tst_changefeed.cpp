#include "HistoryFixtures.h"
#include "domain/Clock.h"
#include "storage/ChangeFeed.h"
#include "storage/HistoryCodec.h"
#include "storage/TargetRepository.h"

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

// What changed, read from a store filled by HistoryRepository::record() with constructed results.
// A scenario is a list of probes "ROUND ADDRESS LEAF [FINDING...]" (ROUND r0..r3, ADDRESS "-" for
// a failed lookup, LEAF a certificate's name or "timeout"); the window is [r0 + 1 day, r3), so r0
// and r0b (12 hours later) are history before it and r3 comes after it. Changes are compared as
// "ROUND[+s] kind address before after detail" with fingerprints written back as certificate names.
class TestChangeFeed : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    QHash<QString, CertificateInfo> m_leaves;
    CertificateInfo m_ca;

    static QDateTime roundTime(const QString &name) {
        static const QHash<QString, int> hours{
            {u"r0"_s, -240}, {u"r0b"_s, -228}, {u"r1"_s, -120}, {u"r2"_s, -48}, {u"r3"_s, 24}};
        return pinnedNow().addSecs(3600 * hours.value(name, 100000));
    }
    static QDateTime since() { return pinnedNow().addDays(-9); }
    static QDateTime until() { return roundTime(u"r3"_s); }

    QString nameOf(const QString &sha256) const {
        for (auto it = m_leaves.cbegin(); it != m_leaves.cend(); ++it) {
            if (historycodec::sha256Of(*it) == sha256)
                return it.key();
        }
        return sha256;
    }
    QString whenOf(const QDateTime &time) const {
        for (const QString &round : {u"r0"_s, u"r0b"_s, u"r1"_s, u"r2"_s, u"r3"_s}) {
            const qint64 offset = roundTime(round).secsTo(time);
            if (offset >= 0 && offset < 3600)
                return offset == 0 ? round : u"%1+%2"_s.arg(round).arg(offset);
        }
        return time.toString(Qt::ISODate);
    }
    QString describe(const Change &c) const {
        QString detail = c.detail;
        detail.replace(u' ', u'-');
        for (auto it = m_leaves.cbegin(); it != m_leaves.cend(); ++it) {
            if (detail == it->notAfter.toUTC().toString(Qt::ISODate))
                detail = u"expiry(%1)"_s.arg(it.key());
        }
        const auto orDash = [](const QString &s) {
            return s.isEmpty() ? u"-"_s : s;
        };
        return QStringList{whenOf(c.firstSeen),      changeKindKey(c.kind),   orDash(c.address),
                           orDash(nameOf(c.before)), orDash(nameOf(c.after)), orDash(detail)}
            .join(u' ');
    }

    // Records the scenario's probes round by round, as scans would.
    void record(const Target &target, const QStringList &probes) {
        QMap<QDateTime, QList<ProbeResult>> rounds;
        QHash<QString, int> perRound;
        for (const QString &line : probes) {
            const QStringList f = line.split(u' ', Qt::SkipEmptyParts);
            QVERIFY2(f.size() >= 3, qPrintable(line));
            const QString address = f[1] == u"-"_s ? QString() : f[1];
            const QDateTime at = roundTime(f[0]).addSecs(perRound[f[0]]++);
            ProbeResult r;
            if (f[2] == u"timeout"_s) {
                r = timeoutResult(target, address, at);
                if (address.isEmpty()) {
                    r.status = Status::Unreachable;
                    r.error = u"DNS: host not found"_s;
                }
            } else {
                QVERIFY2(m_leaves.contains(f[2]), qPrintable(line));
                r = certificateResult(target, address, {m_leaves.value(f[2]), m_ca}, at);
                for (const QString &kind : f.mid(3))
                    r.trust.add(findingKindFromKey(kind), kind + u": constructed"_s);
            }
            rounds[roundTime(f[0])].append(r);
        }
        for (const QList<ProbeResult> &round : std::as_const(rounds)) {
            QString error;
            QVERIFY2(HistoryRepository(*m_db).record(round, &error), qPrintable(error));
        }
    }

    QStringList changes(const QDateTime &from, const QDateTime &to) const {
        QString error;
        const QList<Change> list = changesBetween(*m_db, from, to, &error);
        if (!error.isEmpty())
            qWarning("changesBetween: %s", qPrintable(error));
        QStringList out;
        for (const Change &c : list)
            out << describe(c);
        return out;
    }

private slots:
    void initTestCase() {
        const TestCert root = makeCert(CertSpec::root(u"Changes Root"_s));
        const TestCert ca = makeCert(CertSpec::intermediate(u"Changes CA"_s), &root);
        m_ca = decoded(ca);
        // 90-day leaves; A2 replaces A.
        m_leaves.insert(u"leafA"_s,
                        decoded(makeCert(CertSpec::leaf(u"svc.test"_s).validDays(-10, 80), &ca)));
        m_leaves.insert(u"leafA2"_s,
                        decoded(makeCert(CertSpec::leaf(u"svc.test"_s).validDays(-3, 87), &ca)));
        m_leaves.insert(u"leafB"_s,
                        decoded(makeCert(CertSpec::leaf(u"svc.test"_s).validDays(-4, 86), &ca)));
    }

    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QString error;
        m_db = Database::open(m_dir->filePath(u"changes.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
    }

    void cleanup() {
        m_db.reset();
        m_dir.reset();
    }

    void eachKind_data() {
        QTest::addColumn<QStringList>("probes");
        QTest::addColumn<std::optional<int>>("rotationDays"); // the target's own
        QTest::addColumn<QStringList>("expected");
        const std::optional<int> none;

        QTest::newRow("nothing changed")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 leafA"_s, u"r2 10.0.0.1 leafA"_s}
            << none << QStringList{};
        QTest::newRow("rotated, once, when first seen; not after the window")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 leafA"_s, u"r2 10.0.0.1 leafA2"_s,
                           u"r3 10.0.0.1 leafB"_s}
            << none
            << QStringList{u"r2 certificate_rotated 10.0.0.1 leafA leafA2 expiry(leafA2)"_s};
        QTest::newRow("rotated during an outage")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 timeout"_s,
                           u"r2 10.0.0.1 leafA2"_s}
            << none
            << QStringList{u"r1 failure_started 10.0.0.1 ok timeout timed-out-after-5-s"_s,
                           u"r2 certificate_rotated 10.0.0.1 leafA leafA2 expiry(leafA2)"_s,
                           u"r2 recovered 10.0.0.1 timeout ok ok"_s};
        QTest::newRow("outage before the window, rotated inside it")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r0b 10.0.0.1 timeout"_s,
                           u"r2 10.0.0.1 leafA2"_s}
            << none
            << QStringList{u"r2 certificate_rotated 10.0.0.1 leafA leafA2 expiry(leafA2)"_s,
                           u"r2 recovered 10.0.0.1 timeout ok ok"_s};
        QTest::newRow("failure started; recovery after the window")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 timeout"_s,
                           u"r2 10.0.0.1 timeout"_s, u"r3 10.0.0.1 leafA"_s}
            << none << QStringList{u"r1 failure_started 10.0.0.1 ok timeout timed-out-after-5-s"_s};
        QTest::newRow("finding appeared and resolved")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 leafA hostname_mismatch"_s,
                           u"r2 10.0.0.1 leafA"_s, u"r3 10.0.0.1 leafA weak_key"_s}
            << none
            << QStringList{u"r1 finding_appeared 10.0.0.1 - hostname_mismatch hostname_mismatch"_s,
                           u"r2 finding_resolved 10.0.0.1 hostname_mismatch - hostname_mismatch"_s};
        QTest::newRow("finding that was there before is not new")
            << QStringList{u"r0 10.0.0.1 leafA untrusted_root"_s,
                           u"r1 10.0.0.1 leafA untrusted_root"_s}
            << none << QStringList{};
        QTest::newRow("address appeared and disappeared")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r0 10.0.0.2 leafA"_s, u"r1 10.0.0.1 leafA"_s,
                           u"r1 10.0.0.3 leafA"_s}
            << none
            << QStringList{u"r1 address_disappeared 10.0.0.2 - - -"_s,
                           u"r1+1 address_appeared 10.0.0.3 - - -"_s};
        QTest::newRow("address diverged from its siblings")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r0 10.0.0.2 leafA"_s, u"r0 10.0.0.3 leafA"_s,
                           u"r1 10.0.0.1 leafA"_s, u"r1 10.0.0.2 leafA"_s, u"r1 10.0.0.3 leafB"_s,
                           u"r2 10.0.0.1 leafA"_s, u"r2 10.0.0.2 leafA"_s, u"r2 10.0.0.3 leafB"_s}
            << none
            << QStringList{u"r1+2 certificate_rotated 10.0.0.3 leafA leafB expiry(leafB)"_s,
                           u"r1+2 address_diverged 10.0.0.3 leafA leafB -"_s};
        QTest::newRow("lookup failed, then resolved again")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 - timeout"_s, u"r2 10.0.0.1 leafA"_s}
            << none
            << QStringList{u"r1 failure_started - - unreachable DNS:-host-not-found"_s,
                           u"r2 recovered - unreachable ok ok"_s};
        // 90-day leaf A, rotation every 7 days: due once fewer than 83 days are left (r2; a second
        // later, 81 whole days).
        QTest::newRow("rotation overdue, once per certificate")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r1 10.0.0.1 leafA"_s, u"r2 10.0.0.1 leafA"_s,
                           u"r2 10.0.0.2 leafA"_s}
            << std::optional<int>(7)
            << QStringList{u"r2 rotation_overdue 10.0.0.1 leafA - 82"_s,
                           u"r2+1 rotation_overdue 10.0.0.2 leafA - 81"_s,
                           u"r2+1 address_appeared 10.0.0.2 - - -"_s};
        QTest::newRow("no rotation period, nothing overdue")
            << QStringList{u"r0 10.0.0.1 leafA"_s, u"r2 10.0.0.1 leafA"_s} << none << QStringList{};
    }

    void eachKind() {
        QFETCH(QStringList, probes);
        QFETCH(std::optional<int>, rotationDays);
        QFETCH(QStringList, expected);
        const Target target = insertTarget(*m_db, u"svc.test"_s);
        if (rotationDays) {
            QSqlQuery q(m_db->connection());
            QVERIFY(q.exec(u"UPDATE targets SET rotation_days = %1"_s.arg(*rotationDays)));
        }
        record(target, probes);
        QCOMPARE(changes(since(), until()), expected);
        for (const Change &c : changesBetween(*m_db, since(), until())) {
            QCOMPARE(c.targetId, target.id);
            QCOMPARE(c.target, u"svc.test:443"_s);
            QCOMPARE(c.firstSeen.timeSpec(), Qt::UTC);
        }
    }

    void windowBoundsAreHalfOpen() {
        const Target target = insertTarget(*m_db, u"svc.test"_s);
        record(target, {u"r0 10.0.0.1 leafA"_s, u"r2 10.0.0.1 leafA2"_s});
        const QDateTime rotated = roundTime(u"r2"_s);
        QCOMPARE(changes(rotated, rotated.addSecs(1)).size(), 1);
        QCOMPARE(changes(rotated.addSecs(-3600), rotated).size(), 0); // until is excluded
        QCOMPARE(changes(rotated.addSecs(1), until()).size(), 0);     // first seen before
    }

    void targetsAddedAndRemoved() {
        FixedClock clock(pinnedNow().addDays(-20));
        TargetRepository repository(*m_db, clock);
        Target old;
        old.host = u"old.test"_s;
        old.port = 443;
        QString error;
        QVERIFY2(repository.add(old, &error), qPrintable(error)); // before the window
        clock.set(pinnedNow().addDays(-3));
        Target kept;
        kept.host = u"kept.test"_s;
        kept.port = 443;
        kept.name = u"Kept"_s;
        QVERIFY2(repository.add(kept, &error), qPrintable(error));
        Target brief;
        brief.host = u"brief.test"_s;
        brief.port = 8443;
        QVERIFY2(repository.importTargets({brief}, &error), qPrintable(error));
        const qint64 briefId = repository.all().last().id;
        clock.set(pinnedNow().addDays(-1));
        QVERIFY2(repository.remove(old.id, &error), qPrintable(error));
        QVERIFY2(repository.remove(briefId, &error), qPrintable(error));
        clock.set(pinnedNow().addDays(2)); // after the window
        QVERIFY2(repository.remove(kept.id, &error), qPrintable(error));

        const QList<Change> list = changesBetween(*m_db, since(), until(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList actual;
        for (const Change &c : list)
            actual << u"%1 %2 %3 %4"_s.arg(c.firstSeen.toString(Qt::ISODate), changeKindKey(c.kind),
                                           c.target, QString::number(c.targetId));
        const QString added = pinnedNow().addDays(-3).toString(Qt::ISODate);
        const QString removed = pinnedNow().addDays(-1).toString(Qt::ISODate);
        // Kept was there through the window (removed after it): its id still names it then.
        QCOMPARE(actual, (QStringList{added + u" target_added Kept 0"_s,
                                      added + u" target_added brief.test:8443 0"_s,
                                      removed + u" target_removed brief.test:8443 0"_s,
                                      removed + u" target_removed old.test:443 0"_s}));
    }

    // "Until now" includes what happened earlier in the current second: the store keeps whole
    // seconds, and a report made right after an import listed nothing of it.
    void untilWithinASecondIncludesThatSecond() {
        FixedClock clock(pinnedNow());
        TargetRepository repository(*m_db, clock);
        Target t;
        t.host = u"this-second.test"_s;
        t.port = 443;
        QString error;
        QVERIFY2(repository.add(t, &error), qPrintable(error));
        const auto count = [&](const QDateTime &until) {
            int n = 0;
            for (const Change &c : changesBetween(*m_db, pinnedNow().addSecs(-10), until, &error))
                n += c.target == u"this-second.test:443"_s ? 1 : 0;
            return n;
        };
        QCOMPARE(count(pinnedNow().addMSecs(300)), 1);
        QCOMPARE(count(pinnedNow()), 0); // a whole-second until stays exclusive
    }

    void keysAndLabels() {
        for (int k = 0; k <= int(ChangeKind::TargetRemoved); ++k) {
            const auto kind = ChangeKind(k);
            QVERIFY(!changeKindKey(kind).isEmpty());
            QVERIFY(!changeKindLabel(kind).isEmpty());
            QCOMPARE(changeKindFromKey(changeKindKey(kind)), std::optional<ChangeKind>(kind));
        }
        QCOMPARE(changeKindKey(ChangeKind::CertificateRotated), u"certificate_rotated"_s);
        QCOMPARE(changeKindFromKey(u"nonsense"_s), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestChangeFeed)
#include "tst_changefeed.moc"
