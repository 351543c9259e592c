// GilScenario: `workers` threads (or processes, or sub-interpreters) share `tasks` tasks of `task_ms` each.
#include "gilscenario.h"

#include "../clock.h"
#include "../outcomewords.h"
#include "../processworker.h"
#include "../runcontext.h"
#include "../simgil.h"
#include "../tracesession.h"
#include "../workerset.h"
#include "../workload.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

enum Executor { Threads, Processes, Interpreters };

struct Params : ParamDeclarations
{
    Param<GilScenario::Workload> workload = restarts(
        choice(u"workload"_s, {u"cpu"_s, u"io"_s, u"mixed"_s}, GilScenario::Cpu,
               u"cpu: computing; io: waiting (like a download); mixed: half of each"_s));
    Param<Executor> executor = restarts(choice(
        u"executor"_s, {u"threads"_s, u"processes"_s, u"interpreters"_s}, Threads,
        u"threads share one interpreter and its GIL; processes, and interpreters (3.14, one per thread), have one each"_s));
    Param<bool> gil = restarts(boolean(
        u"gil"_s, true,
        u"CPython's global interpreter lock; off: the free-threaded build (3.13t/3.14t), slower by free_threaded_overhead_pct"_s));
    Param<int> workers = restarts(
        integer(u"workers"_s, 1, 32, 4, u"workers"_s, u"Threads, processes or interpreters in the executor"_s));
    Param<int> tasks = restarts(integer(u"tasks"_s, 1, 1000, 16, u"tasks"_s, u"Tasks to run"_s));
    Param<int> taskMs = restarts(
        integer(u"task_ms"_s, 1, 10'000, 200, u"ms"_s, u"Work per task (ms of one core, or of waiting)"_s));
    Param<int> switchIntervalMs = integer(
        u"switch_interval_ms"_s, 1, 1000, 5, u"ms"_s,
        u"How long a thread waits before asking the GIL holder to let go (sys.setswitchinterval)"_s);
    // Before its first task, a worker of Python 3.14's InterpreterPoolExecutor creates its
    // interpreter and imports concurrent.futures.interpreter in it; the 3.14 docs say creating an
    // interpreter "has not been optimized yet". No 3.14 can be run here (Debian 12, no network), so
    // the figure is 3.11's: on this project's 2-core machine, Debian's python3.11 (3.11.2),
    // _xxsubinterpreters.create() plus importing concurrent.futures.thread, pickle, textwrap and
    // traceback in the new interpreter took, in CPU time, 36-45 ms for a process's first
    // interpreter, 24-34 ms for its second and 20-25 ms from then on (8 fresh processes; 40 in one
    // process: median 22-24 ms). A pool of 4 averages about 28 ms: 30 ms. It is CPU work, drawn
    // Running (Ready while the kernel gives it no core).
    Param<int> interpreterStartupMs = restarts(
        integer(u"interpreter_startup_ms"_s, 0, 5000, 30, u"ms"_s,
                u"CPU time an interpreter takes to start, before its first task (executor interpreters)"_s));
    // The free-threaded build's single-thread cost: Python 3.14's documentation (What's New in 3.14,
    // the free-threading HOWTO) puts it at roughly 5-10%, depending on platform and C compiler; 8 is
    // that range's middle, rounded up. (3.13t's was about 40%.)
    Param<int> freeThreadedOverheadPct = restarts(
        integer(u"free_threaded_overhead_pct"_s, 0, 100, 8, u"%"_s,
                u"How much slower the free-threaded build (gil off) computes, even in one thread"_s));
};

QString sentence(const QJsonObject& o, bool running)
{
    using namespace words;
    const auto work = number(o, u"work_ms"_s);
    const auto wall = number(o, u"wall_ms"_s);
    if (!work || !wall)
        return {};
    const auto switches = number(o, u"gil_switches"_s);
    const QString switchText = switches ? u" (%1)"_s.arg(counted(*switches, u"GIL switch"_s, u"GIL switches"_s))
                                        : QString();
    const double speedup = number(o, u"speedup"_s).value_or(0);
    // The scenario reports speedup 0 until every task is done: a speedup of the tasks finished
    // so far would be misleading, so say how far it got instead, counting only finished tasks.
    if (speedup <= 0 && running) {
        const double done = number(o, u"work_done_ms"_s).value_or(0);
        if (done <= 0)
            return u"no task finished yet, %1 so far%2"_s.arg(milliseconds(*wall), switchText);
        return u"%1 of %2 of work done in %3 so far%4"_s.arg(milliseconds(done), milliseconds(*work),
                                                              milliseconds(*wall), switchText);
    }
    return u"speedup %1: %2 of work in %3%4"_s.arg(QString::number(speedup, 'f', 2), milliseconds(*work),
                                                   milliseconds(*wall), switchText);
}

} // namespace

ScenarioInfo GilScenario::info()
{
    ScenarioInfo i;
    i.id = u"gil"_s;
    i.title = u"The GIL, threads and processes"_s;
    i.summary = u"CPU-bound threads take turns under a GIL; I/O-bound threads, processes and interpreters do not"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"work_ms"_s, u"speedup"_s, u"gil_switches"_s};
    i.usesGil = true;
    i.outcomeSentence = sentence;
    i.widestLaneName = u"interpreter-32"_s;
    return i;
}

