// StatePalette: per-lane colours and the dark-theme adjustment.
#include "statepalette.h"

namespace interleave {

QColor StatePalette::lane(int index, const QPalette& palette)
{
    // None of the states' colours: on the GIL lane a colour says who holds it, not a state.
    static const QColor colours[] = {QColor(0x33, 0x22, 0x88), QColor(0x88, 0x22, 0x55), QColor(0x99, 0x99, 0x33),
                                     QColor(0x66, 0x11, 0x00), QColor(0x66, 0xA6, 0x1E), QColor(0x7B, 0x32, 0x94),
                                     QColor(0xAA, 0x77, 0x44), QColor(0xE7, 0x29, 0x8A)};
    QColor c = colours[std::size_t(index) % std::size(colours)];
    if (palette.color(QPalette::Base).lightness() < 128)
        c = c.lighter(140);
    return c;
}

QColor StatePalette::stateOn(ThreadState s, const QPalette& palette)
{
    if (s == ThreadState::Idle && palette.color(QPalette::Base).lightness() < 128)
        return QColor(0x55, 0x55, 0x55);
    return state(s);
}

} // namespace interleave
