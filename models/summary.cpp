// buildSummary: per-thread state times, per-lock and per-queue statistics, and the outcome.
#include "summary.h"

#include "scenario.h"
#include "tracestore.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {
double ms(std::int64_t ns)
{
    return round3(double(ns) / 1e6);
}

QJsonObject threadSummary(const TraceStore& store, std::size_t i)
{
    const LaneData& l = store.lane(i);
    const auto totals = store.stateTotals(i);
    QJsonObject states;
    for (int s = 0; s < ThreadStateCount; ++s)
        states.insert(QString::fromLatin1(stateKey(ThreadState(s))), ms(totals[std::size_t(s)]));
    QJsonObject thread{{u"name"_s, l.name},
                       {u"kind"_s, QString::fromLatin1(laneKindKey(l.kind))},
                       {u"wall_ms"_s, ms(store.laneWallNs(i))},
                       {u"ms"_s, states}};
    if (l.kernelRunningNs >= 0) {
        QJsonObject kernel{{u"running"_s, ms(l.kernelRunningNs)}};
        if (l.kernelReadyNs >= 0)
            kernel.insert(u"ready"_s, ms(l.kernelReadyNs));
        thread.insert(u"kernel_ms"_s, kernel);
    }
    if (!l.slices.empty()) // named slices: an imported trace's, or a traced program's calls (--calls)
        thread.insert(u"slices"_s, qint64(l.slices.size()));
    return thread;
}

// Everything but the threads.
QJsonObject summaryWithoutThreads(const TraceStore& store, const RunDescription& run)
{
    QJsonArray locks;
    QJsonArray queues;
    QJsonArray counters;
    for (std::size_t i = 0; i < store.objectCount(); ++i) {
        const ObjectData& o = store.object(i);
        if (o.kind == ObjectKind::Lock || o.kind == ObjectKind::Gil) {
            QJsonObject lock{{u"name"_s, o.name},
                             {u"acquisitions"_s, qint64(o.acquisitions)},
                             {u"contended"_s, qint64(o.contended)},
                             {u"wait_ms_total"_s, ms(o.waitNsTotal)},
                             {u"wait_ms_max"_s, ms(o.waitNsMax)},
                             {u"hold_ms_total"_s, ms(o.holdNsTotal)}};
            if (o.kind == ObjectKind::Gil)
                lock.insert(u"kind"_s, u"gil"_s);
            locks.append(lock);
        } else if (o.kind == ObjectKind::Queue) {
            queues.append(QJsonObject{{u"name"_s, o.name},
                                      {u"capacity"_s, qint64(o.capacity)},
                                      {u"puts"_s, qint64(o.puts)},
                                      {u"gets"_s, qint64(o.gets)},
                                      {u"max_depth"_s, qint64(o.maxDepth)},
                                      {u"mean_depth"_s, round3(store.counterMean(o))}});
        } else if (o.kind == ObjectKind::Counter && !o.counter.empty()) {
            double lo = o.counter.front().value;
            double hi = lo;
            for (const CounterSample& c : o.counter) {
                lo = std::min(lo, c.value);
                hi = std::max(hi, c.value);
            }
            counters.append(QJsonObject{{u"name"_s, o.name},
                                        {u"samples"_s, qint64(o.counter.size())},
                                        {u"min"_s, lo},
                                        {u"max"_s, hi},
                                        {u"mean"_s, round3(store.counterMean(o))}});
        }
    }

    QJsonObject events{{u"recorded"_s, qint64(store.eventsRecorded())}, {u"dropped"_s, qint64(store.eventsDropped())}};
    // Detail left out by rule, counted (DESIGN.md section 2): only where there was any. (The race
    // marks kept are not counted here: a trace file does not carry them, so an export read back
    // could not say the same.)
    if (store.markersCapped() > 0)
        events.insert(u"race_marks_not_kept"_s, qint64(store.markersCapped()));
    if (store.holdsFolded() > 0)
        events.insert(u"lock_holds_folded"_s, qint64(store.holdsFolded()));

    QJsonObject summary{
        {u"schema"_s, u"interleave.summary/1"_s},
        {u"scenario"_s, run.scenario},
        {u"params"_s, run.params},
        {u"wall_ms"_s, round3(run.wallMs)},
        {u"ended"_s, run.ended},
        {u"events"_s, events},
        {u"locks"_s, locks},
        {u"queues"_s, queues},
        {u"outcome"_s, run.outcome},
    };
    if (!counters.isEmpty())
        summary.insert(u"counters"_s, counters);
    if (!run.machine.isEmpty())
        summary.insert(u"machine"_s, run.machine);
    if (!run.schedule.isEmpty())
        summary.insert(u"schedule"_s, run.schedule);
    return summary;
}

} // namespace

QJsonObject buildSummary(const TraceStore& store, const RunDescription& run)
{
    QJsonArray threads;
    for (std::size_t i = 0; i < store.laneCount(); ++i)
        threads.append(threadSummary(store, i));
    QJsonObject summary = summaryWithoutThreads(store, run);
    summary.insert(u"threads"_s, threads);
    return summary;
}

QByteArray summaryJsonText(const TraceStore& store, const RunDescription& run, const QJsonObject& extra)
{
    // The document without its threads, with a placeholder where they go; then each thread is
    // made, written and dropped. The placeholder cannot be a value's text: quotes in values are
    // escaped, so no value serialises as this quoted string inside an object key's place.
    QJsonObject summary = summaryWithoutThreads(store, run);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        summary.insert(it.key(), it.value());
    const QString marker = u"@interleave-threads@"_s;
    summary.insert(u"threads"_s, marker);
    const QByteArray outline = QJsonDocument(summary).toJson(QJsonDocument::Indented);
    const QByteArray placeholder = "\"threads\": \"" + marker.toUtf8() + '"';
    const qsizetype at = outline.indexOf(placeholder);
    if (at < 0) // cannot happen; the whole document is the safe way then
        return QJsonDocument(buildSummary(store, run)).toJson(QJsonDocument::Indented);
    QByteArray text = outline.left(at);
    text += "\"threads\": [";
    for (std::size_t i = 0; i < store.laneCount(); ++i) {
        // Indented as it would be two levels deep: eight spaces before every line.
        QByteArray one = QJsonDocument(threadSummary(store, i)).toJson(QJsonDocument::Indented).trimmed();
        one.replace("\n", "\n        ");
        text += i == 0 ? "\n        " : ",\n        ";
        text += one;
    }
    text += store.laneCount() > 0 ? "\n    ]" : "]";
    text += outline.mid(at + placeholder.size());
    return text;
}

} // namespace interleave
