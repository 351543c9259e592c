// A trace import for the window: the parse runs on a worker thread while a progress dialog
// (shown only when it takes a while) offers Cancel; the GUI thread keeps painting.
#pragma once

#include "chromeimport.h"

#include <QString>

#include <optional>

class QWidget;

namespace interleave {

// Blocks in a local event loop until the import finished, failed or was cancelled. On failure
// returns nullopt with *error set ("cancelled" when the user cancelled).
std::optional<ImportedTrace> importWithProgress(QWidget* parent, const QString& path, QString* error);

} // namespace interleave
