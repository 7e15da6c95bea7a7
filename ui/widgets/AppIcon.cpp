#include "AppIcon.h"

#include "StatusIcon.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace certdash {

QIcon appIcon() {
    static const QIcon icon = [] {
        QIcon i;
        for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
            i.addFile(QStringLiteral(":/icons/hicolor/%1x%1/apps/io.github.certdash.CertDash.png")
                          .arg(size),
                      QSize(size, size));
        return i;
    }();
    return icon;
}

namespace {
QIcon drawTrayIcon(const QIcon &badge) {
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = appIcon().pixmap(size, size);
        pixmap.setDevicePixelRatio(1.0);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        // A badge of 5/8 of the icon: at 16 px still a 10 px shape, the shield still visible.
        const int b = size * 5 / 8;
        const QRect badgeRect(size - b, size - b, b, b);
        // A light disc under the badge keeps its shape readable over the clock face.
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 230));
        p.drawEllipse(badgeRect);
        p.drawPixmap(badgeRect, badge.pixmap(b, b));
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
} // namespace

QIcon trayIcon(std::optional<Status> worst) {
    static QHash<int, QIcon> icons;
    const int key = worst ? int(*worst) : -1;
    auto it = icons.find(key);
    if (it == icons.end())
        it = icons.insert(key, drawTrayIcon(worst ? statusIcon(*worst) : notProbedIcon()));
    return *it;
}

} // namespace certdash
