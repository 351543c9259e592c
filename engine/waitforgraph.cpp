// WaitForGraph: cycle search from the edge just added; the graph is small (threads + locks).
#include "waitforgraph.h"

#include "clock.h"

namespace interleave {

void WaitForGraph::setOwner(std::uint32_t lock, std::int64_t lane)
{
    std::lock_guard guard(m_mutex);
    if (lane < 0)
        m_owner.erase(lock);
    else
        m_owner[lock] = std::uint32_t(lane);
}

bool WaitForGraph::setWaiting(std::uint32_t lane, std::uint32_t lock)
{
    std::lock_guard guard(m_mutex);
    m_waiting[lane] = lock;
    // Follow lock -> owner -> the lock that owner waits for ... back to us?
    Cycle found;
    std::uint32_t currentLane = lane;
    std::uint32_t currentLock = lock;
    for (std::size_t steps = 0; steps <= m_waiting.size(); ++steps) {
        found.lanes.push_back(currentLane);
        found.locks.push_back(currentLock);
        const auto owner = m_owner.find(currentLock);
        if (owner == m_owner.end())
            return false;
        if (owner->second == lane) {
            if (!m_cycle) {
                found.detectedNs = monotonicNs();
                m_cycle = std::move(found);
            }
            return true;
        }
        const auto next = m_waiting.find(owner->second);
        if (next == m_waiting.end())
            return false;
        currentLane = owner->second;
        currentLock = next->second;
    }
    return false;
}

void WaitForGraph::clearWaiting(std::uint32_t lane)
{
    std::lock_guard guard(m_mutex);
    m_waiting.erase(lane);
}

std::optional<WaitForGraph::Cycle> WaitForGraph::cycle() const
{
    std::lock_guard guard(m_mutex);
    return m_cycle;
}

std::vector<WaitForGraph::Edge> WaitForGraph::edges() const
{
    std::lock_guard guard(m_mutex);
    std::vector<Edge> e;
    e.reserve(m_owner.size() + m_waiting.size());
    for (const auto& [lock, lane] : m_owner)
        e.push_back({lane, lock, false});
    for (const auto& [lane, lock] : m_waiting)
        e.push_back({lane, lock, true});
    return e;
}

} // namespace interleave
