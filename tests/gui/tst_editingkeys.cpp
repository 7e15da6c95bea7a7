// Editing the inventory from the keyboard, offscreen (issue 14): Enter and F2 edit the selected
// row, Ctrl+N adds with the cursor in Host, a new target is probed at once, the delete
// confirmation names what goes and keeps it unless told otherwise, inherited thresholds read as
// inherited, and no two items of one menu share a mnemonic.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/MainWindow.h"
#include "widgets/TargetEditDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Runs `inspect` on the modal dialog that the next user action opens, then closes it.
void onNextModal(QObject *context, std::function<void(QWidget *)> inspect)
{
    auto *poll = new QTimer(context);
    poll->setInterval(0);
    QObject::connect(poll, &QTimer::timeout, context, [poll, inspect] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal)
            return;
        poll->stop();
        poll->deleteLater();
        inspect(modal);
        if (modal->isVisible())
            modal->close();
    });
    poll->start();
}

QString mnemonicOf(const QString &text)
{
    const qsizetype at = text.indexOf(u'&');
    return at >= 0 && at + 1 < text.size() ? text.at(at + 1).toLower() : QString();
}
} // namespace

class TestEditingKeys : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_leaf;
    LocalTlsServer m_server;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;
    QTableView *m_table = nullptr;

    int rowOf(const QString &target) const
    {
        const QAbstractItemModel *model = m_table->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, EndpointTableModel::TargetColumn).data().toString() == target)
                return row;
        }
        return -1;
    }
    // Offscreen, a closed dialog does not give the activation back: keys reach shortcuts only in
    // the active window, as on a desktop.
    bool activate(QWidget *focus)
    {
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window.get()))
            return false;
        focus->setFocus();
        return focus->hasFocus();
    }
    // Exactly this row selected (QTableView::selectRow toggles while a modifier is down).
    void selectOnly(int row)
    {
        m_table->selectionModel()->setCurrentIndex(
            m_table->model()->index(row, 0),
            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    QString statusOf(const QString &target) const
    {
        const int row = rowOf(target);
        return row < 0 ? QString()
                       : m_table->model()
                             ->index(row, EndpointTableModel::StatusColumn)
                             .data()
                             .toString();
    }
    Target addStored(const QString &host)
    {
        FixedClock clock(pinnedNow());
        Target t;
        t.host = host;
        t.port = m_server.port();
        t.addresses = {u"127.0.0.1"_s};
        QString error;
        if (!TargetRepository(*m_db, clock).add(t, &error))
            qFatal("%s", qPrintable(error));
        return t;
    }
    // The edit dialog the key opens on the selected row, as the user sees it.
    struct Seen {
        bool opened = false;
        QString title, warningText, warningHint, criticalText, criticalHint, enabledText;
        QString focus;
    };
    Seen dialogAfter(const std::function<void()> &press)
    {
        Seen seen;
        onNextModal(this, [&seen](QWidget *modal) {
            auto *dialog = qobject_cast<TargetEditDialog *>(modal);
            if (!dialog)
                return;
            seen.opened = true;
            seen.title = dialog->windowTitle();
            auto *warning = dialog->findChild<QLineEdit *>(u"warning"_s);
            auto *critical = dialog->findChild<QLineEdit *>(u"critical"_s);
            seen.warningText = warning->text();
            seen.warningHint = warning->placeholderText();
            seen.criticalText = critical->text();
            seen.criticalHint = critical->placeholderText();
            seen.enabledText = dialog->findChild<QCheckBox *>(u"enabled"_s)->text();
            seen.focus = dialog->focusWidget() ? dialog->focusWidget()->objectName() : QString();
        });
        press();
        return seen;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"Keys Root"_s).validDays(-1000, 3000));
        CertSpec spec = CertSpec::leaf(u"a.keys.test"_s);
        spec.dnsNames = {u"a.keys.test"_s, u"b.keys.test"_s, u"c.keys.test"_s, u"d.keys.test"_s,
                         u"new.keys.test"_s};
        spec.validDays(-10, 80);
        m_leaf = makeCert(spec, &m_root);
        m_server.setChain({m_leaf.certificate()}, m_leaf.key());
        QVERIFY(m_server.listenLoopback());

        QString error;
        m_db = Database::open(m_dir.filePath(u"keys.sqlite"_s), &error);
        QVERIFY2(m_db, qPrintable(error));
        for (const QString &host :
             {u"a.keys.test"_s, u"b.keys.test"_s, u"c.keys.test"_s, u"d.keys.test"_s})
            addStored(host);
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"keys.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        QVERIFY(m_settings->store(values).isEmpty());
        m_window = std::make_unique<MainWindow>(*m_db, *m_settings);
        ProbeOptions options = m_window->scanController()->probeOptions();
        options.anchors = TrustStore::fromCertificates({m_root.der});
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        options.timeoutMs = 5000;
        m_window->scanController()->setProbeOptions(options);
        m_window->resize(1366, 768);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        m_table = m_window->findChild<QTableView *>(u"endpoints"_s);
        QTRY_COMPARE(m_table->model()->rowCount(), 4);
        QTRY_VERIFY(!m_window->isLoading());
    }

    // F2 and Enter on a selected row open its edit dialog. After a probe, which fills in the
    // thresholds the target inherits, the dialog still shows them as inherited: empty fields
    // that read "inherited (30)" and "inherited (7)", never an explicit 30 and 7. The checkbox
    // says what "enabled" means.
    void enterAndF2EditTheSelectedRow()
    {
        QSignalSpy finished(m_window->scanController(), &ScanController::finished);
        m_window->probeAllAction()->trigger();
        QVERIFY(finished.wait(20000));
        const QString a = u"a.keys.test:%1"_s.arg(m_server.port());
        QCOMPARE(statusOf(a), u"OK"_s);

        selectOnly(rowOf(a));
        for (Qt::Key key : {Qt::Key_F2, Qt::Key_Return, Qt::Key_Enter}) {
            QVERIFY(activate(m_table));
            const Seen seen = dialogAfter([this, key] { QTest::keyClick(m_table, key); });
            QVERIFY2(seen.opened, qPrintable(QKeySequence(key).toString()));
            QCOMPARE(seen.title, u"Edit target"_s);
            QCOMPARE(seen.warningText, QString());
            QCOMPARE(seen.criticalText, QString());
            QCOMPARE(seen.warningHint, u"inherited (30)"_s);
            QCOMPARE(seen.criticalHint, u"inherited (7)"_s);
            QVERIFY2(seen.enabledText.contains(u"probe this target in scans"_s),
                     qPrintable(seen.enabledText));
        }
        // Enter in the filter is the filter's: no dialog.
        auto *filter = m_window->findChild<QLineEdit *>(u"filter"_s);
        QVERIFY(activate(filter));
        bool opened = false;
        QTimer::singleShot(0, this, [&opened] {
            opened = QApplication::activeModalWidget() != nullptr;
            if (opened)
                QApplication::activeModalWidget()->close();
        });
        QTest::keyClick(filter, Qt::Key_Return);
        QTest::qWait(0);
        QVERIFY(!opened);
    }

    // Ctrl+N opens Add with the cursor in Host; the new target is probed at once.
    void ctrlNAddsWithFocusInHostAndProbes()
    {
        QVERIFY(activate(m_table));
        QSignalSpy finished(m_window->scanController(), &ScanController::finished);
        QString focus;
        onNextModal(this, [this, &focus](QWidget *modal) {
            auto *dialog = qobject_cast<TargetEditDialog *>(modal);
            if (!dialog)
                return;
            focus = dialog->focusWidget() ? dialog->focusWidget()->objectName() : QString();
            // Typed where the cursor is.
            QTest::keyClicks(dialog->focusWidget(), u"new.keys.test"_s);
            dialog->findChild<QLineEdit *>(u"port"_s)->setText(QString::number(m_server.port()));
            dialog->findChild<QLineEdit *>(u"addresses"_s)->setText(u"127.0.0.1"_s);
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        });
        QTest::keyClick(m_table, Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(focus, u"host"_s);
        const QString added = u"new.keys.test:%1"_s.arg(m_server.port());
        QVERIFY(rowOf(added) >= 0);
        QVERIFY(finished.wait(20000)); // no Probe all: adding probed it
        QTRY_COMPARE(statusOf(added), u"OK"_s);
    }

    // Delete names what it removes and defaults to No: Delete then Enter keeps the target.
    void deleteConfirmationNamesTargetsAndDefaultsToNo()
    {
        const QString a = u"a.keys.test:%1"_s.arg(m_server.port());
        QVERIFY(activate(m_table));
        selectOnly(rowOf(a));
        QString text;
        onNextModal(this, [&text](QWidget *modal) {
            auto *box = qobject_cast<QMessageBox *>(modal);
            QVERIFY(box);
            text = box->text();
            QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
            // Enter, as a user in a hurry presses it, in the box (made active by hand: offscreen
            // a dialog does not become the active window by itself).
            QApplication::setActiveWindow(box);
            QTest::keyClick(box, Qt::Key_Return);
        });
        QTest::keyClick(m_table, Qt::Key_Delete);
        QVERIFY2(text.contains(a), qPrintable(text));
        QVERIFY(rowOf(a) >= 0); // kept

        // Several: how many, and the first ones by name.
        QVERIFY(activate(m_table));
        m_table->selectAll();
        const int rows = m_table->model()->rowCount();
        QCOMPARE(rows, 5);
        onNextModal(this, [&text](QWidget *modal) {
            auto *box = qobject_cast<QMessageBox *>(modal);
            QVERIFY(box);
            text = box->text();
            QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
            box->button(QMessageBox::Yes)->click();
        });
        QTest::keyClick(m_table, Qt::Key_Delete);
        QVERIFY2(text.contains(u"these 5 targets"_s), qPrintable(text));
        QVERIFY2(text.contains(u"and 2 more"_s), qPrintable(text));
        QCOMPARE(text.count(u".keys.test:"_s), 3);
        QTRY_COMPARE(m_table->model()->rowCount(), 0);
    }

    // Every menu (and the table's context menu): each item has a mnemonic, no two the same.
    void menusHaveDistinctMnemonics()
    {
        QList<QMenu *> menus;
        for (QAction *top : m_window->menuBar()->actions()) {
            if (top->menu())
                menus << top->menu();
        }
        menus << m_window->findChild<QMenu *>(u"tableMenu"_s);
        for (int i = 0; i < menus.size(); ++i) {
            for (QAction *action : menus.at(i)->actions()) {
                if (action->menu() && !menus.contains(action->menu()))
                    menus << action->menu();
            }
        }
        QVERIFY(menus.size() >= 6);
        for (QMenu *menu : std::as_const(menus)) {
            QHash<QString, QString> byLetter;
            for (QAction *action : menu->actions()) {
                if (action->isSeparator())
                    continue;
                const QString letter = mnemonicOf(action->text());
                QVERIFY2(!letter.isEmpty(), qPrintable(action->text()));
                QVERIFY2(!byLetter.contains(letter),
                         qPrintable(u"%1: \"%2\" and \"%3\" share '%4'"_s.arg(
                             menu->title(), byLetter.value(letter), action->text(), letter)));
                byLetter.insert(letter, action->text());
            }
        }
    }

    void cleanupTestCase()
    {
        m_window.reset();
    }
};

QTEST_MAIN(TestEditingKeys)
#include "tst_editingkeys.moc"
