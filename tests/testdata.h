// Small builders shared by tests: a hand-made trace event, and a scenario's parameter values.
#pragma once

#include "scenario.h"
#include "traceevent.h"

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <vector>

namespace interleave::test {

inline TraceEvent ev(std::int64_t t, std::uint32_t lane, EventKind kind, ThreadState state, std::uint32_t object = 0,
                     std::int64_t value = 0, std::uint32_t aux = 0)
{
    TraceEvent e;
    e.t = t;
    e.lane = lane;
    e.kind = kind;
    e.state = state;
    e.object = object;
    e.value = value;
    e.aux = aux;
    return e;
}

// The scenario's defaults with "key=value" assignments applied; a bad one stops the test run.
inline std::vector<double> scenarioValues(const QString& id, const QStringList& sets = {})
{
    const ScenarioEntry* e = ScenarioRegistry::instance().find(id);
    if (!e)
        qFatal("no scenario %s", qPrintable(id));
    std::vector<double> v = e->info.schema.defaults();
    for (const QString& s : sets) {
        QString error;
        if (!e->info.schema.applyAssignment(s, v, &error))
            qFatal("%s", qPrintable(error));
    }
    return v;
}

} // namespace interleave::test
