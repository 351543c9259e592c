// Command-line parsing. Errors name the value and what is allowed; exit codes are main's job.
#include "commandline.h"

#include "experimentrunner.h"
#include "explorer.h"

#include "questions.h"
#include "scenario.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// How long a question's run may take without --duration: long enough for any of the lessons'
// questions on a busy machine (a run cut short would answer a question it was not asked).
constexpr double QuestionDurationS = 120;

struct Parser
{
    QCommandLineParser p;
    QCommandLineOption headless{u"headless"_s, u"Run without a window and print results."_s};
    QCommandLineOption scenario{u"scenario"_s, u"Lesson to run (see --list-scenarios)."_s, u"id"_s};
    QCommandLineOption set{u"set"_s, u"Set a lesson parameter; repeatable."_s, u"key=value"_s};
    QCommandLineOption speed{u"speed"_s, u"Time scale: 2 runs twice as fast (0.01..1000, default 1)."_s, u"x"_s};
    QCommandLineOption duration{u"duration"_s,
                                u"Stop a headless run after this many seconds (default 10)."_s, u"s"_s};
    QCommandLineOption summaryOut{u"summary-out"_s, u"Write the run summary as JSON to a file, or - for stdout."_s,
                                  u"file"_s};
    QCommandLineOption traceOut{u"trace-out"_s, u"Write the recorded run as Chrome Trace Event JSON (opens in Perfetto)."_s,
                                u"file"_s};
    QCommandLineOption csvOut{u"csv-out"_s, u"Write the statistics tables (threads, locks, queues) as CSV."_s,
                              u"file"_s};
    QCommandLineOption open{u"open"_s, u"Open a trace (Chrome Trace Event JSON) or a session (.interleave)."_s,
                            u"file"_s};
    QCommandLineOption list{u"list-scenarios"_s, u"List the lessons and their parameters."_s};
    QCommandLineOption json{u"json"_s, u"With --list-scenarios: print JSON."_s};
    QCommandLineOption autostart{u"autostart"_s, u"Start the lesson as soon as the window opens."_s};
    QCommandLineOption screenshot{u"screenshot"_s, u"GUI: save a picture of the window to this PNG, then quit."_s,
                                  u"file"_s};
    QCommandLineOption quitAfter{u"quit-after"_s, u"GUI: quit after this many milliseconds (default with --screenshot: 3000)."_s,
                                 u"ms"_s};
    QCommandLineOption repeat{u"repeat"_s, u"Headless: run the lesson N times and write every outcome and their spread."_s,
                              u"n"_s};
    QCommandLineOption sweep{u"sweep"_s,
                             u"Headless: run the lesson for every value of one setting, e.g. workers=1..8 or load_ms=0..100:25."_s,
                             u"key=from..to[:step]"_s};
    QCommandLineOption compare{u"compare"_s,
                               u"Headless: compare two traces Interleave wrote (--compare A.json B.json): both summaries and their differences."_s,
                               u"A.json"_s};
    QCommandLineOption question{u"question"_s,
                                u"Headless: run the lesson's question N with its settings and report the answer."_s,
                                u"n"_s};
    QCommandLineOption predict{u"predict"_s,
                               u"With --question: the choice predicted (1-based; several as 2,3), or a number question's guess."_s,
                               u"choice|number"_s};
    QCommandLineOption step{u"step"_s, u"Window: start the lesson in step mode; you choose which thread takes the next step."_s};
    QCommandLineOption schedule{u"schedule"_s,
                                u"Step mode: the threads (lane numbers, main = 0) that step first, in order, e.g. 1,2,1,2; then the last thread goes on while it can."_s,
                                u"lanes"_s};
    QCommandLineOption seed{u"seed"_s, u"Step mode: after any --schedule, choose each step at random from this seed (reproducible)."_s,
                            u"n"_s};
    QCommandLineOption explore{u"explore"_s, u"Headless: run the lesson's steps under every schedule and count the outcomes."_s};
    QCommandLineOption preemptions{u"preemptions"_s,
                                   u"With --explore: at most this many preemptions per schedule (switching away from a thread that could go on)."_s,
                                   u"k"_s};
    QCommandLineOption maxSchedules{u"max-schedules"_s, u"With --explore: stop after this many schedules (default 100000) and count what is left."_s,
                                    u"n"_s};
    QCommandLineOption calls{u"calls"_s,
                             u"With --python: also draw the calls of the program's own functions (20 µs or longer) as slices under its lanes; the program runs slower."_s};
    QCommandLineOption help{QStringList{u"h"_s, u"help"_s}, u"Show this help."_s};
    QCommandLineOption version{QStringList{u"v"_s, u"version"_s}, u"Show the version."_s};

