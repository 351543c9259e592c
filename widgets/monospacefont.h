// A code and console font that really is fixed pitch, checked by measuring it.
#pragma once

#include <QFont>
#include <QStringList>

namespace interleave {

// True when narrow and wide letters, digits and punctuation all advance alike: what columns of
// code need, whatever fontconfig claims (it does not mark Noto Sans Mono as fixed pitch, and a
// family it does not have is silently replaced by a proportional one).
bool hasFixedAdvances(const QFont& font);

// The system's fixed font when it measures as fixed, else the first of `preferred`, then of a
// list of common monospace families (DejaVu Sans Mono comes with Debian's fonts-dejavu-core,
// which the set-up and the .deb depend on), that does. Last resort: the system's fixed font.
QFont monospaceFont(const QStringList& preferred = {});

} // namespace interleave
