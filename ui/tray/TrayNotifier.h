#pragma once

#include "alerts/Notification.h"
#include "domain/Status.h"

#include <QDateTime>
#include <QIcon>
#include <QMap>
#include <QObject>

#include <functional>
#include <optional>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace certdash {

class DesktopNotifier;

// How many target addresses are in each status, for the tray's icon and tooltip.
struct StatusCounts {
    QMap<Status, int> byStatus;
    int notProbed = 0;
    // Endpoint addresses whose certificate clients refuse (trust level failed), whatever their
    // expiry status: they make the icon at least critical.
    int trustFailed = 0;
    // Addresses with any status but OK, or not trusted (each counted once).
    int needsAttention = 0;

    // The worst status present (by severityRank), a trust failure counting as Critical; nullopt
    // when nothing was probed.
    std::optional<Status> worst() const;
    bool operator==(const StatusCounts &other) const {
        return byStatus == other.byStatus && notProbed == other.notProbed &&
               trustFailed == other.trustFailed && needsAttention == other.needsAttention;
    }
};

// "Pause notifications": for an hour, or until the next local day begins.
enum class PauseKind { OneHour, UntilTomorrow };
QDateTime pauseEnd(PauseKind kind, const QDateTime &now); // UTC

// The tray icon (worst current status by shape, counts in the tooltip, a menu) and the delivery
// of notifications: the desktop's notification service when it is on the session bus, else the
// tray's own message, else a banner inside the window (bannerRequested).
class TrayNotifier : public QObject {
    Q_OBJECT

public:
    enum class Delivery { Desktop, TrayMessage, Banner };
    static Delivery chooseDelivery(bool desktopService, bool tray);
    // The title of one tray balloon for these notifications: the one's own title, or for
    // several "3 certificate alerts", "Outage: 2 down" or both.
    static QString trayMessageTitle(const QList<Notification> &notifications);

    explicit TrayNotifier(QObject *parent = nullptr);
    ~TrayNotifier() override;

    void setCounts(const StatusCounts &counts);
    const StatusCounts &counts() const { return m_counts; }
    // Shown in the tooltip and the menu; null means not paused.
    void setPausedUntil(const QDateTime &until);

    QSystemTrayIcon *trayIcon() const { return m_tray; }
    QMenu *menu() const { return m_menu; }
    QString toolTip() const;
    QIcon icon() const;

    QAction *openAction() const { return m_open; }
    QAction *probeAllAction() const { return m_probeAll; }
    QAction *pauseHourAction() const { return m_pauseHour; }
    QAction *pauseTomorrowAction() const { return m_pauseTomorrow; }
    QAction *resumeAction() const { return m_resume; }
    QAction *quitAction() const { return m_quit; }

    // Whether a notification service and a tray are there, asked at each delivery (either may
    // come and go while CertDash runs). Tests replace them.
    using Probe = std::function<bool()>;
    void setProbes(Probe desktopService, Probe tray);
    bool trayAvailable() const { return m_trayProbe(); }

    // Shows notifications by the first way that works; returns the way used.
    Delivery deliver(const QList<Notification> &notifications);

signals:
    void openRequested();
    void probeAllRequested();
    void pauseRequested(certdash::PauseKind kind);
    void resumeRequested();
    void quitRequested();
    // The user clicked a notification; targetId -1 (a digest) just opens the window.
    void activated(qint64 targetId, const QString &address);
    // Neither a notification service nor a tray: show these inside the window.
    void bannerRequested(const QList<certdash::Notification> &notifications);

private:
    void refresh();
    void showTrayMessage(const QList<Notification> &notifications);

    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    DesktopNotifier *m_desktop;
    QAction *m_open;
    QAction *m_probeAll;
    QAction *m_pauseHour;
    QAction *m_pauseTomorrow;
    QAction *m_resume;
    QAction *m_quit;
    StatusCounts m_counts;
    QDateTime m_pausedUntil;
    Probe m_desktopProbe;
    Probe m_trayProbe;
    // What a click on the tray's own message opens.
    qint64 m_messageTarget = -1;
    QString m_messageAddress;
};

// The status shown for a notification's level (its icon in the tray message and the banner).
Status statusForNotification(const Notification &notification);

} // namespace certdash
