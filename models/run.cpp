// Run: the Runner's signals, relayed once the Collector has drained what they concern.
#include "run.h"

#include "chromeimport.h"
#include "collector.h"
#include "explanations.h"
#include "runner.h"
#include "tracesession.h"
#include "tracestore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace interleave {

Run::Run(QObject* parent)
    : QObject(parent)
    , m_runner(new Runner(this))
    , m_store(new TraceStore(this))
    , m_collector(new Collector(m_store, this))
{
    connect(m_runner, &Runner::started, this, &Run::started);
    connect(m_runner, &Runner::finished, this, &Run::onRunnerFinished);
    connect(m_runner, &Runner::pausedChanged, this, &Run::pausedChanged);
    connect(m_runner, &Runner::deadlockDetected, this, &Run::deadlockDetected);
}

Run::~Run()
{
    m_runner->stop();
}

bool Run::start(const QString& lesson, const std::vector<double>& values, double speed, QString* error,
                int drainIntervalMs)
{
    m_runner->setStepMode(m_stepNext, m_stepPolicy); // this run only
    m_stepNext = false;
    if (!m_runner->start(lesson, values, speed, error))
        return false;
    m_recorded.reset();
    m_explained = {};
    m_started = true;
    m_collector->setSession(m_runner->session()); // clears the store
    m_collector->start(drainIntervalMs);
    return true;
}

bool Run::startProgram(const ScenarioEntry& entry, const QString& mainLane, QString* error, int drainIntervalMs)
{
    m_runner->setStepMode(false);
    if (!m_runner->startProgram(entry, 1.0, error, mainLane))
        return false;
    m_recorded.reset();
    m_explained = {};
    m_started = true;
    m_collector->setSession(m_runner->session()); // clears the store
    m_collector->start(drainIntervalMs);
    return true;
}

bool Run::stop(const QString& reason)
{
    return m_runner->stop(reason);
}

void Run::setPaused(bool paused)
{
    m_runner->setPaused(paused);
}

void Run::setSpeed(double speed)
{
    m_runner->setSpeed(speed);
}

bool Run::setParam(const QString& key, double value, QString* error)
{
    return m_runner->setParam(key, value, error);
}

bool Run::stopsOnDeadlock() const
{
    return m_runner->stopsOnDeadlock();
}

void Run::setStepMode(bool on, const SchedulePolicy& policy)
{
    m_stepNext = on;
    m_stepPolicy = policy;
}

bool Run::stepMode() const
{
    return m_runner->isRunning() && m_runner->stepGate() != nullptr;
}

void Run::setStopOnDeadlock(bool stop)
{
    m_runner->setStopOnDeadlock(stop);
}

void Run::clear()
{
    m_runner->stop();
    m_collector->stop();
    m_collector->setSession(nullptr); // clears the store
    m_recorded.reset();
    m_explained = {};
    m_started = false;
}

void Run::adopt(ImportedTrace&& imported)
{
    clear();
    m_store->adopt(std::move(imported.contents));
    m_recorded = std::make_unique<RunDescription>(imported.run);
}

void Run::onRunnerFinished(const QString& ended)
{
    m_collector->stop();
    m_collector->drain();
    // The store holds the whole run now: what its marks mean goes into the outcome once.
    m_explained = explanationKeys(*m_store, m_runner->outcome());
    Q_EMIT finished(ended);
}

bool Run::isRunning() const
{
    return m_runner->isRunning();
}

bool Run::isPaused() const
{
    return m_runner->isPaused();
}

bool Run::isDeadlocked() const
{
    return m_runner->isDeadlocked();
}

bool Run::isEmpty() const
{
    return !m_recorded && !m_started;
}

const ScenarioInfo* Run::lesson() const
{
    return m_started ? m_runner->scenarioInfo() : nullptr;
}

QString Run::failure() const
{
    return m_runner->failure();
}

