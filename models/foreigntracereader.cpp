// ForeignTraceReader: slices from X and matched B/E, async b/e and S/F, instants, counters and flows into lanes.
#include "foreigntracereader.h"

#include <QLocale>

#include <algorithm>
#include <functional>
#include <queue>

using namespace Qt::StringLiterals;

namespace interleave::traceimport {

namespace {

// Processes or threads in the order the file asks for (sort indexes), then by first appearance.
template<typename Info>
void sortBySortIndex(std::vector<std::uint32_t>& order, const std::vector<Info>& infos)
{
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const Info& ia = infos[a];
        const Info& ib = infos[b];
        const double sa = ia.hasSort ? ia.sortIndex : 0;
        const double sb = ib.hasSort ? ib.sortIndex : 0;
        return sa < sb;
    });
}

// A function object, not a function: std::stable_sort inlines it (a pointer it would call).
constexpr auto byStart = [](const Raw* a, const Raw* b) { return a->ts < b->ts; };

// Records of threads (in file order) by thread, then time; file order among equal times: what a
// stable sort by (thread, time) gives, as a stable pass by thread and a sort of each thread's run
// only where it is out of time order (most files write a thread's events in time order).
void sortByThreadThenTime(std::vector<const Raw*>& records, std::size_t threads)
{
    std::vector<std::size_t> end(threads + 1, 0);
    for (const Raw* r : records)
        ++end[r->thread + 1];
    for (std::size_t t = 1; t <= threads; ++t)
        end[t] += end[t - 1];
    std::vector<const Raw*> byThread(records.size());
    for (const Raw* r : records)
        byThread[end[r->thread]++] = r; // end[t] moves from the run's begin to its end
    std::size_t begin = 0;
    for (std::size_t t = 0; t < threads; ++t) {
        stableSortUnlessSorted(byThread.begin() + std::ptrdiff_t(begin), byThread.begin() + std::ptrdiff_t(end[t]),
                               byStart);
        begin = end[t];
    }
    records.swap(byThread);
}

// Async lanes: the lowest row free at the slice's start. Rows in use wait in a heap by their end,
// free rows in a heap by index: a log per slice, however many overlap.
class FreeRows
{
public:
    std::size_t take(const NamedSlice& slice)
    {
        while (!m_busy.empty() && m_busy.top().first <= slice.start) {
            m_free.push(m_busy.top().second);
            m_busy.pop();
        }
        std::size_t row = 0;
        if (m_free.empty()) {
            row = m_rows++;
        } else {
            row = m_free.top();
            m_free.pop();
        }
        m_busy.emplace(slice.end, row);
        return row;
    }

private:
    using Busy = std::pair<std::int64_t, std::size_t>; // (end, row)
    std::priority_queue<Busy, std::vector<Busy>, std::greater<>> m_busy;
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> m_free;
    std::size_t m_rows = 0;
};

// Thread lanes: how many slices enclose this one (slices come sorted by start, longest first).
class Nesting
{
public:
    std::size_t take(const NamedSlice& slice)
    {
        while (!m_open.empty() && m_open.back() <= slice.start)
            m_open.pop_back();
        const std::size_t depth = m_open.size();
        m_open.push_back(slice.end);
        return depth;
    }

private:
    std::vector<std::int64_t> m_open; // ends of the enclosing slices
};

} // namespace

ForeignTraceReader::ForeignTraceReader(RawTrace& trace, ImportedTrace& out, std::size_t maxLanes)
    : m_trace(trace)
    , m_out(out)
    , m_contents(out.contents)
    , m_maxLanes(maxLanes)
{
}

void ForeignTraceReader::read()
{
    m_contents.texts.emplace_back(); // text id 0 = ""
    findOrigin();
    m_trace.readMetadata();
    m_sources.resize(m_trace.threads.size() + m_trace.processes.size());
    findFirstThreads();
    for (const Raw& r : m_trace.events) {
        if (readEvent(r))
            ++m_trace.report.kept;
    }
    readOrdered();
    std::int64_t unclosed = matchBeginEnds();
    unclosed += closeAsync(); // after the threads' slices: text ids go by first use
    if (unclosed > 0)
        m_trace.report.warnings.append(
            u"%1 slices began but never ended: drawn up to the end of their lane"_s.arg(unclosed));
    makeLanes();
    fillLanes();
    for (LaneData& lane : m_contents.lanes)
        finishLane(lane, m_asyncLane[lane.id]);
    addFlows();
    reportLeftOut();
    addCounters();
    m_contents.events = std::uint64_t(m_trace.report.events);
    m_out.run.scenario = QString();
    m_out.run.ended = u"imported"_s;
    m_out.run.wallMs = double(m_contents.endTime) / 1e6;
}

