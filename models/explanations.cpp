// Explanations of marks, derived after the fact from the store's markers, intervals and holds.
#include "explanations.h"

#include "scenario.h"
#include "tracestore.h"

#include <QStringList>

#include <algorithm>
#include <map>
#include <tuple>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

constexpr std::size_t NoIndex = std::size_t(-1);

// Lane ids to indexes: ids are small and dense in practice, but nothing here relies on it.
class LaneIndex
{
public:
    explicit LaneIndex(const TraceStore& store)
    {
        for (std::size_t i = 0; i < store.laneCount(); ++i)
            m_index[store.lane(i).id] = i;
    }
    std::size_t of(std::uint32_t id) const
    {
        const auto it = m_index.find(id);
        return it == m_index.end() ? NoIndex : it->second;
    }

private:
    std::map<std::uint32_t, std::size_t> m_index;
};

QString laneName(const TraceStore& store, std::uint32_t id)
{
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        if (store.lane(i).id == id)
            return store.lane(i).name;
    return u"lane %1"_s.arg(id);
}

QString objectName(const TraceStore& store, std::uint32_t id)
{
    const ObjectData* o = store.objectById(id);
    return o ? o->name : u"object %1"_s.arg(id);
}

double ms(std::int64_t ns)
{
    return round3(double(ns) / 1e6);
}

QString msText(std::int64_t ns)
{
    return QString::number(double(ns) / 1e6, 'f', 1) + u" ms"_s;
}

// The lost update whose mark is markers[k] of this lane: the writer's read and write are the
// race marks just before the mark (a thread records read, write, lost update, in that order).
std::optional<LostUpdateExample> lostUpdateFrom(const TraceStore& store, std::size_t laneIndex, std::size_t k)
{
    const LaneData& lane = store.lane(laneIndex);
    const Marker& mark = lane.markers[k];
    // A write over a smaller value than it read (the counter had gone back, itself by a lost
    // update) gives updates back instead of losing them: it explains nothing on its own.
    if (mark.value <= 0)
        return std::nullopt;
    std::size_t write = NoIndex;
    std::size_t read = NoIndex;
    for (std::size_t j = k; j-- > 0;) {
        const Marker& m = lane.markers[j];
        if (m.object != mark.object)
            continue;
        if (write == NoIndex && m.kind == EventKind::RaceWrite) {
            write = j;
        } else if (write != NoIndex && m.kind == EventKind::RaceRead) {
            read = j;
            break;
        } else if (m.kind == EventKind::RaceRead || m.kind == EventKind::RaceWrite || m.kind == EventKind::LostUpdate) {
            return std::nullopt; // not the pattern of one increment: its marks were not all kept
        }
    }
    if (read == NoIndex || lane.markers[write].value != lane.markers[read].value + 1)
        return std::nullopt;
    LostUpdateExample e;
    e.lost = mark.value;
    e.markT = mark.t;
    e.writer = {lane.id, lane.markers[read].t, lane.markers[read].value, lane.markers[write].t,
                lane.markers[write].value};
    // The write it replaced put read + lost into the counter after the writer's read: the last
    // such write recorded up to the writer's own (a thread records its write just after making
    // it, so a write made first may be recorded a little later: then the nearest after).
    const std::int64_t overwrittenValue = e.writer.read + e.lost;
    const Marker* best = nullptr;
    std::size_t bestLane = NoIndex;
    std::size_t bestIndex = 0;
    auto better = [&](const Marker& m) {
        if (!best)
            return true;
        const bool mBefore = m.t <= e.writer.writeT;
        const bool bestBefore = best->t <= e.writer.writeT;
        if (mBefore != bestBefore)
            return mBefore;
        return mBefore ? m.t > best->t : m.t < best->t;
    };
    const std::int64_t slack = std::max<std::int64_t>(e.writer.writeT - e.writer.readT, 1'000'000);
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        if (i == laneIndex)
            continue;
        const auto& markers = store.lane(i).markers;
        auto it = std::lower_bound(markers.begin(), markers.end(), e.writer.readT,
                                   [](const Marker& m, std::int64_t t) { return m.t < t; });
        for (; it != markers.end() && it->t <= e.writer.writeT + slack; ++it) {
            if (it->kind == EventKind::RaceWrite && it->object == mark.object && it->value == overwrittenValue
                && better(*it)) {
                best = &*it;
                bestLane = i;
                bestIndex = std::size_t(it - markers.begin());
            }
        }
    }
    if (best) {
        const auto& markers = store.lane(bestLane).markers;
        for (std::size_t j = bestIndex; j-- > 0;) {
            if (markers[j].object == mark.object && markers[j].kind == EventKind::RaceRead) {
                if (markers[j].value + 1 == best->value) {
                    e.overwritten = {store.lane(bestLane).id, markers[j].t, markers[j].value, best->t, best->value};
                    e.overwrittenKnown = true;
                }
                break;
            }
        }
    }
    return e;
}

