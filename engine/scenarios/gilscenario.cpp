// GilScenario: `workers` threads (or processes) share `tasks` tasks of `task_ms` each.
#include "gilscenario.h"

#include "../clock.h"
#include "../processworker.h"
#include "../runcontext.h"
#include "../simgil.h"
#include "../tracesession.h"
#include "../workload.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

ScenarioInfo GilScenario::info()
{
    ScenarioInfo i;
    i.id = u"gil"_s;
    i.title = u"The GIL, threads and processes"_s;
    i.summary = u"CPU-bound threads take turns under a GIL; I/O-bound threads and processes do not"_s;
    i.schema = ParamSchema{
        ParamSpec::choice(u"workload"_s, {u"cpu"_s, u"io"_s, u"mixed"_s}, 0,
                          u"cpu: computing; io: waiting (like a download); mixed: half of each"_s).restarts(),
        ParamSpec::choice(u"executor"_s, {u"threads"_s, u"processes"_s}, 0,
                          u"threads share one interpreter (and its GIL); processes each have their own"_s).restarts(),
        ParamSpec::boolean(u"gil"_s, true, u"Simulate CPython's global interpreter lock (off: free-threaded Python)"_s).restarts(),
        ParamSpec::integer(u"workers"_s, 1, 32, 4, u"workers"_s, u"Threads or processes in the executor"_s).restarts(),
        ParamSpec::integer(u"tasks"_s, 1, 1000, 16, u"tasks"_s, u"Tasks to run"_s).restarts(),
        ParamSpec::integer(u"task_ms"_s, 1, 10'000, 100, u"ms"_s, u"Work per task (ms of one core, or of waiting)"_s).restarts(),
        ParamSpec::integer(u"switch_interval_ms"_s, 1, 1000, 5, u"ms"_s,
                           u"How long a thread waits before asking the GIL holder to let go (sys.setswitchinterval)"_s),
    };
    i.outcomeKeys = QStringList{u"work_ms"_s, u"speedup"_s, u"gil_switches"_s};
    i.usesGil = true;
    return i;
}

GilScenario::GilScenario() = default;
GilScenario::~GilScenario() = default;

void GilScenario::threadWorker(RunContext& ctx, Workload workload, double taskMs, int tasks)
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
            cpuWork(ctx, taskMs, gil);
            break;
        case Io:
            ioWork(ctx, taskMs, gil);
            break;
        case Mixed:
            cpuWork(ctx, taskMs / 2, gil);
            ioWork(ctx, taskMs / 2, gil);
            break;
        }
        ++m_tasksDone;
    }
}

void GilScenario::run(RunContext& ctx)
{
    const auto workload = Workload(ctx.paramInt(ctx.paramIndex(u"workload"_s)));
    const bool processes = ctx.paramInt(ctx.paramIndex(u"executor"_s)) == 1;
    const bool gilOn = ctx.paramBool(ctx.paramIndex(u"gil"_s));
    const int workers = ctx.paramInt(ctx.paramIndex(u"workers"_s));
    const int tasks = ctx.paramInt(ctx.paramIndex(u"tasks"_s));
    const double taskMs = ctx.param(ctx.paramIndex(u"task_ms"_s));
    const int intervalParam = ctx.paramIndex(u"switch_interval_ms"_s);
    m_workMs.store(double(tasks) * taskMs / ctx.speed());
    m_taskRealMs.store(taskMs / ctx.speed());
    // Processes have an interpreter (and a GIL) each: with one task at a time, nothing to share.
    if (gilOn && !processes) {
        m_gil = std::make_unique<SimGil>(ctx, [&ctx, intervalParam] { return ctx.scaledNs(ctx.param(intervalParam)); });
        m_gilView.store(m_gil.get());
    }
    m_startNs.store(monotonicNs());
    if (processes) {
        static const char* const names[] = {"cpu", "io", "mixed"};
        for (int w = 0; w < workers; ++w) {
            ProcessTask task;
            task.tasks = tasks / workers + (w < tasks % workers ? 1 : 0);
            task.taskMs = taskMs;
            task.workload = QString::fromLatin1(names[workload]);
            task.speed = ctx.speed();
            if (task.tasks == 0)
                continue;
            ctx.spawn(u"process-%1"_s.arg(w + 1), LaneKind::Process, [this, &ctx, task] {
                runInWorkerProcess(ctx, task);
                m_tasksDone += task.tasks;
            });
        }
    } else {
        // Python's main thread holds the GIL while it starts the threads, and lets go of it in
        // join(): so does ours, and the GIL lane shows it.
        if (m_gil)
            m_gil->acquire();
        for (int w = 0; w < workers; ++w) {
            ctx.spawn(u"thread-%1"_s.arg(w + 1), LaneKind::Thread,
                      [this, &ctx, workload, taskMs, tasks] { threadWorker(ctx, workload, taskMs, tasks); });
        }
        if (m_gil)
            m_gil->release();
    }
    if (LaneRecorder* rec = LaneRecorder::current())
        rec->setState(ThreadState::Idle);
    ctx.joinWorkers();
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
