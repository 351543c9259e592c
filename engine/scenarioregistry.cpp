// The built-in lessons, listed explicitly (static registration does not survive static linking).
#include "scenario.h"

#include "scenarios/contentionscenario.h"
#include "scenarios/deadlockscenario.h"
#include "scenarios/gilscenario.h"
#include "scenarios/interleavingscenario.h"
#include "scenarios/pipelinescenario.h"
#include "scenarios/producerconsumerscenario.h"
#include "scenarios/racescenario.h"
#include "scenarios/shareddatascenario.h"
#include "scenarios/threadpoolscenario.h"

using namespace Qt::StringLiterals;

namespace interleave {

namespace {
template<typename T>
ScenarioEntry entry()
{
    return ScenarioEntry{T::info(), [] { return std::unique_ptr<Scenario>(new T()); }};
}
} // namespace

ScenarioRegistry::ScenarioRegistry()
{
    // In the order of the lessons.
    m_entries.push_back(entry<InterleavingScenario>());
    m_entries.push_back(entry<GilScenario>());
    m_entries.push_back(entry<RaceScenario>());
    m_entries.push_back(entry<ContentionScenario>());
    m_entries.push_back(entry<SharedDataScenario>());
    m_entries.push_back(entry<DeadlockScenario>());
    m_entries.push_back(entry<ProducerConsumerScenario>());
    m_entries.push_back(entry<PipelineScenario>());
    m_entries.push_back(entry<ThreadPoolScenario>());
}

const ScenarioRegistry& ScenarioRegistry::instance()
{
    static const ScenarioRegistry registry;
    return registry;
}

const ScenarioEntry* ScenarioRegistry::find(const QString& id) const
{
    for (const auto& e : m_entries) {
        if (e.info.id == id)
            return &e;
    }
    return nullptr;
}

QString ScenarioRegistry::startingId() const
{
    return u"race"_s; // lost updates: the first thing a class should see go wrong
}

QStringList ScenarioRegistry::ids() const
{
    QStringList ids;
    for (const auto& e : m_entries)
        ids << e.info.id;
    return ids;
}

} // namespace interleave
