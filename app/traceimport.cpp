// importWithProgress: QtConcurrent runs the import; a timer (not a signal per event) copies its
// progress into the dialog.
#include "traceimport.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QProgressDialog>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace interleave {

std::optional<ImportedTrace> importWithProgress(QWidget* parent, const QString& path, QString* error)
{
    struct Shared
    {
        std::atomic<bool> cancel{false};
        std::atomic<std::int64_t> done{0};
        std::atomic<std::int64_t> total{0};
        QString error;
    };
    // Shared with the worker, which may outlive this call only if the loop were left early: it
    // is not, but the shared_ptr keeps that safe anyway.
    auto shared = std::make_shared<Shared>();
    const qint64 size = QFileInfo(path).size();

    QProgressDialog dialog(u"Opening %1…"_s.arg(QFileInfo(path).fileName()), u"Cancel"_s, 0, 1000, parent);
    dialog.setWindowTitle(u"Open Trace"_s);
    dialog.setWindowModality(Qt::WindowModal);
    dialog.setMinimumDuration(400); // small files open without a flash of a dialog
    dialog.setAutoClose(false);
    dialog.setAutoReset(false);
    dialog.setValue(0);

    QFutureWatcher<std::optional<ImportedTrace>> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    QObject::connect(&dialog, &QProgressDialog::canceled, &dialog, [shared] { shared->cancel.store(true); });

    watcher.setFuture(QtConcurrent::run([shared, path, size]() -> std::optional<ImportedTrace> {
        ImportControl control;
        control.cancel = &shared->cancel;
        shared->total.store(size);
        control.progress = [shared](std::int64_t done, std::int64_t total) {
            shared->done.store(done, std::memory_order_relaxed);
            shared->total.store(total, std::memory_order_relaxed);
        };
        QString message;
        auto result = importChromeTrace(path, &message, control);
        if (!result)
            shared->error = message; // read after the future finished
        return result;
    }));

    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &dialog, [&] {
        const std::int64_t total = std::max<std::int64_t>(1, shared->total.load(std::memory_order_relaxed));
        dialog.setValue(int(std::min<std::int64_t>(999, shared->done.load(std::memory_order_relaxed) * 1000 / total)));
    });
    tick.start(50);
    if (!watcher.isFinished())
        loop.exec(); // the dialog is window-modal: only Cancel reaches us
    tick.stop();
    dialog.reset();

    std::optional<ImportedTrace> result = watcher.result();
    if (!result && error)
        *error = shared->cancel.load() ? u"cancelled"_s : shared->error;
    return result;
}

} // namespace interleave
