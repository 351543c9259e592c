// One or two short sentences that say how a lesson's run turned out, big enough for a projector.
#pragma once

#include <QJsonObject>
#include <QString>

namespace interleave {

// Plain text for the outcome of scenarioId (the keys its Scenario::outcome() writes). ended is
// the summary's "ended" ("completed", "stopped", "duration", "deadlock"), empty while running.
// Copes with partial or empty outcomes (early in a run) and with unknown scenarios: it says
// what it knows and never invents a figure it was not given.
QString outcomeText(const QString& scenarioId, const QJsonObject& outcome, const QString& ended);

// A compact human number: 126.4 -> "126", 94.83 -> "94.8", 0.2 -> "0.2", 3.0 -> "3".
QString formatOutcomeNumber(double value);

} // namespace interleave
