// ChartsPanel: keeps one line per lock, queue and GIL, decimated per pixel column.
#include "chartspanel.h"

#include "chartlinesitem.h"
#include "charttimeaxis.h"
#include "statepalette.h"
#include "timerange.h"
#include "tracestore.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGraphicsRectItem>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr double NsPerSecond = 1e9;
constexpr int FrameMs = 16;
const QMargins BaseMargins(4, 2, 12, 2);

// 1, 2, 5 x 10^n: the smallest such step that is at least value.
double niceAtLeast(double value)
{
    if (!(value > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= value * (1 - 1e-9))
            return m * magnitude;
    }
    return 10 * magnitude;
}

// Series of one kind told apart by shade, keeping the hue that means something (vermillion =
// waiting for a lock, purple = queue).
QColor shade(QColor base, int index)
{
    static const int factors[] = {100, 150, 65, 200, 50};
    const int f = factors[std::size_t(index) % std::size(factors)];
    return f >= 100 ? base.lighter(f) : base.darker(100 * 100 / f);
}

// A finer tick step over the old, wider range would lay out thousands of ticks for one frame:
// narrow the range first when zooming in, widen the step first when zooming out.
void setRangeAndStep(QValueAxis* axis, double min, double max, double step)
{
    const bool rangeChanged = axis->min() != min || axis->max() != max;
    if (step < axis->tickInterval()) {
        if (rangeChanged)
            axis->setRange(min, max);
        axis->setTickInterval(step);
    } else {
        if (step != axis->tickInterval())
            axis->setTickInterval(step);
        if (rangeChanged)
            axis->setRange(min, max);
    }
}

} // namespace

