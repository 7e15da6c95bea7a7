// The dashboard's target table on its own: rows per address, upserts as results arrive, the
// texts an engineer reads, numeric and severity sorting, staleness against a pinned clock, and
// the filter proxy. Every change runs under Qt's model tester.
#include "TableFixtures.h"
#include "TestSupport.h"
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "widgets/StatusIcon.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QIcon>
#include <QImage>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;


class TestTargetTableModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<EndpointTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    EndpointTableModel &testedModel()
    {
        m_model = std::make_unique<EndpointTableModel>();
        m_model->setNow([] { return pinnedNow(); });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        return *m_model;
    }

    int rowOf(const QString &label, const QString &address) const
    {
        for (int row = 0; row < m_model->rowCount(); ++row) {
            if (cell(*m_model, row, Column::TargetColumn) == label
                && cell(*m_model, row, Column::AddressColumn) == address)
                return row;
        }
        return -1;
    }

private slots:
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void oneRowPerAddressAndNotProbedRows()
    {
        EndpointTableModel &model = testedModel();
        const Target a = makeTarget(1, u"a.example"_s);
        const Target b = makeTarget(2, u"b.example"_s);
        model.setInventory({a, b}, {probed(a, u"192.0.2.1"_s, Status::Ok, 80),
                                    probed(a, u"2001:db8::1"_s, Status::Warning, 20)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, rowOf(u"a.example:443"_s, u"192.0.2.1"_s), Column::DaysLeftColumn),
                 u"80"_s);
        QCOMPARE(cell(model, rowOf(u"a.example:443"_s, u"2001:db8::1"_s), Column::StatusColumn),
                 statusLabel(Status::Warning));

        const int unprobed = rowOf(u"b.example:443"_s, u"(resolve)"_s);
        QVERIFY(unprobed >= 0);
        QCOMPARE(cell(model, unprobed, Column::StatusColumn), u"Not probed yet"_s);
        QVERIFY(!model.index(unprobed, Column::StatusColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        QVERIFY(cell(model, unprobed, Column::DaysLeftColumn).isEmpty());
        QVERIFY(!model.hasResult(unprobed));
        QCOMPARE(model.targetAt(unprobed).host, u"b.example"_s);
        QCOMPARE(model.index(unprobed, 0).data(EndpointTableModel::StatusRole).toInt(),
                 EndpointTableModel::NotProbedStatus);
    }

    void dnsFailureRowGivesWayToAddressRows()
    {
        EndpointTableModel &model = testedModel();
        const Target a = makeTarget(1, u"a.example"_s);
        const Target b = makeTarget(2, u"b.example"_s);
        model.setInventory({a, b}, {failed(a, {}, Status::Unreachable)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, rowOf(u"a.example:443"_s, u"(resolve)"_s), Column::StatusColumn),
                 statusLabel(Status::Unreachable));

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.upsertResult(probed(a, u"192.0.2.1"_s, Status::Ok, 80));
        QCOMPARE(model.rowCount(), 2); // the DNS failure row became the first address's row
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(rowOf(u"a.example:443"_s, u"(resolve)"_s), -1);
        model.upsertResult(probed(a, u"192.0.2.2"_s, Status::Warning, 20));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 1);

        // A newer result for a known address replaces its row in place.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.upsertResult(probed(a, u"192.0.2.1"_s, Status::Critical, 3));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(changed.count(), 1);
        const int row = rowOf(u"a.example:443"_s, u"192.0.2.1"_s);
        QCOMPARE(cell(model, row, Column::StatusColumn), statusLabel(Status::Critical));
        QCOMPARE(cell(model, row, Column::DaysLeftColumn), u"3"_s);
        QCOMPARE(model.resultAt(row).daysLeft, std::optional<int>(3));

        // The unprobed target's row gives way to its first result, too.
        model.upsertResult(failed(b, u"198.51.100.7"_s, Status::Timeout));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, rowOf(u"b.example:443"_s, u"198.51.100.7"_s), Column::StatusColumn),
                 statusLabel(Status::Timeout));
    }

    void removeTargetDropsEveryRowOfIt()
    {
        EndpointTableModel &model = testedModel();
        const Target a = makeTarget(1, u"a.example"_s);
        const Target b = makeTarget(2, u"b.example"_s);
        const Target c = makeTarget(3, u"c.example"_s);
        model.setInventory({a, b, c}, {probed(a, u"192.0.2.1"_s, Status::Ok, 80),
                                       probed(b, u"192.0.2.9"_s, Status::Ok, 70)});
        // a's second address arrives later, so a's rows are not adjacent.
        model.upsertResult(probed(a, u"192.0.2.2"_s, Status::Ok, 80));
        QCOMPARE(model.rowCount(), 4);

        model.removeTarget(a.id);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(sortedLabels(model), (QStringList{u"b.example:443"_s, u"c.example:443"_s}));
        model.removeTarget(a.id); // already gone: nothing happens
        QCOMPARE(model.rowCount(), 2);

        // Upserts still find the right rows after the indexes moved.
        model.upsertResult(probed(c, u"192.0.2.20"_s, Status::Expired, -2));
        model.upsertResult(probed(b, u"192.0.2.9"_s, Status::Warning, 12));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, rowOf(u"c.example:443"_s, u"192.0.2.20"_s), Column::StatusColumn),
                 statusLabel(Status::Expired));
        QCOMPARE(cell(model, rowOf(u"b.example:443"_s, u"192.0.2.9"_s), Column::DaysLeftColumn),
                 u"12"_s);
    }

    void updateTargetShowsTheEditAtOnce()
    {
        EndpointTableModel &model = testedModel();
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        Target a = makeTarget(1, u"a.example"_s, u"web"_s);
        model.setInventory({a}, {probed(a, u"192.0.2.1"_s, Status::Ok, 80),
                                 probed(a, u"192.0.2.2"_s, Status::Ok, 80)});
        proxy.setText(u"payments"_s);
        QCOMPARE(proxy.rowCount(), 0);

        a.name = u"Checkout"_s;
        a.owner = u"Payments team"_s;
        model.updateTarget(a);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(textsOfColumn(model, Column::TargetColumn),
                 (QStringList{u"Checkout"_s, u"Checkout"_s}));
        QCOMPARE(textsOfColumn(model, Column::OwnerColumn),
                 (QStringList{u"Payments team"_s, u"Payments team"_s}));
        QCOMPARE(proxy.rowCount(), 2); // the search text follows the edit
        QCOMPARE(textsOfColumn(model, Column::DaysLeftColumn), (QStringList{u"80"_s, u"80"_s}));

        model.updateTarget(makeTarget(2, u"new.example"_s)); // added in the dialog
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(model, 2, Column::StatusColumn), u"Not probed yet"_s);
    }

    void daysLeftSortsAsANumberFailuresLast_data()
    {
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("ascending") << Qt::AscendingOrder
                                   << QStringList{u"-3"_s, u"2"_s, u"10"_s, u"100"_s, {}, {}};
        QTest::newRow("descending") << Qt::DescendingOrder
                                    << QStringList{u"100"_s, u"10"_s, u"2"_s, u"-3"_s, {}, {}};
    }
    void daysLeftSortsAsANumberFailuresLast()
    {
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, expected);
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        for (int i = 1; i <= 6; ++i)
            targets << makeTarget(i, u"t%1.example"_s.arg(i));
        model.setInventory(targets, {probed(targets[0], u"192.0.2.1"_s, Status::Ok, 100),
                                     probed(targets[1], u"192.0.2.2"_s, Status::Critical, 2),
                                     failed(targets[2], u"192.0.2.3"_s, Status::Timeout),
                                     probed(targets[3], u"192.0.2.4"_s, Status::Warning, 10),
                                     probed(targets[4], u"192.0.2.5"_s, Status::Expired, -3)});
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(Column::DaysLeftColumn, order);
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), expected);
        // The two without days: the timeout and the unprobed target.
        QStringList withoutDays{cell(proxy, 4, Column::TargetColumn),
                                cell(proxy, 5, Column::TargetColumn)};
        withoutDays.sort();
        QCOMPARE(withoutDays, (QStringList{u"t3.example:443"_s, u"t6.example:443"_s}));

        // Expires sorts by time, in step with days left.
        proxy.sort(Column::ExpiresColumn, order);
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), expected);
    }

    // Rows prepared off the UI thread already in a column's order keep every row whole (its
    // search text, sort keys and target index move with it) and sort as the others do.
    void preparedInSortOrderKeepsRowsWhole_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::newRow("days left, ascending") << int(Column::DaysLeftColumn) << Qt::AscendingOrder;
        QTest::newRow("days left, descending")
            << int(Column::DaysLeftColumn) << Qt::DescendingOrder;
        QTest::newRow("status") << int(Column::StatusColumn) << Qt::AscendingOrder;
        QTest::newRow("a text column") << int(Column::OwnerColumn) << Qt::AscendingOrder;
    }
    void preparedInSortOrderKeepsRowsWhole() {
        QFETCH(int, column);
        QFETCH(Qt::SortOrder, order);
        QList<Target> targets;
        QList<ProbeResult> latest;
        for (int i = 1; i <= 7; ++i) {
            targets << makeTarget(i, u"t%1.example"_s.arg(i), u"owner%1"_s.arg(8 - i),
                                  {u"tag%1"_s.arg(i % 2)});
            if (i == 3)
                latest << failed(targets.last(), u"192.0.2.3"_s, Status::Timeout);
            else if (i != 6)
                latest << probed(targets.last(), u"192.0.2.%1"_s.arg(i),
                                 i % 2 ? Status::Ok : Status::Warning, (i * 37) % 11 - 3);
        }
        EndpointTableModel reference;
        reference.setInventory(targets, latest);
        EndpointTableModel &model = testedModel();
        const EndpointTableModel::Prepared old =
            model.setPrepared(EndpointTableModel::prepare(targets, latest, column, order));
        QCOMPARE(old.size(), 0);
        QCOMPARE(model.rowCount(), 7);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString host = model.targetAt(row).host;
            QVERIFY(model.searchText(row).contains(host));
            if (model.hasResult(row) && model.resultAt(row).daysLeft)
                QCOMPARE(model.sortNumber(row, Column::DaysLeftColumn),
                         std::optional<qint64>(*model.resultAt(row).daysLeft));
        }
        EndpointFilterProxy sorted;
        sorted.setSourceModel(&model);
        sorted.sort(column, order);
        EndpointFilterProxy expected;
        expected.setSourceModel(&reference);
        expected.sort(column, order);
        QCOMPARE(textsOfColumn(sorted, column), textsOfColumn(expected, column));
        QCOMPARE(model.allTags(), (QStringList{u"tag0"_s, u"tag1"_s}));
        // The target index moved with the rows: a target's row is found and replaced in place.
        const int rows = model.rowCount();
        model.upsertResult(probed(targets[4], u"192.0.2.5"_s, Status::Critical, 1));
        QCOMPARE(model.rowCount(), rows);
        QCOMPARE(model.statusCounts().value(int(Status::Critical)), 1);
        QCOMPARE(model.statusCounts().value(EndpointTableModel::NotProbedStatus), 1);
    }

    // The model sorts itself (the proxy only filters): rows whose result changes move to where
    // the sort puts them, new rows are inserted in place, a selected row stays selected, and a
    // text column sorts by its text.
    void rowsStaySortedAsResultsArrive_data() {
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("before");
        QTest::addColumn<QStringList>("after");
        QTest::addColumn<bool>("batched"); // as the window applies a scan's results
        // t2 renewed (5 -> 90 days), t4 probed for the first time (40 days), t5 added (1 day).
        for (const bool batched : {false, true}) {
            QTest::addRow("ascending%s", batched ? ", batched" : "")
                << Qt::AscendingOrder << QStringList{u"5"_s, u"30"_s, u"60"_s, {}}
                << QStringList{u"1"_s, u"30"_s, u"40"_s, u"60"_s, u"90"_s} << batched;
            QTest::addRow("descending%s", batched ? ", batched" : "")
                << Qt::DescendingOrder << QStringList{u"60"_s, u"30"_s, u"5"_s, {}}
                << QStringList{u"90"_s, u"60"_s, u"40"_s, u"30"_s, u"1"_s} << batched;
        }
    }
    void rowsStaySortedAsResultsArrive() {
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, before);
        QFETCH(QStringList, after);
        QFETCH(bool, batched);
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        for (int i = 1; i <= 5; ++i)
            targets << makeTarget(i, u"t%1.example"_s.arg(i), u"owner%1"_s.arg(i % 3));
        EndpointFilterProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(Column::DaysLeftColumn, order);
        QCOMPARE(model.sortColumn(), int(Column::DaysLeftColumn));
        QCOMPARE(proxy.sortColumn(), -1); // the proxy keeps the model's order
        model.setInventory(targets.mid(0, 4),
                           {probed(targets[0], u"192.0.2.1"_s, Status::Ok, 60),
                            probed(targets[1], u"192.0.2.2"_s, Status::Critical, 5),
                            probed(targets[2], u"192.0.2.3"_s, Status::Ok, 30)});
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), before);
        const QPersistentModelIndex selected = proxy.index(before.indexOf(u"5"_s), 0);

        const QList<ProbeResult> arriving{probed(targets[1], u"192.0.2.2"_s, Status::Ok, 90),
                                          probed(targets[3], u"192.0.2.4"_s, Status::Ok, 40),
                                          probed(targets[4], u"192.0.2.5"_s, Status::Critical, 1)};
        if (batched) {
            model.upsertResults(arriving);
        } else {
            for (const ProbeResult &result : arriving)
                model.upsertResult(result);
        }
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), after);
        QVERIFY(selected.isValid());
        QCOMPARE(selected.data().toString(), statusLabel(Status::Ok));
        QCOMPARE(proxy.index(selected.row(), Column::DaysLeftColumn).data().toString(), u"90"_s);

        // A text column by its text; ties keep the order the rows came in.
        proxy.sort(Column::OwnerColumn, order);
        QStringList owners = textsOfColumn(proxy, Column::OwnerColumn);
        QStringList expected = owners;
        std::sort(expected.begin(), expected.end());
        if (order == Qt::DescendingOrder)
            std::reverse(expected.begin(), expected.end());
        QCOMPARE(owners, expected);
        QCOMPARE(proxy.index(selected.row(), Column::DaysLeftColumn).data().toString(), u"90"_s);
    }

    // A batch of results passes through the filters like single ones: a row whose status leaves
    // the filter leaves the view, one that enters it appears.
    void batchedResultsAreFiltered() {
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        for (int i = 1; i <= 3; ++i)
            targets << makeTarget(i, u"t%1.example"_s.arg(i), u"owner"_s);
        EndpointFilterProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(Column::DaysLeftColumn, Qt::AscendingOrder);
        model.setInventory(targets, {probed(targets[0], u"192.0.2.1"_s, Status::Critical, 3),
                                     probed(targets[1], u"192.0.2.2"_s, Status::Ok, 50),
                                     probed(targets[2], u"192.0.2.3"_s, Status::Ok, 70)});
        proxy.setStatuses({int(Status::Critical)});
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), QStringList{u"3"_s});
        model.upsertResults({probed(targets[0], u"192.0.2.1"_s, Status::Ok, 89),
                             probed(targets[2], u"192.0.2.3"_s, Status::Critical, 2)});
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), QStringList{u"2"_s});
        proxy.setStatuses({});
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn),
                 (QStringList{u"2"_s, u"50"_s, u"89"_s}));
    }

    // A snooze set on a target repaints that target's row wherever the sort has put it.
    void snoozeRefreshFindsTheSortedRow() {
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        QList<ProbeResult> latest;
        for (int i = 1; i <= 4; ++i) {
            targets << makeTarget(i, u"t%1.example"_s.arg(i));
            latest << probed(targets.last(), u"192.0.2.%1"_s.arg(i), Status::Ok, 100 - 10 * i);
        }
        model.setInventory(targets, latest);
        model.sort(Column::DaysLeftColumn, Qt::AscendingOrder); // t4 first, t1 last
        model.setSnoozeNote([](qint64 id) { return id == 1 ? u"Snoozed"_s : QString(); });
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refreshSnooze(1);
        QCOMPARE(changed.size(), 1);
        const int row = changed.at(0).at(0).toModelIndex().row();
        QCOMPARE(model.targetAt(row).id, 1);
        QVERIFY(cell(model, row, Column::StatusColumn).contains(u"(snoozed)"_s));
    }

    // A table prepared in one order (a reload that started before a header was clicked) shows
    // in the order the view asks for now.
    void preparedInAnotherOrderIsSortedOnSwap() {
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        QList<ProbeResult> latest;
        for (int i = 1; i <= 4; ++i) {
            targets << makeTarget(i, u"t%1.example"_s.arg(i));
            latest << probed(targets.last(), u"192.0.2.%1"_s.arg(i), Status::Ok, 10 * i);
        }
        model.sort(Column::DaysLeftColumn, Qt::DescendingOrder);
        model.setPrepared(EndpointTableModel::prepare(targets, latest, Column::DaysLeftColumn,
                                                      Qt::AscendingOrder));
        QCOMPARE(textsOfColumn(model, Column::DaysLeftColumn),
                 (QStringList{u"40"_s, u"30"_s, u"20"_s, u"10"_s}));
    }

    // The text filter remembers which rows match; a row whose text changes, a new row and a
    // removal are filtered as they happen.
    void textFilterFollowsChangedRows() {
        EndpointTableModel &model = testedModel();
        EndpointFilterProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.sort(Column::DaysLeftColumn, Qt::AscendingOrder);
        const Target a = makeTarget(1, u"a.example"_s, u"payments"_s);
        const Target b = makeTarget(2, u"b.example"_s, u"web"_s);
        const Target c = makeTarget(3, u"c.example"_s, u"payments"_s);
        model.setInventory({a, b, c}, {probed(a, u"192.0.2.1"_s, Status::Ok, 50),
                                       probed(b, u"192.0.2.2"_s, Status::Ok, 20),
                                       probed(c, u"192.0.2.3"_s, Status::Ok, 30)});
        proxy.setText(u"payments"_s);
        QCOMPARE(sortedLabels(proxy), (QStringList{u"a.example:443"_s, u"c.example:443"_s}));
        Target moved = b;
        moved.owner = u"payments"_s;
        model.updateTarget(moved);
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn),
                 (QStringList{u"20"_s, u"30"_s, u"50"_s}));
        model.removeTarget(a.id); // renumbers the rows stored after it
        model.upsertResult(probed(makeTarget(4, u"d.example"_s, u"payments"_s), u"192.0.2.4"_s,
                                  Status::Warning, 10));
        model.upsertResult(
            probed(makeTarget(5, u"e.example"_s, u"web"_s), u"192.0.2.5"_s, Status::Ok, 5));
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn),
                 (QStringList{u"10"_s, u"20"_s, u"30"_s}));
        proxy.setText({});
        QCOMPARE(proxy.rowCount(), 4);
    }

    void statusSortsBySeverity()
    {
        EndpointTableModel &model = testedModel();
        QList<Target> targets;
        for (int i = 1; i <= 6; ++i)
            targets << makeTarget(i, u"t%1.example"_s.arg(i));
        model.setInventory(targets, {probed(targets[0], u"192.0.2.1"_s, Status::Ok, 80),
                                     probed(targets[1], u"192.0.2.2"_s, Status::Warning, 20),
                                     probed(targets[2], u"192.0.2.3"_s, Status::Expired, -1),
                                     failed(targets[3], u"192.0.2.4"_s, Status::Unreachable),
                                     probed(targets[4], u"192.0.2.5"_s, Status::Critical, 5)});
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(Column::StatusColumn, Qt::AscendingOrder);
        // Worst first (a failure before a mere warning), the unprobed target last.
        QCOMPARE(textsOfColumn(proxy, Column::StatusColumn),
                 (QStringList{statusLabel(Status::Expired), statusLabel(Status::Critical),
                              statusLabel(Status::Unreachable), statusLabel(Status::Warning),
                              statusLabel(Status::Ok), u"Not probed yet"_s}));
    }

    void lastProbedTurnsStale_data()
    {
        QTest::addColumn<qint64>("ageSeconds");
        QTest::addColumn<qint64>("staleAfter");
        QTest::addColumn<bool>("stale");
        QTest::newRow("within the interval") << qint64(6 * 3600 - 60) << qint64(6 * 3600) << false;
        QTest::newRow("past the interval") << qint64(6 * 3600 + 60) << qint64(6 * 3600) << true;
        QTest::newRow("a week old, staleness off") << qint64(7 * 86400) << qint64(0) << false;
    }
    void lastProbedTurnsStale()
    {
        QFETCH(qint64, ageSeconds);
        QFETCH(qint64, staleAfter);
        QFETCH(bool, stale);
        EndpointTableModel &model = testedModel();
        model.setStaleAfterSeconds(staleAfter);
        const Target a = makeTarget(1, u"a.example"_s);
        ProbeResult r = probed(a, u"192.0.2.1"_s, Status::Ok, 80);
        r.probedAt = pinnedNow().addSecs(-ageSeconds);
        model.setInventory({a}, {r});

        const QModelIndex probedAt = model.index(0, Column::ProbedColumn);
        const QString when = QLocale().toString(r.probedAt.toLocalTime(), QLocale::ShortFormat);
        QCOMPARE(probedAt.data().toString(), stale ? when + u" (stale)"_s : when);
        QCOMPARE(probedAt.data(Qt::FontRole).value<QFont>().italic(), stale);
        QCOMPARE(model.index(0, Column::DaysLeftColumn).data(Qt::FontRole).value<QFont>().italic(),
                 stale);
    }

    void staleFollowsTheClock()
    {
        EndpointTableModel &model = testedModel();
        QDateTime now = pinnedNow();
        model.setNow([&now] { return now; });
        model.setStaleAfterSeconds(3600);
        const Target a = makeTarget(1, u"a.example"_s);
        model.setInventory({a}, {probed(a, u"192.0.2.1"_s, Status::Ok, 80)});
        QVERIFY(!cell(model, 0, Column::ProbedColumn).endsWith(u" (stale)"_s));
        now = now.addSecs(2 * 3600);
        QVERIFY(cell(model, 0, Column::ProbedColumn).endsWith(u" (stale)"_s));
    }

    void columnTexts_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<ProbeResult>("result");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("toolTip");

        const Target t = makeTarget(1, u"a.example"_s);
        const ProbeResult base = probed(t, u"192.0.2.1"_s, Status::Ok, 80);

        QTest::newRow("key EC P-256") << int(Column::KeyColumn) << base << u"EC P-256"_s << QString();
        ProbeResult r = base;
        r.chain[0].curve = u"secp384r1"_s;
        QTest::newRow("key EC P-384") << int(Column::KeyColumn) << r << u"EC P-384"_s << QString();
        r = base;
        r.chain[0].keyType = u"RSA"_s;
        r.chain[0].keyBits = 2048;
        r.chain[0].curve.clear();
        QTest::newRow("key RSA 2048") << int(Column::KeyColumn) << r << u"RSA 2048"_s << QString();
        r.chain[0].keyType = u"Ed25519"_s;
        r.chain[0].keyBits = 256;
        QTest::newRow("key Ed25519") << int(Column::KeyColumn) << r << u"Ed25519"_s << QString();

        QTest::newRow("limiting leaf") << int(Column::LimitingColumn) << base << u"leaf"_s
                                       << QString();
        r = base;
        CertificateInfo intermediate = makeLeaf(u"R3"_s, 5);
        intermediate.subject = u"CN=R3, O=Let's Encrypt"_s;
        r.chain << intermediate;
        r.limiting = intermediate;
        r.limitingRole = u"intermediate"_s;
        r.daysLeft = 5;
        QTest::newRow("limiting intermediate")
            << int(Column::LimitingColumn) << r << u"intermediate: R3"_s << QString();

        QTest::newRow("issuer CN") << int(Column::IssuerColumn) << base << u"Test Issuing CA"_s
                                   << QString();
        QTest::newRow("trusted") << int(Column::TrustColumn) << base << u"trusted"_s << QString();
        r = base;
        r.trust.trusted = false;
        r.trust.findings = {u"hostname mismatch: certificate is not valid for a.example"_s,
                            u"self-signed certificate"_s};
        QTest::newRow("trust findings")
            << int(Column::TrustColumn) << r
            << u"hostname mismatch: certificate is not valid for a.example; self-signed certificate"_s
            << u"hostname mismatch: certificate is not valid for a.example\nself-signed certificate"_s;

        r = base;
        r.sni.clear();
        QTest::newRow("no SNI") << int(Column::SniColumn) << r << u"(none)"_s << QString();
        QTest::newRow("SNI") << int(Column::SniColumn) << base << u"a.example"_s << QString();

        const ProbeResult failure = failed(t, u"192.0.2.1"_s, Status::HandshakeFailed);
        QTest::newRow("failure: status and error")
            << int(Column::StatusColumn) << failure << statusLabel(Status::HandshakeFailed)
            << u"peer closed the connection"_s;
        QTest::newRow("failure: no days") << int(Column::DaysLeftColumn) << failure << QString()
                                          << QString();
        QTest::newRow("failure: no trust") << int(Column::TrustColumn) << failure << QString()
                                           << QString();
    }
    void columnTexts()
    {
        QFETCH(int, column);
        QFETCH(ProbeResult, result);
        QFETCH(QString, display);
        QFETCH(QString, toolTip);
        EndpointTableModel &model = testedModel();
        model.setInventory({result.target}, {result});
        QCOMPARE(cell(model, 0, column), display);
        QCOMPARE(cell(model, 0, column, Qt::ToolTipRole), toolTip);
    }

    void expiresInLocalDateWithUtcToolTip()
    {
        // 20:00 UTC is already the next day in Tokyo: the column shows the local date.
        const QByteArray oldTz = qgetenv("TZ");
        qputenv("TZ", "Asia/Tokyo");
        EndpointTableModel &model = testedModel();
        const Target a = makeTarget(1, u"a.example"_s);
        ProbeResult r = probed(a, u"192.0.2.1"_s, Status::Warning, 10);
        r.chain[0].notAfter = QDateTime(QDate(2026, 3, 25), QTime(20, 0), Qt::UTC);
        r.limiting = r.chain.first();
        model.setInventory({a}, {r});
        const QString shown = cell(model, 0, Column::ExpiresColumn);
        const QString toolTip = cell(model, 0, Column::ExpiresColumn, Qt::ToolTipRole);
        if (oldTz.isNull())
            qunsetenv("TZ");
        else
            qputenv("TZ", oldTz);
        QCOMPARE(shown, QLocale().toString(QDate(2026, 3, 26), QLocale::ShortFormat));
        QCOMPARE(toolTip, u"2026-03-25T20:00:00Z"_s);
    }

    void statusShownByIconAndTextNotColourAlone()
    {
        EndpointTableModel &model = testedModel();
        const QList<Status> all{Status::Ok,          Status::RotationOverdue, Status::Warning,
                                Status::Critical,    Status::NotYetValid,     Status::Expired,
                                Status::Unreachable, Status::Timeout,         Status::HandshakeFailed};
        QList<Target> targets;
        QList<ProbeResult> results;
        for (int i = 0; i < all.size(); ++i) {
            targets << makeTarget(i + 1, u"t%1.example"_s.arg(i + 1));
            results << probed(targets.last(), u"192.0.2.%1"_s.arg(i + 1), all[i], 10);
        }
        targets << makeTarget(100, u"unprobed.example"_s);
        model.setInventory(targets, results);

        QHash<QByteArray, QString> shapes;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row, Column::StatusColumn);
            const QString text = index.data().toString();
            QVERIFY(!text.isEmpty());
            const QIcon icon = index.data(Qt::DecorationRole).value<QIcon>();
            QVERIFY2(!icon.isNull(), qPrintable(text));
            // Without hue, every status still looks different from every other.
            const QByteArray shape = shapeOf(icon);
            QVERIFY2(!shapes.contains(shape),
                     qPrintable(text + u" looks like "_s + shapes.value(shape)));
            shapes.insert(shape, text);
        }
        QCOMPARE(shapes.size(), all.size() + 1);
    }

    void textFilterSearchesEveryField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("empty") << QString()
                               << QStringList{u"Checkout"_s, u"api.example:443"_s,
                                              u"mail.example:443"_s};
        QTest::newRow("SAN") << u"dns:alt.shop.example"_s << QStringList{u"Checkout"_s};
        QTest::newRow("owner, any case") << u"PAYMENTS"_s << QStringList{u"Checkout"_s};
        QTest::newRow("tag") << u"pci"_s << QStringList{u"Checkout"_s};
        QTest::newRow("issuer") << u"other issuing"_s << QStringList{u"mail.example:443"_s};
        QTest::newRow("address") << u"2001:db8::25"_s << QStringList{u"mail.example:443"_s};
        QTest::newRow("SNI override") << u"edge.cdn.example"_s
                                      << QStringList{u"api.example:443"_s};
        QTest::newRow("host of a named target") << u"shop.example"_s
                                                << QStringList{u"Checkout"_s};
        QTest::newRow("every word must match") << u"prod platform"_s
                                               << QStringList{u"api.example:443"_s};
        QTest::newRow("no match") << u"nowhere"_s << QStringList{};
    }
    void textFilterSearchesEveryField()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        EndpointTableModel &model = testedModel();

        Target shop = makeTarget(1, u"shop.example"_s, u"Payments"_s,
                                 {u"prod"_s, u"pci"_s});
        shop.name = u"Checkout"_s;
        ProbeResult shopResult = probed(shop, u"192.0.2.10"_s, Status::Ok, 60);
        shopResult.chain[0].subjectAltNames << u"DNS:alt.shop.example"_s;

        Target api = makeTarget(2, u"api.example"_s, u"Platform"_s, {u"prod"_s});
        api.sni = u"edge.cdn.example"_s;
        const ProbeResult apiResult = probed(api, u"192.0.2.20"_s, Status::Warning, 20);

        const Target mail = makeTarget(3, u"mail.example"_s, u"IT"_s, {u"staging"_s});
        ProbeResult mailResult = probed(mail, u"2001:db8::25"_s, Status::Critical, 3);
        mailResult.chain[0].issuer = u"CN=Other Issuing CA, O=Elsewhere"_s;
        mailResult.chain[0].issuerCommonName = u"Other Issuing CA"_s;

        model.setInventory({shop, api, mail}, {shopResult, apiResult, mailResult});
        EndpointFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy,
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setText(text);
        QCOMPARE(sortedLabels(proxy), expected);
    }

    void statusAndTagFilters_data()
    {
        QTest::addColumn<QSet<int>>("statuses");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        const auto all = QStringList{u"a.example:443"_s, u"b.example:443"_s, u"c.example:443"_s,
                                     u"d.example:443"_s};
        QTest::newRow("no filter") << QSet<int>{} << QString() << QString() << all;
        QTest::newRow("expired") << QSet<int>{int(Status::Expired)} << QString() << QString()
                                 << QStringList{u"a.example:443"_s};
        QTest::newRow("not probed") << QSet<int>{EndpointTableModel::NotProbedStatus} << QString()
                                    << QString() << QStringList{u"d.example:443"_s};
        QTest::newRow("expired or unreachable")
            << QSet<int>{int(Status::Expired), int(Status::Unreachable)} << QString() << QString()
            << QStringList{u"a.example:443"_s, u"c.example:443"_s};
        QTest::newRow("tag") << QSet<int>{} << u"prod"_s << QString()
                             << QStringList{u"a.example:443"_s, u"b.example:443"_s};
        QTest::newRow("tag is exact, not a substring")
            << QSet<int>{} << u"pro"_s << QString() << QStringList{};
        QTest::newRow("tag and status") << QSet<int>{int(Status::Ok)} << u"prod"_s << QString()
                                        << QStringList{u"b.example:443"_s};
        QTest::newRow("all three") << QSet<int>{int(Status::Ok), int(Status::Expired)} << u"prod"_s
                                   << u"team-b"_s << QStringList{u"b.example:443"_s};
    }
    void statusAndTagFilters()
    {
        QFETCH(QSet<int>, statuses);
        QFETCH(QString, tag);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        EndpointTableModel &model = testedModel();
        const Target a = makeTarget(1, u"a.example"_s, u"team-a"_s, {u"prod"_s});
        const Target b = makeTarget(2, u"b.example"_s, u"team-b"_s, {u"prod"_s, u"web"_s});
        const Target c = makeTarget(3, u"c.example"_s, u"team-b"_s, {u"staging"_s});
        const Target d = makeTarget(4, u"d.example"_s, u"team-d"_s, {u"production"_s});
        model.setInventory({a, b, c, d}, {probed(a, u"192.0.2.1"_s, Status::Expired, -4),
                                          probed(b, u"192.0.2.2"_s, Status::Ok, 70),
                                          failed(c, u"192.0.2.3"_s, Status::Unreachable)});
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setStatuses(statuses);
        proxy.setTag(tag);
        proxy.setText(text);
        QCOMPARE(sortedLabels(proxy), expected);
        QCOMPARE(model.allTags(), (QStringList{u"prod"_s, u"production"_s, u"staging"_s, u"web"_s}));
    }

    void filteredRowsFollowUpserts()
    {
        EndpointTableModel &model = testedModel();
        EndpointFilterProxy proxy;
        QAbstractItemModelTester proxyTester(&proxy,
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        const Target a = makeTarget(1, u"a.example"_s);
        const Target b = makeTarget(2, u"b.example"_s);
        model.setInventory({a, b}, {});
        proxy.setStatuses({int(Status::Expired)});
        proxy.sort(Column::DaysLeftColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.rowCount(), 0);
        model.upsertResult(probed(a, u"192.0.2.1"_s, Status::Expired, -1));
        model.upsertResult(probed(a, u"192.0.2.2"_s, Status::Expired, -9));
        model.upsertResult(probed(b, u"192.0.2.3"_s, Status::Ok, 50));
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), (QStringList{u"-9"_s, u"-1"_s}));
        model.upsertResult(probed(a, u"192.0.2.2"_s, Status::Ok, 80)); // renewed
        QCOMPARE(textsOfColumn(proxy, Column::DaysLeftColumn), (QStringList{u"-1"_s}));
        model.removeTarget(a.id);
        QCOMPARE(proxy.rowCount(), 0);
    }
};

QTEST_MAIN(TestTargetTableModel)
#include "tst_targettablemodel.moc"