    Parser()
    {
        p.setApplicationDescription(u"Interleave: watch real threads, locks, queues and a simulated GIL at work."_s);
        p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
        p.addOptions({headless, scenario, open, set, speed, duration, summaryOut, traceOut, csvOut, list, json, autostart,
                      screenshot, quitAfter, repeat, sweep, compare, question, predict, step, schedule, seed, explore,
                      preemptions, maxSchedules, calls, help, version});
        p.addPositionalArgument(u"file"_s, u"A trace or session to open (as --open)."_s, u"[file]"_s);
    }
};

std::optional<double> parseNumber(const QString& text, double min, double max, const QString& what,
                                  QString* error)
{
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v < min || v > max) {
        *error = u"%1 '%2' is not allowed; expected a number %3..%4"_s.arg(what, text).arg(min).arg(max);
        return std::nullopt;
    }
    return v;
}

// A long value cut for a message: the start and the end, with how much was left out between.
QString shortened(const QString& text)
{
    constexpr qsizetype Max = 80;
    if (text.size() <= Max)
        return text;
    return text.left(Max / 2) + u"…(%1 characters)…"_s.arg(text.size() - Max) + text.right(Max / 2 - 10);
}

// What a path names for the purpose of "is it the same file": an existing regular file by its
// device and inode (so a second name, a link or ./x for x are caught), a file yet to be made by
// its absolute path under its folder's real path. Devices and pipes (/dev/null, /dev/stdout) may
// be named twice: empty.
QString fileIdentity(const QString& path)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat st;
    if (::stat(native.constData(), &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return {};
        return u"inode:%1:%2"_s.arg(qulonglong(st.st_dev)).arg(qulonglong(st.st_ino));
    }
    const QFileInfo info(path);
    QString folder = QFileInfo(info.absolutePath()).canonicalFilePath();
    if (folder.isEmpty())
        folder = QDir::cleanPath(info.absolutePath());
    return u"path:"_s + QDir(folder).filePath(info.fileName());
}

// An output that would overwrite the input or another output: one line, or empty.
QString pathConflict(const Options& o)
{
    struct Named
    {
        QString option;
        QString path;
    };
    std::vector<Named> outputs;
    auto add = [&](const char* option, const QString& path) {
        if (!path.isEmpty() && path != "-"_L1)
            outputs.push_back({QString::fromLatin1(option), path});
    };
    add("--summary-out", o.summaryOut);
    add("--trace-out", o.traceOut);
    add("--csv-out", o.csvOut);
    add("--screenshot", o.screenshot);
    const QString input = o.open.isEmpty() ? QString() : fileIdentity(o.open);
    for (const QString& compared : {o.compareA, o.compareB}) {
        const QString id = compared.isEmpty() ? QString() : fileIdentity(compared);
        for (const Named& out : outputs) {
            if (!id.isEmpty() && fileIdentity(out.path) == id)
                return u"%1 '%2' is a trace being compared: writing it would overwrite the input; write to another file"_s.arg(
                    out.option, shortened(out.path));
        }
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const QString id = fileIdentity(outputs[i].path);
        if (id.isEmpty())
            continue;
        if (id == input) {
            return u"%1 '%2' is the file being opened: writing it would overwrite the input; write to another file"_s.arg(
                outputs[i].option, shortened(outputs[i].path));
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (fileIdentity(outputs[j].path) == id) {
                return u"%1 and %2 both write '%3': one would overwrite the other; give each its own file"_s.arg(
                    outputs[j].option, outputs[i].option, shortened(outputs[i].path));
            }
        }
    }
    return {};
}

ParseResult parse(const QStringList& arguments);

// --compare A B: two traces, a summary of both, nothing run.
QString readCompare(const Parser& parser, const QStringList& positional, Options& o)
{
    if (o.mode != Options::Mode::Headless)
        return u"--compare goes with --headless: --headless --compare A.json B.json --summary-out -"_s;
    o.compareA = parser.p.value(parser.compare);
    if (o.compareA.isEmpty() || positional.size() != 1 || parser.p.isSet(parser.open))
        return u"--compare needs two traces Interleave wrote: --compare A.json B.json"_s;
    o.compareB = positional.constFirst();
    for (const QCommandLineOption* other : {&parser.scenario, &parser.set, &parser.speed, &parser.duration, &parser.traceOut,
                                            &parser.csvOut, &parser.repeat, &parser.sweep, &parser.question, &parser.predict}) {
        if (parser.p.isSet(*other))
            return u"--%1 does not go with --compare: it compares two recorded runs and writes --summary-out"_s.arg(
                other->names().constFirst());
    }
    if (parser.p.isSet(parser.summaryOut)) {
        o.summaryOut = parser.p.value(parser.summaryOut);
        if (o.summaryOut.isEmpty())
            return u"--summary-out needs a file name, or - for stdout"_s;
    }
    return {};
}

} // namespace

