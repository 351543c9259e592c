// ChartLinesItem: a chart's lines as plain polylines, mapped through its axes at paint time.
#include "chartlinesitem.h"

#include <QChart>
#include <QFontMetricsF>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <utility>

namespace interleave {

namespace {

// The "on" stretches of a dash pattern (lengths in pixels) along a polyline, as segments; the
// pattern runs on across the points.
void dashedSegments(const QPolygonF& line, const std::vector<double>& pattern, std::vector<QLineF>& out)
{
    out.clear();
    std::size_t k = 0;
    double left = pattern[0]; // of the current dash or gap
    for (qsizetype i = 1; i < line.size(); ++i) {
        QPointF a = line[i - 1];
        const QPointF b = line[i];
        double length = QLineF(a, b).length();
        while (length > 0) {
            const double step = std::min(left, length);
            const QPointF c = a + (b - a) * (step / length);
            if (k % 2 == 0)
                out.emplace_back(a, c);
            a = c;
            length -= step;
            left -= step;
            if (left <= 1e-9) {
                k = (k + 1) % pattern.size();
                left = pattern[k];
            }
        }
    }
}

// Qt Charts' own stacking (Qt 6.4): background -1, grid 2, axes 3, series 4, legend 5. The lines
// take the series' place.
constexpr double SeriesZ = 4;

} // namespace

ChartLinesItem::ChartLinesItem(QChart* chart, QValueAxis* x, QValueAxis* y)
    : QGraphicsObject(chart)
    , m_chart(chart)
    , m_x(x)
    , m_y(y)
{
    setZValue(SeriesZ);
    setAcceptedMouseButtons(Qt::NoButton); // the chart's own items keep the mouse
    m_bounds = chart->plotArea();
    connect(chart, &QChart::plotAreaChanged, this, &ChartLinesItem::plotAreaChanged);
    // A range moved without new points (a paused run's axis, the y axis alone) still moves the lines.
    for (QValueAxis* axis : {x, y})
        connect(axis, &QValueAxis::rangeChanged, this, [this] { update(); });
}

ChartLinesItem::~ChartLinesItem() = default;

void ChartLinesItem::setLineCount(int count)
{
    m_lines.resize(std::size_t(std::max(0, count)));
    update();
}

void ChartLinesItem::setPen(int line, const QPen& pen)
{
    Line& l = m_lines.at(std::size_t(line));
    if (l.pen == pen)
        return;
    l.pen = pen;
    update();
}

void ChartLinesItem::setDashes(int line, const std::vector<double>& pattern)
{
    Line& l = m_lines.at(std::size_t(line));
    if (l.dashes == pattern)
        return;
    l.dashes = pattern;
    update();
}

void ChartLinesItem::setLabel(int line, const QString& label)
{
    Line& l = m_lines.at(std::size_t(line));
    if (l.label == label)
        return;
    l.label = label;
    update();
}

QPen ChartLinesItem::pen(int line) const
{
    return m_lines.at(std::size_t(line)).pen;
}

bool ChartLinesItem::setPoints(int line, QList<QPointF> points)
{
    Line& l = m_lines.at(std::size_t(line));
    if (l.points == points)
        return false;
    l.points = std::move(points);
    update();
    return true;
}

QList<QPointF> ChartLinesItem::points(int line) const
{
    return m_lines.at(std::size_t(line)).points;
}

void ChartLinesItem::map(const QList<QPointF>& points, QPolygonF& out) const
{
    // The same arithmetic as Qt Charts' linear domain, so the lines meet its ticks and grid: an
    // offset into the plot area, scaled per axis, y growing upwards from the bottom edge.
    const QRectF plot = m_chart->plotArea();
    const double minX = m_x->min();
    const double minY = m_y->min();
    const double dx = m_x->max() > minX ? plot.width() / (m_x->max() - minX) : 0;
    const double dy = m_y->max() > minY ? plot.height() / (m_y->max() - minY) : 0;
    out.resize(points.size());
    QPointF* o = out.data();
    for (const QPointF& p : points)
        *o++ = QPointF(plot.left() + (p.x() - minX) * dx, plot.top() + plot.height() - (p.y() - minY) * dy);
}

QPolygonF ChartLinesItem::polyline(int line) const
{
    QPolygonF out;
    map(m_lines.at(std::size_t(line)).points, out);
    return out;
}

void ChartLinesItem::plotAreaChanged()
{
    prepareGeometryChange();
    m_bounds = m_chart->plotArea();
    update();
}

QRectF ChartLinesItem::boundingRect() const
{
    return m_bounds; // paint() clips to the plot area: nothing is drawn outside it
}

void ChartLinesItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QRectF plot = m_chart->plotArea();
    if (plot.isEmpty())
        return;
    painter->save();
    // As Qt Charts does for its series: a line at the edge of a range is cut where the plot ends.
    painter->setClipRect(plot);
    for (const Line& l : m_lines) {
        if (l.points.size() < 2)
            continue;
        map(l.points, m_scratch);
        painter->setPen(l.pen);
        if (!l.dashes.empty() && l.pen.style() == Qt::SolidLine) {
            std::vector<double> pixels;
            for (double d : l.dashes)
                pixels.push_back(std::max(1.0, d * std::max(1.0, l.pen.widthF())));
            dashedSegments(m_scratch, pixels, m_segments);
            painter->drawLines(m_segments.data(), int(m_segments.size()));
            continue;
        }
        if (l.pen.style() != Qt::SolidLine) {
            painter->drawPolyline(m_scratch); // the dash pattern runs on across the points
            continue;
        }
        // A segment at a time, as Qt Charts draws a solid line: Qt's raster engine fills a wide
        // solid segment as one quad, while a whole polyline goes through its path stroker (a
        // min/max line doubles back on itself in every column: the benchmark's panel, four lines
        // of 1,800 points, took 0.7 s to paint that way).
        m_segments.resize(m_scratch.size() - 1);
        for (qsizetype i = 1; i < m_scratch.size(); ++i)
            m_segments[std::size_t(i - 1)] = QLineF(m_scratch[i - 1], m_scratch[i]);
        painter->drawLines(m_segments.data(), int(m_segments.size()));
    }
    paintLabels(painter);
    painter->restore();
}

