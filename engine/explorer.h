// Explore: run a lesson's steps under every schedule (stateless, as CHESS and loom search: each
// schedule is a fresh run replayed from its first step), count the outcomes and keep, for each,
// the shortest schedule that gives it. Exhaustive unless bounded: a preemption bound (switching
// away from a thread that could have gone on counts one) and a cap on the number of schedules,
// with what was left unexplored counted.
#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace interleave {

struct ExploreOptions
{
    std::int64_t maxSchedules = 100'000;
    std::optional<int> preemptionBound; // none: every schedule
    std::int64_t maxSteps = 2'000;      // a schedule longer than this is cut (a lesson that loops)
    double maxSeconds = 0;              // > 0: the search stops after this long, what is left counted
    // Called after each schedule with the count so far; returning false stops the search.
    std::function<bool(std::int64_t schedules)> progress;
};

struct ExploredOutcome
{
    QString key;          // "lost_updates=1", "deadlock=true meals=0"
    QJsonObject outcome;  // the lesson's outcome of the shortest schedule
    bool alarming = false; // what the lesson warns of (ScenarioInfo::alarming)
    std::int64_t count = 0;
    std::vector<std::uint32_t> shortest; // lanes, replayable with --schedule
    int shortestPreemptions = 0;
};

struct ExploreResult
{
    QString error;           // the lesson cannot be explored, or a run was not deterministic
    std::int64_t schedules = 0;
    bool complete = false;   // every schedule within the bound was run
    bool stopped = false;    // progress() said stop
    bool outOfTime = false;  // maxSeconds passed
    std::int64_t pruned = 0; // alternatives not taken because of the preemption bound
    std::int64_t left = 0;   // alternatives not reached because of the cap (each is >= 1 schedule)
    std::int64_t cut = 0;    // schedules cut at maxSteps
    std::vector<ExploredOutcome> outcomes; // by key
    double wallMs = 0;
    int searchedBound = -1; // the caller's note: the preemption bound of this search

    QJsonObject toJson(const std::optional<int>& bound, std::int64_t cap) const;
};

// The lesson `id` with parameter values `values` (its schema's order).
ExploreResult explore(const QString& id, const std::vector<double>& values, const ExploreOptions& options);

// One run in step mode following `schedule`, then the default rule (the last thread goes on while
// it can, else the lowest lane): the outcome, how it ended, and the whole schedule taken.
struct ScheduledRun
{
    QString error;
    QJsonObject outcome;
    QString ended;
    std::vector<std::uint32_t> schedule;
    std::vector<QString> steps; // "worker-1: read counter", one per step taken
};
ScheduledRun runSchedule(const QString& id, const std::vector<double>& values,
                         const std::vector<std::uint32_t>& schedule, std::int64_t maxSteps = 10'000);

QString scheduleText(const std::vector<std::uint32_t>& schedule); // "1,2,1,2"
// scheduleText() read back: lane numbers separated by commas (spaces allowed, none: empty). On a
// part that is not a lane number, nullopt with that part in *bad.
std::optional<std::vector<std::uint32_t>> parseSchedule(const QString& text, QString* bad = nullptr);

} // namespace interleave