ParseResult parseCommandLine(const QStringList& arguments)
{
    ParseResult result = parse(arguments);
    // Values are echoed in quotes; a huge one (a pasted file, a runaway script) is cut to its
    // ends, so the message stays one readable line.
    static const QRegularExpression quotedValue(u"'([^']{81,})'"_s);
    QRegularExpressionMatch m;
    qsizetype from = 0;
    while ((m = quotedValue.match(result.error, from)).hasMatch()) {
        const QString cut = u"'"_s + shortened(m.captured(1)) + u"'"_s;
        result.error.replace(m.capturedStart(), m.capturedLength(), cut);
        from = m.capturedStart() + cut.size();
    }
    return result;
}

namespace {

// An option that takes one value, given twice, is a mistake to point out, not to settle by
// taking the last one.
QString checkGivenOnce(const Parser& parser)
{
    for (const QCommandLineOption* once : {&parser.scenario, &parser.open, &parser.speed, &parser.duration,
                                           &parser.summaryOut, &parser.traceOut, &parser.csvOut, &parser.screenshot,
                                           &parser.quitAfter, &parser.repeat, &parser.sweep, &parser.compare, &parser.question,
                                           &parser.predict}) {
        const QStringList values = parser.p.values(*once);
        if (values.size() > 1) {
            return u"--%1 given %2 times ('%3', then '%4'); give it once"_s.arg(once->names().constFirst())
                .arg(values.size())
                .arg(shortened(values.at(0)), shortened(values.at(1)));
        }
    }
    return {};
}

// --open FILE (or the file as the only argument), and what does not go with it.
QString readOpen(const Parser& parser, const QStringList& positional, Options& o)
{
    if (!parser.p.isSet(parser.open) && positional.isEmpty())
        return {};
    o.open = parser.p.isSet(parser.open) ? parser.p.value(parser.open) : positional.constFirst();
    if (o.open.isEmpty())
        return u"--open needs a file name: a trace (.json) or a session (.interleave)"_s;
    if (parser.p.isSet(parser.scenario)) {
        return positional.isEmpty()
            ? u"give either --open FILE or --scenario ID, not both"_s
            : u"unexpected argument '%1': a file to open does not go with --scenario ID; options start with --"_s.arg(
                  positional.constFirst());
    }
    // A session runs its lesson: how long (headless) and whether to start (window) still apply;
    // its settings and speed come from the file.
    const bool session = o.open.endsWith(u".interleave"_s, Qt::CaseInsensitive);
    for (const QCommandLineOption* runOnly : {&parser.set, &parser.speed, &parser.duration, &parser.autostart}) {
        if (session && (runOnly == &parser.duration || runOnly == &parser.autostart))
            continue;
        if (parser.p.isSet(*runOnly)) {
            return session
                ? u"--%1 does not go with a session file: the session sets it"_s.arg(runOnly->names().constFirst())
                : u"--%1 is for running a lesson; it does not go with --open"_s.arg(runOnly->names().constFirst());
        }
    }
    return {};
}

// --scenario ID and its --set assignments, checked as the lesson's schema checks them.
QString readScenario(const Parser& parser, Options& o)
{
    const auto& registry = ScenarioRegistry::instance();
    if (parser.p.isSet(parser.scenario)) {
        o.scenario = parser.p.value(parser.scenario).trimmed();
        if (o.scenario.isEmpty())
            return u"--scenario needs a lesson id; allowed: %1"_s.arg(registry.ids().join(u", "_s));
    } else if (o.mode == Options::Mode::Headless && o.open.isEmpty()) {
        return u"--headless needs --scenario ID or --open FILE; scenarios: %1"_s.arg(registry.ids().join(u", "_s));
    }
    if (o.scenario.isEmpty())
        return parser.p.isSet(parser.set) ? u"--set needs --scenario ID to say whose parameter it is"_s : QString();
    const ScenarioEntry* entry = registry.find(o.scenario);
    if (!entry)
        return u"unknown scenario '%1'; allowed: %2"_s.arg(o.scenario, registry.ids().join(u", "_s));
    o.values = entry->info.schema.defaults();
    for (const QString& assignment : parser.p.values(parser.set)) {
        QString error;
        if (!entry->info.schema.applyAssignment(assignment, o.values, &error))
            return u"--set: "_s + error;
    }
    return {};
}

// --speed, --duration and --quit-after.
QString readNumbers(const Parser& parser, Options& o)
{
    QString error;
    const auto number = [&](const QCommandLineOption& option, double min, double max, const QString& name,
                            auto apply) {
        if (!error.isEmpty() || !parser.p.isSet(option))
            return;
        if (const auto v = parseNumber(parser.p.value(option), min, max, name, &error))
            apply(*v);
    };
    number(parser.speed, 0.01, 1000, u"--speed"_s, [&](double v) {
        o.speed = v;
        o.speedGiven = true;
    });
    number(parser.duration, 0.001, 86'400, u"--duration"_s, [&](double v) { o.durationS = v; });
    if (parser.p.isSet(parser.screenshot))
        o.quitAfterMs = 3000; // a screenshot without --quit-after is taken after three seconds
    number(parser.quitAfter, 0, 86'400'000, u"--quit-after"_s, [&](double v) { o.quitAfterMs = int(v); });
    return error;
}

// --repeat and --sweep: headless runs of a lesson, their outcomes written together.
QString readExperiment(const Parser& parser, Options& o)
{
    const bool repeat = parser.p.isSet(parser.repeat);
    const bool sweep = parser.p.isSet(parser.sweep);
    if (!repeat && !sweep)
        return {};
    const QString which = repeat ? u"--repeat"_s : u"--sweep"_s;
    if (o.mode != Options::Mode::Headless || o.scenario.isEmpty() || !o.open.isEmpty())
        return u"%1 goes with --headless --scenario ID (a lesson, run again and again)"_s.arg(which);
    if (!o.traceOut.isEmpty() || !o.csvOut.isEmpty())
        return u"%1 writes one summary of every run (--summary-out); --trace-out and --csv-out are for one run"_s.arg(which);
    if (repeat) {
        QString error;
        const auto n = parseNumber(parser.p.value(parser.repeat), 1, 1000, u"--repeat"_s, &error);
        if (!n)
            return error;
        if (*n != std::floor(*n))
            return u"--repeat '%1' is not allowed; expected a whole number 1..1000"_s.arg(parser.p.value(parser.repeat));
        o.repeat = int(*n);
    }
    if (!sweep)
        return {};
    // key=from..to[:step]
    const QString text = parser.p.value(parser.sweep).trimmed();
    const auto fail = [&](const QString& why) {
        return u"--sweep '%1': %2; write it as key=from..to or key=from..to:step, e.g. workers=1..8"_s.arg(text, why);
    };
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0)
        return fail(u"no key"_s);
    const QString key = text.left(eq).trimmed();
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
    const int index = entry->info.schema.indexOf(key);
    if (index < 0) {
        QStringList keys;
        for (int i = 0; i < entry->info.schema.size(); ++i)
            keys << entry->info.schema.at(i).key;
        return fail(u"%1 has no setting '%2' (it has %3)"_s.arg(o.scenario, key, keys.join(u", "_s)));
    }
    const ParamSpec& spec = entry->info.schema.at(index);
    if (spec.type == ParamSpec::Type::Bool || spec.type == ParamSpec::Type::Choice)
        return fail(u"%1 is %2, not a number to sweep"_s.arg(key, spec.allowedText()));
    QString range = text.mid(eq + 1).trimmed();
    QString stepText = u"1"_s;
    if (const qsizetype colon = range.indexOf(u':'); colon >= 0) {
        stepText = range.mid(colon + 1);
        range = range.left(colon);
    }
    const QStringList ends = range.split(u".."_s);
    if (ends.size() != 2)
        return fail(u"no range"_s);
    QString error;
    const auto from = spec.parse(ends[0].trimmed(), &error);
    const auto to = from ? spec.parse(ends[1].trimmed(), &error) : std::nullopt;
    if (!from || !to)
        return fail(error);
    const auto step = parseNumber(stepText, 1e-9, 1e12, u"step"_s, &error);
    if (!step)
        return fail(error);
    if (*to < *from) // said with the values as typed
        return fail(u"it runs from %1 down to %2; give the smaller value first"_s.arg(ends[0].trimmed(), ends[1].trimmed()));
    // The values themselves as the window's sweep makes them.
    const auto plan = sweepPlan(o.scenario, entry->info.schema, o.values, key, *from, *to, *step, 1, o.speed, QString(), &error);
    if (!plan)
        return fail(error);
    o.sweepKey = key;
    for (const ExperimentPoint& point : plan->points)
        o.sweepValues.push_back(point.x);
    return {};
}

// --step, --schedule, --seed, --explore: step mode for the lessons that have steps.
QString readScheduling(const Parser& parser, Options& o)
{
    const bool any = parser.p.isSet(parser.step) || parser.p.isSet(parser.schedule) || parser.p.isSet(parser.seed)
        || parser.p.isSet(parser.explore);
    if (!parser.p.isSet(parser.explore)) {
        for (const QCommandLineOption* option : {&parser.preemptions, &parser.maxSchedules}) {
            if (parser.p.isSet(*option))
                return u"--%1 goes with --explore"_s.arg(option->names().constFirst());
        }
    }
    if (!any)
        return {};
    const bool headless = o.mode == Options::Mode::Headless;
    if (o.scenario.isEmpty() || !o.open.isEmpty())
        return u"step mode runs a lesson: give --scenario ID (race, deadlock, producer_consumer, interleaving, shared_data)"_s;
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
    if (entry && entry->info.stepOutcomeKeys.isEmpty()) {
        QStringList ids;
        for (const ScenarioEntry& e : ScenarioRegistry::instance().all()) {
            if (!e.info.stepOutcomeKeys.isEmpty())
                ids << e.info.id;
        }
        return u"%1 has no steps to schedule; step mode is for %2"_s.arg(o.scenario, ids.join(u", "_s));
    }
    if (o.isExperiment() || o.question > 0)
        return u"step mode does not go with --repeat, --sweep or --question"_s;
    if (!headless && parser.p.isSet(parser.seed))
        return u"--seed goes with --headless; in the window, --step lets you choose each step"_s;
    if (parser.p.isSet(parser.step)) {
        if (headless)
            return u"--step is for the window (you choose each step); headless, give --schedule, --seed or --explore"_s;
        o.step = true;
    }
    if (parser.p.isSet(parser.explore)) {
        if (!headless)
            return u"--explore goes with --headless: --headless --scenario race --explore --summary-out -"_s;
        if (parser.p.isSet(parser.schedule) || parser.p.isSet(parser.seed))
            return u"--explore runs every schedule itself; leave out --schedule and --seed"_s;
        if (!o.traceOut.isEmpty() || !o.csvOut.isEmpty())
            return u"--explore writes --summary-out only (thousands of runs, no single trace)"_s;
        o.explore = true;
        QString error;
        if (parser.p.isSet(parser.preemptions)) {
            const auto k = parseNumber(parser.p.value(parser.preemptions), 0, 1000, u"--preemptions"_s, &error);
            if (!k || *k != std::floor(*k))
                return u"--preemptions '%1' is not allowed; expected a whole number 0..1000"_s.arg(parser.p.value(parser.preemptions));
            o.preemptions = int(*k);
        }
        if (parser.p.isSet(parser.maxSchedules)) {
            const auto n = parseNumber(parser.p.value(parser.maxSchedules), 1, 1e9, u"--max-schedules"_s, &error);
            if (!n || *n != std::floor(*n))
                return u"--max-schedules '%1' is not allowed; expected a whole number 1..1000000000"_s.arg(
                    parser.p.value(parser.maxSchedules));
            o.maxSchedules = std::int64_t(*n);
        }
    }
    if (parser.p.isSet(parser.schedule)) {
        const QString text = parser.p.value(parser.schedule).trimmed();
        QString bad;
        o.schedule = parseSchedule(text, &bad);
        if (!o.schedule)
            return u"--schedule '%1': '%2' is not a lane number; write lane numbers separated by commas, e.g. 1,2,1,2 (main is 0)"_s
                .arg(shortened(text), shortened(bad));
    }
    if (parser.p.isSet(parser.seed)) {
        bool ok = false;
        const qulonglong seed = parser.p.value(parser.seed).trimmed().toULongLong(&ok);
        if (!ok)
            return u"--seed '%1' is not allowed; expected a whole number 0..18446744073709551615"_s.arg(
                shortened(parser.p.value(parser.seed)));
        o.seed = seed;
    }
    return {};
}

// --predict for a question: choice numbers (1-based, comma-separated) or a number question's guess.
QString readPrediction(const QString& text, const Question& q, Options& o)
{
    const QString which = u"question %1 of %2"_s.arg(q.number).arg(q.lesson);
    if (q.guessNumber()) {
        bool ok = false;
        const double guess = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(guess)) {
            return u"--predict '%1': %2 asks for a number (%3), e.g. --predict 4; write it without commas"_s.arg(
                text, which, q.answeredBy);
        }
        o.guess = guess;
        return {};
    }
    const int n = int(q.choices.size());
    const QString allowed = u"give a choice 1..%1, or several separated by commas (2,3)"_s.arg(n);
    for (const QString& part : text.split(u',')) {
        bool ok = false;
        const int choice = part.trimmed().toInt(&ok);
        if (!ok)
            return u"--predict '%1': '%2' is not a choice number; %3"_s.arg(text, part.trimmed(), allowed);
        if (choice < 1 || choice > n) {
            return u"--predict '%1': %2 has %3 choices, there is no choice %4; %5"_s.arg(
                text, which, QString::number(n), QString::number(choice), allowed);
        }
        if (std::find(o.predicted.begin(), o.predicted.end(), choice - 1) != o.predicted.end())
            return u"--predict '%1': choice %2 is given twice"_s.arg(text, QString::number(choice));
        o.predicted.push_back(choice - 1);
    }
    return {};
}

