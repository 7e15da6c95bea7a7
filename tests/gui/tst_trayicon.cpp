// The tray without a desktop (offscreen): the icon for each worst status, the tooltip's counts,
// the pause menu, the choice of delivery, the in-window banner when neither a notification
// service nor a tray exists, and what closing the window does with and without a tray.
#include "CertFactory.h"
#include "TrayHarness.h"
#include "alerts/AlertService.h"
#include "i18n/Translations.h"
#include "models/EndpointTableModel.h"
#include "tray/NotificationBanner.h"
#include "tray/TrayNotifier.h"
#include "widgets/AppIcon.h"
#include "widgets/StatusIcon.h"

#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTcpServer>
#include <QTest>
#include <QSignalSpy>
#include <QToolButton>
#include <QTimer>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(certdash::TrayNotifier::Delivery)

namespace {
QImage imageOf(const QIcon &icon) {
    return icon.pixmap(32, 32).toImage().convertToFormat(QImage::Format_ARGB32);
}

const QList<Status> kAllStatuses{
    Status::Ok,          Status::RotationOverdue, Status::Warning,
    Status::Critical,    Status::NotYetValid,     Status::Expired,
    Status::Unreachable, Status::Timeout,         Status::HandshakeFailed};
} // namespace

class TestTrayIcon : public QObject {
    Q_OBJECT

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
        m_root = makeCert(CertSpec::root(u"Tray Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"Tray CA"_s).validDays(-500, 1000), &m_root);
    }

    // The icon is the worst status's own icon, whatever else is in the table.
    void iconShowsTheWorstStatus_data() {
        QTest::addColumn<QList<Status>>("present");
        QTest::addColumn<Status>("worst");
        QTest::newRow("all ok") << QList<Status>{Status::Ok} << Status::Ok;
        QTest::newRow("rotation over ok")
            << QList<Status>{Status::Ok, Status::RotationOverdue} << Status::RotationOverdue;
        QTest::newRow("warning over rotation")
            << QList<Status>{Status::RotationOverdue, Status::Warning, Status::Ok}
            << Status::Warning;
        QTest::newRow("failure over warning")
            << QList<Status>{Status::Warning, Status::Timeout} << Status::Timeout;
        QTest::newRow("critical over failure")
            << QList<Status>{Status::Unreachable, Status::Critical} << Status::Critical;
        QTest::newRow("expired over everything") << kAllStatuses << Status::Expired;
    }
    void iconShowsTheWorstStatus() {
        QFETCH(QList<Status>, present);
        QFETCH(Status, worst);
        TrayNotifier notifier;
        StatusCounts counts;
        for (Status s : present)
            counts.byStatus[s] = 2;
        notifier.setCounts(counts);
        QCOMPARE(counts.worst(), std::optional<Status>(worst));
        QCOMPARE(imageOf(notifier.trayIcon()->icon()), imageOf(trayIcon(worst)));
    }

    // Each worst status has its own image, and none looks like "nothing probed yet".
    void everyWorstStatusHasItsOwnImage() {
        TrayNotifier notifier;
        QList<QImage> seen{imageOf(notifier.trayIcon()->icon())}; // empty table
        QCOMPARE(seen.first(), imageOf(trayIcon(std::nullopt)));
        for (Status s : kAllStatuses) {
            StatusCounts counts;
            counts.byStatus[s] = 1;
            counts.byStatus[Status::Ok] += 3;
            notifier.setCounts(counts);
            const QImage image = imageOf(notifier.trayIcon()->icon());
            QVERIFY2(!image.isNull(), qPrintable(statusKey(s)));
            QVERIFY2(!seen.contains(image), qPrintable(statusKey(s)));
            seen << image;
        }
    }

    // The window and the tray show one application icon (the package's hicolor icon); the tray
    // adds the worst status as a badge in its lower right corner and keeps the rest of it.
    void windowAndTrayShowTheApplicationIcon() {
        TrayHarness h;
        const QString error = h.open(m_root.der);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!appIcon().isNull());
        QCOMPARE(imageOf(h.window->windowIcon()), imageOf(appIcon()));
        const QImage app = imageOf(appIcon());
        for (std::optional<Status> worst :
             {std::optional<Status>(), std::optional<Status>(Status::Ok),
              std::optional<Status>(Status::Expired)}) {
            StatusCounts counts;
            if (worst)
                counts.byStatus[*worst] = 1;
            h.tray->notifier()->setCounts(counts);
            const QImage tray = imageOf(h.tray->notifier()->trayIcon()->icon());
            // Above and left of the badge (5/8 of 32 px), the application icon as it is.
            QCOMPARE(tray.copy(0, 0, 32, 12), app.copy(0, 0, 32, 12));
            QCOMPARE(tray.copy(0, 0, 12, 32), app.copy(0, 0, 12, 32));
            // The badge is the status icon, so the tray still tells the worst status.
            QVERIFY(tray != app);
        }
    }

