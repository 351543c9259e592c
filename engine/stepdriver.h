// Steps a run in step mode by rule, on a thread of its own: a schedule given (--schedule), then
// seeded random choices (--seed) or, by default, the thread that stepped last goes on while it
// can, else the lowest lane that can. Used headless and by the explorer; the window steps by hand.
#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace interleave {

class RunContext;
class StepGate;
struct StepSnapshot;

struct SchedulePolicy
{
    bool manual = true;                    // someone grants steps by hand (no driver)
    std::vector<std::uint32_t> schedule;   // lanes to step first, in order
    std::optional<std::uint64_t> seed;     // then random choices, reproducible
    std::int64_t maxSteps = 1'000'000;     // a lesson that loops for ever is cut here
};

// The choice the default rule makes: the last lane again when it can step, else the lowest.
std::optional<std::uint32_t> defaultChoice(const StepSnapshot& snapshot, std::optional<std::uint32_t> last);

class StepDriver
{
public:
    StepDriver(RunContext& ctx, SchedulePolicy policy);
    ~StepDriver(); // stops and joins its thread

    // Why the schedule could not be followed (a lane that could not step then); empty when fine.
    QString error() const;
    // The run reached maxSteps and was stopped.
    bool cut() const { return m_cut.load(); }

private:
    void drive();

    RunContext& m_ctx;
    StepGate& m_gate;
    const SchedulePolicy m_policy;
    std::atomic<bool> m_quit{false};
    std::atomic<bool> m_cut{false};
    mutable std::mutex m_mutex;
    QString m_error;
    std::thread m_thread;
};

} // namespace interleave