// A waiting-for-lock interval of the lane covering t: (lock, since).
std::optional<std::pair<std::uint32_t, std::int64_t>> lockWaitAt(const TraceStore& store, std::size_t laneIndex,
                                                                   std::int64_t t)
{
    const LaneData& l = store.lane(laneIndex);
    if (!l.begun || t < l.begin || (l.ended && t >= l.end))
        return std::nullopt;
    if (!l.ended && t >= l.currentStart) {
        if (l.current == ThreadState::WaitingLock)
            return std::make_pair(l.currentObject, l.currentStart);
        return std::nullopt;
    }
    const auto [first, last] = store.intervalRange(laneIndex, t, t + 1);
    if (first < last && l.intervals[first].state == ThreadState::WaitingLock)
        return std::make_pair(l.intervals[first].object, l.intervals[first].start);
    return std::nullopt;
}

// The holds of locks open at t on the lane: (lock, since).
std::vector<std::pair<std::uint32_t, std::int64_t>> holdsAt(const LaneData& l, std::int64_t t)
{
    std::vector<std::pair<std::uint32_t, std::int64_t>> out;
    for (const HoldInterval& h : l.holds) {
        if (h.start > t)
            break;
        if (h.end > t)
            out.emplace_back(h.object, h.start);
    }
    for (const LaneData::OpenHold& h : l.openHolds)
        if (h.start >= 0 && h.start <= t)
            out.emplace_back(h.object, h.start);
    return out;
}

QJsonObject accessJson(const TraceStore& store, const LostUpdateExample::Access& a)
{
    return QJsonObject{{u"thread"_s, laneName(store, a.lane)},
                       {u"read"_s, qint64(a.read)},
                       {u"read_ms"_s, ms(a.readT)},
                       {u"wrote"_s, qint64(a.wrote)},
                       {u"write_ms"_s, ms(a.writeT)}};
}

QString updatesLost(std::int64_t n)
{
    return n == 1 ? u"one update lost"_s : u"%1 updates lost"_s.arg(n);
}

} // namespace

QString explainedTime(std::int64_t ns)
{
    if (ns >= 1'000'000'000 || ns <= -1'000'000'000)
        return QString::number(double(ns) / 1e9, 'f', 4) + u" s"_s;
    return QString::number(double(ns) / 1e6, 'f', 3) + u" ms"_s;
}

std::vector<LostUpdateExample> lostUpdateExamples(const TraceStore& store, std::size_t max)
{
    std::vector<LostUpdateExample> all;
    // The first `max` of every lane are enough for the first `max` of all.
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const auto& markers = store.lane(i).markers;
        std::size_t found = 0;
        for (std::size_t k = 0; k < markers.size() && found < max; ++k) {
            if (markers[k].kind != EventKind::LostUpdate)
                continue;
            if (auto e = lostUpdateFrom(store, i, k)) {
                all.push_back(*e);
                ++found;
            }
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const LostUpdateExample& a, const LostUpdateExample& b) {
        return a.writer.writeT < b.writer.writeT;
    });
    if (all.size() > max)
        all.resize(max);
    return all;
}

