// TimelineView painting and interaction. Work per frame is bounded by lanes x width: runs of
// intervals narrower than a pixel fold into one cell (the state at the cell's middle), the next
// cell is found by binary search, and neighbouring cells of one colour merge into one fillRect.
#include "timelineview.h"

#include "statepalette.h"
#include "tracestore.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// Collects horizontal runs of one colour and fills each with a single fillRect.
class RunPainter
{
public:
    RunPainter(QPainter& p, int y, int h, int& fills)
        : m_p(p)
        , m_y(y)
        , m_h(h)
        , m_fills(fills)
    {
    }
    ~RunPainter() { flush(); }

    void add(double x0, double x1, const QColor& c)
    {
        if (m_open && c == m_colour && x0 <= m_x1 + 0.5) {
            m_x1 = std::max(m_x1, x1);
            return;
        }
        flush();
        m_open = true;
        m_x0 = x0;
        m_x1 = x1;
        m_colour = c;
    }

    void flush()
    {
        if (!m_open)
            return;
        const int a = int(std::floor(m_x0));
        const int b = std::max(a + 1, int(std::ceil(m_x1)));
        m_p.fillRect(a, m_y, b - a, m_h, m_colour);
        ++m_fills;
        m_open = false;
    }

private:
    QPainter& m_p;
    const int m_y;
    const int m_h;
    int& m_fills;
    bool m_open = false;
    double m_x0 = 0;
    double m_x1 = 0;
    QColor m_colour;
};

bool isDrawnMarker(EventKind k)
{
    switch (k) {
    case EventKind::LostUpdate:
    case EventKind::Marker:
    case EventKind::Print:
    case EventKind::QueuePut:
    case EventKind::QueueGet:
    case EventKind::RaceRead:
    case EventKind::RaceWrite:
        return true;
    default:
        return false;
    }
}

// Which marker wins a pixel column: the rarer and more meaningful, the higher.
int markerPriority(const Marker& m)
{
    switch (m.kind) {
    case EventKind::Marker:
        if (m.aux == std::uint32_t(MarkerType::Deadlock))
            return 7;
        return m.aux == std::uint32_t(MarkerType::TaskStart) ? 5 : 3; // a task's label beats its predecessor's end
    case EventKind::LostUpdate: return 6;
    case EventKind::Print: return 4;
    case EventKind::QueuePut:
    case EventKind::QueueGet: return 2;
    default: return 1;
    }
}

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
    , m_vscroll(new QScrollBar(Qt::Vertical, this))
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAccessibleName(u"Timeline"_s);
    m_vscroll->setSingleStep(10);
    connect(m_vscroll, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    updateLayout();
}

TimelineView::~TimelineView() = default;

void TimelineView::setStore(const TraceStore* store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store) {
        connect(m_store, &TraceStore::appended, this, &TimelineView::onAppended);
        connect(m_store, &TraceStore::cleared, this, &TimelineView::onCleared);
    }
    onCleared();
}

void TimelineView::setShowGilLane(bool show)
{
    m_showGil = show;
    updateLayout();
    update();
}

void TimelineView::setLaneHeight(int pixels)
{
    m_laneHeight = std::max(8, pixels);
    m_holdHeight = std::max(4, pixels / 4);
    updateLayout();
    update();
}

void TimelineView::setMapping(const TimeMapping& mapping)
{
    m_map = mapping;
    m_map.width = std::max(1, width() - m_gutter - m_vscroll->width());
    mappingChanged();
}

void TimelineView::setFollowLive(bool follow)
{
    if (m_follow == follow)
        return;
    m_follow = follow;
    if (m_follow)
        followEdge();
    Q_EMIT followLiveChanged(m_follow);
}

void TimelineView::zoomIn()
{
    m_map.zoomAround(m_follow ? m_map.width : m_map.width / 2, 1.5);
    mappingChanged();
}

void TimelineView::zoomOut()
{
    m_map.zoomAround(m_follow ? m_map.width : m_map.width / 2, 1 / 1.5);
    mappingChanged();
}

void TimelineView::zoomToFit()
{
    setFollowLive(false);
    m_map.fit(0, m_store ? m_store->endTime() : 0);
    mappingChanged();
}

void TimelineView::mappingChanged()
{
    update();
    Q_EMIT viewChanged(m_map.t0, m_map.t1());
}

