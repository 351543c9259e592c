// WaitGraphView: ring layout (the cycle first, so a deadlock reads as a ring), custom painting.
#include "waitgraphview.h"

#include "statepalette.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr double Pi = 3.14159265358979323846;

// Where the segment from the centre of a box (or ellipse) of half-size h towards d leaves it.
QPointF borderOffset(QSizeF h, QPointF d, bool ellipse)
{
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-9)
        return {};
    if (ellipse) {
        const double s = 1.0 / std::sqrt((d.x() * d.x()) / (h.width() * h.width())
                                         + (d.y() * d.y()) / (h.height() * h.height()));
        return d * s;
    }
    const double sx = std::abs(d.x()) > 1e-9 ? h.width() / std::abs(d.x()) : 1e300;
    const double sy = std::abs(d.y()) > 1e-9 ? h.height() / std::abs(d.y()) : 1e300;
    return d * std::min(sx, sy);
}

void drawArrowHead(QPainter& p, QPointF tip, QPointF from, double size, const QColor& colour)
{
    const QPointF d = tip - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-9)
        return;
    const QPointF u = d / len;
    const QPointF n(-u.y(), u.x());
    const QPointF base = tip - u * size;
    const QPolygonF head{tip, base + n * (size * 0.45), base - n * (size * 0.45)};
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPolygon(head);
    p.restore();
}

} // namespace

WaitGraphView::WaitGraphView(QWidget* parent)
    : QWidget(parent)
{
    setAutoFillBackground(false);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Wait-for graph"));
}

WaitGraphView::~WaitGraphView() = default;

void WaitGraphView::clear()
{
    m_nodes.clear();
    m_edges.clear();
    m_cycleNames.clear();
    m_caption.clear();
    setAccessibleDescription(QString());
    update();
}

void WaitGraphView::setGraph(const WaitSnapshot& snapshot)
{
    const auto nameOfLane = [&](std::uint32_t id) { return snapshot.laneName(id); };
    const auto nameOfLock = [&](std::uint32_t id) { return snapshot.lockName(id); };

    m_nodes.clear();
    m_edges.clear();
    m_cycleNames.clear();
    m_caption.clear();

    std::map<std::uint32_t, int> laneNode;
    std::map<std::uint32_t, int> lockNode;
    const auto addLane = [&](std::uint32_t id) {
        if (laneNode.count(id))
            return;
        laneNode[id] = int(m_nodes.size());
        m_nodes.push_back({false, id, nameOfLane(id), false, false});
    };
    const auto addLock = [&](std::uint32_t id) {
        if (lockNode.count(id))
            return;
        lockNode[id] = int(m_nodes.size());
        m_nodes.push_back({true, id, nameOfLock(id), false, false});
    };

    // Ring order: the cycle first (thread, its lock, the next thread, ...) so a deadlock is drawn
    // as the ring it is; then each other thread followed by the locks it waits for and holds.
    const bool cyclic = snapshot.hasCycle();
    std::set<std::pair<std::uint32_t, std::uint32_t>> cycleWaits; // (lane, lock)
    std::set<std::pair<std::uint32_t, std::uint32_t>> cycleHolds; // (lane, lock)
    if (cyclic) {
        const std::size_t n = snapshot.cycleLanes.size();
        QStringList clauses;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t lane = snapshot.cycleLanes[i];
            const std::uint32_t lock = snapshot.cycleLocks[i];
            const std::uint32_t holder = snapshot.cycleLanes[(i + 1) % n];
            addLane(lane);
            addLock(lock);
            cycleWaits.insert({lane, lock});
            cycleHolds.insert({holder, lock});
            m_cycleNames << nameOfLane(lane) << nameOfLock(lock);
            clauses << tr("%1 waits for %2, held by %3").arg(nameOfLane(lane), nameOfLock(lock), nameOfLane(holder));
        }
        m_caption = tr("Deadlock: %1.").arg(clauses.join(u"; "_s));
    }

    // The graph's maps have no order; sort so the picture does not jump between snapshots. Per
    // thread, the lock it waits for comes before the locks it holds.
    std::vector<WaitSnapshot::Edge> sorted = snapshot.edges;
    std::sort(sorted.begin(), sorted.end(), [](const WaitSnapshot::Edge& a, const WaitSnapshot::Edge& b) {
        return std::tuple(a.lane, !a.waits, a.lock) < std::tuple(b.lane, !b.waits, b.lock);
    });
    for (const auto& e : sorted) {
        addLane(e.lane);
        addLock(e.lock);
    }

    for (const auto& e : sorted) {
        const int laneIndex = laneNode[e.lane];
        const int lockIndex = lockNode[e.lock];
        const bool inCycle = e.waits ? cycleWaits.count({e.lane, e.lock}) > 0 : cycleHolds.count({e.lane, e.lock}) > 0;
        if (e.waits)
            m_edges.push_back({laneIndex, lockIndex, true, inCycle});
        else
            m_edges.push_back({lockIndex, laneIndex, false, inCycle});
        if (e.waits)
            m_nodes[std::size_t(laneIndex)].waiting = true;
    }
    if (cyclic) {
        for (std::uint32_t lane : snapshot.cycleLanes)
            m_nodes[std::size_t(laneNode[lane])].inCycle = true;
        for (std::uint32_t lock : snapshot.cycleLocks)
            m_nodes[std::size_t(lockNode[lock])].inCycle = true;
    }

    setAccessibleDescription(m_caption);
    setToolTip(m_caption);
    update();
}

