// One or two short sentences that say how a lesson's run turned out, big enough for a projector.
#pragma once

#include "outcomewords.h" // formatOutcomeNumber

#include <QJsonObject>
#include <QString>

namespace interleave {

// Plain text for the outcome of scenarioId (the keys its Scenario::outcome() writes), in the
// lesson's own words (ScenarioInfo::outcomeSentence). ended is the summary's "ended"
// ("completed", "stopped", "duration", "deadlock"), empty while running. Copes with partial or
// empty outcomes (early in a run) and with unknown scenarios: it says what it knows and never
// invents a figure it was not given.
QString outcomeText(const QString& scenarioId, const QJsonObject& outcome, const QString& ended);

} // namespace interleave
