// TraceSession: registration of lanes, objects and text.
#include "tracesession.h"

namespace interleave {

thread_local LaneRecorder* LaneRecorder::t_current = nullptr;

LaneRecorder::LaneRecorder(std::uint32_t lane, std::size_t ringCapacity)
    : m_lane(lane)
    , m_ring(ringCapacity)
{
}

TraceSession::TraceSession(std::size_t ringCapacity)
    : m_startNs(monotonicNs())
    , m_ringCapacity(ringCapacity)
{
}

TraceSession::~TraceSession() = default;

LaneRecorder* TraceSession::addLane(const QString& name, LaneKind kind)
{
    auto info = std::make_unique<LaneInfo>();
    std::lock_guard lock(m_mutex);
    info->id = std::uint32_t(m_lanes.size());
    info->name = name;
    info->kind = kind;
    info->recorder = std::make_unique<LaneRecorder>(info->id, m_ringCapacity);
    LaneRecorder* r = info->recorder.get();
    m_lanes.push_back(std::move(info));
    return r;
}

void TraceSession::finishLane(std::uint32_t lane)
{
    std::lock_guard lock(m_mutex);
    if (lane < m_lanes.size())
        m_lanes[lane]->finished.store(true, std::memory_order_release);
}

std::uint32_t TraceSession::addObject(const QString& name, ObjectKind kind, std::int64_t capacity)
{
    std::lock_guard lock(m_mutex);
    ObjectInfo o;
    o.id = std::uint32_t(m_objects.size() + 1);
    o.name = name;
    o.kind = kind;
    o.capacity = capacity;
    m_objects.push_back(o);
    return o.id;
}

std::uint32_t TraceSession::addText(const QString& text)
{
    std::lock_guard lock(m_mutex);
    m_texts.push_back(text);
    return std::uint32_t(m_texts.size() - 1);
}

QString TraceSession::text(std::uint32_t id) const
{
    std::lock_guard lock(m_mutex);
    return id < m_texts.size() ? m_texts[id] : QString();
}

std::size_t TraceSession::textCount() const
{
    std::lock_guard lock(m_mutex);
    return m_texts.size();
}

std::size_t TraceSession::laneCount() const
{
    std::lock_guard lock(m_mutex);
    return m_lanes.size();
}

LaneInfo* TraceSession::lane(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    return index < m_lanes.size() ? m_lanes[index].get() : nullptr;
}

std::vector<ObjectInfo> TraceSession::objects(std::size_t from) const
{
    std::lock_guard lock(m_mutex);
    if (from >= m_objects.size())
        return {};
    return {m_objects.begin() + std::ptrdiff_t(from), m_objects.end()};
}

std::uint64_t TraceSession::droppedTotal() const
{
    std::lock_guard lock(m_mutex);
    std::uint64_t n = 0;
    for (const auto& l : m_lanes)
        n += l->recorder->ring().dropped();
    return n;
}

} // namespace interleave