    void tooltipCountsWorstFirst() {
        TrayNotifier notifier;
        StatusCounts counts;
        counts.byStatus[Status::Ok] = 5;
        counts.byStatus[Status::Expired] = 1;
        counts.byStatus[Status::Warning] = 2;
        counts.notProbed = 3;
        counts.needsAttention = 3;
        notifier.setCounts(counts);
        QCOMPARE(notifier.trayIcon()->toolTip(),
                 u"CertDash\nNeeds attention: 3\nExpired: 1\nWarning: 2\nOK: 5\nNot probed yet: 3"_s);
        QVERIFY(!notifier.resumeAction()->isVisible());
        const QDateTime until = pinnedNow().addSecs(3600);
        notifier.setPausedUntil(until);
        QVERIFY(notifier.trayIcon()->toolTip().endsWith(
            u"\nNotifications paused until "_s +
            QLocale().toString(until.toLocalTime(), QLocale::ShortFormat)));
        QVERIFY(notifier.resumeAction()->isVisible());
    }

    void menuOffersWhatTheIssueAsks() {
        TrayNotifier notifier;
        QStringList texts;
        for (QAction *a : notifier.trayIcon()->contextMenu()->actions()) {
            if (a->menu()) {
                texts << a->text();
                for (QAction *sub : a->menu()->actions())
                    texts << u"  "_s + sub->text();
            } else if (!a->isSeparator() && a->isVisible()) {
                texts << a->text();
            }
        }
        QCOMPARE(texts,
                 (QStringList{u"&Open dashboard"_s, u"&Probe all now"_s, u"P&ause notifications"_s,
                              u"  For 1 &hour"_s, u"  Until &tomorrow"_s, u"&Quit"_s}));
    }

    void pauseEnds() {
        const QDateTime now = pinnedNow();
        QCOMPARE(pauseEnd(PauseKind::OneHour, now), now.addSecs(3600));
        const QDateTime tomorrow = pauseEnd(PauseKind::UntilTomorrow, now).toLocalTime();
        QCOMPARE(tomorrow.date(), now.toLocalTime().date().addDays(1));
        QCOMPARE(tomorrow.time(), QTime(0, 0));
    }

    void deliveryOrder_data() {
        QTest::addColumn<bool>("service");
        QTest::addColumn<bool>("tray");
        QTest::addColumn<TrayNotifier::Delivery>("delivery");
        QTest::newRow("service and tray") << true << true << TrayNotifier::Delivery::Desktop;
        QTest::newRow("service only") << true << false << TrayNotifier::Delivery::Desktop;
        QTest::newRow("tray only") << false << true << TrayNotifier::Delivery::TrayMessage;
        QTest::newRow("neither") << false << false << TrayNotifier::Delivery::Banner;
    }
    void deliveryOrder() {
        QFETCH(bool, service);
        QFETCH(bool, tray);
        QFETCH(TrayNotifier::Delivery, delivery);
        QCOMPARE(TrayNotifier::chooseDelivery(service, tray), delivery);
    }

