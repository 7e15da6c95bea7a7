#pragma once

#include "charts/EstateData.h"
#include "models/EndpointFilterProxy.h"

#include <QPair>
#include <QPointF>
#include <QTimeZone>
#include <QWidget>

#include <functional>

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QImage;
class QChartView;
class QValueAxis;
class QLabel;
class QTabWidget;
QT_END_NAMESPACE

namespace certdash {

// The estate at a glance, in its own tab: an expiry calendar (target addresses whose limiting
// certificate expires in each of the next 26 weeks, and already expired, stacked by status) and
// the rotation health scatter (lifetime against days left, the band and thresholds drawn, points
// under the band highlighted). Both draw aggregates: a handful of series whatever the estate's
// size. Clicking a bar or a point asks the window to show those rows.
class EstateCharts : public QWidget {
    Q_OBJECT
public:
    enum Chart { CalendarChart, HealthChart };

    explicit EstateCharts(QWidget *parent = nullptr);

    using PolicyOf = std::function<ExpiryPolicy(const Target &)>;
    void setResults(const QList<ProbeResult> &results, const PolicyOf &policyOf,
                    const ExpiryPolicy &global, const QDateTime &now,
                    const QTimeZone &zone = QTimeZone::systemTimeZone());

    const ExpiryCalendar &calendar() const { return m_calendar; }
    const RotationHealth &health() const { return m_health; }

    void showChart(Chart chart);
    Chart currentChart() const;
    // Writes the chart on show as a PNG.
    bool exportPng(const QString &path, QString *error = nullptr) const;
    // The chart drawn at size (logical pixels) into an image scale times as dense, shown or
    // not, for documents (the evidence report). Its axes, legend and title as on screen.
    QImage renderChart(Chart chart, const QSize &size, qreal scale = 2);

    // What the charts hold, for tests (no Qt Charts types in the interface).
    QStringList calendarCategories() const;
    QStringList calendarSetNames() const;
    QStringList calendarAxisLabels() const;        // the Y axis (target addresses), bottom up
    QList<double> barHeights(Status status) const; // per category, "Expired" first
    QList<QPointF> healthPoints(bool underBand) const;
    // "band.upper", "band.lower", "warning", "critical".
    QList<QPointF> healthLine(const QString &role) const;
    QString healthToolTip(bool underBand, int index) const;
    QString barToolTip(Status status, int category) const;

public slots:
    // What a click on a bar segment or a point does.
    void activateBar(certdash::Status status, int category);
    void activateHealthPoint(bool underBand, int index);

signals:
    // Show exactly these rows in the table; description says which, in words.
    void rowsRequested(const QList<certdash::EndpointRowKey> &rows, const QString &description);
    // Select this row.
    void rowRequested(const certdash::EndpointRowKey &row);

protected:
    void changeEvent(QEvent *event) override;

private:
    void drawCalendar();
    void drawHealth();
    const ExpiryBucket *bucket(int category) const;
    QString categoryDescription(int category) const;
    void exportCurrent();

    QTabWidget *m_tabs;
    QChartView *m_calendarView;
    QChartView *m_healthView;
    QLabel *m_calendarNote;
    QLabel *m_healthNote;
    // Made once and reused: axes removed and re-added between two layouts leave stale copies
    // drawn on the chart (Qt Charts 6.4).
    QBarCategoryAxis *m_calendarX;
    QValueAxis *m_calendarY;
    QValueAxis *m_healthX;
    QValueAxis *m_healthY;
    ExpiryCalendar m_calendar;
    RotationHealth m_health;
    QList<EndpointRowKey> m_keys; // per result given
    QStringList m_labels;         // per result given: "label (address)"
};

} // namespace certdash