ChartsPanel::ChartsPanel(QWidget* parent)
    : QWidget(parent)
    , m_range(this, [this](TimeRange& r) { connect(&r, &TimeRange::changed, this, &ChartsPanel::refresh); })
    , m_placeholder(new QLabel(this))
    , m_timer(new QTimer(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    for (auto& part : m_parts) {
        part.chart = new QChart;
        part.chart->setAnimationOptions(QChart::NoAnimation);
        part.chart->setMargins(BaseMargins);
        part.chart->setBackgroundRoundness(0);
        part.chart->legend()->setAlignment(Qt::AlignTop); // keeps the plots equally wide
        part.x = new QValueAxis(part.chart);
        part.y = new QValueAxis(part.chart);
        part.x->setTitleText(tr("time"));
        part.y->setTickType(QValueAxis::TicksDynamic);
        part.y->setTickAnchor(0);
        part.y->setLabelFormat(u"%d"_s);
        part.x->setRange(0, 1);
        part.x->setLabelFormat(u"%.1f"_s);
        part.y->setRange(0, 1);
        part.y->setTickInterval(1);
        part.chart->addAxis(part.x, Qt::AlignBottom);
        part.chart->addAxis(part.y, Qt::AlignLeft);
        part.lines = new ChartLinesItem(part.chart, part.x, part.y); // the chart owns it
        part.view = new QChartView(part.chart, this); // the view owns the chart
        // No antialiasing: the lines are steps, horizontal and vertical, crisp without it, and an
        // antialiased 2-px line costs Qt's rasterizer about ten times as much per segment (text
        // keeps its own antialiasing).
        part.view->setRenderHint(QPainter::Antialiasing, false);
        part.time = std::make_shared<ChartTimeAxis>(part.chart, part.x);
        connect(part.chart, &QChart::plotAreaChanged, this, [time = part.time] { time->relayout(); });
        part.view->setMinimumHeight(130);
        part.view->setFrameShape(QFrame::NoFrame);
        part.view->hide();
        layout->addWidget(part.view, 1);
    }
    m_parts[LockWaiters].view->setObjectName(u"lockWaitersChart"_s);
    m_parts[QueueDepth].view->setObjectName(u"queueDepthChart"_s);
    m_parts[GilAndCores].view->setObjectName(u"gilChart"_s);
    m_parts[LockWaiters].y->setTitleText(tr("waiting"));
    m_parts[QueueDepth].y->setTitleText(tr("items"));
    m_parts[GilAndCores].y->setTitleText(tr("threads"));

    m_placeholder->setText(tr("Charts appear here when the lesson has locks, queues or a GIL."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false); // the palette's disabled text: a calm hint
    layout->addWidget(m_placeholder, 1);

    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ChartsPanel::refreshNow);
    m_range->followWholeRun(); // alone, the panel shows the whole run
    applyPalette();
    updateTitles();
}

ChartsPanel::~ChartsPanel() = default;

void ChartsPanel::setStore(const TraceStore* store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (store) {
        connect(store, &TraceStore::appended, this, &ChartsPanel::onAppended);
        connect(store, &TraceStore::cleared, this, &ChartsPanel::onCleared);
        connect(store, &TraceStore::refilled, this, &ChartsPanel::onCleared);
    }
    onCleared();
}

void ChartsPanel::setTimeRange(TimeRange* shared)
{
    if (!m_range.set(shared))
        return;
    if (m_store)
        m_range->setLiveEnd(m_store->endTime());
    refresh();
}

TimeRange* ChartsPanel::timeRange() const
{
    return &range();
}

void ChartsPanel::setTimeRange(std::int64_t t0, std::int64_t t1)
{
    // The range shown already (the timeline's viewChanged of a shared range): following stays.
    if (t0 == range().start() && t1 == range().end())
        return;
    range().setFollowLive(false);
    range().setRange(t0, t1);
    refresh();
}

void ChartsPanel::followLive()
{
    range().followWholeRun();
    refresh();
}

bool ChartsPanel::isFollowingLive() const
{
    return range().followsLive();
}

std::int64_t ChartsPanel::rangeStart() const
{
    return range().start();
}

std::int64_t ChartsPanel::rangeEnd() const
{
    return range().end();
}

void ChartsPanel::onAppended()
{
    range().setLiveEnd(m_store ? m_store->endTime() : 0);
    refresh();
}

void ChartsPanel::onCleared()
{
    m_pyramids.clear(); // they describe counters that are gone
    for (auto& part : m_parts)
        rebuildSeries(part, {});
    range().setLiveEnd(m_store ? m_store->endTime() : 0);
    refresh();
}

void ChartsPanel::refresh()
{
    if (!isVisible()) {
        // Nobody sees it: catch up once when it is shown.
        m_pendingWhileHidden = true;
        return;
    }
    if (m_timer->isActive())
        return;
    const qint64 since = m_sinceRefresh.isValid() ? m_sinceRefresh.elapsed() : FrameMs;
    m_timer->start(int(std::max<qint64>(0, FrameMs - since)));
}

void ChartsPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_pendingWhileHidden) {
        m_pendingWhileHidden = false;
        refresh();
    }
}

void ChartsPanel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    refresh(); // new plot widths: decimate again, align again
}

void ChartsPanel::alignPlots()
{
    // The charts are stacked over one time axis: pad their margins so the plot areas start and
    // end at the same x although their y labels differ in width.
    double left = 0;
    double right = 0;
    Part* bottom = nullptr;
    for (auto& part : m_parts) {
        if (part.bindings.empty())
            continue;
        const QRectF plot = part.chart->plotArea();
        if (plot.width() < 16)
            return; // not laid out yet
        left = std::max(left, plot.left() - part.chart->margins().left());
        right = std::max(right, part.chart->size().width() - plot.right() - part.chart->margins().right());
        bottom = &part;
    }
    for (auto& part : m_parts) {
        if (part.bindings.empty())
            continue;
        const QRectF plot = part.chart->plotArea();
        const QMargins m = part.chart->margins();
        int wantLeft = BaseMargins.left() + int(std::lround(left - (plot.left() - m.left())));
        int wantRight =
            BaseMargins.right() + int(std::lround(right - (part.chart->size().width() - plot.right() - m.right())));
        if (m_columnWidth > 0) {
            // Under the timeline's lanes, pixel for pixel (as far as the y labels leave room).
            const double x0 = part.view->x();
            wantLeft = std::max(0, m.left() + int(std::lround(m_columnLeft - x0 - plot.left())));
            wantRight = std::max(0, m.right() + int(std::lround(plot.right() - (m_columnLeft + m_columnWidth - x0))));
        }
        if (m.left() != wantLeft || m.right() != wantRight)
            part.chart->setMargins(QMargins(wantLeft, m.top(), wantRight, m.bottom()));
        // One "time" under the lowest chart is enough (the labels carry their units).
        const QString title = &part == bottom ? tr("time") : QString();
        if (part.x->titleText() != title)
            part.x->setTitleText(title);
    }
}

