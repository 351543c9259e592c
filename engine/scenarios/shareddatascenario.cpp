// SharedDataScenario: threads add values into one total with one of three strategies; the lock
// around the shared total is a traced one, so every acquisition is in the recording.
#include "shareddatascenario.h"

#include "../clock.h"
#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracedmutex.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// At speed 1: working out one value (reading a record, scoring an item), and adding it in. Both
// are slowed down to be seen (in Python a `total += value` with its lock costs about a µs); the
// addition costs the same into a thread's own variable as into the shared total, but only the
// shared total needs the lock, and only one thread at a time can be adding to it.
constexpr double ValueMs = 0.005;
constexpr double AddMs = 0.01;

struct Params : ParamDeclarations
{
    Param<int> threads = restarts(
        integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"Threads adding values into the total"_s));
    Param<int> increments = restarts(integer(u"increments"_s, 1, 10'000'000, 50'000, u"per thread"_s,
                                             u"How many values each thread adds"_s));
    Param<SharedDataScenario::Strategy> strategy = restarts(choice(
        u"strategy"_s, {u"shared_lock"_s, u"batched"_s, u"local"_s}, SharedDataScenario::SharedLock,
        u"shared_lock: lock per value; batched: sum a batch, lock once per batch; local: own sum, merged at the end"_s));
    Param<int> batch = restarts(integer(u"batch"_s, 1, 1'000'000, 1000, u"values"_s,
                                        u"Values a thread sums locally before it adds them to the total (batched)"_s));
};

QString sentence(const QJsonObject& o, bool running)
{
    using namespace words;
    const auto expected = number(o, u"expected"_s);
    const auto actual = number(o, u"actual"_s);
    const auto acquisitions = number(o, u"lock_acquisitions"_s);
    if (!expected || !actual || !acquisitions)
        return {};
    QString text = running ? u"total so far %1 of %2"_s.arg(integer(*actual), integer(*expected))
                           : u"expected %1, got %2"_s.arg(integer(*expected), integer(*actual));
    text += u"; "_s + counted(*acquisitions, u"lock acquisition"_s, u"lock acquisitions"_s);
    if (const auto contended = number(o, u"contended"_s))
        text += u", "_s + integer(*contended) + u" found it taken"_s;
    if (const auto wall = number(o, u"wall_ms"_s))
        text += u"; "_s + milliseconds(*wall);
    return text;
}

bool alarming(const QJsonObject& o)
{
    // Every strategy must give the exact total: a difference would be a bug worth showing.
    const QJsonValue merged = o.value(u"merged"_s);
    return merged.toBool() && o.value(u"expected"_s).toDouble() != o.value(u"actual"_s).toDouble();
}

} // namespace

ScenarioInfo SharedDataScenario::info()
{
    ScenarioInfo i;
    i.id = u"shared_data"_s;
    i.title = u"Minimise shared data"_s;
    i.summary = u"Lock per update, per batch, or sum per thread and merge: fewer shared updates, less waiting"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"expected"_s, u"actual"_s, u"lock_acquisitions"_s, u"contended"_s, u"wall_ms"_s};
    i.outcomeSentence = sentence;
    i.alarming = alarming;
    i.widestLaneName = u"worker-64"_s;
    i.stepOutcomeKeys = QStringList{u"actual"_s};
    return i;
}

SharedDataScenario::SharedDataScenario() = default;
SharedDataScenario::~SharedDataScenario() = default;

std::int64_t SharedDataScenario::sumOfValues(std::int64_t n)
{
    // Values cycle 1..10: each full cycle adds 55.
    const std::int64_t cycles = n / 10;
    const std::int64_t rest = n % 10;
    return cycles * 55 + rest * (rest + 1) / 2;
}

