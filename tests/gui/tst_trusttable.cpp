// Trust in the window: a certificate clients refuse is in "Needs attention" and says so in words
// in the status cell, whatever its expiry status; the tray counts it.
#include "TableFixtures.h"
#include "domain/FindingExplanation.h"
#include "tray/TrayNotifier.h"

using namespace certdash;
using namespace certdash::test;

namespace {
ProbeResult withTrust(ProbeResult r, TrustLevel level, const QList<FindingKind> &kinds) {
    for (const FindingKind kind : kinds)
        r.trust.add(kind, findingKindKey(kind) + u": details"_s);
    r.trust.trusted = kinds.isEmpty();
    r.trustVerdict.level = level;
    if (level == TrustLevel::Accepted)
        r.trustVerdict.acceptedBy = AcceptanceRule::SelfSigned;
    return r;
}
} // namespace

class TestTrustTable : public QObject {
    Q_OBJECT

    std::unique_ptr<EndpointTableModel> m_model;
    QList<Target> m_targets;

    EndpointTableModel &model() {
        m_model = std::make_unique<EndpointTableModel>();
        m_model->setNow([] { return pinnedNow(); });
        m_targets = {makeTarget(1, u"fine.example"_s), makeTarget(2, u"wrong.example"_s),
                     makeTarget(3, u"lab.example"_s), makeTarget(4, u"old.example"_s),
                     makeTarget(5, u"soon.example"_s)};
        const auto ok = [&](int i) {
            return probed(m_targets[i], u"192.0.2.%1"_s.arg(i), Status::Ok, 80);
        };
        m_model->setInventory(
            m_targets,
            {ok(0), withTrust(ok(1), TrustLevel::Failed, {FindingKind::HostnameMismatch}),
             withTrust(ok(2), TrustLevel::Accepted, {FindingKind::SelfSigned}),
             withTrust(ok(3), TrustLevel::Weak, {FindingKind::WeakSignature}),
             probed(m_targets[4], u"192.0.2.4"_s, Status::Warning, 20)});
        return *m_model;
    }

    int rowOf(const QAbstractItemModel &m, const QString &host) const {
        for (int row = 0; row < m.rowCount(); ++row) {
            if (cell(m, row, Column::TargetColumn).startsWith(host))
                return row;
        }
        return -1;
    }

private slots:
    void needsAttentionIncludesTrustFailures() {
        EndpointTableModel &m = model();
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&m);
        const QList<int> attention = EndpointFilterProxy::needsAttention();
        proxy.setStatuses(QSet<int>(attention.cbegin(), attention.cend()));
        QStringList shown = sortedLabels(proxy);
        QCOMPARE(shown, (QStringList{u"soon.example:443"_s, u"wrong.example:443"_s}));

