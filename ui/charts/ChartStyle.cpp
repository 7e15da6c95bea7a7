#include "ChartStyle.h"

#include <QAbstractAxis>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
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
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= rough)
            break;
    }
    const double low = std::floor(min / step) * step;
    const double high = std::ceil(max / step) * step;
    axis->setRange(low, high);
    axis->setTickCount(int(std::lround((high - low) / step)) + 1);
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
