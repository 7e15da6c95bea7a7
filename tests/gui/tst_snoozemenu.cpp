// Snoozing alerts per target from the window (issue 6): the Targets menu's and the table's
// "Snooze alerts" act on the selected targets through the AlertService that TrayIntegration owns,
// the table and the details pane say so, and Resume alerts undoes it.
#include "CertFactory.h"
#include "TrayHarness.h"
#include "alerts/AlertService.h"
#include "alerts/AlertStateRepository.h"
#include "models/EndpointTableModel.h"
#include "tray/TrayNotifier.h"
#include "widgets/DetailsPane.h"
#include "widgets/SnoozeMenu.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QTableView>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::SnoozeMenu::Choice)

class TestSnoozeMenu : public QObject {
    Q_OBJECT

    TestCert m_root;
    TestCert m_ca;
    TestCert m_leafA;
    TestCert m_leafB;

    // The window and its tray over a store with two probed targets, both ok.
    struct Dashboard {
        LocalTlsServer server;
        TrayHarness h;
        qint64 a = -1;
        qint64 b = -1;
        QTableView *table = nullptr;
    };

    QString open(Dashboard &d) {
        d.server.setChain({m_leafA.certificate(), m_ca.certificate()}, m_leafA.key());
        d.server.addSniChain(u"b.snooze.test"_s, {m_leafB.certificate(), m_ca.certificate()},
                             m_leafB.key());
        if (!d.server.listenLoopback())
            return u"no local TLS server"_s;
        const QString error = d.h.open(m_root.der);
        if (!error.isEmpty())
            return error;
        d.h.tray->notifier()->setProbes([] { return false; }, [] { return false; });
        d.a = d.h.addTarget(u"a.snooze.test"_s, d.server.port());
        d.b = d.h.addTarget(u"b.snooze.test"_s, d.server.port());
        if (d.a < 0 || d.b < 0)
            return u"targets not stored"_s;
        d.h.window->show();
        if (!d.h.probeAll())
            return u"the scan did not finish"_s;
        d.table = d.h.window->findChild<QTableView *>(u"endpoints"_s);
        return d.table ? QString() : u"no table"_s;
    }

    static QModelIndex statusCell(const Dashboard &d, qint64 targetId) {
        const EndpointTableModel *model = d.h.window->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->targetAt(row).id == targetId)
                return model->index(row, EndpointTableModel::StatusColumn);
        }
        return {};
    }

    // Opens the snooze submenu as a user does, so that it looks at the selection.
    static void openSnoozeMenu(Dashboard &d) {
        emit d.table->customContextMenuRequested(QPoint(4, 4));
        QVERIFY(d.h.window->tableMenu()->isVisible());
        QVERIFY(
            d.h.window->tableMenu()->actions().contains(d.h.window->snoozeMenu()->menuAction()));
        d.h.window->snoozeMenu()->popup(d.h.window->tableMenu()->geometry().topRight());
        QVERIFY(d.h.window->snoozeMenu()->isVisible());
    }

    static void closeMenus(Dashboard &d) {
        d.h.window->snoozeMenu()->close();
        d.h.window->tableMenu()->close();
    }