// --question N [--predict ...]: one run of a lesson's question. Its settings go over the lesson's
// defaults; a --set of another setting applies too, one of the question's own is refused (the
// answer depends on it), and so is a --speed other than the question's.
QString readQuestion(const Parser& parser, Options& o)
{
    if (!parser.p.isSet(parser.question)) {
        return parser.p.isSet(parser.predict)
            ? u"--predict goes with --question N: it is a prediction of a question's answer"_s
            : QString();
    }
    if (!o.open.isEmpty())
        return u"--question does not go with --open: a question runs its lesson with its own settings"_s;
    if (o.isExperiment())
        return u"--question does not go with --repeat or --sweep: a question is one run, answered once"_s;
    if (o.mode != Options::Mode::Headless || o.scenario.isEmpty())
        return u"--question goes with --headless --scenario ID (in the window, class mode asks the questions)"_s;
    QString error;
    const std::vector<Question> questions = questionsOf(o.scenario, &error);
    if (!error.isEmpty())
        return error;
    const QString text = parser.p.value(parser.question).trimmed();
    const int count = int(questions.size());
    if (count == 0)
        return u"--question: %1 has no questions"_s.arg(o.scenario);
    bool ok = false;
    const int number = text.toInt(&ok);
    if (!ok || number < 1 || number > count) {
        return u"--question '%1': %2 has %3 questions; give a number 1..%3 (see --list-scenarios)"_s.arg(
            text, o.scenario, QString::number(count));
    }
    const Question& q = questions[std::size_t(number - 1)];
    const auto values = questionValues(q, &error);
    if (!values)
        return error;
    o.values = *values;
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
    for (const QString& assignment : parser.p.values(parser.set)) {
        const QString key = assignment.left(assignment.indexOf(u'=')).trimmed();
        for (const auto& [own, value] : q.settings) {
            if (own == key) {
                return u"--set %1: question %2 of %3 sets %4=%5 itself; its answer depends on it, leave out --set %4"_s
                    .arg(assignment, QString::number(number), o.scenario, key, value);
            }
        }
        if (!entry->info.schema.applyAssignment(assignment, o.values, &error))
            return u"--set: "_s + error;
    }
    if (o.speedGiven && o.speed != q.speed) {
        return u"--speed %1: question %2 of %3 runs at speed %4 (its answer may depend on it); leave out --speed"_s
            .arg(parser.p.value(parser.speed), QString::number(number), o.scenario, QString::number(q.speed));
    }
    o.speed = q.speed;
    if (!parser.p.isSet(parser.duration))
        o.durationS = QuestionDurationS;
    o.question = number;
    return parser.p.isSet(parser.predict) ? readPrediction(parser.p.value(parser.predict), q, o) : QString();
}

