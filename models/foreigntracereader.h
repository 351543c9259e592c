// ForeignTraceReader: other tools' traces (Chrome, Perfetto, Bazel...) as nested slices, instants, counters, flows.
#pragma once

#include "rawtrace.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace interleave::traceimport {

// Reads the raw records of any Chrome Trace Event file that is not one of Interleave's runs: a
// lane per thread with events and one per process with async slices, times from the earliest event.
// At most maxLanes lanes: beyond that the lanes with the most events are kept, and the report says
// what was left out.
class ForeignTraceReader
{
public:
    ForeignTraceReader(RawTrace& trace, ImportedTrace& out, std::size_t maxLanes);
    void read();

private:
    // A lane in the making: a thread's slices and instants (source = thread index), or a process's
    // async slices (source = thread count + process index). Its slices and markers wait in shared
    // vectors until the lanes are chosen: a file may have a million threads of one event each.
    struct Source
    {
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t last = std::numeric_limits<std::int64_t>::min();
        std::int64_t events = 0; // kept events: what lanes are ranked by when there are too many
        bool used() const { return first <= last; }
        void touch(std::int64_t t0, std::int64_t t1)
        {
            first = std::min(first, t0);
            last = std::max(last, t1);
        }
    };
    // What the lane cap left out, for the report.
    struct LeftOut
    {
        std::int64_t lanes = 0; // had events
        std::int64_t threads = 0;
        std::int64_t asyncLanes = 0;
        std::int64_t events = 0;
        std::int64_t mostEvents = 0;   // of a lane left out
        std::int64_t fewestKept = 0;   // of a lane shown
        std::int64_t flows = 0;        // arrows with an end on a lane left out
    };
    struct AsyncOpen
    {
        std::int64_t start;
        std::uint32_t name;
        std::uint32_t cat;
        std::uint32_t process;
        std::uint64_t seq; // order of the begins
    };
    // (process or NoThread for legacy S/F, cat, id) -> the open slices: a stack per name (an end
    // closes the innermost of its name) and all of them by begin order (a nameless end closes the
    // innermost of any name). Ends in any order cost a log, not a scan of what is open.
    struct AsyncKeyOpen
    {
        std::map<std::uint32_t, std::vector<AsyncOpen>> byName;
        std::set<std::pair<std::uint64_t, std::uint32_t>> order; // (seq, name)
    };
    struct FlowPoint
    {
        std::uint32_t thread = 0;
        std::int64_t t = 0;
        bool open = false;
    };
    struct FlowRaw
    {
        std::uint32_t thread0, thread1;
        std::int64_t t0, t1;
    };
    using Key3 = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>;
    using CounterKey = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::string>; // process, name, id, series

    void findOrigin();
    void findFirstThreads();
    // The first pass, in file order: true when the event is kept now (B/E and async events are
    // counted when matched).
    bool readEvent(const Raw& r);
    bool readComplete(const Raw& r, std::int64_t t);
    bool readBeginEnd(const Raw& r, std::int64_t t);
    bool readInstant(const Raw& r, std::int64_t t);
    bool readCounter(const Raw& r, std::int64_t t);
    // The second pass, in time order: async slices and flows.
    void readOrdered();
    bool readFlow(const Raw& r, std::int64_t t);
    int readAsync(const Raw& r, std::int64_t t);
    bool endAsync(AsyncKeyOpen& open, const Raw& r, std::int64_t t);
    // Then what is still open: returns the slices that began but never ended.
    std::int64_t matchBeginEnds();
    std::int64_t closeAsync();

    // The sources that become lanes: all used ones, or the maxLanes with the most events.
    std::vector<bool> chooseLanes();
    void reportLeftOut();
    void makeLanes();
    std::uint32_t addLane(std::uint32_t source, const QString& name);
    void fillLanes(); // the slices and markers into the lanes made
    QString processLabel(std::uint32_t process) const;
    void finishLane(LaneData& lane, bool isAsync);
    void addFlows();
    void addCounters();

    std::uint32_t asyncSource(std::uint32_t process) const { return std::uint32_t(m_trace.threads.size()) + process; }
    void addSlice(std::uint32_t source, const NamedSlice& slice)
    {
        m_slices.push_back(slice);
        m_sliceSource.push_back(source);
    }
    void addMarker(std::uint32_t source, std::int64_t t, std::uint32_t name);
    void touchThread(std::uint32_t thread, std::int64_t t0, std::int64_t t1);
    std::uint32_t firstThreadOf(std::uint32_t process) const;
    std::uint32_t text(std::uint32_t internId) { return m_trace.text(m_contents, internId); }

    RawTrace& m_trace;
    ImportedTrace& m_out;
    TraceContents& m_contents;
    const std::size_t m_maxLanes;
    std::int64_t m_origin = 0; // times start at the earliest event
    std::vector<Source> m_sources;
    // In the order made (a lane's order before its sort). Deques: no slack from doubling, and
    // emptied from the front into the lanes, so the two copies never both exist in full.
    std::deque<NamedSlice> m_slices;
    std::deque<std::uint32_t> m_sliceSource;
    std::deque<Marker> m_markers; // lane = the source until the lanes are made
    std::vector<const Raw*> m_beginEnds;   // B and E with a thread, in file order
    std::map<Key3, AsyncKeyOpen> m_asyncOpen;
    std::uint64_t m_asyncSeq = 0;
    std::map<Key3, FlowPoint> m_flowOpen; // (cat, id, name)
    std::vector<const Raw*> m_ordered;    // for the second pass
    std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::int64_t>> m_bindOut; // bind_id -> from
    std::vector<FlowRaw> m_flows;
    std::map<CounterKey, std::vector<CounterSample>> m_counters;
    // Per process, its first thread, and the first that has events so far (where its
    // process-scope instants go): kept up to date, never searched for (a file with a hundred
    // thousand threads and as many instants must not cost their product).
    std::vector<std::uint32_t> m_firstThread;
    std::vector<std::uint32_t> m_firstUsedThread;
    // The lanes made.
    int m_processesWithLanes = 0;
    std::vector<std::uint32_t> m_laneOfSource; // NoThread: no lane
    std::vector<bool> m_asyncLane;
    LeftOut m_leftOut;
};

} // namespace interleave::traceimport