void TimelineView::onCleared()
{
    m_fittedOnce = false;
    m_map.t0 = 0;
    m_map.nsPerPixel = 5e9 / std::max(m_map.width, 1.0); // 5 s across until data says otherwise
    updateLayout();
    mappingChanged();
}

void TimelineView::onAppended()
{
    updateLayout();
    if (m_follow)
        followEdge();
    else
        update();
}

void TimelineView::followEdge()
{
    const std::int64_t end = m_store ? m_store->endTime() : 0;
    // Until the run is longer than the view, show it from its start; then keep the live edge
    // a little inside the right border.
    if (end < std::int64_t(double(m_map.span()) * 0.95))
        m_map.t0 = 0;
    else
        m_map.showEndAt(end + std::int64_t(double(m_map.span()) * 0.05));
    mappingChanged();
}

void TimelineView::updateLayout()
{
    const QFontMetrics fm(font());
    m_axisHeight = fm.height() + 12;
    int gutter = fm.horizontalAdvance(u"philosopher-12"_s) + 24;
    if (m_store) {
        for (std::size_t i = 0; i < m_store->laneCount(); ++i)
            gutter = std::max(gutter, fm.horizontalAdvance(m_store->lane(i).name) + 24);
    }
    m_gutter = std::min(gutter, std::max(120, width() / 3));
    const int sb = m_vscroll->sizeHint().width();
    m_vscroll->setGeometry(width() - sb, m_axisHeight, sb, std::max(0, height() - m_axisHeight));
    m_map.width = std::max(1, width() - m_gutter - sb);
    const int lanes = int(m_store ? m_store->laneCount() : 0) + (m_showGil ? 1 : 0);
    const int content = lanes * rowHeight() + m_gap;
    const int visible = std::max(0, height() - m_axisHeight);
    m_vscroll->setRange(0, std::max(0, content - visible));
    m_vscroll->setPageStep(visible);
    m_vscroll->setVisible(content > visible);
}

std::vector<TimelineView::Row> TimelineView::rows() const
{
    std::vector<Row> r;
    int y = m_axisHeight + m_gap - m_vscroll->value();
    if (m_showGil) {
        r.push_back({y, -1});
        y += rowHeight();
    }
    const std::size_t lanes = m_store ? m_store->laneCount() : 0;
    for (std::size_t i = 0; i < lanes; ++i) {
        r.push_back({y, int(i)});
        y += rowHeight();
    }
    return r;
}

int TimelineView::rowAt(int y) const
{
    const auto r = rows();
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (y >= r[i].y && y < r[i].y + m_laneHeight + m_holdHeight + 1)
            return int(i);
    }
    return -1;
}

QRect TimelineView::laneBarRect(int lane) const
{
    for (const Row& row : rows()) {
        if (row.lane == lane)
            return QRect(m_gutter, row.y, int(m_map.width), m_laneHeight);
    }
    return {};
}

std::int64_t TimelineView::gilObject() const
{
    if (!m_store)
        return 0;
    for (std::size_t i = 0; i < m_store->objectCount(); ++i) {
        if (m_store->object(i).kind == ObjectKind::Gil)
            return m_store->object(i).id;
    }
    return 0;
}

void TimelineView::resizeEvent(QResizeEvent*)
{
    updateLayout();
    if (m_follow)
        followEdge();
    else
        mappingChanged();
}

