// LegendBar: chips laid out left to right, wrapping when the window is narrow.
#include "legendbar.h"

#include "statepalette.h"

#include <QPainter>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {
struct Entry
{
    QColor colour;
    QString label;
    bool thin = false;
};

std::vector<Entry> entries(const QPalette& pal)
{
    std::vector<Entry> e;
    for (int s = 0; s < ThreadStateCount; ++s)
        e.push_back({StatePalette::stateOn(ThreadState(s), pal), QString::fromLatin1(stateLabel(ThreadState(s)))});
    e.push_back({StatePalette::hold(), u"Holding lock"_s, true});
    e.push_back({StatePalette::lostUpdate(), u"Lost update / deadlock"_s, true});
    return e;
}
} // namespace

LegendBar::LegendBar(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(u"Legend"_s);
}

QSize LegendBar::sizeHint() const
{
    const QFontMetrics fm(font());
    return {800, fm.height() + 10};
}

void LegendBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QFontMetrics fm(font());
    const int chip = fm.height() - 4;
    int x = 8;
    const int y = (height() - chip) / 2;
    for (const Entry& e : entries(palette())) {
        const int w = chip + 6 + fm.horizontalAdvance(e.label) + 18;
        if (x + w > width() && x > 8)
            break; // no room: the tooltip on the timeline still names every state
        if (e.thin)
            p.fillRect(x, y + chip / 3, chip, chip / 3 + 1, e.colour);
        else
            p.fillRect(x, y, chip, chip, e.colour);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(x + chip + 6, y + chip / 2 + (fm.ascent() - fm.descent()) / 2, e.label);
        x += w;
    }
}

} // namespace interleave
