// One run and everything it needs: the Runner that drives the lesson's threads, the Collector
// that drains what they record and the TraceStore it fills, kept together so that the window,
// headless mode and (later) a pinned or replayed run each hold a whole run, never a part of one.
// A Run can also hold a recording instead of a live run: an opened trace, with its description.
#pragma once

#include "stepdriver.h"
#include "summary.h"
#include "waitsnapshot.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace interleave {

class Collector;
class Runner;
class TraceStore;
struct ImportedTrace;
struct ScenarioEntry;
struct ScenarioInfo;

class Run : public QObject
{
    Q_OBJECT
public:
    explicit Run(QObject* parent = nullptr);
    ~Run() override; // stops and joins every thread

    // Starts the lesson afresh (stopping a run that is going on and clearing the store). The
    // recording is drained every drainIntervalMs into store(). False, with one line in *error,
    // for an unknown lesson or a value out of range; nothing changes then.
    bool start(const QString& lesson, const std::vector<double>& values, double speed, QString* error,
               int drainIntervalMs = 16);
    // Starts a program the lessons do not list (a traced Python program, engine/pythonprogram.h).
    bool startProgram(const ScenarioEntry& entry, const QString& mainLane, QString* error, int drainIntervalMs = 16);
    // Asks every thread to stop and joins them; `reason` becomes the description's "ended".
    bool stop(const QString& reason = QStringLiteral("stopped"));
    void setPaused(bool paused);
    void setSpeed(double speed);
    // A live change; a parameter that is not live is refused (*error) and must restart the run.
    bool setParam(const QString& key, double value, QString* error = nullptr);
    // Step mode for the next run started (engine/stepgate.h; by hand, or by a policy); the runs
    // after it are ordinary unless this is said again.
    void setStepMode(bool on, const SchedulePolicy& policy = {});
    // The live run is stepped: its threads wait at the gate for a scheduler.
    bool stepMode() const;
    // Headless runs end at a detected deadlock (the default); the window keeps the threads stuck.
    void setStopOnDeadlock(bool stop);
    bool stopsOnDeadlock() const;
    // Forgets the run or recording: an empty store and no description.
    void clear();
    // Shows a recording instead of a live run (an opened trace): the store takes its contents.
    void adopt(ImportedTrace&& imported);

    bool isRunning() const;
    bool isPaused() const;
    bool isDeadlocked() const;
    bool isRecording() const { return m_recorded != nullptr; } // an adopted trace, not a run
    bool isEmpty() const;                             // neither a run nor a recording
    // The lesson of the live run (nullptr for a recording or none).
    const ScenarioInfo* lesson() const;
    QString failure() const;
    int liveWorkers() const;

    // Lesson, settings the run had (live changes included), speed, wall time, how it ended
    // ("running" while it runs), outcome and the machine's load. A recording's own description.
    RunDescription description() const;
    double speed() const;
    // The settings the live run has (live changes included), in its lesson's schema order.
    std::vector<double> values() const;
    // What the threads printed, in the order printed: every line, also one whose Print event a
    // full ring dropped from the timeline. Empty for a recording.
    std::size_t printedCount() const;
    QString printed(std::size_t index) const;
    // Who holds and waits for which lock now; after Stop, the cycle as it was when it formed.
    WaitSnapshot waitSnapshot() const;

    TraceStore* store() const { return m_store; }
    // Events recorded and not yet in the store: in the rings or set aside by the collector.
    std::size_t eventsBehind() const;
    // The most the collector's rescue thread held aside at once (Collector::setAsidePeak).
    std::size_t setAsidePeak() const;
    Runner* runner() const { return m_runner; } // live details for tests and benchmarks

Q_SIGNALS:
    void started();
    // After the last events were drained into the store: the store holds the whole run.
    void finished(const QString& ended);
    void pausedChanged(bool paused);
    void deadlockDetected();

private:
    void onRunnerFinished(const QString& ended);

    Runner* const m_runner;
    TraceStore* const m_store;
    Collector* const m_collector;
    bool m_started = false; // a live run was started since the last clear()
    std::unique_ptr<RunDescription> m_recorded; // a recording's own description; null for a run
    bool m_stepNext = false; // setStepMode()'s, for the next start only
    SchedulePolicy m_stepPolicy;
    QJsonObject m_explained; // explanationKeys() of the finished run, added to its outcome
};

} // namespace interleave
