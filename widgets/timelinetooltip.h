// The timeline's tooltip text: the state, holder or slice under the pointer, with its duration.
#pragma once

#include <QString>

#include <cstdint>

namespace interleave {

class TraceStore;
struct LaneData;
struct TimelineRow;
struct TimeMapping;

class TimelineToolTip
{
public:
    TimelineToolTip(const TraceStore& store, const TimeMapping& map, int laneHeight);

    // The text at time t and widget height y over row; empty when there is nothing to say.
    QString text(const TimelineRow& row, int y, std::int64_t t) const;

private:
    QString gilText(std::int64_t t, const QString& at) const;
    QString sliceText(const LaneData& lane, int rowY, int y, std::int64_t t) const;
    QString stateText(std::size_t laneIndex, std::int64_t t, const QString& at) const;
    QString objectName(std::uint32_t id) const;

    const TraceStore& m_store;
    const TimeMapping& m_map;
    const int m_laneHeight;
};

} // namespace interleave
