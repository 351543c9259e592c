// PipelineScenario: loaders (threads or worker processes) put batches into a bounded queue; the
// trainer takes them and computes under the simulated GIL. The trainer's time waiting for data
// is measured where it waits.
#include "pipelinescenario.h"

#include "../clock.h"
#include "../outcomewords.h"
#include "../processworker.h"
#include "../runcontext.h"
#include "../simgil.h"
#include "../tracedqueue.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <exception>
#include <optional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// CPython's default sys.setswitchinterval: how long a thread waits before asking for the GIL.
constexpr double SwitchIntervalMs = 5;

struct Params : ParamDeclarations
{
    Param<int> batches = restarts(integer(u"batches"_s, 1, 1000, 20, u"batches"_s, u"Batches in one epoch"_s));
    Param<int> loadMs = integer(u"load_ms"_s, 0, 5000, 150, u"ms"_s,
                                u"Time to fetch one batch (waiting on disk or network, or decoding with load_kind cpu)"_s);
    Param<int> trainMs = integer(u"train_ms"_s, 1, 5000, 150, u"ms"_s, u"Time to train on one batch (computing, holding the GIL)"_s);
    Param<int> loaders = integer(u"loaders"_s, 1, 16, 1, u"loaders"_s, u"Threads or processes fetching batches (prefetch >= 1)"_s);
    Param<int> prefetch = restarts(integer(u"prefetch"_s, 0, 32, 2, u"batches"_s,
                                           u"Batches the queue holds ready; 0 = no loader, the trainer loads then trains"_s));
    Param<PipelineScenario::Executor> loaderExecutor = restarts(
        choice(u"loader_executor"_s, {u"threads"_s, u"processes"_s}, PipelineScenario::Threads,
               u"threads share the trainer's interpreter and GIL; processes each have their own"_s));
    Param<PipelineScenario::LoadKind> loadKind = restarts(
        choice(u"load_kind"_s, {u"io"_s, u"cpu"_s}, PipelineScenario::Io,
               u"io: waiting, the GIL released; cpu: decoding in Python, holding the GIL"_s));
};

QString sentence(const QJsonObject& o, bool running)
{
    using namespace words;
    const auto epoch = number(o, u"epoch_ms"_s);
    const auto idle = number(o, u"trainer_idle_pct"_s);
    if (!epoch || !idle)
        return {};
    const QString idleText = u"the trainer waited for data %1% of the time"_s.arg(formatOutcomeNumber(*idle));
    const double speedup = number(o, u"speedup"_s).value_or(0);
    if (speedup <= 0 && running) {
        const auto trained = number(o, u"batches_trained"_s);
        const auto batches = number(o, u"batches"_s);
        if (!trained || !batches)
            return {};
        return u"%1 of %2 trained in %3; %4"_s.arg(integer(*trained), counted(*batches, u"batch"_s, u"batches"_s),
                                                   milliseconds(*epoch), idleText);
    }
    const auto sequential = number(o, u"sequential_ms"_s).value_or(0);
    return u"epoch %1 against %2 one batch after another: speedup %3; %4"_s.arg(
        milliseconds(*epoch), milliseconds(sequential), QString::number(speedup, 'f', 2), idleText);
}

// Holds the GIL for a scope, as a Python thread does while it runs bytecode.
struct GilHeld
{
    explicit GilHeld(SimGil* g)
        : gil(g)
    {
        if (gil)
            gil->acquire();
    }
    ~GilHeld()
    {
        if (gil)
            gil->release();
    }
    GilHeld(const GilHeld&) = delete;
    GilHeld& operator=(const GilHeld&) = delete;
    SimGil* const gil;
};

} // namespace

ScenarioInfo PipelineScenario::info()
{
    ScenarioInfo i;
    i.id = u"pipeline"_s;
    i.title = u"Loading data while the model trains"_s;
    i.summary = u"Prefetching overlaps waiting for data with training: an epoch takes the slower stage's time"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"epoch_ms"_s, u"sequential_ms"_s, u"speedup"_s, u"trainer_idle_pct"_s};
    i.usesGil = true;
    i.outcomeSentence = sentence;
    i.widestLaneName = u"loader-16"_s;
    return i;
}

PipelineScenario::PipelineScenario() = default;
PipelineScenario::~PipelineScenario() = default;

