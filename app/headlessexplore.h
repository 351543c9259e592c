// Headless exploration (--explore): the lesson's steps under every schedule, outcomes counted.
#pragma once

namespace interleave {

struct Options;

// Writes interleave.explore/1 to --summary-out (or a table to stdout without it). Returns the
// exit code (0 done, 1 an output could not be written or a run misbehaved, 2 bad input).
int runHeadlessExplore(const Options& options);

} // namespace interleave
