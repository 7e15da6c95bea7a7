// Trust anchors changed in Settings: the window says that the trust shown was judged against the
// old anchors and, on "Probe all now", re-judges every endpoint against the new ones.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/MainWindow.h"

#include <QAbstractButton>
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

class TestAnchorChange : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static QString cell(const QAbstractItemModel &model, int column) {
        return model.index(0, column).data().toString();
    }

private slots:
    void reprobeJudgesAgainstTheNewAnchors() {
        QVERIFY(m_dir.isValid());
        // A private CA the system store does not know.
        const TestCert root = makeCert(CertSpec::root(u"Anchor Test Root"_s).validDays(-1000, 3000));
        const TestCert ca =
            makeCert(CertSpec::intermediate(u"Anchor Test CA"_s).validDays(-500, 1000), &root);
        const TestCert leaf =
            makeCert(CertSpec::leaf(u"private.anchor.test"_s).validDays(-10, 80), &ca);
        LocalTlsServer server;
        server.setChain({leaf.certificate(), ca.certificate()}, leaf.key());
        QVERIFY(server.listenLoopback());
        const QString rootPem = m_dir.filePath(u"root.pem"_s);
        QString error;
        QVERIFY2(writePemBundle(rootPem, {root}, &error), qPrintable(error));

        auto db = Database::open(m_dir.filePath(u"anchors.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target t;
        t.host = u"private.anchor.test"_s;
        t.port = server.port();
        t.addresses = {u"127.0.0.1"_s};
        QVERIFY2(repository.add(t, &error), qPrintable(error));

        Settings settings(m_dir.filePath(u"anchors.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        // The certificates are made relative to the tests' pinned instant.
        ProbeOptions options = window.scanController()->probeOptions();
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        window.scanController()->setProbeOptions(options);
        window.show();
        auto *table = window.findChild<QTableView *>(u"endpoints"_s);
        const QAbstractItemModel &model = *table->model();
        QTRY_COMPARE(model.rowCount(), 1);
        window.probeAllAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            cell(model, EndpointTableModel::TrustColumn).startsWith(u"untrusted root"_s), 15000);

        // Settings > Trust anchors: the private root added.
        const Settings::Values before = settings.values();
        Settings::Values after = before;
        after.trustAnchorFiles = {rootPem};
        QVERIFY(settings.store(after).isEmpty());
        window.settingsStored(before);
        QVERIFY2(window.statusBar()->currentMessage().contains(u"Trust anchors changed"_s),
                 qPrintable(window.statusBar()->currentMessage()));
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox *>(u"anchorsChanged"_s)) != nullptr);
        QVERIFY2(box->text().contains(u"previous anchors"_s), qPrintable(box->text()));
        // Until probed again the row still shows the verdict of its last probe.
        QVERIFY(cell(model, EndpointTableModel::TrustColumn).startsWith(u"untrusted root"_s));
        box->defaultButton()->click(); // "Probe all now"
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, EndpointTableModel::TrustColumn), u"trusted"_s,
                                  15000);

        // Nothing about anchors changed: no question.
        window.settingsStored(settings.values());
        QTest::qWait(50);
        QVERIFY(!window.findChild<QMessageBox *>(u"anchorsChanged"_s));
    }
};

QTEST_MAIN(TestAnchorChange)
#include "tst_anchorchange.moc"