void ForeignTraceReader::findOrigin()
{
    std::int64_t origin = std::numeric_limits<std::int64_t>::max();
    for (const Raw& r : m_trace.events) {
        if (r.ph != 'M' && r.ts != NoTime)
            origin = std::min(origin, r.ts);
    }
    m_origin = origin == std::numeric_limits<std::int64_t>::max() ? 0 : origin;
}

void ForeignTraceReader::findFirstThreads()
{
    m_firstThread.assign(m_trace.processes.size(), NoThread);
    m_firstUsedThread.assign(m_trace.processes.size(), NoThread);
    for (std::uint32_t t = std::uint32_t(m_trace.threads.size()); t-- > 0;)
        m_firstThread[m_trace.threads[t].process] = t;
}

void ForeignTraceReader::touchThread(std::uint32_t thread, std::int64_t t0, std::int64_t t1)
{
    m_sources[thread].touch(t0, t1);
    std::uint32_t& first = m_firstUsedThread[m_trace.threads[thread].process];
    first = std::min(first, thread);
}

std::uint32_t ForeignTraceReader::firstThreadOf(std::uint32_t process) const
{
    if (process >= m_trace.processes.size())
        return NoThread;
    return m_firstUsedThread[process] != NoThread ? m_firstUsedThread[process] : m_firstThread[process];
}

