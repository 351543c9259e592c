// Lessons: the registry's entries as cards, and outcomes in the lesson's words or as a plain list.
#include "lessons.h"

#include "outcomewords.h"
#include "pythonprogram.h"
#include "scenario.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

LessonCard cardOf(const ScenarioInfo& info)
{
    return LessonCard{info.id, info.title, info.summary, info.schema, info.usesGil, info.widestLaneName};
}

} // namespace

std::vector<LessonCard> Lessons::all()
{
    std::vector<LessonCard> cards;
    for (const ScenarioEntry& e : ScenarioRegistry::instance().all())
        cards.push_back(cardOf(e.info));
    return cards;
}

std::optional<LessonCard> Lessons::find(const QString& id)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(id);
    return entry ? std::optional<LessonCard>(cardOf(entry->info)) : std::nullopt;
}

bool Lessons::isAlarming(const QString& id, const QJsonObject& outcome)
{
    const ScenarioEntry* lesson = ScenarioRegistry::instance().find(id);
    return lesson && lesson->info.alarming && lesson->info.alarming(outcome);
}

namespace {

// Whatever we were given, for scenarios we do not know (a trace file, a newer lesson) and for
// outcomes too partial for the lesson's own sentence.
QString generic(const QJsonObject& o)
{
    QStringList parts;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonValue v = it.value();
        QString value;
        if (v.isDouble())
            value = formatOutcomeNumber(v.toDouble());
        else if (v.isBool())
            value = v.toBool() ? u"yes"_s : u"no"_s;
        else if (v.isString())
            value = v.toString();
        else
            continue; // arrays and objects do not fit in one line
        parts << it.key().replace(u'_', u' ') + u' ' + value;
    }
    return parts.join(u", "_s);
}

} // namespace

QString outcomeText(const QString& scenarioId, const QJsonObject& outcome, const QString& ended)
{
    if (outcome.isEmpty())
        return ended.isEmpty() ? u"No results yet."_s : u"No results."_s;
    QString text;
    const ScenarioEntry* lesson = ScenarioRegistry::instance().find(scenarioId);
    if (lesson && lesson->info.outcomeSentence)
        text = lesson->info.outcomeSentence(outcome, ended.isEmpty());
    else if (!lesson && scenarioId == QLatin1String(ScenarioId)) // a traced Python program (--python)
        text = pythonOutcomeSentence(outcome, ended.isEmpty());
    if (text.isEmpty())
        text = generic(outcome);
    return text.isEmpty() ? u"No results yet."_s : text;
}

} // namespace interleave