namespace {

// A sub-interpreter's start-up on its worker's lane: Running (or Ready) between two markers, the
// timeline's "start-up" stretch.
void startInterpreter(RunContext& ctx, double ms)
{
    LaneRecorder* rec = LaneRecorder::current();
    if (rec)
        rec->record(EventKind::Marker, ThreadState::Running, 0, 0, std::uint32_t(MarkerType::InterpreterStarting));
    cpuWork(ctx, ms);
    if (rec)
        rec->record(EventKind::Marker, rec->state(), 0, 0, std::uint32_t(MarkerType::InterpreterReady));
}

} // namespace

GilScenario::GilScenario() = default;
GilScenario::~GilScenario() = default;

void GilScenario::threadWorker(RunContext& ctx, Workload workload, double taskMs, int tasks, double cpuScale)
{
    SimGil* gil = m_gil.get();
    if (gil)
        gil->acquire(); // a Python thread runs bytecode only while it holds the GIL
    struct Release
    {
        SimGil* gil;
        ~Release()
        {
            if (gil)
                gil->release();
        }
    } release{gil};
    for (int task = m_nextTask++; task < tasks; task = m_nextTask++) {
        ctx.checkpoint();
        switch (workload) {
        case Cpu:
            cpuWork(ctx, taskMs * cpuScale, gil);
            break;
        case Io:
            ioWork(ctx, taskMs, gil); // waiting costs the same on either build
            break;
        case Mixed:
            cpuWork(ctx, taskMs / 2 * cpuScale, gil);
            ioWork(ctx, taskMs / 2, gil);
            break;
        }
        ++m_tasksDone;
    }
}