void ChartsPanel::setPlotColumn(int left, int width)
{
    if (left == m_columnLeft && width == m_columnWidth)
        return;
    m_columnLeft = left;
    m_columnWidth = width;
    refresh(); // decimated to the new width, aligned to it
}

void ChartsPanel::setCursorTime(std::int64_t t)
{
    for (auto& part : m_parts)
        part.time->setCursor(part.bindings.empty() ? -1 : t);
}

bool ChartsPanel::hasCharts() const
{
    for (const auto& part : m_parts)
        if (!part.bindings.empty())
            return true;
    return false;
}

QStringList ChartsPanel::timeLabels(Chart chart) const
{
    return m_parts[std::size_t(chart)].time->labels();
}

QList<double> ChartsPanel::timeGridXs(Chart chart) const
{
    return m_parts[std::size_t(chart)].time->gridLineXs();
}

bool ChartsPanel::cursorShown(Chart chart) const
{
    return m_parts[std::size_t(chart)].time->cursorShown();
}

void ChartsPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange)
        applyPalette();
}

// Which series each chart should have now; rebuilt only when that changes (objects appear).
void ChartsPanel::syncSeries()
{
    std::array<std::vector<Binding>, ChartCount> wanted;
    if (m_store) {
        bool anyGil = false;
        for (std::size_t i = 0; i < m_store->objectCount(); ++i) {
            const ObjectData& o = m_store->object(i);
            if (o.id == 0)
                continue;
            switch (o.kind) {
            case ObjectKind::Lock:
                wanted[LockWaiters].push_back({Role::Counter, o.id, nullptr});
                break;
            case ObjectKind::Queue:
                wanted[QueueDepth].push_back({Role::Counter, o.id, nullptr});
                if (o.capacity > 0)
                    wanted[QueueDepth].push_back({Role::Capacity, o.id, nullptr});
                break;
            case ObjectKind::Gil:
                wanted[GilAndCores].push_back({Role::GilHeld, o.id, nullptr});
                anyGil = true;
                break;
            case ObjectKind::Counter:
                // A counting object (a pool's pending tasks) is a depth too; the race's counter
                // records markers, not samples, and so stays out.
                if (!o.counter.empty())
                    wanted[QueueDepth].push_back({Role::Counter, o.id, nullptr});
                break;
            }
        }
        if (anyGil)
            wanted[GilAndCores].push_back({Role::Running, 0, nullptr});
    }
    bool changed = false;
    for (int c = 0; c < ChartCount; ++c) {
        Part& part = m_parts[std::size_t(c)];
        auto& want = wanted[std::size_t(c)];
        const std::size_t folded = want.size() > MaxSeriesPerChart ? want.size() - MaxSeriesPerChart : 0;
        if (folded > 0)
            want.resize(MaxSeriesPerChart);
        if (folded != part.folded) {
            part.folded = folded;
            changed = true;
        }
        const auto same = [](const Binding& a, const Binding& b) { return a.role == b.role && a.object == b.object; };
        if (!std::equal(part.bindings.begin(), part.bindings.end(), wanted[std::size_t(c)].begin(),
                        wanted[std::size_t(c)].end(), same)) {
            rebuildSeries(part, wanted[std::size_t(c)]);
            styleSeries(Chart(c));
            changed = true;
        }
    }
    if (changed)
        updateTitles();
}

