// `--python script.py [args...]`: a real Python program traced, headless or in the window.
#pragma once

#include <QString>
#include <QStringList>

namespace interleave {

struct Options;
struct PythonProgramSpec;

// The spec of the command line's program (its script, arguments, the current folder).
PythonProgramSpec pythonSpecFrom(const Options& options);

// Needs a QCoreApplication. The program's output on stdout as it prints it (unless the summary
// goes there), summary and trace at its end. Returns 0 when the program exited with status 0, 1
// when it failed or was stopped, 2 for bad input (no python3, no such script, an unwritable output).
int runHeadlessPython(const Options& options);

} // namespace interleave
