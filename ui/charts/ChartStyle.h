#pragma once

#include "domain/Status.h"

#include <QColor>
#include <QList>
#include <QPalette>
#include <QPen>
#include <QPixmap>
#include <QPointF>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QAbstractSeries;
class QAreaSeries;
class QChart;
class QChartView;
class QValueAxis;
class QXYSeries;
QT_END_NAMESPACE

namespace certdash {

// Charts take their background, text and grid colours from the widget palette, so a dark
// desktop theme gives a dark, readable chart. Status colours are mid-tones that keep their
// contrast on both, and every status also has its own place in the legend and the tooltips.
// Call after the series are added (it also fixes their legend markers).
void applyPalette(QChartView *view, const QPalette &palette);
QColor chartStatusColour(Status status);
// A pen of the same width at any zoom.
QPen cosmeticPen(const QColor &colour, double width, Qt::PenStyle style = Qt::SolidLine);

// Covers [min, max] with round whole steps (1, 2, 5 times a power of ten, 25 from 10 up) and at
// most maxTicks ticks, so that "%.0f" labels never repeat. QValueAxis::applyNiceNumbers keeps
// its 5 ticks and so often doubles the range.
void setNiceRange(QValueAxis *axis, double min, double max, int maxTicks = 9);
// The labels a value axis prints at its ticks (its label format at each tick), for tests.
QStringList tickLabels(const QValueAxis *axis);

// A legend marker for a series drawn as the chart draws it: a line in its pen (with a dot when
// its points show), a scatter marker in its shape and colours, an area in its fill.
QPixmap legendSwatch(const QAbstractSeries *series, qreal devicePixelRatio);

// The healthy band between two edges ("band.upper", "band.lower"), a translucent green.
QAreaSeries *bandSeries(const QList<QPointF> &upper, const QList<QPointF> &lower);
// The series with this object name, including a band's edges; nullptr when absent.
QXYSeries *findSeries(QChart *chart, const QString &role);

} // namespace certdash
