// The colours of states, holds and markers (DESIGN.md section 3, Okabe-Ito), in one place.
#pragma once

#include "traceevent.h"

#include <QColor>
#include <QPalette>

namespace interleave {

// Colour-blind-safe state colours; the same in light and dark themes (they were chosen to read
// on both). Text and grid colours follow the widget palette.
struct StatePalette
{
    static QColor state(ThreadState s)
    {
        switch (s) {
        case ThreadState::Running: return QColor(0x00, 0x72, 0xB2);      // blue
        case ThreadState::Ready: return QColor(0x56, 0xB4, 0xE9);        // sky blue
        case ThreadState::Sleeping: return QColor(0x00, 0x9E, 0x73);     // green
        case ThreadState::WaitingLock: return QColor(0xD5, 0x5E, 0x00);  // vermillion
        case ThreadState::WaitingGil: return QColor(0xE6, 0x9F, 0x00);   // orange
        case ThreadState::BlockedQueue: return QColor(0xCC, 0x79, 0xA7); // reddish purple
        case ThreadState::Idle: return QColor(0xDD, 0xDD, 0xDD);         // grey
        case ThreadState::Paused: return QColor(0xBB, 0xBB, 0xBB);       // darker grey, hatched
        case ThreadState::Count: break;
        }
        return QColor(0x99, 0x99, 0x99);
    }
    static QColor hold() { return QColor(0xF0, 0xE4, 0x42); }       // yellow
    static QColor lostUpdate() { return QColor(0xCC, 0x00, 0x00); } // red
    static QColor deadlock() { return QColor(0xCC, 0x00, 0x00); }
    // A distinct colour per lane (the GIL lane's holder, console text), readable on the palette's
    // base, and none of the states' colours.
    static QColor lane(int index, const QPalette& palette);
    // Idle grey on a dark background is too bright: dim it there.
    static QColor stateOn(ThreadState s, const QPalette& palette);
};

} // namespace interleave
