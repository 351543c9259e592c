// Parameter schema parsing and validation: every bad value gets one line saying what is allowed.
#include "params.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

ParamSpec ParamSpec::integer(QString key, int min, int max, int def, QString unit, QString help)
{
    ParamSpec s;
    s.key = std::move(key);
    s.type = Type::Int;
    s.min = min;
    s.max = max;
    s.defaultValue = def;
    s.unit = std::move(unit);
    s.help = std::move(help);
    return s;
}

ParamSpec ParamSpec::real(QString key, double min, double max, double def, QString unit, QString help)
{
    ParamSpec s = integer(std::move(key), 0, 0, 0, std::move(unit), std::move(help));
    s.type = Type::Double;
    s.min = min;
    s.max = max;
    s.defaultValue = def;
    return s;
}

ParamSpec ParamSpec::boolean(QString key, bool def, QString help)
{
    ParamSpec s;
    s.key = std::move(key);
    s.type = Type::Bool;
    s.min = 0;
    s.max = 1;
    s.defaultValue = def ? 1 : 0;
    s.help = std::move(help);
    return s;
}

ParamSpec ParamSpec::choice(QString key, QStringList choices, int def, QString help)
{
    ParamSpec s;
    s.key = std::move(key);
    s.type = Type::Choice;
    s.min = 0;
    s.max = double(choices.size() - 1);
    s.defaultValue = def;
    s.choices = std::move(choices);
    s.help = std::move(help);
    return s;
}

ParamSpec ParamSpec::restarts() const
{
    ParamSpec s = *this;
    s.live = false;
    s.help += u" (changing it while running starts the run again)"_s;
    return s;
}

QString ParamSpec::allowedText() const
{
    switch (type) {
    case Type::Int:
        return u"an integer %1..%2"_s.arg(qint64(min)).arg(qint64(max));
    case Type::Double:
        return u"a number %1..%2"_s.arg(min).arg(max);
    case Type::Bool:
        return u"on|off"_s;
    case Type::Choice:
        return choices.join(u'|');
    }
    return {};
}

QString ParamSpec::valueText(double value) const
{
    const QJsonValue v = toJson(value);
    if (v.isBool())
        return v.toBool() ? u"on"_s : u"off"_s;
    if (v.isString())
        return v.toString();
    if (type == Type::Int)
        return QString::number(v.toInteger()); // 10000000, not 1e+07
    return QString::number(v.toDouble());
}

QString ParamSpec::typeName() const
{
    switch (type) {
    case Type::Int: return u"int"_s;
    case Type::Double: return u"double"_s;
    case Type::Bool: return u"bool"_s;
    case Type::Choice: return u"choice"_s;
    }
    return {};
}

std::optional<double> ParamSpec::validate(double value, QString* error) const
{
    auto fail = [&](const QString& what) -> std::optional<double> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    if (!std::isfinite(value))
        return fail(u"value for %1 is not a finite number; allowed: %2"_s.arg(key, allowedText()));
    if (type != Type::Double && value != std::floor(value))
        return fail(u"value %1 for %2 is not whole; allowed: %3"_s.arg(value).arg(key, allowedText()));
    if (value < min || value > max)
        return fail(u"value %1 for %2 is out of range; allowed: %3"_s.arg(value).arg(key, allowedText()));
    return value;
}

std::optional<double> ParamSpec::parse(const QString& rawText, QString* error) const
{
    const QString text = rawText.trimmed();
    auto fail = [&](const QString& what) -> std::optional<double> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    switch (type) {
    case Type::Int: {
        bool ok = false;
        const qlonglong v = text.toLongLong(&ok);
        if (!ok)
            return fail(u"value '%1' for %2 is not an integer; allowed: %3"_s.arg(rawText, key, allowedText()));
        if (v < qlonglong(min) || v > qlonglong(max))
            return fail(u"value %1 for %2 is out of range; allowed: %3"_s.arg(v).arg(key, allowedText()));
        return double(v);
    }
    case Type::Double: {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return fail(u"value '%1' for %2 is not a number; allowed: %3"_s.arg(rawText, key, allowedText()));
        return validate(v, error);
    }
    case Type::Bool: {
        const QString t = text.toLower();
        if (t == "on"_L1 || t == "true"_L1 || t == "1"_L1 || t == "yes"_L1)
            return 1.0;
        if (t == "off"_L1 || t == "false"_L1 || t == "0"_L1 || t == "no"_L1)
            return 0.0;
        return fail(u"value '%1' for %2 is not a switch; allowed: on|off"_s.arg(rawText, key));
    }
    case Type::Choice: {
        const qsizetype i = choices.indexOf(text.toLower());
        if (i < 0)
            return fail(u"value '%1' for %2 is not a choice; allowed: %3"_s.arg(rawText, key, allowedText()));
        return double(i);
    }
    }
    return std::nullopt;
}

QJsonValue ParamSpec::toJson(double value) const
{
    switch (type) {
    case Type::Int: return qint64(std::llround(value));
    case Type::Double: return value;
    case Type::Bool: return value != 0;
    case Type::Choice: {
        const qsizetype i = qsizetype(std::llround(value));
        return i >= 0 && i < choices.size() ? QJsonValue(choices[i]) : QJsonValue();
    }
    }
    return {};
}

QJsonObject ParamSpec::schemaJson() const
{
    QJsonObject o{{u"key"_s, key}, {u"type"_s, typeName()}, {u"default"_s, toJson(defaultValue)},
                  {u"help"_s, help}, {u"live"_s, live}};
    if (type == Type::Int || type == Type::Double) {
        o.insert(u"min"_s, toJson(min));
        o.insert(u"max"_s, toJson(max));
        o.insert(u"unit"_s, unit);
    }
    if (type == Type::Choice)
        o.insert(u"choices"_s, QJsonArray::fromStringList(choices));
    return o;
}

int ParamSchema::indexOf(const QString& key) const
{
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        if (m_specs[i].key == key)
            return int(i);
    }
    return -1;
}

std::vector<double> ParamSchema::defaults() const
{
    std::vector<double> v;
    v.reserve(m_specs.size());
    for (const auto& s : m_specs)
        v.push_back(s.defaultValue);
    return v;
}

QStringList ParamSchema::keys() const
{
    QStringList k;
    for (const auto& s : m_specs)
        k << s.key;
    return k;
}

bool ParamSchema::applyValue(const QString& key, const QString& text, std::vector<double>& values,
                             QString* error) const
{
    const int i = indexOf(key);
    if (i < 0) {
        if (error)
            *error = u"unknown parameter '%1'; allowed: %2"_s.arg(key, keys().join(u", "_s));
        return false;
    }
    const auto v = m_specs[std::size_t(i)].parse(text, error);
    if (!v)
        return false;
    values.resize(m_specs.size());
    values[std::size_t(i)] = *v;
    return true;
}

bool ParamSchema::applyAssignment(const QString& assignment, std::vector<double>& values,
                                  QString* error) const
{
    const qsizetype eq = assignment.indexOf(u'=');
    if (eq <= 0) {
        if (error)
            *error = u"malformed --set '%1'; expected key=value, keys: %2"_s.arg(assignment, keys().join(u", "_s));
        return false;
    }
    return applyValue(assignment.left(eq).trimmed(), assignment.mid(eq + 1), values, error);
}

QJsonObject ParamSchema::valuesJson(const std::vector<double>& values) const
{
    QJsonObject o;
    for (std::size_t i = 0; i < m_specs.size() && i < values.size(); ++i)
        o.insert(m_specs[i].key, m_specs[i].toJson(values[i]));
    return o;
}

} // namespace interleave
