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
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
}

ChartTimeAxis::~ChartTimeAxis() = default; // the items are the chart's children

void ChartTimeAxis::setStyle(const QFont& font, const QBrush& text, const QColor& cursor)
{
    m_font = font;
    m_text = text;
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
    const double step = m_stepNs / 1e9;
    const double x0 = double(m_t0) / 1e9;
    const double x1 = double(m_t1) / 1e9;
    // A finer step over the old, wider range would lay out thousands of ticks for one frame:
    // narrow the range first when the step shrinks, widen the step first when it grows.
    if (step < m_x->tickInterval()) {
        m_x->setRange(x0, x1);
        m_x->setTickInterval(step);
    } else {
        m_x->setTickInterval(step);
        m_x->setRange(x0, x1);
    }
    relayout();
}

void ChartTimeAxis::relayout()
{
    const QRectF plot = m_chart->plotArea();
    if (plot.width() < 2 || m_chart->series().isEmpty()) {
        for (QGraphicsSimpleTextItem* l : m_labels)
            l->hide();
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
        }
        QGraphicsSimpleTextItem* label = m_labels[used];
        label->setText(TimeMapping::formatTime(std::int64_t(std::llround(t)), m_stepNs));
        // As the timeline writes them: just right of the tick, under the plot.
        label->setPos(xOf(t) + 3, plot.bottom() + 4);
        label->show();
    }
    for (std::size_t i = used; i < m_labels.size(); ++i)
        m_labels[i]->hide();
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

bool ChartTimeAxis::cursorShown() const
{
    return m_cursor->isVisible();
}

} // namespace interleave
