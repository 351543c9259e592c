// Ctrl+C and SIGTERM during a headless command: instead of killing the process they set a flag
// the work looks at, so a run stops cleanly and still writes what it was asked to. The default
// handlers come back when the guard goes.
#pragma once

namespace interleave {

class InterruptGuard
{
public:
    InterruptGuard();  // clears the flag and installs the handlers
    ~InterruptGuard(); // the default handlers again

    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // Ctrl+C or SIGTERM came since the guard was made (async-signal-safe to set, any thread to read).
    static bool requested();
};

} // namespace interleave
