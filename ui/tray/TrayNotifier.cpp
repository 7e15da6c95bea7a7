#include "TrayNotifier.h"

#include "alerts/DesktopNotifier.h"
#include "widgets/AppIcon.h"
#include "widgets/StatusIcon.h"

#include <QAction>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>

#include <algorithm>

namespace certdash {

std::optional<Status> StatusCounts::worst() const {
    std::optional<Status> worst;
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it) {
        if (it.value() > 0)
            worst = worst ? worseOf(*worst, it.key()) : it.key();
    }
    if (trustFailed > 0)
        worst = worst ? worseOf(*worst, Status::Critical) : Status::Critical;
    return worst;
}

QDateTime pauseEnd(PauseKind kind, const QDateTime &now) {
    if (kind == PauseKind::OneHour)
        return now.toUTC().addSecs(3600);
    const QDate tomorrow = now.toLocalTime().date().addDays(1);
    return QDateTime(tomorrow, QTime(0, 0), Qt::LocalTime).toUTC();
}

Status statusForNotification(const Notification &notification) {
    if (notification.renewed)
        return Status::Ok;
    switch (notification.level) {
    case AlertLevel::Expired:
        return Status::Expired;
    case AlertLevel::Critical:
        return Status::Critical;
    case AlertLevel::Warning:
        return Status::Warning;
    case AlertLevel::RotationOverdue:
        return Status::RotationOverdue;
    case AlertLevel::Ok:
        break;
    }
    return Status::Ok;
}

TrayNotifier::Delivery TrayNotifier::chooseDelivery(bool desktopService, bool tray) {
    if (desktopService)
        return Delivery::Desktop;
    return tray ? Delivery::TrayMessage : Delivery::Banner;
}

TrayNotifier::TrayNotifier(QObject *parent)
    : QObject(parent)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
    , m_desktop(new DesktopNotifier(this))
    , m_desktopProbe(&DesktopNotifier::available)
    , m_trayProbe(&QSystemTrayIcon::isSystemTrayAvailable) {
    m_open = m_menu->addAction(tr("&Open dashboard"), this, &TrayNotifier::openRequested);
    m_probeAll = m_menu->addAction(tr("&Probe all now"), this, &TrayNotifier::probeAllRequested);
    QMenu *pause = m_menu->addMenu(tr("P&ause notifications"));
    m_pauseHour = pause->addAction(tr("For 1 &hour"), this,
                                   [this] { emit pauseRequested(PauseKind::OneHour); });
    m_pauseTomorrow = pause->addAction(tr("Until &tomorrow"), this,
                                       [this] { emit pauseRequested(PauseKind::UntilTomorrow); });
    m_resume = m_menu->addAction(tr("&Resume notifications"), this, &TrayNotifier::resumeRequested);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("&Quit"), this, &TrayNotifier::quitRequested);
    m_tray->setContextMenu(m_menu);

    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                    emit openRequested();
            });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this,
            [this] { emit activated(m_messageTarget, m_messageAddress); });
    connect(m_desktop, &DesktopNotifier::activated, this, &TrayNotifier::activated);
    refresh();
    // Shown even before a tray exists: Qt docks the icon when a tray appears later.
    m_tray->show();
}

TrayNotifier::~TrayNotifier() {
    delete m_menu; // a context menu is not owned by its QSystemTrayIcon
}

void TrayNotifier::setProbes(Probe desktopService, Probe tray) {
    m_desktopProbe = std::move(desktopService);
    m_trayProbe = std::move(tray);
}

void TrayNotifier::setCounts(const StatusCounts &counts) {
    if (counts == m_counts)
        return;
    m_counts = counts;
    refresh();
}

void TrayNotifier::setPausedUntil(const QDateTime &until) {
    m_pausedUntil = until;
    refresh();
}

QIcon TrayNotifier::icon() const {
    return certdash::trayIcon(m_counts.worst());
}

