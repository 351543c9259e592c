// The wait-for graph at one moment, as a value with its names resolved: who holds which lock,
// who waits for which, and the deadlock cycle if one formed. What the views draw; no engine type.
#pragma once

#include <QString>

#include <cstdint>
#include <map>
#include <vector>

namespace interleave {

struct WaitSnapshot
{
    struct Edge
    {
        std::uint32_t lane = 0;
        std::uint32_t lock = 0;
        bool waits = false; // true: lane waits for lock; false: lane holds lock
        bool operator==(const Edge&) const = default;
    };
    std::vector<Edge> edges;
    // The cycle, when one formed: cycleLanes[i] waits for cycleLocks[i], which cycleLanes[i + 1]
    // holds (and the last lane's lock is held by the first). Empty: no deadlock.
    std::vector<std::uint32_t> cycleLanes;
    std::vector<std::uint32_t> cycleLocks;
    std::map<std::uint32_t, QString> laneNames; // every lane and lock the edges and the cycle mention
    std::map<std::uint32_t, QString> lockNames;

    bool hasCycle() const { return !cycleLanes.empty() && cycleLanes.size() == cycleLocks.size(); }
    QString laneName(std::uint32_t id) const;
    QString lockName(std::uint32_t id) const;
    bool operator==(const WaitSnapshot&) const = default;
};

} // namespace interleave
