// ContentionScenario: each operation computes inside a lock (critical_ms of CPU) and then waits
// outside it (outside_ms, like I/O). With one lock the critical sections queue up; with more,
// operations on different stripes overlap.
#include "contentionscenario.h"

#include "../clock.h"
#include "../outcomewords.h"
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

namespace {

struct Params : ParamDeclarations
{
    Param<int> threads = integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"Threads doing operations"_s);
    Param<int> locks = integer(u"locks"_s, 1, ContentionScenario::MaxLocks, 1, u"locks"_s,
                               u"1 = one coarse lock; more = striped, each operation picks one (like hash buckets)"_s);
    Param<int> criticalMs = integer(u"critical_ms"_s, 0, 2000, 20, u"ms"_s, u"CPU work done while holding the lock"_s);
    Param<int> outsideMs = integer(u"outside_ms"_s, 0, 2000, 20, u"ms"_s,
                                   u"Waiting done without the lock (like I/O)"_s);
    Param<int> rounds = integer(u"rounds"_s, 0, 100'000, 50, u"per thread"_s,
                                u"Operations per thread; 0 = until stopped"_s);
};

QString sentence(const QJsonObject& o, bool)
{
    using namespace words;
    const auto ops = number(o, u"ops"_s);
    if (!ops)
        return {};
    QString text = counted(*ops, u"operation"_s, u"operations"_s);
    if (const auto rate = number(o, u"ops_per_s"_s))
        text += u", "_s + formatOutcomeNumber(*rate) + u" per second"_s;
    if (const auto wait = number(o, u"wait_fraction"_s))
        text += u"; "_s + percent(*wait, 1) + u" of thread time waiting for locks"_s;
    return text;
}

} // namespace

ScenarioInfo ContentionScenario::info()
{
    ScenarioInfo i;
    i.id = u"contention"_s;
    i.title = u"Lock contention"_s;
    i.summary = u"One hot lock makes threads queue up; finer (striped) locks let them work together"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"ops"_s, u"ops_per_s"_s, u"wait_fraction"_s};
    i.outcomeSentence = sentence;
    i.widestLaneName = u"worker-64"_s;
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
    m_startNs.store(monotonicNs());
    WorkerSet workers(ctx, declared<Params>().threads, u"worker"_s,
                      [this, &ctx](const Worker& w) { worker(ctx, w); });
    workers.run();
    m_endNs.store(monotonicNs());
    const QJsonObject o = outcome(ctx);
    ctx.print(u"%1 operations, %2 per second; threads spent %3% of their time waiting for locks"_s
                  .arg(o[u"ops"_s].toInteger())
                  .arg(o[u"ops_per_s"_s].toDouble(), 0, 'f', 1)
                  .arg(o[u"wait_fraction"_s].toDouble() * 100, 0, 'f', 1));
}

void ContentionScenario::worker(RunContext& ctx, const Worker& me)
{
    const Params& p = declared<Params>();
    // Each worker counts from its own start, not the run's (workers come and go with the slider),
    // up to its end or Stop, less pauses.
    const std::int64_t born = monotonicNs();
    {
        std::lock_guard guard(m_bornMutex);
        m_born.push_back(born);
    }
    std::minstd_rand rng(std::uint32_t(me.index * 2654435761u + 1));
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
    for (std::int64_t round = 0; !me.retired(); ++round) {
        const int rounds = ctx.value(p.rounds);
        if (rounds > 0 && round >= rounds)
            break;
        ctx.checkpoint();
        const int stripes = std::clamp(ctx.value(p.locks), 1, MaxLocks);
        TracedMutex& lock = lockFor(ctx, int(rng() % std::uint32_t(stripes)));
        {
            const std::int64_t t0 = monotonicNs();
            TracedLocker guard(lock);
            m_waitNs += ctx.activeNs(t0, monotonicNs());
            cpuWork(ctx, ctx.value(p.criticalMs));
        }
        ++m_ops;
        // No wait at all is not a wait: no Sleeping sliver between two holds.
        if (const int outsideMs = ctx.value(p.outsideMs); outsideMs > 0)
            ctx.sleepMs(outsideMs);
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
