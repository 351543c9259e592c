// Runner: one run at a time; a scenario's main thread reports back once, queued, when it ends.
#include "runner.h"

#include "functionthread.h"
#include "stepgate.h"
#include "tracesession.h"
#include "workload.h"

#include <QDeadlineTimer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace interleave {

Runner::Runner(QObject* parent)
    : QObject(parent)
{
}

Runner::~Runner()
{
    stop();
    release();
}

bool Runner::start(const QString& scenarioId, std::vector<double> values, double speed, QString* error)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(scenarioId);
    const bool program = !entry && !m_programs.empty() && m_programs.back()->info.id == scenarioId;
    if (program)
        entry = m_programs.back().get(); // startProgram's
    if (!entry) {
        if (error)
            *error = u"unknown scenario '%1'; allowed: %2"_s.arg(scenarioId,
                                                                  ScenarioRegistry::instance().ids().join(u", "_s));
        return false;
    }
    const ParamSchema& schema = entry->info.schema;
    values.resize(std::size_t(schema.size()));
    for (int i = 0; i < schema.size(); ++i) {
        if (!schema.at(i).validate(values[std::size_t(i)], error))
            return false;
    }

    stop();
    release();

    m_info = &entry->info;
    m_session = std::make_shared<TraceSession>();
    m_ctx = std::make_unique<RunContext>(m_session, schema, std::move(values), speed);
    m_scenario = entry->create();
    m_ended.clear();
    m_schedule.clear();
    m_scheduleError.clear();
    m_scheduleCut = false;
    m_running = true;
    m_machine.reset();
    m_meter.start();
    m_startNs = m_session->startNs(); // the run's clock starts where its timeline does
    m_endNs = 0;
    const std::uint64_t generation = ++m_generation;
    m_mainExited.store(false);

    LaneRecorder* mainLane = m_session->addLane(program ? m_programMainLane : u"main"_s, LaneKind::Main);
    if (m_stepMode) {
        // The main thread takes part from the start: nothing is chosen before it has started
        // the lesson's threads and waits for them.
        m_ctx->enableStepMode().join(mainLane->lane());
        if (!m_schedulePolicy.manual)
            m_driver = std::make_unique<StepDriver>(*m_ctx, m_schedulePolicy);
    }
    RunContext* ctx = m_ctx.get();
    Scenario* scenario = m_scenario.get();
    m_main.reset(new FunctionThread([this, ctx, scenario, mainLane, generation] {
        ctx->runAsLane(mainLane, [&] { scenario->run(*ctx); });
        if (StepGate* gate = ctx->stepGate())
            gate->leave(mainLane->lane());
        QMetaObject::invokeMethod(this, [this, generation] { mainFinished(generation); }, Qt::QueuedConnection);
        m_mainExited.store(true, std::memory_order_release);
    }));
    m_main->setObjectName(u"interleave-main"_s);
    m_main->start();
    Q_EMIT started();
    return true;
}

void Runner::mainFinished(std::uint64_t generation)
{
    if (generation != m_generation || !m_running)
        return; // a stale report from a run that was already stopped
    if (m_ctx->deadlocked() && !m_stopOnDeadlock) {
        Q_EMIT deadlockDetected(); // the threads stay stuck until Stop; stop() then ends as "deadlock"
        return;
    }
    // Stopped by the step driver (a schedule that could not be followed, or cut), not by us below.
    const bool stoppedEarly = m_driver && m_ctx->stopRequested();
    // The lesson is over. Workers it left behind (none, normally) are stopped, not waited for.
    if (m_ctx->liveWorkers() > 0)
        m_ctx->requestStop();
    joinMain(-1);
    m_ctx->joinAllThreads(-1);
    if (!m_ctx->failure().isEmpty())
        finish(u"failed"_s);
    else if (m_ctx->deadlocked())
        finish(u"deadlock"_s);
    else if (stoppedEarly)
        finish(u"stopped"_s);
    else
        finish(m_scenario->endReason());
}

