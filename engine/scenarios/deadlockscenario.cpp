// DeadlockScenario: each philosopher takes two forks (locks). Naive order deadlocks; ordered
// acquisition or try-lock with back-off does not. The engine's wait-for graph finds the cycle.
#include "deadlockscenario.h"

#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracedmutex.h"
#include "../tracesession.h"
#include "../workerset.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Params : ParamDeclarations
{
    Param<int> philosophers = restarts(integer(u"philosophers"_s, 2, 12, 5, u"threads"_s,
                                               u"Philosophers at the table, one fork between each pair"_s));
    Param<int> thinkMs = integer(u"think_ms"_s, 0, 5000, 100, u"ms"_s, u"Thinking time between meals"_s);
    Param<int> eatMs = integer(u"eat_ms"_s, 0, 5000, 100, u"ms"_s, u"Eating time, holding both forks"_s);
    Param<int> pickupDelayMs = integer(
        u"pickup_delay_ms"_s, 0, 5000, 100, u"ms"_s,
        u"Pause between taking the first fork and the second (makes the deadlock likely)"_s);
    Param<DeadlockScenario::Strategy> strategy = choice(
        u"strategy"_s, {u"naive"_s, u"ordered"_s, u"trylock"_s}, DeadlockScenario::Naive,
        u"naive: left then right; ordered: lower-numbered fork first; trylock: give up and retry"_s);
    Param<int> meals = integer(u"meals"_s, 1, 1000, 3, u"per philosopher"_s,
                               u"Meals each philosopher eats before leaving"_s);
};

// The wait-for cycle alternates lane and lock: "philosopher-1 → fork-2 → philosopher-2 → ...",
// closed by repeating the first lane. Long cycles keep their start and their closing link so
// the loop is still visible at a glance.
QString cycleText(const QJsonArray& cycle)
{
    QStringList names;
    for (const QJsonValue& v : cycle)
        if (v.isString())
            names << v.toString();
    if (names.isEmpty())
        return {};
    const QString first = names.first();
    constexpr qsizetype MaxShown = 8; // four lanes and their locks
    if (names.size() > MaxShown) {
        names = names.mid(0, 4) + QStringList{u"…"_s} + names.mid(names.size() - 2);
    }
    names << first;
    return names.join(u" → "_s);
}

QString sentence(const QJsonObject& o, bool running)
{
    using namespace words;
    const QJsonValue flag = o.value(u"deadlock"_s);
    const auto meals = number(o, u"meals"_s);
    if (!flag.isBool() && !meals)
        return {};
    if (flag.toBool()) {
        QString text = u"Deadlock"_s;
        if (const auto ms = number(o, u"detected_ms"_s))
            text += u" after "_s + milliseconds(*ms);
        const QString cycle = cycleText(o.value(u"cycle"_s).toArray());
        return cycle.isEmpty() ? text : text + u": "_s + cycle;
    }
    const QString mealsText = counted(meals.value_or(0), u"meal"_s, u"meals"_s) + u" eaten"_s;
    return (running ? u"No deadlock yet: "_s : u"No deadlock: "_s) + mealsText;
}

bool alarming(const QJsonObject& o)
{
    return o.value(u"deadlock"_s).toBool();
}

} // namespace

ScenarioInfo DeadlockScenario::info()
{
    ScenarioInfo i;
    i.id = u"deadlock"_s;
    i.title = u"Deadlock: dining philosophers"_s;
    i.summary = u"Each philosopher needs two forks; the wrong order locks everyone up"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"deadlock"_s, u"cycle"_s, u"detected_ms"_s, u"meals"_s};
    i.outcomeSentence = sentence;
    i.alarming = alarming;
    i.widestLaneName = u"philosopher-12"_s;
    i.stepOutcomeKeys = QStringList{u"deadlock"_s, u"meals"_s};
    return i;
}

DeadlockScenario::DeadlockScenario() = default;
DeadlockScenario::~DeadlockScenario() = default;

void DeadlockScenario::run(RunContext& ctx)
{
    // The table is laid once: the number of philosophers is fixed for the run.
    const int count = ctx.value(declared<Params>().philosophers);
    m_meals.reset(new std::atomic<int>[std::size_t(count)]);
    for (int i = 0; i < count; ++i) {
        m_meals[std::size_t(i)].store(0);
        m_forks.push_back(std::make_unique<TracedMutex>(ctx, u"fork-%1"_s.arg(i + 1)));
    }
    m_startNs.store(monotonicNs());
    m_count.store(count);
    WorkerSet philosophers(ctx, count, u"philosopher"_s, [this, &ctx](const Worker& w) { philosopher(ctx, w.index); });
    philosophers.run(); // returns early when the wait-for graph reports a cycle
    if (ctx.deadlocked())
        ctx.print(u"Deadlock: every philosopher holds one fork and waits for the next."_s);
}

void DeadlockScenario::philosopher(RunContext& ctx, int index)
{
    const Params& p = declared<Params>();
    std::minstd_rand rng(std::uint32_t(index * 7919 + 17));
    const int left = index;
    const int right = (index + 1) % m_count.load();
    auto& meals = m_meals[std::size_t(index)];
    // They sit down together: nobody starts thinking before the last has been seated. Starting a
    // thread can take tens of milliseconds on a busy machine (more under a sanitizer), and
    // without this the first philosopher could have eaten before the last arrived.
    if (m_seated.fetch_add(1) + 1 == m_count.load())
        ctx.notifyWaiters();
    ctx.waitUntil([this] { return m_seated.load() >= m_count.load(); }, ThreadState::Idle);
    while (meals.load() < ctx.value(p.meals)) {
        ctx.checkpoint();
        ctx.sleepStep(ctx.value(p.thinkMs), u"think"_s, u"think"_s); // thinking
        const Strategy strategy = ctx.value(p.strategy);
        const int first = strategy == Ordered ? std::min(left, right) : left;
        const int second = strategy == Ordered ? std::max(left, right) : right;
        TracedMutex& a = *m_forks[std::size_t(first)];
        TracedMutex& b = *m_forks[std::size_t(second)];
        a.lock();
        ctx.sleepMs(ctx.value(p.pickupDelayMs)); // reaching for the other fork
        if (strategy == TryLock) {
            if (!b.tryLock()) {
                a.unlock();
                // Back off for a random while, so neighbours do not retry in lock-step.
                ctx.sleepMs(std::uniform_real_distribution<double>(0.2, 1.0)(rng)
                            * std::max(double(ctx.value(p.pickupDelayMs)), 10.0));
                continue;
            }
        } else {
            b.lock();
        }
        ctx.print(u"philosopher-%1 eats (meal %2)"_s.arg(index + 1).arg(meals.load() + 1));
        ctx.sleepStep(ctx.value(p.eatMs), u"eat"_s, u"eat"_s); // eating
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
