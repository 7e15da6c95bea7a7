#include "EstateCharts.h"

#include "ChartStyle.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QCoreApplication>
#include <QFileDialog>
#include <QImage>
#include <QPainter>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScatterSeries>
#include <QStackedBarSeries>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace certdash {

namespace {
QChartView *makeView(QWidget *parent, const char *name) {
    auto *chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    chart->setMargins(QMargins(6, 6, 6, 6));
    auto *view = new QChartView(chart, parent);
    view->setObjectName(QString::fromLatin1(name));
    view->setRenderHint(QPainter::Antialiasing);
    return view;
}

QValueAxis *valueAxis(QChart *chart, const QString &title, Qt::Alignment alignment) {
    auto *axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(axis, alignment);
    return axis;
}

} // namespace

EstateCharts::EstateCharts(QWidget *parent)
    : QWidget(parent) {
    m_calendarView = makeView(this, "calendarView");
    m_healthView = makeView(this, "healthView");
    // Bar sets have no shape of their own: plain squares in the calendar's legend.
    m_calendarView->chart()->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);
    m_calendarX = new QBarCategoryAxis(m_calendarView->chart());
    m_calendarX->setLabelsAngle(-90);
    m_calendarX->setTruncateLabels(false);
    m_calendarView->chart()->addAxis(m_calendarX, Qt::AlignBottom);
    m_calendarY = valueAxis(m_calendarView->chart(), tr("Target addresses"), Qt::AlignLeft);
    m_healthX =
        valueAxis(m_healthView->chart(), tr("Certificate lifetime (days)"), Qt::AlignBottom);
    m_healthY = valueAxis(m_healthView->chart(), tr("Days left"), Qt::AlignLeft);
    m_calendarNote = new QLabel(this);
    m_calendarNote->setWordWrap(true);
    m_healthNote = new QLabel(this);
    m_healthNote->setWordWrap(true);

    const auto page = [this](QChartView *view, QLabel *note) {
        auto *w = new QWidget(this);
        auto *l = new QVBoxLayout(w);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(view, 1);
        l->addWidget(note);
        return w;
    };
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("estateTabs"));
    m_tabs->addTab(page(m_calendarView, m_calendarNote), tr("Expiry &calendar"));
    m_tabs->addTab(page(m_healthView, m_healthNote), tr("&Rotation health"));
    auto *exportButton = new QPushButton(tr("E&xport chart as PNG..."), this);
    exportButton->setObjectName(QStringLiteral("exportChart"));
    connect(exportButton, &QPushButton::clicked, this, &EstateCharts::exportCurrent);
    m_tabs->setCornerWidget(exportButton, Qt::TopRightCorner);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    setResults(
        {}, [](const Target &) { return ExpiryPolicy{}; }, ExpiryPolicy{},
        QDateTime::currentDateTimeUtc());
}

void EstateCharts::setResults(const QList<ProbeResult> &results, const PolicyOf &policyOf,
                              const ExpiryPolicy &global, const QDateTime &now,
                              const QTimeZone &zone) {
    m_keys.clear();
    m_labels.clear();
    m_keys.reserve(results.size());
    m_labels.reserve(results.size());
    for (const ProbeResult &r : results) {
        m_keys << EndpointRowKey{r.target.id, r.address};
        m_labels << (r.address.isEmpty() ? r.target.label()
                                         : tr("%1 (%2)").arg(r.target.label(), r.address));
    }
    m_calendar = expiryCalendar(results, now, zone);
    m_health = rotationHealth(results, policyOf, global);
    drawCalendar();
    drawHealth();
}

