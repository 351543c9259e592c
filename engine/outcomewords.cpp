// Outcome words: numbers as a class reads them, shared by every lesson's sentence.
#include "outcomewords.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace interleave {

QString formatOutcomeNumber(double value)
{
    if (!std::isfinite(value))
        return u"–"_s;
    const double magnitude = std::abs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 1 ? 1 : 2;
    QString text = QString::number(value, 'f', decimals);
    if (decimals > 0) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    if (text == u"-0"_s)
        text = u"0"_s;
    return text;
}

namespace words {

std::optional<double> number(const QJsonObject& o, const QString& key)
{
    const QJsonValue v = o.value(key);
    if (v.isDouble())
        return v.toDouble();
    if (v.isBool())
        return v.toBool() ? 1.0 : 0.0;
    return std::nullopt;
}

QString integer(double v)
{
    return QString::number(qint64(std::llround(v)));
}

QString counted(double v, const QString& singular, const QString& plural)
{
    return integer(v) + u' ' + (std::llround(v) == 1 ? singular : plural);
}

QString milliseconds(double ms)
{
    return formatOutcomeNumber(ms) + u" ms"_s;
}

QString percent(double fraction, int decimals)
{
    return QString::number(fraction * 100, 'f', decimals) + u'%';
}

} // namespace words
} // namespace interleave
