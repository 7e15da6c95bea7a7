#include "ExpiryTimelineChart.h"

#include "ChartStyle.h"
#include "domain/ExpiryWords.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace certdash {

namespace {
double ms(const QDateTime &t) {
    return double(t.toMSecsSinceEpoch());
}

// Enough of a fingerprint to tell certificates apart at a glance.
QString shortFingerprint(const QString &fingerprint) {
    return fingerprint.size() > 23 ? fingerprint.left(23) + QChar(0x2026) : fingerprint;
}
} // namespace

ExpiryTimelineChart::ExpiryTimelineChart(QWidget *parent)
    : QWidget(parent) {
    auto *chart = new QChart;
    // Nine entries: a column on the right keeps each one readable in full (rebuildLegend()).
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_view = new QChartView(chart, this);
    m_view->setObjectName(QStringLiteral("timelineView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(220);
    m_x = new QDateTimeAxis(this);
    m_x->setTickCount(6);
    m_y = new QValueAxis(this);
    m_y->setTitleText(tr("Days left"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    chart->legend()->hide(); // see rebuildLegend()
    m_legend = new QWidget(this);
    m_legend->setObjectName(QStringLiteral("timelineLegend"));
    m_legendLayout = new QVBoxLayout(m_legend);
    m_legendLayout->setContentsMargins(4, 4, 8, 4);
    m_legendLayout->setSpacing(2);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_legend, 0, Qt::AlignVCenter);
    clear();
}

void ExpiryTimelineChart::clear() {
    m_data = TimelineData{};
    QChart *chart = m_view->chart();
    chart->removeAllSeries();
    m_x->hide();
    m_y->hide();
    chart->setTitle(tr("Select an endpoint to see its expiry timeline."));
    rebuildLegend();
    applyPalette(m_view, palette());
}

void ExpiryTimelineChart::setTimeline(const TimelineData &data) {
    clear();
    m_data = data;
    QChart *chart = m_view->chart();
    if (!data.hasCertificate() && data.points.isEmpty()) {
        chart->setTitle(tr("No probe of this address is recorded yet."));
        return;
    }
    chart->setTitle(data.hasCertificate() ? QString()
                                          : tr("No certificate was read from this address."));

    // A little air on both sides so that markers at the ends are not cut in half.
    const qint64 span = std::max<qint64>(data.rangeStart.msecsTo(data.rangeEnd), 3600 * 1000);
    const double x0 = ms(data.rangeStart) - double(span) / 40;
    const double x1 = ms(data.rangeEnd) + double(span) / 40;
    double top = std::max(data.lifetimeDays, 1.0);
    double bottom = 0;
    for (const TimelinePoint &p : data.points) {
        top = std::max(top, p.daysLeft);
        bottom = std::min(bottom, p.daysLeft);
    }
    // Room above the band for the markers; none below 0 unless something is expired.
    const double pad = (top - bottom) * 0.06;
    top += pad;
    if (bottom < 0)
        bottom -= pad;

    const QColor text = palette().color(QPalette::WindowText);
    const QColor line = palette().color(QPalette::Highlight);
    const auto add = [chart](QAbstractSeries *series, const char *role, const QString &name) {
        series->setObjectName(QString::fromLatin1(role));
        series->setName(name);
        chart->addSeries(series);
    };
    const auto horizontal = [&](double y, const QColor &colour, const char *role,
                                const QString &name) {
        auto *s = new QLineSeries;
        s->append(x0, y);
        s->append(x1, y);
        s->setPen(cosmeticPen(colour, 1.5, Qt::DashDotLine));
        add(s, role, name);
    };

    if (data.hasCertificate()) {
        QAreaSeries *band = bandSeries({{x0, data.band.upperDays}, {x1, data.band.upperDays}},
                                       {{x0, data.band.lowerDays}, {x1, data.band.lowerDays}});
        add(band, "band",
            data.band.isDefault
                ? tr("Rotation band (default)")
                : tr("Rotation band (every %1 days)").arg(qRound(data.band.rotationDays)));

        // An unreadable notBefore has no start to draw from: no line rather than one from 1970.
        if (data.notBefore.isValid()) {
            auto *validity = new QLineSeries;
            validity->append(ms(data.notBefore), data.lifetimeDays);
            validity->append(ms(data.notAfter), 0);
            validity->setPen(cosmeticPen(palette().color(QPalette::Mid), 1.5, Qt::DotLine));
            add(validity, "validity", tr("Validity of this certificate"));
        }

        horizontal(data.warningDays, chartStatusColour(Status::Warning), "warning",
                   tr("Warning (%1 days)").arg(QLocale().toString(data.warningDays, 'g', 3)));
        horizontal(data.criticalDays, chartStatusColour(Status::Critical), "critical",
                   tr("Critical (%1 days)").arg(QLocale().toString(data.criticalDays, 'g', 3)));

        if (data.projectionFrom.isValid()) {
            auto *projection = new QLineSeries;
            projection->append(ms(data.projectionFrom), data.projectionFromDays);
            projection->append(ms(data.notAfter), 0);
            projection->setPen(cosmeticPen(line, 2, Qt::DashLine));
            add(projection, "projection", tr("Projection if not renewed"));
        }
    }

    auto *now = new QLineSeries;
    now->append(ms(data.now), bottom);
    now->append(ms(data.now), top);
    now->setPen(cosmeticPen(text, 1));
    add(now, "now", tr("Now"));

    auto *history = new QLineSeries;
    auto *rotations = new QScatterSeries;
    auto *failures = new QScatterSeries;
    for (const TimelinePoint &p : data.points) {
        if (!p.failed)
            history->append(ms(p.at), p.daysLeft);
    }
    for (int i : data.rotations)
        rotations->append(ms(data.points.at(i).at), data.points.at(i).daysLeft);
    for (int i : data.failures)
        failures->append(ms(data.points.at(i).at), data.points.at(i).daysLeft);
    history->setPen(cosmeticPen(line, 2));
    // Individual probes are worth seeing while they are few; a two-year history is a line.
    history->setPointsVisible(history->count() <= 120);
    add(history, "history", tr("Days left (probes)"));
    rotations->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    rotations->setMarkerSize(13);
    rotations->setColor(chartStatusColour(Status::RotationOverdue));
    rotations->setBorderColor(text);
    add(rotations, "rotations", tr("Certificate replaced"));
    failures->setMarkerShape(QScatterSeries::MarkerShapeStar);
    failures->setMarkerSize(15);
    failures->setColor(chartStatusColour(Status::Critical));
    failures->setBorderColor(text);
    add(failures, "failures", tr("Probe failed"));

    // QDateTimeAxis labels in local time, as every date CertDash shows.
    m_x->setFormat(span < 4LL * 86400 * 1000 ? QLocale().dateTimeFormat(QLocale::ShortFormat)
                                             : QLocale().dateFormat(QLocale::ShortFormat));
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(qint64(x0)),
                  QDateTime::fromMSecsSinceEpoch(qint64(x1)));
    setNiceRange(m_y, bottom, top, 8);
    m_x->show();
    m_y->show();
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    // The band's edges, the thresholds and "now" explain themselves on the chart; the legend
    // names them anyway, and its markers take each series' own shape.
    connect(history, &QXYSeries::hovered, this,
            [this](const QPointF &p, bool state) { showToolTip(p, state, false); });
    connect(rotations, &QXYSeries::hovered, this,
            [this](const QPointF &p, bool state) { showToolTip(p, state, false); });
    connect(failures, &QXYSeries::hovered, this,
            [this](const QPointF &p, bool state) { showToolTip(p, state, true); });
    rebuildLegend();
    applyPalette(m_view, palette());
}

QList<QPointF> ExpiryTimelineChart::seriesPoints(const QString &role) const {
    const QXYSeries *s = findSeries(m_view->chart(), role);
    return s ? s->points() : QList<QPointF>{};
}

QStringList ExpiryTimelineChart::legendNames() const {
    QStringList names;
    for (QAbstractSeries *s : m_view->chart()->series())
        names << s->name();
    return names;
}

QStringList ExpiryTimelineChart::fullyShownLegendEntries() const {
    QStringList shown;
    if (!m_legend->isVisible())
        return shown;
    const QRect area = rect();
    for (const QLabel *label : m_legend->findChildren<QLabel *>(QStringLiteral("legendText"))) {
        const QRect inChart(label->mapTo(this, QPoint(0, 0)), label->size());
        if (label->isVisible() && area.contains(inChart) &&
            label->width() >= label->sizeHint().width() &&
            label->height() >= label->sizeHint().height())
            shown << label->text();
    }
    return shown;
}

void ExpiryTimelineChart::rebuildLegend() {
    // Qt Charts' own legend lays nine entries out in a column a little shorter than they need,
    // so the last one was cut off at every size: a widget column in the layout gets the room
    // its entries need, and the chart the rest.
    while (QLayoutItem *item = m_legendLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QList<QAbstractSeries *> series = m_view->chart()->series();
    for (QAbstractSeries *s : series) {
        auto *entry = new QWidget(m_legend);
        auto *row = new QHBoxLayout(entry);
        row->setContentsMargins(0, 0, 0, 0);
        row->setSpacing(6);
        auto *swatch = new QLabel(entry);
        swatch->setObjectName(QStringLiteral("legendSwatch"));
        swatch->setPixmap(legendSwatch(s, devicePixelRatioF()));
        auto *text = new QLabel(s->name(), entry);
        text->setObjectName(QStringLiteral("legendText"));
        row->addWidget(swatch);
        row->addWidget(text, 1);
        m_legendLayout->addWidget(entry);
    }
    m_legend->setVisible(!series.isEmpty());
}

QStringList ExpiryTimelineChart::axisLabels() const {
    return tickLabels(m_y);
}

int ExpiryTimelineChart::nearestPoint(double x, bool failed) const {
    int best = -1;
    double distance = 0;
    for (int i = 0; i < m_data.points.size(); ++i) {
        const TimelinePoint &p = m_data.points.at(i);
        if (p.failed != failed)
            continue;
        const double d = std::abs(ms(p.at) - x);
        if (best < 0 || d < distance) {
            best = i;
            distance = d;
        }
    }
    return best;
}

QString ExpiryTimelineChart::toolTipFor(int index) const {
    if (index < 0 || index >= m_data.points.size())
        return {};
    const TimelinePoint &p = m_data.points.at(index);
    const QString when = QLocale().toString(p.at.toLocalTime(), QLocale::LongFormat);
    if (p.failed)
        return tr("%1\nProbe failed: %2\n%3").arg(when, statusLabel(p.status), p.error);
    // In words as of the probe ("expired 1 day ago"), where the recorded days_left is a floor.
    const QString distance =
        p.expiry.isValid() ? expiryInWords(p.expiry, p.at)
                           : tr("%n day(s) left", nullptr, p.recordedDaysLeft.value_or(0));
    QString tip = tr("%1\n%2\nSHA-256 %3\n%4")
                      .arg(when, distance, shortFingerprint(p.fingerprint), statusLabel(p.status));
    if (m_data.rotations.contains(index))
        tip = tr("Certificate replaced") + u'\n' + tip;
    return tip;
}

void ExpiryTimelineChart::showToolTip(const QPointF &point, bool state, bool failed) {
    if (!state) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(QCursor::pos(), toolTipFor(nearestPoint(point.x(), failed)), m_view);
}

QPoint ExpiryTimelineChart::pointPosition(int index) const {
    if (index < 0 || index >= m_data.points.size() || m_view->chart()->series().isEmpty())
        return {};
    const TimelinePoint &p = m_data.points.at(index);
    QChart *chart = m_view->chart();
    const QPointF position =
        chart->mapToPosition(QPointF(ms(p.at), p.daysLeft), chart->series().first());
    return m_view->mapFromScene(chart->mapToScene(position));
}

QWidget *ExpiryTimelineChart::hoverSurface() const {
    return m_view->viewport();
}

void ExpiryTimelineChart::changeEvent(QEvent *event) {
    if (event->type() == QEvent::PaletteChange) {
        if (m_data.now.isValid())
            setTimeline(TimelineData(m_data));
        else
            clear();
    }
    QWidget::changeEvent(event);
}

} // namespace certdash
