// Every backend on screen: a name with several addresses has one row per address from its first
// probe, whatever order results and addresses arrive in (one batch, several, a DNS failure
// first), sorted and filtered like any row; and a round that no longer returns an address takes
// its row away. Every change runs under Qt's model tester, the proxy's too.
#include "TableFixtures.h"

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kHealthy = u"127.0.0.1"_s;
const QString kCritical = u"127.0.0.2"_s;

// As the scheduler delivers it: the round's addresses on every result.
ProbeResult inRound(ProbeResult r, const QStringList &round, qint64 secondsLater = 0) {
    r.roundAddresses = round;
    r.probedAt = r.probedAt.addSecs(secondsLater);
    return r;
}
} // namespace

class TestEndpointRows : public QObject {
    Q_OBJECT

    std::unique_ptr<EndpointTableModel> m_model;
    std::unique_ptr<EndpointFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;

    EndpointTableModel &testedModel(int sortColumn) {
        m_model = std::make_unique<EndpointTableModel>();
        m_model->setNow([] { return pinnedNow(); });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_proxy = std::make_unique<EndpointFilterProxy>();
        m_proxy->setSourceModel(m_model.get());
        m_proxyTester = std::make_unique<QAbstractItemModelTester>(
            m_proxy.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        if (sortColumn >= 0)
            m_proxy->sort(sortColumn, Qt::AscendingOrder);
        return *m_model;
    }

    // "status days" per address of the target, in address order: what the rows say.
    QStringList rowsOf(const Target &t) const {
        QStringList rows;
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (m_model->targetAt(row).id != t.id)
                continue;
            rows << cell(*m_model, row, Column::AddressColumn) + u' ' +
                        cell(*m_model, row, Column::StatusColumn) + u' ' +
                        cell(*m_model, row, Column::DaysLeftColumn);
        }
        rows.sort();
        return rows;
    }

    // The rows are in the order the sort says (days left ascending, no number last).
    void verifySorted() const {
        for (int row = 1; row < m_model->rowCount(); ++row)
            QVERIFY2(*m_model->sortNumber(row - 1, Column::DaysLeftColumn) <=
                         *m_model->sortNumber(row, Column::DaysLeftColumn),
                     qPrintable(textsOfColumn(*m_model, Column::DaysLeftColumn).join(u',')));
    }

private slots:
    void cleanup() {
        m_proxyTester.reset();
        m_tester.reset();
        m_proxy.reset();
        m_model.reset();
    }

