// Horizontal runs of one colour gathered and filled with one fillRect each (holds, the GIL lane).
#pragma once

#include <QColor>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace interleave {

class RunPainter
{
public:
    RunPainter(QPainter& p, int y, int h, int& fills)
        : m_p(p)
        , m_y(y)
        , m_h(h)
        , m_fills(fills)
    {
    }
    ~RunPainter() { flush(); }
    RunPainter(const RunPainter&) = delete;
    RunPainter& operator=(const RunPainter&) = delete;

    void add(double x0, double x1, const QColor& c)
    {
        if (m_open && c == m_colour && x0 <= m_x1 + 0.5) {
            m_x1 = std::max(m_x1, x1);
            return;
        }
        flush();
        m_open = true;
        m_x0 = x0;
        m_x1 = x1;
        m_colour = c;
    }

    void flush()
    {
        if (!m_open)
            return;
        const int a = int(std::floor(m_x0));
        const int b = std::max(a + 1, int(std::ceil(m_x1)));
        m_p.fillRect(a, m_y, b - a, m_h, m_colour);
        ++m_fills;
        m_open = false;
    }

private:
    QPainter& m_p;
    const int m_y;
    const int m_h;
    int& m_fills;
    bool m_open = false;
    double m_x0 = 0;
    double m_x1 = 0;
    QColor m_colour;
};

} // namespace interleave
