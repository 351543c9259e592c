// TimelineView: layout, input and the frame loop; the painters draw. Work per frame is bounded by
// lanes x width: each painter folds what is narrower than a pixel.
#include "timelineview.h"

#include "gillanepainter.h"
#include "holdpainter.h"
#include "lanenamepainter.h"
#include "markerpainter.h"
#include "slicepainter.h"
#include "timeaxispainter.h"
#include "timelinetooltip.h"
#include "timerange.h"
#include "tracestore.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace interleave {

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
    , m_range(this,
              [this](TimeRange& r) {
                  connect(&r, &TimeRange::changed, this, &TimelineView::onRangeChanged);
                  connect(&r, &TimeRange::followLiveChanged, this, &TimelineView::followLiveChanged);
              })
    , m_vscroll(new QScrollBar(Qt::Vertical, this))
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true); // the time under the pointer, for the charts' cursor line
    setAccessibleName(u"Timeline"_s);
    m_vscroll->setSingleStep(10);
    connect(m_vscroll, &QScrollBar::valueChanged, this, qOverload<>(&QWidget::update));
    m_map.nsPerPixel = double(m_range->span()) / m_map.width;
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
        connect(m_store, &TraceStore::refilled, this, [this] {
            m_states.reset(); // its grids describe intervals that were replaced
            updateLayout();
            update();
        });
    }
    onCleared();
}

void TimelineView::setTimeRange(TimeRange* shared)
{
    // The range's live end is brought up to date by the next batch, or by following again.
    if (!m_range.set(shared))
        return;
    onRangeChanged();
    Q_EMIT followLiveChanged(m_range->followsLive());
}

TimeRange* TimelineView::timeRange() const
{
    return &range();
}

bool TimelineView::followLive() const
{
    return range().followsLive();
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
    TimeMapping m = mapping;
    m.width = std::max(1, width() - m_gutter - m_vscroll->width());
    showMapping(m);
}

void TimelineView::showMapping(const TimeMapping& m)
{
    m_map = m;
    range().setRange(m.t0, m.t1());
    update();
}

void TimelineView::onRangeChanged()
{
    const TimeRange& r = range();
    if (m_map.t0 != r.start() || m_map.t1() != r.end()) {
        // A slide keeps the zoom exactly; anything else sets it from the span.
        if (m_map.span() != r.span())
            m_map.nsPerPixel = std::clamp(double(r.span()) / std::max(m_map.width, 1.0), TimeMapping::MinNsPerPixel,
                                          TimeMapping::MaxNsPerPixel);
        m_map.t0 = r.start();
    }
    update();
    Q_EMIT viewChanged(r.start(), r.end());
}

void TimelineView::setFollowLive(bool follow)
{
    if (followLive() == follow)
        return;
    if (follow && m_store)
        range().setLiveEnd(m_store->endTime());
    range().setFollowLive(follow);
}

void TimelineView::zoomIn()
{
    TimeMapping m = m_map;
    m.zoomAround(followLive() ? m.width : m.width / 2, 1.5);
    showMapping(m);
}

void TimelineView::zoomOut()
{
    TimeMapping m = m_map;
    m.zoomAround(followLive() ? m.width : m.width / 2, 1 / 1.5);
    showMapping(m);
}

void TimelineView::zoomToFit()
{
    setFollowLive(false);
    TimeMapping m = m_map;
    m.fit(0, m_store ? m_store->endTime() : 0);
    showMapping(m);
}

void TimelineView::onCleared()
{
    clearExplanation(); // it named events of the run that is gone
    m_selectedLane = -1;
    m_states.reset(); // its grids describe lanes that are gone
    range().setLiveEnd(m_store ? m_store->endTime() : 0);
    m_map.t0 = 0;
    m_map.nsPerPixel = double(TimeRange::DefaultSpanNs) / std::max(m_map.width, 1.0); // until data says otherwise
    updateLayout();
    showMapping(m_map);
}

void TimelineView::onAppended()
{
    updateLayout();
    followEdge();
    update();
}

void TimelineView::followEdge()
{
    // Following or not is the range's business: it moves only while it follows.
    range().setLiveEnd(m_store ? m_store->endTime() : 0);
}

void TimelineView::setWidestLaneName(const QString& name)
{
    m_widestName = name.isEmpty() ? u"thread-12"_s : name;
    updateLayout();
    update();
}

