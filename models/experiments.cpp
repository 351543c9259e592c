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

double figureOf(const RunOutcome& run, const QString& key)
{
    if (key == "wall_ms"_L1)
        return run.wallMs;
    const QJsonValue v = run.outcome.value(key);
    return v.isDouble() ? v.toDouble() : v.isBool() ? (v.toBool() ? 1.0 : 0.0) : std::nan("");
}

QStringList figureKeys(const std::vector<RunOutcome>& runs)
{
    if (runs.empty())
        return {};
    QStringList keys;
    for (const QString& k : runs.front().outcome.keys()) {
        const bool everywhere = std::all_of(runs.begin(), runs.end(),
                                            [&](const RunOutcome& r) { return !std::isnan(figureOf(r, k)); });
        if (everywhere && k != "wall_ms"_L1)
            keys << k;
    }
    // What the lessons are about comes first, in this order.
    static const QStringList telling{u"speedup"_s,       u"lost_updates"_s, u"deadlock"_s,
                                     u"stranded"_s,      u"wait_fraction"_s, u"ops_per_s"_s,
                                     u"contended"_s,     u"switches"_s,      u"mean_queue_wait_ms"_s};
    std::stable_sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
        const auto rank = [](const QString& k) {
            const qsizetype i = telling.indexOf(k);
            return i < 0 ? telling.size() : i;
        };
        return rank(a) < rank(b);
    });
    keys << u"wall_ms"_s;
    return keys;
}

std::vector<HistogramBar> histogramOf(const std::vector<double>& values, int maxBars)
{
    std::vector<int> order;
    for (int i = 0; i < int(values.size()); ++i) {
        if (std::isfinite(values[std::size_t(i)]))
            order.push_back(i);
    }
    if (order.empty() || maxBars < 1)
        return {};
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[std::size_t(a)] < values[std::size_t(b)]; });
    const double lo = values[std::size_t(order.front())];
    const double hi = values[std::size_t(order.back())];
    const bool whole = std::all_of(order.begin(), order.end(), [&](int i) {
        const double v = values[std::size_t(i)];
        return v == std::round(v) && std::abs(v) < 1e15;
    });
    std::vector<HistogramBar> bars;
    if (whole) {
        // Counts: bars of a whole number of values each, every value between lo and hi in one
        // (an empty bar shows a gap as it is).
        const double span = hi - lo + 1;
        const double width = std::ceil(span / maxBars);
        for (double from = lo; from <= hi; from += width)
            bars.push_back(HistogramBar{from, from + width - 1, {}});
        for (int i : order)
            bars[std::size_t((values[std::size_t(i)] - lo) / width)].members.push_back(i);
        return bars;
    }
    if (hi == lo) {
        bars.push_back(HistogramBar{lo, hi, order});
        return bars;
    }
    const double width = (hi - lo) / maxBars;
    for (int b = 0; b < maxBars; ++b)
        bars.push_back(HistogramBar{lo + b * width, b + 1 == maxBars ? hi : lo + (b + 1) * width, {}});
    for (int i : order) {
        const int b = std::min(maxBars - 1, int((values[std::size_t(i)] - lo) / width));
        bars[std::size_t(b)].members.push_back(i);
    }
    return bars;
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
