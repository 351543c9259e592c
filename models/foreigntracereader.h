// ForeignTraceReader: other tools' traces (Chrome, Perfetto, Bazel...) as nested slices, instants, counters, flows.
#pragma once

#include "rawtrace.h"

#include <algorithm>
#include <cstdint>
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
class ForeignTraceReader
{
public:
    ForeignTraceReader(RawTrace& trace, ImportedTrace& out);
    void read();

private:
    // A lane in the making: a thread's slices and instants, or a process's async slices.
    struct Pending
    {
        std::vector<NamedSlice> slices;
        std::vector<Marker> markers;
        std::vector<const Raw*> beginEnds;
        std::int64_t first = std::numeric_limits<std::int64_t>::max();
        std::int64_t last = std::numeric_limits<std::int64_t>::min();
        bool used = false;
        void touch(std::int64_t t0, std::int64_t t1)
        {
            first = std::min(first, t0);
            last = std::max(last, t1);
            used = true;
        }
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

    void makeLanes();
    std::uint32_t addLane(Pending& p, const QString& name);
    QString processLabel(std::uint32_t process) const;
    void finishLane(LaneData& lane, bool isAsync);
    void addFlows();
    void addCounters();

    void touchThread(std::uint32_t thread, std::int64_t t0, std::int64_t t1);
    std::uint32_t firstThreadOf(std::uint32_t process) const;
    std::uint32_t text(std::uint32_t internId) { return m_trace.text(m_contents, internId); }

    RawTrace& m_trace;
    ImportedTrace& m_out;
    TraceContents& m_contents;
    std::int64_t m_origin = 0; // times start at the earliest event
    std::vector<Pending> m_threads;
    std::vector<Pending> m_asyncOf; // per process
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
    std::vector<std::uint32_t> m_laneOfThread;
    std::vector<bool> m_asyncLane;
};

} // namespace interleave::traceimport
