// libFuzzer target: the session loader. A session it accepts is complete and valid, and writing it
// out and reading it back gives the same session.
#include "fuzzcheck.h"
#include "scenario.h"
#include "sessionfile.h"

#include <QByteArray>

#include <cmath>
#include <cstddef>
#include <cstdint>

using namespace interleave;
using interleave::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray contents(reinterpret_cast<const char*>(data), qsizetype(size));
    QString error;
    const std::optional<Session> session = parseSession(contents, &error);
    if (!session) {
        check(!error.isEmpty(), "a refused session must say why");
        return 0;
    }
    const ScenarioEntry* entry = ScenarioRegistry::instance().find(session->scenario);
    check(entry != nullptr, "an accepted session names a known lesson", session->scenario);
    const ParamSchema& schema = entry->info.schema;
    check(session->values.size() == std::size_t(schema.size()), "one value per parameter");
    for (int i = 0; i < schema.size(); ++i) {
        QString why;
        check(schema.at(i).validate(session->values[std::size_t(i)], &why).has_value(),
              "every accepted value is allowed", why);
    }
    check(std::isfinite(session->speed) && session->speed >= Session::MinSpeed && session->speed <= Session::MaxSpeed,
          "speed in range");

    QString againError;
    const std::optional<Session> again = parseSession(toFileContents(*session), &againError);
    check(again.has_value(), "a written session reads back", againError);
    check(*again == *session, "a written session reads back the same", QString::fromUtf8(toFileContents(*session)));
    return 0;
}
