// What was recorded, as data: per lane sorted non-overlapping state intervals, lock-hold
// overlays, markers and counters, with statistics kept up to date as batches arrive.
#pragma once

#include "traceevent.h"

#include <QObject>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace interleave {

// All times in the store are ns since the start of the session.
struct StateInterval
{
    std::int64_t start = 0;
    std::int64_t end = 0;
    ThreadState state = ThreadState::Running;
    std::uint32_t object = 0; // what it waits on, for the waiting states

    friend bool operator==(const StateInterval&, const StateInterval&) = default;
};

struct HoldInterval
{
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::uint32_t object = 0;
    std::uint32_t lane = 0;
    std::int64_t waitNs = -1; // the wait before this acquisition; -1 when it was not contended

    friend bool operator==(const HoldInterval&, const HoldInterval&) = default;
};

struct Marker
{
    std::int64_t t = 0;
    std::int64_t value = 0;
    std::uint32_t lane = 0;
    std::uint32_t object = 0;
    EventKind kind = EventKind::Marker;
    std::uint32_t aux = 0;
};

struct CounterSample
{
    std::int64_t t = 0;
    double value = 0; // exact for our integer counters; imported ones may have fractions

    friend bool operator==(const CounterSample&, const CounterSample&) = default;
};

// A named slice from an imported trace (what other tools record instead of thread states):
// depth 0 is outermost. Sorted by start, then by depth.
struct NamedSlice
{
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::uint32_t name = 0; // text id
    std::uint32_t category = 0; // text id; 0 = none
    std::uint16_t depth = 0;
    std::uint16_t flags = 0; // NamedSlice::Unclosed, ...
    static constexpr std::uint16_t Unclosed = 1; // began but never ended: cut at the trace's end

    // The order a lane keeps: by start, the outer first.
    static bool before(const NamedSlice& a, const NamedSlice& b)
    {
        return a.start != b.start ? a.start < b.start : a.depth < b.depth;
    }
};

// An arrow between two lanes (a flow from an imported trace).
struct FlowArrow
{
    std::int64_t t0 = 0;
    std::int64_t t1 = 0;
    std::uint32_t lane0 = 0;
    std::uint32_t lane1 = 0;
};

struct StoredConsoleLine
{
    std::int64_t t = 0;
    std::uint32_t lane = 0;
    std::uint32_t textId = 0;
};

struct LaneData
{
    std::uint32_t id = 0;
    QString name;
    LaneKind kind = LaneKind::Thread;
    std::vector<StateInterval> intervals; // closed intervals, sorted, non-overlapping
    std::vector<HoldInterval> holds;      // closed holds of this lane, sorted by start
    std::int64_t maxHoldNs = 0;           // the longest of them (bounds a search by start)
    std::vector<Marker> markers;          // sorted by t
    std::vector<NamedSlice> slices;       // imported traces only
    std::int64_t maxSliceNs = 0;          // the longest slice (bounds a search by start)
    int sliceDepth = 0;                   // 1 + the deepest slice's depth; 0 without slices
    std::int64_t raceMarkers = 0;         // race read/write markers stored for this lane
    bool begun = false;
    bool ended = false;
    std::int64_t begin = 0;
    std::int64_t end = 0;                 // valid when ended
    ThreadState current = ThreadState::Idle; // the open interval, while begun && !ended
    std::int64_t currentStart = 0;
    std::uint32_t currentObject = 0;
    std::int64_t lastT = 0;
    std::array<std::int64_t, ThreadStateCount> stateNs{}; // closed intervals only
    // The kernel's figures for the lane's thread at its end (-1: not known): time on a CPU (its
    // CPU clock) and time runnable on a run queue (schedstat), to check Running and Ready by.
    std::int64_t kernelRunningNs = -1;
    std::int64_t kernelReadyNs = -1;

    struct OpenHold
    {
        std::uint32_t object;
        std::int64_t start;  // -1 while the run is paused: a hold is not drawn through a pause
        std::int64_t waitNs; // as in HoldInterval
    };
    // Pauses: the next of the store's pause edges this lane has not passed (odd: paused), and
    // while paused, the state the lane's events say it is in (shown again on resume).
    std::size_t pauseCursor = 0;
    ThreadState resumeState = ThreadState::Running;
    std::uint32_t resumeObject = 0;
    bool paused() const { return pauseCursor % 2 == 1; }
    std::vector<OpenHold> openHolds;
    std::int64_t waitStart = -1; // of the lock or GIL wait in progress
};

struct ObjectData
{
    std::uint32_t id = 0;
    QString name;
    ObjectKind kind = ObjectKind::Lock;
    std::int64_t capacity = 0;

    // Locks and the GIL.
    std::int64_t acquisitions = 0;
    std::int64_t contended = 0;
    std::int64_t waitNsTotal = 0;
    std::int64_t waitNsMax = 0;
    std::int64_t holdNsTotal = 0;
    std::int64_t tryFailures = 0;
    std::vector<HoldInterval> holds; // every owner's holds, sorted by start