// The files written: summary, trace, CSV and screenshot, each where it may go.
QString readOutputs(const Parser& parser, Options& o)
{
    struct Output
    {
        const QCommandLineOption& option;
        QString& path;
        bool stdoutAllowed;
        bool headlessOnly;
        QString missing; // what to say for an empty name
    };
    const bool headless = o.mode == Options::Mode::Headless;
    const Output outputs[] = {
        {parser.summaryOut, o.summaryOut, true, false, u"--summary-out needs a file name, or - for stdout"_s},
        {parser.traceOut, o.traceOut, false, true, u"--trace-out needs a file name, e.g. --trace-out run.json"_s},
        {parser.csvOut, o.csvOut, true, true, u"--csv-out needs a file name, or - for stdout"_s},
        {parser.screenshot, o.screenshot, false, false,
         u"--screenshot needs a file name, e.g. --screenshot window.png"_s},
    };
    for (const Output& out : outputs) {
        if (!parser.p.isSet(out.option))
            continue;
        out.path = parser.p.value(out.option);
        if (out.path.isEmpty() || (!out.stdoutAllowed && out.path == "-"_L1))
            return out.missing;
        if (out.headlessOnly && !headless)
            return u"--%1 goes with --headless"_s.arg(out.option.names().constFirst());
    }
    return {};
}

