// The command line's output files: see outputfile.h.
#include "outputfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace interleave {

void printErr(const QString& line)
{
    std::fprintf(stderr, "interleave: %s\n", line.toLocal8Bit().constData());
}

QString cutPath(const QString& text)
{
    return text.size() <= 120 ? text : text.left(50) + u"…(%1 characters)…"_s.arg(text.size() - 100) + text.right(50);
}

std::unique_ptr<QFileDevice> openOutput(const QString& path, const char* option)
{
    const QFileInfo info(path);
    // A name the file system cannot hold would only fail at the end, after the run, when the
    // file is renamed into place: say so now.
    const QByteArray name = QFile::encodeName(info.fileName());
    const long nameMax = ::pathconf(QFile::encodeName(info.absolutePath()).constData(), _PC_NAME_MAX);
    if (nameMax > 0 && name.size() > nameMax) {
        printErr(u"cannot write %1 '%2': its file name is %3 bytes long; the folder allows at most %4"_s
                     .arg(QLatin1StringView(option), cutPath(path))
                     .arg(name.size())
                     .arg(nameMax));
        return nullptr;
    }
    // A device or a pipe is written in place: QSaveFile's rename would replace it with a regular
    // file (as root, even /dev/null).
    std::unique_ptr<QFileDevice> file;
    if (info.exists() && !info.isFile() && !info.isDir())
        file = std::make_unique<QFile>(path);
    else
        file = std::make_unique<QSaveFile>(path);
    if (file->open(QIODevice::WriteOnly))
        return file;
    printErr(u"cannot write %1 '%2': %3"_s.arg(QLatin1StringView(option), cutPath(path), file->errorString()));
    return nullptr;
}

bool finishOutput(QFileDevice& file)
{
    if (auto* save = qobject_cast<QSaveFile*>(&file))
        return save->commit();
    if (!file.flush())
        return false;
    file.close();
    return file.error() == QFileDevice::NoError;
}

bool commitOutput(QFileDevice& file, const QByteArray& bytes, const char* option, const QString& path)
{
    if (file.write(bytes) == bytes.size() && finishOutput(file))
        return true;
    printErr(u"cannot write %1 '%2': %3"_s.arg(QLatin1StringView(option), path, file.errorString()));
    return false;
}

bool writeStdout(const QByteArray& bytes, const char* option)
{
    errno = 0;
    if (std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), stdout) == std::size_t(bytes.size())
        && std::fflush(stdout) == 0)
        return true;
    printErr(u"cannot write %1 to stdout: %2"_s.arg(QLatin1StringView(option), QString::fromLocal8Bit(std::strerror(errno))));
    return false;
}

} // namespace interleave
