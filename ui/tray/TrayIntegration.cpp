#include "TrayIntegration.h"

#include "NotificationBanner.h"
#include "TrayNotifier.h"
#include "alerts/AlertService.h"
#include "domain/Attention.h"
#include "widgets/FleetFeed.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "storage/Settings.h"
#include "widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace certdash {

const QString TrayIntegration::kCloseHintKey = QStringLiteral("tray/closeHintShown");

namespace {
const QString kPausedUntilKey = QStringLiteral("alerts/pausedUntil");

AlertServiceOptions alertOptions(const Settings &settings) {
    const Settings::Values v = settings.values();
    AlertServiceOptions options;
    options.failureThreshold = v.alertFailureCount;
    options.eventLogPath = v.eventLogPath;
    return options;
}

// What the tracker reads of a result: the limiting certificate's dates, fingerprint and name.
// Keeping whole results of a large scan until it ends would hold every certificate's DER,
// PEM and text dump.
ProbeResult forTracker(ProbeResult r) {
    const auto strip = [](CertificateInfo &c) {
        c.der.clear();
        c.pem.clear();
        c.text.clear();
    };
    if (r.chain.size() > 1)
        r.chain.resize(1);
    for (CertificateInfo &c : r.chain)
        strip(c);
    if (r.limiting)
        strip(*r.limiting);
    r.trust.verifiedPath.clear();
    return r;
}
} // namespace

TrayIntegration::TrayIntegration(MainWindow &window, Database &database, Settings &settings,
                                 std::shared_ptr<const Clock> clock, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_settings(settings)
    , m_clock(std::move(clock))
    , m_alerts(new AlertService(database, m_clock, alertOptions(settings), this))
    , m_notifier(new TrayNotifier(this))
    , m_banner(new NotificationBanner) {
    QString error;
    if (!m_alerts->load(&error))
        m_window.statusBar()->showMessage(
            tr("Alert state not loaded; crossings may be announced again: %1").arg(error), 10000);
    connect(m_alerts, &AlertService::problem, &m_window,
            [this](const QString &message) { m_window.statusBar()->showMessage(message, 10000); });
    connect(m_alerts, &AlertService::notificationsReady, m_notifier, &TrayNotifier::deliver);
    m_window.setAlertService(m_alerts); // the window's "Snooze alerts" acts through it

    // The banner goes above whatever the window shows, without the window knowing about it.
    auto *frame = new QWidget;
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_window.takeCentralWidget(), 1);
    m_window.setCentralWidget(frame);
    connect(m_notifier, &TrayNotifier::bannerRequested, m_banner,
            &NotificationBanner::showNotifications);
    connect(m_banner, &NotificationBanner::activated, this, &TrayIntegration::openAt);
    connect(m_notifier, &TrayNotifier::activated, this, &TrayIntegration::openAt);

    ScanController *scans = m_window.scanController();
    connect(scans, &ScanController::resultReady, this,
            [this](const ProbeResult &result) { m_scanResults << forTracker(result); });
    connect(scans, &ScanController::finished, this, &TrayIntegration::onScanFinished);
    // Fleet rows that stand for a stored target cross thresholds like its own probes, each
    // read one "scan" (see fleetAlertAddress for how they are keyed).
    // A read of 10,000 rows is tracked 1,000 at a time, each part in an event of its own, so
    // that the window answers meanwhile; its notifications go out once, for the whole read.
    m_fleetAlertPart.setSingleShot(true);
    m_fleetAlertPart.setInterval(0);
    connect(m_window.fleetFeed(), &FleetFeed::alertRows, this,
            [this](const QList<ProbeResult> &rows) {
                if (m_fleetAlerts.isEmpty()) {
                    m_alerts->setOptions(alertOptions(m_settings));
                    m_fleetAlerts = rows; // shared, not copied
                } else {
                    m_fleetAlerts += rows; // another source's read, while one is tracked
                }
                m_fleetAlertPart.start();
            });
    connect(&m_fleetAlertPart, &QTimer::timeout, this, [this] {
        // A part of new alert states (their first read) costs the store ~40 us a row.
        constexpr qsizetype kPart = 250;
        const qsizetype n = std::min(kPart, m_fleetAlerts.size() - m_fleetAlertsDone);
        m_alerts->processPart(m_fleetAlerts.mid(m_fleetAlertsDone, n));
        m_fleetAlertsDone += n;
        if (m_fleetAlertsDone < m_fleetAlerts.size()) {
            m_fleetAlertPart.start();
            return;
        }
        m_fleetAlerts = {};
        m_fleetAlertsDone = 0;
        m_alerts->finishParts();
        updateCounts();
    });

    connect(m_notifier, &TrayNotifier::openRequested, this, &TrayIntegration::showWindow);
    connect(m_notifier, &TrayNotifier::probeAllRequested, m_window.probeAllAction(),
            &QAction::trigger);
    QAction *probeAll = m_window.probeAllAction();
    connect(probeAll, &QAction::changed, m_notifier,
            [this, probeAll] { m_notifier->probeAllAction()->setEnabled(probeAll->isEnabled()); });
    connect(m_notifier, &TrayNotifier::pauseRequested, this,
            [this](PauseKind kind) { pause(pauseEnd(kind, m_clock->now())); });
    connect(m_notifier, &TrayNotifier::resumeRequested, this, [this] { pause(QDateTime()); });
    connect(m_notifier, &TrayNotifier::quitRequested, this, &TrayIntegration::quit);

    // A pause survives a restart: "until tomorrow" means tomorrow.
    const QDateTime paused = QDateTime::fromString(
        QString::fromLatin1(m_settings.uiState(kPausedUntilKey)), Qt::ISODate);
    if (paused.isValid() && paused > m_clock->now())
        pause(paused);
    m_pauseTimer.setSingleShot(true);
    connect(&m_pauseTimer, &QTimer::timeout, this, [this] { pause(QDateTime()); });

    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(250);
    connect(&m_countsTimer, &QTimer::timeout, this, &TrayIntegration::updateCounts);
    const auto later = [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    };
    QAbstractItemModel *model = m_window.model();
    connect(model, &QAbstractItemModel::modelReset, this, later);
    connect(model, &QAbstractItemModel::rowsInserted, this, later);
    connect(model, &QAbstractItemModel::rowsRemoved, this, later);
    connect(model, &QAbstractItemModel::dataChanged, this, later);
    updateCounts();

    // Closing the window is decided here (eventFilter); quitting is explicit.
    qApp->setQuitOnLastWindowClosed(false);
    m_window.installEventFilter(this);
}

