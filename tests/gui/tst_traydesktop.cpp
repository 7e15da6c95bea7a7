// The tray on a desktop: an X server (Xvfb) and a private session bus (dbus-run-session), with
// certdash_notification_recorder standing in for the desktop's notification service and its
// StatusNotifierWatcher. What a user would see: a crossing found by Probe all sends exactly one
// notification with the expected text, a second scan sends none, a renewal sends one, a paused
// crossing is only logged; clicking a notification opens the window at its target.
#include "CertFactory.h"
#include "NotificationRecorderProcess.h"
#include "TrayHarness.h"
#include "alerts/AlertService.h"
#include "alerts/DesktopNotifier.h"
#include "i18n/Translations.h"
#include "models/EndpointTableModel.h"
#include "tray/TrayNotifier.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTest>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
QString selectedTarget(const MainWindow &window) {
    const auto *table = window.findChild<QTableView *>(u"endpoints"_s);
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return {};
    return rows.first().siblingAtColumn(EndpointTableModel::TargetColumn).data().toString();
}
} // namespace

class TestTrayDesktop : public QObject {
    Q_OBJECT

    NotificationRecorderProcess m_recorder;
    TestCert m_root;
    TestCert m_ca;

    TestCert leaf(const QString &host, double from, double to) {
        CertSpec spec = CertSpec::leaf(host);
        spec.validDays(from, to);
        return makeCert(spec, &m_ca);
    }

private slots:
    void initTestCase() {
        installTranslators(); // as main.cpp does: notification texts count in English
        const QString missing = desktopMissing();
        if (!missing.isEmpty())
            QSKIP(qPrintable(missing));
        // The watcher makes Qt's tray a StatusNotifierItem; Qt asks for it once per process.
        const QString failed = m_recorder.start({u"--invoke-default"_s, u"--watcher"_s});
        if (!failed.isEmpty())
            QSKIP(qPrintable(u"the stand-in notification service cannot run here: "_s + failed));
        m_root = makeCert(CertSpec::root(u"Desktop Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Desktop CA"_s).validDays(-500, 1000), &m_root);
    }

    void desktopNotifierSpeaksTheProtocol_data() {
        QTest::addColumn<AlertLevel>("level");
        QTest::addColumn<bool>("renewed");
        QTest::addColumn<int>("urgency");
        QTest::newRow("rotation overdue") << AlertLevel::RotationOverdue << false << 1;
        QTest::newRow("warning") << AlertLevel::Warning << false << 1;
        QTest::newRow("critical") << AlertLevel::Critical << false << 2;
        QTest::newRow("expired") << AlertLevel::Expired << false << 2;
        QTest::newRow("renewed") << AlertLevel::Ok << true << 1;
    }
    void desktopNotifierSpeaksTheProtocol() {
        QFETCH(AlertLevel, level);
        QFETCH(bool, renewed);
        QFETCH(int, urgency);
        QVERIFY(DesktopNotifier::available());
        Notification n;
        n.title = u"Title for %1"_s.arg(QString::fromLatin1(QTest::currentDataTag()));
        n.body = u"First line\nsecond line"_s;
        n.level = level;
        n.renewed = renewed;
        n.targetId = 7;
        n.address = u"127.0.0.1"_s;
        const qsizetype before = m_recorder.calls().size();
        DesktopNotifier notifier;
        QVERIFY(notifier.notify(n));
        // Delivered by the time notify() returns: the recorder logs before it answers.
        const QList<QJsonObject> calls = m_recorder.calls();
        QCOMPARE(calls.size(), before + 1);
        const QJsonObject call = calls.last();
        QCOMPARE(call[u"app_name"_s].toString(), u"CertDash"_s);
        QCOMPARE(call[u"summary"_s].toString(), n.title);
        QCOMPARE(call[u"body"_s].toString(), n.body);
        QCOMPARE(call[u"hints"_s][u"urgency"_s].toInt(), urgency);
        QCOMPARE(call[u"actions"_s].toArray(), (QJsonArray{u"default"_s, u"Open"_s}));
        QCOMPARE(call[u"timeout"_s].toInt(), -1);
        QVERIFY(!call[u"icon"_s].toString().isEmpty());
    }

