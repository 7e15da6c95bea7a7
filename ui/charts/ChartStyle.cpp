#include "ChartStyle.h"

#include <QAbstractAxis>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPolygonF>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace certdash {

void applyPalette(QChartView *view, const QPalette &palette) {
    QChart *chart = view->chart();
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(110);
    view->setBackgroundBrush(palette.window());
    chart->setBackgroundBrush(palette.base());
    chart->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    // An area drawn "from series" gets an empty marker: show its fill instead.
    for (QLegendMarker *marker : chart->legend()->markers()) {
        if (marker->type() == QLegendMarker::LegendMarkerTypeArea)
            marker->setShape(QLegend::MarkerShapeRectangle);
    }
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(palette.color(QPalette::Mid));
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid);
    }
}

QColor chartStatusColour(Status status) {
    switch (status) {
    case Status::Ok:
        return QColor(0x2e, 0x9d, 0x4f);
    case Status::RotationOverdue:
        return QColor(0x3b, 0x7d, 0xd8);
    case Status::Warning:
        return QColor(0xe0, 0x9b, 0x16);
    case Status::Critical:
        return QColor(0xe5, 0x48, 0x3c);
    case Status::Expired:
        return QColor(0x9c, 0x1c, 0x2a);
    case Status::NotYetValid:
        return QColor(0x8e, 0x5c, 0xc2);
    default:
        return QColor(0x80, 0x80, 0x80);
    }
}

QPen cosmeticPen(const QColor &colour, double width, Qt::PenStyle style) {
    QPen p(colour, width, style);
    p.setCosmetic(true);
    return p;
}

void setNiceRange(QValueAxis *axis, double min, double max, int maxTicks) {
    if (!(max > min))
        max = min + 1;
    const double rough = (max - min) / std::max(maxTicks - 1, 1);
    // Whole steps only: every axis counts days or addresses and labels them "%.0f", so a step
    // of 0.5 or 2.5 would print one label twice ("0, 1, 1, 2, 2") or round it off.
    const double magnitude = std::max(1.0, std::pow(10.0, std::floor(std::log10(rough))));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step != std::floor(step))
            continue;
        if (step >= rough)
            break;
    }
    const double low = std::floor(min / step) * step;
    const double high = std::ceil(max / step) * step;
    axis->setRange(low, high);
    axis->setTickCount(int(std::lround((high - low) / step)) + 1);
}

QStringList tickLabels(const QValueAxis *axis) {
    QStringList labels;
    const int ticks = axis->tickCount();
    for (int i = 0; i < ticks; ++i) {
        const double value = axis->min() + (axis->max() - axis->min()) * i / std::max(ticks - 1, 1);
        labels << QString::asprintf(axis->labelFormat().toLatin1().constData(), value);
    }
    return labels;
}

QPixmap legendSwatch(const QAbstractSeries *series, qreal devicePixelRatio) {
    constexpr double kPi = 3.14159265358979323846;
    const QSizeF size(26, 16);
    QPixmap pixmap((size * devicePixelRatio).toSize());
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPointF centre(size.width() / 2, size.height() / 2);
    if (const auto *area = qobject_cast<const QAreaSeries *>(series)) {
        painter.setPen(area->pen());
        painter.setBrush(area->brush());
        painter.drawRect(QRectF(4, 3, size.width() - 8, size.height() - 6));
    } else if (const auto *scatter = qobject_cast<const QScatterSeries *>(series)) {
        painter.setPen(QPen(scatter->borderColor(), 1));
        painter.setBrush(scatter->color());
        const double r = std::min(scatter->markerSize(), size.height() - 2) / 2;
        QPolygonF shape;
        switch (scatter->markerShape()) {
        case QScatterSeries::MarkerShapeTriangle:
            shape << centre + QPointF(0, -r) << centre + QPointF(r, r) << centre + QPointF(-r, r);
            break;
        case QScatterSeries::MarkerShapeStar:
            for (int i = 0; i < 10; ++i) {
                const double angle = -kPi / 2 + i * kPi / 5;
                const double radius = i % 2 == 0 ? r : r * 0.45;
                shape << centre + QPointF(std::cos(angle) * radius, std::sin(angle) * radius);
            }
            break;
        case QScatterSeries::MarkerShapeRectangle:
            shape = QPolygonF(QRectF(centre - QPointF(r, r), centre + QPointF(r, r)));
            break;
        default:
            painter.drawEllipse(centre, r, r);
            break;
        }
        if (!shape.isEmpty())
            painter.drawPolygon(shape);
    } else if (const auto *xy = qobject_cast<const QXYSeries *>(series)) {
        QPen pen = xy->pen();
        pen.setCosmetic(false);
        pen.setWidthF(std::min(pen.widthF(), 2.0));
        pen.setCapStyle(Qt::FlatCap);
        painter.setPen(pen);
        painter.drawLine(QPointF(1, centre.y()), QPointF(size.width() - 1, centre.y()));
        if (xy->pointsVisible()) {
            painter.setBrush(pen.color());
            painter.drawEllipse(centre, 2.5, 2.5);
        }
    }
    return pixmap;
}

QAreaSeries *bandSeries(const QList<QPointF> &upper, const QList<QPointF> &lower) {
    auto *band = new QAreaSeries;
    auto *upperSeries = new QLineSeries(band);
    auto *lowerSeries = new QLineSeries(band);
    upperSeries->setObjectName(QStringLiteral("band.upper"));
    lowerSeries->setObjectName(QStringLiteral("band.lower"));
    upperSeries->append(upper);
    lowerSeries->append(lower);
    band->setUpperSeries(upperSeries);
    band->setLowerSeries(lowerSeries);
    band->setObjectName(QStringLiteral("band"));
    QColor fill = chartStatusColour(Status::Ok);
    fill.setAlpha(45);
    band->setBrush(fill);
    band->setPen(cosmeticPen(chartStatusColour(Status::Ok), 1));
    return band;
}

QXYSeries *findSeries(QChart *chart, const QString &role) {
    for (QAbstractSeries *s : chart->series()) {
        if (s->objectName() == role)
            return qobject_cast<QXYSeries *>(s);
        if (auto *area = qobject_cast<QAreaSeries *>(s)) {
            for (QLineSeries *edge : {area->upperSeries(), area->lowerSeries()}) {
                if (edge && edge->objectName() == role)
                    return edge;
            }
        }
    }
    return nullptr;
}

} // namespace certdash