// --python script.py: nothing else says what to run, and no lesson setting applies.
QString readPython(const Parser& parser, const QStringList& positional, Options& o)
{
    for (const QCommandLineOption* lessonOnly :
         {&parser.scenario, &parser.set, &parser.speed, &parser.open, &parser.repeat, &parser.sweep, &parser.compare,
          &parser.question, &parser.predict, &parser.step, &parser.schedule, &parser.autostart}) {
        if (parser.p.isSet(*lessonOnly))
            return u"--%1 does not go with --python: the program runs as it is"_s.arg(lessonOnly->names().constFirst());
    }
    if (!positional.isEmpty())
        return u"unexpected argument '%1' before --python; the program's own arguments go after its name"_s.arg(
            positional.constFirst());
    if (o.python.startsWith(u'-'))
        return u"--python needs a program: --python script.py [args...]"_s;
    o.durationS = 86'400; // a program ends when it ends, unless --duration (read next) says otherwise
    o.pythonCalls = parser.p.isSet(parser.calls);
    return {};
}

ParseResult parse(const QStringList& given)
{
    Parser parser;
    ParseResult result;
    // --python script.py [args...]: after the script, the options Interleave has for a program
    // (outputs, --duration, --headless, the window's --screenshot and --quit-after) are ours and
    // every other argument is the program's; after a "--" all of them are.
    QStringList arguments = given;
    QStringList program;
    if (const qsizetype at = given.indexOf(u"--python"_s); at > 0) {
        arguments = given.mid(0, at);
        if (at + 1 >= given.size()) {
            result.error = u"--python needs a program: --python script.py [args...]"_s;
            return result;
        }
        program << given.at(at + 1);
        static const QStringList withValue{u"--summary-out"_s, u"--trace-out"_s, u"--csv-out"_s, u"--duration"_s,
                                           u"--screenshot"_s, u"--quit-after"_s};
        bool verbatim = false;
        for (qsizetype i = at + 2; i < given.size(); ++i) {
            const QString& a = given.at(i);
            const QString name = a.section(u'=', 0, 0);
            if (!verbatim && a == "--"_L1) {
                verbatim = true;
            } else if (!verbatim && (a == "--headless"_L1 || a == "--calls"_L1)) {
                arguments << a;
            } else if (!verbatim && withValue.contains(name)) {
                arguments << a;
                if (!a.contains(u'=') && i + 1 < given.size())
                    arguments << given.at(++i);
            } else {
                program << a;
            }
        }
    }
    if (!parser.p.parse(arguments)) {
        result.error = parser.p.errorText() + u"; see --help"_s;
        return result;
    }
    if ((result.error = checkGivenOnce(parser)), !result.error.isEmpty())
        return result;
    const QStringList positional = parser.p.positionalArguments();
    if (positional.size() > 1 || (!positional.isEmpty() && parser.p.isSet(parser.open))) {
        result.error = u"unexpected argument '%1'; open one file at a time, options start with --, see --help"_s.arg(
            positional.constLast());
        return result;
    }

    Options o;
    if (parser.p.isSet(parser.help) || parser.p.isSet(parser.version) || parser.p.isSet(parser.list)) {
        o.mode = parser.p.isSet(parser.help) ? Options::Mode::Help
            : parser.p.isSet(parser.version) ? Options::Mode::Version
                                             : Options::Mode::ListScenarios;
        o.json = parser.p.isSet(parser.json);
        result.options = o;
        return result;
    }
    if (parser.p.isSet(parser.json)) {
        result.error = u"--json only goes with --list-scenarios"_s;
        return result;
    }
    o.mode = parser.p.isSet(parser.headless) ? Options::Mode::Headless : Options::Mode::Gui;
    o.autostart = parser.p.isSet(parser.autostart);
    if (!program.isEmpty()) {
        o.python = program.constFirst();
        o.pythonArgs = program.mid(1);
        for (const auto& step : {std::function<QString()>([&] { return readPython(parser, positional, o); }),
                                 std::function<QString()>([&] { return readNumbers(parser, o); }),
                                 std::function<QString()>([&] { return readOutputs(parser, o); })}) {
            if ((result.error = step()), !result.error.isEmpty())
                return result;
        }
        if ((result.error = pathConflict(o)).isEmpty())
            result.options = o;
        return result;
    }
    if (parser.p.isSet(parser.calls)) {
        result.error = u"--calls goes with --python: --python script.py --calls"_s;
        return result;
    }
    if (parser.p.isSet(parser.compare)) {
        // --compare A.json B.json: the second trace is the one argument left.
        if ((result.error = readCompare(parser, positional, o)).isEmpty() && (result.error = pathConflict(o)).isEmpty())
            result.options = o;
        return result;
    }
    for (const auto& step : {std::function<QString()>([&] { return readOpen(parser, positional, o); }),
                             std::function<QString()>([&] { return readScenario(parser, o); }),
                             std::function<QString()>([&] { return readNumbers(parser, o); }),
                             std::function<QString()>([&] { return readOutputs(parser, o); }),
                             std::function<QString()>([&] { return readExperiment(parser, o); }),
                             std::function<QString()>([&] { return readQuestion(parser, o); }),
                             std::function<QString()>([&] { return readScheduling(parser, o); })}) {
        if ((result.error = step()), !result.error.isEmpty())
            return result;
    }
    if (o.mode == Options::Mode::Headless && (!o.screenshot.isEmpty() || o.quitAfterMs >= 0 || o.autostart)) {
        result.error = u"--screenshot, --quit-after and --autostart are for the window, not --headless"_s;
        return result;
    }
    result.error = pathConflict(o);
    if (result.error.isEmpty())
        result.options = o;
    return result;
}

} // namespace

