// DeadlockScenario: each philosopher takes two forks (locks). Naive order deadlocks; ordered
// acquisition or try-lock with back-off does not. The engine's wait-for graph finds the cycle.
#include "deadlockscenario.h"

#include "../runcontext.h"
#include "../tracedmutex.h"
#include "../tracesession.h"

#include <QJsonArray>

#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

ScenarioInfo DeadlockScenario::info()
{
    ScenarioInfo i;
    i.id = u"deadlock"_s;
    i.title = u"Deadlock: dining philosophers"_s;
    i.summary = u"Each philosopher needs two forks; the wrong order locks everyone up"_s;
    i.schema = ParamSchema{
        ParamSpec::integer(u"philosophers"_s, 2, 12, 5, u"threads"_s, u"Philosophers at the table, one fork between each pair"_s).restarts(),
        ParamSpec::integer(u"think_ms"_s, 0, 5000, 100, u"ms"_s, u"Thinking time between meals"_s),
        ParamSpec::integer(u"eat_ms"_s, 0, 5000, 100, u"ms"_s, u"Eating time, holding both forks"_s),
        ParamSpec::integer(u"pickup_delay_ms"_s, 0, 5000, 100, u"ms"_s,
                           u"Pause between taking the first fork and the second (makes the deadlock likely)"_s),
        ParamSpec::choice(u"strategy"_s, {u"naive"_s, u"ordered"_s, u"trylock"_s}, 0,
                          u"naive: left then right; ordered: lower-numbered fork first; trylock: give up and retry"_s),
        ParamSpec::integer(u"meals"_s, 1, 1000, 3, u"per philosopher"_s, u"Meals each philosopher eats before leaving"_s),
    };
    i.outcomeKeys = QStringList{u"deadlock"_s, u"cycle"_s, u"detected_ms"_s, u"meals"_s};
    return i;
}

DeadlockScenario::DeadlockScenario() = default;
DeadlockScenario::~DeadlockScenario() = default;

void DeadlockScenario::run(RunContext& ctx)
{
    m_thinkParam = ctx.paramIndex(u"think_ms"_s);
    m_eatParam = ctx.paramIndex(u"eat_ms"_s);
    m_delayParam = ctx.paramIndex(u"pickup_delay_ms"_s);
    m_strategyParam = ctx.paramIndex(u"strategy"_s);
    m_mealsParam = ctx.paramIndex(u"meals"_s);
    // The table is laid once: the number of philosophers is fixed for the run.
    const int count = ctx.paramInt(ctx.paramIndex(u"philosophers"_s));
    m_meals.reset(new std::atomic<int>[std::size_t(count)]);
    for (int i = 0; i < count; ++i) {
        m_meals[std::size_t(i)].store(0);
        m_forks.push_back(std::make_unique<TracedMutex>(ctx, u"fork-%1"_s.arg(i + 1)));
    }
    m_startNs.store(monotonicNs());
    m_count.store(count);
    for (int i = 0; i < count; ++i) {
        ctx.spawn(u"philosopher-%1"_s.arg(i + 1), LaneKind::Thread,
                  [this, &ctx, i] { philosopher(ctx, i); });
    }
    if (LaneRecorder* rec = LaneRecorder::current())
        rec->setState(ThreadState::Idle);
    ctx.joinWorkers(); // returns early when the wait-for graph reports a cycle
    if (ctx.deadlocked())
        ctx.print(u"Deadlock: every philosopher holds one fork and waits for the next."_s);
}

void DeadlockScenario::philosopher(RunContext& ctx, int index)
{
    std::minstd_rand rng(std::uint32_t(index * 7919 + 17));
    const int left = index;
    const int right = (index + 1) % m_count.load();
    auto& meals = m_meals[std::size_t(index)];
    while (meals.load() < ctx.paramInt(m_mealsParam)) {
        ctx.checkpoint();
        ctx.sleepMs(ctx.param(m_thinkParam)); // thinking
        const int strategy = ctx.paramInt(m_strategyParam);
        const int first = strategy == Ordered ? std::min(left, right) : left;
        const int second = strategy == Ordered ? std::max(left, right) : right;
        TracedMutex& a = *m_forks[std::size_t(first)];
        TracedMutex& b = *m_forks[std::size_t(second)];
        a.lock();
        ctx.sleepMs(ctx.param(m_delayParam)); // reaching for the other fork
        if (strategy == TryLock) {
            if (!b.tryLock()) {
                a.unlock();
                // Back off for a random while, so neighbours do not retry in lock-step.
                ctx.sleepMs(std::uniform_real_distribution<double>(0.2, 1.0)(rng)
                            * std::max(ctx.param(m_delayParam), 10.0));
                continue;
            }
        } else {
            b.lock();
        }
        ctx.print(u"philosopher-%1 eats (meal %2)"_s.arg(index + 1).arg(meals.load() + 1));
        ctx.sleepMs(ctx.param(m_eatParam)); // eating
        ++meals;
        b.unlock();
        a.unlock();
    }
}

QJsonObject DeadlockScenario::outcome(const RunContext& ctx) const
{
    int meals = 0;
    QJsonArray perPhilosopher;
    for (int i = 0; i < m_count.load(); ++i) {
        meals += m_meals[std::size_t(i)].load();
        perPhilosopher.append(m_meals[std::size_t(i)].load());
    }
    QJsonObject o{{u"deadlock"_s, false}, {u"meals"_s, meals}, {u"meals_each"_s, perPhilosopher}};
    if (const auto cycle = ctx.waitGraph().cycle()) {
        QJsonArray names;
        const auto objects = ctx.session().objects();
        for (std::size_t k = 0; k < cycle->lanes.size(); ++k) {
            const LaneInfo* lane = ctx.session().lane(cycle->lanes[k]);
            names.append(lane ? lane->name : u"lane-%1"_s.arg(cycle->lanes[k]));
            const std::uint32_t lock = cycle->locks[k];
            names.append(lock >= 1 && lock <= objects.size() ? objects[lock - 1].name : u"lock-%1"_s.arg(lock));
        }
        o.insert(u"deadlock"_s, true);
        o.insert(u"cycle"_s, names);
        o.insert(u"detected_ms"_s, round3(double(ctx.activeNs(m_startNs.load(), cycle->detectedNs)) / 1e6));
    }
    return o;
}

} // namespace interleave
