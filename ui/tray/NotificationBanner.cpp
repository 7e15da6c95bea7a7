#include "NotificationBanner.h"

#include "TrayNotifier.h"
#include "widgets/StatusIcon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace certdash {

namespace {
QString firstLine(const QString &text) {
    return text.section(u'\n', 0, 0).trimmed();
}
} // namespace

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
    , m_show(new QPushButton(tr("Show"), this))
    , m_all(new QToolButton(this))
    , m_menu(new QMenu(this))
    , m_dismiss(new QPushButton(tr("Dismiss"), this)) {
    setObjectName(QStringLiteral("notificationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // Tooltip colours stand out from the window in light and dark palettes alike.
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    m_title->setObjectName(QStringLiteral("bannerTitle"));
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_body->setObjectName(QStringLiteral("bannerText"));
    m_body->setTextFormat(Qt::PlainText);
    // One line whatever the width: the body elides (its whole text is the tooltip and in "All").
    m_body->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_body->setMinimumWidth(0);
    m_show->setObjectName(QStringLiteral("bannerShow"));
    m_all->setObjectName(QStringLiteral("bannerAll"));
    m_all->setMenu(m_menu);
    m_all->setPopupMode(QToolButton::InstantPopup);
    m_all->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_dismiss->setObjectName(QStringLiteral("bannerDismiss"));
    m_dismiss->setToolTip(tr("Hide these notifications"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_icon);
    layout->addWidget(m_title);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_show);
    layout->addWidget(m_all);
    layout->addWidget(m_dismiss);
    connect(m_dismiss, &QPushButton::clicked, this, &NotificationBanner::dismiss);
    connect(m_show, &QPushButton::clicked, this, [this] {
        if (!m_shown.isEmpty() && m_shown.first().targetId >= 0)
            emit activated(m_shown.first().targetId, m_shown.first().address);
    });
    hide();
}

void NotificationBanner::showNotifications(const QList<Notification> &notifications) {
    if (notifications.isEmpty())
        return;
    QList<Notification> newest(notifications.crbegin(), notifications.crend());
    m_shown = newest + m_shown;
    refresh();
    QFrame::show();
}

void NotificationBanner::dismiss() {
    m_shown.clear();
    m_menu->clear();
    hide();
}

QString NotificationBanner::text() const {
    return m_shown.isEmpty() ? QString() : tr("%1: %2").arg(m_title->text(), m_bodyLine);
}

void NotificationBanner::resizeEvent(QResizeEvent *event) {
    QFrame::resizeEvent(event);
    elide();
}

void NotificationBanner::elide() {
    m_body->setText(m_body->fontMetrics().elidedText(m_bodyLine, Qt::ElideRight,
                                                     std::max(0, m_body->width())));
}

void NotificationBanner::refresh() {
    Status worst = Status::Ok;
    m_menu->clear();
    for (int i = 0; i < m_shown.size(); ++i) {
        const Notification &n = m_shown.at(i);
        const Status status = statusForNotification(n);
        worst = i == 0 ? status : worseOf(worst, status);
        QAction *entry = m_menu->addAction(statusIcon(status),
                                           tr("%1: %2").arg(n.title, firstLine(n.body)));
        entry->setToolTip(n.body);
        // A digest names no single target: listed, but there is nothing to open.
        entry->setEnabled(n.targetId >= 0);
        connect(entry, &QAction::triggered, this, [this, id = n.targetId, address = n.address] {
            emit activated(id, address);
        });
    }
    const Notification &newest = m_shown.first();
    m_title->setText(newest.title);
    m_bodyLine = firstLine(newest.body);
    m_body->setToolTip(newest.body);
    elide();
    m_all->setText(tr("All (%1)").arg(m_shown.size()));
    m_all->setToolTip(tr("Every notification since the banner was last dismissed"));
    m_all->setVisible(m_shown.size() > 1);
    const int side = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(statusIcon(worst).pixmap(side, side));
    // "Show" opens the newest's target; a digest has none.
    m_show->setVisible(newest.targetId >= 0);
}

} // namespace certdash