void EstateCharts::drawCalendar() {
    QChart *chart = m_calendarView->chart();
    chart->removeAllSeries();
    chart->setTitle(tr("Target addresses by the week their certificate expires"));
    auto *series = new QStackedBarSeries;
    series->setObjectName(QStringLiteral("calendar"));
    series->setBarWidth(0.8);
    int highest = 0;
    for (int c = 0; c <= m_calendar.weeks.size(); ++c)
        highest = std::max(highest, bucket(c)->total());
    for (Status status : kCertificateStatuses) {
        QList<qreal> values;
        bool any = false;
        for (int c = 0; c <= m_calendar.weeks.size(); ++c) {
            values << bucket(c)->count(status);
            any = any || values.last() > 0;
        }
        // A legend entry for a status nobody has is noise.
        if (!any)
            continue;
        auto *set = new QBarSet(statusLabel(status));
        set->append(values);
        set->setColor(chartStatusColour(status));
        set->setBorderColor(palette().color(QPalette::Base));
        connect(set, &QBarSet::clicked, this,
                [this, status](int index) { activateBar(status, index); });
        connect(set, &QBarSet::hovered, this, [this, status](bool state, int index) {
            if (state)
                QToolTip::showText(QCursor::pos(), barToolTip(status, index), m_calendarView);
            else
                QToolTip::hideText();
        });
        series->append(set);
    }
    chart->addSeries(series);

    m_calendarX->setCategories(calendarCategories());
    setNiceRange(m_calendarY, 0, std::max(highest, 4));
    series->attachAxis(m_calendarX);
    series->attachAxis(m_calendarY);

    QStringList notes;
    if (m_calendar.later > 0)
        notes << tr("Expiring after these 26 weeks: %1.").arg(m_calendar.later);
    if (m_calendar.withoutCertificate > 0)
        notes << tr("Without a certificate (the last probe failed): %1.")
                     .arg(m_calendar.withoutCertificate);
    notes << tr("Click a bar to list those rows in the table.");
    m_calendarNote->setText(notes.join(u' '));
    applyPalette(m_calendarView, palette());
}

void EstateCharts::drawHealth() {
    QChart *chart = m_healthView->chart();
    chart->removeAllSeries();
    chart->setTitle(tr("Rotation health: days left against certificate lifetime"));
    const double maxX = std::max(m_health.maxLifetimeDays, 1);
    double top = maxX;
    double bottom = 0;
    for (const QList<HealthPoint> *list : {&m_health.inBand, &m_health.underBand}) {
        for (const HealthPoint &p : *list) {
            top = std::max(top, double(p.daysLeft));
            bottom = std::min(bottom, double(p.daysLeft));
        }
    }

    QAreaSeries *band = bandSeries(m_health.bandUpper, m_health.bandLower);
    band->setName(m_health.bandIsDefault ? tr("Healthy band (default)") : tr("Healthy band"));
    chart->addSeries(band);

    const auto threshold = [&](const QList<QPointF> &points, Status status, const char *role,
                               const QString &name) {
        auto *s = new QLineSeries;
        s->setObjectName(QString::fromLatin1(role));
        s->append(points);
        s->setPen(cosmeticPen(chartStatusColour(status), 1.5, Qt::DashDotLine));
        s->setName(name);
        chart->addSeries(s);
    };
    threshold(m_health.warning, Status::Warning, "warning", tr("Warning threshold"));
    threshold(m_health.critical, Status::Critical, "critical", tr("Critical threshold"));

    const QColor outline = palette().color(QPalette::WindowText);
    const auto scatter = [&](const QList<HealthPoint> &points, bool under) {
        auto *s = new QScatterSeries;
        s->setObjectName(QString::fromLatin1(under ? "underBand" : "inBand"));
        QList<QPointF> xy;
        xy.reserve(points.size());
        for (const HealthPoint &p : points)
            xy << QPointF(p.lifetimeDays, p.daysLeft);
        s->append(xy);
        s->setMarkerShape(under ? QScatterSeries::MarkerShapeTriangle
                                : QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(under ? 13 : 9);
        s->setColor(chartStatusColour(under ? Status::Critical : Status::Ok));
        s->setBorderColor(under ? outline : chartStatusColour(Status::Ok).darker(140));
        s->setName(under ? tr("Under the band: rotation failed") : tr("In the band"));
        connect(s, &QXYSeries::hovered, this, [this, under](const QPointF &point, bool state) {
            const QList<HealthPoint> &list = under ? m_health.underBand : m_health.inBand;
            const auto it = std::find_if(list.begin(), list.end(), [&](const HealthPoint &p) {
                return p.lifetimeDays == qRound(point.x()) && p.daysLeft == qRound(point.y());
            });
            if (state && it != list.end())
                QToolTip::showText(QCursor::pos(), healthToolTip(under, int(it - list.begin())),
                                   m_healthView);
            else
                QToolTip::hideText();
        });
        connect(s, &QXYSeries::clicked, this, [this, under](const QPointF &point) {
            const QList<HealthPoint> &list = under ? m_health.underBand : m_health.inBand;
            for (int i = 0; i < list.size(); ++i) {
                if (list.at(i).lifetimeDays == qRound(point.x()) &&
                    list.at(i).daysLeft == qRound(point.y()))
                    activateHealthPoint(under, i);
            }
        });
        chart->addSeries(s);
    };
    scatter(m_health.inBand, false);
    scatter(m_health.underBand, true);

    setNiceRange(m_healthX, 0, maxX * 1.04, 10);
    setNiceRange(m_healthY, bottom - (bottom < 0 ? top * 0.04 : 0), top * 1.04, 11);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(m_healthX);
        s->attachAxis(m_healthY);
    }

    int under = 0;
    for (const HealthPoint &p : m_health.underBand)
        under += int(p.members.size());
    m_healthNote->setText(
        tr("Under the band (renewal was due and did not happen): %1.").arg(under) + u' ' +
        (m_health.bandIsDefault ? tr("No rotation period is set: the band assumes renewal at "
                                     "2/3 of the lifetime.")
                                : tr("The band follows the rotation period in Settings; "
                                     "targets with their own period are judged by it.")) +
        u' ' + tr("Hover a point to name its targets; click it to select them."));
    applyPalette(m_healthView, palette());
}

