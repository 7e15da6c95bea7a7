// The window on first start, offscreen: an empty store gets the offer of the sample inventory,
// which says what it needs, and loading it speaks of "the sample inventory", never of the
// resource it is read from.
#include "TestSupport.h"
#include "models/EndpointTableModel.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "widgets/MainWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace certdash;
using namespace Qt::StringLiterals;

namespace {
// Default settings with no periodic re-probe: nothing probes in a test unless it asks.
bool withoutPeriodicProbes(Settings &settings)
{
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    return settings.store(values).isEmpty();
}
} // namespace

class TestFirstStart : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    // Issue 14: the first start's offer says the sample endpoints are on the internet (offline
    // they all go Unreachable), and accepting it never shows the internal resource path
    // (":/samples/...") in the status bar.
    void sampleOfferNeedsTheInternetAndHidesResourcePaths()
    {
        QString error;
        auto db = Database::open(m_dir.filePath(u"sample.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        Settings settings(m_dir.filePath(u"sample.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        window.show();
        QTRY_VERIFY(!window.isLoading());
        QStringList messages;
        connect(window.statusBar(), &QStatusBar::messageChanged, this,
                [&messages](const QString &m) { messages << m; });
        QString offer;
        QTimer::singleShot(0, this, [&offer] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            QVERIFY(box);
            offer = box->text();
            box->button(QMessageBox::Yes)->click();
        });
        QSignalSpy imported(&window, &MainWindow::importFinished);
        window.offerSampleInventory();
        QVERIFY2(offer.contains(u"internet"_s), qPrintable(offer));
        QVERIFY2(offer.contains(u"Unreachable"_s), qPrintable(offer));
        QVERIFY(imported.wait(10000));
        QCOMPARE(imported.first().first().toBool(), true);
        QTRY_VERIFY(window.model()->rowCount() > 0);
        QVERIFY(!messages.isEmpty());
        for (const QString &m : std::as_const(messages))
            QVERIFY2(!m.contains(u":/"_s), qPrintable(m));
        QVERIFY2(messages.join(u'\n').contains(u"Imported the sample inventory: "_s),
                 qPrintable(messages.join(u'\n')));
    }

    // File > Import of a cluster's kubectl output: the pods it leaves out on purpose (not ready,
    // a Service without slices) are said in the window, as the command line says them.
    void importSaysWhatItLeftOut()
    {
        QString error;
        auto db = Database::open(m_dir.filePath(u"cluster.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        Settings settings(m_dir.filePath(u"cluster.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        window.show();
        QTRY_VERIFY(!window.isLoading());
        QSignalSpy imported(&window, &MainWindow::importFinished);
        window.importFile(QStringLiteral(CERTDASH_INVENTORY_TEST_DATA "/cluster.json"));
        QVERIFY(imported.wait(10000));
        QCOMPARE(imported.first().first().toBool(), true);
        QMessageBox *notes = nullptr;
        QTRY_VERIFY((notes = window.findChild<QMessageBox *>(u"importNotes"_s)) != nullptr);
        QVERIFY2(notes->text().contains(u"not ready"_s), qPrintable(notes->text()));
        QVERIFY2(notes->text().contains(u"cluster.json"_s), qPrintable(notes->text()));
        notes->button(QMessageBox::Ok)->click();
        QTRY_VERIFY(window.model()->rowCount() > 0);
    }
};

QTEST_MAIN(TestFirstStart)
#include "tst_firststart.moc"
