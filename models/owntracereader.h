// OwnTraceReader: rebuilds a run of Interleave from its own trace: threads with states, locks, queues, the outcome.
#pragma once

#include "rawtrace.h"

#include <QJsonObject>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace interleave::traceimport {

// Reads the raw records of a trace whose otherData says interleave.trace/1 (InterleaveTraceFormat)
// into the store's data as the live run had it: lane n - 1 for tid n, objects as declared.
class OwnTraceReader
{
public:
    OwnTraceReader(RawTrace& trace, ImportedTrace& out);
    void read();

private:
    void readRun();
    void declareObjects();
    void makeLanes();
    void readKernelFigures();
    // One event: true when it is kept (drawn or counted).
    bool readEvent(const Raw& r);
    bool readState(const Raw& r);
    bool readSlice(const Raw& r); // a named slice (a traced Python program's call, an imported trace's)
    bool readHold(const Raw& r);
    bool readCounter(const Raw& r);
    bool readInstant(const Raw& r);
    bool readQueueMarker(const std::vector<Arg>& args, const std::string& name, Marker* m);
    void finishLanes();
    void finishObjects();

    ObjectData* objectNamed(const std::string& name);
    LaneData* laneOf(std::uint32_t thread);

    RawTrace& m_trace;
    ImportedTrace& m_out;
    TraceContents& m_contents;
    std::map<std::string, std::uint32_t> m_objectByName;
    std::vector<QJsonObject> m_totals; // per declared object: its "totals", or empty
    std::map<std::int64_t, std::uint32_t> m_laneOfTid;
    std::vector<std::uint32_t> m_laneOfThread;
    std::map<std::string, ThreadState> m_stateByLabel;
    // Lock holds: b and e share an id.
    struct OpenBegin
    {
        std::int64_t start;
        std::int64_t waitNs;
        bool open;
    };
    std::unordered_map<std::uint32_t, OpenBegin> m_holdsOpen;
};

} // namespace interleave::traceimport