void ChartsPanel::drawPausedBands(std::int64_t t0, std::int64_t t1)
{
    // While the run was paused the counters hold their last value (a lock's queue is still there),
    // but nothing happened: a grey band says so, as the lanes' Paused does.
    const std::vector<std::int64_t> none;
    const std::vector<std::int64_t>& edges = m_store ? m_store->pauseEdges() : none;
    const std::int64_t end = m_store ? m_store->endTime() : 0;
    for (Part& part : m_parts) {
        std::size_t used = 0;
        const QRectF plot = part.chart->plotArea();
        if (!part.bindings.empty() && t1 > t0 && plot.width() > 0) {
            for (std::size_t i = 0; i < edges.size(); i += 2) {
                const std::int64_t p0 = std::max(edges[i], t0);
                const std::int64_t p1 = std::min(i + 1 < edges.size() ? edges[i + 1] : end, t1);
                if (p1 <= p0)
                    continue;
                if (used == part.pausedBands.size()) {
                    auto* band = new QGraphicsRectItem(part.chart);
                    band->setPen(Qt::NoPen);
                    band->setZValue(10);
                    band->setToolTip(tr("Paused: the run was held here"));
                    part.pausedBands.push_back(band);
                }
                QGraphicsRectItem* band = part.pausedBands[used++];
                QColor grey = StatePalette::state(ThreadState::Paused);
                grey.setAlpha(110);
                band->setBrush(grey);
                const double x0 = plot.left() + plot.width() * double(p0 - t0) / double(t1 - t0);
                const double x1 = plot.left() + plot.width() * double(p1 - t0) / double(t1 - t0);
                band->setRect(QRectF(x0, plot.top(), std::max(1.0, x1 - x0), plot.height()));
                band->show();
            }
        }
        for (std::size_t i = used; i < part.pausedBands.size(); ++i)
            part.pausedBands[i]->hide();
    }
}

std::vector<std::pair<double, double>> ChartsPanel::pausedBands(Chart chart) const
{
    std::vector<std::pair<double, double>> out;
    for (const QGraphicsRectItem* band : m_parts[std::size_t(chart)].pausedBands) {
        if (band->isVisible())
            out.emplace_back(band->rect().left(), band->rect().right());
    }
    return out;
}

std::size_t ChartsPanel::foldedSeries() const
{
    std::size_t folded = 0;
    for (const Part& part : m_parts)
        folded += part.folded;
    return folded;
}

void ChartsPanel::rebuildSeries(Part& part, const std::vector<Binding>& wanted)
{
    for (Binding& b : part.bindings) {
        part.chart->removeSeries(b.series);
        delete b.series;
    }
    part.bindings.clear();
    for (Binding b : wanted) {
        b.series = new QLineSeries(part.chart);
        part.chart->addSeries(b.series);
        b.series->attachAxis(part.x);
        b.series->attachAxis(part.y);
        part.bindings.push_back(b);
    }
    part.lines->setLineCount(0); // the old lines belong to other objects
    part.lines->setLineCount(int(part.bindings.size()));
    const bool show = !part.bindings.empty();
    if (part.view->isHidden() == show) {
        part.view->setVisible(show);
        bool any = false;
        for (const auto& p : m_parts)
            any = any || !p.bindings.empty();
        m_placeholder->setVisible(!any);
        Q_EMIT chartsShownChanged(any);
    }
}

