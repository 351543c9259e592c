// Two runs side by side: which settings differ, how each figure of their outcomes moved, how the
// wall time compares, and one sentence a class reads ("lock on: lost updates 0 (pinned: 8,982),
// 1.62x slower"). Computed from the two descriptions alone.
#pragma once

#include "summary.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace interleave {

struct RunComparison
{
    struct Setting
    {
        QString key;
        QJsonValue a; // as the descriptions give them (4, true, "ordered"); undefined when absent
        QJsonValue b;
    };
    struct Figure
    {
        QString key;
        double a = 0;
        double b = 0;
        double difference() const { return b - a; }
        double ratio() const; // b / a; NaN when a is 0
    };
    bool sameLesson = true;
    std::vector<Setting> settings; // those that differ, in b's order
    std::vector<Figure> figures;   // numbers (switches as 0/1) in both outcomes, the lesson's point first; wall_ms last
    QString sentence;

    QJsonObject toJson() const;
};

// `a` is the earlier (pinned) run, `b` the one compared with it; the sentence names a as aName.
RunComparison compareRuns(const RunDescription& a, const RunDescription& b, const QString& aName = QStringLiteral("pinned"));

// "threads 4, lock off": a description's settings, as the settings panel names them.
QString settingsText(const RunDescription& run);

} // namespace interleave
