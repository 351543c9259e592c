// libFuzzer target: the command line. The input is split at newlines into arguments. Each argument
// is also given to every lesson's `--set` parser (ParamSchema::applyAssignment), then the whole
// list to parseCommandLine. What either accepts must be valid; what it refuses gets one line.
#include "commandline.h"
#include "fuzzcheck.h"
#include "scenario.h"

#include <QStringList>

#include <cmath>
#include <cstddef>
#include <cstdint>

using namespace interleave;
using interleave::fuzz::check;
using namespace Qt::StringLiterals;

namespace {

void checkValues(const ParamSchema& schema, const std::vector<double>& values)
{
    check(values.size() == std::size_t(schema.size()), "one value per parameter");
    for (int i = 0; i < schema.size(); ++i) {
        QString why;
        check(schema.at(i).validate(values[std::size_t(i)], &why).has_value(), "every accepted value is allowed", why);
    }
}

void checkAssignment(const ParamSchema& schema, const QString& assignment)
{
    const std::vector<double> before = schema.defaults();
    std::vector<double> values = before;
    QString error;
    if (!schema.applyAssignment(assignment, values, &error)) {
        check(!error.isEmpty(), "a refused --set says why", assignment);
        check(!error.contains(u'\n'), "a refused --set gets one line", error);
        check(values == before, "a refused --set changes nothing", assignment);
        return;
    }
    checkValues(schema, values);
    int changed = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        changed += values[i] != before[i] ? 1 : 0;
    check(changed <= 1, "one --set changes one parameter", assignment);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    QStringList arguments = text.split(u'\n');
    if (arguments.size() > 64)
        return -1; // not a command line anyone types; keep the corpus small
    for (const QString& argument : arguments) {
        for (const ScenarioEntry& entry : ScenarioRegistry::instance().all())
            checkAssignment(entry.info.schema, argument);
    }

    arguments.prepend(u"interleave"_s);
    const ParseResult result = parseCommandLine(arguments);
    if (!result.options) {
        check(!result.error.isEmpty(), "a refused command line says why");
        check(!result.error.contains(u'\n'), "a refused command line gets one line", result.error);
        return 0;
    }
    const Options& o = *result.options;
    if (!o.scenario.isEmpty()) {
        const ScenarioEntry* entry = ScenarioRegistry::instance().find(o.scenario);
        check(entry != nullptr, "an accepted --scenario is known", o.scenario);
        checkValues(entry->info.schema, o.values);
    }
    check(std::isfinite(o.speed) && o.speed >= 0.01 && o.speed <= 1000, "--speed in range");
    check(std::isfinite(o.durationS) && o.durationS > 0 && o.durationS <= 86'400, "--duration in range");
    check(o.quitAfterMs >= -1, "--quit-after in range");
    if (o.mode == Options::Mode::Headless)
        check(!o.scenario.isEmpty() || !o.open.isEmpty(), "headless runs a lesson or opens a file");
    return 0;
}
