// A lane's state sampled at every multiple of a power-of-two step, kept up to date as intervals
// arrive: the timeline's level of detail when a pixel column spans several steps.
#pragma once

#include "traceevent.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace interleave {

struct LaneData;

class LaneStateGrid
{
public:
    // A grid point where the lane was not alive (a gap, or before what the grid holds).
    static constexpr std::uint8_t NotAlive = 0xff;
    // Points the grid may hold beyond two per interval: a young lane keeps a fine step.
    static constexpr std::size_t Slack = 4096;

    // Takes in the closed intervals appended since the last call (the lane's intervals only grow
    // at the end; aged-out ones leave at the front). A different lane, or one restarted: reset().
    void update(const LaneData& lane);
    void reset();

    int stepShift() const { return m_shift; }
    std::int64_t step() const { return std::int64_t(1) << m_shift; }
    // The state at time k * step(), or NotAlive when the lane was not alive then or the grid does
    // not hold it (before its first point, at or after the end of the last interval taken in).
    std::uint8_t at(std::int64_t k) const
    {
        const std::int64_t i = k - m_first;
        return i >= 0 && i < std::int64_t(m_states.size()) ? m_states[std::size_t(i)] : NotAlive;
    }
    std::size_t points() const { return m_states.size(); }
    // The end of the last interval taken in (points at or after it are not held).
    std::int64_t coveredEnd() const { return m_end; }

private:
    void coarsen(); // doubles the step, keeping every other point
    void dropBefore(std::int64_t t);

    int m_shift = 0;
    std::int64_t m_first = 0; // grid index of m_states[0]
    std::vector<std::uint8_t> m_states;
    std::int64_t m_begin = 0;   // the lane's begin when the grid was started
    std::int64_t m_end = 0;     // end of the last interval taken in
    bool m_started = false;
};

} // namespace interleave
