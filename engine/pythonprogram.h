// A real Python program as a run: python3 under Interleave's tracer, its threads and processes as
// lanes, their states decided from the tracer's reports and the kernel's view of each thread.
#pragma once

#include "scenario.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>

namespace interleave {

struct PythonProgramSpec
{
    QString script;       // the program, as given (relative to workingDir)
    QStringList args;     // its own arguments
    QString python;       // python3 to use; empty: $INTERLEAVE_PYTHON, else python3 on PATH
    QString workingDir;   // empty: the current directory
    QString title;        // for the banner; empty: the script's file name
    bool calls = false;   // also the calls of the program's own functions, as slices (slower)
};

// The run's "scenario" in summaries and traces.
inline constexpr char ScenarioId[] = "python";
// The outcome as a sentence: "race.py exited with status 0, 5 threads: <its last line>".
QString pythonOutcomeSentence(const QJsonObject& outcome, bool running);

// The python3 to start, or an empty string with *error saying how to install one.
QString findPython3(const QString& preferred, QString* error);
// The folder of interleave_tracer.py and sitecustomize.py: $INTERLEAVE_TRACER_DIR, next to the
// executable (../share/interleave/tracer when installed), or the source tree's resources/tracer.
QString tracerDirectory();
// Checks what can be checked before a run (python3 found, the script readable, the tracer
// present); false with one line in *error. The command line exits with 2 on it.
bool checkPythonProgram(const PythonProgramSpec& spec, QString* error);

class PythonProgram : public Scenario
{
public:
    explicit PythonProgram(PythonProgramSpec spec);
    ~PythonProgram() override;

    // The run's description for the Runner ("python": no parameters; the GIL lane shown).
    static ScenarioEntry entry(const PythonProgramSpec& spec);

    void run(RunContext& ctx) override;
    QJsonObject outcome(const RunContext& ctx) const override;
    QString endReason() const override;

    // How often each thread's kernel state is read (the sampler's period).
    static constexpr std::int64_t SamplePeriodNs = 1'000'000;
    // Events are put on the lanes this long after they happened: the tracer writes what it
    // buffered within ~20 ms, and a lane's records must be in time order.
    static constexpr std::int64_t LagNs = 60'000'000;
    // Calls drawn at most (32 MB of slices); beyond, they are counted.
    static constexpr long long MaxCalls = 1'000'000;

private:
    class Tracker;
    const PythonProgramSpec m_spec;
    std::atomic<int> m_exitStatus{-1000}; // -1000: not exited; < 0: killed by that signal
    std::atomic<int> m_threads{0};
    std::atomic<int> m_processes{0};
    std::atomic<long long> m_gilSwitches{0};
    std::atomic<long long> m_samples{0};
    std::atomic<long long> m_calls{0};
    std::atomic<long long> m_callsShort{0};
    std::atomic<long long> m_callsOverCap{0};
    std::atomic<bool> m_stopped{false};
    mutable std::mutex m_mutex;
    QString m_lastLine; // the program's last line of output
    QString m_error;    // why it could not start
};

} // namespace interleave
