// Headless experiments: a lesson run N times (--repeat) or over a range of one setting (--sweep).
#pragma once

namespace interleave {

struct Options;

// Needs a QCoreApplication. Writes interleave.experiment/1 to --summary-out (or a short table to
// stdout without it). Returns the exit code (0 done, 1 an output could not be written, 2 bad input).
int runHeadlessExperiment(const Options& options);

} // namespace interleave
