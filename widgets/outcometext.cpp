// outcomeText: each lesson's outcome JSON as a sentence a class can read from the back row.
#include "outcometext.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

std::optional<double> number(const QJsonObject& o, const QString& key)
{
    const QJsonValue v = o.value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isBool())
        return v.toBool() ? 1.0 : 0.0;
    return std::nullopt;
}

QString integer(double v)
{
    return QString::number(qint64(std::llround(v)));
}

// "1 line", "2 lines": the figures are read aloud, so the grammar has to be right.
QString counted(double v, const QString& singular, const QString& plural)
{
    return integer(v) + u' ' + (std::llround(v) == 1 ? singular : plural);
}

QString milliseconds(double ms)
{
    return formatOutcomeNumber(ms) + u" ms"_s;
}

QString percent(double fraction, int decimals)
{
    return QString::number(fraction * 100, 'f', decimals) + u'%';
}

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

QString race(const QJsonObject& o)
{
    const auto expected = number(o, u"expected"_s);
    const auto actual = number(o, u"actual"_s);
    if (!expected || !actual)
        return {};
    const double lost = number(o, u"lost_updates"_s).value_or(*expected - *actual);
    const QString lostText = std::llround(lost) == 0 ? u"no updates lost"_s
                                                     : counted(lost, u"update lost"_s, u"updates lost"_s);
    return u"expected %1, got %2: %3"_s.arg(integer(*expected), integer(*actual), lostText);
}

QString interleaving(const QJsonObject& o)
{
    const auto lines = number(o, u"lines"_s);
    if (!lines)
        return {};
    QString text = counted(*lines, u"line"_s, u"lines"_s);
    if (const auto switches = number(o, u"switches"_s))
        text += u", "_s + counted(*switches, u"switch"_s, u"switches"_s) + u" between threads"_s;
    return text;
}

QString gil(const QJsonObject& o, bool running)
{
    const auto work = number(o, u"work_ms"_s);
    const auto wall = number(o, u"wall_ms"_s);
    if (!work || !wall)
        return {};
    const auto switches = number(o, u"gil_switches"_s);
    const QString switchText = switches ? u" (%1)"_s.arg(counted(*switches, u"GIL switch"_s, u"GIL switches"_s))
                                        : QString();
    const double speedup = number(o, u"speedup"_s).value_or(0);
    // The scenario reports speedup 0 until every task is done: a speedup of the tasks finished
    // so far would be misleading, so say how far it got instead, counting only finished tasks.
    if (speedup <= 0 && running) {
        const double done = number(o, u"work_done_ms"_s).value_or(0);
        if (done <= 0)
            return u"no task finished yet, %1 so far%2"_s.arg(milliseconds(*wall), switchText);
        return u"%1 of %2 of work done in %3 so far%4"_s.arg(milliseconds(done), milliseconds(*work),
                                                              milliseconds(*wall), switchText);
    }
    return u"speedup %1: %2 of work in %3%4"_s.arg(QString::number(speedup, 'f', 2), milliseconds(*work),
                                                   milliseconds(*wall), switchText);
}

QString contention(const QJsonObject& o)
{
    const auto ops = number(o, u"ops"_s);
    if (!ops)
        return {};
    QString text = counted(*ops, u"operation"_s, u"operations"_s);
    if (const auto rate = number(o, u"ops_per_s"_s))
        text += u", "_s + formatOutcomeNumber(*rate) + u" per second"_s;
    if (const auto wait = number(o, u"wait_fraction"_s))
        text += u"; "_s + percent(*wait, 1) + u" of thread time waiting for locks"_s;
    return text;
}

// The wait-for cycle alternates lane and lock: "philosopher-1 → fork-2 → philosopher-2 → ...",
// closed by repeating the first lane. Long cycles keep their start and their closing link so
// the loop is still visible at a glance.
QString cycleText(const QJsonArray& cycle)
{
    QStringList names;
    for (const QJsonValue& v : cycle)
        if (v.isString())
            names << v.toString();
    if (names.isEmpty())
        return {};
    const QString first = names.first();
    constexpr qsizetype MaxShown = 8; // four lanes and their locks
    if (names.size() > MaxShown) {
        names = names.mid(0, 4) + QStringList{u"…"_s} + names.mid(names.size() - 2);
    }
    names << first;
    return names.join(u" → "_s);
}