    // The case seen: lb.example resolves to a healthy and a critical backend. Its first probe
    // must show both, with their own statuses, in every arrival order.
    void everyAddressGetsItsOwnRow_data() {
        QTest::addColumn<int>("sortColumn");
        QTest::addColumn<bool>("withRound"); // results say which addresses their round probed
        // Batches of result indexes: 0 healthy, 1 critical, 2 a DNS failure of an earlier
        // round (address "").
        QTest::addColumn<QList<QList<int>>>("batches");
        const QList<std::pair<const char *, QList<QList<int>>>> orders{
            {"one batch, healthy first", {{0, 1}}},
            {"one batch, critical first", {{1, 0}}},
            {"two batches, healthy first", {{0}, {1}}},
            {"two batches, critical first", {{1}, {0}}},
            {"DNS failure, then one batch", {{2}, {0, 1}}},
            {"DNS failure, then two batches", {{2}, {1}, {0}}},
            {"DNS failure in the same batch", {{2, 0, 1}}},
            {"DNS failure last in the batch", {{1, 0, 2}}},
        };
        for (const int sortColumn : {int(Column::DaysLeftColumn), -1}) {
            for (const bool withRound : {true, false}) {
                for (const auto &[name, batches] : orders) {
                    QTest::addRow("%s, %s, %s", name, sortColumn < 0 ? "unsorted" : "sorted",
                                  withRound ? "round known" : "round unknown")
                        << sortColumn << withRound << batches;
                }
            }
        }
    }
    void everyAddressGetsItsOwnRow() {
        QFETCH(int, sortColumn);
        QFETCH(bool, withRound);
        QFETCH(QList<QList<int>>, batches);
        EndpointTableModel &model = testedModel(sortColumn);
        const Target lb = makeTarget(1, u"lb.example"_s);
        const Target other = makeTarget(2, u"other.example"_s);
        model.setInventory({lb, other}, {probed(other, u"192.0.2.9"_s, Status::Warning, 20)});
        QCOMPARE(rowsOf(lb), QStringList{u"(resolve) Not probed yet "_s});

        const QStringList round{kHealthy, kCritical};
        QList<ProbeResult> results{probed(lb, kHealthy, Status::Ok, 80),
                                   probed(lb, kCritical, Status::Critical, 3),
                                   inRound(failed(lb, {}, Status::Unreachable), {QString()}, -60)};
        if (withRound) {
            results[0].roundAddresses = round;
            results[1].roundAddresses = round;
        }
        for (const QList<int> &batch : batches) {
            QList<ProbeResult> delivered;
            for (const int i : batch)
                delivered << results.at(i);
            model.upsertResults(delivered);
        }

        QStringList expected{kHealthy + u" OK 80"_s, kCritical + u" Critical 3"_s};
        // A DNS failure that came after both addresses (in the batch) is from an older round:
        // the addresses are current. Without the rounds, nothing says so, and it stays.
        if (!withRound && batches.last().last() == 2)
            expected.prepend(u"(resolve) Unreachable "_s);
        QCOMPARE(rowsOf(lb), expected);
        QCOMPARE(rowsOf(other), QStringList{u"192.0.2.9 Warning 20"_s});
        QCOMPARE(model.statusCounts().value(EndpointTableModel::NotProbedStatus), 0);
        QCOMPARE(model.statusCounts().value(int(Status::Critical)), 1);
        if (sortColumn >= 0)
            verifySorted();

        // The critical backend is there for "Needs attention" (the critical status filter).
        m_proxy->setStatuses({int(Status::Critical)});
        QCOMPARE(m_proxy->rowCount(), 1);
        const int source = m_proxy->mapToSource(m_proxy->index(0, 0)).row();
        QCOMPARE(model.resultAt(source).address, kCritical);
        QCOMPARE(model.targetAt(source).id, lb.id);
    }

    // A result per address arrives again, in another order: still one row each, updated in
    // place, and the rows stay sorted.
    void laterRoundsUpdateTheirOwnRows() {
        EndpointTableModel &model = testedModel(Column::DaysLeftColumn);
        const Target lb = makeTarget(1, u"lb.example"_s);
        model.setInventory({lb}, {});
        const QStringList round{kHealthy, kCritical};
        model.upsertResults({inRound(probed(lb, kHealthy, Status::Ok, 80), round),
                             inRound(probed(lb, kCritical, Status::Critical, 3), round)});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.upsertResults({inRound(probed(lb, kCritical, Status::Ok, 89), round, 60),
                             inRound(probed(lb, kHealthy, Status::Critical, 2), round, 60)});
        QCOMPARE(rowsOf(lb), (QStringList{kHealthy + u" Critical 2"_s, kCritical + u" OK 89"_s}));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        verifySorted();
        // Two results for one address in one batch: the later one is the row.
        model.upsertResults({inRound(probed(lb, kHealthy, Status::Warning, 20), round, 120),
                             inRound(probed(lb, kHealthy, Status::Ok, 70), round, 121)});
        QCOMPARE(rowsOf(lb), (QStringList{kHealthy + u" OK 70"_s, kCritical + u" OK 89"_s}));
    }

