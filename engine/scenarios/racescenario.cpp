// RaceScenario: threads increment a shared counter, with or without a lock.
#include "racescenario.h"

#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracedmutex.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Params : ParamDeclarations
{
    Param<int> threads = integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"Threads incrementing the shared counter"_s);
    Param<int> increments = integer(u"increments"_s, 1, 10'000'000, 3000, u"per thread"_s,
                                    u"How many times each thread does counter += 1"_s);
    Param<bool> lock = boolean(u"lock"_s, false, u"Hold a lock around the read-modify-write"_s);
    Param<int> windowUs = integer(u"window_us"_s, 0, 100'000, 1000, u"µs"_s,
                                  u"Time between reading the counter and writing it back (widens the race)"_s);
};

QString sentence(const QJsonObject& o, bool)
{
    using namespace words;
    const auto expected = number(o, u"expected"_s);
    const auto actual = number(o, u"actual"_s);
    if (!expected || !actual)
        return {};
    const double lost = number(o, u"lost_updates"_s).value_or(*expected - *actual);
    const QString lostText = std::llround(lost) == 0 ? u"no updates lost"_s
                                                     : counted(lost, u"update lost"_s, u"updates lost"_s);
    return u"expected %1, got %2: %3"_s.arg(integer(*expected), integer(*actual), lostText);
}

bool alarming(const QJsonObject& o)
{
    return o.value(u"lost_updates"_s).toDouble() > 0;
}

} // namespace

ScenarioInfo RaceScenario::info()
{
    ScenarioInfo i;
    i.id = u"race"_s;
    i.title = u"Race conditions and locks"_s;
    i.summary = u"counter += 1 is read-modify-write: without a lock, updates get lost"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"expected"_s, u"actual"_s, u"lost_updates"_s};
    i.outcomeSentence = sentence;
    i.alarming = alarming;
    i.widestLaneName = u"worker-64"_s;
    i.stepOutcomeKeys = QStringList{u"lost_updates"_s};
    return i;
}

RaceScenario::RaceScenario() = default;
RaceScenario::~RaceScenario() = default;

void RaceScenario::run(RunContext& ctx)
{
    m_counterObject = ctx.session().addObject(u"counter"_s, ObjectKind::Counter);
    m_lock = std::make_unique<TracedMutex>(ctx, u"counter_lock"_s);

    WorkerSet workers(ctx, declared<Params>().threads, u"worker"_s,
                      [this, &ctx](const Worker& w) { worker(ctx, w); });
    workers.run();

    const QJsonObject o = outcome(ctx);
    ctx.print(u"expected %1, got %2: %3 updates lost"_s.arg(o[u"expected"_s].toInteger())
                  .arg(o[u"actual"_s].toInteger())
                  .arg(o[u"lost_updates"_s].toInteger()));
}

void RaceScenario::worker(RunContext& ctx, const Worker& me)
{
    const Params& p = declared<Params>();
    LaneRecorder* rec = LaneRecorder::current();
    for (std::int64_t k = 0; k < ctx.value(p.increments) && !me.retired(); ++k) {
        if ((k & 63) == 0)
            ctx.checkpoint();
        const bool stepping = ctx.stepping();
        const std::int64_t windowNs = stepping ? 0 : ctx.scaledNs(ctx.value(p.windowUs) / 1000.0);
        TracedLocker guard(*m_lock, ctx.value(p.lock));
        if (stepping)
            ctx.step(u"read"_s, u"read counter"_s);
        const std::int64_t seen = m_counter.load(std::memory_order_relaxed);
        if (rec)
            rec->recordRaceMark(EventKind::RaceRead, m_counterObject, seen);
        spinWork(windowNs);
        if (stepping)
            ctx.step(u"write"_s, u"write counter = %1"_s.arg(seen + 1), u"seen = %1"_s.arg(seen));
        const std::int64_t overwritten = m_counter.exchange(seen + 1, std::memory_order_relaxed);
        if (rec) {
            rec->recordRaceMark(EventKind::RaceWrite, m_counterObject, seen + 1);
            // Summed over all writes, (overwritten - seen) is exactly expected - actual.
            if (overwritten != seen)
                rec->record(EventKind::LostUpdate, rec->state(), m_counterObject, overwritten - seen);
        }
        m_increments.fetch_add(1, std::memory_order_relaxed);
    }
}

QJsonObject RaceScenario::outcome(const RunContext&) const
{
    const std::int64_t expected = m_increments.load(std::memory_order_relaxed);
    const std::int64_t actual = m_counter.load(std::memory_order_relaxed);
    return QJsonObject{{u"expected"_s, qint64(expected)},
                       {u"actual"_s, qint64(actual)},
                       {u"lost_updates"_s, qint64(expected - actual)}};
}

} // namespace interleave
