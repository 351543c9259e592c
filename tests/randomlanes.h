// Random thread lanes for the timeline's tests: state changes at mixed rates (bursts of short
// intervals, long waits), every state including Paused, appended in batches as a run would.
#pragma once

#include "testdata.h"
#include "tracestore.h"

#include <QRandomGenerator>

#include <vector>

namespace interleave::test {

struct RandomLane
{
    QRandomGenerator rng;
    std::uint32_t lane = 0;
    std::int64_t t = 0;
    int state = 0;
    bool begun = false;

    RandomLane(quint32 seed, std::uint32_t laneId, std::int64_t start)
        : rng(seed)
        , lane(laneId)
        , t(start)
    {
    }

    std::int64_t nextGap()
    {
        const quint32 r = rng.bounded(100u);
        if (r < 70)
            return 50 + rng.bounded(2'000);
        if (r < 95)
            return 2'000 + rng.bounded(50'000);
        return 50'000 + rng.bounded(2'000'000);
    }

    // `changes` state changes (the first batch begins the lane), appended to store.
    void append(TraceStore& store, int changes, bool end = false)
    {
        std::vector<TraceEvent> events;
        if (!begun) {
            events.push_back(ev(t, lane, EventKind::LaneBegin, ThreadState(state)));
            begun = true;
        }
        for (int i = 0; i < changes; ++i) {
            t += nextGap();
            state = (state + 1 + int(rng.bounded(ThreadStateCount - 1))) % ThreadStateCount;
            events.push_back(ev(t, lane, EventKind::State, ThreadState(state)));
        }
        t += nextGap();
        if (end)
            events.push_back(ev(t, lane, EventKind::LaneEnd, ThreadState(state)));
        store.append(events.data(), events.size());
        store.advanceTo(t); // the live edge: the open interval reaches it
        store.finishBatch();
    }
};

// The closed interval of lane holding t, or null (brute force: every interval is looked at).
inline const StateInterval* closedIntervalAt(const LaneData& lane, std::int64_t t)
{
    for (const StateInterval& s : lane.intervals) {
        if (s.start <= t && t < s.end)
            return &s;
    }
    return nullptr;
}

} // namespace interleave::test
