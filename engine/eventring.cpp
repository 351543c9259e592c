// EventRing construction; the hot paths are inline in the header.
#include "eventring.h"

#include <bit>
#include <new>

namespace interleave {

EventRing::EventRing(std::size_t capacity)
    : m_capacity(std::bit_ceil(std::max<std::uint64_t>(capacity, 2)))
    , m_mask(m_capacity - 1)
    // Raw memory on purpose (TraceEvent is an implicit-lifetime aggregate): pages are only
    // touched as events arrive, so a lane that records little costs little.
    , m_buffer(static_cast<TraceEvent*>(std::malloc(m_capacity * sizeof(TraceEvent))))
{
    if (!m_buffer)
        throw std::bad_alloc();
}

} // namespace interleave
