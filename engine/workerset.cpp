// WorkerSet: starting, following and joining a scenario's workers, named by index.
#include "workerset.h"

#include "clock.h"
#include "runcontext.h"
#include "tracesession.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

WorkerSet::WorkerSet(RunContext& ctx, Param<int> count, QString namePrefix, Body body, LaneKind kind)
    : m_ctx(ctx)
    , m_countParam(count)
    , m_prefix(std::move(namePrefix))
    , m_body(std::move(body))
    , m_kind(kind)
{
}

WorkerSet::WorkerSet(RunContext& ctx, int count, QString namePrefix, Body body, LaneKind kind)
    : m_ctx(ctx)
    , m_fixedCount(count)
    , m_prefix(std::move(namePrefix))
    , m_body(std::move(body))
    , m_kind(kind)
{
}

int WorkerSet::wanted() const
{
    // A live count keeps at least one worker; a fixed one may be zero (nothing to do).
    return m_countParam.index >= 0 ? std::max(m_ctx.value(m_countParam), 1) : m_fixedCount;
}

void WorkerSet::adjust(int want)
{
    int active = 0;
    for (const Slot& s : m_slots)
        active += s.retire->load() ? 0 : 1;
    while (active < want) {
        Slot slot{std::make_shared<std::atomic<bool>>(false), std::make_shared<std::atomic<bool>>(false)};
        const int index = int(m_slots.size());
        m_slots.push_back(slot);
        m_ctx.spawn(u"%1-%2"_s.arg(m_prefix).arg(index + 1), m_kind,
                    [body = m_body, index, slot, spawned = monotonicNs()] {
                        struct Done
                        {
                            std::atomic<bool>& flag;
                            ~Done() { flag.store(true); }
                        } done{*slot.finished};
                        body(Worker{index, spawned, slot.retire});
                    });
        ++active;
    }
    for (auto it = m_slots.rbegin(); it != m_slots.rend() && active > want; ++it) {
        if (!it->retire->load() && !it->finished->load()) {
            it->retire->store(true);
            --active;
        }
    }
}

void WorkerSet::start()
{
    if (m_slots.empty())
        adjust(wanted());
}

void WorkerSet::run()
{
    start();
    LaneRecorder* rec = LaneRecorder::current();
    for (;;) {
        bool allDone = true;
        for (const Slot& s : m_slots)
            allDone = allDone && s.finished->load();
        if (allDone || m_ctx.deadlocked()) {
            m_ctx.throwIfStopped();
            return; // a deadlock ends the lesson: the Runner stops the stuck workers
        }
        if (rec)
            rec->setState(ThreadState::Idle); // the main thread is only joining
        m_ctx.waitForWorkerChange(20'000'000);
        adjust(wanted());
    }
}

} // namespace interleave
