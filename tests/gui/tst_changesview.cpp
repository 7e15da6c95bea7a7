// The window's Changes tab: what changed in the store since the chosen point, newest first, in
// words and local time; a double-click goes to the target's row; what another connection records
// shows without a restart.
#include "CertFactory.h"
#include "domain/Clock.h"
#include "domain/ExpiryPolicy.h"
#include "models/ChangesModel.h"
#include "models/EndpointTableModel.h"
#include "probing/X509.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/ChangesView.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QItemSelectionModel>
#include <QLocale>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
CertificateInfo leafAround(const QString &name, const QDateTime &now, int fromDays, int toDays,
                           const TestCert &ca) {
    CertSpec spec = CertSpec::leaf(name);
    spec.notBefore = now.addDays(fromDays);
    spec.notAfter = now.addDays(toDays);
    QString error;
    const auto info = decodeCertificate(makeCert(spec, &ca).der, &error);
    if (!info)
        qFatal("%s", qPrintable(error));
    return *info;
}

ProbeResult result(const Target &target, const QDateTime &at,
                   const std::optional<CertificateInfo> &leaf) {
    ProbeResult r;
    r.target = target;
    r.address = u"127.0.0.1"_s;
    r.probedAt = at;
    if (leaf) {
        r.chain = {*leaf};
        applyClassification(r, ExpiryPolicy(), at);
    } else {
        r.status = Status::Timeout;
        r.error = u"timed out after 10 s"_s;
    }
    return r;
}

QString cell(const QAbstractItemModel &model, int row, int column) {
    return model.index(row, column).data().toString();
}
} // namespace

class TestChangesView : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void listsChangesAndFollowsTheStore() {
        QVERIFY(m_dir.isValid());
        const QDateTime now = QDateTime::currentDateTimeUtc(); // the window's clock
        const TestCert root = makeCert(CertSpec::root(u"View Root"_s));
        const CertificateInfo oldLeaf = leafAround(u"a.view.test"_s, now, -60, 30, root);
        const CertificateInfo newLeaf = leafAround(u"a.view.test"_s, now, -1, 89, root);
        const CertificateInfo bLeaf = leafAround(u"b.view.test"_s, now, -20, 70, root);

        const QString path = m_dir.filePath(u"view.sqlite"_s);
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(now.addDays(-40));
        Target a;
        a.host = u"a.view.test"_s;
        a.port = 443;
        Target b;
        b.host = u"b.view.test"_s;
        b.port = 443;
        QVERIFY2(TargetRepository(*db, clock).add(a, &error), qPrintable(error));
        QVERIFY2(TargetRepository(*db, clock).add(b, &error), qPrintable(error));
        HistoryRepository history(*db);
        QVERIFY2(history.record({result(a, now.addDays(-9), oldLeaf),
                                 result(b, now.addDays(-9).addSecs(1), bLeaf)},
                                &error),
                 qPrintable(error));
        QVERIFY(history.record({result(b, now.addDays(-3), std::nullopt)}, &error));
        QVERIFY(history.record({result(a, now.addSecs(-7200), newLeaf)}, &error));

        Settings settings(m_dir.filePath(u"view.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0; // the window probes nothing by itself here
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        window.resize(1200, 700);
        window.show();
        QTRY_VERIFY(!window.isLoading());
        ChangesView *view = window.changesView();
        QVERIFY(view);
        const QAbstractItemModel &model = *view->model();
        auto *tabs = window.findChild<QTabWidget *>(u"views"_s);
        tabs->setCurrentWidget(view);

        // The last 7 days, newest first: the rotation two hours ago, the failure three days ago.
        QTRY_COMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 0, ChangesModel::KindColumn), u"Certificate rotated"_s);
        QCOMPARE(cell(model, 0, ChangesModel::TargetColumn), u"a.view.test:443"_s);
        QCOMPARE(cell(model, 0, ChangesModel::AddressColumn), u"127.0.0.1"_s);
        QCOMPARE(cell(model, 0, ChangesModel::FirstSeenColumn),
                 QLocale().toString(
                     QDateTime::fromSecsSinceEpoch(now.addSecs(-7200).toSecsSinceEpoch(), Qt::UTC)
                         .toLocalTime(),
                     QLocale::ShortFormat));
        const QString change = cell(model, 0, ChangesModel::ChangeColumn);
        QVERIFY2(change.startsWith(oldLeaf.sha256Fingerprint.left(17)) &&
                     change.contains(newLeaf.sha256Fingerprint.left(17)),
                 qPrintable(change));
        QCOMPARE(cell(model, 1, ChangesModel::KindColumn), u"Probe failing"_s);
        QVERIFY2(cell(model, 1, ChangesModel::ChangeColumn).contains(u"timed out"_s),
                 qPrintable(cell(model, 1, ChangesModel::ChangeColumn)));

        // The last 24 hours: the rotation only; 30 days: the same two (the targets were added
        // 40 days ago).
        view->setRange(ChangesView::Range::Day);
        QTRY_COMPARE(model.rowCount(), 1);
        view->setRange(ChangesView::Range::Month);
        QTRY_COMPARE(model.rowCount(), 2);
        view->setSinceDate(now.addDays(-41));
        view->setRange(ChangesView::Range::Date);
        QTRY_COMPARE(model.rowCount(), 4);
        QCOMPARE(cell(model, 3, ChangesModel::KindColumn), u"Target added"_s);

        // Another connection (a cron scan) records b's recovery: the tab shows it by itself.
        view->setRange(ChangesView::Range::Week);
        QTRY_COMPARE(model.rowCount(), 2);
        {
            auto other = Database::open(path, &error);
            QVERIFY2(other, qPrintable(error));
            QVERIFY(HistoryRepository(*other).record({result(b, now.addSecs(-60), bLeaf)}, &error));
        }
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 10000);
        QCOMPARE(cell(model, 0, ChangesModel::KindColumn), u"Recovered"_s);
        QCOMPARE(cell(model, 0, ChangesModel::TargetColumn), u"b.view.test:443"_s);

        // Double-click a change: the endpoint table, on that target's row.
        QTableView *table = view->table();
        const QRect rect = table->visualRect(table->model()->index(1, 0));
        // (QTest's double click alone leaves an item view without the press it pairs with.)
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(tabs->currentIndex(), 0);
        auto *endpoints = window.findChild<QTableView *>(u"endpoints"_s);
        const QModelIndexList selected = endpoints->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(
            selected.first().siblingAtColumn(EndpointTableModel::TargetColumn).data().toString(),
            u"a.view.test:443"_s);
    }
};

QTEST_MAIN(TestChangesView)
#include "tst_changesview.moc"
