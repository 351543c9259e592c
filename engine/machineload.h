// How busy the machine was during a run: the cores it has, what this program used, and what
// other programs took (the system's CPU accounting less our own), so that a speedup measured on
// a busy machine says so.
#pragma once

#include <QJsonObject>

#include <cstdint>
#include <optional>

namespace interleave {

struct MachineLoad
{
    int cores = 0;            // CPUs this process may run on
    double wallMs = 0;        // between the two readings
    double ownCores = 0;      // CPU time of this process and its reaped children / wall time
    double othersCores = 0;   // CPU time of everything else / wall time

    // Other programs used enough of the machine to change a lesson's timings.
    bool busy() const { return othersCores >= 0.25; }
    QJsonObject toJson() const;                        // {"cores", "run_cores", "others_cores"}
    static std::optional<MachineLoad> fromJson(const QJsonObject& o);
    QString sentence() const; // "other programs used 0.7 of 2 cores during this run"
};

// Readings of the system's and this process's CPU time, taken at a run's start and end.
class MachineLoadMeter
{
public:
    void start();
    // Empty where the platform does not tell (no /proc), or before start().
    std::optional<MachineLoad> finish() const;

private:
    struct Reading
    {
        std::int64_t wallNs = 0;
        std::int64_t busyTicks = -1; // all CPUs, user + nice + system + irq + softirq + steal
        std::int64_t ownTicks = -1;  // this process and its reaped children
    };
    static Reading read();
    Reading m_start;
};

} // namespace interleave
