// The lessons as the views see them: plain values read from the engine's registry (title,
// summary, settings, lane names, whether there is a GIL) and each lesson's own words for its
// outcome. Views ask here, never the engine, and never test a lesson's id.
#pragma once

#include "params.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace interleave {

struct LessonCard
{
    QString id;
    QString title;
    QString summary; // one line
    ParamSchema schema;
    bool usesGil = false;
    QString widestLaneName; // e.g. "philosopher-12": lane names are laid out for it
};

class Lessons
{
public:
    // In the order they are taught.
    static std::vector<LessonCard> all();
    static std::optional<LessonCard> find(const QString& id);
    // The outcome shows what the lesson warns of: lost updates, a deadlock, stranded items.
    static bool isAlarming(const QString& id, const QJsonObject& outcome);
};

// Plain text for the outcome of lesson `id` (the keys its Scenario::outcome() writes), in the
// lesson's own words. ended is the summary's "ended" ("completed", "stopped", "duration",
// "deadlock"), empty while running. Copes with partial or empty outcomes (early in a run) and
// with unknown lessons: it says what it knows and never invents a figure it was not given.
QString outcomeText(const QString& id, const QJsonObject& outcome, const QString& ended);

} // namespace interleave
