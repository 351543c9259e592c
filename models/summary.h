// The run summary of DESIGN.md section 6 ("interleave.summary/1"), built from a TraceStore.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace interleave {

class TraceStore;

struct RunDescription
{
    QString scenario;
    QJsonObject params;
    double wallMs = 0;
    QString ended;
    QJsonObject outcome;
    QJsonObject machine; // MachineLoad::toJson(): the cores the run had; empty when unknown
    // Step mode: the lanes that stepped, in order (replayable with --schedule); empty otherwise.
    QJsonArray schedule;
};

QJsonObject buildSummary(const TraceStore& store, const RunDescription& run);

// buildSummary()'s document as indented JSON text, with `extra` keys added at the top level (an
// import's "source"), made a thread at a time: a trace of a million threads needs its text, not
// a million JSON objects in memory at once (over a gigabyte). Parses back to the same object.
QByteArray summaryJsonText(const TraceStore& store, const RunDescription& run, const QJsonObject& extra = {});

} // namespace interleave