std::optional<LostUpdateExample> lostUpdateAt(const TraceStore& store, std::uint32_t lane, std::int64_t t)
{
    const LaneIndex index(store);
    const std::size_t i = index.of(lane);
    if (i == NoIndex)
        return std::nullopt;
    const auto& markers = store.lane(i).markers;
    std::size_t nearest = NoIndex;
    std::int64_t distance = 0;
    for (std::size_t k = 0; k < markers.size(); ++k) {
        if (markers[k].kind != EventKind::LostUpdate || markers[k].value <= 0)
            continue;
        const std::int64_t d = std::abs(markers[k].t - t);
        if (nearest == NoIndex || d < distance) {
            nearest = k;
            distance = d;
        }
    }
    if (nearest == NoIndex)
        return std::nullopt;
    return lostUpdateFrom(store, i, nearest);
}

std::vector<CycleStep> deadlockCycle(const TraceStore& store, std::int64_t t)
{
    if (t == std::numeric_limits<std::int64_t>::min()) {
        t = store.endTime();
        for (std::size_t i = 0; i < store.laneCount(); ++i)
            for (const Marker& m : store.lane(i).markers)
                if (m.kind == EventKind::Marker && m.aux == std::uint32_t(MarkerType::Deadlock))
                    t = std::min(t, m.t);
    }
    // lock -> (holder lane index, since); lane index -> (lock, since)
    std::map<std::uint32_t, std::pair<std::size_t, std::int64_t>> holder;
    std::vector<std::optional<std::pair<std::uint32_t, std::int64_t>>> waits(store.laneCount());
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        for (const auto& [lock, since] : holdsAt(store.lane(i), t))
            holder[lock] = {i, since};
        waits[i] = lockWaitAt(store, i, t);
    }
    auto next = [&](std::size_t i) -> std::size_t {
        if (!waits[i])
            return NoIndex;
        const auto it = holder.find(waits[i]->first);
        return it == holder.end() ? NoIndex : it->second.first;
    };
    // Follow each lane's waits: a lane met twice on one walk is on a cycle.
    std::vector<int> walk(store.laneCount(), -1);
    std::vector<std::size_t> cycle;
    for (std::size_t s = 0; s < store.laneCount() && cycle.empty(); ++s) {
        std::size_t i = s;
        while (i != NoIndex && walk[i] == -1) {
            walk[i] = int(s);
            i = next(i);
        }
        if (i != NoIndex && walk[i] == int(s)) {
            const std::size_t start = i;
            do {
                cycle.push_back(i);
                i = next(i);
            } while (i != start);
        }
    }
    std::vector<CycleStep> steps;
    for (std::size_t k = 0; k < cycle.size(); ++k) {
        const std::size_t i = cycle[k];
        const std::size_t prev = cycle[(k + cycle.size() - 1) % cycle.size()];
        const std::size_t nextLane = cycle[(k + 1) % cycle.size()];
        CycleStep step;
        step.lane = store.lane(i).id;
        step.holds = waits[prev]->first;
        step.heldSince = holder[step.holds].second;
        step.waitsFor = waits[i]->first;
        step.waitsSince = waits[i]->second;
        step.heldBy = store.lane(nextLane).id;
        steps.push_back(step);
    }
    std::stable_sort(steps.begin(), steps.end(),
                     [](const CycleStep& a, const CycleStep& b) { return a.waitsSince < b.waitsSince; });
    return steps;
}

