#pragma once

#include "domain/Status.h"

#include <QColor>
#include <QList>
#include <QPalette>
#include <QPen>
#include <QPointF>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
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

// Covers [min, max] with round steps (1, 2, 5 times a power of ten) and at most maxTicks ticks.
// QValueAxis::applyNiceNumbers keeps its 5 ticks and so often doubles the range.
void setNiceRange(QValueAxis *axis, double min, double max, int maxTicks = 9);

// The healthy band between two edges ("band.upper", "band.lower"), a translucent green.
QAreaSeries *bandSeries(const QList<QPointF> &upper, const QList<QPointF> &lower);
// The series with this object name, including a band's edges; nullptr when absent.
QXYSeries *findSeries(QChart *chart, const QString &role);

} // namespace certdash
