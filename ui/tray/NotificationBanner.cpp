#include "NotificationBanner.h"

#include "TrayNotifier.h"
#include "widgets/StatusIcon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace certdash {

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_show(new QPushButton(tr("Show"), this))
    , m_dismiss(new QPushButton(tr("Dismiss"), this)) {
    setObjectName(QStringLiteral("notificationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // Tooltip colours stand out from the window in light and dark palettes alike.
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setTextFormat(Qt::RichText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_show->setObjectName(QStringLiteral("bannerShow"));
    m_dismiss->setObjectName(QStringLiteral("bannerDismiss"));
    m_dismiss->setToolTip(tr("Hide these notifications"));
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_show, 0, Qt::AlignTop);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);
    connect(m_dismiss, &QPushButton::clicked, this, &NotificationBanner::dismiss);
    connect(m_show, &QPushButton::clicked, this, [this] {
        if (m_shown.size() == 1)
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
    hide();
}

QString NotificationBanner::text() const {
    return m_text->text();
}

void NotificationBanner::refresh() {
    Status worst = Status::Ok;
    QStringList paragraphs;
    for (int i = 0; i < m_shown.size(); ++i) {
        const Notification &n = m_shown.at(i);
        worst = i == 0 ? statusForNotification(n) : worseOf(worst, statusForNotification(n));
        if (i < kMaxShown) {
            QString body = n.body.toHtmlEscaped();
            body.replace(u'\n', QStringLiteral("<br>"));
            paragraphs << QStringLiteral("<b>%1</b><br>%2").arg(n.title.toHtmlEscaped(), body);
        }
    }
    const int more = int(m_shown.size()) - kMaxShown;
    if (more > 0)
        paragraphs << tr("... and %n more notification(s).", nullptr, more).toHtmlEscaped();
    m_text->setText(paragraphs.join(QStringLiteral("<br><br>")));
    const int side = style()->pixelMetric(QStyle::PM_LargeIconSize, nullptr, this);
    m_icon->setPixmap(statusIcon(worst).pixmap(side, side));
    // "Show" opens one target; a digest or several notifications have no single target.
    m_show->setVisible(m_shown.size() == 1 && m_shown.first().targetId >= 0);
}

} // namespace certdash
