// contentsUpTo: a store cut at the playhead, shaped as the live store was at that moment.
#include "replay.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

template<typename T, typename TimeOf>
std::vector<T> upTo(const std::vector<T>& items, std::int64_t t, TimeOf timeOf)
{
    const auto end = std::upper_bound(items.begin(), items.end(), t,
                                      [&](std::int64_t at, const T& item) { return at < timeOf(item); });
    return std::vector<T>(items.begin(), end);
}

void cutLane(const TraceStore& full, std::size_t index, std::int64_t t, LaneData& out)
{
    const LaneData& l = full.lane(index);
    out.id = l.id;
    out.name = l.name;
    out.kind = l.kind;
    if (!l.begun || l.begin > t)
        return; // not begun yet: a name without a bar, as live
    out.begun = true;
    out.begin = l.begin;
    out.sliceDepth = l.sliceDepth;
    const bool ended = l.ended && l.end <= t;
    // Intervals: the closed ones that end by t; the one covering t is the open interval then.
    const auto [first, last] = full.intervalRange(index, std::numeric_limits<std::int64_t>::min() / 2, t + 1);
    (void)first;
    for (std::size_t k = 0; k < last; ++k) {
        const StateInterval& s = l.intervals[k];
        if (s.end <= t || ended) {
            out.intervals.push_back(s);
            out.stateNs[std::size_t(s.state)] += s.end - s.start;
        } else if (s.start <= t) {
            out.current = s.state;
            out.currentStart = s.start;
            out.currentObject = s.object;
        }
    }
    if (ended) {
        out.ended = true;
        out.end = l.end;
        out.kernelRunningNs = l.kernelRunningNs;
        out.kernelReadyNs = l.kernelReadyNs;
    } else if (last == 0 || l.intervals[last - 1].end <= t) {
        // Past the closed intervals: the live lane's own open interval.
        if (l.begun && !l.ended && l.currentStart <= t) {
            out.current = l.current;
            out.currentStart = l.currentStart;
            out.currentObject = l.currentObject;
        } else if (!l.intervals.empty() && last > 0) {
            out.current = l.intervals[last - 1].state;
            out.currentStart = l.intervals[last - 1].end;
        } else {
            out.currentStart = l.begin;
        }
    }
    out.lastT = std::min(t, l.lastT);
    for (const HoldInterval& h : l.holds) {
        if (h.start > t)
            break;
        if (h.end <= t || ended) {
            out.holds.push_back(h);
            out.maxHoldNs = std::max(out.maxHoldNs, h.end - h.start);
        } else {
            out.openHolds.push_back({h.object, h.start, h.waitNs});
        }
    }
    for (const LaneData::OpenHold& h : l.openHolds)
        if (h.start >= 0 && h.start <= t)
            out.openHolds.push_back(h);
    out.markers = upTo(l.markers, t, [](const Marker& m) { return m.t; });
    for (const Marker& m : out.markers)
        out.raceMarkers += m.kind == EventKind::RaceRead || m.kind == EventKind::RaceWrite ? 1 : 0;
    for (const NamedSlice& s : l.slices) {
        if (s.start > t)
            break;
        NamedSlice cut = s;
        cut.end = std::min(cut.end, t);
        out.maxSliceNs = std::max(out.maxSliceNs, cut.end - cut.start);
        out.slices.push_back(cut);
    }
}

void cutObject(const ObjectData& o, std::int64_t t, bool atEnd, ObjectData& out)
{
    out.id = o.id;
    out.name = o.name;
    out.kind = o.kind;
    out.capacity = o.capacity;
    out.counter = upTo(o.counter, t, [](const CounterSample& c) { return c.t; });
    for (const HoldInterval& h : o.holds) {
        if (h.start > t)
            break;
        // Open at t: counted as an acquisition, held so far; drawn from the lane's open hold.
        ++out.acquisitions;
        if (h.waitNs >= 0) {
            ++out.contended;
            out.waitNsTotal += h.waitNs;
            out.waitNsMax = std::max(out.waitNsMax, h.waitNs);
        }
        out.holdNsTotal += std::min(h.end, t) - h.start;
        if (h.end <= t)
            out.holds.push_back(h);
    }
    if (o.kind == ObjectKind::Queue)
        for (const CounterSample& c : out.counter)
            out.maxDepth = std::max(out.maxDepth, std::int64_t(c.value));
    if (atEnd) {
        // The whole run: its own figures, which also count holds drawn folded or aged out.
        out.acquisitions = o.acquisitions;
        out.contended = o.contended;
        out.waitNsTotal = o.waitNsTotal;
        out.waitNsMax = o.waitNsMax;
        out.holdNsTotal = o.holdNsTotal;
        out.tryFailures = o.tryFailures;
        out.maxDepth = o.maxDepth;
        out.agedArea = o.agedArea;
        out.agedFirstT = o.agedFirstT;
        out.agedSamples = o.agedSamples;
    }
}

} // namespace