void TimelineView::updateLayout()
{
    const QFontMetrics fm(font());
    m_axisHeight = fm.height() + 12;
    int gutter = fm.horizontalAdvance(m_widestName) + 24;
    if (m_store) {
        for (std::size_t i = 0; i < m_store->laneCount(); ++i)
            gutter = std::max(gutter, fm.horizontalAdvance(m_store->lane(i).name) + 24);
    }
    const int oldGutter = m_gutter;
    m_gutter = std::min(gutter, std::max(120, width() / 3));
    const int sb = m_vscroll->sizeHint().width();
    m_vscroll->setGeometry(width() - sb, m_axisHeight, sb, std::max(0, height() - m_axisHeight));
    const double laneWidth = std::max(1, width() - m_gutter - sb);
    const int lanes = int(m_store ? m_store->laneCount() : 0) + (m_showGil ? 1 : 0);
    const int content = lanes * rowHeight() + m_gap;
    const int visible = std::max(0, height() - m_axisHeight);
    m_vscroll->setRange(0, std::max(0, content - visible));
    m_vscroll->setPageStep(visible);
    m_vscroll->setVisible(content > visible);
    const bool columnMoved = laneWidth != m_map.width || oldGutter != m_gutter;
    if (laneWidth != m_map.width) {
        m_map.width = laneWidth;
        widthChanged();
    }
    if (columnMoved)
        Q_EMIT laneColumnChanged();
}

void TimelineView::widthChanged()
{
    // The whole run stays the whole run across the new width; otherwise the zoom stays and the
    // range grows or shrinks with the width.
    // Before anything is recorded the range is the first seconds whatever the width (the view's
    // first width, before its layout, is a few pixels: keeping that zoom made 0..2000 s).
    if (range().showsWholeRun() || !m_store || m_store->endTime() == 0)
        onRangeChanged();
    else
        range().setRange(m_map.t0, m_map.t1());
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

void TimelineView::resizeEvent(QResizeEvent*)
{
    updateLayout();
    followEdge();
}

void TimelineView::changeEvent(QEvent* e)
{
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::FontChange) {
        updateLayout();
        update();
    }
    QWidget::changeEvent(e);
}

TimelineFrame TimelineView::frame()
{
    return TimelineFrame{m_store,        m_map,        palette(),  font(), size(), m_gutter, m_axisHeight,
                         m_laneHeight,   m_holdHeight, 0,          m_showGil};
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QElapsedTimer timer;
    timer.start();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(rect(), palette().color(QPalette::Base));

    TimelineFrame f = frame();
    const auto allRows = rows();
    TimeAxisPainter::paintGrid(p, f); // grid lines behind the lanes
    p.save();
    p.setClipRect(QRect(m_gutter, m_axisHeight, int(m_map.width), height() - m_axisHeight));
    p.translate(m_gutter, 0);
    paintHistoryCap(p, f);
    for (const Row& row : allRows) {
        if (row.y + rowHeight() < m_axisHeight || row.y > height())
            continue;
        if (row.lane < 0) {
            GilLanePainter::paint(p, f, row.y);
            continue;
        }
        const LaneData& lane = m_store->lane(std::size_t(row.lane));
        m_states.paint(p, f, std::size_t(row.lane), row.y);
        SlicePainter::paintSlices(p, f, lane, row.y);
        HoldPainter::paint(p, f, lane, row.y);
        MarkerPainter::paint(p, f, lane, row.y);
    }
    SlicePainter::paintFlows(p, f, allRows);
    paintExplanation(p, allRows);
    if (m_cursor >= 0 && !m_dragging) {
        const double x = std::round(m_map.xOf(m_cursor)) + 0.5;
        QColor ink = palette().color(QPalette::Text);
        ink.setAlpha(140);
        p.setPen(QPen(ink, 1, Qt::DashLine));
        p.drawLine(QPointF(x, m_axisHeight), QPointF(x, height()));
    }
    if (m_playhead >= 0) {
        const double x = std::round(m_map.xOf(m_playhead)) + 0.5;
        p.setPen(QPen(palette().color(QPalette::Text), 2));
        p.drawLine(QPointF(x, m_axisHeight), QPointF(x, height()));
    }
    p.restore();
    paintLaneNames(p, f, allRows);
    TimeAxisPainter::paintAxis(p, f);
    m_fills = f.fills;
    m_paintMs = double(timer.nsecsElapsed()) / 1e6;
}

