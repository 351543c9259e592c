// ThreadPoolScenario: tasks of task_ms (+ jitter) of I/O-like waiting, submitted at once, run by
// a real QThreadPool of pool_size threads or by one new thread each. Each pool thread gets its
// own lane the first time it runs a task; a task is labelled by markers at its start and end.
#include "threadpoolscenario.h"

#include "../clock.h"
#include "../outcomewords.h"
#include "../runcontext.h"
#include "../tracesession.h"
#include "../workerpriority.h"
#include "../workerset.h"

#include <QRunnable>
#include <QStringList>
#include <QThread>
#include <QThreadPool>

#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// The lane of a pool thread. A QThreadPool thread outlives the tasks it runs, so its lane ends
// when the thread itself exits (thread_local destruction). That happens just after the pool's
// destructor has seen the thread finish, so the run waits for it (waitForPoolLanes), and the
// `finished` flag is the last memory outside the thread that the destructor touches.
struct PoolLane
{
    LaneRecorder* recorder = nullptr;
    std::atomic<bool>* finished = nullptr; // the lane's LaneInfo::finished
    std::uint64_t generation = 0;
    ~PoolLane() { end(); }
    void end()
    {
        if (!recorder)
            return;
        recorder->record(EventKind::LaneEnd, recorder->state());
        LaneRecorder::setCurrent(nullptr);
        recorder = nullptr;
        finished->store(true, std::memory_order_release); // the session may be gone after this
    }
};
thread_local PoolLane t_poolLane;

// Waits until every pool thread of the run has ended its lane: once QThreadPool's destructor has
// returned, only their thread_local destructors are left to run, so this is a matter of moments.
void waitForPoolLanes(const TraceSession& session)
{
    for (std::size_t i = 0; i < session.laneCount(); ++i) {
        const LaneInfo* lane = session.lane(i);
        while (lane->kind == LaneKind::Pool && !lane->finished.load(std::memory_order_acquire))
            QThread::yieldCurrentThread();
    }
}

// QThreadPool hands a task to its thread through Qt's futex-based mutex, which ThreadSanitizer
// cannot see. Each submission bumps this counter (release) after the task is built, and the task
// reads it (acquire) before touching anything it captured: the hand-over is then explicit.
std::atomic<std::uint64_t> g_handOver{0};

class PoolTask final : public QRunnable
{
public:
    explicit PoolTask(std::function<void()> body)
        : m_body(std::move(body))
    {
        setAutoDelete(true);
    }
    void run() override
    {
        g_handOver.load(std::memory_order_acquire);
        m_body();
    }

private:
    std::function<void()> m_body;
};

} // namespace

