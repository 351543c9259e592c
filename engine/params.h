// A scenario's parameter schema (key, type, range, default, unit, help) and value parsing.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace interleave {

struct ParamSpec
{
    enum class Type { Int, Double, Bool, Choice };

    QString key;
    Type type = Type::Int;
    double min = 0;
    double max = 0;
    double defaultValue = 0; // Bool: 0/1; Choice: index into choices
    QStringList choices;
    QString unit;
    QString help;
    // Live parameters reach the running threads at their next step. The others shape the
    // program (how many threads it starts, the queue it makes): changing one starts it again.
    bool live = true;

    static ParamSpec integer(QString key, int min, int max, int def, QString unit, QString help);
    static ParamSpec real(QString key, double min, double max, double def, QString unit, QString help);
    static ParamSpec boolean(QString key, bool def, QString help);
    static ParamSpec choice(QString key, QStringList choices, int def, QString help);
    // This parameter is read once when the run starts (see `live`).
    ParamSpec restarts() const;

    // Parses a command-line or UI value. On failure returns nullopt and sets *error to one
    // line naming the value and what is allowed.
    std::optional<double> parse(const QString& text, QString* error) const;
    // Checks a numeric value (e.g. from a slider or a session file) the same way.
    std::optional<double> validate(double value, QString* error) const;

    QString allowedText() const;       // "1..64", "on|off", "naive|ordered|trylock"
    QString typeName() const;          // "int", "double", "bool", "choice"
    QJsonValue toJson(double value) const; // 4, 2.5, true, "ordered"
    QJsonObject schemaJson() const;
};

class ParamSchema
{
public:
    ParamSchema() = default;
    ParamSchema(std::initializer_list<ParamSpec> specs)
        : m_specs(specs)
    {
    }

    int indexOf(const QString& key) const;
    const ParamSpec& at(int index) const { return m_specs[std::size_t(index)]; }
    int size() const { return int(m_specs.size()); }
    const std::vector<ParamSpec>& specs() const { return m_specs; }

    std::vector<double> defaults() const;
    QStringList keys() const;

    // Applies "key=value" to values. On failure sets *error and returns false.
    bool applyAssignment(const QString& assignment, std::vector<double>& values, QString* error) const;
    bool applyValue(const QString& key, const QString& text, std::vector<double>& values,
                    QString* error) const;

    QJsonObject valuesJson(const std::vector<double>& values) const;

private:
    std::vector<ParamSpec> m_specs;
};

} // namespace interleave