const ExpiryBucket *EstateCharts::bucket(int category) const {
    if (category == 0)
        return &m_calendar.expired;
    if (category < 1 || category > m_calendar.weeks.size())
        return nullptr;
    return &m_calendar.weeks.at(category - 1);
}

QString EstateCharts::categoryDescription(int category) const {
    const ExpiryBucket *b = bucket(category);
    if (!b || !b->week.isValid())
        return tr("already expired");
    return tr("week of %1")
        .arg(QLocale().toString(b->week, tr("d MMM yyyy", "week in a description")));
}

QStringList EstateCharts::calendarCategories() const {
    QStringList categories{tr("Expired")};
    for (const ExpiryBucket &b : m_calendar.weeks)
        categories << QLocale().toString(b.week, tr("d MMM", "week label: day and short month"));
    return categories;
}

QStringList EstateCharts::calendarSetNames() const {
    QStringList names;
    for (QAbstractSeries *s : m_calendarView->chart()->series()) {
        if (auto *bars = qobject_cast<QStackedBarSeries *>(s)) {
            for (QBarSet *set : bars->barSets())
                names << set->label();
        }
    }
    return names;
}

QStringList EstateCharts::calendarAxisLabels() const {
    return tickLabels(m_calendarY);
}

QList<double> EstateCharts::barHeights(Status status) const {
    QList<double> heights;
    for (QAbstractSeries *s : m_calendarView->chart()->series()) {
        auto *bars = qobject_cast<QStackedBarSeries *>(s);
        if (!bars)
            continue;
        for (QBarSet *set : bars->barSets()) {
            if (set->label() != statusLabel(status))
                continue;
            for (int i = 0; i < set->count(); ++i)
                heights << set->at(i);
        }
    }
    return heights;
}

QList<QPointF> EstateCharts::healthPoints(bool underBand) const {
    const QXYSeries *s =
        findSeries(m_healthView->chart(), QString::fromLatin1(underBand ? "underBand" : "inBand"));
    return s ? s->points() : QList<QPointF>{};
}

QList<QPointF> EstateCharts::healthLine(const QString &role) const {
    const QXYSeries *s = findSeries(m_healthView->chart(), role);
    return s ? s->points() : QList<QPointF>{};
}

QString EstateCharts::barToolTip(Status status, int category) const {
    const ExpiryBucket *b = bucket(category);
    if (!b)
        return {};
    return tr("%1, %2: %n target address(es)", nullptr, b->count(status))
        .arg(statusLabel(status), categoryDescription(category));
}

