// Claims about a run's outcome, as the lessons state them ("lost_updates > 0",
// "2 * lost_updates > expected", "ended == deadlock"), read strictly and checked against a summary.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace interleave {

// A claim is "lhs op rhs", op one of == != >= <= > <. Each side is a product: numbers and fields
// multiplied and divided left to right ("2 * lost_updates", "20 * 450 / 4"); no sums, no brackets.
// A field is one of the summary's outcome fields, or wall_ms (the summary's own). The one claim
// about text is "ended == X" or "ended != X" (the summary's "ended": completed, deadlock, ...).

// The value of one side over `fields` (a field that is a switch counts as 1 or 0); nullopt when
// it is not of that form or names a field that is missing or not a number.
std::optional<double> claimOperand(const QString& text, const QJsonObject& fields);

// Checks a claim against a summary (an object with "outcome", "wall_ms" and "ended"): empty when
// it holds, else what was seen ("7 vs 12", "ended: completed", "a field is missing ...").
QString checkClaim(const QString& claim, const QJsonObject& summary);
inline bool claimHolds(const QString& claim, const QJsonObject& summary)
{
    return checkClaim(claim, summary).isEmpty();
}

// Whether a claim is of the form above, whatever the fields' values: empty when it is, else why not.
QString claimFormError(const QString& claim);
// The same for one side ("2 * lost_updates").
QString operandFormError(const QString& text);
// The field names a claim or an operand reads ("2 * lost_updates > expected": lost_updates,
// expected; "ended == deadlock": ended), in order, each once.
QStringList claimFields(const QString& claim);

} // namespace interleave
