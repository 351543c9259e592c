// ChartTimeAxis: tick step and labels from TimeMapping, placed through the chart's own mapping.
#include "charttimeaxis.h"

#include "timeaxispainter.h"
#include "timemapping.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace interleave {

ChartTimeAxis::ChartTimeAxis(QChart* chart, QValueAxis* x)
    : m_chart(chart)
    , m_x(x)
    , m_cursor(new QGraphicsLineItem(chart))
{
    m_cursor->setZValue(1000); // over the lines
    m_cursor->hide();
    // Qt's axis only maps (the lines read its range) and keeps the room for labels under the plot:
    // two fixed ticks, no grid. With its ticks at our step, every range change of a live run had
    // it lay out two dozen labels and grid lines per chart (0.6-0.8 ms each, three charts, of a
    // 3.5-4.9 ms refresh; 0.12-0.16 ms with two ticks). Our ticks draw their own grid lines.
    m_x->setTickType(QValueAxis::TicksFixed);
    m_x->setTickCount(2);
    m_x->setGridLineVisible(false);
}

ChartTimeAxis::~ChartTimeAxis() = default; // the items are the chart's children

void ChartTimeAxis::setStyle(const QFont& font, const QBrush& text, const QColor& cursor, const QColor& grid)
{
    m_font = font;
    m_text = text;
    m_grid = grid;
    for (QGraphicsLineItem* g : m_gridLines)
        g->setPen(QPen(grid, 1));
    m_x->setLabelsFont(font);
    m_x->setLabelsBrush(Qt::transparent); // keeps the room under the plot; ours are drawn there
    m_cursor->setPen(QPen(cursor, 1, Qt::DashLine));
    for (QGraphicsSimpleTextItem* l : m_labels) {
        l->setFont(font);
        l->setBrush(text);
    }
}

void ChartTimeAxis::setRange(std::int64_t t0, std::int64_t t1, double plotWidth)
{
    m_t0 = t0;
    m_t1 = std::max(t1, t0 + 1);
    const double nsPerPixel = double(m_t1 - m_t0) / std::max(1.0, plotWidth);
    m_stepNs = TimeMapping::tickStepNs(nsPerPixel, TimeAxisPainter::MinTickPixels);
    m_x->setRange(double(m_t0) / 1e9, double(m_t1) / 1e9);
    relayout();
}

void ChartTimeAxis::relayout()
{
    const QRectF plot = m_chart->plotArea();
    if (plot.width() < 2 || m_chart->series().isEmpty()) {
        for (QGraphicsSimpleTextItem* l : m_labels)
            l->hide();
        for (QGraphicsLineItem* g : m_gridLines)
            g->hide();
        m_cursor->hide();
        return;
    }
    const auto xOf = [&](double ns) { return plot.left() + (ns - double(m_t0)) / double(m_t1 - m_t0) * plot.width(); };
    std::size_t used = 0;
    const double first = std::ceil(double(m_t0) / m_stepNs) * m_stepNs;
    for (double t = first; t <= double(m_t1) && used < 200; t += m_stepNs, ++used) {
        if (used == m_labels.size()) {
            auto* label = new QGraphicsSimpleTextItem(m_chart);
            label->setFont(m_font);
            label->setBrush(m_text);
            label->setZValue(1000);
            m_labels.push_back(label);
            auto* line = new QGraphicsLineItem(m_chart);
            line->setPen(QPen(m_grid, 1));
            line->setZValue(GridZ);
            m_gridLines.push_back(line);
        }
        QGraphicsSimpleTextItem* label = m_labels[used];
        label->setText(TimeMapping::formatTime(std::int64_t(std::llround(t)), m_stepNs));
        // As the timeline writes them: just right of the tick, under the plot.
        const double x = xOf(t);
        label->setPos(x + 3, plot.bottom() + 4);
        label->show();
        // The grid line across the plot and the tick mark under it, in one.
        m_gridLines[used]->setLine(x, plot.top(), x, plot.bottom() + TickLength);
        m_gridLines[used]->show();
    }
    for (std::size_t i = used; i < m_labels.size(); ++i) {
        m_labels[i]->hide();
        m_gridLines[i]->hide();
    }
    setCursor(m_cursorT);
}

void ChartTimeAxis::setCursor(std::int64_t t)
{
    m_cursorT = t;
    const QRectF plot = m_chart->plotArea();
    if (t < m_t0 || t > m_t1 || plot.width() < 2 || m_chart->series().isEmpty()) {
        m_cursor->hide();
        return;
    }
    const double x = plot.left() + double(t - m_t0) / double(m_t1 - m_t0) * plot.width();
    m_cursor->setLine(x, plot.top(), x, plot.bottom());
    m_cursor->show();
}

QStringList ChartTimeAxis::labels() const
{
    QStringList out;
    for (const QGraphicsSimpleTextItem* l : m_labels)
        if (l->isVisible())
            out << l->text();
    return out;
}

QList<double> ChartTimeAxis::gridLineXs() const
{
    QList<double> out;
    for (const QGraphicsLineItem* g : m_gridLines)
        if (g->isVisible())
            out << g->line().x1();
    return out;
}

bool ChartTimeAxis::cursorShown() const
{
    return m_cursor->isVisible();
}

} // namespace interleave
