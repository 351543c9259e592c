// A run kept on screen for comparison: pinned from the run that ended (or from a trace Interleave
// wrote), drawn above the live one on the same time axis (both from their starts), with its
// settings and outcome in its banner; the runs after it are compared with it in words.
#pragma once

#include "summary.h"

#include <QObject>
#include <QString>

class QSplitter;

namespace interleave {

class MainWindow;
class Run;
class RunView;
struct ImportedTrace;

class PinnedRun : public QObject
{
    Q_OBJECT
public:
    // The pinned view goes into `column` above `live`, and follows live's time range.
    PinnedRun(MainWindow* window, QSplitter* column, RunView* live);
    ~PinnedRun() override;

    // Pins the finished run (or recording of Interleave's own format) on screen. False with one
    // line in *error while a run is going on, with nothing to pin, or for another tool's trace.
    bool pinCurrent(QString* error = nullptr);
    // Pins a recording (an imported trace of Interleave's own format).
    bool pin(ImportedTrace&& trace, QString* error = nullptr);
    void unpin();
    bool isPinned() const;

    RunDescription description() const;
    // "lock on: lost updates 0 (pinned: 8,982), 1.62x slower"; empty when nothing is pinned.
    QString comparisonWith(const RunDescription& now) const;
    QString bannerText() const;
    RunView* view() const { return m_view; }
    Run* run() const { return m_run; }
    void setPresentation(bool on);

Q_SIGNALS:
    void pinnedChanged(bool pinned);

private:
    MainWindow* const m_window;
    QSplitter* const m_column;
    RunView* const m_live;
    Run* const m_run;
    RunView* m_view = nullptr;
};

} // namespace interleave
