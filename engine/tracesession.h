// Everything one run records: its lanes (one ring each), its traced objects and printed text.
#pragma once

#include "clock.h"
#include "eventring.h"
#include "traceevent.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace interleave {

// The recording side of one lane. Only the thread that owns the lane calls record();
// it is a timestamp and a store into the lane's own ring, nothing more.
class LaneRecorder
{
public:
    LaneRecorder(std::uint32_t lane, std::size_t ringCapacity);

    void record(EventKind kind, ThreadState state, std::uint32_t object = 0, std::int64_t value = 0,
                std::uint32_t aux = 0) noexcept
    {
        recordAt(monotonicNs(), kind, state, object, value, aux);
    }

    void recordAt(std::int64_t t, EventKind kind, ThreadState state, std::uint32_t object = 0,
                  std::int64_t value = 0, std::uint32_t aux = 0) noexcept
    {
        m_state = state;
        TraceEvent* e = m_ring.claim();
        if (!e)
            return;
        e->t = t;
        e->value = value;
        e->lane = m_lane;
        e->object = object;
        e->kind = kind;
        e->state = state;
        e->flags = 0;
        e->aux = aux;
        m_ring.publish();
    }

    // Records a State event only when the state really changes.
    void setState(ThreadState s) noexcept
    {
        if (s != m_state)
            record(EventKind::State, s);
    }

    ThreadState state() const noexcept { return m_state; }
    std::uint32_t lane() const noexcept { return m_lane; }
    EventRing& ring() noexcept { return m_ring; }
    const EventRing& ring() const noexcept { return m_ring; }

    // The recorder of the calling thread, or nullptr when the thread is not traced.
    static LaneRecorder* current() noexcept { return t_current; }
    static void setCurrent(LaneRecorder* r) noexcept { t_current = r; }

private:
    const std::uint32_t m_lane;
    ThreadState m_state = ThreadState::Idle;
    EventRing m_ring;
    static thread_local LaneRecorder* t_current;
};

struct LaneInfo
{
    std::uint32_t id = 0;
    QString name;
    LaneKind kind = LaneKind::Thread;
    std::unique_ptr<LaneRecorder> recorder;
    std::atomic<bool> finished{false}; // set (release) after the lane's last record
};

struct ObjectInfo
{
    std::uint32_t id = 0; // 1-based; 0 means "no object"
    QString name;
    ObjectKind kind = ObjectKind::Lock;
    std::int64_t capacity = 0; // queues: 0 = unbounded
};

class TraceSession
{
public:
    static constexpr std::size_t DefaultRingCapacity = std::size_t(1) << 17;

    explicit TraceSession(std::size_t ringCapacity = DefaultRingCapacity);
    ~TraceSession();

    // Registration is rare (a thread start, a lock's construction) and takes a mutex.
    LaneRecorder* addLane(const QString& name, LaneKind kind);
    void finishLane(std::uint32_t lane);
    std::uint32_t addObject(const QString& name, ObjectKind kind, std::int64_t capacity = 0);
    std::uint32_t addText(const QString& text);

    QString text(std::uint32_t id) const;
    std::size_t textCount() const;
    std::int64_t startNs() const noexcept { return m_startNs; }

    // For the collector: a stable pointer per lane (lanes live as long as the session).
    std::size_t laneCount() const;
    LaneInfo* lane(std::size_t index) const;
    std::vector<ObjectInfo> objects(std::size_t from = 0) const;

    std::uint64_t droppedTotal() const;

private:
    const std::int64_t m_startNs;
    const std::size_t m_ringCapacity;
    mutable std::mutex m_mutex;
    std::deque<std::unique_ptr<LaneInfo>> m_lanes;
    std::vector<ObjectInfo> m_objects;
    std::vector<QString> m_texts;
};

} // namespace interleave