TraceContents contentsUpTo(const TraceStore& full, std::int64_t t)
{
    TraceContents c;
    t = std::clamp<std::int64_t>(t, 0, full.endTime());
    std::size_t lanes = 0;
    for (std::size_t i = 0; i < full.laneCount(); ++i)
        lanes = std::max<std::size_t>(lanes, std::size_t(full.lane(i).id) + 1);
    c.lanes.resize(lanes);
    for (std::size_t i = 0; i < full.laneCount(); ++i)
        cutLane(full, i, t, c.lanes[full.lane(i).id]);
    c.objects.resize(full.objectCount());
    for (std::size_t o = 0; o < full.objectCount(); ++o)
        cutObject(full.object(o), t, t >= full.endTime(), c.objects[o]);
    // Puts and gets are counted from the lanes' marks (a queue's figures have no times).
    for (const LaneData& l : c.lanes)
        for (const Marker& m : l.markers)
            if ((m.kind == EventKind::QueuePut || m.kind == EventKind::QueueGet) && m.object >= 1
                && m.object <= c.objects.size())
                (m.kind == EventKind::QueuePut ? c.objects[m.object - 1].puts : c.objects[m.object - 1].gets) += 1;
    c.texts.reserve(full.textCount());
    for (std::size_t i = 0; i < full.textCount(); ++i)
        c.texts.push_back(full.text(std::uint32_t(i)));
    c.console = upTo(full.console(), t, [](const StoredConsoleLine& l) { return l.t; });
    for (const FlowArrow& f : full.flows())
        if (f.t1 <= t)
            c.flows.push_back(f);
    c.endTime = t;
    if (t >= full.endTime()) {
        c.events = full.eventsRecorded();
        c.dropped = full.eventsDropped();
        c.raceMarksNotKept = full.markersCapped();
        c.holdsFolded = full.holdsFolded();
    }
    return c;
}

ReplayFigures replayFigures(const TraceStore& store)
{
    ReplayFigures f;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        for (const Marker& m : store.lane(i).markers) {
            switch (m.kind) {
            case EventKind::LostUpdate:
                f.lostSoFar += m.value;
                break;
            case EventKind::RaceRead:
            case EventKind::RaceWrite:
                f.anyRaceMarks = true;
                break;
            case EventKind::QueuePut:
                ++f.puts;
                break;
            case EventKind::QueueGet:
                ++f.gets;
                break;
            case EventKind::Marker:
                if (m.aux == std::uint32_t(MarkerType::Deadlock) && (f.deadlockAt < 0 || m.t < f.deadlockAt))
                    f.deadlockAt = m.t;
                break;
            default:
                break;
            }
        }
    }
    for (std::size_t o = 0; o < store.objectCount(); ++o) {
        const ObjectData& obj = store.object(o);
        f.anyQueue = f.anyQueue || obj.kind == ObjectKind::Queue;
        if (obj.kind == ObjectKind::Gil) {
            f.anyGil = true;
            f.gilHandOffs += obj.contended;
        }
    }
    return f;
}

QString replaySentence(const ReplayFigures& f, const ReplayFigures& whole, std::int64_t t, std::int64_t end)
{
    const QLocale locale;
    auto seconds = [](std::int64_t ns) -> QString { return QString::number(double(ns) / 1e9, 'f', 3) + u" s"_s; };
    QStringList parts;
    if (whole.anyRaceMarks || whole.lostSoFar != 0)
        parts << (f.lostSoFar == 1 ? u"1 update lost so far"_s
                                   : u"%1 updates lost so far"_s.arg(locale.toString(qlonglong(f.lostSoFar))));
    if (f.deadlockAt >= 0)
        parts << u"deadlock formed at %1"_s.arg(seconds(f.deadlockAt));
    if (whole.anyQueue)
        parts << u"%1 put, %2 taken so far"_s.arg(locale.toString(qlonglong(f.puts)), locale.toString(qlonglong(f.gets)));
    if (whole.anyGil)
        parts << u"%1 GIL hand-offs so far"_s.arg(locale.toString(qlonglong(f.gilHandOffs)));
    QString text = u"Replay at %1 of %2"_s.arg(seconds(t), seconds(end));
    if (!parts.isEmpty())
        text += u": "_s + parts.join(u", "_s);
    return text;
}