std::vector<StrandedItem> strandedItems(const TraceStore& store, std::size_t max)
{
    std::vector<StrandedItem> out;
    for (std::size_t o = 0; o < store.objectCount() && out.size() < max; ++o) {
        const ObjectData& queue = store.object(o);
        if (queue.kind != ObjectKind::Queue)
            continue;
        struct Put
        {
            std::int64_t t;
            std::uint32_t lane;
            std::uint32_t item;
        };
        std::vector<Put> puts;
        std::map<std::uint32_t, std::int64_t> taken; // item -> gets not yet matched with a put
        std::vector<std::size_t> consumers;
        for (std::size_t i = 0; i < store.laneCount(); ++i) {
            bool consumer = false;
            for (const Marker& m : store.lane(i).markers) {
                if (m.object != queue.id)
                    continue;
                if (m.kind == EventKind::QueuePut)
                    puts.push_back({m.t, store.lane(i).id, m.aux});
                else if (m.kind == EventKind::QueueGet)
                    ++taken[m.aux];
                consumer = consumer || m.kind == EventKind::QueueGet
                           || (m.kind == EventKind::QueueBlock && m.aux == 0);
            }
            if (consumer)
                consumers.push_back(i);
        }
        std::stable_sort(puts.begin(), puts.end(), [](const Put& a, const Put& b) { return a.t < b.t; });
        for (const Put& p : puts) {
            auto it = taken.find(p.item);
            if (it != taken.end() && it->second > 0) {
                --it->second;
                continue;
            }
            StrandedItem s;
            s.queue = queue.id;
            s.item = p.item;
            s.putBy = p.lane;
            s.putT = p.t;
            for (std::size_t c : consumers) {
                const LaneData& l = store.lane(c);
                if (!l.ended || l.end > p.t)
                    continue;
                std::int64_t depth = -1;
                const auto& samples = queue.counter;
                auto at = std::upper_bound(samples.begin(), samples.end(), l.end,
                                           [](std::int64_t t, const CounterSample& c) { return t < c.t; });
                if (at != samples.begin())
                    depth = std::int64_t((at - 1)->value);
                s.consumersQuit.push_back({l.id, l.end, depth});
            }
            std::stable_sort(s.consumersQuit.begin(), s.consumersQuit.end(),
                             [](const StrandedItem::Quit& a, const StrandedItem::Quit& b) { return a.t < b.t; });
            out.push_back(std::move(s));
            if (out.size() >= max)
                break;
        }
    }
    return out;
}

std::optional<HandOff> handOffAt(const TraceStore& store, std::uint32_t lane, std::int64_t t, std::uint32_t object)
{
    const LaneIndex index(store);
    const std::size_t i = index.of(lane);
    if (i == NoIndex)
        return std::nullopt;
    const LaneData& l = store.lane(i);
    // The waiting interval that ended at an acquisition: (start of the wait) for this hold.
    auto waitBefore = [&](const HoldInterval& h) {
        const auto [first, last] = store.intervalRange(i, h.start - 1, h.start);
        for (std::size_t k = first; k < last; ++k) {
            const StateInterval& s = l.intervals[k];
            if ((s.state == ThreadState::WaitingLock || s.state == ThreadState::WaitingGil) && s.object == h.object
                && s.end == h.start)
                return s.start;
        }
        return h.start - std::max<std::int64_t>(h.waitNs, 0);
    };
    std::vector<HoldInterval> holds(l.holds.begin(), l.holds.end());
    for (const LaneData::OpenHold& h : l.openHolds)
        if (h.start >= 0)
            holds.push_back({h.start, store.endTime(), h.object, l.id, h.waitNs});
    const HoldInterval* found = nullptr;
    std::int64_t foundWait = 0;
    for (const HoldInterval& h : holds) {
        if (h.waitNs < 0 || (object != 0 && h.object != object))
            continue;
        const std::int64_t waitStart = waitBefore(h);
        if (waitStart <= t && t <= h.end) {
            found = &h;
            foundWait = waitStart;
            if (t <= h.start)
                break; // the wait itself was clicked: this acquisition, not a later one
        }
    }
    if (!found)
        return std::nullopt;
    HandOff out;
    out.object = found->object;
    out.waiter = l.id;
    out.waitStart = foundWait;
    out.acquired = found->start;
    // Who held it before: the hold of another lane that ended last, at or before the acquisition.
    if (const ObjectData* o = store.objectById(found->object)) {
        const HoldInterval* before = nullptr;
        for (const HoldInterval& h : o->holds) {
            if (h.start > found->start)
                break;
            if (h.lane != l.id && h.end <= found->start && h.end >= foundWait && (!before || h.end > before->end))
                before = &h;
        }
        if (before) {
            out.holderKnown = true;
            out.holder = before->lane;
            out.heldSince = before->start;
            out.released = before->end;
        }
    }
    for (const Marker& m : l.markers) {
        if (m.t < foundWait)
            continue;
        if (m.t > found->start)
            break;
        if (m.kind == EventKind::GilDropRequest && m.object == found->object) {
            out.dropRequested = true;
            out.dropRequestT = m.t;
            break;
        }
    }
    return out;
}