    // Queues.
    std::int64_t puts = 0;
    std::int64_t gets = 0;
    std::int64_t maxDepth = 0;

    // Lock waiters, queue depth, GIL holder (lane id, -1 when free), counter value.
    std::vector<CounterSample> counter; // sorted by t

    // The history cap's share of counterMean(): the area under the samples aged out, and the
    // first sample's time (valid when agedSamples > 0).
    double agedArea = 0;
    std::int64_t agedFirstT = 0;
    std::int64_t agedSamples = 0;

    // While a batch is appended: where its unsorted tail begins (TraceStore's business).
    static constexpr std::size_t NoPending = std::size_t(-1);
    std::size_t pendingCounterFrom = NoPending;
    std::size_t pendingHoldsFrom = NoPending;
};

// Everything a store holds, as plain data: what an importer builds off the GUI thread and
// TraceStore::adopt() takes over in one step.
struct TraceContents
{
    std::vector<LaneData> lanes;     // index == lane id
    std::vector<ObjectData> objects; // index == object id - 1
    std::vector<QString> texts;
    std::vector<StoredConsoleLine> console;
    std::vector<FlowArrow> flows;
    std::int64_t endTime = 0;
    std::uint64_t events = 0;
    std::uint64_t dropped = 0;
    // Detail the run left out by rule, counted (TraceStore::markersCapped(), holdsFolded()).
    std::uint64_t raceMarksNotKept = 0;
    std::uint64_t holdsFolded = 0;
};

// How much detail a live store keeps. Beyond it the oldest intervals, holds, markers and counter
// samples age out (a quarter at a time); statistics (state times, lock and queue figures, means)
// stay exact because they are kept as running totals.
struct HistoryCap
{
    // Totals across lanes (each lane keeps its share, at least minPerLane) and per object.
    // About 200 MB when full; a lesson at its usual rates fills it in hours, a flood in seconds.
    std::size_t intervals = std::size_t(2) << 20;
    std::size_t laneHolds = std::size_t(1) << 20;
    std::size_t markers = std::size_t(1) << 20;
    std::size_t minPerLane = std::size_t(1) << 16;
    std::size_t holdsPerObject = std::size_t(1) << 19;
    std::size_t samplesPerObject = std::size_t(1) << 19;
};

class TraceStore : public QObject
{
    Q_OBJECT
public:
    explicit TraceStore(QObject* parent = nullptr);
    ~TraceStore() override;

    void clear();
    // Replaces everything with `contents` (an imported trace); emits cleared() then appended().
    void adopt(TraceContents&& contents);
    // The same session shown as it was at another moment (a replay): replaces everything with
    // `contents` and emits refilled() only; views rebuild what they cached but keep their range.
    void refill(TraceContents&& contents);

    // --- filling (the collector, on the GUI or headless main thread) --------------------------
    void addLane(std::uint32_t id, const QString& name, LaneKind kind);
    void addObject(std::uint32_t id, const QString& name, ObjectKind kind, std::int64_t capacity);
    void addTexts(const std::vector<QString>& texts); // appended in id order
    void renameLane(std::uint32_t id, const QString& name);
    // Events of one lane, in that lane's order; absolute timestamps, made relative to originNs.
    void append(const TraceEvent* events, std::size_t count);
    // The same, leaving the objects' new counter samples and holds to be merged into order by
    // finishBatch() (or the next append()): once per drain instead of once per lane, for lanes
    // drained one after another interleave in time and each merge moves what the others added.
    void appendDeferred(const TraceEvent* events, std::size_t count);
    void setOriginNs(std::int64_t originNs) { m_originNs = originNs; }
    void setDropped(std::uint64_t dropped) { m_dropped = dropped; }
    // Moves the live edge to `ns` (since the session start): open intervals reach it even when
    // nothing was recorded (threads stuck in a deadlock still wait, visibly).
    void advanceTo(std::int64_t ns);
    // Ends a batch: ages out detail beyond the history cap, and emits appended() once when
    // anything arrived since the last call.
    void finishBatch();
    // The run was paused (edges alternate begin / end, ns since the session start, in order).
    // From a pause's begin every live lane shows Paused until its end: never waiting, holding or
    // running, and no wait or mean counts it. Call before appending events recorded after it.
    void addPauseEdge(std::int64_t ns);
    const std::vector<std::int64_t>& pauseEdges() const { return m_pauseEdges; }
    // Of [a, b) (ns since the start), the time the run was paused.
    std::int64_t pausedNsBetween(std::int64_t a, std::int64_t b) const;
    void setHistoryCap(const HistoryCap& cap) { m_cap = cap; }
    const HistoryCap& historyCap() const { return m_cap; }
    // Detail before this time (ns since the start) was aged out by the cap; 0 while all is kept.
    std::int64_t historyStart() const { return m_historyStart; }
    std::uint64_t agedOut() const { return m_agedOut; } // intervals, holds, markers, samples dropped