bool Runner::stop(const QString& reason, int timeoutMs)
{
    if (!m_running)
        return true;
    QDeadlineTimer deadline(timeoutMs);
    const QString ended = m_ctx->deadlocked() ? u"deadlock"_s : reason;
    m_ctx->requestStop();
    bool joined = joinMain(int(std::max<qint64>(deadline.remainingTime(), 0)));
    joined = m_ctx->joinAllThreads(int(std::max<qint64>(deadline.remainingTime(), 0))) && joined;
    if (!joined) {
        qWarning("interleave: some worker threads did not stop within %d ms; waiting for them", timeoutMs);
        joinMain(-1);
        m_ctx->joinAllThreads(-1);
    }
    finish(ended);
    return joined;
}

bool Runner::startProgram(const ScenarioEntry& entry, double speed, QString* error, const QString& mainLane)
{
    stop(); // the run before ends while its entry is still the last one
    m_programs.push_back(std::make_unique<ScenarioEntry>(entry));
    m_programMainLane = mainLane;
    return start(entry.info.id, {}, speed, error);
}

bool Runner::joinMain(int timeoutMs)
{
    if (!m_main->wait(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs)))
        return false;
    // QThread::wait() synchronises through Qt's futex-based mutex, which ThreadSanitizer cannot
    // see; this acquire pairs with the thread's last store and makes the hand-over explicit.
    return m_mainExited.load(std::memory_order_acquire);
}

void Runner::setStepMode(bool on, SchedulePolicy policy)
{
    m_stepMode = on;
    m_schedulePolicy = std::move(policy);
}

std::vector<std::uint32_t> Runner::schedule() const
{
    if (m_running && m_ctx && m_ctx->stepGate())
        return m_ctx->stepGate()->schedule();
    return m_schedule;
}

QString Runner::scheduleError() const
{
    return m_driver ? m_driver->error() : m_scheduleError;
}

bool Runner::scheduleCut() const
{
    return m_driver ? m_driver->cut() : m_scheduleCut;
}

void Runner::keepDriverResults()
{
    if (!m_driver)
        return;
    m_scheduleError = m_driver->error();
    m_scheduleCut = m_driver->cut();
    m_driver.reset();
}

void Runner::finish(const QString& ended)
{
    keepDriverResults(); // its thread ends with the run's threads (joined by now)
    if (m_ctx && m_ctx->stepGate())
        m_schedule = m_ctx->stepGate()->schedule();
    m_running = false;
    m_endNs = monotonicNs();
    m_machine = m_meter.finish();
    m_ended = ended;
    Q_EMIT finished(ended);
}

void Runner::release()
{
    // Threads are joined by now; the scenario's primitives unregister from the context.
    keepDriverResults();
    m_main.reset();
    m_scenario.reset();
    m_ctx.reset();
}

bool Runner::isPaused() const
{
    return m_ctx && m_ctx->paused();
}

QJsonObject Runner::outcome() const
{
    return m_scenario && m_ctx ? m_scenario->outcome(*m_ctx) : QJsonObject();
}

std::vector<double> Runner::paramValues() const
{
    return m_ctx ? m_ctx->paramValues() : std::vector<double>();
}

double Runner::speed() const
{
    return m_ctx ? m_ctx->speed() : 1.0;
}

QString Runner::failure() const
{
    return m_ctx ? m_ctx->failure() : QString();
}

double Runner::wallMs() const
{
    if (m_startNs == 0)
        return 0;
    const std::int64_t end = m_running ? monotonicNs() : m_endNs;
    return double(end - m_startNs) / 1e6;
}

bool Runner::setParam(const QString& key, double value, QString* error)
{
    if (!m_ctx || !m_info)
        return false;
    const int i = m_info->schema.indexOf(key);
    if (i < 0) {
        if (error)
            *error = u"unknown parameter '%1'; allowed: %2"_s.arg(key, m_info->schema.keys().join(u", "_s));
        return false;
    }
    if (!m_info->schema.at(i).validate(value, error))
        return false;
    m_ctx->setParam(i, value);
    return true;
}

void Runner::setSpeed(double speed)
{
    if (m_ctx)
        m_ctx->setSpeed(speed);
}

void Runner::setPaused(bool paused)
{
    if (!m_ctx || m_ctx->paused() == paused)
        return;
    m_ctx->setPaused(paused);
    Q_EMIT pausedChanged(paused);
}

} // namespace interleave