void ChartsPanel::updateTitles()
{
    const auto objectName = [this](std::uint32_t id) {
        const ObjectData* o = m_store ? m_store->objectById(id) : nullptr;
        return o ? o->name : QString();
    };
    const auto countRole = [](const Part& part, Role role) {
        return std::count_if(part.bindings.begin(), part.bindings.end(),
                             [role](const Binding& b) { return b.role == role; });
    };
    // Names: in the legend when there are several series, in the title when there is one lock.
    Part& locks = m_parts[LockWaiters];
    for (Binding& b : locks.bindings)
        b.series->setName(objectName(b.object));
    locks.chart->setTitle(locks.bindings.size() == 1 ? tr("Threads waiting for %1").arg(objectName(locks.bindings[0].object))
                                                     : tr("Threads waiting for each lock"));
    locks.chart->legend()->setVisible(locks.bindings.size() > 1);

    Part& queues = m_parts[QueueDepth];
    const bool oneQueue = countRole(queues, Role::Counter) == 1;
    for (Binding& b : queues.bindings) {
        if (b.role == Role::Counter)
            b.series->setName(oneQueue ? tr("depth") : objectName(b.object));
        else
            b.series->setName(oneQueue ? tr("capacity") : tr("%1 capacity").arg(objectName(b.object)));
    }
    // Counters that are not queues (an imported trace's, a pool's pending tasks) are not "items in".
    const bool anyQueue = std::any_of(queues.bindings.begin(), queues.bindings.end(), [this](const Binding& b) {
        const ObjectData* o = m_store ? m_store->objectById(b.object) : nullptr;
        return o && o->kind == ObjectKind::Queue;
    });
    if (anyQueue) {
        queues.chart->setTitle(oneQueue ? tr("Items in %1").arg(objectName(queues.bindings[0].object))
                                        : tr("Items in each queue"));
        queues.y->setTitleText(tr("items"));
    } else {
        for (Binding& b : queues.bindings)
            b.series->setName(objectName(b.object));
        queues.chart->setTitle(oneQueue ? objectName(queues.bindings[0].object) : tr("Counters"));
        queues.y->setTitleText(tr("value"));
    }
    queues.chart->legend()->setVisible(queues.bindings.size() > 1);

    Part& gil = m_parts[GilAndCores];
    const bool oneGil = countRole(gil, Role::GilHeld) == 1;
    for (Binding& b : gil.bindings) {
        if (b.role == Role::GilHeld)
            b.series->setName(oneGil ? tr("GIL held") : tr("%1 held").arg(objectName(b.object)));
        else
            b.series->setName(tr("threads running"));
    }
    gil.chart->setTitle(tr("GIL held, and threads running on a core"));
    gil.chart->legend()->setVisible(gil.bindings.size() > 1);
    for (Part& part : m_parts) {
        // Each line says what it is where it ends, when a chart has more than one.
        for (std::size_t i = 0; i < part.bindings.size(); ++i)
            part.lines->setLabel(int(i), part.bindings.size() > 1 ? part.bindings[i].series->name() : QString());
        if (part.folded > 0) {
            part.chart->setTitle(tr("%1 (the first %2 series; %3 more are not drawn, see Statistics)")
                                     .arg(part.chart->title())
                                     .arg(part.bindings.size())
                                     .arg(part.folded));
        }
    }
}

