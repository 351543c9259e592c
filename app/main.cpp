// interleave: picks GUI or headless mode from the command line, then hands over.
#include "commandline.h"
#include "headlesscompare.h"
#include "headlessexplore.h"
#include "headlessexperiment.h"
#include "headlessrun.h"
#include "hugepagemalloc.h"
#include "mainwindow.h"
#include "processworker.h"
#include "stepactions.h"
#include "pythonactions.h"
#include "pythonprogram.h"
#include "pythonrun.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QStringList rawArguments(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

void printLine(FILE* f, const QString& text)
{
    std::fprintf(f, "%s\n", text.toLocal8Bit().constData());
}

bool haveDisplay()
{
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || (!platform.isEmpty() && !platform.startsWith("xcb") && !platform.startsWith("wayland"));
}

// Whether --speed was on the command line: without it the window keeps the speed it remembers.
int runWindow(const interleave::Options& options)
{
    interleave::MainWindow window; // comes back with the last lesson, theme and presentation mode
    if (!options.scenario.isEmpty())
        window.selectScenario(options.scenario, options.values);
    if (!options.scenario.isEmpty() || options.speedGiven)
        window.setSpeed(options.speed);
    if (options.step || options.schedule)
        window.steps()->setOn(true);
    window.show();
    if (!options.open.isEmpty()) {
        // A bad file is said twice: in the window for a file manager's double-click, on stderr for
        // a terminal. The window stays open with the lesson it had.
        QString error;
        if (!window.files()->openFileInteractively(options.open, &error))
            printLine(stderr, u"interleave: "_s + error);
    }
    if (options.schedule) {
        // The window plays the schedule (a step every 0.45 s), then the student goes on.
        QStringList lanes;
        for (const std::uint32_t lane : *options.schedule)
            lanes << QString::number(lane);
        QTimer::singleShot(0, &window, [&window, text = lanes.join(u',')] { window.steps()->playSchedule(text); });
    } else if (options.autostart) {
        QTimer::singleShot(0, &window, &interleave::MainWindow::run);
    }
    if (!options.python.isEmpty()) {
        // --python script.py: the program instead of a lesson; a reason it cannot run is said in
        // the window and on stderr.
        QTimer::singleShot(0, &window, [&window, &options] {
            QString error;
            if (!window.runPython(interleave::pythonSpecFrom(options), &error)) {
                printLine(stderr, u"interleave: "_s + error);
                window.python()->run(interleave::pythonSpecFrom(options)); // the same reason, in a box
            }
        });
    }
    int exitCode = 0;
    if (options.quitAfterMs >= 0) {
        QTimer::singleShot(options.quitAfterMs, &window, [&] {
            if (!options.screenshot.isEmpty() && !window.grab().save(options.screenshot)) {
                printLine(stderr, u"interleave: cannot write --screenshot '%1'"_s.arg(options.screenshot));
                exitCode = 1;
            }
            window.stop();
            QCoreApplication::exit(exitCode);
        });
    }
    const int loop = QCoreApplication::exec();
    return exitCode != 0 ? exitCode : loop;
}

} // namespace

int main(int argc, char** argv)
{
    interleave::restartWithHugePageMalloc(argv); // before anything allocates much
    using interleave::Options;
    const QStringList args = rawArguments(argc, argv);
    if (args.size() > 1 && args[1] == "--process-worker"_L1) {
        // A worker process of the gil lesson (executor = processes): no GUI, no parsing.
        QCoreApplication app(argc, argv);
        return interleave::processWorkerMain(args.mid(2));
    }
    // Arguments first: a mistake gets its one line before any platform plugin speaks.
    const interleave::ParseResult parsed = interleave::parseCommandLine(args);
    if (!parsed.options) {
        printLine(stderr, u"interleave: "_s + parsed.error);
        return 2;
    }
    const Options& options = *parsed.options;
    const bool noGui = options.mode != Options::Mode::Gui;
    if (!noGui && !haveDisplay()) {
        printLine(stderr, u"interleave: no display found (DISPLAY and WAYLAND_DISPLAY are unset); run headless "
                          "instead, e.g. interleave --headless --scenario race --summary-out -"_s);
        return 2;
    }

    std::unique_ptr<QCoreApplication> app = noGui ? std::make_unique<QCoreApplication>(argc, argv)
                                                  : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(u"interleave"_s);
    QCoreApplication::setOrganizationName(u"Interleave"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(INTERLEAVE_VERSION));
    if (!noGui) // Wayland matches the window to its menu entry and icon by this name
        QGuiApplication::setDesktopFileName(u"org.interleave.Interleave"_s);
    switch (options.mode) {
    case Options::Mode::Help:
        printLine(stdout, interleave::helpText());
        return 0;
    case Options::Mode::Version:
        printLine(stdout, u"interleave "_s + QCoreApplication::applicationVersion());
        return 0;
    case Options::Mode::ListScenarios:
        std::fputs(interleave::scenarioListing(options.json).toUtf8().constData(), stdout);
        return 0;
    case Options::Mode::Headless:
        if (!options.python.isEmpty())
            return interleave::runHeadlessPython(options);
        if (options.isComparison())
            return interleave::runHeadlessCompare(options);
        if (options.explore)
            return interleave::runHeadlessExplore(options);
        return options.isExperiment() ? interleave::runHeadlessExperiment(options) : interleave::runHeadless(options);
    case Options::Mode::Gui:
        break;
    }
    return runWindow(options);
}