    // A click reaches the notifier that sent the notification, with its target, and no other.
    void clickedNotificationNamesItsTarget() {
        DesktopNotifier sender;
        DesktopNotifier bystander;
        QSignalSpy clicked(&sender, &DesktopNotifier::activated);
        QSignalSpy elsewhere(&bystander, &DesktopNotifier::activated);
        Notification n;
        n.title = u"Critical: click.test:443"_s;
        n.level = AlertLevel::Critical;
        n.targetId = 42;
        n.address = u"127.0.0.5"_s;
        QVERIFY(sender.notify(n));
        QVERIFY(clicked.wait(5000));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toLongLong(), 42);
        QCOMPARE(clicked.first().at(1).toString(), u"127.0.0.5"_s);
        QCOMPARE(elsewhere.size(), 0);
    }

    // Probe all from the window against a local TLS server, as a user would, the service on
    // the bus: one notification per crossing, silence when nothing changed, one for a renewal.
    void crossingOnceSilenceThenRenewal() {
        const QString host = u"warn.desktop.test"_s;
        const TestCert warn = leaf(host, -70, 20.5);
        LocalTlsServer server;
        server.setChain({warn.certificate(), m_ca.certificate()}, warn.key());
        QVERIFY(server.listenLoopback());
        TrayHarness h;
        const QString error = h.open(m_root.der);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const qint64 id = h.addTarget(host, server.port());
        QVERIFY(id > 0);
        const QString endpoint = u"%1:%2"_s.arg(host).arg(server.port());
        QVERIFY(!h.window->isVisible()); // in the tray, say: the click must bring it up

        const qsizetype before = m_recorder.calls().size();
        QVERIFY(h.probeAll());
        QList<QJsonObject> calls = m_recorder.calls().mid(before);
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.first()[u"summary"_s].toString(), u"Warning: "_s + endpoint);
        const QString body = calls.first()[u"body"_s].toString();
        QVERIFY2(body.contains(u"20 days left, expires "_s), qPrintable(body));
        QVERIFY2(body.contains(u"leaf"_s), qPrintable(body));
        QCOMPARE(calls.first()[u"hints"_s][u"urgency"_s].toInt(), 1);
        // The recorder clicked it: the window comes up with the target selected.
        QTRY_VERIFY(h.window->isVisible());
        QTRY_COMPARE(selectedTarget(*h.window), endpoint);

        // The same certificate again: nothing to say.
        QVERIFY(h.probeAll());
        QCOMPARE(m_recorder.calls().mid(before).size(), 1);

        // A renewed certificate (new key, 89 days): one notification saying so.
        const TestCert renewed = leaf(host, -1, 89);
        server.setChain({renewed.certificate(), m_ca.certificate()}, renewed.key());
        QVERIFY(h.probeAll());
        calls = m_recorder.calls().mid(before);
        QCOMPARE(calls.size(), 2);
        QCOMPARE(calls.last()[u"summary"_s].toString(), u"Renewed: "_s + endpoint);
        QCOMPARE(calls.last()[u"hints"_s][u"urgency"_s].toInt(), 1);

        // Paused from the tray: a critical crossing is logged for the SIEM but not shown...
        h.tray->notifier()->pauseHourAction()->trigger();
        const TestCert critical = leaf(host, -80, 3.5);
        server.setChain({critical.certificate(), m_ca.certificate()}, critical.key());
        QVERIFY(h.probeAll());
        QCOMPARE(m_recorder.calls().mid(before).size(), 2);
        const QList<QJsonObject> events = readJsonLines(h.eventLogPath());
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last()[u"type"_s].toString(), u"certdash-critical"_s);

        // ...and once notifications resume, the next scan shows it once, urgently.
        h.tray->notifier()->resumeAction()->trigger();
        QVERIFY(h.probeAll());
        calls = m_recorder.calls().mid(before);
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls.last()[u"summary"_s].toString(), u"Critical: "_s + endpoint);
        QCOMPARE(calls.last()[u"hints"_s][u"urgency"_s].toInt(), 2);
        QVERIFY(h.probeAll());
        QCOMPARE(m_recorder.calls().mid(before).size(), 3);
    }

    // No notification service to talk to but a StatusNotifier tray: the tray's own message,
    // which Qt itself hands to org.freedesktop.Notifications.
    void trayMessageWhenOnlyATrayIsThere() {
        QVERIFY(QSystemTrayIcon::isSystemTrayAvailable());
        TrayNotifier notifier;
        notifier.setProbes([] { return false; }, &QSystemTrayIcon::isSystemTrayAvailable);
        Notification n;
        n.title = u"Expired: tray.test:443"_s;
        n.body = u"Expired 2 days ago."_s;
        n.level = AlertLevel::Expired;
        n.targetId = 3;
        const qsizetype before = m_recorder.calls().size();
        QCOMPARE(notifier.deliver({n}), TrayNotifier::Delivery::TrayMessage);
        QTRY_COMPARE(m_recorder.calls().size(), before + 1);
        QCOMPARE(m_recorder.calls().last()[u"summary"_s].toString(), n.title);
        QCOMPARE(m_recorder.calls().last()[u"body"_s].toString(), n.body);
    }
};

int main(int argc, char **argv) {
    // certdash_add_test runs every test offscreen; this one needs the X server when there is one.
    if (!qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "xcb");
    QApplication app(argc, argv);
    QTEST_SET_MAIN_SOURCE_PATH
    TestTrayDesktop test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_traydesktop.moc"
