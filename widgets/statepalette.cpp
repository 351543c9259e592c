// StatePalette: per-lane colours and the dark-theme adjustment.
#include "statepalette.h"

namespace interleave {

QColor StatePalette::lane(int index, const QPalette& palette)
{
    static const QColor colours[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                                     QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
                                     QColor(0x88, 0x88, 0x88), QColor(0x99, 0x66, 0x00)};
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