void GilScenario::run(RunContext& ctx)
{
    const Params& p = declared<Params>();
    const Workload workload = ctx.value(p.workload);
    const Executor executorKind = ctx.value(p.executor);
    const bool processes = executorKind == Processes;
    const bool gilOn = ctx.value(p.gil);
    // gil off is the free-threaded build, whose every computation costs the overhead, whatever the
    // executor. work_ms stays tasks x task_ms (the regular build one task after another), so the
    // overhead shows in speedup.
    const double cpuScale = gilOn ? 1.0 : 1.0 + ctx.value(p.freeThreadedOverheadPct) / 100.0;
    const int workers = ctx.value(p.workers);
    const int tasks = ctx.value(p.tasks);
    const double taskMs = ctx.value(p.taskMs);
    m_workMs.store(double(tasks) * taskMs / ctx.speed());
    m_taskRealMs.store(taskMs / ctx.speed());
    // Processes and sub-interpreters have a GIL each: with one task at a time, nothing to share.
    if (gilOn && executorKind == Threads) {
        const Param<int> interval = p.switchIntervalMs;
        m_gil = std::make_unique<SimGil>(ctx, [&ctx, interval] { return ctx.scaledNs(ctx.value(interval)); });
        m_gilView.store(m_gil.get());
    }
    // The compute kernel's rate is measured once per process, by whoever computes first; measured
    // here, before the clock starts, no worker waits for it (it would show as the first worker's
    // work and the others' Sleeping, inside an interpreter's start-up).
    kernelIterationsPerUs();
    m_startNs.store(monotonicNs());
    if (processes) {
        static const char* const names[] = {"cpu", "io", "mixed"};
        ProcessTask each;
        each.taskMs = taskMs;
        each.workload = QString::fromLatin1(names[workload]);
        each.speed = ctx.speed();
        each.cpuScale = cpuScale;
        // Tasks are dealt out evenly; a worker that would get none is not started.
        auto body = [this, &ctx, each, workers, tasks](const Worker& w) {
            ProcessTask task = each;
            task.tasks = tasks / workers + (w.index < tasks % workers ? 1 : 0);
            runInWorkerProcess(ctx, task);
            m_tasksDone += task.tasks;
        };
        WorkerSet executor(ctx, std::min(workers, tasks), u"process"_s, body, LaneKind::Process);
        executor.run();
    } else if (executorKind == Interpreters) {
        // InterpreterPoolExecutor (PEP 734): a thread pool whose every thread runs its tasks in an
        // interpreter of its own, with its own GIL, in this process. Like ThreadPoolExecutor it
        // starts a thread per submitted task up to max_workers, so a worker with no task is never
        // started. No GIL is shared: the start-up and the tasks run in parallel.
        const double startupMs = ctx.value(p.interpreterStartupMs);
        WorkerSet executor(ctx, std::min(workers, tasks), u"interpreter"_s,
                           [this, &ctx, workload, taskMs, tasks, cpuScale, startupMs](const Worker&) {
                               startInterpreter(ctx, startupMs);
                               threadWorker(ctx, workload, taskMs, tasks, cpuScale);
                           });
        executor.run();
    } else {
        WorkerSet executor(ctx, workers, u"thread"_s, [this, &ctx, workload, taskMs, tasks, cpuScale](const Worker&) {
            threadWorker(ctx, workload, taskMs, tasks, cpuScale);
        });
        // Python's main thread holds the GIL while it starts the threads, and lets go of it in
        // join(): so does ours, and the GIL lane shows it.
        if (m_gil)
            m_gil->acquire();
        executor.start();
        if (m_gil)
            m_gil->release();
        executor.run();
    }
    m_endNs.store(monotonicNs());
    const QJsonObject o = outcome(ctx);
    ctx.print(u"%1 ms of work in %2 ms: speedup %3"_s.arg(o[u"work_ms"_s].toDouble(), 0, 'f', 0)
                  .arg(o[u"wall_ms"_s].toDouble(), 0, 'f', 0)
                  .arg(o[u"speedup"_s].toDouble(), 0, 'f', 2));
}

QJsonObject GilScenario::outcome(const RunContext& ctx) const
{
    // Wall time while running: not paused, not after Stop.
    const std::int64_t start = m_startNs.load();
    const std::int64_t end = m_endNs.load() > 0 ? m_endNs.load() : ctx.nowOrStopNs();
    const double wallMs = start > 0 ? double(ctx.activeNs(start, end)) / 1e6 : 0;
    const SimGil* gil = m_gilView.load();
    // Speedup against running the same tasks one after another, once all are done; until then
    // only the work of the tasks finished so far counts as done.
    const double workMs = m_endNs.load() > 0 ? m_workMs.load() : 0;
    const int done = m_tasksDone.load();
    return QJsonObject{{u"work_ms"_s, round3(m_workMs.load())},
                       {u"work_done_ms"_s, round3(double(done) * m_taskRealMs.load())},
                       {u"wall_ms"_s, round3(wallMs)},
                       {u"tasks_done"_s, done},
                       {u"speedup"_s, round3(wallMs > 0 ? workMs / wallMs : 0)},
                       {u"gil_switches"_s, qint64(gil ? gil->switches() : 0)}};
}

} // namespace interleave
