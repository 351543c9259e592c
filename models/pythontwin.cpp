// PythonTwin: finds a twin's parameter constants line by line and writes values into them.
#include "pythontwin.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// NAME = literal  # comment, at column 0: a module-level constant with a plain literal (a string
// without escapes, True/False, or a number). Anything else (an expression, a call) is not one.
const QRegularExpression& constantLine()
{
    static const QRegularExpression re(
        uR"(^([A-Z][A-Z0-9_]*\s*=\s*)("[^"\\]*"|'[^'\\]*'|True|False|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?)(\s*)(#.*)?$)"_s);
    return re;
}

// Which triple-quoted string a line leaves open, given the one open before it ("" for none).
// Lines inside a docstring ("then set LOCK = True") are text, not constants.
QString openStringAfter(const QString& line, QString open)
{
    static const QString quotes[] = {u"\"\"\""_s, u"'''"_s};
    int at = 0;
    while (at < line.size()) {
        if (open.isEmpty()) {
            if (line.at(at) == u'#')
                break; // the rest is a comment
            int next = -1;
            for (const QString& q : quotes) {
                const int i = line.indexOf(q, at);
                if (i >= 0 && (next < 0 || i < next)) {
                    next = i;
                    open = q;
                }
            }
            const int hash = line.indexOf(u'#', at);
            if (next < 0 || (hash >= 0 && hash < next)) {
                open.clear();
                break;
            }
            at = next + 3;
        } else {
            const int end = line.indexOf(open, at);
            if (end < 0)
                break;
            at = end + 3;
            open.clear();
        }
    }
    return open;
}

QString groupedDigits(QString digits)
{
    const int firstDigit = digits.startsWith(u'-') ? 1 : 0;
    for (int i = digits.size() - 3; i > firstDigit; i -= 3)
        digits.insert(i, u'_');
    return digits;
}

} // namespace

PythonTwin::PythonTwin(const QString& program, const ParamSchema& schema)
    : m_lines(program.split(u'\n'))
    , m_schema(schema)
    , m_constants(std::size_t(schema.size()))
{
    QString openString;
    for (int n = 0; n < m_lines.size(); ++n) {
        const QString& line = m_lines.at(n);
        const bool inString = !openString.isEmpty();
        openString = openStringAfter(line, openString);
        if (inString)
            continue;
        const QRegularExpressionMatch m = constantLine().match(line);
        if (!m.hasMatch())
            continue;
        const QString name = m.captured(1).section(u'=', 0, 0).trimmed();
        const int index = m_schema.indexOf(name.toLower());
        if (index < 0 || constantName(m_schema.at(index).key) != name)
            continue;
        Constant& c = m_constants[std::size_t(index)];
        if (c.line >= 0)
            continue; // the first assignment is the setting; later ones are the program's own
        c = Constant{n, m.captured(1), m.captured(2), m.captured(3), m.captured(4)};
    }
}

QString PythonTwin::program(const std::vector<double>& values) const
{
    QStringList lines = m_lines;
    for (int i = 0; i < m_schema.size() && std::size_t(i) < values.size(); ++i) {
        const Constant& c = m_constants[std::size_t(i)];
        const ParamSpec& spec = m_schema.at(i);
        if (c.line < 0 || parseLiteral(spec, c.literal) == values[std::size_t(i)])
            continue;
        lines[c.line] = lineFor(c, literal(spec, values[std::size_t(i)], c.literal.contains(u'_')));
    }
    return lines.join(u'\n');
}

QString PythonTwin::lineFor(const Constant& c, const QString& literal) const
{
    if (c.comment.isEmpty())
        return c.name + literal;
    // The comment stays in its column while the value fits; PEP 8's two spaces at least.
    const qsizetype gap = std::max<qsizetype>(std::min<qsizetype>(2, c.gap.size()),
                                              c.gap.size() + c.literal.size() - literal.size());
    return c.name + literal + QString(gap, u' ') + c.comment;
}

std::optional<double> PythonTwin::programValue(int index) const
{
    if (index < 0 || index >= m_schema.size() || m_constants[std::size_t(index)].line < 0)
        return std::nullopt;
    return parseLiteral(m_schema.at(index), m_constants[std::size_t(index)].literal);
}

QStringList PythonTwin::missingKeys() const
{
    QStringList keys;
    for (int i = 0; i < m_schema.size(); ++i) {
        if (m_constants[std::size_t(i)].line < 0)
            keys << m_schema.at(i).key;
    }
    return keys;
}

QString PythonTwin::literal(const ParamSpec& spec, double value, bool groupDigits)
{
    switch (spec.type) {
    case ParamSpec::Type::Int: {
        // Not ParamSpec::valueText: QString::number(double) writes 10000000 as "1e+07", a float.
        const QString digits = QString::number(std::llround(value));
        return groupDigits ? groupedDigits(digits) : digits;
    }
    case ParamSpec::Type::Double: {
        QString text = QString::number(value, 'g', 15);
        if (!text.contains(u'.') && !text.contains(u'e'))
            text += u".0"_s; // 2.0, not 2: the constant stays a float
        return text;
    }
    case ParamSpec::Type::Bool:
        return value != 0 ? u"True"_s : u"False"_s;
    case ParamSpec::Type::Choice: {
        const auto index = qsizetype(std::llround(value));
        const QString choice = index >= 0 && index < spec.choices.size() ? spec.choices.at(index) : QString();
        return u'"' + QString(choice).replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"';
    }
    }
    return {};
}

std::optional<double> PythonTwin::parseLiteral(const ParamSpec& spec, const QString& literal)
{
    bool ok = false;
    switch (spec.type) {
    case ParamSpec::Type::Int: {
        const qlonglong v = QString(literal).remove(u'_').toLongLong(&ok);
        return ok ? std::optional<double>(double(v)) : std::nullopt;
    }
    case ParamSpec::Type::Double: {
        const double v = QString(literal).remove(u'_').toDouble(&ok);
        return ok ? std::optional<double>(v) : std::nullopt;
    }
    case ParamSpec::Type::Bool:
        if (literal == u"True"_s)
            return 1.0;
        if (literal == u"False"_s)
            return 0.0;
        return std::nullopt;
    case ParamSpec::Type::Choice: {
        if (literal.size() < 2 || literal.front() != literal.back()
            || (literal.front() != u'"' && literal.front() != u'\''))
            return std::nullopt;
        const qsizetype index = spec.choices.indexOf(literal.mid(1, literal.size() - 2));
        return index >= 0 ? std::optional<double>(double(index)) : std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace interleave
