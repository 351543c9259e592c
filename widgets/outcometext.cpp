// outcomeText: a run's outcome as the lesson words it, or as a plain list when it cannot.
#include "outcometext.h"

#include "scenario.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace interleave {

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
    if (text.isEmpty())
        text = generic(outcome);
    return text.isEmpty() ? u"No results yet."_s : text;
}

} // namespace interleave