void TimelineView::paintLaneNames(QPainter& p, const TimelineFrame& f, const std::vector<Row>& rows)
{
    // Shaping and eliding every name each frame cost as much as all the lanes' states: the names'
    // column is drawn once into an image and blitted until something it shows changes.
    const double dpr = devicePixelRatioF();
    NamesKey key{size(), m_gutter, m_axisHeight, m_laneHeight, dpr, palette().cacheKey(), font().key(), f.laneKey, {}};
    key.rows.reserve(rows.size());
    for (const Row& row : rows) {
        const LaneData* lane = row.lane >= 0 ? &m_store->lane(std::size_t(row.lane)) : nullptr;
        key.rows.push_back({row.y, row.lane, lane && lane->ended, lane ? lane->name : QString()});
    }
    if (m_namesImage.isNull() || key != m_namesKey) {
        m_namesImage = QImage(int(std::ceil(m_gutter * dpr)), int(std::ceil(height() * dpr)),
                              QImage::Format_ARGB32_Premultiplied);
        m_namesImage.setDevicePixelRatio(dpr);
        m_namesImage.fill(Qt::transparent);
        QPainter names(&m_namesImage);
        names.setFont(font());
        LaneNamePainter::paint(names, f, rows);
        m_namesKey = std::move(key);
    }
    const QRect area(0, m_axisHeight, m_gutter, height() - m_axisHeight);
    p.drawImage(area, m_namesImage, QRectF(QPointF(area.topLeft()) * dpr, QSizeF(area.size()) * dpr));
}

void TimelineView::paintHistoryCap(QPainter& p, TimelineFrame& f)
{
    if (!m_store || m_store->historyStart() <= m_map.t0)
        return;
    // Detail before this was aged out by the history cap: say so rather than show nothing.
    const double x = std::min(m_map.xOf(m_store->historyStart()), m_map.width);
    QColor hatch = palette().color(QPalette::Text);
    hatch.setAlpha(40);
    p.fillRect(QRectF(0, m_axisHeight, x, height() - m_axisHeight), QBrush(hatch, Qt::BDiagPattern));
    ++f.fills;
    if (x > 120) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(QRectF(4, m_axisHeight + 2, x - 8, fontMetrics().height()), Qt::AlignLeft | Qt::AlignVCenter,
                   fontMetrics().elidedText(u"older detail dropped (history cap); statistics still count it"_s,
                                            Qt::ElideRight, int(x) - 8));
    }
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
    const TimelineToolTip tip(*m_store, m_map, m_laneHeight);
    return tip.text(rows()[std::size_t(r)], pos.y(), m_map.timeAt(pos.x() - m_gutter));
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
    TimeMapping m = m_map;
    m.zoomAround(followLive() ? m.width : x, std::pow(1.25, steps));
    showMapping(m);
    followEdge();
    e->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton && e->position().x() >= m_gutter) {
        m_dragging = true;
        m_moved = false;
        m_dragFrom = e->position().toPoint();
        m_pressedAt = m_dragFrom;
        setCursor(Qt::ClosedHandCursor);
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* e)
{
    const QPoint now = e->position().toPoint();
    const std::int64_t cursor = now.x() >= m_gutter && now.x() < m_gutter + int(m_map.width)
        ? m_map.timeAt(now.x() - m_gutter) : -1;
    if (cursor != m_cursor) {
        m_cursor = cursor;
        update();
        Q_EMIT cursorMoved(cursor);
    }
    if (!m_dragging)
        return;
    if (!m_moved && (now - m_pressedAt).manhattanLength() < 4)
        return; // a click, still
    m_moved = true;
    const int dx = now.x() - m_dragFrom.x();
    const int dy = now.y() - m_dragFrom.y();
    m_dragFrom = now;
    if (dx != 0) {
        setFollowLive(false);
        TimeMapping m = m_map;
        m.panByPixels(dx);
        showMapping(m);
    }
    if (dy != 0)
        m_vscroll->setValue(m_vscroll->value() - dy);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* e)
{
    const bool click = m_dragging && !m_moved && e->button() == Qt::LeftButton;
    m_dragging = false;
    unsetCursor();
    if (click && m_store && e->position().y() >= m_axisHeight) {
        const int r = rowAt(int(e->position().y()));
        if (r >= 0 && rows()[std::size_t(r)].lane >= 0)
            Q_EMIT laneClicked(m_store->lane(std::size_t(rows()[std::size_t(r)].lane)).id);
    }
    if (click && !explainAt(e->position().toPoint()))
        clearExplanation();
}

