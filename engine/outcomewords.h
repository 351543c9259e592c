// The words every lesson's outcome sentence is made of: figures read aloud from the back row.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace interleave {

// A compact human number: 126.4 -> "126", 94.83 -> "94.8", 0.2 -> "0.2", 3.0 -> "3".
QString formatOutcomeNumber(double value);

namespace words {

// The figure under key (a switch counts as 1 or 0), or nothing when the outcome lacks it.
std::optional<double> number(const QJsonObject& o, const QString& key);
QString integer(double v);
// "1 line", "2 lines": the figures are read aloud, so the grammar has to be right.
QString counted(double v, const QString& singular, const QString& plural);
QString milliseconds(double ms);
QString percent(double fraction, int decimals);

} // namespace words
} // namespace interleave
