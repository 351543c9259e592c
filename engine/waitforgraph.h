// The wait-for graph of threads and locks: who holds which lock, who waits for which. A wait
// that closes a cycle is a deadlock, found the moment it forms.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace interleave {

class WaitForGraph
{
public:
    struct Cycle
    {
        // lanes[i] waits for locks[i], which lanes[i + 1] holds (and the last lane's lock is
        // held by lanes[0]).
        std::vector<std::uint32_t> lanes;
        std::vector<std::uint32_t> locks;
        std::int64_t detectedNs = 0; // monotonic clock
    };

    struct Edge
    {
        std::uint32_t lane = 0;
        std::uint32_t lock = 0;
        bool waits = false; // true: lane waits for lock; false: lane holds lock
    };

    void setOwner(std::uint32_t lock, std::int64_t lane); // lane < 0: free
    // Records that lane waits for lock; returns true when this wait closes a cycle (kept as
    // cycle(); the first cycle found is the one kept).
    bool setWaiting(std::uint32_t lane, std::uint32_t lock);
    void clearWaiting(std::uint32_t lane);

    std::optional<Cycle> cycle() const;
    std::vector<Edge> edges() const; // a snapshot, for drawing

private:
    // A freed lock or a lane that stopped waiting keeps its entry, marked None: a lock taken and
    // released millions of times a second allocated and freed a map node each time, from every
    // worker thread, and glibc's per-thread arenas grew with it (P7: resident memory up ~1 MB/s).
    static constexpr std::uint32_t None = UINT32_MAX;
    std::uint32_t ownerOf(std::uint32_t lock) const;
    std::uint32_t lockWaitedBy(std::uint32_t lane) const;

    mutable std::mutex m_mutex;
    std::unordered_map<std::uint32_t, std::uint32_t> m_owner;   // lock -> lane (None: free)
    std::unordered_map<std::uint32_t, std::uint32_t> m_waiting; // lane -> lock (None: not waiting)
    std::optional<Cycle> m_cycle;
};

} // namespace interleave