bool TimelineView::explainAt(const QPoint& pos)
{
    if (!m_store || pos.x() < m_gutter || pos.y() < m_axisHeight)
        return false;
    const int r = rowAt(pos.y());
    if (r < 0)
        return false;
    const Row row = rows()[std::size_t(r)];
    if (row.lane >= 0)
        m_selectedLane = row.lane;
    const std::int64_t t = m_map.timeAt(pos.x() - m_gutter);
    // A mark is a few pixels wide: that much time either side still hits it.
    const auto tolerance = std::int64_t(4 * m_map.nsPerPixel);
    Explanation x = row.lane < 0 ? interleave::explainGilAt(*m_store, t)
                                 : interleave::explainAt(*m_store, m_store->lane(std::size_t(row.lane)).id, t, tolerance);
    if (x.isEmpty())
        return false;
    m_explanation = std::move(x);
    focusExplanation();
    update();
    Q_EMIT explanationChanged(m_explanation.title, m_explanation.sentence);
    return true;
}

// Events closer together than a few pixels would be one ring: zoom in around them until they
// spread over about half the width (never out; 0 fits the whole run again).
void TimelineView::focusExplanation()
{
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (const ExplainedEvent& e : m_explanation.events) {
        first = std::min(first, e.t);
        last = std::max(last, e.t);
    }
    if (first > last || double(last - first) / m_map.nsPerPixel >= 60)
        return;
    const double spanNs = std::max<double>(double(last - first), 20'000.0);
    const double nsPerPixel = std::max(TimeMapping::MinNsPerPixel, spanNs * 2 / std::max(m_map.width, 1.0));
    if (nsPerPixel >= m_map.nsPerPixel)
        return;
    setFollowLive(false);
    TimeMapping m = m_map;
    m.nsPerPixel = nsPerPixel;
    m.t0 = (first + last) / 2 - std::int64_t(m.width / 2 * nsPerPixel);
    showMapping(m);
}

void TimelineView::setPlayhead(std::int64_t t)
{
    if (t == m_playhead)
        return;
    m_playhead = t;
    update();
}

void TimelineView::clearExplanation()
{
    if (m_explanation.isEmpty())
        return;
    m_explanation = {};
    update();
    Q_EMIT explanationChanged({}, {});
}

// The explained events: a ring on each, joined in time order, over everything else on the lanes.
void TimelineView::paintExplanation(QPainter& p, const std::vector<Row>& rows) const
{
    if (m_explanation.isEmpty() || !m_store)
        return;
    std::vector<std::pair<std::int64_t, QPointF>> points;
    for (const ExplainedEvent& e : m_explanation.events) {
        for (const Row& row : rows) {
            if (row.lane >= 0 && m_store->lane(std::size_t(row.lane)).id == e.lane) {
                points.emplace_back(e.t, QPointF(m_map.xOf(e.t), row.y + m_laneHeight / 2.0));
                break;
            }
        }
    }
    std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    const QColor ink = palette().color(QPalette::Text);
    const QColor glow(255, 176, 0); // amber: no state uses it
    const double radius = std::max(5.0, m_laneHeight * 0.35);
    QPolygonF path;
    for (const auto& [t, at] : points)
        path << at;
    p.setPen(QPen(ink, 1.5, Qt::DashLine));
    p.drawPolyline(path);
    for (const auto& [t, at] : points) {
        p.setPen(QPen(ink, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(at, radius + 1.5, radius + 1.5);
        p.setPen(QPen(glow, 3));
        p.drawEllipse(at, radius, radius);
    }
    p.restore();
}

void TimelineView::leaveEvent(QEvent* e)
{
    QWidget::leaveEvent(e);
    if (m_cursor >= 0) {
        m_cursor = -1;
        update();
        Q_EMIT cursorMoved(-1);
    }
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
    case Qt::Key_Escape:
        if (!m_explanation.isEmpty()) {
            clearExplanation();
            return;
        }
        break;
    case Qt::Key_Left:
    case Qt::Key_Right: {
        setFollowLive(false);
        TimeMapping m = m_map;
        m.panByPixels((e->key() == Qt::Key_Left ? 1 : -1) * m.width / 10);
        showMapping(m);
        return;
    }
    case Qt::Key_End:
        setFollowLive(true);
        return;
    default:
        QWidget::keyPressEvent(e);
    }
}

} // namespace interleave