void TimelineView::changeEvent(QEvent* e)
{
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::FontChange) {
        updateLayout();
        update();
    }
    QWidget::changeEvent(e);
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QElapsedTimer timer;
    timer.start();
    m_fills = 0;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().color(QPalette::Base));

    const auto allRows = rows();
    paintAxis(p, true); // grid lines behind the lanes
    p.save();
    p.setClipRect(QRect(m_gutter, m_axisHeight, int(m_map.width), height() - m_axisHeight));
    p.translate(m_gutter, 0);
    if (m_store && m_store->historyStart() > m_map.t0) {
        // Detail before this was aged out by the history cap: say so rather than show nothing.
        const double x = std::min(m_map.xOf(m_store->historyStart()), m_map.width);
        QColor hatch = palette().color(QPalette::Text);
        hatch.setAlpha(40);
        p.fillRect(QRectF(0, m_axisHeight, x, height() - m_axisHeight), QBrush(hatch, Qt::BDiagPattern));
        ++m_fills;
        if (x > 120) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(QRectF(4, m_axisHeight + 2, x - 8, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter,
                       fontMetrics().elidedText(u"older detail dropped (history cap); statistics still count it"_s,
                                                Qt::ElideRight, int(x) - 8));
        }
    }
    for (const Row& row : allRows) {
        if (row.y + rowHeight() < m_axisHeight || row.y > height())
            continue;
        if (row.lane < 0) {
            paintGil(p, row.y);
            continue;
        }
        const LaneData& lane = m_store->lane(std::size_t(row.lane));
        paintStates(p, std::size_t(row.lane), row.y);
        paintSlices(p, lane, row.y);
        paintHolds(p, lane, row.y);
        paintMarkers(p, lane, row.y);
    }
    paintFlows(p, allRows);
    p.restore();
    paintGutter(p, allRows);
    paintAxis(p, false);
    m_paintMs = double(timer.nsecsElapsed()) / 1e6;
}

void TimelineView::paintAxis(QPainter& p, bool gridOnly)
{
    const QPalette& pal = palette();
    if (!gridOnly)
        p.fillRect(0, 0, width(), m_axisHeight, pal.color(QPalette::Window));
    const double step = TimeMapping::tickStepNs(m_map.nsPerPixel, 90);
    const std::int64_t first = std::int64_t(std::ceil(double(m_map.t0) / step) * step);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(40);
    p.setPen(pal.color(QPalette::WindowText));
    const QFontMetrics fm(font());
    for (double t = double(first); t <= double(m_map.t1()); t += step) {
        const int x = m_gutter + int(std::lround(m_map.xOf(std::int64_t(t))));
        if (gridOnly) {
            // A 1-pixel fill, not a line: Qt strokes translucent lines through its general path
            // rasterizer, about 150 us each at this height.
            p.fillRect(x, m_axisHeight, 1, height() - m_axisHeight, grid);
            continue;
        }
        p.setPen(pal.color(QPalette::WindowText));
        p.drawLine(x, m_axisHeight - 6, x, m_axisHeight);
        p.drawText(x + 3, fm.ascent() + 4, TimeMapping::formatTime(std::int64_t(t), step));
    }
    if (!gridOnly) {
        p.setPen(pal.color(QPalette::Mid));
        p.drawLine(0, m_axisHeight - 1, width(), m_axisHeight - 1);
    }
}

void TimelineView::paintGutter(QPainter& p, const std::vector<Row>& allRows)
{
    const QPalette& pal = palette();
    p.fillRect(0, m_axisHeight, m_gutter, height() - m_axisHeight, pal.color(QPalette::Window));
    p.setClipRect(0, m_axisHeight, m_gutter, height() - m_axisHeight);
    const QFontMetrics fm(font());
    for (const Row& row : allRows) {
        QString name = u"GIL"_s;
        QColor colour = pal.color(QPalette::WindowText);
        if (row.lane >= 0) {
            const LaneData& lane = m_store->lane(std::size_t(row.lane));
            name = lane.name;
            if (lane.ended)
                colour = pal.color(QPalette::PlaceholderText);
        }
        const int baseline = row.y + (m_laneHeight + fm.ascent() - fm.descent()) / 2;
        p.setPen(colour);
        p.drawText(8, baseline, fm.elidedText(name, Qt::ElideMiddle, m_gutter - 12));
    }
    p.setClipping(false);
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(m_gutter - 1, m_axisHeight, m_gutter - 1, height());
}