int WaitGraphView::threadCount() const
{
    return int(std::count_if(m_nodes.begin(), m_nodes.end(), [](const Node& n) { return !n.isLock; }));
}

int WaitGraphView::lockCount() const
{
    return int(std::count_if(m_nodes.begin(), m_nodes.end(), [](const Node& n) { return n.isLock; }));
}

QSize WaitGraphView::sizeHint() const
{
    return QSize(480, 400);
}

QSize WaitGraphView::minimumSizeHint() const
{
    return QSize(220, 180);
}

void WaitGraphView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        update();
}

QFont WaitGraphView::labelFont() const
{
    // Read from the back of a classroom: a size up from the widget font.
    QFont f = font();
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * 1.2);
    else
        f.setPixelSize(int(f.pixelSize() * 1.2));
    return f;
}

void WaitGraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    p.setRenderHint(QPainter::Antialiasing);
    const QFont font = labelFont();
    p.setFont(font);
    const QFontMetricsF fm(font);
    const double margin = fm.height() * 0.6;
    QRectF area = QRectF(rect()).adjusted(margin, margin, -margin, -margin);

    if (m_nodes.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("No thread holds or waits for a lock right now"));
        return;
    }

    const QColor deadlock = StatePalette::deadlock();
    const bool darkBase = pal.color(QPalette::Base).lightness() < 128;

    if (!m_caption.isEmpty()) {
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        QRectF captionRect = QFontMetricsF(bold).boundingRect(area, Qt::AlignLeft | Qt::TextWordWrap, m_caption);
        captionRect.setWidth(area.width());
        p.setPen(darkBase ? deadlock.lighter(160) : deadlock);
        p.drawText(captionRect, Qt::AlignLeft | Qt::TextWordWrap, m_caption);
        area.setTop(captionRect.bottom() + margin);
        p.setFont(font);
    }

    // A small key at the bottom: what solid and dashed mean.
    const QColor holdColour = darkBase ? StatePalette::hold() : pal.color(QPalette::Text);
    const QColor waitColour = StatePalette::state(ThreadState::WaitingLock);
    {
        const double y = area.bottom() - fm.height() / 2;
        double x = area.left();
        const auto keyItem = [&](const QColor& colour, Qt::PenStyle style, const QString& text) {
            QPen pen(colour, 2.5, style);
            p.setPen(pen);
            p.drawLine(QPointF(x, y), QPointF(x + 36, y));
            drawArrowHead(p, QPointF(x + 42, y), QPointF(x, y), 10, colour);
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QPointF(x + 50, y + fm.ascent() / 2 - fm.descent() / 2), text);
            x += 50 + fm.horizontalAdvance(text) + fm.height() * 1.5;
        };
        keyItem(holdColour, Qt::SolidLine, tr("lock held by thread"));
        keyItem(waitColour, Qt::DashLine, tr("thread waits for lock"));
        area.setBottom(area.bottom() - fm.height() * 1.6);
    }

    // Node sizes from their names; the ring is an ellipse that uses the widget's shape.
    const double pad = fm.height() * 0.5;
    std::vector<QSizeF> half(m_nodes.size());
    double maxHalfW = 0;
    double maxHalfH = 0;
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const double w = fm.horizontalAdvance(m_nodes[i].name);
        half[i] = m_nodes[i].isLock ? QSizeF(w / 2 + pad * 1.6, fm.height() / 2 + pad * 0.9)
                                    : QSizeF(w / 2 + pad, fm.height() / 2 + pad * 0.6);
        maxHalfW = std::max(maxHalfW, half[i].width());
        maxHalfH = std::max(maxHalfH, half[i].height());
    }
    const QPointF centre = area.center();
    const double rx = std::max(0.0, area.width() / 2 - maxHalfW);
    const double ry = std::max(0.0, area.height() / 2 - maxHalfH);
    std::vector<QPointF> pos(m_nodes.size());
    const std::size_t n = m_nodes.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double angle = n == 1 ? 0 : -Pi / 2 + 2 * Pi * double(i) / double(n);
        pos[i] = n == 1 ? centre : centre + QPointF(rx * std::cos(angle), ry * std::sin(angle));
    }

    // Edges under nodes. A pair with arrows both ways (a thread waiting for a lock it holds)
    // draws them side by side.
    std::set<std::pair<int, int>> pairs;
    for (const Arrow& a : m_edges)
        pairs.insert({a.from, a.to});
    for (const Arrow& a : m_edges) {
        const QPointF from = pos[std::size_t(a.from)];
        const QPointF to = pos[std::size_t(a.to)];
        QPointF d = to - from;
        const double len = std::hypot(d.x(), d.y());
        if (len < 1e-6)
            continue;
        QPointF shift;
        if (pairs.count({a.to, a.from}))
            shift = QPointF(-d.y(), d.x()) / len * 6.0;
        const QPointF start = from + shift + borderOffset(half[std::size_t(a.from)], d, m_nodes[std::size_t(a.from)].isLock);
        const QPointF end = to + shift - borderOffset(half[std::size_t(a.to)], d, m_nodes[std::size_t(a.to)].isLock);
        const QColor colour = a.inCycle ? deadlock : (a.waits ? waitColour : holdColour);
        const double width = a.inCycle ? 4.5 : 2.5;
        const double head = a.inCycle ? 16 : 12;
        QPen pen(colour, width, a.waits ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap);
        p.setPen(pen);
        const QPointF u = (end - start) / std::max(1e-9, std::hypot((end - start).x(), (end - start).y()));
        p.drawLine(start, end - u * head * 0.8);
        drawArrowHead(p, end, start, head, colour);
    }

    // Nodes: threads as rounded boxes, locks as ellipses in the hold colour.
    for (std::size_t i = 0; i < n; ++i) {
        const Node& node = m_nodes[i];
        const QRectF box(pos[i] - QPointF(half[i].width(), half[i].height()), half[i] * 2);
        QPen outline(node.inCycle ? deadlock : (node.waiting ? waitColour : pal.color(QPalette::Mid)),
                     node.inCycle ? 4 : (node.waiting ? 2.5 : 1.5));
        p.setPen(outline);
        if (node.isLock) {
            p.setBrush(StatePalette::hold());
            p.drawEllipse(box);
            p.setPen(QColor(0x22, 0x22, 0x22)); // dark on yellow, in either theme
        } else {
            p.setBrush(pal.button());
            p.drawRoundedRect(box, pad * 0.7, pad * 0.7);
            p.setPen(pal.color(QPalette::ButtonText));
        }
        p.drawText(box, Qt::AlignCenter, node.name);
    }
}

} // namespace interleave
