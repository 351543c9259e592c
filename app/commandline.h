// The command line of DESIGN.md section 5: parsing into Options, with one clear line per error.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace interleave {

struct Options
{
    enum class Mode { Gui, Headless, ListScenarios, Help, Version };

    Mode mode = Mode::Gui;
    bool json = false;
    QString scenario;
    std::vector<double> values; // the scenario's parameters, defaults with --set applied
    double speed = 1.0;
    bool speedGiven = false; // --speed was given (otherwise the window keeps the remembered speed)
    double durationS = 10.0;
    QString summaryOut; // empty: none; "-": stdout
    QString traceOut;   // Chrome Trace Event JSON of the run (headless)
    QString csvOut;     // the statistics tables as CSV (headless)
    QString open;       // a trace (.json) or session (.interleave) to open instead of a lesson
    bool autostart = false;
    QString screenshot; // GUI: grab the window into this PNG, then quit
    int quitAfterMs = -1; // GUI: quit after this long (with --screenshot: grab first)
    // Experiments (headless): each setting run `repeat` times; with a sweep, the parameter
    // sweepKey takes every value from sweepFrom to sweepTo in steps of sweepStep.
    int repeat = 1;
    QString sweepKey;
    std::vector<double> sweepValues;
    bool isExperiment() const { return repeat > 1 || !sweepKey.isEmpty(); }
    // A lesson's question (headless): --question N (1-based; 0: none), whose settings and speed
    // `values` and `speed` already hold; --predict: the choices predicted (0-based), or the guess
    // of a number question.
    int question = 0;
    // --compare A B (headless): two traces Interleave wrote, summarised with their differences.
    QString compareA;
    QString compareB;
    bool isComparison() const { return !compareA.isEmpty(); }
    std::vector<int> predicted;
    std::optional<double> guess;
    // --python script.py [args...]: a real Python program, traced (engine/pythonprogram.h); every
    // argument after the script is the program's own.
    QString python;
    QStringList pythonArgs;
    bool pythonCalls = false; // --calls: the program's function calls as slices too
    // Scheduling by hand (stepgate.h): --step (the window starts in step mode), --schedule (the
    // lanes that step first, in order), --seed (then random choices), --explore (every schedule,
    // within --preemptions and --max-schedules).
    bool step = false;
    std::optional<std::vector<std::uint32_t>> schedule;
    std::optional<std::uint64_t> seed;
    bool explore = false;
    std::optional<int> preemptions;
    std::int64_t maxSchedules = 100'000;
    bool isScheduled() const { return step || schedule || seed; }
};

struct ParseResult
{
    std::optional<Options> options;
    QString error; // one line, when options is empty
};

// Parses arguments (including argv[0]). Never exits; the caller prints and picks exit codes.
ParseResult parseCommandLine(const QStringList& arguments);

QString helpText();
// Text table, or JSON ("interleave.scenarios/1") with every schema.
QString scenarioListing(bool json);

} // namespace interleave