QString TrayNotifier::toolTip() const {
    QStringList lines{tr("CertDash")};
    // Worst first, as in the window's status bar.
    QMap<int, QString> parts;
    for (auto it = m_counts.byStatus.cbegin(); it != m_counts.byStatus.cend(); ++it) {
        if (it.value() > 0)
            parts.insert(severityRank(it.key()),
                         tr("%1: %2").arg(statusLabel(it.key())).arg(it.value()));
    }
    if (!parts.isEmpty())
        lines << tr("Needs attention: %1").arg(m_counts.needsAttention);
    lines += parts.values();
    if (m_counts.trustFailed > 0)
        lines << tr("Not trusted: %1").arg(m_counts.trustFailed);
    if (m_counts.notProbed > 0)
        lines << tr("Not probed yet: %1").arg(m_counts.notProbed);
    if (parts.isEmpty() && m_counts.notProbed == 0)
        lines << tr("No targets");
    if (m_pausedUntil.isValid())
        lines << tr("Notifications paused until %1")
                     .arg(QLocale().toString(m_pausedUntil.toLocalTime(), QLocale::ShortFormat));
    return lines.join(u'\n');
}

void TrayNotifier::refresh() {
    m_tray->setIcon(icon());
    m_tray->setToolTip(toolTip());
    const bool paused = m_pausedUntil.isValid();
    m_resume->setVisible(paused);
}

TrayNotifier::Delivery TrayNotifier::deliver(const QList<Notification> &notifications) {
    // The tray is asked first: a desktop probe is a D-Bus round trip, the tray one is not.
    const bool tray = m_trayProbe();
    const Delivery delivery = chooseDelivery(m_desktopProbe(), tray);
    if (notifications.isEmpty())
        return delivery;
    switch (delivery) {
    case Delivery::Desktop: {
        QList<Notification> failed;
        for (const Notification &n : notifications) {
            if (!m_desktop->notify(n))
                failed << n;
        }
        if (failed.isEmpty())
            return delivery;
        // The service went away between the probe and the call: the rest go the next way.
        if (!tray) {
            emit bannerRequested(failed);
            return Delivery::Banner;
        }
        showTrayMessage(failed);
        return Delivery::TrayMessage;
    }
    case Delivery::TrayMessage:
        showTrayMessage(notifications);
        return delivery;
    case Delivery::Banner:
        emit bannerRequested(notifications);
        return delivery;
    }
    return delivery;
}

void TrayNotifier::showTrayMessage(const QList<Notification> &notifications) {
    // One balloon at a time: a second showMessage() would replace the first, so several
    // notifications (at most the digest threshold, so always more than one here below) share
    // one message.
    const Notification &first = notifications.first();
    Status worst = statusForNotification(first);
    QStringList titles;
    for (const Notification &n : notifications) {
        worst = worseOf(worst, statusForNotification(n));
        titles << n.title;
    }
    if (notifications.size() == 1) {
        m_messageTarget = first.targetId;
        m_messageAddress = first.address;
        m_tray->showMessage(first.title, first.body, statusIcon(worst));
        return;
    }
    m_messageTarget = -1;
    m_messageAddress.clear();
    m_tray->showMessage(trayMessageTitle(notifications), titles.join(u'\n'), statusIcon(worst));
}

QString TrayNotifier::trayMessageTitle(const QList<Notification> &notifications) {
    if (notifications.isEmpty())
        return {};
    if (notifications.size() == 1)
        return notifications.first().title;
    // Endpoints that could not be probed are outages, not certificate alerts.
    const int outages = int(std::count_if(notifications.cbegin(), notifications.cend(),
                                          [](const Notification &n) { return n.outage; }));
    const int certificates = int(notifications.size()) - outages;
    QString title = tr("%n certificate alerts", nullptr, certificates);
    if (outages > 0) {
        title = certificates == 0
                    ? tr("Outage: %n down", nullptr, outages)
                    : tr("%1; %2").arg(tr("Outage: %n down", nullptr, outages), title);
    }
    return title;
}

} // namespace certdash