QString helpText()
{
    Parser parser;
    return parser.p.helpText()
        + uR"(
Usage:
  interleave                                  open the window
  interleave --scenario ID [--set k=v]... [--autostart]
             [--screenshot FILE.png --quit-after MS]
  interleave --open FILE                      a trace (.json) or session (.interleave)
  interleave --headless --scenario ID [--set k=v]... [--speed X] [--duration S]
             [--summary-out FILE|-] [--trace-out FILE.json] [--csv-out FILE.csv|-]
  interleave --headless --open FILE [--summary-out FILE|-] [--trace-out FILE.json]
             [--csv-out FILE.csv|-]
  interleave --headless --scenario ID [--set k=v]... [--repeat N]
             [--sweep key=from..to[:step]] [--summary-out FILE|-]
                                              every outcome, their spread, a fit
  interleave --headless --scenario ID --question N [--predict CHOICE[,CHOICE]...|NUMBER]
             [--set k=v]... [--summary-out FILE|-]
                                              a lesson's question, answered by a run
  interleave --headless --compare A.json B.json [--summary-out FILE|-]
                                              two recorded runs and their differences
  interleave --scenario ID --step             the window in step mode: you choose
  interleave --headless --scenario ID [--schedule 1,2,1,...] [--seed S] ...
                                              one run stepped by a schedule
  interleave --headless --scenario ID --explore [--preemptions K]
             [--max-schedules N] [--summary-out FILE|-]
                                              every schedule, its outcomes counted
  interleave [--headless] --python script.py [args...] [--summary-out FILE|-]
             [--trace-out FILE.json] [--duration S] [--calls] [-- more args...]
                                              a real Python program, traced (python3);
                                              after "--" every argument is the program's;
                                              --calls: its functions' calls as slices
  interleave --list-scenarios [--json]

A question (--list-scenarios shows them) runs with its own settings over the
lesson's defaults, at its own speed, for up to 120 s unless --duration says
otherwise; --set may change the settings it leaves alone. The summary gains a
"prediction": the question, its choices, what was predicted ("predicted") and
which choices hold ("answer"), both as indices into "choices" counted from 0
(a number question: the guess and the value), and whether the prediction was
right ("correct": one of the predicted choices holds, or the guess is within
the question's margin; absent without --predict).

Exit codes: 0 done (a detected deadlock included), 1 failure while running,
2 bad arguments or a bad input file (one line on stderr says which and what
is allowed).

Example:
  interleave --headless --scenario race --set threads=4 --set lock=off \
             --set window_us=20 --summary-out -
)"_s;
}

