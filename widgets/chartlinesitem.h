// ChartLinesItem: draws a QChart's lines itself, one polyline per series, into the plot area and
// through the chart's two value axes, so that a live refresh does not go through Qt Charts' line
// layout.
#pragma once

#include <QGraphicsObject>
#include <QLineF>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QPolygonF>
#include <QFont>
#include <QString>

#include <vector>

class QChart;
class QValueAxis;

namespace interleave {

// Why not QLineSeries: Qt Charts lays a line series out again on every replace() and on every
// move of an axis, and each layout strokes an outline around the whole line for hover tests
// (QPainterPathStroker), which nobody here uses. A live view moves the x axis every frame, so that
// outline was two thirds of a refresh. This item keeps the points in axis units and maps them at
// paint time: a new range or a new plot area costs nothing until the next paint. The chart keeps
// its (empty) series for the legend; its axes, ticks and grid stay Qt Charts'.
class ChartLinesItem : public QGraphicsObject
{
    Q_OBJECT
public:
    // A child of chart, drawn where its series would be (above the grid and axes, under the
    // legend), mapped through x and y (both attached to the chart).
    ChartLinesItem(QChart* chart, QValueAxis* x, QValueAxis* y);
    ~ChartLinesItem() override;

    // Lines are drawn in order, a later one over an earlier one (as series added later are).
    void setLineCount(int count);
    int lineCount() const { return int(m_lines.size()); }
    void setPen(int line, const QPen& pen);
    QPen pen(int line) const;
    // Dashes for a line with many points, cut here into segments (on, off, on, off... in units
    // of the pen's width; empty: solid): a dashed pen would send every point through Qt's path
    // stroker, a hundred times slower per frame.
    void setDashes(int line, const std::vector<double>& pattern);
    // Written at the line's right end, inside the plot (empty: none).
    void setLabel(int line, const QString& label);
    void setLabelFont(const QFont& font) { m_labelFont = font; update(); }
    // Points in axis units. Returns whether they differed from the line's points before (an
    // unchanged line costs no repaint).
    bool setPoints(int line, QList<QPointF> points);
    QList<QPointF> points(int line) const;

    // A line as it is drawn now: its points in the chart's coordinates, for the current plot area
    // and axis ranges (what QChart::mapToPosition gives for a series on the same axes).
    QPolygonF polyline(int line) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    struct Line
    {
        QPen pen;
        QList<QPointF> points;
        std::vector<double> dashes;
        QString label;
    };
    void paintLabels(QPainter* painter);
    void map(const QList<QPointF>& points, QPolygonF& out) const;
    void plotAreaChanged();

    QChart* const m_chart;
    QValueAxis* const m_x;
    QValueAxis* const m_y;
    std::vector<Line> m_lines;
    QRectF m_bounds; // the plot area and room for the widest pen
    // Reused by paint(): no allocation per frame.
    mutable QPolygonF m_scratch;
    std::vector<QLineF> m_segments;
    QFont m_labelFont;
};

} // namespace interleave