WaitSnapshot waitSnapshotAt(const TraceStore& store, std::int64_t t)
{
    WaitSnapshot snap;
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        const LaneData& l = store.lane(i);
        bool any = false;
        for (const auto& [lock, since] : holdsAt(l, t)) {
            const ObjectData* o = store.objectById(lock);
            if (!o || o->kind != ObjectKind::Lock)
                continue;
            snap.edges.push_back({l.id, lock, false});
            snap.lockNames[lock] = o->name;
            any = true;
        }
        if (const auto wait = lockWaitAt(store, i, t)) {
            snap.edges.push_back({l.id, wait->first, true});
            snap.lockNames[wait->first] = objectName(store, wait->first);
            any = true;
        }
        if (any)
            snap.laneNames[l.id] = l.name;
    }
    // The steps of a cycle, in the order of the cycle: each waits for what the next holds.
    auto steps = deadlockCycle(store, t);
    if (!steps.empty()) {
        std::map<std::uint32_t, const CycleStep*> byLane;
        for (const CycleStep& s : steps)
            byLane[s.lane] = &s;
        const CycleStep* s = &steps.front();
        for (std::size_t k = 0; k < steps.size(); ++k) {
            snap.cycleLanes.push_back(s->lane);
            snap.cycleLocks.push_back(s->waitsFor);
            s = byLane[s->heldBy];
        }
    }
    return snap;
}

Explanation explain(const TraceStore& store, const LostUpdateExample& e)
{
    Explanation x;
    x.title = u"Lost update"_s;
    const QString writer = laneName(store, e.writer.lane);
    struct Step
    {
        std::int64_t t;
        QString text;
    };
    std::vector<Step> steps{
        {e.writer.readT, u"%1 read %2 at %3"_s.arg(writer).arg(e.writer.read).arg(explainedTime(e.writer.readT))},
        {e.writer.writeT, u"%1 wrote %2 at %3"_s.arg(writer).arg(e.writer.wrote).arg(explainedTime(e.writer.writeT))},
    };
    x.events = {{e.writer.lane, e.writer.readT}, {e.writer.lane, e.writer.writeT}, {e.writer.lane, e.markT}};
    QString overwritten;
    if (e.overwrittenKnown) {
        overwritten = laneName(store, e.overwritten.lane);
        steps.push_back({e.overwritten.readT, u"%1 read %2 at %3"_s.arg(overwritten).arg(e.overwritten.read)
                                                  .arg(explainedTime(e.overwritten.readT))});
        steps.push_back({e.overwritten.writeT, u"%1 wrote %2 at %3"_s.arg(overwritten).arg(e.overwritten.wrote)
                                                   .arg(explainedTime(e.overwritten.writeT))});
        x.events.push_back({e.overwritten.lane, e.overwritten.readT});
        x.events.push_back({e.overwritten.lane, e.overwritten.writeT});
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.t < b.t; });
    QStringList parts;
    for (const Step& s : steps)
        parts << s.text;
    QString why;
    if (e.overwrittenKnown && e.lost == 1)
        why = u"%1 wrote over %2's update: %3"_s.arg(writer, overwritten, updatesLost(e.lost));
    else if (e.overwrittenKnown)
        why = u"%1 wrote %2 over %3 (%4's write and every update since %1 read): %5"_s.arg(writer)
                  .arg(e.writer.wrote)
                  .arg(e.writer.read + e.lost)
                  .arg(overwritten, updatesLost(e.lost));
    else
        why = u"the counter had reached %1 meanwhile: %2"_s.arg(e.writer.read + e.lost).arg(updatesLost(e.lost));
    x.sentence = parts.join(u", "_s) + u": "_s + why + u"."_s;
    return x;
}

