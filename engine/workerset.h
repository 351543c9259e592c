// A scenario's workers: N threads named "<prefix>-1".."<prefix>-N", doing the same thing by index.
// The count is either a live parameter (workers are added when it rises and the newest retired
// when it falls) or fixed for the run.
#pragma once

#include "params.h"
#include "traceevent.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace interleave {

class RunContext;

// What a worker's body is told about itself.
struct Worker
{
    int index = 0;               // 0-based: the lane is "<prefix>-<index + 1>"
    std::int64_t spawnedNs = 0;  // when the main thread started it
    // Shared, not borrowed: the worker's own reference is released on its own thread after its
    // last read, so the flag is freed after that read whichever thread lets go of it last.
    std::shared_ptr<const std::atomic<bool>> retire;

    // The count went below this worker: its body must return soon.
    bool retired() const noexcept { return retire->load(); }
};

class WorkerSet
{
public:
    using Body = std::function<void(const Worker& worker)>;

    // As many workers as `count` says, at every moment of the run.
    WorkerSet(RunContext& ctx, Param<int> count, QString namePrefix, Body body, LaneKind kind = LaneKind::Thread);
    // Exactly `count` workers.
    WorkerSet(RunContext& ctx, int count, QString namePrefix, Body body, LaneKind kind = LaneKind::Thread);

    // Starts the workers (once; later calls do nothing). Call from the main lane.
    void start();
    // Starts them if need be, then runs until every worker has returned or a deadlock formed
    // (Cancelled on Stop), following the count. The main lane shows Idle meanwhile.
    void run();

    int started() const { return int(m_slots.size()); }

private:
    struct Slot
    {
        std::shared_ptr<std::atomic<bool>> retire;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    int wanted() const;
    void adjust(int want);

    RunContext& m_ctx;
    const Param<int> m_countParam; // index -1: the count is fixed
    const int m_fixedCount = 0;
    const QString m_prefix;
    const Body m_body;
    const LaneKind m_kind;
    std::vector<Slot> m_slots;
};

} // namespace interleave
