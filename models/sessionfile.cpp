// Session files: written as indented JSON, read with one clear line for every way a file can be bad.
#include "sessionfile.h"

#include "scenario.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QSaveFile>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

const QString Schema = u"interleave.session/1"_s;
const QString SchemaFamily = u"interleave.session/"_s;
constexpr double MaxAbsMs = 1e12; // about 30 years either side: anything more is not a real view

QString jsonTypeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"a switch (true/false)"_s;
    case QJsonValue::Double: return u"a number"_s;
    case QJsonValue::String: return u"text"_s;
    case QJsonValue::Array: return u"a list"_s;
    case QJsonValue::Object: return u"an object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"nothing"_s;
}

// The known key nearest to a misspelt one (at most two edits away), for "did you mean".
QString nearest(const QString& key, const QStringList& known)
{
    auto distance = [](const QString& a, const QString& b) {
        std::vector<int> row(std::size_t(b.size()) + 1);
        for (std::size_t j = 0; j < row.size(); ++j)
            row[j] = int(j);
        for (qsizetype i = 1; i <= a.size(); ++i) {
            int diagonal = row[0];
            row[0] = int(i);
            for (qsizetype j = 1; j <= b.size(); ++j) {
                const int up = row[std::size_t(j)];
                row[std::size_t(j)] = std::min({up + 1, row[std::size_t(j - 1)] + 1,
                                                diagonal + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1)});
                diagonal = up;
            }
        }
        return row.back();
    };
    QString best;
    int bestDistance = 3;
    for (const QString& k : known) {
        // A key cut short ("from" for "from_ms") is as good a guess as one letter off.
        const bool cut = key.size() >= 3 && (k.startsWith(key, Qt::CaseInsensitive) || key.startsWith(k, Qt::CaseInsensitive));
        const int d = key.size() > 64 ? 99 : cut ? 1 : distance(key, k);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

// A key the format does not have is a mistake to name (a misspelt "speed" would otherwise leave
// the default in place without a word).
bool onlyKnownKeys(const QJsonObject& o, const QStringList& known, const QString& where, QString* error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (known.contains(it.key()))
            continue;
        const QString guess = nearest(it.key(), known);
        *error = u"unknown key \"%1\"%2%3; allowed: %4"_s.arg(
            it.key().size() > 64 ? it.key().left(60) + u"…"_s : it.key(),
            where.isEmpty() ? QString() : u" in \"%1\""_s.arg(where),
            guess.isEmpty() ? QString() : u" (did you mean \"%1\"?)"_s.arg(guess), known.join(u", "_s));
        return false;
    }
    return true;
}

// A parameter's value as the file has it: numbers, switches and choice names are all accepted
// in their natural JSON form, and in the command line's text form ("on", "4", "ordered").
std::optional<double> paramValue(const ParamSpec& spec, const QJsonValue& v, QString* error)
{
    if (v.isString())
        return spec.parse(v.toString(), error);
    if (v.isBool() && spec.type == ParamSpec::Type::Bool)
        return v.toBool() ? 1.0 : 0.0;
    if (v.isDouble() && spec.type != ParamSpec::Type::Choice)
        return spec.validate(v.toDouble(), error);
    *error = u"value for %1 is %2; allowed: %3"_s.arg(spec.key, jsonTypeName(v), spec.allowedText());
    return std::nullopt;
}

bool readBool(const QJsonObject& o, const QString& key, bool& out, QString* error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return true;
    if (!v.isBool()) {
        *error = u"\"%1\" must be true or false, not %2"_s.arg(key, jsonTypeName(v));
        return false;
    }
    out = v.toBool();
    return true;
}

bool readMs(const QJsonObject& o, const QString& key, std::int64_t& outNs, QString* error)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble() || !std::isfinite(v.toDouble()) || std::abs(v.toDouble()) > MaxAbsMs) {
        *error = u"\"view\".\"visible\".\"%1\" must be a time in ms, not %2"_s.arg(
            key, v.isDouble() ? QString::number(v.toDouble()) : jsonTypeName(v));
        return false;
    }
    outNs = std::llround(v.toDouble() * 1e6);
    return true;
}

