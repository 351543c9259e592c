// compareRuns: settings by key, figures by key, and a sentence from the differences.
#include "comparison.h"

#include "experiments.h"
#include "lessons.h"
#include "scenario.h"

#include <QJsonArray>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

QString valueText(const QJsonValue& v)
{
    if (v.isBool())
        return v.toBool() ? u"on"_s : u"off"_s;
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == std::round(d) && std::abs(d) < 1e15 ? QLocale().toString(qint64(d)) : QLocale().toString(d, 'g', 4);
    }
    if (v.isString())
        return v.toString();
    return u"(none)"_s;
}

QString number(double v)
{
    return valueText(QJsonValue(v));
}

} // namespace

double RunComparison::Figure::ratio() const
{
    return a != 0 ? b / a : std::nan("");
}

QJsonObject RunComparison::toJson() const
{
    QJsonArray s;
    for (const Setting& x : settings)
        s.append(QJsonObject{{u"key"_s, x.key}, {u"a"_s, x.a.isUndefined() ? QJsonValue() : x.a},
                             {u"b"_s, x.b.isUndefined() ? QJsonValue() : x.b}});
    QJsonArray f;
    for (const Figure& x : figures) {
        // The difference of the figures as written, so that b - a reads back exactly.
        const double a = round3(x.a), b = round3(x.b);
        QJsonObject o{{u"key"_s, x.key}, {u"a"_s, a}, {u"b"_s, b}, {u"difference"_s, round3(b - a)}};
        if (std::isfinite(x.ratio()))
            o.insert(u"ratio"_s, round3(x.ratio()));
        f.append(o);
    }
    return QJsonObject{{u"same_lesson"_s, sameLesson}, {u"settings"_s, s}, {u"figures"_s, f}, {u"sentence"_s, sentence}};
}

QString settingsText(const RunDescription& run)
{
    QStringList parts;
    const auto card = Lessons::find(run.scenario);
    const QStringList keys = card ? card->schema.keys() : run.params.keys();
    for (const QString& key : keys) {
        if (run.params.contains(key))
            parts << key + u' ' + valueText(run.params.value(key));
    }
    return parts.join(u", "_s);
}

RunComparison compareRuns(const RunDescription& a, const RunDescription& b, const QString& aName)
{
    RunComparison c;
    c.sameLesson = a.scenario == b.scenario;
    QStringList keys = b.params.keys();
    if (const auto card = Lessons::find(b.scenario))
        keys = card->schema.keys();
    for (const QString& k : a.params.keys()) {
        if (!keys.contains(k))
            keys << k;
    }
    for (const QString& k : keys) {
        const QJsonValue va = a.params.value(k);
        const QJsonValue vb = b.params.value(k);
        if (va != vb && !(va.isUndefined() && vb.isUndefined()))
            c.settings.push_back({k, va, vb});
    }
    const std::vector<RunOutcome> both{{a.wallMs, a.ended, outcomeFigures(a.outcome)},
                                       {b.wallMs, b.ended, outcomeFigures(b.outcome)}};
    for (const QString& k : figureKeys(both))
        c.figures.push_back({k, figureOf(both[0], k), figureOf(both[1], k)});

    // The sentence: what b changed, the lesson's figure, the time.
    QStringList parts;
    if (!c.sameLesson) {
        parts << QObject::tr("%1 against %2 (another lesson)").arg(b.scenario, a.scenario);
    } else if (!c.settings.empty()) {
        QStringList changed;
        for (const auto& s : c.settings)
            changed << s.key + u' ' + valueText(s.b);
        parts << changed.join(u", "_s);
    } else {
        parts << QObject::tr("the same settings");
    }
    if (a.ended != b.ended)
        parts << QObject::tr("ended %1 (%2: %3)").arg(b.ended, aName, a.ended);
    if (!c.figures.empty() && c.figures.front().key != "wall_ms"_L1) {
        const auto& f = c.figures.front();
        parts << QObject::tr("%1 %2 (%3: %4)").arg(QString(f.key).replace(u'_', u' '), number(f.b), aName, number(f.a));
    }
    if (a.wallMs > 0 && b.wallMs > 0) {
        const double r = b.wallMs / a.wallMs;
        if (r >= 1.05)
            parts << QObject::tr("%1x slower").arg(QLocale().toString(r, 'f', 2));
        else if (r <= 1 / 1.05)
            parts << QObject::tr("%1x faster").arg(QLocale().toString(1 / r, 'f', 2));
        else
            parts << QObject::tr("as fast (within 5%)");
    }
    // "lock on: lost updates 0 (pinned: 8,982), 1.62x slower"
    c.sentence = parts.size() > 1 ? parts.front() + u": "_s + parts.mid(1).join(u", "_s) : parts.front();
    return c;
}

} // namespace interleave