void TimelineView::paintStates(QPainter& p, std::size_t laneIndex, int y)
{
    const LaneData& lane = m_store->lane(laneIndex);
    if (!lane.begun)
        return;
    // Every pixel column shows the state at its middle: one value per column, so the work is
    // bounded by the width however many intervals there are. The columns are written into one
    // row of pixels and drawn with one drawImage per lane.
    const auto& iv = lane.intervals;
    const int w = int(m_map.width);
    // As tall as the bar, so that drawing it is a plain blit (a scaled 1-pixel row sends Qt's
    // raster engine to its threaded scaler, which costs more than it saves here).
    if (m_row.width() != std::max(1, w) || m_row.height() != m_laneHeight)
        m_row = QImage(std::max(1, w), m_laneHeight, QImage::Format_ARGB32_Premultiplied);
    auto* row = reinterpret_cast<QRgb*>(m_row.scanLine(0));
    std::fill(row, row + m_row.width(), QRgb(0));
    const QPalette& pal = palette();
    std::array<QRgb, ThreadStateCount + 1> colours{};
    for (int s = 0; s <= ThreadStateCount; ++s)
        colours[std::size_t(s)] = StatePalette::stateOn(ThreadState(s), pal).rgba();
    int runs = 0;
    QRgb last = 0;
    // Paused is hatched: every fourth and fifth column a shade darker, fixed to the screen so that
    // the stripes stay put while the view scrolls.
    const QRgb pausedStripe = StatePalette::stateOn(ThreadState::Paused, pal).darker(135).rgba();
    auto paint = [&](int c0, int c1, ThreadState s) { // columns [c0, c1)
        c0 = std::max(c0, 0);
        c1 = std::min(c1, w);
        const QRgb colour = colours[std::size_t(s)];
        if (s == ThreadState::Paused) {
            for (int c = c0; c < c1; ++c)
                row[c] = c % 5 >= 3 ? pausedStripe : colour;
        } else {
            for (int c = c0; c < c1; ++c)
                row[c] = colour;
        }
        if (c1 > c0 && colour != last) {
            ++runs;
            last = colour;
        }
    };
    // The first column whose middle is at or after x.
    auto columnAt = [](double x) { return int(std::ceil(x - 0.5)); };

    auto [i, stop] = m_store->intervalRange(laneIndex, m_map.t0, m_map.t1() + 1);
    while (i < stop) {
        const StateInterval& a = iv[i];
        const int c0 = columnAt(m_map.xOf(a.start));
        const int c1 = columnAt(m_map.xOf(a.end));
        if (c1 > c0) {
            paint(c0, c1, a.state);
            ++i;
            continue;
        }
        // No column middle inside: jump to the interval that holds the next middle.
        const std::int64_t middle = m_map.timeAt(c0 + 0.5);
        // Galloping: the next middle is usually a few intervals ahead, so probe 1, 2, 4... first.
        std::size_t lo = i + 1;
        std::size_t step = 1;
        while (lo + step < stop && iv[lo + step].end <= middle) {
            lo += step;
            step *= 2;
        }
        const auto next = std::lower_bound(iv.begin() + std::ptrdiff_t(lo),
                                           iv.begin() + std::ptrdiff_t(std::min(lo + step + 1, stop)), middle,
                                           [](const StateInterval& s, std::int64_t t) { return s.end <= t; });
        const std::size_t j = std::size_t(next - iv.begin());
        if (j >= stop || iv[j].start > middle) {
            // A gap or the end of the lane at that middle: still show that it was alive here.
            if (c0 >= 0 && c0 < w && row[c0] == 0)
                paint(c0, c0 + 1, a.state);
            i = std::max(i + 1, j);
        } else {
            i = j;
        }
    }
    if (!lane.ended && m_store->endTime() > lane.currentStart) {
        const int c0 = columnAt(m_map.xOf(lane.currentStart));
        const int c1 = std::max(columnAt(m_map.xOf(m_store->endTime())), c0 + 1);
        paint(c0, c1, lane.current);
    }
    if (runs == 0)
        return;
    const std::size_t bytes = std::size_t(m_row.width()) * sizeof(QRgb);
    for (int line = 1; line < m_row.height(); ++line)
        std::memcpy(m_row.scanLine(line), row, bytes);
    p.drawImage(QPoint(0, y), m_row);
    m_fills += runs;
}