Explanation explain(const TraceStore& store, const std::vector<CycleStep>& cycle)
{
    Explanation x;
    if (cycle.empty())
        return x;
    x.title = u"Deadlock"_s;
    QStringList parts;
    for (const CycleStep& s : cycle) {
        parts << u"%1 took %2 at %3, then waited for %4 from %5 (held by %6)"_s.arg(
            laneName(store, s.lane), objectName(store, s.holds), explainedTime(s.heldSince),
            objectName(store, s.waitsFor), explainedTime(s.waitsSince), laneName(store, s.heldBy));
        x.events.push_back({s.lane, s.heldSince});
        x.events.push_back({s.lane, s.waitsSince});
    }
    x.sentence = parts.join(u"; "_s)
                 + u". The last wait closed the circle: each waits for a lock the next one holds, so none can go on."_s;
    return x;
}

Explanation explain(const TraceStore& store, const StrandedItem& item)
{
    Explanation x;
    x.title = u"Stranded item"_s;
    QString text = u"%1 put item %2 into %3 at %4"_s.arg(laneName(store, item.putBy)).arg(item.item)
                       .arg(objectName(store, item.queue), explainedTime(item.putT));
    x.events.push_back({item.putBy, item.putT});
    if (item.consumersQuit.empty()) {
        x.sentence = text + u", and no consumer took it out before the run ended."_s;
        return x;
    }
    QStringList quits;
    for (const StrandedItem::Quit& q : item.consumersQuit) {
        QString one = u"%1 at %2"_s.arg(laneName(store, q.lane), explainedTime(q.t));
        if (q.depth == 0)
            one += u" (the queue was empty then)"_s;
        else if (q.depth > 0)
            one += u" (%1 in the queue then)"_s.arg(q.depth);
        quits << one;
        x.events.push_back({q.lane, q.t});
    }
    x.sentence = text + u", after the consumers had quit: "_s + quits.join(u", "_s)
                 + u". An empty queue only meant nothing was there yet; nobody was left to take it."_s;
    return x;
}

Explanation explain(const TraceStore& store, const HandOff& h)
{
    Explanation x;
    const ObjectData* o = store.objectById(h.object);
    const bool gil = o && o->kind == ObjectKind::Gil;
    const QString what = objectName(store, h.object);
    const QString waiter = laneName(store, h.waiter);
    x.title = gil ? u"GIL hand-off"_s : u"Contended lock"_s;
    QString text = u"%1 asked for %2 at %3"_s.arg(waiter, what, explainedTime(h.waitStart));
    x.events.push_back({h.waiter, h.waitStart});
    if (h.holderKnown) {
        const QString holder = laneName(store, h.holder);
        text += u"; %1 held it from %2"_s.arg(holder, explainedTime(h.heldSince));
        if (h.dropRequested)
            text += u"; after %1 %2 asked it to drop the GIL (at %3)"_s.arg(msText(h.dropRequestT - h.waitStart), waiter,
                                                                        explainedTime(h.dropRequestT));
        text += u"; %1 %2 it at %3"_s.arg(holder, gil ? u"dropped"_s : u"released"_s, explainedTime(h.released));
        x.events.push_back({h.holder, h.heldSince});
        x.events.push_back({h.holder, h.released});
    } else if (h.dropRequested) {
        text += u"; after %1 it asked the holder to drop it"_s.arg(msText(h.dropRequestT - h.waitStart));
    }
    text += u"; %1 took it at %2, after waiting %3."_s.arg(waiter, explainedTime(h.acquired), msText(h.acquired - h.waitStart));
    x.events.push_back({h.waiter, h.acquired});
    x.sentence = text;
    return x;
}

Explanation explainAt(const TraceStore& store, std::uint32_t lane, std::int64_t t, std::int64_t tolerance)
{
    const LaneIndex index(store);
    const std::size_t i = index.of(lane);
    if (i == NoIndex)
        return {};
    const auto& markers = store.lane(i).markers;
    auto near = [&](EventKind kind) {
        const Marker* best = nullptr;
        auto it = std::lower_bound(markers.begin(), markers.end(), t - tolerance,
                                   [](const Marker& m, std::int64_t at) { return m.t < at; });
        for (; it != markers.end() && it->t <= t + tolerance; ++it)
            if (it->kind == kind && (kind != EventKind::LostUpdate || it->value > 0)
                && (!best || std::abs(it->t - t) < std::abs(best->t - t)))
                best = &*it;
        return best;
    };
    if (const Marker* m = near(EventKind::LostUpdate)) {
        if (const auto e = lostUpdateAt(store, lane, m->t))
            return explain(store, *e);
    }
    if (const Marker* m = near(EventKind::QueuePut)) {
        for (const StrandedItem& s : strandedItems(store, std::numeric_limits<std::size_t>::max()))
            if (s.putBy == lane && s.putT == m->t)
                return explain(store, s);
    }
    const auto cycle = deadlockCycle(store);
    for (const CycleStep& s : cycle) {
        if (s.lane == lane && t >= s.heldSince)
            return explain(store, cycle);
    }
    if (const auto h = handOffAt(store, lane, t))
        return explain(store, *h);
    return {};
}

