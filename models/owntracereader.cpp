// OwnTraceReader: Interleave's own traces back into lanes, objects and the run they came from.
#include "owntracereader.h"

#include "machineload.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave::traceimport {

namespace {

template<typename Interval>
void sortByStart(std::vector<Interval>& intervals)
{
    std::stable_sort(intervals.begin(), intervals.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
}

ObjectKind objectKindOf(const QString& kind)
{
    return kind == "queue"_L1 ? ObjectKind::Queue
        : kind == "gil"_L1    ? ObjectKind::Gil
        : kind == "counter"_L1 ? ObjectKind::Counter
                               : ObjectKind::Lock;
}

LaneKind laneKindOf(const std::string& kind)
{
    return kind == "pool" ? LaneKind::Pool
        : kind == "process" ? LaneKind::Process
        : kind == "main"    ? LaneKind::Main
                            : LaneKind::Thread;
}

} // namespace

OwnTraceReader::OwnTraceReader(RawTrace& trace, ImportedTrace& out)
    : m_trace(trace)
    , m_out(out)
    , m_contents(out.contents)
{
}

void OwnTraceReader::read()
{
    m_out.ownFormat = true;
    readRun();
    declareObjects();
    m_trace.readMetadata();
    makeLanes();
    readKernelFigures();
    for (int s = 0; s < ThreadStateCount; ++s)
        m_stateByLabel.emplace(stateLabel(ThreadState(s)), ThreadState(s));
    for (const Raw& r : m_trace.events) {
        if (readEvent(r))
            ++m_trace.report.kept;
    }
    finishLanes();
    finishObjects();
}

void OwnTraceReader::readRun()
{
    const QJsonObject& other = m_trace.other;
    RunDescription& run = m_out.run;
    run.scenario = other.value(u"scenario"_s).toString();
    run.params = other.value(u"params"_s).toObject();
    run.wallMs = other.value(u"wall_ms"_s).toDouble();
    run.ended = other.value(u"ended"_s).toString();
    run.outcome = other.value(u"outcome"_s).toObject();
    if (const auto machine = MachineLoad::fromJson(other.value(u"machine"_s).toObject()))
        run.machine = machine->toJson();
    for (const QJsonValue& lane : other.value(u"schedule"_s).toArray()) {
        if (lane.isDouble() && lane.toDouble() >= 0 && lane.toDouble() < 1e9)
            run.schedule.append(lane.toInteger());
    }
    const QJsonObject events = other.value(u"events"_s).toObject();
    m_contents.events = std::uint64_t(std::max<qint64>(0, events.value(u"recorded"_s).toInteger()));
    m_contents.dropped = std::uint64_t(std::max<qint64>(0, events.value(u"dropped"_s).toInteger()));
    m_contents.raceMarksNotKept = std::uint64_t(std::max<qint64>(0, events.value(u"race_marks_not_kept"_s).toInteger()));
    m_contents.holdsFolded = std::uint64_t(std::max<qint64>(0, events.value(u"lock_holds_folded"_s).toInteger()));
    m_contents.endTime = std::max<qint64>(0, other.value(u"end_ns"_s).toInteger());
}

// Objects as declared; ids in declaration order.
void OwnTraceReader::declareObjects()
{
    for (const QJsonValue v : m_trace.other.value(u"objects"_s).toArray()) {
        const QJsonObject o = v.toObject();
        ObjectData d;
        d.id = std::uint32_t(m_contents.objects.size() + 1);
        d.name = o.value(u"name"_s).toString();
        d.kind = objectKindOf(o.value(u"kind"_s).toString());
        d.capacity = o.value(u"capacity"_s).toInteger();
        m_totals.push_back(o.value(u"totals"_s).toObject());
        m_objectByName.emplace(d.name.toStdString(), d.id);
        m_contents.objects.push_back(std::move(d));
    }
}

ObjectData* OwnTraceReader::objectNamed(const std::string& name)
{
    const auto it = m_objectByName.find(name);
    return it == m_objectByName.end() ? nullptr : &m_contents.objects[it->second - 1];
}

// Interleave numbers its lanes from 1 (tid n is lane n - 1). Lanes are made for the tids the file
// has, in tid order, and for nothing in between: a hand-edited tid 65536 is one lane, not 65,536
// empty ones.
void OwnTraceReader::makeLanes()
{
    const std::vector<ThreadInfo>& threads = m_trace.threads;
    m_laneOfThread.assign(threads.size(), NoThread);
    std::vector<std::pair<std::int64_t, std::uint32_t>> tids; // (tid, thread)
    for (std::uint32_t t = 0; t < threads.size(); ++t) {
        bool ok = false;
        const double tid = parseNumberText(threads[t].key, &ok);
        if (ok && tid >= 1 && tid <= double(std::numeric_limits<std::int32_t>::max()) && tid == std::floor(tid))
            tids.emplace_back(std::int64_t(tid), t);
    }
    std::sort(tids.begin(), tids.end());
    for (const auto& [tid, thread] : tids) {
        auto [it, fresh] = m_laneOfTid.emplace(tid, std::uint32_t(m_contents.lanes.size()));
        if (fresh) {
            LaneData lane;
            lane.id = it->second;
            lane.name = u"lane-%1"_s.arg(tid - 1);
            m_contents.lanes.push_back(std::move(lane));
        }
        m_laneOfThread[thread] = it->second;
    }
    for (std::uint32_t t = 0; t < threads.size(); ++t) {
        LaneData* lane = laneOf(t);
        if (!lane)
            continue;
        if (!threads[t].name.empty())
            lane->name = QString::fromStdString(threads[t].name);
        lane->kind = laneKindOf(threads[t].kind);
    }
}

LaneData* OwnTraceReader::laneOf(std::uint32_t thread)
{
    if (thread == NoThread || m_laneOfThread[thread] == NoThread)
        return nullptr;
    return &m_contents.lanes[m_laneOfThread[thread]];
}

// The kernel's figures per lane, for lanes that exist (a hand-edited tid adds none).
void OwnTraceReader::readKernelFigures()
{
    for (const QJsonValue v : m_trace.other.value(u"kernel_ns"_s).toArray()) {
        const QJsonArray k = v.toArray();
        const auto lane_ = m_laneOfTid.find(k.at(0).toInteger(0));
        if (k.size() < 3 || lane_ == m_laneOfTid.end())
            continue;
        LaneData& lane = m_contents.lanes[lane_->second];
        const qint64 running = k.at(1).toInteger(-1);
        const qint64 ready = k.at(2).toInteger(-1);
        lane.kernelRunningNs = running >= 0 ? running : -1;
        lane.kernelReadyNs = running >= 0 && ready >= 0 ? ready : -1;
    }
}

bool OwnTraceReader::readEvent(const Raw& r)
{
    switch (r.ph) {
    case 'M':
        return false; // counted by readMetadata
    case 'X':
        return readState(r);
    case 'b':
    case 'e':
        return readHold(r);
    case 'C':
        return readCounter(r);
    case 'i':
    case 'I':
        return readInstant(r);
    case 's':
    case 'f':
        return true; // hand-offs and queue items: derived from the holds and markers again
    default:
        m_trace.skip(u"%1: not written by Interleave"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
}

bool OwnTraceReader::readState(const Raw& r)
{
    LaneData* lane = laneOf(r.thread);
    const std::string& cat = m_trace.strings.str(r.cat);
    if (cat != "state" && !cat.empty())
        return readSlice(r);
    const auto state = m_stateByLabel.find(m_trace.strings.str(r.name));
    if (cat != "state" || !lane || state == m_stateByLabel.end() || r.ts == NoTime
        || r.dur == NoTime) {
        m_trace.skip(u"X: not a thread state"_s);
        return false;
    }
    StateInterval s{r.ts, r.ts + std::max<std::int64_t>(r.dur, 0), state->second, 0};
    if (r.args != NoArgs) {
        const auto a = m_trace.args(r);
        if (const Arg* object = RawTrace::arg(a, "object"); object && object->isString) {
            if (const ObjectData* o = objectNamed(object->text))
                s.object = o->id;
        }
    }
    lane->intervals.push_back(s);
    return true;
}

bool OwnTraceReader::readSlice(const Raw& r)
{
    LaneData* lane = laneOf(r.thread);
    if (!lane || r.ts == NoTime || r.dur == NoTime) {
        m_trace.skip(u"X: a slice without a thread or a time"_s);
        return false;
    }
    NamedSlice s;
    s.start = r.ts;
    s.end = r.ts + std::max<std::int64_t>(r.dur, 0);
    s.name = m_trace.text(m_contents, r.name);
    s.category = m_trace.strings.str(r.cat) == "slice" ? 0 : m_trace.text(m_contents, r.cat);
    if (r.args != NoArgs) {
        const auto a = m_trace.args(r);
        if (const Arg* depth = RawTrace::arg(a, "depth"); depth && depth->isNumber)
            s.depth = std::uint16_t(std::clamp(depth->number, 0.0, 65535.0));
    }
    lane->slices.push_back(s);
    return true;
}

bool OwnTraceReader::readHold(const Raw& r)
{
    LaneData* lane = laneOf(r.thread);
    ObjectData* o = objectNamed(m_trace.strings.str(r.name));
    if (m_trace.strings.str(r.cat) != "lock" || !lane || !o || r.ts == NoTime) {
        m_trace.skip(u"%1: not a lock hold"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    if (r.ph == 'b') {
        OpenBegin b{r.ts, -1, false};
        if (r.args != NoArgs) {
            const auto a = m_trace.args(r);
            if (const Arg* wait = RawTrace::arg(a, "wait_us"); wait && wait->isNumber)
                b.waitNs = toNs(wait->number);
            if (const Arg* open = RawTrace::arg(a, "open"); open && open->isNumber)
                b.open = open->number != 0;
        }
        m_holdsOpen[r.id] = b;
        return true;
    }
    const auto it = m_holdsOpen.find(r.id);
    if (it == m_holdsOpen.end()) {
        m_trace.skip(u"e: lock hold end without a begin"_s);
        return false;
    }
    const OpenBegin b = it->second;
    m_holdsOpen.erase(it);
    ++o->acquisitions;
    if (b.waitNs >= 0) {
        ++o->contended;
        o->waitNsTotal += b.waitNs;
        o->waitNsMax = std::max(o->waitNsMax, b.waitNs);
    }
    if (b.open) {
        lane->openHolds.push_back({o->id, b.start, b.waitNs});
    } else {
        const HoldInterval h{b.start, std::max(r.ts, b.start), o->id, lane->id, b.waitNs};
        o->holdNsTotal += h.end - h.start;
        o->holds.push_back(h);
        lane->holds.push_back(h);
    }
    return true;
}

bool OwnTraceReader::readCounter(const Raw& r)
{
    ObjectData* o = objectNamed(m_trace.strings.str(r.name));
    const auto a = m_trace.args(r);
    if (!o || r.ts == NoTime || a.empty() || !a.front().isNumber) {
        m_trace.skip(u"C: not a known counter"_s);
        return false;
    }
    o->counter.push_back({r.ts, a.front().number});
    return true;
}

bool OwnTraceReader::readInstant(const Raw& r)
{
    LaneData* lane = laneOf(r.thread);
    if (!lane || r.ts == NoTime) {
        m_trace.skip(u"i: instant outside a thread"_s);
        return false;
    }
    const std::string& name = m_trace.strings.str(r.name);
    const auto a = m_trace.args(r);
    Marker m{r.ts, 0, lane->id, 0, EventKind::Marker, 0};
    if (name == "lost update") {
        m.kind = EventKind::LostUpdate;
        if (const Arg* v = RawTrace::arg(a, "overwritten"); v && v->isNumber)
            m.value = clampToInt<std::int64_t>(v->number);
    } else if (name == "print") {
        const Arg* v = RawTrace::arg(a, "text");
        m.kind = EventKind::Print;
        m.value = std::int64_t(m_contents.texts.size());
        m_contents.texts.push_back(v ? QString::fromStdString(v->text) : QString());
        m_contents.console.push_back({r.ts, lane->id, std::uint32_t(m.value)});
    } else if (name == "deadlock detected") {
        m.aux = std::uint32_t(MarkerType::Deadlock);
    } else if (name == "process started") {
        m.aux = std::uint32_t(MarkerType::ProcessStarted);
    } else if (name == "interpreter start-up") {
        m.aux = std::uint32_t(MarkerType::InterpreterStarting);
    } else if (name == "interpreter ready") {
        m.aux = std::uint32_t(MarkerType::InterpreterReady);
    } else if (const Arg* task = RawTrace::arg(a, "task_name"); task && task->isString) {
        m.aux = std::uint32_t(MarkerType::TaskNamed);
        m.value = std::int64_t(m_contents.texts.size());
        m_contents.texts.push_back(QString::fromStdString(task->text));
    } else if (const Arg* task = RawTrace::arg(a, "task"); task && task->isNumber) {
        m.aux = std::uint32_t(MarkerType::TaskStart);
        m.value = clampToInt<std::int64_t>(task->number);
    } else if (name == "put" || name == "get") {
        if (!readQueueMarker(a, name, &m))
            return false;
    } else {
        m.aux = std::uint32_t(MarkerType::Note);
        m.value = std::int64_t(m_trace.text(m_contents, r.name));
    }
    lane->markers.push_back(m);
    return true;
}

bool OwnTraceReader::readQueueMarker(const std::vector<Arg>& args, const std::string& name, Marker* m)
{
    const Arg* queue = RawTrace::arg(args, "queue");
    ObjectData* o = queue ? objectNamed(queue->text) : nullptr;
    if (!o) {
        m_trace.skip(u"i: queue event of an unknown queue"_s);
        return false;
    }
    m->kind = name == "put" ? EventKind::QueuePut : EventKind::QueueGet;
    m->object = o->id;
    if (const Arg* item = RawTrace::arg(args, "item"); item && item->isNumber)
        m->aux = clampToInt<std::uint32_t>(item->number);
    if (const Arg* depth = RawTrace::arg(args, "depth"); depth && depth->isNumber)
        m->value = clampToInt<std::int64_t>(depth->number);
    (m->kind == EventKind::QueuePut ? o->puts : o->gets) += 1;
    o->maxDepth = std::max(o->maxDepth, m->value);
    return true;
}

// Order and totals, as the live store keeps them.
void OwnTraceReader::finishLanes()
{
    for (LaneData& lane : m_contents.lanes) {
        sortByStart(lane.intervals);
        sortByStart(lane.holds);
        sortByTime(lane.markers);
        for (const StateInterval& s : lane.intervals)
            lane.stateNs[std::size_t(s.state)] += s.end - s.start;
        for (const HoldInterval& h : lane.holds)
            lane.maxHoldNs = std::max(lane.maxHoldNs, h.end - h.start);
        std::stable_sort(lane.slices.begin(), lane.slices.end(), NamedSlice::before);
        for (const NamedSlice& s : lane.slices) {
            lane.maxSliceNs = std::max(lane.maxSliceNs, s.end - s.start);
            lane.sliceDepth = std::max(lane.sliceDepth, int(s.depth) + 1);
        }
        if (!lane.intervals.empty()) {
            setEndedSpan(lane, lane.intervals.front().start, lane.intervals.back().end);
            lane.current = lane.intervals.back().state;
        }
        m_contents.endTime = std::max(m_contents.endTime, lane.end);
    }
}

void OwnTraceReader::finishObjects()
{
    for (ObjectData& o : m_contents.objects) {
        sortByStart(o.holds);
        sortByTime(o.counter);
        // The run's own figures, where the file has them: they count holds the file drew folded
        // (five holds in one, held 150 ns of its 400) and holds a long run aged out.
        const QJsonObject& totals = m_totals[o.id - 1];
        const auto total = [&](const char* key, std::int64_t counted) {
            const QJsonValue v = totals.value(QLatin1StringView(key));
            return v.isDouble() ? std::max<std::int64_t>(0, v.toInteger()) : counted;
        };
        o.acquisitions = total("acquisitions", o.acquisitions);
        o.contended = total("contended", o.contended);
        o.waitNsTotal = total("wait_ns", o.waitNsTotal);
        o.waitNsMax = total("wait_ns_max", o.waitNsMax);
        o.holdNsTotal = total("hold_ns", o.holdNsTotal);
        o.tryFailures = total("try_failures", o.tryFailures);
    }
    std::stable_sort(m_contents.console.begin(), m_contents.console.end(),
                     [](const StoredConsoleLine& a, const StoredConsoleLine& b) { return a.t < b.t; });
}

} // namespace interleave::traceimport
