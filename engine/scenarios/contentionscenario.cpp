// ContentionScenario: each operation computes inside a lock (critical_ms of CPU) and then waits
// outside it (outside_ms, like I/O). With one lock the critical sections queue up; with more,
// operations on different stripes overlap.
#include "contentionscenario.h"

#include "../clock.h"
#include "../runcontext.h"
#include "../tracedmutex.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

ScenarioInfo ContentionScenario::info()
{
    ScenarioInfo i;
    i.id = u"contention"_s;
    i.title = u"Lock contention"_s;
    i.summary = u"One hot lock makes threads queue up; finer (striped) locks let them work together"_s;
    i.schema = ParamSchema{
        ParamSpec::integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"Threads doing operations"_s),
        ParamSpec::integer(u"locks"_s, 1, MaxLocks, 1, u"locks"_s,
                           u"1 = one coarse lock; more = striped, each operation picks one (like hash buckets)"_s),
        ParamSpec::integer(u"critical_ms"_s, 0, 2000, 20, u"ms"_s, u"CPU work done while holding the lock"_s),
        ParamSpec::integer(u"outside_ms"_s, 0, 2000, 20, u"ms"_s, u"Waiting done without the lock (like I/O)"_s),
        ParamSpec::integer(u"rounds"_s, 0, 100'000, 50, u"per thread"_s, u"Operations per thread; 0 = until stopped"_s),
    };
    i.outcomeKeys = QStringList{u"ops"_s, u"ops_per_s"_s, u"wait_fraction"_s};
    return i;
}

ContentionScenario::ContentionScenario() = default;
ContentionScenario::~ContentionScenario() = default;

TracedMutex& ContentionScenario::lockFor(RunContext& ctx, int stripe)
{
    if (TracedMutex* m = m_locks[std::size_t(stripe)].load(std::memory_order_acquire))
        return *m;
    std::lock_guard guard(m_locksMutex);
    if (TracedMutex* m = m_locks[std::size_t(stripe)].load(std::memory_order_relaxed))
        return *m;
    m_owned.push_back(std::make_unique<TracedMutex>(ctx, u"lock-%1"_s.arg(stripe + 1)));
    m_locks[std::size_t(stripe)].store(m_owned.back().get(), std::memory_order_release);
    return *m_owned.back();
}

void ContentionScenario::run(RunContext& ctx)
{
    m_threadsParam = ctx.paramIndex(u"threads"_s);
    m_locksParam = ctx.paramIndex(u"locks"_s);
    m_criticalParam = ctx.paramIndex(u"critical_ms"_s);
    m_outsideParam = ctx.paramIndex(u"outside_ms"_s);
    m_roundsParam = ctx.paramIndex(u"rounds"_s);
    m_startNs.store(monotonicNs());
    WorkerSet workers(ctx, m_threadsParam, u"worker"_s,
                      [this, &ctx](int index, const std::atomic<bool>& retire) { worker(ctx, index, retire); });
    workers.run();
    m_endNs.store(monotonicNs());
    const QJsonObject o = outcome(ctx);
    ctx.print(u"%1 operations, %2 per second; threads spent %3% of their time waiting for locks"_s
                  .arg(o[u"ops"_s].toInteger())
                  .arg(o[u"ops_per_s"_s].toDouble(), 0, 'f', 1)
                  .arg(o[u"wait_fraction"_s].toDouble() * 100, 0, 'f', 1));
}

void ContentionScenario::worker(RunContext& ctx, int index, const std::atomic<bool>& retire)
{
    // Each worker counts from its own start, not the run's (workers come and go with the slider),
    // up to its end or Stop, less pauses.
    const std::int64_t born = monotonicNs();
    {
        std::lock_guard guard(m_bornMutex);
        m_born.push_back(born);
    }
    std::minstd_rand rng(std::uint32_t(index * 2654435761u + 1));
    struct Lifetime
    {
        ContentionScenario& s;
        RunContext& ctx;
        std::int64_t born;
        ~Lifetime()
        {
            std::lock_guard guard(s.m_bornMutex);
            s.m_threadNs += ctx.activeNs(born, ctx.nowOrStopNs());
            s.m_born.erase(std::find(s.m_born.begin(), s.m_born.end(), born));
        }
    } lifetime{*this, ctx, born};
    for (std::int64_t round = 0; !retire.load(); ++round) {
        const int rounds = ctx.paramInt(m_roundsParam);
        if (rounds > 0 && round >= rounds)
            break;
        ctx.checkpoint();
        const int stripes = std::clamp(ctx.paramInt(m_locksParam), 1, MaxLocks);
        TracedMutex& lock = lockFor(ctx, int(rng() % std::uint32_t(stripes)));
        {
            const std::int64_t t0 = monotonicNs();
            TracedLocker guard(lock);
            m_waitNs += ctx.activeNs(t0, monotonicNs());
            cpuWork(ctx, ctx.param(m_criticalParam));
        }
        ++m_ops;
        ctx.sleepMs(ctx.param(m_outsideParam));
    }
}

QJsonObject ContentionScenario::outcome(const RunContext& ctx) const
{
    // Rates over the time the run was running: not paused, and not after Stop.
    const std::int64_t start = m_startNs.load();
    const std::int64_t end = m_endNs.load() > 0 ? m_endNs.load() : ctx.nowOrStopNs();
    const double seconds = start > 0 ? double(ctx.activeNs(start, end)) / 1e9 : 0;
    const std::int64_t ops = m_ops.load();
    double threadNs = 0;
    double wait = 0;
    {
        // Workers still running count from their own start up to now.
        std::lock_guard guard(m_bornMutex);
        threadNs = double(m_threadNs.load());
        for (const std::int64_t born : m_born)
            threadNs += double(ctx.activeNs(born, end));
        wait = double(m_waitNs.load());
    }
    return QJsonObject{{u"ops"_s, qint64(ops)},
                       {u"ops_per_s"_s, round3(seconds > 0 ? double(ops) / seconds : 0)},
                       {u"wait_fraction"_s, round3(threadNs > 0 ? std::min(1.0, wait / threadNs) : 0)},
                       {u"wait_ms"_s, round3(wait / 1e6)}};
}

} // namespace interleave