QString EstateCharts::healthToolTip(bool underBand, int index) const {
    const QList<HealthPoint> &list = underBand ? m_health.underBand : m_health.inBand;
    if (index < 0 || index >= list.size())
        return {};
    const HealthPoint &p = list.at(index);
    QStringList names;
    for (int i = 0; i < std::min<qsizetype>(p.members.size(), 8); ++i)
        names << m_labels.value(p.members.at(i));
    if (p.members.size() > 8)
        names << tr("and %n more", nullptr, int(p.members.size() - 8));
    // The point's height is the report's days_left (a floor): once expired, no "-5 days left".
    const QString where =
        p.daysLeft < 0
            ? tr("%1-day certificate, expired (days left %2)").arg(p.lifetimeDays).arg(p.daysLeft)
            : tr("%1-day certificate, %n day(s) left", nullptr, p.daysLeft).arg(p.lifetimeDays);
    return where +
           u'\n' + (underBand ? tr("Under the band: rotation failed") : tr("In the band")) + u'\n' +
           names.join(u'\n');
}

void EstateCharts::activateBar(Status status, int category) {
    const ExpiryBucket *b = bucket(category);
    const int index = certificateStatusIndex(status);
    if (!b || index < 0)
        return;
    // The bar's tooltip would outlive the switch to the table.
    QToolTip::hideText();
    QList<EndpointRowKey> rows;
    for (int member : b->members[size_t(index)])
        rows << m_keys.value(member);
    emit rowsRequested(rows, tr("%1, %2").arg(statusLabel(status), categoryDescription(category)));
}

void EstateCharts::activateHealthPoint(bool underBand, int index) {
    const QList<HealthPoint> &list = underBand ? m_health.underBand : m_health.inBand;
    if (index < 0 || index >= list.size())
        return;
    const HealthPoint &p = list.at(index);
    QToolTip::hideText();
    if (p.members.size() == 1) {
        emit rowRequested(m_keys.value(p.members.first()));
        return;
    }
    QList<EndpointRowKey> rows;
    for (int member : p.members)
        rows << m_keys.value(member);
    emit rowsRequested(
        rows, p.daysLeft < 0
                  ? tr("%1-day certificates, expired (days left %2)")
                        .arg(p.lifetimeDays)
                        .arg(p.daysLeft)
                  : tr("%1-day certificates with %n day(s) left", nullptr, p.daysLeft)
                        .arg(p.lifetimeDays));
}

void EstateCharts::showChart(Chart chart) {
    m_tabs->setCurrentIndex(chart == CalendarChart ? 0 : 1);
}

EstateCharts::Chart EstateCharts::currentChart() const {
    return m_tabs->currentIndex() == 0 ? CalendarChart : HealthChart;
}

bool EstateCharts::exportPng(const QString &path, QString *error) const {
    QChartView *view = currentChart() == CalendarChart ? m_calendarView : m_healthView;
    if (view->grab().save(path, "PNG"))
        return true;
    if (error)
        *error = tr("Cannot write %1.").arg(path);
    return false;
}

QImage EstateCharts::renderChart(Chart which, const QSize &size, qreal scale) {
    QChartView *view = which == CalendarChart ? m_calendarView : m_healthView;
    QChart *chart = view->chart();
    // The chart itself, not its view: a view that was never shown never lays its chart out.
    const QRectF shown = chart->geometry();
    chart->setGeometry(QRectF(QPointF(0, 0), size));
    // The chart lays its axes and series out when its layout request is delivered.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        view->scene()->render(&painter, QRectF(QPointF(0, 0), size), chart->geometry());
    }
    chart->setGeometry(shown);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return image;
}

void EstateCharts::exportCurrent() {
    const QString suggested = currentChart() == CalendarChart
                                  ? QStringLiteral("certdash-expiry-calendar.png")
                                  : QStringLiteral("certdash-rotation-health.png");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart as PNG"), suggested,
                                                      tr("PNG images (*.png)"));
    QString error;
    if (!path.isEmpty() && !exportPng(path, &error))
        QMessageBox::warning(this, tr("Export chart"), error);
}

void EstateCharts::changeEvent(QEvent *event) {
    if (event->type() == QEvent::PaletteChange) {
        drawCalendar();
        drawHealth();
    }
    QWidget::changeEvent(event);
}

} // namespace certdash
