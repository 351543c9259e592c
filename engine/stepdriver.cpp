// StepDriver: waits for the run to be quiet, chooses, grants; until every thread is done.
#include "stepdriver.h"

#include "runcontext.h"
#include "stepgate.h"

#include <algorithm>
#include <random>

using namespace Qt::StringLiterals;

namespace interleave {

std::optional<std::uint32_t> defaultChoice(const StepSnapshot& snapshot, std::optional<std::uint32_t> last)
{
    std::optional<std::uint32_t> lowest;
    for (const StepOffer& o : snapshot.offers) {
        if (!o.enabled)
            continue;
        if (last && o.lane == *last)
            return o.lane; // no preemption unless it must
        if (!lowest)
            lowest = o.lane;
    }
    return lowest;
}

StepDriver::StepDriver(RunContext& ctx, SchedulePolicy policy)
    : m_ctx(ctx)
    , m_gate(*ctx.stepGate())
    , m_policy(std::move(policy))
    , m_thread([this] { drive(); })
{
}

StepDriver::~StepDriver()
{
    m_quit.store(true);
    m_gate.wakeAll();
    m_thread.join();
}

QString StepDriver::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void StepDriver::drive()
{
    std::optional<std::mt19937_64> rng;
    if (m_policy.seed)
        rng.emplace(*m_policy.seed);
    std::optional<std::uint32_t> last;
    std::size_t next = 0;
    while (!m_quit.load() && !m_ctx.stopRequested() && !m_gate.released()) {
        const StepSnapshot s = m_gate.waitQuiet(50'000'000);
        if (!s.quiet)
            continue;
        if (s.allFinished)
            return;
        std::vector<std::uint32_t> enabled;
        for (const StepOffer& o : s.offers) {
            if (o.enabled)
                enabled.push_back(o.lane);
        }
        if (enabled.empty()) {
            // Nobody can step: the real primitives take over and show why (a deadlock, a full queue).
            m_gate.release();
            return;
        }
        if (s.steps >= m_policy.maxSteps) {
            m_cut.store(true);
            m_ctx.requestStop();
            return;
        }
        std::optional<std::uint32_t> choice;
        if (next < m_policy.schedule.size()) {
            const std::uint32_t want = m_policy.schedule[next];
            if (std::find(enabled.begin(), enabled.end(), want) == enabled.end()) {
                QString why = u"no such thread"_s;
                for (const StepOffer& o : s.offers) {
                    if (o.lane == want)
                        why = u"its next step, %1, cannot be taken then"_s.arg(o.text);
                }
                std::lock_guard lock(m_mutex);
                m_error = u"step %1 of the schedule names thread %2, which cannot step: %3"_s.arg(next + 1).arg(want).arg(why);
                m_ctx.requestStop();
                return;
            }
            choice = want;
            ++next;
        } else if (rng) {
            choice = enabled[std::uniform_int_distribution<std::size_t>(0, enabled.size() - 1)(*rng)];
        } else {
            choice = defaultChoice(s, last);
        }
        if (m_gate.grant(*choice))
            last = choice;
    }
}

} // namespace interleave