void ChartsPanel::styleSeries(Chart c)
{
    Part& part = m_parts[std::size_t(c)];
    int counters = 0;
    int capacities = 0;
    int gils = 0;
    for (std::size_t i = 0; i < part.bindings.size(); ++i) {
        Binding& b = part.bindings[i];
        QPen pen;
        pen.setWidthF(2.0);
        pen.setCapStyle(Qt::FlatCap);
        switch (b.role) {
        case Role::Counter:
            pen.setColor(shade(StatePalette::state(c == LockWaiters ? ThreadState::WaitingLock
                                                                    : ThreadState::BlockedQueue),
                               counters++));
            break;
        case Role::Capacity: {
            // Neutral, so the legend tells it from the depth; dashed, so it reads as a limit.
            QColor limit = palette().color(QPalette::WindowText);
            limit.setAlphaF(0.65f);
            pen.setColor(capacities++ == 0 ? limit : shade(StatePalette::state(ThreadState::BlockedQueue), capacities));
            pen.setStyle(Qt::DashLine);
            pen.setWidthF(1.5);
            break;
        }
        case Role::GilHeld:
            pen.setColor(shade(StatePalette::state(ThreadState::WaitingGil), gils++));
            pen.setWidthF(2.5);
            break;
        case Role::Running:
            pen.setColor(StatePalette::state(ThreadState::Running));
            break;
        }
        pen.setWidthF(pen.widthF() * m_lineScale);
        // Lines of one kind in one chart differ in dash as well as shade (told apart in grey too).
        static const std::vector<double> dashes[] = {{}, {4, 2}, {1, 2}, {4, 2, 1, 2}, {8, 3}};
        const int sameKind = b.role == Role::Counter ? counters - 1 : b.role == Role::GilHeld ? gils - 1 : 0;
        const std::vector<double>& dash = dashes[std::size_t(std::max(0, sameKind)) % std::size(dashes)];
        if (!dash.empty()) {
            QVector<qreal> pattern(dash.begin(), dash.end());
            pen.setDashPattern(pattern); // the legend's marker shows the dash
        }
        b.series->setPen(pen); // for the legend's marker
        QPen drawn = pen;
        drawn.setStyle(b.role == Role::Capacity ? Qt::DashLine : Qt::SolidLine); // dashes cut by the item
        part.lines->setPen(int(i), drawn);
        part.lines->setDashes(int(i), b.role == Role::Capacity ? std::vector<double>{} : dash);
    }
}

const TraceStore* ChartsPanel::store() const
{
    return m_store;
}

void ChartsPanel::setLineWidthScale(double scale)
{
    m_lineScale = std::clamp(scale, 0.25, 8.0);
    for (int c = 0; c < ChartCount; ++c)
        styleSeries(Chart(c));
}

void ChartsPanel::applyPalette()
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    QFont titleFont = font();
    titleFont.setBold(true);
    for (int c = 0; c < ChartCount; ++c) {
        Part& part = m_parts[std::size_t(c)];
        if (!m_themed || dark != m_dark)
            part.chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        // The theme's own backgrounds would frame each chart: blend into the window instead.
        part.chart->setBackgroundBrush(pal.window());
        part.chart->setBackgroundPen(Qt::NoPen);
        part.chart->setPlotAreaBackgroundVisible(false);
        part.view->setBackgroundBrush(pal.window());
        part.chart->setTitleBrush(pal.windowText());
        part.chart->setTitleFont(titleFont);
        part.chart->legend()->setLabelColor(pal.color(QPalette::WindowText));
        part.chart->legend()->setFont(font());
        const QColor grid = pal.color(QPalette::Mid);
        for (QValueAxis* axis : {part.x, part.y}) {
            axis->setLabelsBrush(pal.windowText());
            axis->setLabelsFont(font());
            axis->setTitleBrush(pal.windowText());
            axis->setTitleFont(font());
            axis->setGridLineColor(grid);
            axis->setLinePenColor(grid);
            axis->setMinorGridLineVisible(false);
        }
        part.time->setStyle(font(), pal.windowText(), pal.color(QPalette::WindowText), grid);
        part.lines->setLabelFont(font());
        styleSeries(Chart(c)); // setTheme resets series colours
    }
    m_dark = dark;
    m_themed = true;
}

int ChartsPanel::columnsFor(const Part& part) const
{
    const int w = int(part.chart->plotArea().width());
    // Before the first layout the plot area is empty: estimate from the view.
    return w >= 16 ? w : std::max(64, part.view->width() - 80);
}

int ChartsPanel::plotWidth(Chart chart) const
{
    return columnsFor(m_parts[std::size_t(chart)]);
}

const CounterPyramid& ChartsPanel::pyramid(Role role, const ObjectData& object)
{
    auto it = m_pyramids.find({role, object.id});
    if (it == m_pyramids.end()) {
        // The GIL counter holds the holder's lane (or -1): held is "any lane".
        const CounterPyramid::Transform held = [](double holder) { return holder >= 0 ? 1.0 : 0.0; };
        const CounterPyramid::Transform transform = role == Role::GilHeld ? held : nullptr;
        it = m_pyramids.emplace(std::pair{role, object.id}, CounterPyramid(transform)).first;
    }
    it->second.update(object.counter, object.agedSamples); // what arrived since the last refresh
    return it->second;
}