    // No notification service and no tray (offscreen): a crossing found by Probe all shows up
    // as a banner at the top of the window; Show selects the target, Dismiss hides it.
    void bannerWhenNeitherServiceNorTray() {
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen never has one
        const TestCert warn = leaf(u"banner.tray.test"_s, -70, 20.5);
        const TestCert ok = leaf(u"quiet.tray.test"_s, -10, 80);
        LocalTlsServer server;
        server.setChain({ok.certificate(), m_ca.certificate()}, ok.key());
        server.addSniChain(u"banner.tray.test"_s, {warn.certificate(), m_ca.certificate()},
                           warn.key());
        QVERIFY(server.listenLoopback());
        TrayHarness h;
        const QString error = h.open(m_root.der);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Whatever the machine running the test has on its session bus.
        h.tray->notifier()->setProbes([] { return false; }, [] { return false; });
        h.addTarget(u"quiet.tray.test"_s, server.port());
        const qint64 id = h.addTarget(u"banner.tray.test"_s, server.port());
        QVERIFY(id > 0);
        h.window->show();
        NotificationBanner *banner = h.tray->banner();
        QVERIFY(!banner->isVisible());

        QVERIFY(h.probeAll());
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->notifications().size(), 1);
        const QString title = u"Warning: banner.tray.test:%1"_s.arg(server.port());
        QCOMPARE(banner->notifications().first().title, title);
        QVERIFY2(banner->text().startsWith(title + u": "_s), qPrintable(banner->text()));
        QVERIFY2(banner->text().contains(u"20 days left"_s), qPrintable(banner->text()));
        // Above the table, inside the window.
        QVERIFY(h.window->isAncestorOf(banner));
        auto *table = h.window->findChild<QTableView *>(u"endpoints"_s);
        QVERIFY(banner->mapTo(h.window.get(), QPoint(0, 0)).y() <
                table->mapTo(h.window.get(), QPoint(0, 0)).y());
        // The tray icon follows the table: the worst is the warning.
        QTRY_COMPARE(imageOf(h.tray->notifier()->trayIcon()->icon()),
                     imageOf(trayIcon(Status::Warning)));

        // Show: the window selects that target's row.
        table->clearSelection();
        auto *show = banner->findChild<QPushButton *>(u"bannerShow"_s);
        QVERIFY(show->isVisible());
        QTest::mouseClick(show, Qt::LeftButton);
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(
            selected.first().siblingAtColumn(EndpointTableModel::TargetColumn).data().toString(),
            u"banner.tray.test:%1"_s.arg(server.port()));

        // The same scan again: nothing new to say, the banner stays as dismissed.
        QTest::mouseClick(banner->findChild<QPushButton *>(u"bannerDismiss"_s), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        QVERIFY(h.probeAll());
        QVERIFY(!banner->isVisible());
    }

