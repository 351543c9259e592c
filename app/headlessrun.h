// Runs one scenario without a window: live console on stdout, summary JSON at the end.
#pragma once

namespace interleave {

struct Options;

// Needs a QCoreApplication. Returns the process exit code (0 done, 1 failure, 2 bad output path).
int runHeadless(const Options& options);

} // namespace interleave