QList<QPointF> ChartsPanel::runningPoints(std::int64_t t0, std::int64_t t1, int columns) const
{
    // Sample "how many lanes are Running" on a grid of round times (multiples of a 1-2-5 step),
    // so the samples stay put while the live view grows: no flicker. Work: lanes x columns.
    const double step = niceAtLeast(double(t1 - t0) / std::max(columns, 1));
    const auto q = std::max<std::int64_t>(1, std::int64_t(step));
    const std::int64_t kFirst = (t0 + q - 1) / q;
    const std::int64_t kLast = t1 / q;
    QList<QPointF> out;
    if (kLast < kFirst)
        return out;
    std::vector<int> counts(std::size_t(kLast - kFirst + 1), 0);
    for (std::size_t lane = 0; lane < m_store->laneCount(); ++lane) {
        const LaneData& l = m_store->lane(lane);
        if (!l.begun || l.id != lane)
            continue;
        const auto [first, last] = m_store->intervalRange(lane, t0, t1 + 1);
        const auto& iv = l.intervals;
        std::size_t k = first;
        for (std::size_t s = 0; s < counts.size(); ++s) {
            const std::int64_t t = (kFirst + std::int64_t(s)) * q;
            if (t < l.begin || (l.ended && t >= l.end))
                continue;
            if (!l.ended && t >= l.currentStart) {
                counts[s] += l.current == ThreadState::Running ? 1 : 0;
                continue;
            }
            if (k < last && iv[k].end <= t) {
                // Gallop: the answer is usually a few intervals ahead, so the cost is the log of
                // the intervals skipped, not of all that are left.
                std::size_t step = 1;
                std::size_t lo = k + 1;
                while (lo + step < last && iv[lo + step - 1].end <= t) {
                    lo += step;
                    step *= 2;
                }
                const std::size_t hi = std::min(last, lo + step);
                k = std::size_t(std::lower_bound(iv.begin() + std::ptrdiff_t(lo), iv.begin() + std::ptrdiff_t(hi), t,
                                                 [](const StateInterval& i, std::int64_t x) { return i.end <= x; })
                                - iv.begin());
            }
            if (k < last && iv[k].start <= t && iv[k].state == ThreadState::Running)
                counts[s] += 1;
        }
    }
    // A step polyline through the samples, each holding until the next.
    out.reserve(qsizetype(2 * counts.size() + 2));
    const auto x = [q, kFirst](std::size_t s) { return double((kFirst + std::int64_t(s)) * q) / NsPerSecond; };
    out.append(QPointF(x(0), counts[0]));
    for (std::size_t s = 1; s < counts.size(); ++s) {
        if (counts[s] == counts[s - 1])
            continue;
        out.append(QPointF(x(s), counts[s - 1]));
        out.append(QPointF(x(s), counts[s]));
    }
    out.append(QPointF(double(t1) / NsPerSecond, counts.back()));
    return out;
}

void ChartsPanel::setAxes(Part& part, std::int64_t t0, std::int64_t t1, double maxY)
{
    // Ticks and labels as the timeline's: the same step for the same nanoseconds per pixel.
    part.time->setRange(t0, t1, columnsFor(part));

    // Whole numbers only (threads, items); a little room so a line at the top is not clipped.
    const double top = std::max(1.0, std::ceil(maxY));
    const double yStep = std::max(1.0, niceAtLeast(top / 5));
    const double pad = top * 0.06;
    setRangeAndStep(part.y, -pad, top + pad, yStep);
}

