// Why a mark is there, built from what the run recorded: a lost update's reads and writes, a
// deadlock's waits in the order they formed, a stranded item's put after the consumers quit, a
// lock or GIL hand-off. Each is data (for the summary and the tests) and a sentence (for people).
#pragma once

#include "waitsnapshot.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace interleave {

class TraceStore;

// One recorded event an explanation points at: drawn highlighted on its lane.
struct ExplainedEvent
{
    std::uint32_t lane = 0; // lane id
    std::int64_t t = 0;     // ns since the session's start
};

// A write that erased other threads' updates. The writer read `read` at readT and wrote read + 1
// at writeT, over the counter's value then (read + lost): every update since its read was lost.
// The overwritten write is the one just before it (it wrote read + lost); its read and write are
// here when the recording kept them (`overwrittenKnown`).
struct LostUpdateExample
{
    struct Access
    {
        std::uint32_t lane = 0;
        std::int64_t readT = 0;
        std::int64_t read = 0;
        std::int64_t writeT = 0;
        std::int64_t wrote = 0;
    };
    Access writer;
    Access overwritten;
    bool overwrittenKnown = false;
    std::int64_t lost = 0; // updates this write erased
    std::int64_t markT = 0; // the lost-update mark on the writer's lane
};

// The first `max` lost updates, in the order of the writes that lost them, whose writer's read and
// write the store still holds.
std::vector<LostUpdateExample> lostUpdateExamples(const TraceStore& store, std::size_t max);
// The lost update whose mark is on this lane at (or nearest to) t: for a click on the mark.
std::optional<LostUpdateExample> lostUpdateAt(const TraceStore& store, std::uint32_t lane, std::int64_t t);

// A deadlock's cycle, each lane's hold and wait, in the order the waits began.
struct CycleStep
{
    std::uint32_t lane = 0;
    std::uint32_t holds = 0;      // lock id it holds that the previous lane of the cycle waits for
    std::int64_t heldSince = 0;
    std::uint32_t waitsFor = 0;   // lock id
    std::int64_t waitsSince = 0;
    std::uint32_t heldBy = 0;     // lane id holding waitsFor
};
// The cycle of waits at time t (the deadlock mark's time when there is one, else the store's end),
// steps sorted by when each wait began; empty when the recording shows no cycle.
std::vector<CycleStep> deadlockCycle(const TraceStore& store,
                                     std::int64_t t = std::numeric_limits<std::int64_t>::min());

// An item put into a queue and never taken out, with the consumers that had quit before.
struct StrandedItem
{
    std::uint32_t queue = 0;   // object id
    std::int64_t item = 0;
    std::uint32_t putBy = 0;   // lane id
    std::int64_t putT = 0;
    struct Quit
    {
        std::uint32_t lane = 0;
        std::int64_t t = 0;
        std::int64_t depth = -1; // the queue's depth when it quit (-1: not recorded)
    };
    std::vector<Quit> consumersQuit; // consumers (lanes that took from the queue) that ended before putT
};
std::vector<StrandedItem> strandedItems(const TraceStore& store, std::size_t max);

// A contended acquisition of a lock or the GIL: who waited, for how long, who held it before.
struct HandOff
{
    std::uint32_t object = 0;
    std::uint32_t waiter = 0;
    std::int64_t waitStart = 0;
    std::int64_t acquired = 0;
    bool holderKnown = false;
    std::uint32_t holder = 0;
    std::int64_t heldSince = 0;
    std::int64_t released = 0;
    bool dropRequested = false; // the GIL: the waiter asked the holder to drop it
    std::int64_t dropRequestT = 0;
};
// The hold of `object` on this lane that began at or before t and was waited for.
std::optional<HandOff> handOffAt(const TraceStore& store, std::uint32_t lane, std::int64_t t,
                                 std::uint32_t object = 0);

// What the window shows for a click: a sentence and the events it names.
struct Explanation
{
    QString title;
    QString sentence;
    std::vector<ExplainedEvent> events;
    bool isEmpty() const { return sentence.isEmpty(); }
};
Explanation explain(const TraceStore& store, const LostUpdateExample& e);
Explanation explain(const TraceStore& store, const std::vector<CycleStep>& cycle);
Explanation explain(const TraceStore& store, const StrandedItem& item);
Explanation explain(const TraceStore& store, const HandOff& h);

// What a click at time t on a lane means, nearest first: a lost-update mark, a put of an item that
// was stranded, a deadlock's wait, a contended lock or GIL acquisition (its wait or its hold).
// `tolerance`: how far in time a mark may be from t (a few pixels' worth). Empty: nothing to say.
Explanation explainAt(const TraceStore& store, std::uint32_t lane, std::int64_t t, std::int64_t tolerance);
// A click on the GIL lane at t: the hand-off that gave the GIL to its holder then, if it was waited for.
Explanation explainGilAt(const TraceStore& store, std::int64_t t);

// The wait-for graph as the recording shows it at t: who held and who waited for which lock, and
// the cycle if there was one then (a replay's graph at its playhead).
WaitSnapshot waitSnapshotAt(const TraceStore& store, std::int64_t t);

// "1.2045 s" or "12.345 ms": how explanations write a time since the start.
QString explainedTime(std::int64_t ns);

// The summary's outcome keys (DESIGN.md section 6, issue 16): lost_examples, cycle_steps,
// stranded_items, each present only when there is something to say.
QJsonObject explanationKeys(const TraceStore& store, const QJsonObject& outcome);

} // namespace interleave
