// WorkerSet: live thread-count changes for scenarios whose workers all do the same thing.
#include "workerset.h"

#include "runcontext.h"
#include "tracesession.h"

using namespace Qt::StringLiterals;

namespace interleave {

WorkerSet::WorkerSet(RunContext& ctx, int countParamIndex, QString namePrefix, Body body, LaneKind kind)
    : m_ctx(ctx)
    , m_countParam(countParamIndex)
    , m_prefix(std::move(namePrefix))
    , m_body(std::move(body))
    , m_kind(kind)
{
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
                    [body = m_body, index, slot] {
                        struct Done
                        {
                            std::atomic<bool>& flag;
                            ~Done() { flag.store(true); }
                        } done{*slot.finished};
                        body(index, *slot.retire);
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

void WorkerSet::run()
{
    adjust(std::max(m_ctx.paramInt(m_countParam), 1));
    LaneRecorder* rec = LaneRecorder::current();
    for (;;) {
        bool allDone = true;
        for (const Slot& s : m_slots)
            allDone = allDone && s.finished->load();
        if (allDone || m_ctx.deadlocked())
            return; // a deadlock ends the lesson: the Runner stops the stuck workers
        if (rec)
            rec->setState(ThreadState::Idle); // the main thread is only joining
        m_ctx.waitForWorkerChange(20'000'000);
        adjust(std::max(m_ctx.paramInt(m_countParam), 1));
    }
}

} // namespace interleave