Explanation explainGilAt(const TraceStore& store, std::int64_t t)
{
    for (std::size_t o = 0; o < store.objectCount(); ++o) {
        const ObjectData& gil = store.object(o);
        if (gil.kind != ObjectKind::Gil)
            continue;
        // The holds are sorted by start: the last that began by t is the holder then.
        auto it = std::upper_bound(gil.holds.begin(), gil.holds.end(), t,
                                   [](std::int64_t at, const HoldInterval& h) { return at < h.start; });
        if (it == gil.holds.begin())
            continue;
        const HoldInterval& h = *(it - 1);
        if (h.end < t || h.waitNs < 0)
            continue;
        if (const auto handOff = handOffAt(store, h.lane, h.start, gil.id))
            return explain(store, *handOff);
    }
    return {};
}

QJsonObject explanationKeys(const TraceStore& store, const QJsonObject& outcome)
{
    constexpr std::size_t MaxExamples = 20;
    QJsonObject keys;
    const auto lost = lostUpdateExamples(store, MaxExamples);
    if (!lost.empty()) {
        QJsonArray examples;
        for (const LostUpdateExample& e : lost) {
            QJsonObject one{{u"lost"_s, qint64(e.lost)}, {u"writer"_s, accessJson(store, e.writer)}};
            if (e.overwrittenKnown)
                one.insert(u"overwritten"_s, accessJson(store, e.overwritten));
            one.insert(u"sentence"_s, explain(store, e).sentence);
            examples.append(one);
        }
        keys.insert(u"lost_examples"_s, examples);
    }
    if (outcome.value(u"deadlock"_s).toBool()) {
        const auto cycle = deadlockCycle(store);
        if (!cycle.empty()) {
            QJsonArray steps;
            for (const CycleStep& s : cycle)
                steps.append(QJsonObject{{u"thread"_s, laneName(store, s.lane)},
                                         {u"holds"_s, objectName(store, s.holds)},
                                         {u"held_since_ms"_s, ms(s.heldSince)},
                                         {u"waits_for"_s, objectName(store, s.waitsFor)},
                                         {u"waits_since_ms"_s, ms(s.waitsSince)},
                                         {u"held_by"_s, laneName(store, s.heldBy)}});
            keys.insert(u"cycle_steps"_s, steps);
            keys.insert(u"cycle_sentence"_s, explain(store, cycle).sentence);
        }
    }
    if (outcome.value(u"stranded"_s).toDouble() > 0) {
        QJsonArray items;
        for (const StrandedItem& s : strandedItems(store, MaxExamples)) {
            QJsonArray quit;
            for (const StrandedItem::Quit& q : s.consumersQuit) {
                QJsonObject one{{u"thread"_s, laneName(store, q.lane)}, {u"quit_ms"_s, ms(q.t)}};
                if (q.depth >= 0)
                    one.insert(u"depth_then"_s, qint64(q.depth));
                quit.append(one);
            }
            items.append(QJsonObject{{u"queue"_s, objectName(store, s.queue)},
                                     {u"item"_s, qint64(s.item)},
                                     {u"put_by"_s, laneName(store, s.putBy)},
                                     {u"put_ms"_s, ms(s.putT)},
                                     {u"consumers_quit_before"_s, quit},
                                     {u"sentence"_s, explain(store, s).sentence}});
        }
        if (!items.isEmpty())
            keys.insert(u"stranded_items"_s, items);
    }
    return keys;
}

} // namespace interleave
