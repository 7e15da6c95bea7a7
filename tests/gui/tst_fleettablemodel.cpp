// Fleet rows in the target table, at the model: rows read from a Prometheus join CertDash's own
// rows, stay sorted, and the counts the status bar, the tray and the filters read stay true as
// reads replace them (in place when the same rows come back, so a selection stays), add or drop
// rows, and as the store's rows are reloaded with the fleet rows carried along (in the model, and
// in the window while another connection writes the store). The counts are checked against what
// the rows shown say, worked out here from scratch after every step. Every change runs under
// Qt's model tester.
#include "TableFixtures.h"
#include "domain/Attention.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/FleetFeed.h"
#include "widgets/FleetFeedCache.h"
#include "widgets/MainWindow.h"

#include <QTcpServer>
#include <QTemporaryDir>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
const QString kPrometheus = u"http://prometheus.test:9090"_s;
const QString kOtherPrometheus = u"http://prometheus-eu.test:9090"_s;

// A fleet row as FleetFeed hands it to the table: its own target id below zero, its source set.
ProbeResult fleetRow(qint64 id, const QString &host, const QString &address, Status status,
                     int daysLeft, const QString &source = kPrometheus,
                     const QStringList &tags = {u"fleet"_s}) {
    ProbeResult r = probed(makeTarget(-id, host, u"web team"_s, tags), address, status, daysLeft);
    r.source = source;
    r.limitingRole.clear(); // blackbox exports the earliest expiry, not which certificate
    r.trust = {}; // blackbox reads without verifying: trust unknown
    return r;
}

// An own row whose certificate clients refuse (a name mismatch) while it is far from expiry.
ProbeResult wrongCertificate(const Target &t, const QString &address) {
    ProbeResult r = probed(t, address, Status::Ok, 200);
    r.trust.trusted = false;
    r.trust.kinds = {FindingKind::HostnameMismatch};
    r.trustVerdict.level = TrustLevel::Failed;
    return r;
}

struct Counts {
    QMap<int, int> byStatus;
    int needsAttention = 0;
    int trustFailed = 0;
    QStringList tags;
    bool operator==(const Counts &o) const {
        return byStatus == o.byStatus && needsAttention == o.needsAttention &&
               trustFailed == o.trustFailed && tags == o.tags;
    }
};

char *toString(const Counts &c) {
    QString text;
    for (auto it = c.byStatus.cbegin(); it != c.byStatus.cend(); ++it)
        text += u"%1:%2 "_s.arg(it.key()).arg(it.value());
    text += u"attention %1 trust %2 tags %3"_s.arg(c.needsAttention)
                .arg(c.trustFailed)
                .arg(c.tags.join(u','));
    return qstrdup(qPrintable(text));
}

// What the rows shown say, worked out from each row.
Counts countedFromRows(const EndpointTableModel &model) {
    Counts c;
    QSet<QString> tags;
    for (int row = 0; row < model.rowCount(); ++row) {
        const ProbeResult &r = model.resultAt(row);
        const bool probedRow = model.hasResult(row);
        ++c.byStatus[probedRow ? int(r.status) : EndpointTableModel::NotProbedStatus];
        if (probedRow && needsAttention(r))
            ++c.needsAttention;
        if (probedRow && trustBeyondExpiry(r) == TrustLevel::Failed)
            ++c.trustFailed;
        for (const QString &tag : r.target.tags)
            tags.insert(tag);
    }
    c.tags = QStringList(tags.cbegin(), tags.cend());
    c.tags.sort();
    return c;
}

// What the model keeps as rows change (what the status bar, tray and tag filter read).
Counts keptByModel(const EndpointTableModel &model) {
    return {model.statusCounts(), model.needsAttentionCount(), model.trustFailedCount(),
            model.allTags()};
}

// (source, target id, address) of every row, in model order.
QStringList rowKeys(const EndpointTableModel &model) {
    QStringList keys;
    for (int row = 0; row < model.rowCount(); ++row) {
        const ProbeResult &r = model.resultAt(row);
        keys << u"%1|%2|%3"_s.arg(r.source).arg(r.target.id).arg(r.address);
    }
    return keys;
}

// Days left ascending, rows without a number last: the window's default sort.
bool sortedByDaysLeft(const EndpointTableModel &model) {
    for (int row = 1; row < model.rowCount(); ++row) {
        if (*model.sortNumber(row - 1, Column::DaysLeftColumn) >
            *model.sortNumber(row, Column::DaysLeftColumn))
            return false;
    }
    return true;
}
} // namespace

class TestFleetTableModel : public QObject {
    Q_OBJECT

    std::unique_ptr<EndpointTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QList<Target> m_targets;
    QList<ProbeResult> m_latest;

