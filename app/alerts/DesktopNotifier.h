#pragma once

#include "Notification.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>

namespace certdash {

// Shows notifications through the desktop's notification service
// (org.freedesktop.Notifications on the session bus), so they reach its notification centre.
// QtDBus only: the headless `certdash scan --notify` uses it as well as the tray.
class DesktopNotifier : public QObject {
    Q_OBJECT

public:
    explicit DesktopNotifier(QObject *parent = nullptr);
    ~DesktopNotifier() override;

    // True when org.freedesktop.Notifications has an owner on the session bus right now.
    static bool available();

    // Sends one notification and waits for the service's answer (at most kReplyTimeoutMs), so
    // that a short-lived process has delivered it before it exits. False when the service is
    // missing or refused it.
    bool notify(const Notification &notification);

    static constexpr int kReplyTimeoutMs = 2000;

    // The freedesktop urgency hint: 2 (critical) for critical and expired, 1 (normal) otherwise.
    static int urgencyFor(const Notification &notification);
    // A themed icon name the desktop knows.
    static QString iconFor(const Notification &notification);

signals:
    // The user clicked one of this notifier's notifications ("Open").
    void activated(qint64 targetId, const QString &address);

private slots:
    // QtDBus connects signals of remote objects by slot name only, hence a slot.
    void onActionInvoked(uint id, const QString &actionKey);

private:
    // The last notifications sent, to tell our clicks from other programs'. NotificationClosed
    // is not used to forget them: QtDBus may deliver it before the ActionInvoked that the
    // service sent first (seen with Qt 6.4), and the click would be lost.
    static constexpr int kRemembered = 64;
    struct Sent {
        uint id;
        qint64 targetId;
        QString address;
    };
    QList<Sent> m_sent;
    bool m_listening = false;
};

} // namespace certdash
