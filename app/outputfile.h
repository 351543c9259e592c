// The files the command line writes (--summary-out, --trace-out, --csv-out), opened before any
// work so that a path that cannot be written is bad input found at once, and written all or
// nothing: a regular file through QSaveFile, a device or pipe (/dev/stdout, /dev/full, a FIFO)
// in place, "-" to stdout. Every failure is said on stderr in one line.
#pragma once

#include <QByteArray>
#include <QFileDevice>
#include <QString>

#include <memory>

namespace interleave {

// "interleave: <line>" on stderr.
void printErr(const QString& line);
// A long path cut to its ends for a message.
QString cutPath(const QString& path);

// Opens `path` for `option`; nullptr after saying why (a name the folder cannot hold, no write
// permission...).
std::unique_ptr<QFileDevice> openOutput(const QString& path, const char* option);
// Ends a write: QSaveFile commits (replacing the old file only when all went well); a device is
// flushed, which is where a full disk (/dev/full) says so.
bool finishOutput(QFileDevice& file);
// Writes bytes and finishes the file; false after saying why.
bool commitOutput(QFileDevice& file, const QByteArray& bytes, const char* option, const QString& path);
// Writes bytes to stdout; a full disk or a closed pipe is a failure, said, not a silent success.
bool writeStdout(const QByteArray& bytes, const char* option);

} // namespace interleave
