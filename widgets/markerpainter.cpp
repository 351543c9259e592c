// MarkerPainter: one tick per pixel column, chosen by priority, each a fillRect; interpreters'
// start-ups as a bracketed stretch.
#include "markerpainter.h"

#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

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
        if (m.aux == std::uint32_t(MarkerType::InterpreterStarting) || m.aux == std::uint32_t(MarkerType::InterpreterReady))
            return 0; // drawn as a stretch of its own (paintStartup)
        return m.aux == std::uint32_t(MarkerType::TaskStart) || m.aux == std::uint32_t(MarkerType::TaskNamed)
            ? 5
            : 3; // a task's label beats its predecessor's end
    case EventKind::LostUpdate: return 6;
    case EventKind::Print: return 4;
    case EventKind::QueuePut:
    case EventKind::QueueGet: return 2;
    default: return 1;
    }
}

void drawMarker(QPainter& p, const Marker& m, int x, int y, int h, const QColor& text, const TraceStore* store)
{
    switch (m.kind) {
    case EventKind::LostUpdate:
        // A red tick over the top of the bar: the state underneath stays readable.
        p.fillRect(x, y - 3, 2, h / 2 + 3, StatePalette::lostUpdate());
        break;
    case EventKind::Marker:
        if (m.aux == std::uint32_t(MarkerType::Deadlock)) {
            p.fillRect(x - 1, y - 3, 3, h + 6, StatePalette::deadlock());
        } else if (m.aux == std::uint32_t(MarkerType::TaskStart)) {
            p.fillRect(x, y, 1, h, text);
            p.setPen(Qt::white);
            p.drawText(QRect(x + 3, y, 80, h), Qt::AlignVCenter | Qt::AlignLeft, u"task %1"_s.arg(m.value + 1));
        } else if (m.aux == std::uint32_t(MarkerType::TaskNamed)) {
            p.fillRect(x, y, 1, h, text);
            p.setPen(Qt::white);
            const QRect room(x + 3, y, 120, h);
            const QString name = store ? store->text(std::uint32_t(m.value)) : QString();
            p.drawText(room, Qt::AlignVCenter | Qt::AlignLeft,
                       QFontMetrics(p.font()).elidedText(name, Qt::ElideRight, room.width()));
        } else if (m.aux == std::uint32_t(MarkerType::ProcessStarted)) {
            p.fillRect(x, y - 2, 2, h + 4, text);
        } else if (m.aux == std::uint32_t(MarkerType::InterpreterStarting)
                   || m.aux == std::uint32_t(MarkerType::InterpreterReady)) {
            // paintStartup drew it
        } else { // a note (an imported instant): a tick above the bar
            p.fillRect(x, y - 3, 2, 6, text);
        }
        break;
    case EventKind::Print:
        p.fillRect(x, y, 2, h / 3, text);
        break;
    case EventKind::QueuePut:
        p.fillRect(x, y + h - 4, 2, 4, text);
        break;
    case EventKind::QueueGet:
        p.fillRect(x, y, 2, 4, text);
        break;
    default: // race read/write: a faint tick, visible when zoomed in
        p.fillRect(x, y + h / 3, 1, h / 3, QColor(255, 255, 255, 110));
        break;
    }
}

bool isMarker(const Marker& m, MarkerType type)
{
    return m.kind == EventKind::Marker && m.aux == std::uint32_t(type);
}

// A sub-interpreter's start-up, from its InterpreterStarting marker to the InterpreterReady that
// follows: a bracket over the bar (ticks at both ends, a strip along the top) and "start-up" in
// it when it fits. The state underneath (Running, or Ready) stays visible. A start-up is the first
// thing an interpreter's lane records, so only a lane's first marker is looked at: the cost per
// frame stays the same however many markers other lanes hold.
void paintStartup(QPainter& p, TimelineFrame& f, const LaneData& lane, int y)
{
    const auto& markers = lane.markers;
    if (markers.empty() || !isMarker(markers.front(), MarkerType::InterpreterStarting))
        return;
    const TimeMapping& map = f.map;
    const std::int64_t start = markers.front().t;
    std::int64_t end = lane.ended ? lane.end : std::max(lane.lastT, start); // still starting
    bool ready = false;
    for (std::size_t i = 1; i < markers.size() && i < 8; ++i) {
        if (isMarker(markers[i], MarkerType::InterpreterReady)) {
            end = markers[i].t;
            ready = true;
            break;
        }
    }
    if (end < map.t0 || start > map.t1())
        return;
    const double x0 = std::floor(map.xOf(start));
    const double x1 = std::floor(map.xOf(end));
    const int left = int(std::max(x0, -4.0));
    const int right = int(std::min(x1, map.width + 4));
    const int h = f.laneHeight;
    const QColor text = f.palette.color(QPalette::Text);
    p.fillRect(left, y - 3, std::max(2, right - left + 2), 4, text); // the strip over the bar
    if (x0 >= -4)
        p.fillRect(int(x0), y - 3, 2, h + 3, text);
    if (ready && x1 <= map.width + 4)
        p.fillRect(int(x1), y - 3, 2, h + 3, text);
    f.fills += 3;
    const QString label = u"start-up"_s;
    const int room = right - left - 6;
    if (room >= QFontMetrics(p.font()).horizontalAdvance(label)) {
        p.setPen(Qt::white);
        p.drawText(QRect(left + 4, y, room, h), Qt::AlignVCenter | Qt::AlignLeft, label);
    }
}

} // namespace

void MarkerPainter::paint(QPainter& p, TimelineFrame& f, const LaneData& lane, int y)
{
    paintStartup(p, f, lane, y);
    const TimeMapping& map = f.map;
    const auto& markers = lane.markers;
    auto byTime = [](const Marker& m, std::int64_t t) { return m.t < t; };
    auto it = std::lower_bound(markers.begin(), markers.end(), map.t0, byTime);
    const auto stop = std::lower_bound(it, markers.end(), map.t1() + 1, byTime);
    const QColor text = f.palette.color(QPalette::Text);
    while (it != stop) {
        const double column = std::floor(map.xOf(it->t));
        // Rounding can put timeAt(column + 1) on the marker itself: always move past it.
        const std::int64_t columnEnd = std::max(map.timeAt(column + 1), it->t + 1);
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
        drawMarker(p, *best, int(column), y, f.laneHeight, text, f.store);
        ++f.fills;
    }
}

} // namespace interleave
