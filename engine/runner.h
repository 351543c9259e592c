// Starts a scenario on its own main thread, forwards live changes to it, and stops it cleanly.
#pragma once

#include "runcontext.h"
#include "machineload.h"
#include "scenario.h"
#include "stepdriver.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

class QThread;

namespace interleave {

class TraceSession;

class Runner : public QObject
{
    Q_OBJECT
public:
    explicit Runner(QObject* parent = nullptr);
    ~Runner() override; // stops and joins every thread

    // Starts a new run (stopping the previous one). values follow the scenario's schema.
    bool start(const QString& scenarioId, std::vector<double> values, double speed, QString* error);
    // Starts a run of a program the registry does not list (a traced Python program: its entry is
    // kept here); mainLane names the lane of the run's main thread.
    bool startProgram(const ScenarioEntry& entry, double speed, QString* error, const QString& mainLane);

    bool isRunning() const { return m_running; }
    bool isPaused() const;
    std::shared_ptr<TraceSession> session() const { return m_session; }
    const ScenarioInfo* scenarioInfo() const { return m_info; }
    RunContext* context() const { return m_ctx.get(); }

    QJsonObject outcome() const;
    std::vector<double> paramValues() const;
    double speed() const;
    // "completed", "stopped", "duration", "deadlock", "failed"; empty while running.
    QString ended() const { return m_ended; }
    QString failure() const;
    // Wall time of the run so far, or of the whole run once it ended.
    double wallMs() const;
    // How busy the machine was during the run, once it ended (empty while running or where the
    // platform does not tell).
    std::optional<MachineLoad> machineLoad() const { return m_machine; }

    // Headless runs end at a detected deadlock (true, the default). The window keeps the
    // deadlocked threads as they are, so the class can look at them, until Stop.
    void setStopOnDeadlock(bool stop) { m_stopOnDeadlock = stop; }
    bool stopsOnDeadlock() const { return m_stopOnDeadlock; }
    bool isDeadlocked() const { return m_ctx && m_ctx->deadlocked(); }

    // Step mode for the runs started from now on (stepgate.h): by hand (policy.manual, the window
    // grants steps through stepGate()) or by rule on a thread of the Runner's (headless).
    void setStepMode(bool on, SchedulePolicy policy = {});
    bool stepMode() const { return m_stepMode; }
    StepGate* stepGate() const { return m_ctx ? m_ctx->stepGate() : nullptr; }
    // The lanes that stepped so far, in order (empty outside step mode).
    std::vector<std::uint32_t> schedule() const;
    // Why the run's schedule could not be followed; empty when it could (or none was given).
    QString scheduleError() const;
    bool scheduleCut() const;

    // Live parameter change; false (with *error) for an unknown key or a bad value.
    bool setParam(const QString& key, double value, QString* error = nullptr);

public Q_SLOTS:
    void setSpeed(double speed);
    void setPaused(bool paused);
    // Asks every thread to stop and joins them; true when all ended within timeoutMs.
    // `reason` becomes ended() ("stopped", or "duration" for a --duration cap).
    bool stop(const QString& reason = QStringLiteral("stopped"), int timeoutMs = 2000);

Q_SIGNALS:
    void started();
    void finished(const QString& ended);
    void pausedChanged(bool paused);
    // The wait-for graph closed a cycle (with stopOnDeadlock off; otherwise finished("deadlock")).
    void deadlockDetected();

private:
    void mainFinished(std::uint64_t generation);
    void finish(const QString& ended);
    void release();
    void keepDriverResults();
    bool joinMain(int timeoutMs);

    std::shared_ptr<TraceSession> m_session;
    std::unique_ptr<RunContext> m_ctx;
    std::unique_ptr<Scenario> m_scenario;
    std::vector<std::unique_ptr<ScenarioEntry>> m_programs; // startProgram's, kept for m_info
    QString m_programMainLane;
    std::unique_ptr<QThread> m_main;
    std::atomic<bool> m_mainExited{false};
    const ScenarioInfo* m_info = nullptr;
    std::uint64_t m_generation = 0;
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
    bool m_running = false;
    bool m_stopOnDeadlock = true;
    bool m_stepMode = false;
    SchedulePolicy m_schedulePolicy;
    std::unique_ptr<StepDriver> m_driver;
    QString m_scheduleError; // kept from the driver once the run ended
    bool m_scheduleCut = false;
    std::vector<std::uint32_t> m_schedule; // kept from the gate once the run ended
    QString m_ended;
    MachineLoadMeter m_meter;
    std::optional<MachineLoad> m_machine;
};

} // namespace interleave