bool ForeignTraceReader::readEvent(const Raw& r)
{
    if (r.ph == 'M')
        return false; // counted by readMetadata
    if (r.ts == NoTime) {
        m_trace.skip(u"%1: no timestamp"_s.arg(QChar::fromLatin1(r.ph ? r.ph : '?')));
        return false;
    }
    const std::int64_t t = r.ts - m_origin;
    switch (r.ph) {
    case 'X':
        return readComplete(r, t);
    case 'B':
    case 'E':
        return readBeginEnd(r, t);
    case 'i':
    case 'I':
    case 'R':
        return readInstant(r, t);
    case 'C':
        return readCounter(r, t);
    case 'b':
    case 'e':
    case 'n':
    case 'S':
    case 'F':
    case 'T':
    case 'p':
    case 's':
    case 't':
    case 'f':
        m_ordered.push_back(&r); // matched below, in time order
        return false;
    case 'P':
        m_trace.skip(u"P: sample (stack samples are not shown)"_s);
        return false;
    case 'O':
    case 'N':
    case 'D':
        m_trace.skip(u"%1: object snapshot or lifetime"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    default:
        m_trace.skip(r.ph ? u"%1: unknown phase"_s.arg(QChar::fromLatin1(r.ph)) : u"no phase"_s);
        return false;
    }
}

bool ForeignTraceReader::readComplete(const Raw& r, std::int64_t t)
{
    if (r.thread == NoThread) {
        m_trace.skip(u"X: no thread"_s);
        return false;
    }
    if (r.dur == NoTime) {
        m_trace.skip(u"X: no duration"_s);
        return false;
    }
    const std::int64_t end = t + std::max<std::int64_t>(r.dur, 0);
    addSlice(r.thread, {t, end, text(r.name), text(r.cat), 0, 0});
    ++m_sources[r.thread].events;
    touchThread(r.thread, t, end);
    if (r.bindId != NoId) {
        if (r.flowOut)
            m_bindOut[r.bindId] = {r.thread, t};
        if (r.flowIn) {
            const auto it = m_bindOut.find(r.bindId);
            if (it != m_bindOut.end())
                m_flows.push_back({it->second.first, r.thread, it->second.second, t});
        }
    }
    return true;
}

bool ForeignTraceReader::readBeginEnd(const Raw& r, std::int64_t t)
{
    if (r.thread == NoThread) {
        m_trace.skip(u"%1: no thread"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    m_beginEnds.push_back(&r);
    touchThread(r.thread, t, t);
    if (r.ph == 'B' && r.bindId != NoId && r.flowOut)
        m_bindOut[r.bindId] = {r.thread, t};
    return false; // counted when matched
}

bool ForeignTraceReader::readInstant(const Raw& r, std::int64_t t)
{
    std::uint32_t thread = r.thread;
    if (r.scope == 'p' || r.scope == 'g' || r.thread == NoThread)
        thread = r.scope == 'g' || r.process >= m_trace.processes.size() ? firstThreadOf(0) : firstThreadOf(r.process);
    if (thread == NoThread) {
        m_trace.skip(u"%1: no thread to show it on"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    addMarker(thread, t, r.name);
    touchThread(thread, t, t);
    return true;
}

bool ForeignTraceReader::readCounter(const Raw& r, std::int64_t t)
{
    const auto a = m_trace.args(r);
    bool any = false;
    for (const Arg& value : a) {
        if (!value.isNumber)
            continue;
        m_counters[{r.process, r.name, r.id, value.key}].push_back({t, value.number});
        any = true;
    }
    if (!any)
        m_trace.skip(u"C: no numeric value"_s);
    return any;
}

// Async slices and flows, in time order: ids match across processes (an IPC's flow ends in another
// process), nestable b/e within their process.
void ForeignTraceReader::readOrdered()
{
    stableSortUnlessSorted(m_ordered.begin(), m_ordered.end(), byStart);
    for (const Raw* r : m_ordered) {
        const std::int64_t t = r->ts - m_origin;
        if (r->ph == 's' || r->ph == 't' || r->ph == 'f')
            m_trace.report.kept += readFlow(*r, t) ? 1 : 0;
        else
            m_trace.report.kept += readAsync(*r, t);
    }
}

bool ForeignTraceReader::readFlow(const Raw& r, std::int64_t t)
{
    if (r.thread == NoThread) {
        m_trace.skip(u"%1: flow without a thread"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    FlowPoint& chain = m_flowOpen[{r.cat, r.id, r.name}];
    if (r.ph == 's') {
        chain = {r.thread, t, true};
        return true;
    }
    if (!chain.open) {
        m_trace.skip(u"%1: flow step without a start"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    m_flows.push_back({chain.thread, r.thread, chain.t, t});
    chain = {r.thread, t, r.ph == 't'};
    return true;
}

// How many events it keeps: an instant one, a begin none until its end, an end two.
int ForeignTraceReader::readAsync(const Raw& r, std::int64_t t)
{
    if (r.ph == 'n') {
        addMarker(asyncSource(r.process), t, r.name);
        m_sources[asyncSource(r.process)].touch(t, t);
        return 1;
    }
    const bool nestable = r.ph == 'b' || r.ph == 'e';
    const bool begin = r.ph == 'b' || r.ph == 'S';
    const bool end = r.ph == 'e' || r.ph == 'F';
    if (!begin && !end) {
        m_trace.skip(u"%1: async step (not drawn)"_s.arg(QChar::fromLatin1(r.ph)));
        return 0;
    }
    AsyncKeyOpen& open = m_asyncOpen[{nestable ? r.process : NoThread, r.cat, r.id}];
    if (end)
        return endAsync(open, r, t) ? 2 : 0;
    const std::uint64_t seq = m_asyncSeq++;
    open.byName[r.name].push_back({t, r.name, r.cat, r.process, seq});
    open.order.emplace(seq, r.name);
    m_sources[asyncSource(r.process)].touch(t, t);
    return 0; // counted when matched
}

bool ForeignTraceReader::endAsync(AsyncKeyOpen& open, const Raw& r, std::int64_t t)
{
    // The innermost open slice of the same name, else the innermost (legacy F may be nameless).
    auto named = open.byName.find(r.name);
    if ((named == open.byName.end() || named->second.empty()) && !open.order.empty() && (r.name == 0 || r.ph == 'F'))
        named = open.byName.find(open.order.rbegin()->second);
    if (named == open.byName.end() || named->second.empty()) {
        m_trace.skip(u"%1: async end without a begin"_s.arg(QChar::fromLatin1(r.ph)));
        return false;
    }
    const AsyncOpen b = named->second.back();
    named->second.pop_back();
    open.order.erase({b.seq, b.name});
    Source& lane = m_sources[asyncSource(b.process)];
    addSlice(asyncSource(b.process), {std::min(b.start, t), std::max(b.start, t), text(b.name), text(b.cat), 0, 0});
    lane.events += 2;
    lane.touch(b.start, t);
    return true;
}

void ForeignTraceReader::addMarker(std::uint32_t source, std::int64_t t, std::uint32_t name)
{
    m_markers.push_back({t, std::int64_t(text(name)), source, 0, EventKind::Marker, std::uint32_t(MarkerType::Note)});
    ++m_sources[source].events;
}

// Match B/E per thread in time order (files list them out of order too).
std::int64_t ForeignTraceReader::matchBeginEnds()
{
    // By thread, then time; file order among equal times.
    sortByThreadThenTime(m_beginEnds, m_trace.threads.size());
    std::int64_t unclosed = 0;
    std::vector<const Raw*> stack;
    for (std::size_t i = 0; i < m_beginEnds.size(); ++i) {
        const Raw* r = m_beginEnds[i];
        Source& p = m_sources[r->thread];
        if (r->ph == 'B') {
            stack.push_back(r);
        } else if (stack.empty()) {
            m_trace.skip(u"E: end without a begin"_s);
        } else {
            const Raw* b = stack.back();
            stack.pop_back();
            addSlice(r->thread, {b->ts - m_origin, r->ts - m_origin, text(b->name), text(b->cat), 0, 0});
            p.events += 2;
            m_trace.report.kept += 2;
        }
        if (i + 1 < m_beginEnds.size() && m_beginEnds[i + 1]->thread == r->thread)
            continue;
        // The thread's last: what is still open never ended.
        for (const Raw* b : stack) {
            addSlice(r->thread, {b->ts - m_origin, std::max(p.last, b->ts - m_origin), text(b->name), text(b->cat), 0,
                                 NamedSlice::Unclosed});
            ++p.events;
            ++m_trace.report.kept;
            ++unclosed;
        }
        stack.clear();
    }
    return unclosed;
}

std::int64_t ForeignTraceReader::closeAsync()
{
    std::int64_t unclosed = 0;
    for (auto& [key, open] : m_asyncOpen) {
        for (const auto& [name, stack] : open.byName) {
            for (const AsyncOpen& b : stack) {
                Source& lane = m_sources[asyncSource(b.process)];
                addSlice(asyncSource(b.process),
                         {b.start, std::max(b.start, lane.last), text(b.name), text(b.cat), 0, NamedSlice::Unclosed});
                ++lane.events;
                ++m_trace.report.kept;
                ++unclosed;
            }
        }
    }
    return unclosed;
}

// A lane per used source, unless there are more than maxLanes: then the ones with the most events
// (ties: the first in the file). Events, not covered time, because they are what is left out and
// counted, and because one long idle slice would otherwise outrank a thread's thousand.
std::vector<bool> ForeignTraceReader::chooseLanes()
{
    std::vector<bool> kept(m_sources.size(), false);
    std::vector<std::uint32_t> used;
    for (std::uint32_t s = 0; s < m_sources.size(); ++s) {
        if (m_sources[s].used())
            used.push_back(s);
    }
    if (used.size() <= m_maxLanes) {
        for (const std::uint32_t s : used)
            kept[s] = true;
        return kept;
    }
    const auto busier = [this](std::uint32_t a, std::uint32_t b) {
        return m_sources[a].events != m_sources[b].events ? m_sources[a].events > m_sources[b].events : a < b;
    };
    std::nth_element(used.begin(), used.begin() + std::ptrdiff_t(m_maxLanes), used.end(), busier);
    LeftOut& out = m_leftOut;
    out.lanes = std::int64_t(used.size());
    out.fewestKept = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < used.size(); ++i) {
        const Source& source = m_sources[used[i]];
        if (i < m_maxLanes) {
            kept[used[i]] = true;
            out.fewestKept = std::min(out.fewestKept, source.events);
            continue;
        }
        (used[i] < m_trace.threads.size() ? out.threads : out.asyncLanes) += 1;
        out.events += source.events;
        out.mostEvents = std::max(out.mostEvents, source.events);
    }
    return kept;
}

// "990,000 threads with the fewest events were left out (their 990,000 events)...": the counts
// exact, in the warnings, and the events under skipped (so kept + skipped still adds up).
void ForeignTraceReader::reportLeftOut()
{
    const LeftOut& out = m_leftOut;
    if (out.lanes == 0)
        return;
    const QLocale english(QLocale::English);
    const auto n = [&](std::int64_t v) -> QString { return english.toString(qlonglong(v)); };
    const auto count = [&](std::int64_t v, const QString& one, const QString& many) -> QString {
        return n(v) + u" "_s + (v == 1 ? one : many);
    };
    QString who;
    if (out.threads > 0)
        who = count(out.threads, u"thread"_s, u"threads"_s);
    if (out.asyncLanes > 0)
        who += (who.isEmpty() ? QString() : u" and "_s) + count(out.asyncLanes, u"async lane"_s, u"async lanes"_s);
    QString warning = u"%1 lanes had events, more than the %2 shown: %3 with the fewest events %4 left out (their "
                      "%5, at most %6 each; ties go to the first in the file); the %2 busiest are shown (at least "
                      "%7 each)"_s.arg(n(out.lanes), n(std::int64_t(m_maxLanes)), who,
                                      out.threads + out.asyncLanes == 1 ? u"was"_s : u"were"_s,
                                      count(out.events, u"event"_s, u"events"_s),
                                      count(out.mostEvents, u"event"_s, u"events"_s),
                                      count(out.fewestKept, u"event"_s, u"events"_s));
    if (out.flows > 0)
        warning += u"; %1 flow arrows to or from them are not drawn"_s.arg(n(out.flows));
    m_trace.report.warnings.append(warning);
    if (out.events > 0) {
        m_trace.report.kept -= out.events;
        m_trace.skip(u"on a lane left out: only the %1 lanes with the most events are shown"_s.arg(n(std::int64_t(m_maxLanes))),
                     out.events);
    }
}

// Lanes, in the order the file asks for (sort indexes), then by first appearance: per process, its
// threads with events, then its async lane.
void ForeignTraceReader::makeLanes()
{
    const std::vector<ProcessInfo>& processes = m_trace.processes;
    const std::vector<ThreadInfo>& threads = m_trace.threads;
    const std::vector<bool> kept = chooseLanes();
    std::vector<std::uint32_t> processOrder(processes.size());
    for (std::uint32_t i = 0; i < processOrder.size(); ++i)
        processOrder[i] = i;
    sortBySortIndex(processOrder, processes);
    // The threads with lanes, by process (in order of first appearance): one pass, not one per process.
    std::vector<std::vector<std::uint32_t>> threadsOf(processes.size());
    for (std::uint32_t th = 0; th < threads.size(); ++th) {
        if (kept[th])
            threadsOf[threads[th].process].push_back(th);
    }
    for (std::uint32_t pr = 0; pr < processes.size(); ++pr)
        m_processesWithLanes += kept[asyncSource(pr)] || !threadsOf[pr].empty() ? 1 : 0;
    m_laneOfSource.assign(m_sources.size(), NoThread);
    std::vector<std::uint32_t> asyncLanes;
    for (const std::uint32_t pr : processOrder) {
        std::vector<std::uint32_t>& order = threadsOf[pr];
        sortBySortIndex(order, threads);
        for (const std::uint32_t th : order) {
            const ThreadInfo& info = threads[th];
            QString name = info.name.empty() ? u"thread %1"_s.arg(QString::fromStdString(info.key))
                                             : QString::fromStdString(info.name);
            if (m_processesWithLanes > 1)
                name = processLabel(pr) + u" / "_s + name;
            addLane(th, name);
        }
        if (kept[asyncSource(pr)])
            asyncLanes.push_back(addLane(asyncSource(pr), processLabel(pr) + u" / async"_s));
    }
    m_asyncLane.assign(m_contents.lanes.size(), false);
    for (const std::uint32_t lane : asyncLanes)
        m_asyncLane[lane] = true;
}

QString ForeignTraceReader::processLabel(std::uint32_t process) const
{
    const ProcessInfo& p = m_trace.processes[process];
    if (!p.name.empty())
        return QString::fromStdString(p.name);
    return p.key.empty() ? u"process"_s : u"process %1"_s.arg(QString::fromStdString(p.key));
}

std::uint32_t ForeignTraceReader::addLane(std::uint32_t source, const QString& name)
{
    const Source& p = m_sources[source];
    LaneData lane;
    lane.id = std::uint32_t(m_contents.lanes.size());
    lane.name = name;
    lane.kind = LaneKind::Thread;
    setEndedSpan(lane, p.first, std::max(p.first, p.last));
    m_contents.lanes.push_back(std::move(lane));
    m_laneOfSource[source] = m_contents.lanes.back().id;
    return m_contents.lanes.back().id;
}

// Each lane gets its slices and markers in the order they were made (what its sorts keep for
// equal times); those of sources without a lane are dropped with the shared vectors.
void ForeignTraceReader::fillLanes()
{
    std::vector<LaneData>& lanes = m_contents.lanes;
    std::vector<std::size_t> slices(lanes.size(), 0);
    std::vector<std::size_t> markers(lanes.size(), 0);
    for (const std::uint32_t source : m_sliceSource) {
        if (m_laneOfSource[source] != NoThread)
            ++slices[m_laneOfSource[source]];
    }
    for (const Marker& m : m_markers) {
        if (m_laneOfSource[m.lane] != NoThread)
            ++markers[m_laneOfSource[m.lane]];
    }
    for (std::size_t l = 0; l < lanes.size(); ++l) {
        lanes[l].slices.reserve(slices[l]);
        lanes[l].markers.reserve(markers[l]);
    }
    for (; !m_slices.empty(); m_slices.pop_front(), m_sliceSource.pop_front()) {
        if (const std::uint32_t lane = m_laneOfSource[m_sliceSource.front()]; lane != NoThread)
            lanes[lane].slices.push_back(m_slices.front());
    }
    for (; !m_markers.empty(); m_markers.pop_front()) {
        Marker& m = m_markers.front();
        if ((m.lane = m_laneOfSource[m.lane]) != NoThread)
            lanes[m.lane].markers.push_back(m);
    }
}

// Depths: nesting on threads; on async lanes, the first free row (they overlap freely).
void ForeignTraceReader::finishLane(LaneData& lane, bool isAsync)
{
    auto& s = lane.slices;
    stableSortUnlessSorted(s.begin(), s.end(), [](const NamedSlice& a, const NamedSlice& b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    FreeRows rows;
    Nesting nesting;
    int deepest = -1;
    for (NamedSlice& slice : s) {
        const std::size_t depth = isAsync ? rows.take(slice) : nesting.take(slice);
        slice.depth = std::uint16_t(std::min<std::size_t>(depth, 0xffff));
        deepest = std::max(deepest, int(slice.depth));
        lane.maxSliceNs = std::max(lane.maxSliceNs, slice.end - slice.start);
    }
    lane.sliceDepth = deepest + 1;
    sortByTime(lane.markers);
    m_contents.endTime = std::max(m_contents.endTime, lane.end);
}

void ForeignTraceReader::addFlows()
{
    for (const FlowRaw& f : m_flows) {
        const std::uint32_t lane0 = m_laneOfSource[f.thread0];
        const std::uint32_t lane1 = m_laneOfSource[f.thread1];
        if (lane0 != NoThread && lane1 != NoThread)
            m_contents.flows.push_back({f.t0, f.t1, lane0, lane1});
        else if (m_sources[f.thread0].used() && m_sources[f.thread1].used())
            ++m_leftOut.flows; // not drawn because the lane cap left an end out
    }
}

// Counters: one object (and one chart series) per counter and argument.
void ForeignTraceReader::addCounters()
{
    std::map<Key3, int> seriesPerCounter;
    for (const auto& [key, samples] : m_counters)
        ++seriesPerCounter[{std::get<0>(key), std::get<1>(key), std::get<2>(key)}];
    const Interner& strings = m_trace.strings;
    for (auto& [key, samples] : m_counters) {
        const auto [pr, name, id, series] = key;
        QString label = QString::fromStdString(strings.str(name));
        if (id != NoId)
            label += u" "_s + QString::fromStdString(strings.str(id));
        if (seriesPerCounter[{pr, name, id}] > 1 || (series != "value" && series != strings.str(name)))
            label += u"."_s + QString::fromStdString(series);
        if (m_processesWithLanes > 1)
            label = processLabel(pr) + u" / "_s + label;
        ObjectData o;
        o.id = std::uint32_t(m_contents.objects.size() + 1);
        o.name = label;
        o.kind = ObjectKind::Counter;
        o.counter = std::move(samples);
        sortByTime(o.counter);
        m_contents.endTime = std::max(m_contents.endTime, o.counter.back().t);
        m_contents.objects.push_back(std::move(o));
    }
}

} // namespace interleave::traceimport
