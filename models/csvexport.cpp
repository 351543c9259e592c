// summaryToCsv: the summary's tables flattened into rows with a shared header.
#include "csvexport.h"

#include "traceevent.h"

#include <QJsonArray>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

QString field(const QJsonValue& v)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    QString s = v.toString();
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n') || s.contains(u'\r')) {
        s.replace(u"\""_s, u"\"\""_s);
        s = u'"' + s + u'"';
    }
    return s;
}

} // namespace

QByteArray summaryToCsv(const QJsonObject& summary)
{
    QStringList columns{u"table"_s, u"name"_s, u"kind"_s, u"wall_ms"_s};
    for (int s = 0; s < ThreadStateCount; ++s)
        columns.append(QString::fromLatin1(stateKey(ThreadState(s))) + u"_ms"_s);
    const QStringList lockColumns{u"acquisitions"_s, u"contended"_s, u"wait_ms_total"_s, u"wait_ms_max"_s,
                                  u"hold_ms_total"_s};
    const QStringList queueColumns{u"capacity"_s, u"puts"_s, u"gets"_s, u"max_depth"_s, u"mean_depth"_s};
    const QStringList counterColumns{u"samples"_s, u"min"_s, u"max"_s, u"mean"_s};
    columns += lockColumns;
    columns += queueColumns;
    columns += counterColumns;

    QByteArray out = columns.join(u',').toUtf8() + "\r\n";
    auto row = [&](const QString& table, const QJsonObject& values) {
        QStringList fields;
        fields.reserve(columns.size());
        for (const QString& c : columns)
            fields.append(c == "table"_L1 ? table : field(values.value(c)));
        out += fields.join(u',').toUtf8() + "\r\n";
    };

    for (const QJsonValue v : summary.value(u"threads"_s).toArray()) {
        QJsonObject t = v.toObject();
        const QJsonObject ms = t.value(u"ms"_s).toObject();
        for (auto it = ms.begin(); it != ms.end(); ++it)
            t.insert(it.key() + u"_ms"_s, it.value());
        row(u"thread"_s, t);
    }
    for (const QJsonValue v : summary.value(u"locks"_s).toArray()) {
        QJsonObject l = v.toObject();
        if (!l.contains(u"kind"_s))
            l.insert(u"kind"_s, u"lock"_s);
        row(u"lock"_s, l);
    }
    for (const QJsonValue v : summary.value(u"queues"_s).toArray())
        row(u"queue"_s, v.toObject());
    for (const QJsonValue v : summary.value(u"counters"_s).toArray())
        row(u"counter"_s, v.toObject());
    return out;
}

} // namespace interleave
