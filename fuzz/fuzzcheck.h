// What the fuzz targets share: a check that aborts (so libFuzzer keeps the input) and says why.
#pragma once

#include <QString>

#include <cstdio>
#include <cstdlib>

namespace interleave::fuzz {

// An invariant of the parser under test. Unlike assert() it stays on in every build type.
inline void check(bool ok, const char* what, const QString& detail = {})
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz check failed: %s%s%s\n", what, detail.isEmpty() ? "" : ": ",
                 detail.toLocal8Bit().constData());
    std::abort();
}

} // namespace interleave::fuzz