        // "Not trusted" alone.
        proxy.setStatuses({EndpointTableModel::TrustFailedStatus});
        QCOMPARE(sortedLabels(proxy), QStringList{u"wrong.example:443"_s});
        // Ok alone still lists every ok row, trusted or not.
        proxy.setStatuses({int(Status::Ok)});
        QCOMPARE(sortedLabels(proxy).size(), 4);
    }

    void statusCellSaysTrustInWords() {
        EndpointTableModel &m = model();
        QCOMPARE(cell(m, rowOf(m, u"fine.example"_s), Column::StatusColumn), u"OK"_s);
        QCOMPARE(cell(m, rowOf(m, u"wrong.example"_s), Column::StatusColumn),
                 u"OK \u00b7 not trusted: hostname mismatch"_s);
        QCOMPARE(cell(m, rowOf(m, u"lab.example"_s), Column::StatusColumn),
                 u"OK \u00b7 accepted"_s);
        QCOMPARE(cell(m, rowOf(m, u"old.example"_s), Column::StatusColumn),
                 u"OK \u00b7 weak: weak signature"_s);
        QCOMPARE(cell(m, rowOf(m, u"wrong.example"_s), Column::StatusColumn,
                      EndpointTableModel::TrustLevelRole),
                 u"failed"_s);
        // The icon is at least critical's shape, not ok's.
        const QIcon icon = qvariant_cast<QIcon>(
            m.index(rowOf(m, u"wrong.example"_s), Column::StatusColumn).data(Qt::DecorationRole));
        QCOMPARE(shapeOf(icon), shapeOf(statusIcon(Status::Critical)));
    }

    // The status bar's "Not trusted: N": counted as rows change, and an expired certificate
    // alone is its status, not a trust count.
    void countsTrustFailuresAsRowsChange() {
        EndpointTableModel &m = model();
        QCOMPARE(m.trustFailedCount(), 1);
        ProbeResult expired = probed(m_targets[0], u"192.0.2.0"_s, Status::Expired, -3);
        m.upsertResult(withTrust(expired, TrustLevel::Failed, {FindingKind::ExpiredInChain}));
        QCOMPARE(m.trustFailedCount(), 1);
        QCOMPARE(cell(m, rowOf(m, u"fine.example"_s), Column::StatusColumn), u"Expired"_s);
        m.upsertResult(probed(m_targets[1], u"192.0.2.1"_s, Status::Ok, 80)); // fixed
        QCOMPARE(m.trustFailedCount(), 0);
        m.upsertResult(withTrust(expired, TrustLevel::Failed,
                                 {FindingKind::ExpiredInChain, FindingKind::HostnameMismatch}));
        QCOMPARE(m.trustFailedCount(), 1);
    }

    // "Needs attention: N" counts what the filter of that name shows: every status but OK, and
    // OK rows whose certificate clients refuse; a row that is both counts once.
    void needsAttentionCountsTrustFailuresOnce() {
        EndpointTableModel &m = model();
        int expected = 0;
        for (int row = 0; row < m.rowCount(); ++row) {
            if (!m.hasResult(row))
                continue;
            const ProbeResult &r = m.resultAt(row);
            expected += r.status != Status::Ok || trustBeyondExpiry(r) == TrustLevel::Failed;
        }
        QCOMPARE(m.needsAttentionCount(), expected);
        const int before = m.needsAttentionCount();
        // An OK row turns untrusted: one more.
        m.upsertResult(withTrust(probed(m_targets[1], u"192.0.2.1"_s, Status::Ok, 80),
                                 TrustLevel::Failed, {FindingKind::HostnameMismatch}));
        const int untrustedOk = m.needsAttentionCount();
        QVERIFY(untrustedOk >= before);
        // The same row also expires: still counted once.
        m.upsertResult(withTrust(probed(m_targets[1], u"192.0.2.1"_s, Status::Expired, -1),
                                 TrustLevel::Failed, {FindingKind::HostnameMismatch}));
        QCOMPARE(m.needsAttentionCount(), untrustedOk);
        // Fixed: back to OK and trusted, no longer counted.
        m.upsertResult(probed(m_targets[1], u"192.0.2.1"_s, Status::Ok, 80));
        QCOMPARE(m.needsAttentionCount(), untrustedOk - 1);
    }

    void trayCountsTrustFailures() {
        StatusCounts counts;
        counts.byStatus[Status::Ok] = 3;
        QCOMPARE(counts.worst(), std::optional<Status>(Status::Ok));
        counts.trustFailed = 1;
        QCOMPARE(counts.worst(), std::optional<Status>(Status::Critical));
        counts.byStatus[Status::Expired] = 1;
        QCOMPARE(counts.worst(), std::optional<Status>(Status::Expired));
    }

    void detailsSayWhyAndByWhat() {
        TrustVerdict verdict;
        verdict.level = TrustLevel::Accepted;
        verdict.acceptedBy = AcceptanceRule::Fingerprint;
        verdict.acceptedTag = u"legacy"_s;
        const QString text = explainTrustVerdict(verdict, {FindingKind::HostnameMismatch});
        QVERIFY2(text.contains(u"pin_sha256"_s) && text.contains(u"tag legacy"_s) &&
                     text.contains(u"hostname mismatch"_s),
                 qPrintable(text));
        verdict = TrustVerdict{TrustLevel::Failed, AcceptanceRule::None, {}};
        QVERIFY(
            explainTrustVerdict(verdict, {FindingKind::UntrustedRoot})
                .startsWith(u"Not trusted: clients refuse this certificate (untrusted root)"_s));
    }
};

QTEST_MAIN(TestTrustTable)
#include "tst_trusttable.moc"
