#pragma once

#include "charts/TimelineData.h"

#include <QPointF>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QDateTimeAxis;
class QValueAxis;
class QVBoxLayout;
QT_END_NAMESPACE

namespace certdash {

// Days left of one target address against time (local dates): the observed history, the current
// certificate's validity diagonal, the rotation band, the warning and critical lines, "now", the
// dashed projection to expiry and markers for rotations (triangles) and failed probes (stars).
// Hovering the line or a marker tells the date, days left, fingerprint and status.
class ExpiryTimelineChart : public QWidget {
    Q_OBJECT
public:
    explicit ExpiryTimelineChart(QWidget *parent = nullptr);

    void setTimeline(const TimelineData &data);
    void clear();
    const TimelineData &timeline() const { return m_data; }

    // What a series draws, by role: "history", "validity", "band.upper", "band.lower", "warning",
    // "critical", "now", "projection", "rotations", "failures". x in ms since the epoch.
    QList<QPointF> seriesPoints(const QString &role) const;
    // The legend entries, in order.
    QStringList legendNames() const;
    // The legend entries shown in full (not clipped or elided), in order.
    QStringList fullyShownLegendEntries() const;
    // The days axis' tick labels, bottom up.
    QStringList axisLabels() const;
    // The tooltip of data point `index` (timeline().points).
    QString toolTipFor(int index) const;
    // The point nearest to time x (ms since the epoch), or -1; failures only when wanted.
    int nearestPoint(double x, bool failed) const;
    QChartView *view() const { return m_view; }
    // For tests: where data point `index` is drawn, in the coordinates of the widget that gets
    // the mouse (hoverSurface()).
    QPoint pointPosition(int index) const;
    QWidget *hoverSurface() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void showToolTip(const QPointF &point, bool state, bool failed);
    void rebuildLegend();

    QChartView *m_view;
    // Made once and reused: axes removed and re-added between two layouts leave stale copies
    // drawn on the chart (Qt Charts 6.4).
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
    QWidget *m_legend;
    QVBoxLayout *m_legendLayout;
    TimelineData m_data;
};

} // namespace certdash
