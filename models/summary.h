// The run summary of DESIGN.md section 6 ("interleave.summary/1"), built from a TraceStore.
#pragma once

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
};

QJsonObject buildSummary(const TraceStore& store, const RunDescription& run);

} // namespace interleave
