// Step mode's panel under the timeline: each thread's next step (with its number key, the line of
// the lesson's Python program it stands for, and its locals), the shared state, the schedule so
// far, and the Python program with every thread's next line marked. It shows; StepActions decides.
#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace interleave {

struct StepSnapshot;

// What the panel shows of one thread.
struct StepRow
{
    std::uint32_t lane = 0;
    QString name;      // worker-1
    QString next;      // "read counter"; empty: finished
    QString detail;    // "seen = 41"
    bool enabled = false;
    QString why;       // why it cannot step now ("fork-2 is held by philosopher-2")
    int line = 0;      // 1-based line of the program; 0: none
};

class StepPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StepPanel(QWidget* parent = nullptr);

    // The lesson's Python program, with the run's settings as its constants.
    void setProgram(const QString& program);
    void setRows(const std::vector<StepRow>& rows);
    void setShared(const QString& text);
    void setSchedule(const QString& text);
    void setStatus(const QString& text);
    void setBusy(bool busy); // a search or a replay is going on: the buttons wait

    // The line of the program a step stands for (1-based; 0 when none): found by what the line
    // says (e.g. "seen = counter" for a read), so the lesson's program needs no markers.
    static int lineOfStep(const QString& program, const QString& lesson, const QString& kind, const QString& text,
                          const QString& previousKind, bool mainThread);

Q_SIGNALS:
    void stepRequested(std::uint32_t lane);
    void undoRequested();
    void runToEventRequested();
    void findRequested();

private:
    QLabel* m_status = nullptr;
    QLabel* m_shared = nullptr;
    QLabel* m_schedule = nullptr;
    QTableWidget* m_table = nullptr;
    QPlainTextEdit* m_code = nullptr;
    QPushButton* m_undo = nullptr;
    QPushButton* m_toEvent = nullptr;
    QPushButton* m_find = nullptr;
    std::vector<StepRow> m_rows;
};

} // namespace interleave
