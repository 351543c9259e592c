// The window's ways to trace a real Python program: File > Run Python Program... and Run > Run the
// Lesson's Python Twin for Real (the lesson's program with its current settings, under python3,
// below the simulated run pinned above it).
#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QAction;
class QMenu;
class QTemporaryDir;

namespace interleave {

class MainWindow;
struct PythonProgramSpec;

class PythonActions : public QObject
{
    Q_OBJECT
public:
    explicit PythonActions(MainWindow* window);
    ~PythonActions() override;

    void addToFileMenu(QMenu* file);
    void addToRunMenu(QMenu* run);

    // Asks for a program and its arguments, then runs it.
    void chooseAndRun();
    // The lesson's twin with the settings on screen; a finished run of the lesson is pinned above
    // it first, so the simulation and real CPython are drawn one over the other.
    void runTwin();
    // Starts the program in the window; says why not in a message box (no python3: how to get it).
    bool run(const PythonProgramSpec& spec, bool lessonsTwin = false);

Q_SIGNALS:
    void message(const QString& text);

private:
    MainWindow* const m_window;
    QAction* const m_open;
    QAction* const m_twin;
    QAction* const m_calls; // checked: the programs run with --calls (remembered)
    static constexpr char CallsKey[] = "python/calls";
    std::unique_ptr<QTemporaryDir> m_twinDir; // the twins written with their settings
    QString m_lastDir;
};

} // namespace interleave
