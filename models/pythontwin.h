// A lesson's Python twin with the lesson's current settings written into its constants.
#pragma once

#include "params.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace interleave {

// The twin declares each parameter as a module-level constant named after its key in upper case,
// with a plain literal for a value: `THREADS = 4`, `LOCK = False`, `STRATEGY = "naive"`. This
// rewrites exactly those assignments, nothing else, so one rule serves every lesson. A line
// keeps its comment, and the comment its column where the new value leaves room.
class PythonTwin
{
public:
    PythonTwin() = default;
    PythonTwin(const QString& program, const ParamSchema& schema);
    bool isEmpty() const { return m_lines.isEmpty(); }

    // The program with values (in the schema's order; missing ones are the program's own) as its
    // constants. A value equal to the program's keeps the line as written (50_000 stays 50_000).
    QString program(const std::vector<double>& values) const;
    // The value the program itself gives parameter `index`: nullopt when it has no constant for it
    // or the literal is not one of the parameter's type (a choice it does not list).
    std::optional<double> programValue(int index) const;
    // The parameters the program has no constant for.
    QStringList missingKeys() const;

    static QString constantName(const QString& key) { return key.toUpper(); }
    // The Python literal for a value: 8, 10_000 (as the program groups digits), True, "ordered".
    static QString literal(const ParamSpec& spec, double value, bool groupDigits = false);
    // The value a Python literal stands for, or nullopt when it is not one of the spec's type.
    static std::optional<double> parseLiteral(const ParamSpec& spec, const QString& literal);

private:
    struct Constant
    {
        int line = -1;      // -1: the program has no constant for the parameter
        QString name;       // up to the literal: "THREADS = "
        QString literal;    // as written: "50_000"
        QString gap;        // spaces between the literal and the comment
        QString comment;    // "# threads ...", or empty
    };
    QString lineFor(const Constant& c, const QString& literal) const;

    QStringList m_lines;
    ParamSchema m_schema;
    std::vector<Constant> m_constants; // one per parameter, in the schema's order
};

} // namespace interleave
