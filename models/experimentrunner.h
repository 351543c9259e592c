// An experiment run in the window (and headless): one lesson run again and again on one Run,
// at several settings (a sweep) or the same ones (a repeat), each a real run to its end. Every
// outcome is kept; so is each run's recording while they fit a memory budget, so that a run
// picked in the histogram can be put on screen again.
#pragma once

#include "experiments.h"
#include "summary.h"
#include "tracestore.h"

#include <QObject>
#include <QTimer>
#include <QString>

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace interleave {

class Run;

// One setting of the lesson the experiment runs: its values, and where it goes on a chart.
struct ExperimentPoint
{
    QString series;        // "threads", "processes"...: a line of its own on a sweep's chart
    double x = std::nan(""); // the swept setting's value (NaN for a repeat)
    std::vector<double> values;
};

struct ExperimentPlan
{
    QString lesson;
    QString sweepKey;      // empty: a repeat of one point
    std::vector<ExperimentPoint> points;
    int repeat = 1;        // runs per point
    double speed = 1;
    double maxSecondsPerRun = 600; // a run still going then is stopped ("duration")
    // Recordings kept for opening again, in all (estimated from their events); later runs past it
    // keep their outcome only.
    std::size_t keepBytes = std::size_t(512) << 20;
    int total() const { return int(points.size()) * repeat; }
};

struct ExperimentRun
{
    int point = 0;  // index into the plan's points
    RunOutcome outcome;
    RunDescription description;
    std::shared_ptr<const TraceContents> recording; // null when over the budget
};

class ParamSchema;

// The plans the window and the command line make: the lesson at `values`, run `repeat` times;
// or at every value of `sweepKey` from..to by step (each `repeat` times), once for every choice
// of `seriesKey` when one is given (a line per executor). nullopt, with *error, for a key that is
// not a number to sweep, a range out of the setting's bounds or over 1,000 values.
std::optional<ExperimentPlan> repeatPlan(const QString& lesson, const std::vector<double>& values, int repeat, double speed);
std::optional<ExperimentPlan> sweepPlan(const QString& lesson, const ParamSchema& schema, const std::vector<double>& values,
                                        const QString& sweepKey, double from, double to, double step, int repeat,
                                        double speed, const QString& seriesKey, QString* error);

class ExperimentRunner : public QObject
{
    Q_OBJECT
public:
    // Drives `run` (which the runner does not own) while an experiment goes on.
    explicit ExperimentRunner(Run* run, QObject* parent = nullptr);
    ~ExperimentRunner() override;

    // Starts the first run; false with one line in *error when the plan is empty or a run cannot
    // start (an unknown lesson, a value out of range).
    bool start(const ExperimentPlan& plan, QString* error);
    // Stops the run going on (its outcome is not kept: it was cut short) and those not begun;
    // what finished is kept. finished(false) follows.
    void stop();
    bool isRunning() const { return m_running; }
    bool isComplete() const { return int(m_runs.size()) == m_plan.total(); }
    // Why a later run could not start (empty when none failed).
    QString failure() const { return m_failure; }

    const ExperimentPlan& plan() const { return m_plan; }
    const std::vector<ExperimentRun>& runs() const { return m_runs; }
    // The runs of one point, as distributionOf() takes them.
    std::vector<RunOutcome> outcomesOf(int point) const;
    std::vector<RunOutcome> allOutcomes() const;

Q_SIGNALS:
    void runStarted(int index, int total);
    void runDone(int index); // index into runs()
    void finished(bool complete);

private:
    bool startNext(QString* error);
    void onRunFinished(const QString& ended);

    Run* const m_run;
    ExperimentPlan m_plan;
    std::vector<ExperimentRun> m_runs;
    std::size_t m_keptBytes = 0;
    bool m_running = false;
    QString m_failure;
    bool m_stopping = false;
    bool m_stopOnDeadlockBefore = true; // the Run's own setting, given back at the end
    QMetaObject::Connection m_finished;
    QTimer* const m_deadline;
};

} // namespace interleave