    // --- reading -------------------------------------------------------------------------------
    std::size_t laneCount() const { return m_lanes.size(); }
    const LaneData& lane(std::size_t index) const { return m_lanes[index]; }
    std::size_t objectCount() const { return m_objects.size(); }
    const ObjectData& object(std::size_t index) const { return m_objects[index]; }
    const ObjectData* objectById(std::uint32_t id) const;
    const std::vector<StoredConsoleLine>& console() const { return m_console; }
    const std::vector<FlowArrow>& flows() const { return m_flows; }
    QString text(std::uint32_t id) const;
    std::size_t textCount() const { return m_texts.size(); }

    // Latest timestamp seen in any lane.
    std::int64_t endTime() const { return m_endTime; }
    std::uint64_t eventsRecorded() const { return m_events; }
    std::uint64_t eventsDropped() const { return m_dropped; }
    // Race read/write markers (two per increment) are kept up to a cap per lane; the rest are
    // counted here. Lost updates, states and holds are always kept.
    // The lanes stop recording them at the same cap (RaceMarksPerLane) and count the rest: those
    // counts arrive through setThinnedAtSource().
    static constexpr std::int64_t RaceMarkerCap = RaceMarksPerLane;
    std::uint64_t markersCapped() const { return m_markersCapped + m_raceMarksThinned; }
    // Lock holds drawn folded into runs (EventFlags::FoldedHolds); their statistics are exact.
    std::uint64_t holdsFolded() const { return m_holdsFolded; }
    void setThinnedAtSource(std::uint64_t raceMarks, std::uint64_t holdsFolded)
    {
        m_raceMarksThinned = raceMarks;
        m_holdsFolded = holdsFolded;
    }

    // Index range [first, last) of a lane's closed intervals that overlap [t0, t1).
    std::pair<std::size_t, std::size_t> intervalRange(std::size_t lane, std::int64_t t0, std::int64_t t1) const;
    // The state at time t (including the open interval), or Count when the lane was not alive.
    ThreadState stateAt(std::size_t lane, std::int64_t t) const;

    // Time per state, with the open interval counted up to endTime().
    std::array<std::int64_t, ThreadStateCount> stateTotals(std::size_t lane) const;
    // Wall time of the lane: begin to end (or to endTime() while alive).
    std::int64_t laneWallNs(std::size_t lane) const;
    // Time-weighted mean of a counter between its first and last sample.
    double counterMean(const ObjectData& o) const;

Q_SIGNALS:
    void appended();
    void cleared();
    void refilled();

private:
    LaneData* laneById(std::uint32_t id);
    ObjectData* mutableObject(std::uint32_t id);
    void closeInterval(LaneData& lane, std::int64_t t);
    void addCounter(ObjectData& o, std::int64_t t, std::int64_t value);
    void markPending(ObjectData& o);
    void ageOut();
    void mergePending(); // sorts what append() added to objects into place
    void openHold(LaneData& lane, std::uint32_t object, std::int64_t t, std::int64_t waitNs);
    // heldNs: of a folded run, the summed hold time (-1: the interval's length).
    void closeHold(LaneData& lane, std::uint32_t object, std::int64_t t, std::int64_t heldNs = -1);
    void emitHold(LaneData& lane, const HoldInterval& h, std::int64_t heldNs = -1);
    // A LockRelease with EventFlags::FoldedHolds: the run's acquisitions and hold, at once.
    void appendFoldedHolds(LaneData& lane, const TraceEvent& e, std::int64_t t, std::int64_t before);
    // A returned call as a named slice of its lane, in start order (calls arrive as they return:
    // a caller after its callees).
    void addCall(LaneData& lane, const TraceEvent& e, std::int64_t t);
    void passPauseEdges(LaneData& lane, std::int64_t t); // applies the edges at or before t
    void take(TraceContents&& contents);

    std::vector<LaneData> m_lanes;     // index == lane id
    std::vector<ObjectData> m_objects; // index == object id - 1
    std::vector<QString> m_texts;
    std::vector<StoredConsoleLine> m_console; // sorted by t
    std::vector<FlowArrow> m_flows;           // imported traces only
    std::vector<std::uint32_t> m_pending;     // objects with an unmerged tail (during append)
    std::vector<std::int64_t> m_pauseEdges;   // alternately a pause's begin and end
    HistoryCap m_cap;
    std::int64_t m_historyStart = 0;
    std::uint64_t m_agedOut = 0;
    std::int64_t m_originNs = 0;
    std::int64_t m_endTime = 0;
    std::uint64_t m_events = 0;
    std::uint64_t m_dropped = 0;
    std::uint64_t m_markersCapped = 0;
    std::uint64_t m_raceMarksThinned = 0;
    std::uint64_t m_holdsFolded = 0;
    bool m_dirty = false;
};

} // namespace interleave
