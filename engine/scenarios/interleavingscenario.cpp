// InterleavingScenario: each worker prints a line per step and sleeps in between.
#include "interleavingscenario.h"

#include "../runcontext.h"
#include "../tracesession.h"
#include "../workerset.h"


#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

ScenarioInfo InterleavingScenario::info()
{
    ScenarioInfo i;
    i.id = u"interleaving"_s;
    i.title = u"Threads interleave"_s;
    i.summary = u"Two threads that sleep and print take turns on the console"_s;
    i.schema = ParamSchema{
        ParamSpec::integer(u"threads"_s, 1, 32, 2, u"threads"_s, u"Threads printing and sleeping"_s),
        ParamSpec::integer(u"steps"_s, 1, 1000, 5, u"steps"_s, u"Lines each thread prints"_s),
        ParamSpec::integer(u"sleep_ms"_s, 0, 10'000, 500, u"ms"_s, u"Sleep after each line (like time.sleep)"_s),
        ParamSpec::integer(u"jitter_ms"_s, 0, 10'000, 0, u"ms"_s,
                           u"Random extra sleep, up to this much, so the order varies"_s),
    };
    i.outcomeKeys = QStringList{u"lines"_s, u"switches"_s};
    return i;
}

void InterleavingScenario::run(RunContext& ctx)
{
    m_threadsParam = ctx.paramIndex(u"threads"_s);
    m_stepsParam = ctx.paramIndex(u"steps"_s);
    m_sleepParam = ctx.paramIndex(u"sleep_ms"_s);
    m_jitterParam = ctx.paramIndex(u"jitter_ms"_s);
    WorkerSet workers(ctx, m_threadsParam, u"thread"_s,
                      [this, &ctx](int index, const std::atomic<bool>& retire) { worker(ctx, index, retire); });
    workers.run();
}

void InterleavingScenario::worker(RunContext& ctx, int index, const std::atomic<bool>& retire)
{
    std::minstd_rand rng(std::random_device{}());
    for (int step = 1; step <= ctx.paramInt(m_stepsParam) && !retire.load(); ++step) {
        ctx.checkpoint();
        ctx.print(u"thread-%1: step %2 of %3"_s.arg(index + 1).arg(step).arg(ctx.paramInt(m_stepsParam)));
        const int jitter = ctx.paramInt(m_jitterParam);
        const int extra = jitter > 0 ? std::uniform_int_distribution<int>(0, jitter)(rng) : 0;
        ctx.sleepMs(ctx.param(m_sleepParam) + extra);
    }
}

QJsonObject InterleavingScenario::outcome(const RunContext& ctx) const
{
    const auto lines = ctx.console();
    qint64 switches = 0;
    for (std::size_t i = 1; i < lines.size(); ++i)
        switches += lines[i].lane != lines[i - 1].lane ? 1 : 0;
    return QJsonObject{{u"lines"_s, qint64(lines.size())}, {u"switches"_s, switches}};
}

} // namespace interleave
