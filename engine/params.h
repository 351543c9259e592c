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
    QString valueText(double value) const; // as --set takes it: "4", "2.5", "on", "ordered"
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
    friend class ParamDeclarations;
    std::vector<ParamSpec> m_specs;
};

// A scenario's handle on one of its parameters: what RunContext::value() reads, typed (int, bool,
// double, or the enum of a choice). It is the parameter's place in the schema.
template<typename T>
struct Param
{
    int index = -1;
};

// A scenario declares its parameters once, as members of a struct derived from this one, in the
// order the schema lists them:
//     struct Params : ParamDeclarations {
//         Param<int> threads = integer(u"threads"_s, 1, 64, 4, u"threads"_s, u"Threads counting"_s);
//         Param<bool> lock = boolean(u"lock"_s, false, u"Hold a lock around counter += 1"_s);
//     };
// schema() is what the rest of the program sees; the handles, read with RunContext::value(), are
// what the threads use: `const auto& p = declared<Params>(); ctx.value(p.threads)`.
class ParamDeclarations
{
public:
    const ParamSchema& schema() const { return m_schema; }

protected:
    Param<int> integer(QString key, int min, int max, int def, QString unit, QString help)
    {
        return add<int>(ParamSpec::integer(std::move(key), min, max, def, std::move(unit), std::move(help)));
    }
    Param<double> real(QString key, double min, double max, double def, QString unit, QString help)
    {
        return add<double>(ParamSpec::real(std::move(key), min, max, def, std::move(unit), std::move(help)));
    }
    Param<bool> boolean(QString key, bool def, QString help)
    {
        return add<bool>(ParamSpec::boolean(std::move(key), def, std::move(help)));
    }
    // Reads as the choice's index, as the enum E whose values follow the choices' order.
    template<typename E>
    Param<E> choice(QString key, QStringList choices, E def, QString help)
    {
        return add<E>(ParamSpec::choice(std::move(key), std::move(choices), int(def), std::move(help)));
    }
    // The parameter is read once when the run starts (see ParamSpec::live).
    template<typename T>
    Param<T> restarts(Param<T> p)
    {
        ParamSpec& spec = m_schema.m_specs[std::size_t(p.index)];
        spec = spec.restarts();
        return p;
    }

private:
    template<typename T>
    Param<T> add(ParamSpec spec)
    {
        m_schema.m_specs.push_back(std::move(spec));
        return Param<T>{m_schema.size() - 1};
    }

    ParamSchema m_schema;
};

// The one instance of a scenario's declarations, made on first use: declared<Params>().threads.
template<typename Declarations>
const Declarations& declared()
{
    static const Declarations declarations;
    return declarations;
}

} // namespace interleave