QList<QPointF> ChartsPanel::pointsFor(const Binding& b, std::int64_t t0, std::int64_t t1, std::int64_t dataEnd,
                                      int columns, int samples)
{
    const ObjectData* o = m_store ? m_store->objectById(b.object) : nullptr;
    switch (b.role) {
    case Role::Counter:
    case Role::GilHeld:
        if (o)
            return pyramid(b.role, *o).decimate(o->counter, t0, dataEnd, columns, NsPerSecond);
        break;
    case Role::Capacity:
        if (o)
            return {QPointF(double(t0) / NsPerSecond, double(o->capacity)),
                    QPointF(double(t1) / NsPerSecond, double(o->capacity))};
        break;
    case Role::Running:
        if (m_store)
            return runningPoints(t0, dataEnd, samples);
        break;
    }
    return {};
}

void ChartsPanel::refreshNow()
{
    m_timer->stop();
    m_pendingWhileHidden = false;
    QElapsedTimer timer;
    timer.start();

    syncSeries();
    const std::int64_t t0 = range().start();
    const std::int64_t t1 = range().end();
    // Nothing is known past the live edge: the lines stop there, even when the axis goes on.
    const std::int64_t dataEnd = m_store ? std::clamp(m_store->endTime(), t0, t1) : t1;
    int replaced = 0;
    for (auto& part : m_parts) {
        if (part.bindings.empty())
            continue;
        // A column as wide as the pen (2 px; 1 px for pens thinner than that): its minimum and
        // maximum are all a line that wide can show. Decimation adds a point at each end of the
        // range to its two per column: a series stays within the plot's width in points.
        const int pixelsPerColumn = m_lineScale >= 1 ? 2 : 1;
        const int columns = std::max(1, (columnsFor(part) - 2) / pixelsPerColumn);
        // "Threads running" is sampled, not an envelope: one sample per pixel, as before.
        const int samples = std::max(1, columnsFor(part) - 1);
        double maxY = 0;
        std::vector<QList<QPointF>> points;
        points.reserve(part.bindings.size());
        for (const Binding& b : part.bindings) {
            points.push_back(pointsFor(b, t0, t1, dataEnd, columns, samples));
            for (const QPointF& p : std::as_const(points.back()))
                maxY = std::max(maxY, p.y());
        }
        // The lines map their points at paint time, so the axes may move before or after them;
        // a line whose points stayed (a paused run, a counter that did not move) is left alone.
        setAxes(part, t0, t1, maxY);
        for (std::size_t i = 0; i < points.size(); ++i)
            replaced += part.lines->setPoints(int(i), std::move(points[i])) ? 1 : 0;
    }

    alignPlots();
    drawPausedBands(t0, t1);
    m_sinceRefresh.start();
    m_lastRefreshMs = double(timer.nsecsElapsed()) / 1e6;
    m_lastReplaced = replaced;
    Q_EMIT refreshed();
}

bool ChartsPanel::isChartShown(Chart chart) const
{
    return !m_parts[std::size_t(chart)].view->isHidden();
}

int ChartsPanel::seriesCount(Chart chart) const
{
    return int(m_parts[std::size_t(chart)].bindings.size());
}

QString ChartsPanel::seriesName(Chart chart, int series) const
{
    const auto& b = m_parts[std::size_t(chart)].bindings;
    return series >= 0 && std::size_t(series) < b.size() ? b[std::size_t(series)].series->name() : QString();
}

int ChartsPanel::pointsInSeries(Chart chart, int series) const
{
    const auto& b = m_parts[std::size_t(chart)].bindings;
    return series >= 0 && std::size_t(series) < b.size() ? int(m_parts[std::size_t(chart)].lines->points(series).size())
                                                         : -1;
}

QList<QPointF> ChartsPanel::seriesPoints(Chart chart, int series) const
{
    const Part& part = m_parts[std::size_t(chart)];
    return series >= 0 && std::size_t(series) < part.bindings.size() ? part.lines->points(series) : QList<QPointF>();
}

QChart* ChartsPanel::chart(Chart chart) const
{
    return m_parts[std::size_t(chart)].chart;
}

} // namespace interleave
