// The session file (".interleave", DESIGN.md section 7): a lesson, its settings, the speed and
// how the timeline was looked at, as JSON ("interleave.session/1"). Read strictly: every bad file
// gets one line saying what is wrong, and nothing half-read is ever returned.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace interleave {

struct Session
{
    static constexpr qint64 MaxFileBytes = 1024 * 1024; // a session is a few hundred bytes
    static constexpr double MinSpeed = 0.01;            // the command line's --speed range
    static constexpr double MaxSpeed = 1000;

    QString scenario;           // a registered scenario id
    std::vector<double> values; // every parameter of its schema, in schema order
    double speed = 1.0;
    bool followLive = true;
    // The visible time range of the timeline (ns since the run's start); empty when
    // visibleEndNs <= visibleStartNs.
    std::int64_t visibleStartNs = 0;
    std::int64_t visibleEndNs = 0;
    bool showGilLane = false;

    bool hasVisibleRange() const { return visibleEndNs > visibleStartNs; }
    friend bool operator==(const Session&, const Session&) = default;
};

// The scenario's defaults (values), speed 1, following live, its GIL lane if it has one; nullopt
// for an unknown scenario.
std::optional<Session> defaultSession(const QString& scenario);

QJsonObject toJson(const Session& session);
QByteArray toFileContents(const Session& session); // indented JSON, UTF-8

// Parses file contents. On failure returns nullopt and sets *error to one line (no file name:
// the caller says which file).
std::optional<Session> parseSession(const QByteArray& contents, QString* error);

// Reads and parses a file, refusing one over MaxFileBytes before reading it; errors name the file.
std::optional<Session> readSessionFile(const QString& path, QString* error);
// Writes atomically (a failed write leaves any old file as it was).
bool writeSessionFile(const QString& path, const Session& session, QString* error);

} // namespace interleave
