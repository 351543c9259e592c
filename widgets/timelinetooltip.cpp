// TimelineToolTip: rich text, names escaped; slices of imported traces show their nesting.
#include "timelinetooltip.h"

#include "gillanepainter.h"
#include "slicepainter.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

TimelineToolTip::TimelineToolTip(const TraceStore& store, const TimeMapping& map, int laneHeight)
    : m_store(store)
    , m_map(map)
    , m_laneHeight(laneHeight)
{
}

QString TimelineToolTip::text(const TimelineRow& row, int y, std::int64_t t) const
{
    const QString at = TimeMapping::formatTime(t, TimeMapping::tickStepNs(m_map.nsPerPixel, 1));
    if (row.lane < 0)
        return gilText(t, at);
    const LaneData& lane = m_store.lane(std::size_t(row.lane));
    if (const int top = row.y + SlicePainter::bandTop(lane, m_laneHeight); !lane.slices.empty() && y >= top) {
        const QString calls = sliceText(lane, top, y, t);
        if (!calls.isEmpty() || !lane.begun)
            return calls; // a lane with states of its own says its state where no call is
    }
    return stateText(std::size_t(row.lane), t, at);
}

QString TimelineToolTip::objectName(std::uint32_t id) const
{
    const ObjectData* o = m_store.objectById(id);
    return o ? o->name : QString();
}

QString TimelineToolTip::gilText(std::int64_t t, const QString& at) const
{
    const ObjectData* gil = m_store.objectById(GilLanePainter::gilObject(m_store));
    if (!gil)
        return {};
    for (const HoldInterval& h : gil->holds) {
        if (h.start <= t && t < h.end)
            return u"GIL held by %1 for %2 (at %3)"_s.arg(m_store.lane(h.lane).name,
                                                         TimeMapping::formatDuration(h.end - h.start), at);
    }
    return u"GIL free (at %1)"_s.arg(at);
}

QString TimelineToolTip::sliceText(const LaneData& lane, int rowY, int y, std::int64_t t) const
{
    const int levels = SlicePainter::levels(lane);
    const int rowH = SlicePainter::levelHeight(lane, m_laneHeight);
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
            stack.append(m_store.text(it->name).toHtmlEscaped());
    }
    if (!under)
        return stack.isEmpty() ? QString() : stack.join(u" › "_s);
    QString text = u"<b>%1</b>"_s.arg(m_store.text(under->name).toHtmlEscaped());
    if (under->category != 0)
        text += u" (%1)"_s.arg(m_store.text(under->category).toHtmlEscaped());
    text += u"<br>%1 on %2"_s.arg(TimeMapping::formatDuration(under->end - under->start), lane.name.toHtmlEscaped());
    if (under->flags & NamedSlice::Unclosed)
        text += u"<br>never ended in the trace: cut at its end"_s;
    if (stack.size() > 1)
        text += u"<br>"_s + stack.join(u" › "_s);
    return text;
}

QString TimelineToolTip::stateText(std::size_t laneIndex, std::int64_t t, const QString& at) const
{
    const LaneData& lane = m_store.lane(laneIndex);
    const auto [first, last] = m_store.intervalRange(laneIndex, t, t + 1);
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
    } else if (lane.begun && !lane.ended && t >= lane.currentStart && t <= m_store.endTime()) {
        state = lane.current;
        start = lane.currentStart;
        end = m_store.endTime();
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

} // namespace interleave