void TimelineView::paintHolds(QPainter& p, const LaneData& lane, int y)
{
    constexpr std::ptrdiff_t NestedHoldsLookBack = 8;
    const int hy = y + m_laneHeight + 1;
    const QColor colour = StatePalette::hold();
    RunPainter runs(p, hy, m_holdHeight, m_fills);
    const auto& holds = lane.holds;
    const std::int64_t t1 = m_map.t1();
    auto byStart = [](const HoldInterval& h, std::int64_t t) { return h.start < t; };
    auto it = std::lower_bound(holds.begin(), holds.end(), m_map.t0 - lane.maxHoldNs, byStart);
    while (it != holds.end() && it->start <= t1) {
        if (it->end < m_map.t0) {
            ++it;
            continue;
        }
        const double x0 = std::max(m_map.xOf(it->start), 0.0);
        double x1 = std::min(m_map.xOf(it->end), m_map.width);
        if (x1 - x0 >= 1.0) {
            runs.add(x0, x1, colour);
            ++it;
            continue;
        }
        // Skip the rest of this pixel column, but not a long hold that starts in it after short
        // ones: a lane's holds do not overlap unless nested (a few deep), so a hold that reaches
        // beyond the column is among the last few that start in it.
        const auto next = std::max(it + 1, std::lower_bound(it, holds.end(), m_map.timeAt(std::floor(x0) + 1), byStart));
        for (auto back = next; back != it + 1 && next - back < NestedHoldsLookBack;) {
            --back;
            x1 = std::max(x1, std::min(m_map.xOf(back->end), m_map.width));
        }
        runs.add(x0, std::max(x1, x0 + 1), colour);
        it = next;
    }
    for (const auto& open : lane.openHolds) {
        if (open.start < 0)
            continue; // the run is paused: no hold is drawn through a pause
        const double x0 = std::max(m_map.xOf(open.start), 0.0);
        const double x1 = std::min(m_map.xOf(m_store->endTime()), m_map.width);
        if (x1 >= x0)
            runs.add(x0, std::max(x1, x0 + 1), colour);
    }
}

void TimelineView::paintMarkers(QPainter& p, const LaneData& lane, int y)
{
    const auto& markers = lane.markers;
    auto byTime = [](const Marker& m, std::int64_t t) { return m.t < t; };
    auto it = std::lower_bound(markers.begin(), markers.end(), m_map.t0, byTime);
    const auto stop = std::lower_bound(it, markers.end(), m_map.t1() + 1, byTime);
    const QColor text = palette().color(QPalette::Text);
    while (it != stop) {
        // One marker per pixel column: the most important among the first few in it.
        const double column = std::floor(m_map.xOf(it->t));
        // Rounding can put timeAt(column + 1) on the marker itself: always move past it.
        const std::int64_t columnEnd = std::max(m_map.timeAt(column + 1), it->t + 1);
        const Marker* best = nullptr;
        int scanned = 0;
        auto scan = it;
        for (; scan != stop && scan->t < columnEnd && scanned < 16; ++scan, ++scanned) {
            if (isDrawnMarker(scan->kind) && (!best || markerPriority(*scan) > markerPriority(*best)))
                best = &*scan;
        }
        it = std::max(scan, std::lower_bound(scan, stop, columnEnd, byTime));
        if (!best)
            continue;
        const int x = int(column);
        switch (best->kind) {
        case EventKind::LostUpdate:
            // A red tick over the top of the bar: the state underneath stays readable.
            p.fillRect(x, y - 3, 2, m_laneHeight / 2 + 3, StatePalette::lostUpdate());
            break;
        case EventKind::Marker:
            if (best->aux == std::uint32_t(MarkerType::Deadlock)) {
                p.fillRect(x - 1, y - 3, 3, m_laneHeight + 6, StatePalette::deadlock());
            } else if (best->aux == std::uint32_t(MarkerType::TaskStart)) {
                p.fillRect(x, y, 1, m_laneHeight, text);
                p.setPen(Qt::white);
                p.drawText(QRect(x + 3, y, 80, m_laneHeight), Qt::AlignVCenter | Qt::AlignLeft,
                           u"task %1"_s.arg(best->value + 1));
            } else if (best->aux == std::uint32_t(MarkerType::ProcessStarted)) {
                p.fillRect(x, y - 2, 2, m_laneHeight + 4, text);
            } else { // a note (an imported instant): a tick above the bar
                p.fillRect(x, y - 3, 2, 6, text);
            }
            break;
        case EventKind::Print:
            p.fillRect(x, y, 2, m_laneHeight / 3, text);
            break;
        case EventKind::QueuePut:
            p.fillRect(x, y + m_laneHeight - 4, 2, 4, text);
            break;
        case EventKind::QueueGet:
            p.fillRect(x, y, 2, 4, text);
            break;
        default: // race read/write: a faint tick, visible when zoomed in
            p.fillRect(x, y + m_laneHeight / 3, 1, m_laneHeight / 3, QColor(255, 255, 255, 110));
            break;
        }
        ++m_fills;
    }
}