TrayIntegration::~TrayIntegration() {
    m_window.removeEventFilter(this);
    m_window.setAlertService(nullptr);
}

StatusCounts TrayIntegration::tableCounts() const {
    StatusCounts counts;
    const EndpointTableModel *model = m_window.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->hasResult(row)) {
            const ProbeResult &r = model->resultAt(row);
            ++counts.byStatus[r.status];
            const bool untrusted = trustBeyondExpiry(r) == TrustLevel::Failed;
            if (untrusted)
                ++counts.trustFailed;
            if (needsAttention(r))
                ++counts.needsAttention;
        } else
            ++counts.notProbed;
    }
    return counts;
}

void TrayIntegration::updateCounts() {
    m_countsTimer.stop();
    m_notifier->setCounts(tableCounts());
}

void TrayIntegration::onScanFinished() {
    // Options may have changed in Settings since the last scan.
    m_alerts->setOptions(alertOptions(m_settings));
    const QList<ProbeResult> results = std::exchange(m_scanResults, {});
    m_alerts->processScan(results);
    updateCounts();
}

void TrayIntegration::showWindow() {
    if (m_window.isMinimized())
        m_window.showNormal();
    else
        m_window.show();
    m_window.raise();
    m_window.activateWindow();
}

void TrayIntegration::openAt(qint64 targetId, const QString &address) {
    showWindow();
    if (targetId >= 0)
        m_window.selectTarget(targetId, address);
}

void TrayIntegration::pause(const QDateTime &until) {
    const bool paused = until.isValid() && until > m_clock->now();
    const QDateTime end = paused ? until.toUTC() : QDateTime();
    m_alerts->pauseUntil(end);
    m_notifier->setPausedUntil(end);
    m_settings.setUiState(kPausedUntilKey,
                          paused ? end.toString(Qt::ISODate).toLatin1() : QByteArray());
    if (paused)
        m_pauseTimer.start(int(std::min<qint64>(m_clock->now().msecsTo(end), 24 * 3600 * 1000)));
    else
        m_pauseTimer.stop();
}

void TrayIntegration::quit() {
    m_quitting = true;
    m_window.close(); // saves the layout
    emit quitRequested();
}

bool TrayIntegration::eventFilter(QObject *watched, QEvent *event) {
    if (watched != &m_window || event->type() != QEvent::Close || m_quitting)
        return QObject::eventFilter(watched, event);
    if (!m_notifier->trayAvailable()) {
        // Nowhere to keep running: closing the window ends CertDash, as before the tray.
        m_quitting = true;
        emit quitRequested();
        return false;
    }
    if (m_settings.uiState(kCloseHintKey).isEmpty()) {
        QMessageBox::information(
            &m_window, tr("CertDash keeps running"),
            tr("CertDash keeps watching your certificates from the system tray and tells you "
               "when one crosses a threshold.\n\nOpen the dashboard again from the tray icon; "
               "quit from its menu or with File > Quit."));
        m_settings.setUiState(kCloseHintKey, QByteArrayLiteral("1"));
        m_settings.sync();
    }
    return false; // the window saves its layout and hides; the tray stays
}

} // namespace certdash
