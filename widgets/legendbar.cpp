// LegendBar: chips laid out left to right, wrapping when the window is narrow.
#include "legendbar.h"

#include "statepalette.h"

#include <QEvent>
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
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true); // rows of chips: narrower means taller
    setSizePolicy(policy);
}

// Where each chip goes at this width: left to right, a new row when the next one does not fit.
std::vector<QPoint> LegendBar::layoutFor(int width, int* rows) const
{
    const QFontMetrics fm(font());
    const int chip = fm.height() - 4;
    const int rowHeight = fm.height() + 6;
    std::vector<QPoint> at;
    int x = 8;
    int row = 0;
    for (const Entry& e : entries(palette())) {
        const int w = chip + 6 + fm.horizontalAdvance(e.label) + 18;
        if (x + w > width && x > 8) {
            x = 8;
            ++row;
        }
        at.emplace_back(x, 3 + row * rowHeight);
        x += w;
    }
    if (rows)
        *rows = row + 1;
    return at;
}

int LegendBar::heightForWidth(int width) const
{
    int rows = 1;
    layoutFor(width, &rows);
    return rows * (QFontMetrics(font()).height() + 6) + 4;
}

QSize LegendBar::sizeHint() const
{
    return {800, heightForWidth(800)};
}

void LegendBar::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QFontMetrics fm(font());
    const int chip = fm.height() - 4;
    const std::vector<Entry> all = entries(palette());
    const std::vector<QPoint> at = layoutFor(width(), nullptr);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Entry& e = all[i];
        const int x = at[i].x();
        const int y = at[i].y() + (fm.height() - chip) / 2;
        if (e.thin)
            p.fillRect(x, y + chip / 3, chip, chip / 3 + 1, e.colour);
        else
            p.fillRect(x, y, chip, chip, e.colour);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(x + chip + 6, y + chip / 2 + (fm.ascent() - fm.descent()) / 2, e.label);
    }
}

void LegendBar::changeEvent(QEvent* e)
{
    QWidget::changeEvent(e);
    if (e->type() == QEvent::FontChange)
        updateGeometry(); // taller text, maybe more rows
}

} // namespace interleave
