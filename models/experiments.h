// Experiments made of several runs: the distribution of their outcomes (repeat) and Amdahl's law
// fitted to speedups measured at several worker counts (sweep). Plain data in, plain data out.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace interleave {

struct Spread
{
    int count = 0;
    double min = 0;
    double median = 0; // of an even count: the mean of the two middle values
    double max = 0;
    double mean = 0;
    QJsonObject toJson() const;
};
// nullopt for no values.
std::optional<Spread> spreadOf(std::vector<double> values);

// One finished run as an experiment keeps it.
struct RunOutcome
{
    double wallMs = 0;
    QString ended;
    QJsonObject outcome; // the lesson's own keys, without the explanations (lost_examples...)
    QJsonObject toJson() const;
};
// The outcome a run's description carries, without the keys that explain marks (they belong to
// one run's recording, not to a distribution): lost_examples, cycle_steps, stranded_items, *_sentence.
QJsonObject outcomeFigures(const QJsonObject& outcome);

// Per figure (a number or a switch, counted as 1/0, present in every run): its spread; the wall
// time's spread; and how many runs ended which way ({"completed": 9, "deadlock": 1}).
QJsonObject distributionOf(const std::vector<RunOutcome>& runs);

// One figure of a run: "wall_ms" or an outcome field, a switch counted as 1 or 0; NaN when the
// run has no such number.
double figureOf(const RunOutcome& run, const QString& key);
// The figures every run has, the one a lesson is about first (speedup, lost updates, a deadlock,
// stranded items...), the wall time last.
QStringList figureKeys(const std::vector<RunOutcome>& runs);

// A histogram of values, at most maxBars bars of equal width from the least value to the
// greatest. Whole numbers get bars of a whole number of values ([from, to], both included; one
// value each when they span at most maxBars), so no count is split; other numbers get maxBars
// bars. Each bar lists the values it holds (indices into `values`), so a bar picked leads to its
// runs. NaNs are left out.
struct HistogramBar
{
    double from = 0;
    double to = 0; // included; == from for a bar of one whole number
    std::vector<int> members;
};
std::vector<HistogramBar> histogramOf(const std::vector<double>& values, int maxBars = 10);

// Amdahl's law, speedup(n) = 1 / (s + (1 - s) / n), fitted by least squares on 1/speedup - 1/n =
// s (1 - 1/n) through the origin, s clamped to [0, 1]. Points: (workers, speedup), workers >= 1.
struct AmdahlFit
{
    double serialFraction = 0;
    int points = 0;
    double rmsError = 0; // of the speedups the fit predicts, against the points
    double predict(double workers) const { return 1.0 / (serialFraction + (1.0 - serialFraction) / workers); }
};
std::optional<AmdahlFit> fitAmdahl(const std::vector<std::pair<double, double>>& workersAndSpeedup);

} // namespace interleave
