// Chrome Trace Event export (the JSON that Perfetto and chrome://tracing open), DESIGN.md §7.
#pragma once

#include "summary.h"
#include "traceevent.h"

#include <QString>

class QIODevice;

namespace interleave {

class TraceStore;

struct ChromeTraceInfo
{
    QString processName = QStringLiteral("interleave");
    RunDescription run; // scenario, parameters, outcome: written to otherData
};

// otherData.format of the traces Interleave writes; the importer rebuilds a store from them.
inline constexpr char InterleaveTraceFormat[] = "interleave.trace/1";

const char* objectKindKey(ObjectKind kind); // "lock", "queue", "gil", "counter"

// Writes the store as a Chrome Trace Event object: thread names and order (M), one X slice per
// state interval, lock holds as async b/e pairs, counters (C) for lock waiters, queue depth and
// the GIL holder, instant markers (i), and flows (s/f) for lock hand-offs and queue items.
// Times are microseconds with the nanoseconds kept as fractions. Returns false on a write error.
bool writeChromeTrace(const TraceStore& store, const ChromeTraceInfo& info, QIODevice& out);

} // namespace interleave
