#pragma once

#include "domain/ProbeResult.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace certdash {

class AlertService;
class Clock;
class Database;
class MainWindow;
class NotificationBanner;
class Settings;
class TrayNotifier;
struct StatusCounts;

// Wires the dashboard to alerts and the tray: each finished scan goes through the AlertService
// (state, event log, notifications); notifications go to the desktop, the tray or a banner in
// the window; the tray icon follows the table; closing the window keeps CertDash running while
// a tray is there. Built by main.cpp after the window, with the clock the probes use.
class TrayIntegration : public QObject {
    Q_OBJECT

public:
    TrayIntegration(MainWindow &window, Database &database, Settings &settings,
                    std::shared_ptr<const Clock> clock, QObject *parent = nullptr);
    ~TrayIntegration() override;

    AlertService *alerts() const { return m_alerts; }
    TrayNotifier *notifier() const { return m_notifier; }
    NotificationBanner *banner() const { return m_banner; }

    // The counts of the window's table right now.
    StatusCounts tableCounts() const;

    // Brings the window up at this target (a clicked notification); -1 only opens it.
    void openAt(qint64 targetId, const QString &address);
    void pause(const QDateTime &until); // null resumes
    // Closes the window (saving its layout) and asks to quit (quitRequested), tray or not.
    void quit();

    // Remembered once the user has been told that closing keeps CertDash in the tray.
    static const QString kCloseHintKey;

signals:
    // CertDash should end: Quit in the tray's menu, or the window closed with no tray to stay
    // in. main.cpp ends the event loop.
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onScanFinished();
    void updateCounts();
    void showWindow();

    MainWindow &m_window;
    Settings &m_settings;
    std::shared_ptr<const Clock> m_clock;
    AlertService *m_alerts;
    TrayNotifier *m_notifier;
    NotificationBanner *m_banner;
    QList<ProbeResult> m_scanResults; // this scan's, trimmed to what the tracker reads
    QTimer m_countsTimer;             // coalesces table changes into one icon update
    QTimer m_pauseTimer;              // ends a pause
    QList<ProbeResult> m_fleetAlerts; // fleet rows to track, a part per event
    qsizetype m_fleetAlertsDone = 0;  // of them, tracked already
    QTimer m_fleetAlertPart;          // tracks the next part
    bool m_quitting = false;
};

} // namespace certdash
