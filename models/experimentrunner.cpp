// ExperimentRunner: one run after another on the same Run, each started from the event loop once
// the last one's store holds its whole recording.
#include "experimentrunner.h"

#include "params.h"
#include "replay.h"
#include "run.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace interleave {

std::optional<ExperimentPlan> repeatPlan(const QString& lesson, const std::vector<double>& values, int repeat, double speed)
{
    ExperimentPlan plan;
    plan.lesson = lesson;
    plan.repeat = std::max(1, repeat);
    plan.speed = speed;
    plan.points.push_back(ExperimentPoint{QString(), std::nan(""), values});
    return plan;
}

std::optional<ExperimentPlan> sweepPlan(const QString& lesson, const ParamSchema& schema, const std::vector<double>& values,
                                        const QString& sweepKey, double from, double to, double step, int repeat,
                                        double speed, const QString& seriesKey, QString* error)
{
    const int index = schema.indexOf(sweepKey);
    if (index < 0) {
        *error = QObject::tr("%1 has no setting '%2' (it has %3)").arg(lesson, sweepKey, schema.keys().join(u", "_s));
        return std::nullopt;
    }
    const ParamSpec& spec = schema.at(index);
    if (spec.type == ParamSpec::Type::Bool || spec.type == ParamSpec::Type::Choice) {
        *error = QObject::tr("%1 is %2, not a number to sweep").arg(sweepKey, spec.allowedText());
        return std::nullopt;
    }
    if (!(step > 0)) {
        *error = QObject::tr("the step must be more than 0");
        return std::nullopt;
    }
    if (to < from) {
        *error = QObject::tr("it runs from %1 down to %2; give the smaller value first").arg(spec.valueText(from), spec.valueText(to));
        return std::nullopt;
    }
    if ((to - from) / step > 1000) {
        *error = QObject::tr("more than 1000 values");
        return std::nullopt;
    }
    std::vector<double> xs;
    for (double v = from; v <= to + step * 1e-9; v += step) {
        const auto checked = spec.validate(spec.type == ParamSpec::Type::Int ? std::round(v) : v, error);
        if (!checked)
            return std::nullopt;
        if (xs.empty() || xs.back() != *checked)
            xs.push_back(*checked);
    }
    // A line per choice of the series setting (or one line).
    std::vector<std::pair<QString, double>> series{{QString(), std::nan("")}};
    const int seriesIndex = seriesKey.isEmpty() ? -1 : schema.indexOf(seriesKey);
    if (!seriesKey.isEmpty()) {
        if (seriesIndex < 0 || seriesIndex == index
            || (schema.at(seriesIndex).type != ParamSpec::Type::Choice && schema.at(seriesIndex).type != ParamSpec::Type::Bool)) {
            *error = QObject::tr("'%1' is not a choice to draw a line for each of").arg(seriesKey);
            return std::nullopt;
        }
        const ParamSpec& s = schema.at(seriesIndex);
        series.clear();
        const int n = s.type == ParamSpec::Type::Bool ? 2 : int(s.choices.size());
        for (int c = 0; c < n; ++c)
            series.emplace_back(u"%1 %2"_s.arg(s.key, s.valueText(c)), double(c));
    }
    ExperimentPlan plan;
    plan.lesson = lesson;
    plan.sweepKey = sweepKey;
    plan.repeat = std::max(1, repeat);
    plan.speed = speed;
    for (const auto& [name, choice] : series) {
        for (const double x : xs) {
            ExperimentPoint p{name, x, values};
            p.values.resize(std::size_t(schema.size()));
            p.values[std::size_t(index)] = x;
            if (seriesIndex >= 0)
                p.values[std::size_t(seriesIndex)] = choice;
            plan.points.push_back(std::move(p));
        }
    }
    return plan;
}

ExperimentRunner::ExperimentRunner(Run* run, QObject* parent)
    : QObject(parent)
    , m_run(run)
    , m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this] {
        if (m_running)
            m_run->stop(u"duration"_s);
    });
}

