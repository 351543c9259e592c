// libFuzzer target: the window's open path, offscreen, as a file manager's double-click, a drop
// or File ▸ Open reach it. Whatever the file, the window does not crash or hang; a file it refuses
// says why and leaves the lesson, the banner and the run on screen as they were; a file it opens
// is drawn (the window is painted once per input).
#include "fileactions.h"
#include "fuzzcheck.h"
#include "mainwindow.h"
#include "run.h"
#include "tracestore.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <cstddef>
#include <cstdint>

using namespace interleave;
using interleave::fuzz::check;

namespace {

// Made once and never destroyed: libFuzzer ends the process with exit(), after which Qt's own
// global state is gone and a window's destructor (it saves its settings) would crash.
QApplication* g_app = nullptr;
MainWindow* g_window = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true); // settings and recent files away from the user's
    g_app = new QApplication(*argc, *argv);
    g_window = new MainWindow();
    g_window->resize(1200, 800);
    g_window->show();
    // Paint once before the first input: fonts and styles fill their caches on first use, which
    // the per-input leak check would otherwise report as the input's.
    QApplication::processEvents();
    g_window->grab();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // The length picks the name (odd: a session, even: a trace), as the window tells them apart
    // by name: any content can come under either, and one byte more or less switches.
    const bool session = size % 2 == 1;
    const QString path = QDir::temp().filePath(u"interleave-fuzz-%1.%2"_qs.arg(QCoreApplication::applicationPid())
                                                   .arg(session ? u"interleave"_qs : u"json"_qs));
    {
        QFile file(path);
        check(file.open(QIODevice::WriteOnly | QIODevice::Truncate), "write the input file");
        file.write(reinterpret_cast<const char*>(data), qint64(size));
    }
    const QString scenarioBefore = g_window->currentScenario();
    const QString bannerBefore = g_window->bannerText();
    const std::size_t lanesBefore = g_window->currentRun()->store()->laneCount();

    QString error;
    const bool opened = g_window->files()->openFile(path, &error);
    if (!opened) {
        check(!error.isEmpty(), "a refused file says why");
        check(g_window->currentScenario() == scenarioBefore, "a refused file leaves the lesson", error);
        check(g_window->bannerText() == bannerBefore, "a refused file leaves the banner", error);
        check(g_window->currentRun()->store()->laneCount() == lanesBefore, "a refused file leaves the run", error);
    } else {
        check(!g_window->bannerText().isEmpty(), "an opened file says what it is");
        check(g_window->currentRun()->isRecording() || session, "an opened trace is on screen as a recording");
    }
    QFile::remove(path);
    QApplication::processEvents();
    check(!g_window->grab().isNull(), "the window paints");
    return 0;
}
