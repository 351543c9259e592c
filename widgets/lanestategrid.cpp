// LaneStateGrid: one byte per grid point, at most about two points per interval (plus a slack),
// so a frame reads a few bytes per pixel column instead of searching the intervals.
#include "lanestategrid.h"

#include "tracestore.h"

#include <algorithm>

namespace interleave {

namespace {

// ceil(t / 2^shift), also for negative t (>> floors).
std::int64_t ceilShift(std::int64_t t, int shift)
{
    return -((-t) >> shift);
}

} // namespace

void LaneStateGrid::reset()
{
    m_shift = 0;
    m_first = 0;
    m_states.clear();
    m_begin = 0;
    m_end = 0;
    m_started = false;
}

void LaneStateGrid::update(const LaneData& lane)
{
    const auto& iv = lane.intervals;
    // Another lane under the same index (the store was refilled), or fewer intervals than were
    // taken in: start again.
    if (m_started && (!lane.begun || lane.begin != m_begin || iv.empty() || iv.back().end < m_end))
        reset();
    if (iv.empty())
        return;
    if (!m_started) {
        m_started = true;
        m_begin = lane.begin;
        m_end = iv.front().start;
        m_first = ceilShift(m_end, m_shift);
    }
    dropBefore(iv.front().start); // aged out by the history cap: no longer known
    if (iv.back().end <= m_end)
        return;

    // A point every step costs memory in a lane that idles for long: keep at most about two
    // points per interval by doubling the step (the grid stays exact at its points).
    const std::size_t budget = 2 * iv.size() + Slack;
    while (ceilShift(iv.back().end, m_shift) - m_first > std::int64_t(budget))
        coarsen();

    auto it = std::upper_bound(iv.begin(), iv.end(), m_end,
                               [](std::int64_t t, const StateInterval& s) { return t < s.end; });
    std::int64_t k = m_first + std::int64_t(m_states.size());
    m_states.reserve(std::size_t(ceilShift(iv.back().end, m_shift) - m_first));
    for (; it != iv.end(); ++it) {
        const std::int64_t stop = ceilShift(it->end, m_shift);        // points before its end
        const std::int64_t start = std::min(ceilShift(it->start, m_shift), stop);
        if (k < start) {
            m_states.insert(m_states.end(), std::size_t(start - k), NotAlive); // a gap before it
            k = start;
        }
        if (k < stop) {
            m_states.insert(m_states.end(), std::size_t(stop - k), std::uint8_t(it->state));
            k = stop;
        }
    }
    m_end = iv.back().end;
}

void LaneStateGrid::coarsen()
{
    // Point k' of the doubled step is point 2k' of this one.
    const std::int64_t first = -((-m_first) >> 1);
    const std::int64_t last = -((-(m_first + std::int64_t(m_states.size()))) >> 1);
    std::size_t out = 0;
    for (std::int64_t k = first; k < last; ++k)
        m_states[out++] = m_states[std::size_t(2 * k - m_first)];
    m_states.resize(out);
    m_first = first;
    ++m_shift;
}

void LaneStateGrid::dropBefore(std::int64_t t)
{
    const std::int64_t n = std::min<std::int64_t>(ceilShift(t, m_shift) - m_first, std::int64_t(m_states.size()));
    if (n > 0) {
        m_states.erase(m_states.begin(), m_states.begin() + n);
        m_first += n;
    } else if (m_states.empty()) {
        m_first = std::max(m_first, ceilShift(t, m_shift));
    }
}

} // namespace interleave
