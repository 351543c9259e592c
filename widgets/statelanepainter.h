// Draws a lane's thread states: one colour per pixel column, the state at the column's middle.
#pragma once

#include <QImage>

#include <cstddef>

class QPainter;

namespace interleave {

struct TimelineFrame;

class StateLanePainter
{
public:
    void paint(QPainter& p, TimelineFrame& f, std::size_t lane, int y);

private:
    QImage m_row; // one lane's pixel columns, reused from lane to lane and frame to frame
};

} // namespace interleave
