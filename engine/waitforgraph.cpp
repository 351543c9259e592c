// WaitForGraph: cycle search from the edge just added; the graph is small (threads + locks).
#include "waitforgraph.h"

#include "clock.h"

namespace interleave {

std::uint32_t WaitForGraph::ownerOf(std::uint32_t lock) const
{
    const auto it = m_owner.find(lock);
    return it == m_owner.end() ? None : it->second;
}

std::uint32_t WaitForGraph::lockWaitedBy(std::uint32_t lane) const
{
    const auto it = m_waiting.find(lane);
    return it == m_waiting.end() ? None : it->second;
}

void WaitForGraph::setOwner(std::uint32_t lock, std::int64_t lane)
{
    std::lock_guard guard(m_mutex);
    if (lane >= 0) {
        m_owner[lock] = std::uint32_t(lane);
    } else if (const auto it = m_owner.find(lock); it != m_owner.end()) {
        it->second = None;
    }
}

bool WaitForGraph::setWaiting(std::uint32_t lane, std::uint32_t lock)
{
    std::lock_guard guard(m_mutex);
    m_waiting[lane] = lock;
    // Follow lock -> owner -> the lock that owner waits for ... back to us? (No allocation on
    // the way: the cycle's lists are made only when there is one.)
    const std::size_t bound = m_waiting.size();
    std::uint32_t currentLock = lock;
    std::size_t length = 0;
    for (;; ++length) {
        if (length > bound)
            return false;
        const std::uint32_t owner = ownerOf(currentLock);
        if (owner == None)
            return false;
        if (owner == lane)
            break;
        currentLock = lockWaitedBy(owner);
        if (currentLock == None)
            return false;
    }
    if (!m_cycle) {
        Cycle found;
        std::uint32_t currentLane = lane;
        currentLock = lock;
        for (std::size_t k = 0; k <= length; ++k) {
            found.lanes.push_back(currentLane);
            found.locks.push_back(currentLock);
            currentLane = ownerOf(currentLock);
            currentLock = lockWaitedBy(currentLane);
        }
        found.detectedNs = monotonicNs();
        m_cycle = std::move(found);
    }
    return true;
}

void WaitForGraph::clearWaiting(std::uint32_t lane)
{
    std::lock_guard guard(m_mutex);
    if (const auto it = m_waiting.find(lane); it != m_waiting.end())
        it->second = None;
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
        if (lane != None)
            e.push_back({lane, lock, false});
    for (const auto& [lane, lock] : m_waiting)
        if (lock != None)
            e.push_back({lane, lock, true});
    return e;
}

} // namespace interleave
