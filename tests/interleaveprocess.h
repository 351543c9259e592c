// Runs the interleave executable (INTERLEAVE_EXE, defined by the test's CMake target) as a user
// would, and hands back its exit code and output.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace interleave::test {

struct ProcessResult
{
    int exitCode = -1; // -1: crashed, or did not start or finish in time
    QByteArray out;
    QByteArray err;
};

// stdoutFile, when given, receives the standard output instead of `out`.
inline ProcessResult runInterleave(const QStringList& args, const QString& stdoutFile = {}, int timeoutMs = 60'000)
{
    QProcess p;
    if (!stdoutFile.isEmpty())
        p.setStandardOutputFile(stdoutFile);
    p.start(QStringLiteral(INTERLEAVE_EXE), args);
    if (!p.waitForStarted(10'000))
        return {};
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace interleave::test
