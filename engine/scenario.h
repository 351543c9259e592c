// A lesson as code: its description and parameter schema, and what its threads do.
#pragma once

#include "params.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

namespace interleave {

class RunContext;

// Outcome and summary figures carry three decimals: 1 µs when the unit is ms, and JSON that reads.
inline double round3(double v)
{
    return std::round(v * 1000) / 1000;
}

// Everything the rest of the program knows of a lesson: views and the command line ask it, and
// never test its id.
struct ScenarioInfo
{
    QString id;
    QString title;
    QString summary;     // one line, for pickers and --list-scenarios
    ParamSchema schema;
    QStringList outcomeKeys;
    bool usesGil = false;
    // The outcome (Scenario::outcome()'s keys) as a sentence a class reads from the back row;
    // running while the run goes on. Empty when the outcome is too partial to say it.
    QString (*outcomeSentence)(const QJsonObject& outcome, bool running) = nullptr;
    // The outcome shows what the lesson warns of (lost updates, a deadlock, stranded items).
    bool (*alarming)(const QJsonObject& outcome) = nullptr;
    // The widest lane name the lesson can make, e.g. "philosopher-12", so lane names fit.
    QString widestLaneName;
    // Step mode (stepgate.h): the outcome's keys that tell one schedule's result from another's
    // (lost_updates, deadlock, stranded). Empty: the lesson has no meaningful steps.
    QStringList stepOutcomeKeys;
};

// Rule for implementations: everything the worker threads touch lives in the Scenario object
// (members), never on run()'s stack, because run() can unwind on Stop while workers are still
// finishing. The Runner destroys the scenario only after every thread has been joined.
class Scenario
{
public:
    virtual ~Scenario() = default;
    // Runs on the scenario's main thread (a traced lane named "main") until the lesson is over.
    virtual void run(RunContext& ctx) = 0;
    // The outcome so far; called from any thread at any time, so it reads only atomics or
    // takes its own locks.
    virtual QJsonObject outcome(const RunContext& ctx) const = 0;
    // How a run that returned normally ended: "completed", or e.g. "deadlock".
    virtual QString endReason() const { return QStringLiteral("completed"); }
};

struct ScenarioEntry
{
    ScenarioInfo info;
    std::function<std::unique_ptr<Scenario>()> create;
};

class ScenarioRegistry
{
public:
    static const ScenarioRegistry& instance();

    const ScenarioEntry* find(const QString& id) const;
    const std::vector<ScenarioEntry>& all() const { return m_entries; }
    QStringList ids() const;
    // The lesson a fresh window shows first.
    QString startingId() const;

private:
    ScenarioRegistry();
    std::vector<ScenarioEntry> m_entries;
};

} // namespace interleave
