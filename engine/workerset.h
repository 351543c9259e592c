// Keeps a scenario's worker count equal to a live parameter: adds workers when it rises and
// retires the newest ones when it falls.
#pragma once

#include "traceevent.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace interleave {

class RunContext;

class WorkerSet
{
public:
    // body(index, retire) runs on each worker; it must return soon after retire becomes true.
    using Body = std::function<void(int index, const std::atomic<bool>& retire)>;

    WorkerSet(RunContext& ctx, int countParamIndex, QString namePrefix, Body body,
              LaneKind kind = LaneKind::Thread);

    // Runs until every worker has returned (Cancelled on Stop). Call from the main lane.
    void run();

    int started() const { return int(m_slots.size()); }

private:
    struct Slot
    {
        std::shared_ptr<std::atomic<bool>> retire;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    void adjust(int want);

    RunContext& m_ctx;
    const int m_countParam;
    const QString m_prefix;
    const Body m_body;
    const LaneKind m_kind;
    std::vector<Slot> m_slots;
};

} // namespace interleave
