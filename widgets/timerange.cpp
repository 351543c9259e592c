// TimeRange: the shared visible range and how it follows the live edge.
#include "timerange.h"

#include <algorithm>

namespace interleave {

namespace {
constexpr std::int64_t EmptyRunNs = 1'000'000'000; // an empty run: one second of nothing
}

TimeRange::TimeRange(QObject* parent)
    : QObject(parent)
{
}

TimeRange::~TimeRange() = default;

void TimeRange::setRange(std::int64_t t0, std::int64_t t1)
{
    m_wholeRun = false;
    apply(t0, t1);
}

void TimeRange::setFollowLive(bool follow)
{
    const bool was = m_follow;
    m_follow = follow;
    m_wholeRun = false;
    if (follow)
        slide();
    if (was != follow) {
        Q_EMIT changed();
        Q_EMIT followLiveChanged(follow);
    }
}

void TimeRange::followWholeRun()
{
    const bool was = m_follow;
    m_follow = true;
    m_wholeRun = true;
    slide();
    if (!was) {
        Q_EMIT changed();
        Q_EMIT followLiveChanged(true);
    }
}

void TimeRange::setLiveEnd(std::int64_t end)
{
    m_liveEnd = end;
    if (m_follow)
        slide();
}

void TimeRange::slide()
{
    if (m_wholeRun) {
        apply(0, m_liveEnd > 0 ? m_liveEnd : EmptyRunNs);
        return;
    }
    const std::int64_t span = m_end - m_start;
    // Until the run is longer than the range, show it from its start; then keep the live edge a
    // little inside the right border.
    if (m_liveEnd < std::int64_t(double(span) * 0.95)) {
        apply(0, span);
        return;
    }
    const std::int64_t end = m_liveEnd + std::int64_t(double(span) * 0.05);
    apply(end - span, end);
}

void TimeRange::apply(std::int64_t t0, std::int64_t t1)
{
    t1 = std::max(t1, t0 + 1);
    if (t0 == m_start && t1 == m_end)
        return;
    m_start = t0;
    m_end = t1;
    Q_EMIT changed();
}

TimeRangeLink::TimeRangeLink(QObject* view, std::function<void(TimeRange&)> connect)
    : m_view(view)
    , m_own(new TimeRange(view))
    , m_connect(std::move(connect))
{
    m_connect(*m_own);
}

bool TimeRangeLink::set(TimeRange* shared)
{
    if (shared == m_own)
        shared = nullptr;
    if (shared == m_shared.data())
        return false;
    if (m_shared)
        QObject::disconnect(m_shared, nullptr, m_view, nullptr);
    m_shared = shared;
    if (shared)
        m_connect(*shared);
    return true;
}

} // namespace interleave
