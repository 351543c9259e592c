// TraceStore: derives intervals, holds, markers, counters and statistics from event batches.
#include "tracestore.h"

#include "tracesession.h"

#include <QSignalBlocker>

#include <algorithm>

namespace interleave {

namespace {

bool isWaiting(ThreadState s)
{
    return s == ThreadState::WaitingLock || s == ThreadState::WaitingGil || s == ThreadState::BlockedQueue;
}

// Inserts keeping the vector sorted by key; batches arrive almost in order, so search from the back.
template<typename T, typename Key>
void insertSorted(std::vector<T>& v, const T& item, Key key)
{
    auto pos = v.end();
    while (pos != v.begin() && key(*(pos - 1)) > key(item))
        --pos;
    v.insert(pos, item);
}

// Sorts v[from..] and merges it into the sorted v[..from]. A tail that arrived in order (most do)
// is not handed to stable_sort, which takes a temporary buffer of half its size even then (fresh
// memory on every drain; P3 did not move measurably, 46-52 ns per event either way).
template<typename T, typename Less>
void mergeTail(std::vector<T>& v, std::size_t from, Less less)
{
    const auto mid = v.begin() + std::ptrdiff_t(from);
    if (!std::is_sorted(mid, v.end(), less))
        std::stable_sort(mid, v.end(), less);
    if (mid != v.end() && mid != v.begin())
        std::inplace_merge(std::upper_bound(v.begin(), mid, *mid, less), mid, v.end(), less);
}

} // namespace

TraceStore::TraceStore(QObject* parent)
    : QObject(parent)
{
}

TraceStore::~TraceStore() = default;

void TraceStore::clear()
{
    m_lanes.clear();
    m_objects.clear();
    m_texts.clear();
    m_console.clear();
    m_flows.clear();
    m_pending.clear();
    m_pauseEdges.clear();
    m_originNs = 0;
    m_endTime = 0;
    m_events = 0;
    m_dropped = 0;
    m_markersCapped = 0;
    m_raceMarksThinned = 0;
    m_holdsFolded = 0;
    m_historyStart = 0;
    m_agedOut = 0;
    m_dirty = false;
    Q_EMIT cleared();
}

void TraceStore::adopt(TraceContents&& c)
{
    clear();
    take(std::move(c));
    m_dirty = true;
    finishBatch();
}

void TraceStore::refill(TraceContents&& c)
{
    {
        const QSignalBlocker quiet(this); // clear()'s signal: this is the same session, not a new one
        clear();
    }
    take(std::move(c));
    Q_EMIT refilled();
}

void TraceStore::take(TraceContents&& c)
{
    m_lanes = std::move(c.lanes);
    m_objects = std::move(c.objects);
    m_texts = std::move(c.texts);
    m_console = std::move(c.console);
    m_flows = std::move(c.flows);
    m_endTime = c.endTime;
    m_events = c.events;
    m_dropped = c.dropped;
    setThinnedAtSource(c.raceMarksNotKept, c.holdsFolded);
}

void TraceStore::addLane(std::uint32_t id, const QString& name, LaneKind kind)
{
    if (m_lanes.size() <= id)
        m_lanes.resize(std::size_t(id) + 1);
    LaneData& l = m_lanes[id];
    l.id = id;
    l.name = name;
    l.kind = kind;
    m_dirty = true;
}

void TraceStore::renameLane(std::uint32_t id, const QString& name)
{
    if (id < m_lanes.size() && m_lanes[id].name != name) {
        m_lanes[id].name = name;
        m_dirty = true;
    }
}

void TraceStore::addObject(std::uint32_t id, const QString& name, ObjectKind kind, std::int64_t capacity)
{
    if (id == 0)
        return;
    if (m_objects.size() < id)
        m_objects.resize(id);
    ObjectData& o = m_objects[id - 1];
    o.id = id;
    o.name = name;
    o.kind = kind;
    o.capacity = capacity;
    m_dirty = true;
}

void TraceStore::addTexts(const std::vector<QString>& texts)
{
    m_texts.insert(m_texts.end(), texts.begin(), texts.end());
}

QString TraceStore::text(std::uint32_t id) const
{
    return id < m_texts.size() ? m_texts[id] : QString();
}

LaneData* TraceStore::laneById(std::uint32_t id)
{
    if (m_lanes.size() <= id)
        addLane(id, QStringLiteral("lane-%1").arg(id), LaneKind::Thread);
    return &m_lanes[id];
}

ObjectData* TraceStore::mutableObject(std::uint32_t id)
{
    if (id == 0)
        return nullptr;
    if (m_objects.size() < id)
        addObject(id, QStringLiteral("object-%1").arg(id), ObjectKind::Lock, 0);
    ObjectData& o = m_objects[id - 1];
    if (o.id == 0) // made by the resize for a later id, and not announced yet
        addObject(id, QStringLiteral("object-%1").arg(id), ObjectKind::Lock, 0);
    return &o;
}

const ObjectData* TraceStore::objectById(std::uint32_t id) const
{
    return id > 0 && id <= m_objects.size() ? &m_objects[id - 1] : nullptr;
}

void TraceStore::closeInterval(LaneData& lane, std::int64_t t)
{
    const std::int64_t end = std::max(t, lane.currentStart);
    if (end > lane.currentStart) {
        lane.intervals.push_back({lane.currentStart, end, lane.current, lane.currentObject});
        lane.stateNs[std::size_t(lane.current)] += end - lane.currentStart;
    }
    lane.currentStart = end;
}

void TraceStore::addCounter(ObjectData& o, std::int64_t t, std::int64_t value)
{
    // Appended here, merged into order when the batch ends (mergePending): lanes drained one after
    // another interleave in time, and inserting each sample in place would be quadratic.
    markPending(o);
    o.counter.push_back(CounterSample{t, double(value)});
}

void TraceStore::markPending(ObjectData& o)
{
    if (o.pendingCounterFrom == ObjectData::NoPending) {
        o.pendingCounterFrom = o.counter.size();
        o.pendingHoldsFrom = o.holds.size();
        m_pending.push_back(o.id);
    }
}

void TraceStore::mergePending()
{
    for (const std::uint32_t id : m_pending) {
        ObjectData& o = m_objects[id - 1];
        // One lane's samples arrive in time order; its holds in order of release (nested holds
        // end inside out), so those are sorted first.
        mergeTail(o.counter, o.pendingCounterFrom, [](const CounterSample& a, const CounterSample& b) { return a.t < b.t; });
        mergeTail(o.holds, o.pendingHoldsFrom, [](const HoldInterval& a, const HoldInterval& b) { return a.start < b.start; });
        o.pendingCounterFrom = ObjectData::NoPending;
        o.pendingHoldsFrom = ObjectData::NoPending;
    }
    m_pending.clear();
}

void TraceStore::openHold(LaneData& lane, std::uint32_t object, std::int64_t t, std::int64_t waitNs)
{
    lane.openHolds.push_back({object, lane.paused() ? -1 : t, waitNs});
}

void TraceStore::emitHold(LaneData& lane, const HoldInterval& h, std::int64_t heldNs)
{
    if (h.start < 0 || h.end <= h.start)
        return; // held only while the run was paused: nothing to draw
    insertSorted(lane.holds, h, [](const HoldInterval& x) { return x.start; });
    lane.maxHoldNs = std::max(lane.maxHoldNs, h.end - h.start);
    if (ObjectData* o = mutableObject(h.object)) {
        // A folded run is drawn from its first acquisition to its last release; it held the lock
        // for the sum of its holds (no longer than that: a pause may have cut the run).
        o->holdNsTotal += heldNs >= 0 ? std::min(heldNs, h.end - h.start) : h.end - h.start;
        markPending(*o);
        o->holds.push_back(h);
    }
}

void TraceStore::closeHold(LaneData& lane, std::uint32_t object, std::int64_t t, std::int64_t heldNs)
{
    for (auto it = lane.openHolds.rbegin(); it != lane.openHolds.rend(); ++it) {
        if (it->object != object)
            continue;
        const HoldInterval h{it->start, t, object, lane.id, it->waitNs};
        lane.openHolds.erase(std::next(it).base());
        emitHold(lane, h, heldNs);
        return;
    }
}

void TraceStore::appendFoldedHolds(LaneData& lane, const TraceEvent& e, std::int64_t t, std::int64_t before)
{
    // Holds of one lock by this lane, each taken without waiting, nobody else holding it in
    // between: drawn as one hold over their span, counted one by one. The waiters counter is
    // what it was at the first acquisition; any change within the run is another lane's event
    // (a wait begins, a waiter takes the lock) and is sampled there.
    const std::int64_t start = std::clamp<std::int64_t>(t - std::int64_t(e.aux), before, t);
    if (ObjectData* o = mutableObject(e.object)) {
        o->acquisitions += std::max<std::int64_t>(1, EventFlags::foldedHolds(e.value));
        addCounter(*o, start, EventFlags::foldedWaiters(e.value));
    }
    openHold(lane, e.object, start, -1);
    closeHold(lane, e.object, t, EventFlags::foldedHeldNs(e.value));
}

void TraceStore::addPauseEdge(std::int64_t ns)
{
    m_pauseEdges.push_back(m_pauseEdges.empty() ? ns : std::max(ns, m_pauseEdges.back()));
    m_dirty = true;
}

std::int64_t TraceStore::pausedNsBetween(std::int64_t a, std::int64_t b) const
{
    return pausedNsIn(m_pauseEdges, a, b);
}

void TraceStore::passPauseEdges(LaneData& lane, std::int64_t t)
{
    while (lane.pauseCursor < m_pauseEdges.size() && m_pauseEdges[lane.pauseCursor] <= t) {
        const std::int64_t edge = m_pauseEdges[lane.pauseCursor];
        const bool begins = lane.pauseCursor % 2 == 0;
        ++lane.pauseCursor;
        if (!lane.begun || lane.ended)
            continue;
        closeInterval(lane, edge);
        if (begins) {
            lane.resumeState = lane.current;
            lane.resumeObject = lane.currentObject;
            lane.current = ThreadState::Paused;
            lane.currentObject = 0;
            for (LaneData::OpenHold& h : lane.openHolds) { // cut, to go on after the pause
                emitHold(lane, HoldInterval{h.start, std::max(edge, h.start), h.object, lane.id, h.waitNs});
                h.start = -1;
            }
        } else {
            // A thread held at a checkpoint is released now: runnable, waking up, until it says
            // what it does next (its kernel check then records any longer wait for a core).
            lane.current = lane.resumeState == ThreadState::Paused ? ThreadState::Ready : lane.resumeState;
            lane.currentObject = lane.resumeObject;
            for (LaneData::OpenHold& h : lane.openHolds) {
                if (h.start < 0) {
                    h.start = edge;
                    h.waitNs = -1; // the same hold going on, not a new acquisition
                }
            }
        }
    }
}

void TraceStore::addCall(LaneData& lane, const TraceEvent& e, std::int64_t t)
{
    NamedSlice s;
    s.start = std::clamp(e.value - m_originNs, std::int64_t(0), t);
    s.end = t;
    s.name = e.object;
    s.depth = std::uint16_t(std::min<std::uint32_t>(e.aux, 0xFFFF));
    auto& slices = lane.slices;
    // Most calls go at the end; a caller goes before the callees that returned first.
    if (slices.empty() || !NamedSlice::before(s, slices.back()))
        slices.push_back(s);
    else
        slices.insert(std::upper_bound(slices.begin(), slices.end(), s, NamedSlice::before), s);
    lane.maxSliceNs = std::max(lane.maxSliceNs, s.end - s.start);
    lane.sliceDepth = std::max(lane.sliceDepth, int(s.depth) + 1);
}

void TraceStore::append(const TraceEvent* events, std::size_t count)
{
    appendDeferred(events, count);
    mergePending();
}

void TraceStore::appendDeferred(const TraceEvent* events, std::size_t count)
{
    if (count == 0)
        return;
    m_events += count;
    m_dirty = true;
    LaneData* lane = laneById(events[0].lane);
    for (std::size_t i = 0; i < count; ++i) {
        const TraceEvent& e = events[i];
        if (e.lane != lane->id)
            lane = laneById(e.lane);
        // Never let time run backwards inside a lane: derived intervals stay non-overlapping.
        const std::int64_t before = lane->lastT;
        const std::int64_t t = std::max(e.t - m_originNs, before);
        lane->lastT = t;
        m_endTime = std::max(m_endTime, t);
        if (lane->pauseCursor < m_pauseEdges.size() && m_pauseEdges[lane->pauseCursor] <= t)
            passPauseEdges(*lane, t);

        // 1. The lane's state (while paused, the state to show again on resume).
        if (!lane->begun) {
            lane->begun = true;
            lane->begin = t;
            lane->current = e.state;
            lane->currentStart = t;
            lane->currentObject = isWaiting(e.state) ? e.object : 0;
            if (lane->paused()) {
                lane->resumeState = lane->current;
                lane->resumeObject = lane->currentObject;
                lane->current = ThreadState::Paused;
                lane->currentObject = 0;
            }
        } else if (e.kind == EventKind::LaneEnd) {
            if (!lane->ended) {
                closeInterval(*lane, t);
                lane->ended = true;
                lane->end = t;
            }
        } else if (lane->ended) {
            // Nothing after its end changes a lane's state.
        } else if (lane->paused()) {
            lane->resumeState = e.state;
            lane->resumeObject = isWaiting(e.state) ? e.object : 0;
        } else if (e.state != lane->current) {
            closeInterval(*lane, t);
            lane->current = e.state;
            lane->currentObject = isWaiting(e.state) ? e.object : 0;
        }

        // 2. Objects, counters, markers.
        switch (e.kind) {
        case EventKind::LockWait:
        case EventKind::GilWait:
            lane->waitStart = t;
            if (e.kind == EventKind::LockWait) {
                if (ObjectData* o = mutableObject(e.object))
                    addCounter(*o, t, e.value); // waiters
            }
            break;
        case EventKind::LockAcquire:
        case EventKind::GilAcquire:
        {
            std::int64_t waitNs = -1;
            if (ObjectData* o = mutableObject(e.object)) {
                ++o->acquisitions;
                if (e.aux != 0) {
                    ++o->contended;
                    waitNs = 0;
                    if (lane->waitStart >= 0) {
                        waitNs = t - lane->waitStart - pausedNsBetween(lane->waitStart, t);
                        o->waitNsTotal += waitNs;
                        o->waitNsMax = std::max(o->waitNsMax, waitNs);
                    }
                }
                addCounter(*o, t, e.kind == EventKind::LockAcquire ? e.value : std::int64_t(lane->id));
            }
            lane->waitStart = -1;
            openHold(*lane, e.object, t, waitNs);
        }
            break;
        case EventKind::LockRelease:
        case EventKind::GilRelease:
            if (e.flags & EventFlags::FoldedHolds)
                appendFoldedHolds(*lane, e, t, before);
            else
                closeHold(*lane, e.object, t);
            if (e.kind == EventKind::GilRelease) {
                if (ObjectData* o = mutableObject(e.object))
                    addCounter(*o, t, -1);
            }
            break;
        case EventKind::LockTryFail:
            if (ObjectData* o = mutableObject(e.object))
                ++o->tryFailures;
            break;
        case EventKind::QueuePut:
        case EventKind::QueueGet:
            if (ObjectData* o = mutableObject(e.object)) {
                (e.kind == EventKind::QueuePut ? o->puts : o->gets) += 1;
                o->maxDepth = std::max(o->maxDepth, e.value);
                addCounter(*o, t, e.value);
            }
            lane->markers.push_back({t, e.value, lane->id, e.object, e.kind, e.aux});
            break;
        case EventKind::Counter:
            if (ObjectData* o = mutableObject(e.object))
                addCounter(*o, t, e.value);
            break;
        case EventKind::Print:
            insertSorted(m_console, StoredConsoleLine{t, lane->id, std::uint32_t(e.value)},
                         [](const StoredConsoleLine& c) { return c.t; });
            lane->markers.push_back({t, e.value, lane->id, e.object, e.kind, e.aux});
            break;
        case EventKind::RaceRead:
        case EventKind::RaceWrite:
            // Two per increment, millions a second: beyond the cap they only count.
            if (lane->raceMarkers >= RaceMarkerCap) {
                ++m_markersCapped;
                break;
            }
            ++lane->raceMarkers;
            lane->markers.push_back({t, e.value, lane->id, e.object, e.kind, e.aux});
            break;
        case EventKind::LostUpdate:
        case EventKind::GilDropRequest:
        case EventKind::QueueBlock:
        case EventKind::QueueTaskDone:
        case EventKind::Marker:
            lane->markers.push_back({t, e.value, lane->id, e.object, e.kind, e.aux});
            break;
        case EventKind::LaneEnd:
            // A thread that ends while holding something releases it in the picture.
            while (!lane->openHolds.empty())
                closeHold(*lane, lane->openHolds.back().object, t);
            break;
        case EventKind::KernelTimes:
            (e.aux == 0 ? lane->kernelRunningNs : lane->kernelReadyNs) = e.value;
            break;
        case EventKind::Call:
            addCall(*lane, e, t);
            break;
        case EventKind::LaneBegin:
        case EventKind::State:
        case EventKind::Count:
            break;
        }
    }
}

void TraceStore::advanceTo(std::int64_t ns)
{
    if (ns > m_endTime) {
        m_endTime = ns;
        m_dirty = true;
    }
    // Lanes with nothing recorded since a pause began or ended show it all the same.
    if (!m_pauseEdges.empty()) {
        for (LaneData& lane : m_lanes) {
            if (lane.pauseCursor < m_pauseEdges.size() && m_pauseEdges[lane.pauseCursor] <= m_endTime)
                passPauseEdges(lane, m_endTime);
        }
    }
}

void TraceStore::finishBatch()
{
    mergePending();
    if (!m_dirty)
        return;
    m_dirty = false;
    ageOut();
    Q_EMIT appended();
}

void TraceStore::ageOut()
{
    // A vector beyond its cap by a quarter loses its oldest entries down to the cap: amortised,
    // each entry is moved about four times at most.
    auto over = [](std::size_t size, std::size_t cap) { return cap > 0 && size > cap + cap / 4 ? size - cap : 0; };
    const std::size_t lanes = std::max<std::size_t>(1, m_lanes.size());
    auto share = [&](std::size_t total) { return std::max(total / lanes, m_cap.minPerLane); };
    // Drops the oldest entries of v beyond cap; timeOf says how far the history now reaches.
    auto trim = [&](auto& v, std::size_t cap, auto timeOf) {
        if (const std::size_t n = over(v.size(), cap)) {
            m_historyStart = std::max(m_historyStart, timeOf(v[n - 1]));
            v.erase(v.begin(), v.begin() + std::ptrdiff_t(n));
            m_agedOut += n;
        }
    };
    auto holdStart = [](const HoldInterval& h) { return h.start; };
    for (LaneData& lane : m_lanes) {
        trim(lane.intervals, share(m_cap.intervals), [](const StateInterval& i) { return i.end; });
        trim(lane.holds, share(m_cap.laneHolds), holdStart);
        trim(lane.markers, share(m_cap.markers), [](const Marker& m) { return m.t; });
    }
    for (ObjectData& o : m_objects) {
        trim(o.holds, m_cap.holdsPerObject, holdStart);
        if (const std::size_t n = over(o.counter.size(), m_cap.samplesPerObject)) {
            // Keep the time-weighted mean exact: remember the area under what goes.
            if (o.agedSamples == 0)
                o.agedFirstT = o.counter.front().t;
            for (std::size_t i = 0; i < n; ++i)
                o.agedArea += o.counter[i].value
                    * double(o.counter[i + 1].t - o.counter[i].t - pausedNsBetween(o.counter[i].t, o.counter[i + 1].t));
            o.agedSamples += std::int64_t(n);
            m_historyStart = std::max(m_historyStart, o.counter[n - 1].t);
            o.counter.erase(o.counter.begin(), o.counter.begin() + std::ptrdiff_t(n));
            m_agedOut += n;
        }
    }
}

std::pair<std::size_t, std::size_t> TraceStore::intervalRange(std::size_t laneIndex, std::int64_t t0,
                                                              std::int64_t t1) const
{
    const auto& iv = m_lanes[laneIndex].intervals;
    auto first = std::lower_bound(iv.begin(), iv.end(), t0,
                                  [](const StateInterval& s, std::int64_t t) { return s.end <= t; });
    auto last = std::lower_bound(first, iv.end(), t1,
                                 [](const StateInterval& s, std::int64_t t) { return s.start < t; });
    return {std::size_t(first - iv.begin()), std::size_t(last - iv.begin())};
}

ThreadState TraceStore::stateAt(std::size_t laneIndex, std::int64_t t) const
{
    const LaneData& l = m_lanes[laneIndex];
    if (!l.begun || t < l.begin || (l.ended && t >= l.end))
        return ThreadState::Count;
    if (t >= l.currentStart && !l.ended)
        return l.current;
    const auto [first, last] = intervalRange(laneIndex, t, t + 1);
    return first < last ? l.intervals[first].state : ThreadState::Count;
}

std::array<std::int64_t, ThreadStateCount> TraceStore::stateTotals(std::size_t laneIndex) const
{
    const LaneData& l = m_lanes[laneIndex];
    auto totals = l.stateNs;
    if (l.begun && !l.ended && m_endTime > l.currentStart)
        totals[std::size_t(l.current)] += m_endTime - l.currentStart;
    return totals;
}

std::int64_t TraceStore::laneWallNs(std::size_t laneIndex) const
{
    const LaneData& l = m_lanes[laneIndex];
    if (!l.begun)
        return 0;
    return (l.ended ? l.end : std::max(m_endTime, l.begin)) - l.begin;
}

double TraceStore::counterMean(const ObjectData& o) const
{
    // Time-weighted, over the time the run was not paused.
    auto active = [this](std::int64_t a, std::int64_t b) {
        return double(b - a) - (m_pauseEdges.empty() ? 0.0 : double(pausedNsBetween(a, b)));
    };
    if (o.agedSamples > 0 && !o.counter.empty()) {
        double area = o.agedArea;
        for (std::size_t i = 0; i + 1 < o.counter.size(); ++i)
            area += o.counter[i].value * active(o.counter[i].t, o.counter[i + 1].t);
        const double span = active(o.agedFirstT, o.counter.back().t);
        return span > 0 ? area / span : o.counter.back().value;
    }
    if (o.counter.size() < 2)
        return o.counter.empty() ? 0.0 : o.counter.front().value;
    double area = 0;
    for (std::size_t i = 0; i + 1 < o.counter.size(); ++i)
        area += o.counter[i].value * active(o.counter[i].t, o.counter[i + 1].t);
    const double span = active(o.counter.front().t, o.counter.back().t);
    return span > 0 ? area / span : o.counter.back().value;
}

} // namespace interleave