void ChartLinesItem::paintLabels(QPainter* painter)
{
    // Right-aligned at the line's last point, just above it; labels that would overlap are
    // moved up one above the other.
    const QRectF plot = m_chart->plotArea();
    const QFontMetricsF fm(m_labelFont);
    struct Placed
    {
        QRectF box;
        const Line* line;
    };
    std::vector<Placed> placed;
    for (const Line& l : m_lines) {
        if (l.label.isEmpty() || l.points.isEmpty())
            continue;
        map(QList<QPointF>{l.points.back()}, m_scratch);
        const QPointF end = m_scratch.front();
        const double w = fm.horizontalAdvance(l.label);
        QRectF box(std::clamp(end.x() - w - 4, plot.left() + 2, plot.right() - w - 2), end.y() - fm.height() - 2, w,
                   fm.height());
        box.moveTop(std::clamp(box.top(), plot.top(), plot.bottom() - fm.height()));
        // Up past the labels already placed; where the plot's top stops that, down instead.
        const QRectF start = box;
        bool up = true;
        for (bool moved = true; moved;) {
            moved = false;
            for (const Placed& p : placed) {
                if (p.box.intersects(box)) {
                    if (up)
                        box.moveBottom(p.box.top() - 1);
                    else
                        box.moveTop(p.box.bottom() + 1);
                    moved = true;
                }
            }
            if (up && box.top() < plot.top()) {
                up = false;
                box = start;
                moved = true;
            } else if (!up && box.bottom() > plot.bottom()) {
                break; // no room: it overlaps
            }
        }
        placed.push_back({box, &l});
    }
    painter->setFont(m_labelFont);
    for (const Placed& p : placed) {
        painter->setPen(p.line->pen.color());
        painter->drawText(p.box, Qt::AlignLeft | Qt::AlignVCenter, p.line->label);
    }
}

} // namespace interleave
