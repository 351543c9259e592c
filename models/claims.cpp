// Claims about a run's outcome: the grammar the lessons' predictions and tst_trythis share.
#include "claims.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QRegularExpression>

#include <vector>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

struct Factor
{
    bool divide = false;
    QString token; // a number or a field name
};

// "2 * lost_updates / 4" as its factors; nullopt when it is not a product of that form.
std::optional<std::vector<Factor>> factorsOf(const QString& text)
{
    static const QRegularExpression factor(u"([*/]?)\\s*([A-Za-z_0-9.]+)\\s*"_s);
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    std::vector<Factor> factors;
    qsizetype at = 0;
    for (auto it = factor.globalMatch(trimmed); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedStart() != at || (at > 0) == m.captured(1).isEmpty())
            return std::nullopt; // not of the form a [op b]...
        at = m.capturedEnd();
        factors.push_back({m.captured(1) == u"/"_s, m.captured(2)});
    }
    if (at != trimmed.size())
        return std::nullopt;
    return factors;
}

bool isNumber(const QString& token, double* value = nullptr)
{
    bool ok = false;
    const double v = token.toDouble(&ok);
    if (ok && value)
        *value = v;
    return ok;
}

struct Parts
{
    QString lhs;
    QString op;
    QString rhs;
};

std::optional<Parts> partsOf(const QString& claim)
{
    static const QRegularExpression form(u"^(.+?)\\s*(==|!=|>=|<=|>|<)\\s*(.+)$"_s);
    const QRegularExpressionMatch m = form.match(claim);
    if (!m.hasMatch())
        return std::nullopt;
    return Parts{m.captured(1).trimmed(), m.captured(2), m.captured(3).trimmed()};
}

bool isEndedClaim(const Parts& parts)
{
    return parts.lhs == u"ended"_s;
}

} // namespace

std::optional<double> claimOperand(const QString& text, const QJsonObject& fields)
{
    const auto factors = factorsOf(text);
    if (!factors)
        return std::nullopt;
    double value = 1.0;
    for (const Factor& f : *factors) {
        double n = 0;
        if (!isNumber(f.token, &n)) {
            const QJsonValue v = fields.value(f.token);
            if (!v.isDouble() && !v.isBool())
                return std::nullopt;
            n = v.isBool() ? double(v.toBool()) : v.toDouble();
        }
        value = f.divide ? value / n : value * n;
    }
    return value;
}

QString checkClaim(const QString& claim, const QJsonObject& summary)
{
    const std::optional<Parts> parts = partsOf(claim);
    if (!parts)
        return u"unreadable claim"_s;
    if (isEndedClaim(*parts)) {
        const QString ended = summary.value(u"ended"_s).toString();
        const bool equal = ended == parts->rhs;
        return (parts->op == u"=="_s ? equal : !equal) ? QString() : u"ended: "_s + ended;
    }
    QJsonObject fields = summary.value(u"outcome"_s).toObject();
    fields.insert(u"wall_ms"_s, summary.value(u"wall_ms"_s));
    const auto lhs = claimOperand(parts->lhs, fields);
    const auto rhs = claimOperand(parts->rhs, fields);
    if (!lhs || !rhs)
        return u"a field is missing from the outcome: "_s + QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
    const double a = *lhs, b = *rhs;
    const QString& op = parts->op;
    const bool holds = op == u"=="_s ? a == b : op == u"!="_s ? a != b : op == u">="_s ? a >= b
                     : op == u"<="_s ? a <= b : op == u">"_s ? a > b : a < b;
    return holds ? QString() : u"%1 vs %2"_s.arg(a).arg(b);
}

QString claimFormError(const QString& claim)
{
    const std::optional<Parts> parts = partsOf(claim);
    if (!parts)
        return u"'%1' is not of the form 'lhs op rhs' (op one of == != >= <= > <)"_s.arg(claim);
    if (isEndedClaim(*parts)) {
        static const QRegularExpression word(u"^[a-z_]+$"_s);
        if (parts->op != u"=="_s && parts->op != u"!="_s)
            return u"'%1': ended is compared with == or != only"_s.arg(claim);
        if (!word.match(parts->rhs).hasMatch())
            return u"'%1': ended is compared with a word, such as deadlock or completed"_s.arg(claim);
        return {};
    }
    for (const QString& side : {parts->lhs, parts->rhs}) {
        if (const QString error = operandFormError(side); !error.isEmpty())
            return u"'%1': "_s.arg(claim) + error;
    }
    return {};
}

QString operandFormError(const QString& text)
{
    static const QRegularExpression name(u"^[A-Za-z_][A-Za-z_0-9]*$"_s);
    const auto factors = factorsOf(text);
    if (!factors)
        return u"'%1' is not numbers and fields multiplied or divided (a * b / c)"_s.arg(text.trimmed());
    for (const Factor& f : *factors) {
        if (!isNumber(f.token) && !name.match(f.token).hasMatch())
            return u"'%1' is neither a number nor a field name"_s.arg(f.token);
    }
    return {};
}

QStringList claimFields(const QString& claim)
{
    QStringList fields;
    const std::optional<Parts> parts = partsOf(claim);
    const QStringList sides = parts ? QStringList{parts->lhs, parts->rhs} : QStringList{claim};
    if (parts && isEndedClaim(*parts))
        return {u"ended"_s};
    for (const QString& side : sides) {
        if (const auto factors = factorsOf(side)) {
            for (const Factor& f : *factors) {
                if (!isNumber(f.token) && !fields.contains(f.token))
                    fields << f.token;
            }
        }
    }
    return fields;
}

} // namespace interleave
