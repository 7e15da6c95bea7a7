// The latest view holds the addresses of each target's newest probe round: an address the name
// no longer resolves to leaves it (history keeps it), a DNS failure and addresses never coexist.
#include "HistoryFixtures.h"

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// A probe of one address in a round that probed `round` (as ProbeScheduler fills it).
ProbeResult inRound(const Target &target, const QString &address, const QStringList &round,
                    const QDateTime &probedAt) {
    ProbeResult r = timeoutResult(target, address, probedAt);
    r.roundAddresses = round;
    return r;
}

ProbeResult dnsFailure(const Target &target, const QDateTime &probedAt) {
    ProbeResult r;
    r.target = target;
    r.sni = target.host;
    r.status = Status::Unreachable;
    r.error = u"DNS: %1 not found"_s.arg(target.host);
    r.probedAt = probedAt;
    r.roundAddresses = {QString()};
    return r;
}

} // namespace

class TestLatestAddresses : public QObject {
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    const QDateTime m_t0 = pinnedNow().addDays(-1);

    void record(const QList<ProbeResult> &results) {
        QString error;
        QVERIFY2(HistoryRepository(*m_db).record(results, &error), qPrintable(error));
    }

    // "address@seconds after t0" for each latest row of the target, in address order.
    QStringList latestOf(const Target &target) {
        QString error;
        QStringList rows;
        for (const ProbeResult &r : HistoryRepository(*m_db).latest(&error)) {
            if (r.target.id == target.id)
                rows << u"%1@%2"_s.arg(r.address).arg(m_t0.secsTo(r.probedAt));
        }
        if (!error.isEmpty())
            qWarning("latest() failed: %s", qPrintable(error));
        return rows;
    }

    qint64 historyCount(const Target &target) {
        return HistoryRepository(*m_db).history(target.id, {}, {}).size();
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QString error;
        m_db = Database::open(m_dir->filePath(u"latest.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
    }

    void cleanup() {
        m_db.reset();
        m_dir.reset();
    }

    void shrinkingRoundDropsTheGoneAddress() {
        const Target t = insertTarget(*m_db, u"shrink.test"_s);
        const Target other = insertTarget(*m_db, u"other.test"_s);
        const QStringList both{u"192.0.2.1"_s, u"192.0.2.2"_s};
        record({inRound(t, both[0], both, m_t0), inRound(t, both[1], both, m_t0.addSecs(1)),
                inRound(other, u"192.0.2.9"_s, {u"192.0.2.9"_s}, m_t0)});
        QCOMPARE(latestOf(t), (QStringList{u"192.0.2.1@0"_s, u"192.0.2.2@1"_s}));

        // The backend .2 left DNS: the next round probes .1 only.
        record({inRound(t, both[0], {both[0]}, m_t0.addSecs(300))});
        QCOMPARE(latestOf(t), QStringList{u"192.0.2.1@300"_s});
        QCOMPARE(historyCount(t), 3); // history is history: the charts still show .2
        QCOMPARE(latestOf(other), QStringList{u"192.0.2.9@0"_s}); // another target is untouched
    }

    void growingRoundOverSeveralBatches() {
        // The window records a round in batches, in whatever order the probes finish.
        const Target t = insertTarget(*m_db, u"grow.test"_s);
        const QStringList first{u"192.0.2.1"_s, u"192.0.2.2"_s};
        record({inRound(t, first[0], first, m_t0), inRound(t, first[1], first, m_t0)});

        const QStringList next{u"192.0.2.2"_s, u"192.0.2.3"_s, u"192.0.2.4"_s};
        record({inRound(t, next[1], next, m_t0.addSecs(62))});
        QCOMPARE(latestOf(t), (QStringList{u"192.0.2.2@0"_s, u"192.0.2.3@62"_s}));
        record({inRound(t, next[2], next, m_t0.addSecs(63)),
                inRound(t, next[0], next, m_t0.addSecs(60))});
        QCOMPARE(latestOf(t),
                 (QStringList{u"192.0.2.2@60"_s, u"192.0.2.3@62"_s, u"192.0.2.4@63"_s}));
    }

    void dnsFailureThenRecovery() {
        const Target t = insertTarget(*m_db, u"dns.test"_s);
        const QStringList both{u"192.0.2.1"_s, u"192.0.2.2"_s};
        record({inRound(t, both[0], both, m_t0), inRound(t, both[1], both, m_t0)});

        // The name stops resolving: one "" row says so, no address row pretends otherwise.
        record({dnsFailure(t, m_t0.addSecs(60))});
        QCOMPARE(latestOf(t), QStringList{u"@60"_s});
        QString error;
        const QList<ProbeResult> latest = HistoryRepository(*m_db).latestFor(t.id, &error);
        QCOMPARE(latest.size(), 1);
        QVERIFY(latest.first().error.startsWith(u"DNS:"_s));

        // It resolves again, to one address: the failure row goes.
        record({inRound(t, both[1], {both[1]}, m_t0.addSecs(120))});
        QCOMPARE(latestOf(t), QStringList{u"192.0.2.2@120"_s});
        QCOMPARE(historyCount(t), 4);
    }

    void lateResultOfAnOlderRoundChangesNothingNewer() {
        const Target t = insertTarget(*m_db, u"late.test"_s);
        const QStringList old{u"192.0.2.1"_s, u"192.0.2.2"_s};
        record({inRound(t, old[0], old, m_t0)});
        // A newer round (another process, the name moved to .3) is recorded first...
        record({inRound(t, u"192.0.2.3"_s, {u"192.0.2.3"_s}, m_t0.addSecs(30))});
        QCOMPARE(latestOf(t), QStringList{u"192.0.2.3@30"_s});
        // ...then the slow probe of the older round finishes: it is history, nothing more. It
        // neither removes the newer row nor brings back an address the name left.
        record({inRound(t, old[1], old, m_t0.addSecs(1))});
        QCOMPARE(latestOf(t), QStringList{u"192.0.2.3@30"_s});
        QCOMPARE(historyCount(t), 3);
        // And a late DNS failure of an older round does not hide the newer addresses either.
        record({dnsFailure(t, m_t0.addSecs(2))});
        QCOMPARE(latestOf(t), QStringList{u"192.0.2.3@30"_s});
    }

    void resultsWithoutRoundDeleteNothing() {
        // Older callers, tests and imports do not know the round: they only add.
        const Target t = insertTarget(*m_db, u"unknown.test"_s);
        const QStringList both{u"192.0.2.1"_s, u"192.0.2.2"_s};
        record({inRound(t, both[0], both, m_t0), inRound(t, both[1], both, m_t0)});
        record({timeoutResult(t, both[0], m_t0.addSecs(60))});
        ProbeResult failed = dnsFailure(t, m_t0.addSecs(61));
        failed.roundAddresses.clear();
        record({failed});
        QCOMPARE(latestOf(t), (QStringList{u"@61"_s, u"192.0.2.1@60"_s, u"192.0.2.2@0"_s}));
    }
};

QTEST_GUILESS_MAIN(TestLatestAddresses)
#include "tst_latestaddresses.moc"