    // Many crossings at once: the banner stays one line (the table keeps the window), says the
    // newest, and "All (N)" lists every one; choosing one selects its row.
    void bannerStaysOneLineWithManyNotifications() {
        NotificationBanner banner;
        banner.resize(900, banner.sizeHint().height());
        QList<Notification> many;
        for (int i = 0; i < 8; ++i) {
            Notification n;
            n.title = u"Critical: host-%1.test:443"_s.arg(i);
            n.body = u"%1 days left, expires 2026-03-2%1\naddress 192.0.2.%1"_s.arg(i);
            n.level = AlertLevel::Critical;
            n.targetId = 100 + i;
            n.address = u"192.0.2.%1"_s.arg(i);
            many << n;
        }
        banner.show();
        const int oneLine = banner.sizeHint().height();
        banner.showNotifications(many.mid(0, 1));
        QCOMPARE(banner.sizeHint().height(), oneLine);
        banner.showNotifications(many.mid(1));
        QCOMPARE(banner.sizeHint().height(), oneLine);
        QVERIFY2(oneLine < 3 * banner.fontMetrics().height(), qPrintable(QString::number(oneLine)));
        // Newest first (the last given).
        QVERIFY2(banner.text().startsWith(u"Critical: host-7.test:443: 7 days left"_s),
                 qPrintable(banner.text()));
        auto *all = banner.findChild<QToolButton *>(u"bannerAll"_s);
        QVERIFY(all && all->isVisible());
        QCOMPARE(all->text(), u"All (8)"_s);
        const QList<QAction *> entries = banner.allMenu()->actions();
        QCOMPARE(entries.size(), 8);
        QVERIFY(entries.last()->text().startsWith(u"Critical: host-0.test:443"_s));
        QSignalSpy opened(&banner, &NotificationBanner::activated);
        entries.at(3)->trigger();
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().at(0).toLongLong(), 104);
        QCOMPARE(opened.first().at(1).toString(), u"192.0.2.4"_s);
    }

    // Issue 14: four hosts that refuse connections, found by two scans in a row (the failure
    // count), make one digest, and the window calls it an outage, not certificates crossing
    // thresholds.
    void outageDigestSaysOutage() {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now: connection refused
        TrayHarness h;
        const QString error = h.open(m_root.der);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        h.tray->notifier()->setProbes([] { return false; }, [] { return false; });
        for (int i = 1; i <= 4; ++i)
            QVERIFY(h.addTarget(u"down%1.tray.test"_s.arg(i), port) > 0);
        h.window->show();
        NotificationBanner *banner = h.tray->banner();
        QVERIFY(h.probeAll());
        QVERIFY(!banner->isVisible()); // one failure is a blip
        QVERIFY(h.probeAll());
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->notifications().size(), 1);
        QCOMPARE(banner->notifications().first().title, u"Outage: 4 down"_s);
        QVERIFY2(banner->text().startsWith(u"Outage: 4 down: 4 unreachable"_s),
                 qPrintable(banner->text()));
        // The digest's whole text (the banner's tooltip and its "All" entry) names each host.
        QVERIFY2(banner->notifications().first().body.contains(
                     u"Unreachable: down1.tray.test:%1"_s.arg(port)),
                 qPrintable(banner->notifications().first().body));
        QVERIFY2(!banner->text().contains(u"crossed thresholds"_s), qPrintable(banner->text()));

        // Several in one tray balloon: outages named as such beside certificate alerts.
        Notification down = banner->notifications().first();
        down.digest = false;
        Notification cert;
        cert.title = u"Critical: cert.tray.test:443"_s;
        QCOMPARE(TrayNotifier::trayMessageTitle({down, down}), u"Outage: 2 down"_s);
        QCOMPARE(TrayNotifier::trayMessageTitle({down, down, cert}),
                 u"Outage: 2 down; 1 certificate alert"_s);
    }

    // The case seen: a name with a healthy and a critical backend. The banner names the
    // critical address, and its Show selects that address's row, not the healthy one.
    void bannerShowSelectsTheBackendItNames() {
        const TestCert healthy = leaf(u"lb.tray.test"_s, -10, 80);
        const TestCert critical = leaf(u"lb.tray.test"_s, -60, 3);
        LocalTlsServer healthyServer;
        healthyServer.setChain({healthy.certificate(), m_ca.certificate()}, healthy.key());
        QVERIFY(healthyServer.listenLoopback(QHostAddress(u"127.0.0.1"_s)));
        LocalTlsServer criticalServer;
        criticalServer.setChain({critical.certificate(), m_ca.certificate()}, critical.key());
        QVERIFY(criticalServer.listen(QHostAddress(u"127.0.0.2"_s), healthyServer.port()));
        TrayHarness h;
        const QString error = h.open(m_root.der);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        h.tray->notifier()->setProbes([] { return false; }, [] { return false; });
        Target lb;
        lb.host = u"lb.tray.test"_s;
        lb.port = healthyServer.port();
        lb.addresses = {u"127.0.0.1"_s, u"127.0.0.2"_s};
        QString stored;
        QVERIFY2(TargetRepository(*h.database, *h.clock).add(lb, &stored), qPrintable(stored));
        h.window->reload();
        h.window->show();

        QVERIFY(h.probeAll());
        NotificationBanner *banner = h.tray->banner();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->notifications().size(), 1);
        QCOMPARE(banner->notifications().first().address, u"127.0.0.2"_s);
        auto *table = h.window->findChild<QTableView *>(u"endpoints"_s);
        QCOMPARE(table->model()->rowCount(), 2); // a row per backend

        table->clearSelection();
        QTest::mouseClick(banner->findChild<QPushButton *>(u"bannerShow"_s), Qt::LeftButton);
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().siblingAtColumn(EndpointTableModel::AddressColumn).data(),
                 QVariant(u"127.0.0.2"_s));
        QCOMPARE(selected.first().siblingAtColumn(EndpointTableModel::StatusColumn).data(),
                 QVariant(statusLabel(Status::Critical)));
    }

    // No tray: closing the window ends CertDash.
    void closeWithoutTrayQuits() {
        TrayHarness h;
        QVERIFY(h.open(m_root.der).isEmpty());
        h.tray->notifier()->setProbes([] { return false; }, [] { return false; });
        h.window->show();
        QSignalSpy quit(h.tray.get(), &TrayIntegration::quitRequested);
        QVERIFY(h.window->close());
        QCOMPARE(quit.size(), 1);
        QVERIFY(h.settings->uiState(TrayIntegration::kCloseHintKey).isEmpty());
    }

    // A tray: closing hides the window and CertDash keeps running; the user is told once.
    void closeWithTrayKeepsRunningAndSaysSoOnce() {
        TrayHarness h;
        QVERIFY(h.open(m_root.der).isEmpty());
        h.tray->notifier()->setProbes([] { return false; }, [] { return true; });
        h.window->show();
        QSignalSpy quit(h.tray.get(), &TrayIntegration::quitRequested);
        QStringList told;
        const auto answer = [&told] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                told << box->text();
                box->accept();
            }
        };
        QTimer::singleShot(0, this, answer);
        QVERIFY(h.window->close());
        QCOMPARE(told.size(), 1);
        QVERIFY2(told.first().contains(u"system tray"_s), qPrintable(told.first()));
        QVERIFY(!h.window->isVisible());
        QCOMPARE(quit.size(), 0);

        // Open dashboard from the tray brings it back; a second close says nothing.
        h.tray->notifier()->openAction()->trigger();
        QVERIFY(h.window->isVisible());
        QTimer::singleShot(0, this, answer);
        QVERIFY(h.window->close());
        QCoreApplication::processEvents();
        QCOMPARE(told.size(), 1);
        QCOMPARE(quit.size(), 0);
        // Remembered in the settings, so a restart says nothing either.
        QVERIFY(!h.settings->uiState(TrayIntegration::kCloseHintKey).isEmpty());

        // Quit from the tray's menu ends it.
        h.tray->notifier()->quitAction()->trigger();
        QCOMPARE(quit.size(), 1);
    }

    // Pause from the tray's menu: remembered across a restart, and Resume ends it.
    void pauseFromTheMenu() {
        TrayHarness h;
        QVERIFY(h.open(m_root.der).isEmpty());
        h.tray->notifier()->pauseHourAction()->trigger();
        const QDateTime until = pinnedNow().addSecs(3600);
        QCOMPARE(h.tray->alerts()->pausedUntil(), until);
        QVERIFY(h.tray->notifier()->resumeAction()->isVisible());

        // A second integration over the same settings (a restart) is still paused.
        h.tray.reset();
        h.tray = std::make_unique<TrayIntegration>(*h.window, *h.database, *h.settings, h.clock);
        QCOMPARE(h.tray->alerts()->pausedUntil(), until);
        h.tray->notifier()->resumeAction()->trigger();
        QVERIFY(!h.tray->alerts()->pausedUntil().isValid());
        QVERIFY(!h.tray->notifier()->resumeAction()->isVisible());
    }
};

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