    // The name's address set changes between scans. What the newest round did not return is no
    // longer a current backend: its row goes (its history stays in the store).
    void addressSetShrinksAndGrows_data() {
        QTest::addColumn<int>("sortColumn");
        QTest::newRow("sorted") << int(Column::DaysLeftColumn);
        QTest::newRow("unsorted") << -1;
    }
    void addressSetShrinksAndGrows() {
        QFETCH(int, sortColumn);
        EndpointTableModel &model = testedModel(sortColumn);
        const Target lb = makeTarget(1, u"lb.example"_s);
        const Target other = makeTarget(2, u"other.example"_s);
        model.setInventory({lb, other}, {probed(other, u"192.0.2.9"_s, Status::Warning, 20)});
        const QString third = u"127.0.0.3"_s;

        const QStringList both{kHealthy, kCritical};
        model.upsertResults({inRound(probed(lb, kHealthy, Status::Ok, 80), both),
                             inRound(probed(lb, kCritical, Status::Critical, 3), both)});
        QCOMPARE(rowsOf(lb).size(), 2);

        // Shrinks: the critical backend left the name.
        model.upsertResults({inRound(probed(lb, kHealthy, Status::Ok, 79), {kHealthy}, 60)});
        QCOMPARE(rowsOf(lb), QStringList{kHealthy + u" OK 79"_s});

        // Grows: a third address appears.
        const QStringList grown{kHealthy, third};
        model.upsertResults({inRound(probed(lb, third, Status::Warning, 12), grown, 120),
                             inRound(probed(lb, kHealthy, Status::Ok, 78), grown, 120)});
        QCOMPARE(rowsOf(lb), (QStringList{kHealthy + u" OK 78"_s, third + u" Warning 12"_s}));

        // Resolution fails: one failure row, not last week's certificates as if current.
        model.upsertResults({inRound(failed(lb, {}, Status::Unreachable), {QString()}, 180)});
        QCOMPARE(rowsOf(lb), QStringList{u"(resolve) Unreachable "_s});

        // It resolves again, to two addresses delivered one at a time.
        model.upsertResult(inRound(probed(lb, kCritical, Status::Critical, 3), both, 240));
        model.upsertResult(inRound(probed(lb, kHealthy, Status::Ok, 77), both, 240));
        QCOMPARE(rowsOf(lb), (QStringList{kHealthy + u" OK 77"_s, kCritical + u" Critical 3"_s}));

        // A late result of an older round takes nothing newer away, and is not current itself.
        model.upsertResult(inRound(probed(lb, third, Status::Warning, 11), grown, 130));
        QCOMPARE(rowsOf(lb), (QStringList{kHealthy + u" OK 77"_s, kCritical + u" Critical 3"_s}));
        QCOMPARE(rowsOf(other), QStringList{u"192.0.2.9 Warning 20"_s});
        if (sortColumn >= 0)
            verifySorted();
        QCOMPARE(model.statusCounts().value(int(Status::Unreachable)), 0);
    }

    // Read back from the store, which keeps the newest result of every address and of the
    // failed lookup: only the newer side of "resolved or not" is current.
    void storeRowsOfAnOlderLookupAreNotShown() {
        EndpointTableModel &model = testedModel(Column::DaysLeftColumn);
        const Target resolvedAgain = makeTarget(1, u"back.example"_s);
        const Target nowFailing = makeTarget(2, u"gone.example"_s);
        ProbeResult oldFailure = failed(resolvedAgain, {}, Status::Unreachable);
        oldFailure.probedAt = pinnedNow().addDays(-3);
        ProbeResult oldAddress = probed(nowFailing, kHealthy, Status::Ok, 80);
        oldAddress.probedAt = pinnedNow().addDays(-3);
        model.setInventory({resolvedAgain, nowFailing},
                           {oldFailure, probed(resolvedAgain, kHealthy, Status::Ok, 60),
                            probed(resolvedAgain, kCritical, Status::Critical, 3), oldAddress,
                            failed(nowFailing, {}, Status::Unreachable)});
        QCOMPARE(rowsOf(resolvedAgain),
                 (QStringList{kHealthy + u" OK 60"_s, kCritical + u" Critical 3"_s}));
        QCOMPARE(rowsOf(nowFailing), QStringList{u"(resolve) Unreachable "_s});
    }
};

QTEST_MAIN(TestEndpointRows)
#include "tst_endpointrows.moc"