private slots:
    void initTestCase() {
        m_root = makeCert(CertSpec::root(u"Snooze Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Snooze CA"_s).validDays(-500, 1000), &m_root);
        m_leafA = makeCert(CertSpec::leaf(u"a.snooze.test"_s).validDays(-10, 80), &m_ca);
        m_leafB = makeCert(CertSpec::leaf(u"b.snooze.test"_s).validDays(-10, 80), &m_ca);
    }

    // The same submenu in the Targets menu as on the table.
    void targetsMenuHasTheSubmenu() {
        Dashboard d;
        const QString error = open(d);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QMenu *targets = nullptr;
        for (QAction *a : d.h.window->menuBar()->actions()) {
            if (a->menu() && a->menu()->actions().contains(d.h.window->snoozeMenu()->menuAction()))
                targets = a->menu();
        }
        QVERIFY(targets);
        QVERIFY(targets->title().contains(u"Targets"_s));
        QVERIFY(d.h.window->snoozeMenu()->menuAction()->isEnabled());
    }

    void snoozeAndResumeTheSelectedTarget_data() {
        QTest::addColumn<SnoozeMenu::Choice>("choice");
        QTest::addColumn<int>("days"); // 0: until renewed
        QTest::newRow("for 1 day") << SnoozeMenu::OneDay << 1;
        QTest::newRow("for 1 week") << SnoozeMenu::OneWeek << 7;
        QTest::newRow("until renewed") << SnoozeMenu::UntilRenewed << 0;
    }
    void snoozeAndResumeTheSelectedTarget() {
        QFETCH(SnoozeMenu::Choice, choice);
        QFETCH(int, days);
        Dashboard d;
        const QString error = open(d);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        AlertService *alerts = d.h.tray->alerts();
        SnoozeMenu *menu = d.h.window->snoozeMenu();
        QVERIFY(d.h.window->selectTarget(d.a, {}));

        openSnoozeMenu(d);
        QVERIFY(menu->action(choice)->isEnabled());
        QVERIFY(!menu->action(SnoozeMenu::Resume)->isEnabled()); // nothing snoozed yet
        menu->action(choice)->trigger();
        closeMenus(d);

        const std::optional<AlertSnooze> snooze = alerts->snoozeFor(d.a);
        QVERIFY(snooze);
        QCOMPARE(snooze->untilRenewed, days == 0);
        if (days > 0)
            QCOMPARE(snooze->until, pinnedNow().addDays(days));
        QVERIFY(!alerts->snoozeFor(d.b)); // only the selected target
        // Kept in the store, so a restart keeps it.
        const QList<AlertSnooze> stored = AlertStateRepository(*d.h.database).snoozes();
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().targetId, d.a);

        // The table and the details pane say so; the other target's row does not.
        const QString note =
            days > 0 ? u"Alerts snoozed until %1."_s.arg(QLocale().toString(
                           pinnedNow().addDays(days).toLocalTime(), QLocale::ShortFormat))
                     : u"Alerts snoozed until a new certificate is served (acknowledged)."_s;
        const QModelIndex cellA = statusCell(d, d.a);
        QCOMPARE(cellA.data().toString(), u"OK (snoozed)"_s);
        QVERIFY2(cellA.data(Qt::ToolTipRole).toString().contains(note),
                 qPrintable(cellA.data(Qt::ToolTipRole).toString()));
        QCOMPARE(statusCell(d, d.b).data().toString(), u"OK"_s);
        // The marker is not cut off: the status column makes room for it.
        QTRY_VERIFY(d.table->horizontalHeader()->sectionSize(EndpointTableModel::StatusColumn) >
                    d.table->fontMetrics().horizontalAdvance(u"OK (snoozed)"_s));
        QTRY_VERIFY2(d.h.window->details()->snoozeNote() == note,
                     qPrintable(d.h.window->details()->snoozeNote()));

        openSnoozeMenu(d);
        QVERIFY(menu->action(SnoozeMenu::Resume)->isEnabled());
        menu->action(SnoozeMenu::Resume)->trigger();
        closeMenus(d);
        QVERIFY(!alerts->snoozeFor(d.a));
        QVERIFY(AlertStateRepository(*d.h.database).snoozes().isEmpty());
        QCOMPARE(statusCell(d, d.a).data().toString(), u"OK"_s);
        QVERIFY(statusCell(d, d.a).data(Qt::ToolTipRole).isNull());
        QTRY_COMPARE(d.h.window->details()->snoozeNote(), QString());
    }

    // Several rows selected: every selected target is snoozed, once.
    void snoozeSeveralTargets() {
        Dashboard d;
        const QString error = open(d);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        d.table->selectAll();
        QCOMPARE(d.table->selectionModel()->selectedRows().size(), 2);
        openSnoozeMenu(d);
        d.h.window->snoozeMenu()->action(SnoozeMenu::OneDay)->trigger();
        closeMenus(d);
        QVERIFY(d.h.tray->alerts()->snoozeFor(d.a));
        QVERIFY(d.h.tray->alerts()->snoozeFor(d.b));
        QCOMPARE(AlertStateRepository(*d.h.database).snoozes().size(), 2);
    }

    // A right click with no row selected opens nothing; without an alert service (the tray's
    // gone) the submenu is disabled rather than acting on nothing.
    void noSelectionNoMenuAndNoServiceDisabled() {
        Dashboard d;
        const QString error = open(d);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        d.table->clearSelection();
        emit d.table->customContextMenuRequested(QPoint(4, 4));
        QVERIFY(!d.h.window->tableMenu()->isVisible());
        d.h.window->setAlertService(nullptr);
        QVERIFY(!d.h.window->snoozeMenu()->menuAction()->isEnabled());
    }
};

QTEST_MAIN(TestSnoozeMenu)
#include "tst_snoozemenu.moc"
