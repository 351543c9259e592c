// PythonActions: the menu entries that start a traced python3 program in the window.
#include "pythonactions.h"

#include "mainwindow.h"
#include "pythonprogram.h"
#include "pythontwin.h"
#include "lessonpicker.h"
#include "parameterpanel.h"
#include "pinnedrun.h"
#include "run.h"
#include "scenario.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace interleave {

PythonActions::PythonActions(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_open(new QAction(tr("Run &Python Program..."), this))
    , m_twin(new QAction(tr("Run the Lesson's Python Twin for &Real"), this))
    , m_calls(new QAction(tr("Record Python Function &Calls"), this))
{
    m_open->setObjectName(u"runPythonProgram"_s);
    m_open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Y));
    m_open->setToolTip(tr("Trace a real Python program with python3: its threads, locks, queues and the GIL"));
    m_twin->setObjectName(u"runPythonTwin"_s);
    m_twin->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));
    m_twin->setToolTip(tr("Run this lesson's Python program with its current settings under real CPython, "
                          "below the simulated run"));
    m_calls->setObjectName(u"recordPythonCalls"_s);
    m_calls->setCheckable(true);
    m_calls->setChecked(MainWindow::settings()->value(CallsKey, false).toBool());
    m_calls->setToolTip(tr("Also draw the calls of the program's own functions (20 µs or longer) under its lanes; "
                           "the program runs slower"));
    connect(m_calls, &QAction::toggled, this, [](bool on) { MainWindow::settings()->setValue(CallsKey, on); });
    connect(m_open, &QAction::triggered, this, &PythonActions::chooseAndRun);
    connect(m_twin, &QAction::triggered, this, &PythonActions::runTwin);
    window->addAction(m_open); // also while the menu bar is hidden (presentation)
    window->addAction(m_twin);
}

PythonActions::~PythonActions() = default;

void PythonActions::addToFileMenu(QMenu* file)
{
    QAction* before = file->actions().value(1); // after Open...
    file->insertAction(before, m_open);
    file->insertAction(before, m_calls);
}

void PythonActions::addToRunMenu(QMenu* run)
{
    run->addSeparator();
    run->addAction(m_twin);
}

bool PythonActions::run(const PythonProgramSpec& spec, bool lessonsTwin)
{
    QString error;
    if (!m_window->runPython(spec, &error, lessonsTwin)) {
        QMessageBox::warning(m_window, tr("Cannot run the Python program"), error);
        return false;
    }
    return true;
}

void PythonActions::chooseAndRun()
{
    const QString file = QFileDialog::getOpenFileName(m_window, tr("Run Python Program"), m_lastDir,
                                                      tr("Python programs (*.py);;All files (*)"));
    if (file.isEmpty())
        return;
    m_lastDir = QFileInfo(file).absolutePath();
    bool ok = false;
    const QString args = QInputDialog::getText(m_window, tr("Run Python Program"),
                                               tr("Arguments for %1 (as on a command line; may be empty):")
                                                   .arg(QFileInfo(file).fileName()),
                                               QLineEdit::Normal, QString(), &ok);
    if (!ok)
        return;
    PythonProgramSpec spec;
    spec.script = file;
    spec.args = QProcess::splitCommand(args);
    spec.workingDir = m_lastDir;
    spec.calls = m_calls->isChecked();
    run(spec);
}

void PythonActions::runTwin()
{
    const QString lesson = m_window->currentScenario();
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(lesson);
    QFile source(u":/lessons/"_s + lesson + u".py"_s);
    if (!entry || !source.open(QIODevice::ReadOnly)) {
        Q_EMIT message(tr("This lesson has no Python program"));
        return;
    }
    const std::vector<double> values = m_window->picker()->parameterPanel()->values();
    const QString program = PythonTwin(QString::fromUtf8(source.readAll()), entry->info.schema).program(values);
    if (!m_twinDir)
        m_twinDir = std::make_unique<QTemporaryDir>();
    const QString path = m_twinDir->filePath(lesson + u".py"_s);
    QFile out(path);
    if (!m_twinDir->isValid() || !out.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || out.write(program.toUtf8()) < 0 || !out.flush()) {
        QMessageBox::warning(m_window, tr("Cannot run the Python twin"),
                             tr("Cannot write %1: %2").arg(path, out.errorString()));
        return;
    }
    out.close();
    // The simulated run of this lesson, if it has ended, goes above: both outcomes on one axis.
    const Run* current = m_window->currentRun();
    if (!current->isRunning() && !current->isEmpty() && current->lesson() && current->lesson()->id == lesson)
        m_window->pinned()->pinCurrent();
    PythonProgramSpec spec;
    spec.script = path;
    spec.workingDir = m_twinDir->path();
    spec.title = tr("%1.py under real CPython").arg(lesson);
    spec.calls = m_calls->isChecked();
    run(spec, true);
}

} // namespace interleave
