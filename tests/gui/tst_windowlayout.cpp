// The window on a 1366x768 laptop: the table gets most of the height, the details pane can be
// hidden, and the columns an on-call engineer reads first (status, target, days left, expiry) are
// never truncated once there are results, even when a first run saved header-wide columns.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/DetailsPane.h"
#include "widgets/MainWindow.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestWindowLayout : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;
    std::unique_ptr<LocalTlsServer> m_server;

    // A store whose one target is Critical with a long name, probed by the window.
    std::unique_ptr<Database> store(const QString &name) {
        QString error;
        auto db = Database::open(m_dir.filePath(name), &error);
        if (!db)
            qFatal("%s", qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target t;
        t.host = u"payments-gateway.internal.critical.layout.test"_s;
        t.port = m_server->port();
        t.addresses = {u"127.0.0.1"_s};
        if (!repository.add(t, &error))
            qFatal("%s", qPrintable(error));
        return db;
    }
    static void pinClock(MainWindow &window) {
        ProbeOptions options = window.scanController()->probeOptions();
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        options.anchors = TrustStore::fromCertificates({});
        window.scanController()->setProbeOptions(options);
    }
    // Every cell of the column is shown whole: the section is as wide as the delegate needs for
    // the widest cell (what Qt elides against), and it ends inside the viewport.
    static QString truncated(const QTableView &table, int column) {
        const int section = table.horizontalHeader()->sectionSize(column);
        const int needed = static_cast<const QAbstractItemView &>(table).sizeHintForColumn(column);
        if (section < needed)
            return u"column %1 needs %2 px, has %3"_s.arg(column).arg(needed).arg(section);
        const int right = table.horizontalHeader()->sectionViewportPosition(column) + section;
        if (right > table.viewport()->width())
            return u"column %1 ends at %2 of %3 px"_s.arg(column).arg(right).arg(
                table.viewport()->width());
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Layout Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Layout CA"_s).validDays(-500, 1000), &m_root);
        const TestCert leaf = makeCert(
            CertSpec::leaf(u"payments-gateway.internal.critical.layout.test"_s).validDays(-80, 3),
            &m_ca);
        m_server = std::make_unique<LocalTlsServer>();
        m_server->setChain({leaf.certificate(), m_ca.certificate()}, leaf.key());
        QVERIFY(m_server->listenLoopback());
    }

    void firstRunAtLaptopSize() {
        auto db = store(u"first.sqlite"_s);
        Settings settings(m_dir.filePath(u"first.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        QVERIFY(settings.store(values).isEmpty());
        // What a first start on an empty store saves: columns as wide as their headers.
        {
            MainWindow empty(*Database::open(m_dir.filePath(u"empty.sqlite"_s), nullptr), settings);
            empty.resize(1366, 740);
            empty.show();
            QVERIFY(QTest::qWaitForWindowExposed(&empty));
            empty.close();
        }
        MainWindow window(*db, settings);
        pinClock(window);
        window.resize(1366, 740);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *table = window.findChild<QTableView *>(u"endpoints"_s);
        QTRY_COMPARE(table->model()->rowCount(), 1);

        // Nothing selected: the table has most of the height.
        auto *splitter = window.findChild<QSplitter *>(u"tableDetailsSplitter"_s);
        QVERIFY(splitter);
        QVERIFY2(splitter->sizes().at(0) >= 2 * splitter->sizes().at(1),
                 qPrintable(u"table %1 px, details %2 px"_s.arg(splitter->sizes().at(0))
                                .arg(splitter->sizes().at(1))));

        window.probeAllAction()->trigger();
        // "Critical · not trusted: untrusted root": the longest status text there is.
        QTRY_VERIFY_WITH_TIMEOUT(table->model()
                                     ->index(0, EndpointTableModel::StatusColumn)
                                     .data()
                                     .toString()
                                     .startsWith(u"Critical"_s),
                                 15000);
        for (int column :
             {int(EndpointTableModel::StatusColumn), int(EndpointTableModel::TargetColumn),
              int(EndpointTableModel::DaysLeftColumn), int(EndpointTableModel::ExpiresColumn)}) {
            QTRY_VERIFY2(truncated(*table, column).isEmpty(),
                         qPrintable(truncated(*table, column)));
        }

        // A row opened: the details pane grows to where its charts are readable.
        table->selectRow(0);
        QTRY_VERIFY2(splitter->sizes().at(1) * 5 >=
                         (splitter->sizes().at(0) + splitter->sizes().at(1)) * 2 - 5,
                     qPrintable(u"details %1 px of %2"_s.arg(splitter->sizes().at(1))
                                    .arg(splitter->sizes().at(0) + splitter->sizes().at(1))));
        table->clearSelection();

        // Keys: from the filter down into the rows it left, and back with Escape.
        auto *filter = window.findChild<QLineEdit *>(u"filter"_s);
        filter->setFocus();
        QTest::keyClicks(filter, u"payments"_s);
        QTest::keyClick(filter, Qt::Key_Down);
        QVERIFY(table->hasFocus());
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        QTest::keyClick(table, Qt::Key_Escape);
        QVERIFY(filter->hasFocus());
        QTest::keyClick(filter, Qt::Key_Escape);
        QVERIFY(filter->text().isEmpty());

        // The details pane hides from the View menu, and stays hidden at the next start.
        QAction *details = window.findChild<QAction *>(u"showDetails"_s);
        QVERIFY(details && details->isChecked());
        details->trigger();
        QVERIFY(!window.details()->isVisible());
        window.close();
        MainWindow again(*db, settings);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.details()->isVisible());
        QVERIFY(!again.findChild<QAction *>(u"showDetails"_s)->isChecked());
    }
};

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
