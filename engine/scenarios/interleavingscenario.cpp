// InterleavingScenario: each worker prints a line per step and sleeps in between.
#include "interleavingscenario.h"

#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracesession.h"
#include "../workerset.h"

#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Params : ParamDeclarations
{
    Param<int> threads = integer(u"threads"_s, 1, 32, 2, u"threads"_s, u"Threads printing and sleeping"_s);
    Param<int> steps = integer(u"steps"_s, 1, 1000, 8, u"steps"_s, u"Lines each thread prints"_s);
    Param<int> sleepMs = integer(u"sleep_ms"_s, 0, 10'000, 500, u"ms"_s, u"Sleep after each line (like time.sleep)"_s);
    Param<int> jitterMs = integer(u"jitter_ms"_s, 0, 10'000, 0, u"ms"_s,
                                  u"Random extra sleep, up to this much, so the order varies"_s);
};

QString sentence(const QJsonObject& o, bool)
{
    using namespace words;
    const auto lines = number(o, u"lines"_s);
    if (!lines)
        return {};
    QString text = counted(*lines, u"line"_s, u"lines"_s);
    if (const auto switches = number(o, u"switches"_s))
        text += u", "_s + counted(*switches, u"switch"_s, u"switches"_s) + u" between threads"_s;
    return text;
}

} // namespace

ScenarioInfo InterleavingScenario::info()
{
    ScenarioInfo i;
    i.id = u"interleaving"_s;
    i.title = u"Threads interleave"_s;
    i.summary = u"Two threads that sleep and print take turns on the console"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"lines"_s, u"switches"_s};
    i.outcomeSentence = sentence;
    i.widestLaneName = u"thread-32"_s;
    i.stepOutcomeKeys = QStringList{u"switches"_s};
    return i;
}

void InterleavingScenario::run(RunContext& ctx)
{
    WorkerSet workers(ctx, declared<Params>().threads, u"thread"_s,
                      [this, &ctx](const Worker& w) { worker(ctx, w); });
    workers.run();
}

void InterleavingScenario::worker(RunContext& ctx, const Worker& me)
{
    const Params& p = declared<Params>();
    std::minstd_rand rng(std::random_device{}());
    for (int step = 1; step <= ctx.value(p.steps) && !me.retired(); ++step) {
        ctx.checkpoint();
        ctx.step(u"print"_s, u"print step %1"_s.arg(step), u"step = %1"_s.arg(step));
        {
            // Counted in the order printed: a switch is a line from another thread than the last.
            std::lock_guard guard(m_linesMutex);
            ctx.print(u"thread-%1: step %2 of %3"_s.arg(me.index + 1).arg(step).arg(ctx.value(p.steps)));
            m_switches += m_lines > 0 && m_lastIndex != me.index ? 1 : 0;
            m_lastIndex = me.index;
            ++m_lines;
        }
        const int jitter = ctx.value(p.jitterMs);
        const int extra = jitter > 0 ? std::uniform_int_distribution<int>(0, jitter)(rng) : 0;
        ctx.sleepStep(ctx.value(p.sleepMs) + extra, u"sleep"_s, u"time.sleep(%1 ms)"_s.arg(ctx.value(p.sleepMs)));
    }
}

QJsonObject InterleavingScenario::outcome(const RunContext&) const
{
    std::lock_guard guard(m_linesMutex);
    return QJsonObject{{u"lines"_s, m_lines}, {u"switches"_s, m_switches}};
}

} // namespace interleave
