#pragma once

#include "alerts/Notification.h"

#include <QFrame>

class QLabel;
class QMenu;
class QPushButton;
class QToolButton;

namespace certdash {

// Notifications shown inside the window when the desktop has neither a notification service
// nor a tray: one line at the top, in the palette's tooltip colours, until dismissed. The line
// says the newest; "All (N)" lists every one and opens the target of the one chosen, so the
// table keeps the window however many crossings arrive.
class NotificationBanner : public QFrame {
    Q_OBJECT

public:
    explicit NotificationBanner(QWidget *parent = nullptr);

    // Adds these to what is shown (newest first) and shows the banner.
    void showNotifications(const QList<Notification> &notifications);
    void dismiss();

    const QList<Notification> &notifications() const { return m_shown; }
    // The newest notification as the line says it, unelided: "title: body's first line".
    QString text() const;
    // The list behind "All (N)", newest first (for tests and keyboard users alike).
    QMenu *allMenu() const { return m_menu; }

signals:
    // "Show", or an entry of "All (N)": open that target.
    void activated(qint64 targetId, const QString &address);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void refresh();
    void elide();

    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_body;
    QPushButton *m_show;
    QToolButton *m_all;
    QMenu *m_menu;
    QPushButton *m_dismiss;
    QList<Notification> m_shown;
    QString m_bodyLine; // unelided
};

} // namespace certdash