int Run::liveWorkers() const
{
    return m_runner->isRunning() && m_runner->context() ? m_runner->context()->liveWorkers() : 0;
}

double Run::speed() const
{
    return m_runner->speed();
}

std::vector<double> Run::values() const
{
    return lesson() ? m_runner->paramValues() : std::vector<double>{};
}

RunDescription Run::description() const
{
    if (m_recorded)
        return *m_recorded;
    RunDescription run;
    const ScenarioInfo* info = lesson();
    if (!info)
        return run;
    run.scenario = info->id;
    run.params = info->schema.valuesJson(m_runner->paramValues());
    run.wallMs = m_runner->wallMs();
    run.ended = m_runner->isRunning() ? u"running"_s : m_runner->ended();
    run.outcome = m_runner->outcome();
    if (!m_runner->isRunning()) {
        for (auto it = m_explained.begin(); it != m_explained.end(); ++it)
            run.outcome.insert(it.key(), it.value());
    }
    if (const auto machine = m_runner->machineLoad())
        run.machine = machine->toJson();
    for (const std::uint32_t lane : m_runner->schedule())
        run.schedule.append(qint64(lane));
    return run;
}

std::size_t Run::eventsBehind() const
{
    return m_collector->behind();
}

std::size_t Run::setAsidePeak() const
{
    return m_collector->setAsidePeak();
}

std::size_t Run::printedCount() const
{
    const auto session = m_started ? m_runner->session() : nullptr;
    return session ? session->printedCount() : 0;
}

QString Run::printed(std::size_t index) const
{
    const auto session = m_started ? m_runner->session() : nullptr;
    return session ? session->printed(index) : QString();
}

WaitSnapshot Run::waitSnapshot() const
{
    WaitSnapshot snap;
    const RunContext* ctx = m_started ? m_runner->context() : nullptr;
    const std::shared_ptr<TraceSession> session = m_runner->session();
    if (!ctx || !session)
        return snap;
    const WaitForGraph& graph = ctx->waitGraph();
    for (const WaitForGraph::Edge& e : graph.edges())
        snap.edges.push_back({e.lane, e.lock, e.waits});
    if (const auto cycle = graph.cycle()) {
        snap.cycleLanes = cycle->lanes;
        snap.cycleLocks = cycle->locks;
        const std::size_t n = std::min(cycle->lanes.size(), cycle->locks.size());
        bool whole = true;
        for (std::size_t i = 0; i < n && whole; ++i) {
            const WaitSnapshot::Edge wait{cycle->lanes[i], cycle->locks[i], true};
            whole = std::find(snap.edges.begin(), snap.edges.end(), wait) != snap.edges.end();
        }
        if (!whole) {
            // After Stop the waiters are gone: the cycle as it was when it formed.
            snap.edges.clear();
            for (std::size_t i = 0; i < n; ++i) {
                snap.edges.push_back({cycle->lanes[i], cycle->locks[i], true});
                snap.edges.push_back({cycle->lanes[(i + 1) % n], cycle->locks[i], false});
            }
        }
    }
    const std::vector<ObjectInfo> objects = session->objects();
    // Names the session knows; WaitSnapshot names any other id itself ("thread 7").
    auto nameLane = [&](std::uint32_t id) {
        if (const LaneInfo* lane = session->lane(id))
            snap.laneNames.emplace(id, lane->name);
    };
    auto nameLock = [&](std::uint32_t id) {
        if (id >= 1 && id <= objects.size())
            snap.lockNames.emplace(id, objects[id - 1].name);
    };
    for (const WaitSnapshot::Edge& e : snap.edges) {
        nameLane(e.lane);
        nameLock(e.lock);
    }
    std::for_each(snap.cycleLanes.begin(), snap.cycleLanes.end(), nameLane);
    std::for_each(snap.cycleLocks.begin(), snap.cycleLocks.end(), nameLock);
    return snap;
}

} // namespace interleave
