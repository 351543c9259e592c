// Spreads of outcomes and an Amdahl fit: small arithmetic, kept apart so tests can feed it points
// with a known answer.
#include "experiments.h"

#include "scenario.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

using namespace Qt::StringLiterals;

namespace interleave {

QJsonObject Spread::toJson() const
{
    return QJsonObject{{u"n"_s, count},
                       {u"min"_s, round3(min)},
                       {u"median"_s, round3(median)},
                       {u"max"_s, round3(max)},
                       {u"mean"_s, round3(mean)}};
}

std::optional<Spread> spreadOf(std::vector<double> values)
{
    if (values.empty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    Spread s;
    s.count = int(values.size());
    s.min = values.front();
    s.max = values.back();
    const std::size_t mid = values.size() / 2;
    s.median = values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    s.mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
    return s;
}

QJsonObject RunOutcome::toJson() const
{
    return QJsonObject{{u"wall_ms"_s, round3(wallMs)}, {u"ended"_s, ended}, {u"outcome"_s, outcome}};
}

QJsonObject outcomeFigures(const QJsonObject& outcome)
{
    QJsonObject figures = outcome;
    for (const QString& key : outcome.keys()) {
        if (key == "lost_examples"_L1 || key == "cycle_steps"_L1 || key == "stranded_items"_L1
            || key.endsWith("_sentence"_L1))
            figures.remove(key);
    }
    return figures;
}

QJsonObject distributionOf(const std::vector<RunOutcome>& runs)
{
    QJsonObject out;
    std::vector<double> wall;
    std::map<QString, int> ended;
    for (const RunOutcome& r : runs) {
        wall.push_back(r.wallMs);
        ++ended[r.ended];
    }
    if (const auto s = spreadOf(wall))
        out.insert(u"wall_ms"_s, s->toJson());
    QJsonObject endings;
    for (const auto& [how, n] : ended)
        endings.insert(how, n);
    out.insert(u"ended"_s, endings);
    // The figures every run has: a switch counts as 1 or 0 (how often a deadlock happened).
    std::set<QString> keys;
    if (!runs.empty())
        for (const QString& k : runs.front().outcome.keys())
            keys.insert(k);
    QJsonObject figures;
    for (const QString& key : keys) {
        std::vector<double> values;
        for (const RunOutcome& r : runs) {
            const QJsonValue v = r.outcome.value(key);
            if (v.isDouble())
                values.push_back(v.toDouble());
            else if (v.isBool())
                values.push_back(v.toBool() ? 1 : 0);
        }
        if (values.size() != runs.size())
            continue; // not a figure of every run (text, lists, or missing in some)
        if (const auto s = spreadOf(values))
            figures.insert(key, s->toJson());
    }
    out.insert(u"outcome"_s, figures);
    return out;
}

std::optional<AmdahlFit> fitAmdahl(const std::vector<std::pair<double, double>>& points)
{
    double sxy = 0;
    double sxx = 0;
    int used = 0;
    for (const auto& [n, speedup] : points) {
        if (!(n >= 1) || !(speedup > 0) || !std::isfinite(speedup))
            continue;
        const double x = 1.0 - 1.0 / n;
        const double y = 1.0 / speedup - 1.0 / n;
        sxy += x * y;
        sxx += x * x;
        ++used;
    }
    if (used < 2 || sxx <= 0)
        return std::nullopt; // one worker count, or only n = 1: nothing to fit
    AmdahlFit fit;
    fit.serialFraction = std::clamp(sxy / sxx, 0.0, 1.0);
    fit.points = used;
    double squares = 0;
    for (const auto& [n, speedup] : points) {
        if (!(n >= 1) || !(speedup > 0) || !std::isfinite(speedup))
            continue;
        const double e = fit.predict(n) - speedup;
        squares += e * e;
    }
    fit.rmsError = std::sqrt(squares / used);
    return fit;
}

} // namespace interleave