bool readView(const QJsonObject& view, Session& s, QString* error)
{
    if (!onlyKnownKeys(view, {u"follow_live"_s, u"show_gil_lane"_s, u"visible"_s}, u"view"_s, error))
        return false;
    if (!readBool(view, u"follow_live"_s, s.followLive, error) || !readBool(view, u"show_gil_lane"_s, s.showGilLane, error))
        return false;
    const QJsonValue visible = view.value(u"visible"_s);
    if (visible.isUndefined())
        return true;
    if (!visible.isObject()) {
        *error = u"\"view\".\"visible\" must be an object {\"from_ms\": .., \"to_ms\": ..}, not %1"_s.arg(
            jsonTypeName(visible));
        return false;
    }
    const QJsonObject range = visible.toObject();
    if (!onlyKnownKeys(range, {u"from_ms"_s, u"to_ms"_s}, u"visible"_s, error))
        return false;
    if (!readMs(range, u"from_ms"_s, s.visibleStartNs, error) || !readMs(range, u"to_ms"_s, s.visibleEndNs, error))
        return false;
    if (s.visibleEndNs <= s.visibleStartNs) {
        *error = u"\"view\".\"visible\" ends (%1 ms) before it starts (%2 ms)"_s.arg(range.value(u"to_ms"_s).toDouble())
                     .arg(range.value(u"from_ms"_s).toDouble());
        return false;
    }
    return true;
}

bool looksBinary(const QByteArray& contents)
{
    if (contents.contains('\0'))
        return true;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8(contents);
    Q_UNUSED(decoded);
    return utf8.hasError();
}

} // namespace

std::optional<Session> defaultSession(const QString& scenario)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(scenario);
    if (!entry)
        return std::nullopt;
    Session s;
    s.scenario = scenario;
    s.values = entry->info.schema.defaults();
    s.showGilLane = entry->info.usesGil;
    return s;
}

QJsonObject toJson(const Session& session)
{
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(session.scenario);
    QJsonObject view{{u"follow_live"_s, session.followLive}, {u"show_gil_lane"_s, session.showGilLane}};
    if (session.hasVisibleRange()) {
        view.insert(u"visible"_s, QJsonObject{{u"from_ms"_s, double(session.visibleStartNs) / 1e6},
                                              {u"to_ms"_s, double(session.visibleEndNs) / 1e6}});
    }
    return QJsonObject{{u"schema"_s, Schema},
                       {u"scenario"_s, session.scenario},
                       {u"params"_s, entry ? entry->info.schema.valuesJson(session.values) : QJsonObject()},
                       {u"speed"_s, session.speed},
                       {u"view"_s, view}};
}

QByteArray toFileContents(const Session& session)
{
    return QJsonDocument(toJson(session)).toJson(QJsonDocument::Indented);
}