namespace {

enum Mode { Pool, ThreadPerTask };

struct Params : ParamDeclarations
{
    Param<int> poolSize = restarts(
        integer(u"pool_size"_s, 1, 64, 4, u"threads"_s, u"Threads in the pool (max_workers)"_s));
    Param<int> tasks = restarts(integer(u"tasks"_s, 1, 1000, 20, u"tasks"_s, u"Tasks submitted at once"_s));
    Param<int> taskMs = restarts(
        integer(u"task_ms"_s, 0, 10'000, 500, u"ms"_s, u"Waiting (like I/O) each task does"_s));
    Param<int> taskJitterMs = restarts(integer(u"task_jitter_ms"_s, 0, 10'000, 250, u"ms"_s,
                                               u"Random extra time per task, up to this much"_s));
    Param<Mode> mode = restarts(
        choice(u"mode"_s, {u"pool"_s, u"thread_per_task"_s}, Pool,
               u"pool: ThreadPoolExecutor-like; thread_per_task: a new thread for every task"_s));
};

QString sentence(const QJsonObject& o, bool)
{
    using namespace words;
    const auto tasks = number(o, u"tasks"_s);
    if (!tasks)
        return {};
    QString text = counted(*tasks, u"task"_s, u"tasks"_s);
    if (const auto threads = number(o, u"threads_created"_s))
        text += u" on "_s + counted(*threads, u"thread"_s, u"threads"_s);
    QStringList details;
    if (const auto wait = number(o, u"mean_queue_wait_ms"_s))
        details << u"mean queue wait "_s + milliseconds(*wait);
    if (const auto utilization = number(o, u"utilization"_s))
        details << u"utilization "_s + percent(*utilization, 0);
    if (!details.isEmpty())
        text += u"; "_s + details.join(u", "_s);
    return text;
}

} // namespace

ScenarioInfo ThreadPoolScenario::info()
{
    ScenarioInfo i;
    i.id = u"thread_pool"_s;
    i.title = u"Thread pools"_s;
    i.summary = u"A pool reuses a few threads and bounds how many tasks run at once"_s;
    i.schema = declared<Params>().schema();
    i.outcomeKeys = QStringList{u"tasks"_s, u"threads_created"_s, u"mean_queue_wait_ms"_s, u"mean_run_ms"_s,
                                u"utilization"_s};
    i.outcomeSentence = sentence;
    i.widestLaneName = u"task-1000"_s;
    return i;
}

ThreadPoolScenario::ThreadPoolScenario() = default;

ThreadPoolScenario::~ThreadPoolScenario()
{
    // Joins the pool's threads (their lanes end as they exit) before the session can go.
    m_pool.reset();
}

void ThreadPoolScenario::poolDepthChanged(int delta)
{
    std::lock_guard lock(m_depthMutex);
    m_pending += delta;
    if (LaneRecorder* rec = LaneRecorder::current())
        rec->record(EventKind::Counter, rec->state(), m_pendingObject, m_pending);
}

void ThreadPoolScenario::runTask(RunContext& ctx, int task, std::int64_t submittedNs, double ms)
{
    LaneRecorder* rec = LaneRecorder::current();
    const std::int64_t started = monotonicNs();
    m_queueWaitNs += ctx.activeNs(submittedNs, started);
    const int running = ++m_running;
    int seen = m_maxRunning.load();
    while (running > seen && !m_maxRunning.compare_exchange_weak(seen, running)) {
    }
    if (rec) {
        rec->record(EventKind::Marker, ThreadState::Running, 0, task, std::uint32_t(MarkerType::TaskStart));
    }
    struct Finish
    {
        ThreadPoolScenario& s;
        RunContext& ctx;
        LaneRecorder* rec;
        int task;
        std::int64_t started;
        ~Finish()
        {
            s.m_runNs += ctx.activeNs(started, ctx.nowOrStopNs());
            --s.m_running;
            ++s.m_tasksDone;
            if (rec)
                rec->record(EventKind::Marker, rec->state(), 0, task, std::uint32_t(MarkerType::TaskEnd));
        }
    } finish{*this, ctx, rec, task, started};
    ctx.print(u"task %1 runs on %2"_s.arg(task + 1).arg(rec ? ctx.session().lane(rec->lane())->name : QString()));
    ctx.sleepMs(ms);
}

void ThreadPoolScenario::run(RunContext& ctx)
{
    const Params& p = declared<Params>();
    const int poolSize = ctx.value(p.poolSize);
    const int tasks = ctx.value(p.tasks);
    const double taskMs = ctx.value(p.taskMs);
    const double jitterMs = ctx.value(p.taskJitterMs);
    const bool pool = ctx.value(p.mode) == Pool;
    m_poolSize.store(poolSize);
    m_pendingObject = ctx.session().addObject(u"pending tasks"_s, ObjectKind::Counter);
    std::minstd_rand rng(12345);
    auto taskLength = [&] {
        return taskMs + (jitterMs > 0 ? std::uniform_real_distribution<double>(0, jitterMs)(rng) : 0);
    };
    m_startNs.store(monotonicNs());
    static std::atomic<std::uint64_t> generations{0};
    const std::uint64_t generation = ++generations;

    if (pool) {
        m_pool = std::make_unique<QThreadPool>();
        m_pool->setMaxThreadCount(poolSize);
        m_pool->setExpiryTimeout(-1); // threads live as long as the pool: one lane each
        for (int t = 0; t < tasks; ++t) {
            const double ms = taskLength();
            const std::int64_t submitted = monotonicNs();
            poolDepthChanged(+1);
            auto* task = new PoolTask([this, &ctx, t, submitted, ms, generation] {
                PoolLane& lane = t_poolLane;
                if (lane.generation != generation) {
                    if (lane.generation == 0)
                        lowerCurrentThreadPriority(); // once per pool thread
                    lane.end(); // defensive: never record into a lane of another run
                    lane.recorder = ctx.session().addLane(u"pool-%1"_s.arg(++m_threadsCreated), LaneKind::Pool);
                    lane.finished = &ctx.session().lane(lane.recorder->lane())->finished;
                    lane.generation = generation;
                    LaneRecorder::setCurrent(lane.recorder);
                    lane.recorder->record(EventKind::LaneBegin, ThreadState::Running);
                }
                LaneRecorder* rec = lane.recorder;
                rec->setState(ThreadState::Running);
                poolDepthChanged(-1);
                try {
                    runTask(ctx, t, submitted, ms);
                } catch (const Cancelled&) {
                }
                rec->setState(ThreadState::Idle); // a pool thread with no task
            });
            g_handOver.fetch_add(1, std::memory_order_release);
            m_pool->start(task);
        }
        // Wait for the pool like executor.shutdown(wait=True), but stay cancellable.
        LaneRecorder* rec = LaneRecorder::current();
        while (m_tasksDone.load() < tasks) {
            if (rec)
                rec->setState(ThreadState::Idle);
            if (ctx.stopRequested()) {
                m_pool->clear(); // drop tasks not started yet
                m_pool.reset();  // joins the pool's threads; their lanes end as they exit
                waitForPoolLanes(ctx.session());
                throw Cancelled{};
            }
            m_pool->waitForDone(20);
        }
        m_pool.reset();
        waitForPoolLanes(ctx.session());
    } else {
        // The same lengths as the pool's; each thread is made as its task is submitted.
        auto taskLengths = std::make_shared<std::vector<double>>();
        for (int t = 0; t < tasks; ++t)
            taskLengths->push_back(taskLength());
        WorkerSet threads(ctx, tasks, u"task"_s, [this, &ctx, taskLengths](const Worker& w) {
            ++m_threadsCreated;
            runTask(ctx, w.index, w.spawnedNs, (*taskLengths)[std::size_t(w.index)]);
        });
        threads.run();
    }
    m_endNs.store(monotonicNs());
    const QJsonObject o = outcome(ctx);
    ctx.print(u"%1 tasks on %2 threads; mean queue wait %3 ms, utilization %4%"_s.arg(o[u"tasks"_s].toInteger())
                  .arg(o[u"threads_created"_s].toInteger())
                  .arg(o[u"mean_queue_wait_ms"_s].toDouble(), 0, 'f', 1)
                  .arg(o[u"utilization"_s].toDouble() * 100, 0, 'f', 0));
}

QJsonObject ThreadPoolScenario::outcome(const RunContext& ctx) const
{
    const int done = m_tasksDone.load();
    const std::int64_t start = m_startNs.load();
    const std::int64_t end = m_endNs.load() > 0 ? m_endNs.load() : ctx.nowOrStopNs();
    const double wall = start > 0 ? double(ctx.activeNs(start, end)) : 0;
    const int workers = std::max(m_poolSize.load(), 1);
    return QJsonObject{
        {u"tasks"_s, done},
        {u"threads_created"_s, m_threadsCreated.load()},
        {u"max_concurrent"_s, m_maxRunning.load()},
        {u"mean_queue_wait_ms"_s, round3(done > 0 ? double(m_queueWaitNs.load()) / done / 1e6 : 0)},
        {u"mean_run_ms"_s, round3(done > 0 ? double(m_runNs.load()) / done / 1e6 : 0)},
        {u"utilization"_s, round3(wall > 0 ? std::min(1.0, double(m_runNs.load()) / (wall * workers)) : 0)},
    };
}

} // namespace interleave
