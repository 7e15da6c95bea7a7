#include "StatusIcon.h"

#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace certdash {

namespace {
constexpr int kSize = 32;

// Mid-tone colours that keep contrast on light and dark palettes; the white mark inside and
// the outline shape carry the meaning.
QColor colourFor(int kind)
{
    switch (kind) {
    case int(Status::Ok):
        return QColor(0x2e, 0x9d, 0x4f);
    case int(Status::RotationOverdue):
        return QColor(0x3b, 0x7d, 0xd8);
    case int(Status::Warning):
        return QColor(0xe0, 0x9b, 0x16);
    case int(Status::Critical):
    case int(Status::Expired):
    case int(Status::NotYetValid):
        return QColor(0xd3, 0x2f, 0x2f);
    default:
        return QColor(0x80, 0x80, 0x80);
    }
}

QIcon draw(int kind)
{
    QPixmap pixmap(kSize, kSize);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor fill = colourFor(kind);
    QPen mark(Qt::white, 3.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    const QRectF box(2, 2, kSize - 4, kSize - 4);
    p.setPen(QPen(fill.darker(140), 1.5));
    p.setBrush(fill);
    switch (kind) {
    case int(Status::Ok): // circle with a check
        p.drawEllipse(box);
        p.setPen(mark);
        p.drawPolyline(QPolygonF{{9, 16.5}, {14, 21.5}, {23, 11}});
        break;
    case int(Status::Warning): { // triangle with "!"
        p.drawPolygon(QPolygonF{{16, 2}, {30, 28}, {2, 28}});
        p.setPen(mark);
        p.drawLine(QPointF(16, 11), QPointF(16, 19));
        p.drawPoint(QPointF(16, 24));
        break;
    }
    case int(Status::Critical): { // octagon with "!"
        QPolygonF octagon;
        for (int i = 0; i < 8; ++i) {
            const double a = (22.5 + 45.0 * i) * M_PI / 180.0;
            octagon << QPointF(16 + 14.5 * std::cos(a), 16 + 14.5 * std::sin(a));
        }
        p.drawPolygon(octagon);
        p.setPen(mark);
        p.drawLine(QPointF(16, 9), QPointF(16, 18));
        p.drawPoint(QPointF(16, 23));
        break;
    }
    case int(Status::Expired): // square with a cross
        p.drawRoundedRect(box, 4, 4);
        p.setPen(mark);
        p.drawLine(QPointF(10, 10), QPointF(22, 22));
        p.drawLine(QPointF(22, 10), QPointF(10, 22));
        break;
    case int(Status::NotYetValid): // clock
        p.drawEllipse(box);
        p.setPen(mark);
        p.drawLine(QPointF(16, 16), QPointF(16, 8));
        p.drawLine(QPointF(16, 16), QPointF(22, 19));
        break;
    case int(Status::RotationOverdue): { // circle with circular arrows
        p.drawEllipse(box);
        p.setPen(mark);
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(9, 9, 14, 14), 30 * 16, 270 * 16);
        p.drawLine(QPointF(22, 8), QPointF(22.5, 13.5));
        p.drawLine(QPointF(22.5, 13.5), QPointF(17, 13));
        break;
    }
    case int(Status::Unreachable): // broken link
        p.drawEllipse(box);
        p.setPen(mark);
        p.drawLine(QPointF(8, 20), QPointF(13, 15));
        p.drawLine(QPointF(19, 17), QPointF(24, 12));
        p.drawLine(QPointF(14, 11), QPointF(13, 8));
        p.drawLine(QPointF(18, 21), QPointF(19, 24));
        break;
    case int(Status::Timeout): // hourglass
        p.drawEllipse(box);
        p.setPen(mark);
        p.drawPolygon(QPolygonF{{10, 8}, {22, 8}, {10, 24}, {22, 24}});
        break;
    case int(Status::HandshakeFailed): { // padlock with a cross
        p.drawRoundedRect(QRectF(5, 13, 22, 17), 3, 3);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(fill.darker(140), 3));
        p.drawArc(QRectF(9, 3, 14, 16), 0, 180 * 16);
        p.setPen(mark);
        p.drawLine(QPointF(12, 17), QPointF(20, 26));
        p.drawLine(QPointF(20, 17), QPointF(12, 26));
        break;
    }
    default: // not probed yet: a hollow circle
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(fill, 3, Qt::DashLine));
        p.drawEllipse(box.adjusted(2, 2, -2, -2));
        break;
    }
    return QIcon(pixmap);
}

const QIcon &cached(int kind)
{
    static QHash<int, QIcon> icons;
    auto it = icons.find(kind);
    if (it == icons.end())
        it = icons.insert(kind, draw(kind));
    return *it;
}
} // namespace

QIcon statusIcon(Status status)
{
    return cached(int(status));
}

QIcon notProbedIcon()
{
    return cached(-1);
}

} // namespace certdash