void SharedDataScenario::run(RunContext& ctx)
{
    const Params& p = declared<Params>();
    const int threads = ctx.value(p.threads);
    m_increments = ctx.value(p.increments);
    m_batch = std::max(1, ctx.value(p.batch));
    m_strategy = ctx.value(p.strategy);
    m_expected.store(std::int64_t(threads) * sumOfValues(m_increments));
    m_partials = std::make_unique<std::atomic<std::int64_t>[]>(std::size_t(threads));
    for (int t = 0; t < threads; ++t)
        m_partials[std::size_t(t)].store(0);
    m_lock = std::make_unique<TracedMutex>(ctx, u"total_lock"_s);

    m_startNs.store(monotonicNs());
    WorkerSet workers(ctx, threads, u"worker"_s, [this, &ctx](const Worker& w) { worker(ctx, w); });
    workers.run();
    if (m_strategy == Local) {
        // The one step that touches shared data: the main thread, alone by now, adds the partial sums.
        std::int64_t total = 0;
        for (int t = 0; t < threads; ++t)
            total += m_partials[std::size_t(t)].load();
        m_total.store(total);
    }
    m_endNs.store(monotonicNs());
    m_merged.store(true);

    const QJsonObject o = outcome(ctx);
    ctx.print(u"expected %1, got %2: %3 lock acquisitions, %4 found the lock taken, %5 ms"_s
                  .arg(o[u"expected"_s].toInteger())
                  .arg(o[u"actual"_s].toInteger())
                  .arg(o[u"lock_acquisitions"_s].toInteger())
                  .arg(o[u"contended"_s].toInteger())
                  .arg(o[u"wall_ms"_s].toDouble(), 0, 'f', 0));
}

void SharedDataScenario::addUnderLock(std::int64_t amount, std::int64_t addNs)
{
    // Python's way to tell a taken lock: try it first (lock.acquire(blocking=False)).
    if (!m_lock->tryLock()) {
        m_contended.fetch_add(1, std::memory_order_relaxed);
        m_lock->lock();
    }
    m_acquisitions.fetch_add(1, std::memory_order_relaxed);
    spinWork(addNs);
    m_total.store(m_total.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
    m_lock->unlock();
}

void SharedDataScenario::worker(RunContext& ctx, const Worker& me)
{
    const std::int64_t valueNs = ctx.scaledNs(ValueMs);
    const std::int64_t addNs = ctx.scaledNs(AddMs);
    std::int64_t pending = 0; // batched: the values summed since the last visit to the total
    std::int64_t pendingCount = 0;
    std::int64_t local = 0;   // local: this thread's own sum
    for (std::int64_t k = 0; k < m_increments; ++k) {
        if ((k & 255) == 0)
            ctx.checkpoint();
        spinWork(valueNs); // working the value out
        const std::int64_t value = valueAt(k);
        switch (m_strategy) {
        case SharedLock:
            addUnderLock(value, addNs);
            break;
        case Batched:
            spinWork(addNs);
            pending += value;
            if (++pendingCount == m_batch) {
                addUnderLock(pending, addNs);
                pending = 0;
                pendingCount = 0;
            }
            break;
        case Local:
            spinWork(addNs);
            local += value;
            break;
        }
    }
    if (pendingCount > 0)
        addUnderLock(pending, addNs); // the last, partial batch
    if (m_strategy == Local)
        m_partials[std::size_t(me.index)].store(local);
}

QJsonObject SharedDataScenario::outcome(const RunContext& ctx) const
{
    const std::int64_t start = m_startNs.load();
    const std::int64_t end = m_endNs.load() > 0 ? m_endNs.load() : ctx.nowOrStopNs();
    const double wallMs = start > 0 ? double(ctx.activeNs(start, end)) / 1e6 : 0;
    QJsonObject o{{u"expected"_s, qint64(m_expected.load())},
                  {u"actual"_s, qint64(m_total.load(std::memory_order_relaxed))},
                  {u"lock_acquisitions"_s, qint64(m_acquisitions.load())},
                  {u"contended"_s, qint64(m_contended.load())},
                  {u"wall_ms"_s, round3(wallMs)}};
    if (m_merged.load())
        o.insert(u"merged"_s, true);
    return o;
}

} // namespace interleave