void PipelineScenario::run(RunContext& ctx)
{
    const Params& p = declared<Params>();
    m_batches = ctx.value(p.batches);
    m_loadKind = ctx.value(p.loadKind);
    m_executor = ctx.value(p.loaderExecutor);
    const int prefetch = ctx.value(p.prefetch);
    m_gil = std::make_unique<SimGil>(ctx, [&ctx] { return ctx.scaledNs(SwitchIntervalMs); });
    if (prefetch > 0)
        m_queue = std::make_unique<TracedQueue>(ctx, u"batches"_s, prefetch);

    m_startNs.store(monotonicNs());
    ctx.spawn(u"trainer"_s, LaneKind::Thread, [this, &ctx] { trainer(ctx); });
    // The loaders' set lives until every thread is joined below, as the other lessons' sets do.
    std::optional<WorkerSet> loaders;
    if (m_queue) {
        loaders.emplace(ctx, p.loaders, u"loader"_s, [this, &ctx](const Worker& w) { loader(ctx, w); },
                        m_executor == Processes ? LaneKind::Process : LaneKind::Thread);
        loaders->run();
    }
    if (LaneRecorder* rec = LaneRecorder::current())
        rec->setState(ThreadState::Idle); // the main thread only joins
    ctx.joinWorkers();

    const QJsonObject o = outcome(ctx);
    ctx.print(u"epoch %1 ms, one batch after another %2 ms: speedup %3; the trainer waited for data %4% of the time"_s
                  .arg(o[u"epoch_ms"_s].toDouble(), 0, 'f', 0)
                  .arg(o[u"sequential_ms"_s].toDouble(), 0, 'f', 0)
                  .arg(o[u"speedup"_s].toDouble(), 0, 'f', 2)
                  .arg(o[u"trainer_idle_pct"_s].toDouble(), 0, 'f', 1));
}

void PipelineScenario::addSequential(RunContext& ctx, bool load)
{
    const Params& p = declared<Params>();
    m_sequentialNs.fetch_add(ctx.scaledNs(load ? ctx.value(p.loadMs) : ctx.value(p.trainMs)));
}

void PipelineScenario::loadHere(RunContext& ctx, SimGil* gil)
{
    const double ms = ctx.value(declared<Params>().loadMs);
    if (m_loadKind == Io)
        ioWork(ctx, ms, gil); // sleeping releases the GIL
    else
        cpuWork(ctx, ms, gil); // decoding in Python holds it
}

void PipelineScenario::loader(RunContext& ctx, const Worker& me)
{
    // A worker process has an interpreter of its own: it never touches the trainer's GIL.
    SimGil* gil = m_executor == Threads ? m_gil.get() : nullptr;
    GilHeld held(gil);
    try {
        while (!me.retired()) {
            const int batch = m_nextBatch++;
            if (batch >= m_batches)
                return;
            ctx.checkpoint();
            if (m_executor == Processes) {
                ProcessTask task;
                task.tasks = 1;
                task.taskMs = ctx.value(declared<Params>().loadMs);
                task.workload = m_loadKind == Io ? u"io"_s : u"cpu"_s;
                task.speed = ctx.speed();
                runInWorkerProcess(ctx, task);
            } else {
                loadHere(ctx, gil);
            }
            addSequential(ctx, true);
            GilReleased released(gil); // a blocking put() waits without the GIL
            m_queue->put(batch);
        }
    } catch (const std::exception&) {
        // A worker process failed: its batch will never come and the trainer would wait for it
        // forever. The run ends here, as failed (the context keeps the reason).
        ctx.requestStop();
        throw;
    }
}

void PipelineScenario::trainer(RunContext& ctx)
{
    const Param<int> trainMs = declared<Params>().trainMs;
    GilHeld held(m_gil.get());
    for (int b = 0; b < m_batches; ++b) {
        ctx.checkpoint();
        const std::int64_t waitFrom = monotonicNs();
        if (m_queue) {
            GilReleased released(m_gil.get()); // get() blocks without the GIL
            m_queue->get();
        } else {
            loadHere(ctx, m_gil.get()); // no prefetching: load, then train
            addSequential(ctx, true);
        }
        m_idleNs.fetch_add(ctx.activeNs(waitFrom, monotonicNs()));
        cpuWork(ctx, ctx.value(trainMs), m_gil.get());
        addSequential(ctx, false);
        ++m_trained;
    }
    m_endNs.store(monotonicNs());
}

QJsonObject PipelineScenario::outcome(const RunContext& ctx) const
{
    const Params& p = declared<Params>();
    const int batches = ctx.value(p.batches);
    const std::int64_t start = m_startNs.load();
    const bool finished = m_endNs.load() > 0;
    const std::int64_t end = finished ? m_endNs.load() : ctx.nowOrStopNs();
    const double epochMs = start > 0 ? double(ctx.activeNs(start, end)) / 1e6 : 0;
    // Until the epoch is over, what it would take one batch after another at today's settings.
    const double sequentialMs = finished
        ? double(m_sequentialNs.load()) / 1e6
        : double(batches) * double(ctx.scaledNs(ctx.value(p.loadMs)) + ctx.scaledNs(ctx.value(p.trainMs))) / 1e6;
    const double idleMs = double(m_idleNs.load()) / 1e6;
    return QJsonObject{{u"epoch_ms"_s, round3(epochMs)},
                       {u"sequential_ms"_s, round3(sequentialMs)},
                       {u"speedup"_s, round3(finished && epochMs > 0 ? sequentialMs / epochMs : 0)},
                       {u"trainer_idle_pct"_s, round3(epochMs > 0 ? 100 * idleMs / epochMs : 0)},
                       {u"batches_trained"_s, m_trained.load()},
                       {u"batches"_s, batches}};
}

} // namespace interleave