QString scenarioListing(bool json)
{
    const auto& all = ScenarioRegistry::instance().all();
    if (json) {
        QJsonArray scenarios;
        for (const ScenarioEntry& e : all) {
            QJsonArray params;
            for (const ParamSpec& s : e.info.schema.specs())
                params.append(s.schemaJson());
            QJsonArray questions;
            for (const Question& q : questionsOf(e.info.id))
                questions.append(questionJson(q));
            scenarios.append(QJsonObject{{u"id"_s, e.info.id},
                                         {u"title"_s, e.info.title},
                                         {u"summary"_s, e.info.summary},
                                         {u"uses_gil"_s, e.info.usesGil},
                                         // Step mode (--step, --schedule, --explore): the outcome keys
                                         // that tell schedules apart; empty when it has no steps.
                                         {u"step_outcome_keys"_s, QJsonArray::fromStringList(e.info.stepOutcomeKeys)},
                                         {u"outcome_keys"_s, QJsonArray::fromStringList(e.info.outcomeKeys)},
                                         {u"params"_s, params},
                                         {u"questions"_s, questions}});
        }
        const QJsonObject root{{u"schema"_s, u"interleave.scenarios/1"_s}, {u"scenarios"_s, scenarios}};
        return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
    }
    QString out;
    for (const ScenarioEntry& e : all) {
        out += u"%1  %2\n    %3\n"_s.arg(e.info.id, -14).arg(e.info.title, e.info.summary);
        for (const ParamSpec& s : e.info.schema.specs()) {
            out += u"    --set %1=%2  (%3%4) %5\n"_s.arg(s.key, s.valueText(s.defaultValue), s.allowedText(),
                                                        s.unit.isEmpty() ? QString() : u", "_s + s.unit,
                                                        s.help);
        }
        for (const Question& q : questionsOf(e.info.id))
            out += u"    --question %1: %2\n"_s.arg(q.number).arg(q.text);
        out += u'\n';
    }
    return out;
}

} // namespace interleave
