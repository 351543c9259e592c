// The statistics tables (threads, locks, queues) as one CSV file: what --csv-out writes.
#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace interleave {

// One row per thread, lock and queue of a summary (buildSummary), RFC 4180: a `table` column
// says which ("thread", "lock", "queue", "counter"), the other columns are the union of the
// tables' columns and stay empty where they do not apply. Numbers are the summary's own.
QByteArray summaryToCsv(const QJsonObject& summary);

} // namespace interleave