void TimelineView::paintGil(QPainter& p, int y)
{
    const std::uint32_t gil = std::uint32_t(gilObject());
    const ObjectData* o = m_store ? m_store->objectById(gil) : nullptr;
    QColor free = palette().color(QPalette::AlternateBase);
    p.fillRect(0, y, int(m_map.width), m_laneHeight, free);
    ++m_fills;
    if (!o)
        return;
    RunPainter runs(p, y, m_laneHeight, m_fills);
    const auto& holds = o->holds;
    auto byStart = [](const HoldInterval& h, std::int64_t t) { return h.start < t; };
    // The GIL has one holder at a time, so its holds do not overlap: search by start directly.
    auto it = std::lower_bound(holds.begin(), holds.end(), m_map.t0, byStart);
    if (it != holds.begin())
        --it;
    const QPalette& pal = palette();
    while (it != holds.end() && it->start <= m_map.t1()) {
        const double x0 = std::max(m_map.xOf(it->start), 0.0);
        const double x1 = std::min(m_map.xOf(it->end), m_map.width);
        if (x1 >= 0)
            runs.add(x0, std::max(x1, x0 + 1), StatePalette::lane(int(it->lane), pal));
        if (x1 - x0 >= 1.0) {
            ++it;
            continue;
        }
        // Skip the rest of this pixel column; the last hold that starts in it may reach beyond
        // (holds do not overlap): draw that one from the column on.
        const auto next = std::max(it + 1, std::lower_bound(it, holds.end(), m_map.timeAt(std::floor(x0) + 1), byStart));
        const auto last = next - 1;
        if (last != it) {
            const double lx1 = std::min(m_map.xOf(last->end), m_map.width);
            if (lx1 > x0 + 1)
                runs.add(x0 + 1, lx1, StatePalette::lane(int(last->lane), pal));
        }
        it = next;
    }
    if (!o->counter.empty() && o->counter.back().value >= 0) {
        const double x0 = std::max(m_map.xOf(o->counter.back().t), 0.0);
        const double x1 = std::min(m_map.xOf(m_store->endTime()), m_map.width);
        if (x1 >= x0)
            runs.add(x0, std::max(x1, x0 + 1), StatePalette::lane(int(o->counter.back().value), pal));
    }
}

namespace {

// Slices of imported traces: a calm colour per name (its text id: cheap, stable within a file).
QColor sliceColour(std::uint32_t nameId)
{
    static const QColor colours[] = {
        QColor(0x4E, 0x79, 0xA7), QColor(0xF2, 0x8E, 0x2B), QColor(0x59, 0xA1, 0x4F), QColor(0xB0, 0x7A, 0xA1),
        QColor(0x76, 0xB7, 0xB2), QColor(0xED, 0xC9, 0x48), QColor(0x9C, 0x75, 0x5F), QColor(0xE1, 0x57, 0x59),
        QColor(0x8C, 0xD1, 0x7D), QColor(0xBA, 0xB0, 0xAC),
    };
    const std::uint32_t mixed = nameId * 2654435761u; // Knuth's multiplicative hash
    return colours[(mixed >> 16) % (sizeof(colours) / sizeof(colours[0]))];
}

} // namespace