std::optional<Session> parseSession(const QByteArray& contents, QString* error)
{
    QString scratch;
    QString* err = error ? error : &scratch;
    auto fail = [&](const QString& what) -> std::optional<Session> {
        *err = what;
        return std::nullopt;
    };

    if (contents.trimmed().isEmpty())
        return fail(u"the file is empty; a session file is JSON with \"schema\": \"%1\""_s.arg(Schema));
    if (contents.size() > Session::MaxFileBytes) {
        return fail(u"the file is %1; a session file is at most %2"_s.arg(
            QLocale::c().formattedDataSize(contents.size()), QLocale::c().formattedDataSize(Session::MaxFileBytes)));
    }
    if (looksBinary(contents))
        return fail(u"the file is binary, not a session (sessions are JSON text)"_s);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(contents, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const bool atEnd = parseError.offset >= contents.trimmed().size();
        return fail(atEnd ? u"the JSON ends too early (%1): the file is truncated"_s.arg(parseError.errorString())
                          : u"the file is not valid JSON: %1 at byte %2"_s.arg(parseError.errorString())
                                .arg(parseError.offset));
    }
    if (!doc.isObject())
        return fail(u"the JSON is a list, not a session object with \"schema\": \"%1\""_s.arg(Schema));
    const QJsonObject root = doc.object();

    const QJsonValue schema = root.value(u"schema"_s);
    if (!schema.isString())
        return fail(u"no \"schema\": this is not an Interleave session (expected \"%1\")"_s.arg(Schema));
    if (schema.toString() != Schema) {
        if (schema.toString().startsWith(SchemaFamily))
            return fail(u"\"%1\" was written by a newer Interleave; this one reads \"%2\""_s.arg(schema.toString(), Schema));
        return fail(u"this is a \"%1\" file, not an Interleave session (\"%2\")"_s.arg(schema.toString(), Schema));
    }
    QString unknown;
    if (!onlyKnownKeys(root, {u"schema"_s, u"scenario"_s, u"params"_s, u"speed"_s, u"view"_s}, QString(), &unknown))
        return fail(unknown);

    const auto& registry = ScenarioRegistry::instance();
    const QJsonValue scenario = root.value(u"scenario"_s);
    if (!scenario.isString())
        return fail(u"\"scenario\" must name a lesson (%1), not %2"_s.arg(registry.ids().join(u", "_s),
                                                                         jsonTypeName(scenario)));
    std::optional<Session> s = defaultSession(scenario.toString());
    if (!s)
        return fail(u"unknown scenario '%1'; allowed: %2"_s.arg(scenario.toString(), registry.ids().join(u", "_s)));
    const ParamSchema& paramSchema = registry.find(s->scenario)->info.schema;

    const QJsonValue params = root.value(u"params"_s);
    if (!params.isUndefined() && !params.isObject())
        return fail(u"\"params\" must be an object of key: value, not %1"_s.arg(jsonTypeName(params)));
    const QJsonObject paramObject = params.toObject();
    for (auto it = paramObject.begin(); it != paramObject.end(); ++it) {
        const int index = paramSchema.indexOf(it.key());
        if (index < 0) {
            const QString guess = nearest(it.key(), paramSchema.keys());
            return fail(u"unknown parameter '%1' for %2%3; allowed: %4"_s.arg(
                it.key(), s->scenario, guess.isEmpty() ? QString() : u" (did you mean '%1'?)"_s.arg(guess),
                paramSchema.keys().join(u", "_s)));
        }
        QString why;
        const auto v = paramValue(paramSchema.at(index), it.value(), &why);
        if (!v)
            return fail(why);
        s->values[std::size_t(index)] = *v;
    }

    const QJsonValue speed = root.value(u"speed"_s);
    if (!speed.isUndefined()) {
        const double v = speed.toDouble(std::nan(""));
        if (!speed.isDouble() || !(v >= Session::MinSpeed && v <= Session::MaxSpeed)) {
            return fail(u"speed %1 is not allowed; expected a number %2..%3"_s.arg(
                speed.isDouble() ? QString::number(v) : jsonTypeName(speed))
                            .arg(Session::MinSpeed)
                            .arg(Session::MaxSpeed));
        }
        s->speed = v;
    }

    const QJsonValue view = root.value(u"view"_s);
    if (!view.isUndefined()) {
        if (!view.isObject())
            return fail(u"\"view\" must be an object, not %1"_s.arg(jsonTypeName(view)));
        QString why;
        if (!readView(view.toObject(), *s, &why))
            return fail(why);
    }
    return s;
}

std::optional<Session> readSessionFile(const QString& path, QString* error)
{
    QString scratch;
    QString* err = error ? error : &scratch;
    const QFileInfo info(path);
    const QString name = info.fileName().isEmpty() ? path : info.fileName();
    auto fail = [&](const QString& what) -> std::optional<Session> {
        *err = what;
        return std::nullopt;
    };
    if (!info.exists())
        return fail(u"%1 does not exist"_s.arg(path));
    if (info.isDir())
        return fail(u"%1 is a folder, not a session file"_s.arg(path));
    if (!info.isFile()) // a FIFO with no writer would block the reader for ever
        return fail(u"%1 is not a regular file (a device, pipe or socket), not a session file"_s.arg(path));
    if (info.size() > Session::MaxFileBytes) {
        return fail(u"%1 is %2; a session file is at most %3"_s.arg(
            name, QLocale::c().formattedDataSize(info.size()), QLocale::c().formattedDataSize(Session::MaxFileBytes)));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read %1: %2"_s.arg(path, file.errorString()));
    const QByteArray contents = file.read(Session::MaxFileBytes + 1); // it may have grown since
    QString why;
    auto s = parseSession(contents, &why);
    if (!s)
        return fail(u"%1: %2"_s.arg(name, why));
    return s;
}

bool writeSessionFile(const QString& path, const Session& session, QString* error)
{
    QSaveFile file(path);
    const QByteArray contents = toFileContents(session);
    if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size() || !file.commit()) {
        if (error)
            *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace interleave
