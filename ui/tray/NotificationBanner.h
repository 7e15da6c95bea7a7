#pragma once

#include "alerts/Notification.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace certdash {

// Notifications shown inside the window when the desktop has neither a notification service
// nor a tray: a strip at the top, in the palette's tooltip colours, until dismissed.
class NotificationBanner : public QFrame {
    Q_OBJECT

public:
    explicit NotificationBanner(QWidget *parent = nullptr);

    // Adds these to what is shown (newest first) and shows the banner.
    void showNotifications(const QList<Notification> &notifications);
    void dismiss();

    const QList<Notification> &notifications() const { return m_shown; }
    QString text() const;

    // At most this many are spelled out; the rest are counted.
    static constexpr int kMaxShown = 3;

signals:
    // "Show" on a single notification: open that target.
    void activated(qint64 targetId, const QString &address);

private:
    void refresh();

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_show;
    QPushButton *m_dismiss;
    QList<Notification> m_shown;
};

} // namespace certdash