ExperimentRunner::~ExperimentRunner()
{
    if (m_running) {
        QObject::disconnect(m_finished);
        m_run->stop();
        m_run->setStopOnDeadlock(m_stopOnDeadlockBefore);
    }
}

bool ExperimentRunner::start(const ExperimentPlan& plan, QString* error)
{
    if (m_running) {
        *error = tr("An experiment is already going on");
        return false;
    }
    if (plan.total() <= 0) {
        *error = tr("Nothing to run: no settings or no runs");
        return false;
    }
    m_plan = plan;
    m_runs.clear();
    m_failure.clear();
    m_keptBytes = 0;
    m_stopping = false;
    m_stopOnDeadlockBefore = m_run->stopsOnDeadlock();
    m_run->setStopOnDeadlock(true); // a deadlocked run is an outcome, and the next run must begin
    m_finished = connect(m_run, &Run::finished, this, &ExperimentRunner::onRunFinished);
    m_running = true;
    if (!startNext(error)) {
        QObject::disconnect(m_finished);
        m_run->setStopOnDeadlock(m_stopOnDeadlockBefore);
        m_running = false;
        return false;
    }
    return true;
}

bool ExperimentRunner::startNext(QString* error)
{
    const int index = int(m_runs.size());
    const ExperimentPoint& point = m_plan.points[std::size_t(index / m_plan.repeat)];
    if (!m_run->start(m_plan.lesson, point.values, m_plan.speed, error, 10))
        return false;
    m_deadline->start(int(std::min(m_plan.maxSecondsPerRun * 1000.0, 2e9)));
    Q_EMIT runStarted(index, m_plan.total());
    return true;
}

void ExperimentRunner::stop()
{
    if (!m_running)
        return;
    m_stopping = true;
    m_run->stop(); // finished("stopped") arrives and ends the experiment
}

void ExperimentRunner::onRunFinished(const QString& ended)
{
    m_deadline->stop();
    if (m_stopping || ended == "stopped"_L1) { // cut short: no outcome of its own, and the end
        QObject::disconnect(m_finished);
        m_run->setStopOnDeadlock(m_stopOnDeadlockBefore);
        m_running = false;
        Q_EMIT finished(false);
        return;
    }
    ExperimentRun r;
    r.point = int(m_runs.size()) / m_plan.repeat;
    r.description = m_run->description();
    r.outcome = RunOutcome{r.description.wallMs, ended, outcomeFigures(r.description.outcome)};
    const TraceStore& store = *m_run->store();
    // About what a recording costs: its events, at the size the store keeps one in.
    const std::size_t bytes = std::size_t(store.eventsRecorded()) * 32 + 4096;
    if (m_keptBytes + bytes <= m_plan.keepBytes) {
        r.recording = std::make_shared<const TraceContents>(contentsUpTo(store, std::numeric_limits<std::int64_t>::max()));
        m_keptBytes += bytes;
    }
    m_runs.push_back(std::move(r));
    Q_EMIT runDone(int(m_runs.size()) - 1);

    if (isComplete()) {
        QObject::disconnect(m_finished);
        m_run->setStopOnDeadlock(m_stopOnDeadlockBefore);
        m_running = false;
        Q_EMIT finished(isComplete());
        return;
    }
    // The next run begins from the event loop, after everyone has seen this one end.
    QTimer::singleShot(0, this, [this] {
        if (!m_running)
            return;
        QString error;
        if (!startNext(&error)) {
            m_failure = error;
            QObject::disconnect(m_finished);
            m_run->setStopOnDeadlock(m_stopOnDeadlockBefore);
            m_running = false;
            Q_EMIT finished(false);
        }
    });
}

std::vector<RunOutcome> ExperimentRunner::outcomesOf(int point) const
{
    std::vector<RunOutcome> out;
    for (const ExperimentRun& r : m_runs) {
        if (r.point == point)
            out.push_back(r.outcome);
    }
    return out;
}

std::vector<RunOutcome> ExperimentRunner::allOutcomes() const
{
    std::vector<RunOutcome> out;
    out.reserve(m_runs.size());
    for (const ExperimentRun& r : m_runs)
        out.push_back(r.outcome);
    return out;
}

} // namespace interleave
