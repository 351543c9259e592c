// P9 (DESIGN.md section 8): import speed of a large Chrome trace, in MB/s, next to Qt's own JSON
// parser on the same bytes (what building a whole document would cost) measured in the same run.
//
//   bench_import [MB]     synthesize a trace of about MB megabytes (default 200) and import it
//   bench_import FILE     import FILE instead
//
// The synthetic trace mixes what real ones hold: nested B/E and X slices on 16 threads of two
// processes, counters, instants and flows, with args. Each figure is the median of 3 runs.
#include "chromeimport.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace interleave;

namespace {

QByteArray synthesize(qint64 bytes)
{
    QByteArray out;
    out.reserve(bytes + (1 << 20));
    out += "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
    out += R"({"ph":"M","name":"process_name","pid":1,"tid":0,"args":{"name":"renderer"}},)" "\n";
    std::mt19937 rng(7);
    double ts = 1e9;
    std::int64_t n = 0;
    while (out.size() < bytes) {
        const int pid = 1 + int(rng() % 2);
        const int tid = 10 + int(rng() % 8);
        const QByteArray where = ",\"pid\":" + QByteArray::number(pid) + ",\"tid\":" + QByteArray::number(tid);
        ts += double(rng() % 2000) / 10.0;
        const QByteArray t = QByteArray::number(ts, 'f', 3);
        switch (n % 8) {
        case 0:
        case 1:
            out += "{\"ph\":\"X\",\"cat\":\"toplevel\",\"name\":\"ThreadControllerImpl::RunTask\"" + where
                + ",\"ts\":" + t + ",\"dur\":" + QByteArray::number(rng() % 500) + ",\"args\":{\"src_file\":\"../../base/task.cc\",\"src_func\":\"Run\"}},\n";
            break;
        case 2:
            out += "{\"ph\":\"B\",\"cat\":\"v8\",\"name\":\"V8.Execute\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 3:
            out += "{\"ph\":\"E\",\"cat\":\"v8\",\"name\":\"V8.Execute\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 4:
            out += "{\"ph\":\"C\",\"name\":\"memory\",\"pid\":" + QByteArray::number(pid) + ",\"ts\":" + t
                + ",\"args\":{\"heap\":" + QByteArray::number(rng() % 100000) + ",\"gpu\":\"" + QByteArray::number(rng() % 100) + "\"}},\n";
            break;
        case 5:
            out += "{\"ph\":\"i\",\"s\":\"t\",\"name\":\"Paint\"" + where + ",\"ts\":" + t + "},\n";
            break;
        case 6:
            out += "{\"ph\":\"s\",\"cat\":\"ipc\",\"name\":\"Send\",\"id\":\"0x" + QByteArray::number(n, 16) + "\"" + where
                + ",\"ts\":" + t + "},\n";
            break;
        default:
            out += "{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"ipc\",\"name\":\"Send\",\"id\":\"0x" + QByteArray::number(n - 1, 16)
                + "\"" + where + ",\"ts\":" + t + "},\n";
            break;
        }
        ++n;
    }
    out += R"({"ph":"X","name":"last","pid":1,"tid":10,"ts":0,"dur":1}]})";
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QByteArray data;
    QString label;
    const QString arg = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    bool isNumber = false;
    const int mb = arg.toInt(&isNumber);
    if (!arg.isEmpty() && !isNumber) {
        QFile f(arg);
        if (!f.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "bench_import: cannot open %s\n", argv[1]);
            return 2;
        }
        data = f.readAll();
        label = arg;
    } else {
        data = synthesize(qint64(isNumber ? mb : 200) << 20);
        label = QStringLiteral("synthetic");
    }
    const double megabytes = double(data.size()) / 1e6;
    const std::string_view view(data.constData(), std::size_t(data.size()));

    std::vector<double> ours;
    std::vector<double> qt;
    std::int64_t events = 0;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        QString error;
        const auto imported = importChromeTraceData(view, &error);
        ours.push_back(double(t.nsecsElapsed()) / 1e9);
        if (!imported) {
            std::fprintf(stderr, "bench_import: import failed: %s\n", qPrintable(error));
            return 1;
        }
        events = imported->report.events;
        t.restart();
        const QJsonDocument doc = QJsonDocument::fromJson(data);
        qt.push_back(double(t.nsecsElapsed()) / 1e9);
        if (doc.isNull())
            std::fprintf(stderr, "bench_import: QJsonDocument could not parse it (it may not be strict JSON)\n");
    }
    const double oursS = median(ours);
    const double qtS = median(qt);
    std::printf("\nP9 import of a large Chrome trace (%s: %.1f MB, %lld events; median of 3)\n", qPrintable(label),
                megabytes, static_cast<long long>(events));
    std::printf("| what | seconds | MB/s | target |\n|---|---|---|---|\n");
    std::printf("| importChromeTrace (simdjson on demand, into the store's data) | %.3f | %.1f | >= 50 MB/s: %s |\n", oursS,
                megabytes / oursS, megabytes / oursS >= 50 ? "met" : "NOT met");
    std::printf("| QJsonDocument::fromJson (a whole DOM, nothing built from it) | %.3f | %.1f | reference |\n", qtS,
                megabytes / qtS);
    std::printf("ratio: import is %.2fx the speed of Qt's DOM parse alone\n", qtS / oursS);
    const double rate = megabytes / oursS;
    std::printf("RESULT P9 | import of a large Chrome trace (%.0f MB) | %.0f MB/s | >= 50 MB/s | %.2f | %s\n", megabytes,
                rate, rate / 50.0, rate >= 50 ? "pass" : "short");
    return 0;
}