Replay::Replay(TraceStore* shown, QObject* parent)
    : QObject(parent)
    , m_shown(shown)
{
    m_timer.setInterval(33); // 30 frames a second: smooth enough, and a refill per frame
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Replay::tick);
    connect(m_shown, &TraceStore::cleared, this, &Replay::onStoreCleared);
}

Replay::~Replay() = default;

std::int64_t Replay::length() const
{
    return m_recording ? m_recording->endTime() : 0;
}

bool Replay::begin()
{
    if (m_recording)
        return true;
    if (m_shown->laneCount() == 0 || m_shown->endTime() <= 0)
        return false;
    m_recording = std::make_unique<TraceStore>();
    m_recording->adopt(contentsUpTo(*m_shown, m_shown->endTime()));
    m_playhead = m_recording->endTime();
    m_figures = replayFigures(*m_shown);
    m_whole = m_figures;
    Q_EMIT activeChanged(true);
    Q_EMIT playheadChanged(m_playhead);
    return true;
}

void Replay::end()
{
    if (!m_recording)
        return;
    pause();
    auto whole = std::move(m_recording);
    m_shown->refill(contentsUpTo(*whole, whole->endTime()));
    Q_EMIT activeChanged(false);
}

void Replay::onStoreCleared()
{
    // A new run or an opened trace replaced the recording: nothing to put back.
    if (!m_recording)
        return;
    m_timer.stop();
    m_recording.reset();
    Q_EMIT playingChanged(false);
    Q_EMIT activeChanged(false);
}

void Replay::seek(std::int64_t t)
{
    if (!m_recording)
        return;
    m_playhead = std::clamp<std::int64_t>(t, 0, m_recording->endTime());
    m_shown->refill(contentsUpTo(*m_recording, m_playhead));
    m_figures = replayFigures(*m_shown);
    Q_EMIT playheadChanged(m_playhead);
}

void Replay::play()
{
    if (!m_recording || m_timer.isActive())
        return;
    if (m_playhead >= m_recording->endTime())
        seek(0);
    m_wall.start();
    m_lastTick = 0;
    m_timer.start();
    Q_EMIT playingChanged(true);
}

void Replay::pause()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    Q_EMIT playingChanged(false);
}

void Replay::setSpeed(double speed)
{
    speed = std::clamp(speed, MinSpeed, MaxSpeed);
    if (speed == m_speed)
        return;
    m_speed = speed;
    Q_EMIT speedChanged(speed);
}

bool Replay::stepLane(std::size_t laneIndex)
{
    if (!m_recording || laneIndex >= m_recording->laneCount())
        return false;
    const std::int64_t next = nextEventOnLane(*m_recording, laneIndex, m_playhead);
    if (next < 0)
        return false;
    pause();
    seek(next);
    return true;
}

void Replay::tick()
{
    // The wall time since the last frame, at the speed: a late frame catches up, it does not slow
    // the replay down.
    const std::int64_t now = m_wall.nsecsElapsed();
    const auto step = std::int64_t(double(now - m_lastTick) * m_speed);
    m_lastTick = now;
    seek(m_playhead + step);
    if (m_recording && m_playhead >= m_recording->endTime())
        pause();
}

std::int64_t nextEventOnLane(const TraceStore& store, std::size_t laneIndex, std::int64_t t)
{
    const LaneData& l = store.lane(laneIndex);
    std::int64_t next = -1;
    auto consider = [&](std::int64_t at) {
        if (at > t && (next < 0 || at < next))
            next = at;
    };
    const auto [first, last] = store.intervalRange(laneIndex, t, t + 1);
    if (first < last)
        consider(l.intervals[first].end);
    else if (last < l.intervals.size())
        consider(l.intervals[last].start);
    if (l.begun && !l.ended)
        consider(l.currentStart);
    if (l.begun)
        consider(l.begin);
    if (l.ended)
        consider(l.end);
    const auto m = std::upper_bound(l.markers.begin(), l.markers.end(), t,
                                    [](std::int64_t at, const Marker& mk) { return at < mk.t; });
    if (m != l.markers.end())
        consider(m->t);
    for (const HoldInterval& h : l.holds) {
        consider(h.start);
        consider(h.end);
        if (h.start > t && next >= 0 && h.start > next)
            break;
    }
    return next;
}

} // namespace interleave