QString deadlock(const QJsonObject& o, bool running)
{
    const QJsonValue flag = o.value(u"deadlock"_s);
    const auto meals = number(o, u"meals"_s);
    if (!flag.isBool() && !meals)
        return {};
    if (flag.toBool()) {
        QString text = u"Deadlock"_s;
        if (const auto ms = number(o, u"detected_ms"_s))
            text += u" after "_s + milliseconds(*ms);
        const QString cycle = cycleText(o.value(u"cycle"_s).toArray());
        return cycle.isEmpty() ? text : text + u": "_s + cycle;
    }
    const QString mealsText = counted(meals.value_or(0), u"meal"_s, u"meals"_s) + u" eaten"_s;
    return (running ? u"No deadlock yet: "_s : u"No deadlock: "_s) + mealsText;
}

QString producerConsumer(const QJsonObject& o)
{
    const auto produced = number(o, u"produced"_s);
    const auto consumed = number(o, u"consumed"_s);
    if (!produced || !consumed)
        return {};
    QString text = u"produced %1, consumed %2"_s.arg(integer(*produced), integer(*consumed));
    if (const auto stranded = number(o, u"stranded"_s))
        text += u", "_s + integer(*stranded) + u" stranded"_s;
    const auto maxDepth = number(o, u"max_depth"_s);
    const auto meanDepth = number(o, u"mean_depth"_s);
    if (maxDepth && meanDepth)
        text += u"; queue depth max %1, mean %2"_s.arg(integer(*maxDepth), formatOutcomeNumber(*meanDepth));
    else if (maxDepth)
        text += u"; queue depth max "_s + integer(*maxDepth);
    if (const auto wait = number(o, u"mean_wait_ms"_s))
        text += u"; items waited "_s + milliseconds(*wait) + u" on average"_s;
    if (o.value(u"stuck"_s).toBool())
        text += u".\nStuck: every consumer quit while the queue was full"_s;
    return text;
}

QString threadPool(const QJsonObject& o)
{
    const auto tasks = number(o, u"tasks"_s);
    if (!tasks)
        return {};
    QString text = counted(*tasks, u"task"_s, u"tasks"_s);
    if (const auto threads = number(o, u"threads_created"_s))
        text += u" on "_s + counted(*threads, u"thread"_s, u"threads"_s);
    QStringList details;
    if (const auto wait = number(o, u"mean_queue_wait_ms"_s))
        details << u"mean queue wait "_s + milliseconds(*wait);
    if (const auto utilization = number(o, u"utilization"_s))
        details << u"utilization "_s + percent(*utilization, 0);
    if (!details.isEmpty())
        text += u"; "_s + details.join(u", "_s);
    return text;
}

} // namespace

QString formatOutcomeNumber(double value)
{
    if (!std::isfinite(value))
        return u"–"_s;
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 1 ? 1 : 2;
    QString text = QString::number(value, 'f', decimals);
    if (decimals > 0) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    if (text == u"-0"_s)
        text = u"0"_s;
    return text;
}

QString outcomeText(const QString& scenarioId, const QJsonObject& outcome, const QString& ended)
{
    if (outcome.isEmpty())
        return ended.isEmpty() ? u"No results yet."_s : u"No results."_s;
    const bool running = ended.isEmpty();
    QString text;
    if (scenarioId == u"race"_s)
        text = race(outcome);
    else if (scenarioId == u"interleaving"_s)
        text = interleaving(outcome);
    else if (scenarioId == u"gil"_s)
        text = gil(outcome, running);
    else if (scenarioId == u"contention"_s)
        text = contention(outcome);
    else if (scenarioId == u"deadlock"_s)
        text = deadlock(outcome, running);
    else if (scenarioId == u"producer_consumer"_s)
        text = producerConsumer(outcome);
    else if (scenarioId == u"thread_pool"_s)
        text = threadPool(outcome);
    if (text.isEmpty())
        text = generic(outcome);
    return text.isEmpty() ? u"No results yet."_s : text;
}

} // namespace interleave