void TimelineView::paintSlices(QPainter& p, const LaneData& lane, int y)
{
    if (lane.slices.empty())
        return;
    // Up to four nesting levels share the bar; deeper ones show in the tooltip.
    const int levels = std::clamp(lane.sliceDepth, 1, 4);
    const int rowH = std::max(3, m_laneHeight / levels);
    const auto& slices = lane.slices;
    const std::int64_t t1 = m_map.t1();
    auto byStart = [](const NamedSlice& s, std::int64_t t) { return s.start < t; };
    auto it = std::lower_bound(slices.begin(), slices.end(), m_map.t0 - lane.maxSliceNs, byStart);
    const QFontMetrics fm(font());
    const bool labels = rowH >= fm.height() - 2;
    QString name;
    while (it != slices.end() && it->start <= t1) {
        if (it->end < m_map.t0 || it->depth >= levels) {
            ++it;
            continue;
        }
        const double x0 = std::max(m_map.xOf(it->start), 0.0);
        const double x1 = std::min(m_map.xOf(it->end), m_map.width);
        const QColor colour = sliceColour(it->name);
        const int ry = y + it->depth * rowH;
        if (x1 - x0 < 1.0) {
            // Narrower than a pixel: one column for everything that starts in it.
            p.fillRect(int(x0), ry, 1, rowH - 1, colour);
            ++m_fills;
            it = std::max(it + 1, std::lower_bound(it, slices.end(), m_map.timeAt(std::floor(x0) + 1), byStart));
            continue;
        }
        const int a = int(std::floor(x0));
        const int w = std::max(1, int(std::ceil(x1)) - a - (x1 - x0 > 3 ? 1 : 0));
        p.fillRect(a, ry, w, rowH - 1, colour);
        ++m_fills;
        if (labels && w > 30) {
            name = m_store->text(it->name);
            p.setPen(colour.lightnessF() > 0.6 ? Qt::black : Qt::white);
            p.drawText(QRect(a + 3, ry, w - 5, rowH - 1), Qt::AlignVCenter | Qt::AlignLeft,
                       fm.elidedText(name, Qt::ElideRight, w - 5));
        }
        ++it;
    }
}

