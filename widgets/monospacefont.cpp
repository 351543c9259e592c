// monospaceFont: try candidates, keep the first whose glyph advances are all equal.
#include "monospacefont.h"

#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetricsF>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

bool hasFixedAdvances(const QFont& font)
{
    const QFontMetricsF fm(font);
    const double reference = fm.horizontalAdvance(u'M');
    if (reference <= 0)
        return false;
    for (const QChar c : u"il1.|WmM@ _0"_s) {
        if (std::abs(fm.horizontalAdvance(c) - reference) > 0.01 * reference)
            return false;
    }
    return true;
}

QFont monospaceFont(const QStringList& preferred)
{
    const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    QList<QFont> candidates;
    for (const QString& family : preferred)
        candidates << QFont(family);
    candidates << system;
    for (const QString& family : {u"DejaVu Sans Mono"_s, u"Liberation Mono"_s, u"Noto Mono"_s, u"Noto Sans Mono"_s,
                                  u"Cousine"_s, u"Ubuntu Mono"_s, u"Hack"_s, u"Source Code Pro"_s, u"Menlo"_s,
                                  u"Consolas"_s, u"Courier New"_s, u"FreeMono"_s, u"Monospace"_s}) {
        candidates << QFont(family);
    }
    for (QFont font : candidates) {
        font.setStyleHint(QFont::TypeWriter);
        font.setFixedPitch(true);
        if (hasFixedAdvances(font))
            return font;
    }
    QFont fallback = system;
    fallback.setStyleHint(QFont::TypeWriter);
    fallback.setFixedPitch(true);
    return fallback;
}

} // namespace interleave
