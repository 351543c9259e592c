// Headless comparison: --compare A.json B.json, two traces Interleave wrote, summarised as a run
// is, with the differences between them.
#pragma once

namespace interleave {

struct Options;

// Writes interleave.comparison/1 to --summary-out (or the sentence to stdout without it).
// Returns the exit code (0 done, 1 an output could not be written, 2 bad input).
int runHeadlessCompare(const Options& options);

} // namespace interleave