    // Four stored targets: one healthy, one expiring soon, one never probed, one serving a
    // certificate for another name.
    EndpointTableModel &modelWithOwnRows() {
        m_model = std::make_unique<EndpointTableModel>();
        m_model->setNow([] { return pinnedNow(); });
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->sort(Column::DaysLeftColumn, Qt::AscendingOrder);
        m_targets = {makeTarget(1, u"own-a.test"_s, {}, {u"own"_s}),
                     makeTarget(2, u"own-b.test"_s, {}, {u"own"_s, u"db"_s}),
                     makeTarget(3, u"own-c.test"_s), makeTarget(4, u"own-d.test"_s)};
        m_latest = {probed(m_targets.at(0), u"192.0.2.1"_s, Status::Ok, 120),
                    probed(m_targets.at(1), u"192.0.2.2"_s, Status::Warning, 12),
                    wrongCertificate(m_targets.at(3), u"192.0.2.4"_s)};
        m_model->setInventory(m_targets, m_latest);
        return *m_model;
    }

    static QList<ProbeResult> firstRead() {
        return {fleetRow(1, u"f1.test"_s, u"10.0.0.1"_s, Status::Ok, 300),
                fleetRow(2, u"f2.test"_s, u"10.0.0.2"_s, Status::Critical, 3),
                fleetRow(3, u"f3.test"_s, u"10.0.0.3"_s, Status::Expired, -2),
                fleetRow(4, u"f4.test"_s, u"10.0.0.4"_s, Status::Warning, 29)};
    }

private slots:
    void cleanup() {
        m_tester.reset();
        m_model.reset();
    }

    void fleetRowsJoinOwnRowsSortedAndCounted() {
        EndpointTableModel &model = modelWithOwnRows();
        const Counts own = keptByModel(model);
        model.setFleetRows(kPrometheus, firstRead());
        QCOMPARE(model.rowCount(), 4 + 4);
        QVERIFY(sortedByDaysLeft(model));
        QCOMPARE(keptByModel(model), countedFromRows(model));
        // Beside the own warning and wrong certificate: the fleet's critical, expired, warning.
        QCOMPARE(own.needsAttention, 2);
        QCOMPARE(model.needsAttentionCount(), own.needsAttention + 3);
        QCOMPARE(model.trustFailedCount(), 1);
        QCOMPARE(model.allTags(), (QStringList{u"db"_s, u"fleet"_s, u"own"_s}));
        // The limiting certificate of a fleet row is not known, only the chain's earliest expiry.
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString limiting = cell(model, row, Column::LimitingColumn);
            if (EndpointTableModel::isFleetRow(model.resultAt(row)))
                QCOMPARE(limiting, u"earliest in the chain"_s);
            else if (model.hasResult(row))
                QCOMPARE(limiting, u"leaf"_s);
        }

