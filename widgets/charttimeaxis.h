// ChartTimeAxis: a chart's time axis as the timeline above draws its own: ticks at the same step
// for the same nanoseconds per pixel, the same labels ("500 ms", "2.5 s"), and the time under the
// pointer as a line across the plot.
#pragma once

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QList>
#include <QStringList>

#include <cstdint>
#include <vector>

class QChart;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QValueAxis;

namespace interleave {

class ChartTimeAxis
{
public:
    // x: the chart's horizontal axis, in seconds. Its own labels keep their room but are not
    // drawn (transparent), nor its grid; the labels, tick marks and grid lines here are drawn in
    // their place.
    ChartTimeAxis(QChart* chart, QValueAxis* x);
    ~ChartTimeAxis();
    ChartTimeAxis(const ChartTimeAxis&) = delete;
    ChartTimeAxis& operator=(const ChartTimeAxis&) = delete;

    // The range shown [t0, t1] (ns since the start) over a plot this many pixels wide.
    void setRange(std::int64_t t0, std::int64_t t1, double plotWidth);
    // The labels and the cursor to where the plot area is now.
    void relayout();
    // The pointer's time (-1: none).
    void setCursor(std::int64_t t);
    void setStyle(const QFont& font, const QBrush& text, const QColor& cursor, const QColor& grid);

    double stepNs() const { return m_stepNs; }
    QStringList labels() const;
    // Where the grid lines drawn now cross the plot, in the chart's coordinates, left to right.
    QList<double> gridLineXs() const;
    bool cursorShown() const;

private:
    QChart* const m_chart;
    QValueAxis* const m_x;
    // Qt Charts' stacking (Qt 6.4): grid 2, under the series (4); a tick mark as long as Qt's.
    static constexpr double GridZ = 2;
    static constexpr double TickLength = 5;
    std::vector<QGraphicsSimpleTextItem*> m_labels;
    std::vector<QGraphicsLineItem*> m_gridLines; // one per label, at its tick
    QGraphicsLineItem* m_cursor = nullptr;
    std::int64_t m_t0 = 0;
    std::int64_t m_t1 = 1;
    double m_stepNs = 1e9;
    std::int64_t m_cursorT = -1;
    QFont m_font;
    QBrush m_text;
    QColor m_grid = Qt::gray;
};

} // namespace interleave