void TimelineView::paintFlows(QPainter& p, const std::vector<Row>& allRows)
{
    const auto& flows = m_store->flows();
    if (flows.empty())
        return;
    std::vector<int> laneY(m_store->laneCount(), -1);
    for (const Row& row : allRows) {
        if (row.lane >= 0)
            laneY[std::size_t(row.lane)] = row.y + m_laneHeight / 2;
    }
    QColor colour = palette().color(QPalette::Text);
    colour.setAlpha(140);
    p.setPen(QPen(colour, 1));
    p.setRenderHint(QPainter::Antialiasing, true);
    int drawn = 0;
    for (const FlowArrow& f : flows) {
        if (f.t1 < m_map.t0 || f.t0 > m_map.t1() || f.lane0 >= laneY.size() || f.lane1 >= laneY.size())
            continue;
        const QPointF a(m_map.xOf(f.t0), laneY[f.lane0]);
        const QPointF b(m_map.xOf(f.t1), laneY[f.lane1]);
        p.drawLine(a, b);
        p.drawEllipse(b, 2, 2);
        // Bounded like the fills: beyond a few per pixel column they are noise.
        if (++drawn > int(m_map.width) * 2)
            break;
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    m_fills += drawn;
}

QString TimelineView::sliceToolTip(const LaneData& lane, int rowY, int y, std::int64_t t) const
{
    const int levels = std::clamp(lane.sliceDepth, 1, 4);
    const int rowH = std::max(3, m_laneHeight / levels);
    const int depth = std::clamp((y - rowY) / rowH, 0, levels - 1);
    // The slices around t, outermost first.
    QStringList stack;
    auto byStart = [](const NamedSlice& s, std::int64_t v) { return s.start < v; };
    auto it = std::lower_bound(lane.slices.begin(), lane.slices.end(), t - lane.maxSliceNs, byStart);
    const NamedSlice* under = nullptr;
    for (; it != lane.slices.end() && it->start <= t; ++it) {
        if (it->end < t)
            continue;
        if (it->depth == depth)
            under = &*it;
        if (stack.size() < 8)
            stack.append(m_store->text(it->name).toHtmlEscaped());
    }
    if (!under)
        return stack.isEmpty() ? QString() : stack.join(u" › "_s);
    QString text = u"<b>%1</b>"_s.arg(m_store->text(under->name).toHtmlEscaped());
    if (under->category != 0)
        text += u" (%1)"_s.arg(m_store->text(under->category).toHtmlEscaped());
    text += u"<br>%1 on %2"_s.arg(TimeMapping::formatDuration(under->end - under->start), lane.name.toHtmlEscaped());
    if (under->flags & NamedSlice::Unclosed)
        text += u"<br>never ended in the trace: cut at its end"_s;
    if (stack.size() > 1)
        text += u"<br>"_s + stack.join(u" › "_s);
    return text;
}

bool TimelineView::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

QString TimelineView::toolTipAt(const QPoint& pos) const
{
    if (!m_store || pos.x() < m_gutter || pos.y() < m_axisHeight)
        return {};
    const int r = rowAt(pos.y());
    if (r < 0)
        return {};
    const Row row = rows()[std::size_t(r)];
    const std::int64_t t = m_map.timeAt(pos.x() - m_gutter);
    const QString at = TimeMapping::formatTime(t, TimeMapping::tickStepNs(m_map.nsPerPixel, 1));
    auto objectName = [this](std::uint32_t id) {
        const ObjectData* o = m_store->objectById(id);
        return o ? o->name : QString();
    };
    if (row.lane < 0) {
        const ObjectData* gil = m_store->objectById(std::uint32_t(gilObject()));
        if (!gil)
            return {};
        for (const HoldInterval& h : gil->holds) {
            if (h.start <= t && t < h.end)
                return u"GIL held by %1 for %2 (at %3)"_s.arg(m_store->lane(h.lane).name,
                                                             TimeMapping::formatDuration(h.end - h.start), at);
        }
        return u"GIL free (at %1)"_s.arg(at);
    }
    const LaneData& lane = m_store->lane(std::size_t(row.lane));
    if (!lane.slices.empty())
        return sliceToolTip(lane, row.y, pos.y(), t);
    const auto [first, last] = m_store->intervalRange(std::size_t(row.lane), t, t + 1);
    ThreadState state = ThreadState::Count;
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::uint32_t object = 0;
    if (first < last) {
        const StateInterval& s = lane.intervals[first];
        state = s.state;
        start = s.start;
        end = s.end;
        object = s.object;
    } else if (lane.begun && !lane.ended && t >= lane.currentStart && t <= m_store->endTime()) {
        state = lane.current;
        start = lane.currentStart;
        end = m_store->endTime();
        object = lane.currentObject;
    }
    if (state == ThreadState::Count)
        return u"%1: not running (at %2)"_s.arg(lane.name, at);
    QString what = QString::fromLatin1(stateLabel(state));
    if (object != 0)
        what += u" "_s + objectName(object);
    QString text = u"<b>%1</b> (%2)<br>%3 for %4<br>at %5"_s.arg(lane.name.toHtmlEscaped(),
                                                                 QString::fromLatin1(laneKindKey(lane.kind)),
                                                                 what.toHtmlEscaped(),
                                                                 TimeMapping::formatDuration(end - start), at);
    for (const HoldInterval& h : lane.holds) {
        if (h.start <= t && t < h.end)
            text += u"<br>holding %1"_s.arg(objectName(h.object).toHtmlEscaped());
    }
    return text;
}

void TimelineView::wheelEvent(QWheelEvent* e)
{
    if (e->modifiers() & Qt::ShiftModifier) {
        m_vscroll->setValue(m_vscroll->value() - e->angleDelta().y() / 2);
        return;
    }
    const double steps = e->angleDelta().y() / 120.0;
    if (steps == 0)
        return;
    const double x = std::clamp(e->position().x() - m_gutter, 0.0, m_map.width);
    // While following, zoom keeps the live edge in place so the view keeps following.
    m_map.zoomAround(m_follow ? m_map.width : x, std::pow(1.25, steps));
    if (m_follow)
        followEdge();
    else
        mappingChanged();
    e->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton && e->position().x() >= m_gutter) {
        m_dragging = true;
        m_dragFrom = e->position().toPoint();
        setCursor(Qt::ClosedHandCursor);
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* e)
{
    if (!m_dragging)
        return;
    const QPoint now = e->position().toPoint();
    const int dx = now.x() - m_dragFrom.x();
    const int dy = now.y() - m_dragFrom.y();
    m_dragFrom = now;
    if (dx != 0) {
        setFollowLive(false);
        m_map.panByPixels(dx);
        mappingChanged();
    }
    if (dy != 0)
        m_vscroll->setValue(m_vscroll->value() - dy);
}

void TimelineView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
    unsetCursor();
}

void TimelineView::keyPressEvent(QKeyEvent* e)
{
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        zoomToFit();
        return;
    case Qt::Key_Left:
    case Qt::Key_Right:
        setFollowLive(false);
        m_map.panByPixels((e->key() == Qt::Key_Left ? 1 : -1) * m_map.width / 10);
        mappingChanged();
        return;
    case Qt::Key_End:
        setFollowLive(true);
        return;
    default:
        QWidget::keyPressEvent(e);
    }
}

} // namespace interleave