        model.removeFleetSource(kPrometheus);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(keptByModel(model), own);
    }

    void theSameRowsAgainAreReplacedInPlaceKeepingTheSelection() {
        EndpointTableModel &model = modelWithOwnRows();
        model.setFleetRows(kPrometheus, firstRead());
        // A selected fleet row and a selected own row (persistent indexes, as a selection keeps).
        int fleetRowF1 = -1, ownRowB = -1;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.resultAt(row).target.host == u"f1.test"_s)
                fleetRowF1 = row;
            if (model.resultAt(row).target.host == u"own-b.test"_s)
                ownRowB = row;
        }
        const QPersistentModelIndex f1(model.index(fleetRowF1, Column::TargetColumn));
        const QPersistentModelIndex b(model.index(ownRowB, Column::DaysLeftColumn));

        // The next read: the same endpoints, newer data (f1 is now the soonest to expire, f3
        // and f4 were renewed).
        QList<ProbeResult> next = firstRead();
        next[0] = fleetRow(1, u"f1.test"_s, u"10.0.0.1"_s, Status::Expired, -3);
        next[2] = fleetRow(3, u"f3.test"_s, u"10.0.0.3"_s, Status::Ok, 89);
        next[3] = fleetRow(4, u"f4.test"_s, u"10.0.0.4"_s, Status::Ok, 200);
        const int attentionBefore = model.needsAttentionCount();
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        model.setFleetRows(kPrometheus, next);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(layouts.size(), 1);
        QCOMPARE(model.rowCount(), 8);
        QVERIFY(sortedByDaysLeft(model));
        QVERIFY(f1.isValid() && b.isValid());
        QCOMPARE(model.resultAt(f1.row()).target.host, u"f1.test"_s);
        QCOMPARE(model.resultAt(f1.row()).status, Status::Expired);
        QCOMPARE(f1.row(), 0); // it sorts first now
        QCOMPARE(model.resultAt(b.row()).target.host, u"own-b.test"_s);
        QCOMPARE(keptByModel(model), countedFromRows(model));
        QCOMPARE(model.needsAttentionCount(), attentionBefore - 1); // f1 in, f3 and f4 out
    }

    void rowsThatComeAndGoReplaceOnlyTheirSource() {
        EndpointTableModel &model = modelWithOwnRows();
        model.setFleetRows(kPrometheus, firstRead());
        model.setFleetRows(kOtherPrometheus,
                           {fleetRow(10, u"eu1.test"_s, u"10.1.0.1"_s, Status::Warning, 20,
                                     kOtherPrometheus, {u"eu"_s})});
        QCOMPARE(model.rowCount(), 4 + 4 + 1);
        QStringList before = rowKeys(model);

        // f2 is gone from the fleet, f5 is new; the other Prometheus's row stays as it was.
        QList<ProbeResult> next = firstRead();
        next.removeAt(1);
        next << fleetRow(5, u"f5.test"_s, u"10.0.0.5"_s, Status::Warning, 25);
        model.setFleetRows(kPrometheus, next);
        QCOMPARE(model.rowCount(), 4 + 4 + 1);
        QStringList after = rowKeys(model);
        QVERIFY(!after.contains(u"%1|-2|10.0.0.2"_s.arg(kPrometheus)));
        QVERIFY(after.contains(u"%1|-5|10.0.0.5"_s.arg(kPrometheus)));
        for (const QString &key : std::as_const(before)) {
            if (!key.startsWith(kPrometheus + u'|'))
                QVERIFY2(after.contains(key), qPrintable(key)); // own rows and the other source
        }
        QVERIFY(sortedByDaysLeft(model));
        QCOMPARE(keptByModel(model), countedFromRows(model));

        // A read with no rows at all empties that source only.
        model.setFleetRows(kPrometheus, QList<ProbeResult>{});
        QCOMPARE(model.rowCount(), 4 + 1);
        QCOMPARE(keptByModel(model), countedFromRows(model));
        QVERIFY(model.allTags().contains(u"eu"_s));
        QVERIFY(!model.allTags().contains(u"fleet"_s));
    }

    void aReloadOfTheStoreCarriesTheFleetRows() {
        EndpointTableModel &model = modelWithOwnRows();
        model.setFleetRows(kPrometheus, firstRead());
        const QStringList shown = [&] {
            QStringList keys = rowKeys(model);
            keys.sort();
            return keys;
        }();
        const Counts counts = keptByModel(model);

        // The window's reload: the store's rows and the fleet rows shown, prepared together away
        // from the model and swapped in with one reset.
        model.setPrepared(EndpointTableModel::prepare(m_targets, m_latest, Column::DaysLeftColumn,
                                                      Qt::AscendingOrder, {firstRead()}));
        QStringList reloaded = rowKeys(model);
        reloaded.sort();
        QCOMPARE(reloaded, shown);
        QVERIFY(sortedByDaysLeft(model));
        QCOMPARE(keptByModel(model), counts);
        QCOMPARE(keptByModel(model), countedFromRows(model));

        // The carried rows are the source's rows: the next read replaces them in place.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setFleetRows(kPrometheus, firstRead());
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 8);
        QCOMPARE(keptByModel(model), countedFromRows(model));
    }

    void eachExporterOfAnAddressHasARowThatNamesIt() {
        EndpointTableModel &model = modelWithOwnRows();
        ProbeResult zoneA = fleetRow(9, u"multi.test"_s, u"10.0.0.9"_s, Status::Unreachable, 0);
        zoneA.daysLeft.reset();
        zoneA.vantage = u"zone-a.test:9115"_s;
        ProbeResult zoneB = fleetRow(10, u"multi.test"_s, u"10.0.0.9"_s, Status::Ok, 80);
        zoneB.vantage = u"zone-b.test:9115"_s;
        model.setFleetRows(kPrometheus, {zoneA, zoneB});
        QStringList sources;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.resultAt(row).target.host == u"multi.test"_s)
                sources << cell(model, row, Column::SourceColumn);
        }
        sources.sort();
        QCOMPARE(sources, (QStringList{u"prometheus.test:9090 via zone-a.test:9115"_s,
                                       u"prometheus.test:9090 via zone-b.test:9115"_s}));
        // The filter finds a zone's rows by its exporter.
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setText(u"zone-a"_s);
        QCOMPARE(proxy.rowCount(), 1);
    }

    void aFleetRowOfASnoozedTargetSaysSo() {
        // The fleet probes own-a.test too: its row alerts as the stored target, so the stored
        // target's snooze is its snooze, and the table says so on both rows.
        EndpointTableModel &model = modelWithOwnRows();
        ProbeResult same = fleetRow(7, u"own-a.test"_s, u"192.0.2.1"_s, Status::Ok, 119);
        same.target.tags = {u"own"_s};
        model.setFleetRows(kPrometheus,
                           {same, fleetRow(8, u"f8.test"_s, u"10.0.0.8"_s, Status::Ok, 100)});
        qint64 snoozed = 0;
        model.setSnoozeNote(
            [&](qint64 id) { return id == snoozed ? u"Alerts snoozed for 1 day."_s : QString(); });
        const auto statusOf = [&](const QString &host, bool fleet) {
            for (int row = 0; row < model.rowCount(); ++row) {
                const ProbeResult &r = model.resultAt(row);
                if (r.target.host == host && EndpointTableModel::isFleetRow(r) == fleet)
                    return cell(model, row, Column::StatusColumn);
            }
            return QString();
        };
        QVERIFY(!statusOf(u"own-a.test"_s, true).contains(u"snoozed"_s));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        snoozed = m_targets.at(0).id;
        model.refreshSnooze(snoozed);
        QCOMPARE(changed.size(), 2); // the own row and the fleet row repainted
        QVERIFY(statusOf(u"own-a.test"_s, false).endsWith(u"(snoozed)"_s));
        QVERIFY(statusOf(u"own-a.test"_s, true).endsWith(u"(snoozed)"_s));
        QVERIFY(!statusOf(u"f8.test"_s, true).contains(u"snoozed"_s));
    }

    void theWindowKeepsItsFleetRowsThroughAReloadOfTheStore() {
        // A Prometheus that cannot be read (its port closed): the rows kept from the last read
        // (fleet-rows.json beside the store) are what the window shows of it.
        quint16 closedPort = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost));
            closedPort = server.serverPort();
        }
        const QString url = u"http://127.0.0.1:%1"_s.arg(closedPort);
        QTemporaryDir dir;
        QList<ProbeResult> kept = firstRead();
        for (ProbeResult &r : kept) {
            r.source = url;
            r.probedAt = QDateTime::currentDateTimeUtc().addSecs(-60);
        }
        QCOMPARE(fleetcache::write(dir.filePath(u"fleet-rows.json"_s), kept), QString());
        QString error;
        auto db = Database::open(dir.filePath(u"store.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        SystemClock clock;
        TargetRepository repository(*db, clock);
        Target own = makeTarget(0, u"own.test"_s);
        QVERIFY2(repository.add(own, &error), qPrintable(error));
        Settings settings(dir.filePath(u"settings.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        FleetSourceSettings source;
        source.url = url;
        source.readIntervalSeconds = 3600;
        values.fleetSources = {source};
        QVERIFY(settings.store(values).isEmpty());

        MainWindow window(*db, settings);
        const EndpointTableModel &model = *window.model();
        const auto fleetRows = [&] {
            QStringList hosts;
            for (int row = 0; row < model.rowCount(); ++row) {
                if (EndpointTableModel::isFleetRow(model.resultAt(row)))
                    hosts << model.resultAt(row).target.host;
            }
            hosts.sort();
            return hosts;
        };
        const QStringList expected{u"f1.test"_s, u"f2.test"_s, u"f3.test"_s, u"f4.test"_s};
        QTRY_COMPARE(fleetRows(), expected);
        QTRY_VERIFY(!window.isLoading());

        // Another connection adds a target; the window reads the store again. The fleet rows
        // are neither lost nor doubled, and the counts still say what the rows say.
        auto other = Database::open(dir.filePath(u"store.sqlite"_s), &error);
        QVERIFY2(other, qPrintable(error));
        TargetRepository otherRepository(*other, clock);
        Target added = makeTarget(0, u"added.test"_s);
        QVERIFY2(otherRepository.add(added, &error), qPrintable(error));
        QSignalSpy loaded(&window, &MainWindow::inventoryLoaded);
        window.reload();
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(model.rowCount(), 2 + 4);
        QCOMPARE(fleetRows(), expected);
        QCOMPARE(keptByModel(model), countedFromRows(model));
        // And they are still the source's rows: removing the source removes them.
        values.fleetSources.clear();
        const Settings::Values before = settings.values();
        QVERIFY(settings.store(values).isEmpty());
        window.settingsStored(before);
        QCOMPARE(fleetRows(), QStringList());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(keptByModel(model), countedFromRows(model));
    }
};

QTEST_MAIN(TestFleetTableModel)
#include "tst_fleettablemodel.moc"
