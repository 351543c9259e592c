// StateLanePainter: every pixel column shows a state the lane was really in during that column,
// and no column the lane lived through is left blank; zoomed in, a column shows the state at its
// middle. Checked column by column against the intervals themselves, at zooms that read the
// lane's grid and zooms that search its intervals, while the lane grows and ages out.
#include "statelanepainter.h"
#include "statepalette.h"
#include "timelineframe.h"
#include "tracestore.h"

#include <QImage>
#include <QPainter>
#include <QTest>

#include "randomlanes.h"

#include <algorithm>
#include <optional>

using namespace interleave;
using namespace Qt::StringLiterals;

class TestStateLanePainter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyColumnIsTrue_data();
    void everyColumnIsTrue();
};

namespace {

constexpr int Width = 900;

// The state a pixel's colour stands for; nullopt for an empty column.
std::optional<ThreadState> stateOf(QRgb pixel, const QPalette& pal)
{
    if (qAlpha(pixel) == 0)
        return std::nullopt;
    for (int s = 0; s < ThreadStateCount; ++s) {
        if (StatePalette::stateOn(ThreadState(s), pal).rgba() == pixel)
            return ThreadState(s);
    }
    if (StatePalette::stateOn(ThreadState::Paused, pal).darker(135).rgba() == pixel)
        return ThreadState::Paused; // its hatching
    return ThreadState::Count; // a colour that is no state
}

struct Span
{
    std::int64_t start = 0;
    std::int64_t end = 0;
    ThreadState state = ThreadState::Running;
};

// Everything the lane says it was, the open interval included, as plain spans.
std::vector<Span> spansOf(const TraceStore& store, const LaneData& lane)
{
    std::vector<Span> spans;
    for (const StateInterval& s : lane.intervals)
        spans.push_back({s.start, s.end, s.state});
    if (!lane.ended && store.endTime() > lane.currentStart)
        spans.push_back({lane.currentStart, store.endTime(), lane.current});
    return spans;
}

// Paints the lane with `painter` at `map` and checks each column against the spans.
void checkFrame(StateLanePainter& painter, const TraceStore& store, const TimeMapping& map)
{
    const QPalette pal;
    const QFont font;
    QImage image(Width, 10, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter p(&image);
        TimelineFrame f{&store, map, pal, font, image.size(), 0, 0, 10, 4, 0};
        painter.paint(p, f, 0, 0);
    }
    const bool middleRule = !painter.lastPaintReadGrid(); // the grid's rule is the nearest point
    const std::vector<Span> spans = spansOf(store, store.lane(0));
    // The spans follow each other without overlap (checked here), so the ones a time range meets
    // start at the first that ends after its start: every span is still looked at where it
    // matters, without a pass over all of them per column (which made this test minutes long
    // under the sanitizers).
    for (std::size_t i = 1; i < spans.size(); ++i)
        QVERIFY2(spans[i - 1].end <= spans[i].start, "the lane's intervals overlap or are out of order");
    const auto firstEndingAfter = [&](std::int64_t t) {
        return std::upper_bound(spans.begin(), spans.end(), t, [](std::int64_t v, const Span& s) { return v < s.end; });
    };
    const auto stateAt = [&](std::int64_t t) -> std::optional<ThreadState> {
        const auto it = firstEndingAfter(t);
        if (it != spans.end() && it->start <= t)
            return it->state;
        return std::nullopt;
    };
    int painted = 0;
    for (int c = 0; c < Width; ++c) {
        const std::int64_t a = map.timeAt(c);
        const std::int64_t b = map.timeAt(c + 1); // the column is [a, b)
        const std::optional<ThreadState> shown = stateOf(image.pixel(c, 5), pal);
        bool wasIn = false;
        std::int64_t covered = 0;
        for (auto it = firstEndingAfter(a); it != spans.end() && it->start < b; ++it) {
            const Span& s = *it;
            const std::int64_t overlap = std::min(b, s.end) - std::max(a, s.start);
            if (overlap > 0) {
                covered += overlap;
                wasIn = wasIn || (shown && s.state == *shown);
            }
        }
        if (shown) {
            ++painted;
            QVERIFY2(wasIn, qPrintable(u"column %1 [%2, %3) shows state %4, which the lane was not in there"_s.arg(c)
                                           .arg(a).arg(b).arg(int(*shown))));
        } else {
            QVERIFY2(covered < b - a, qPrintable(u"column %1 [%2, %3) is blank, the lane lived through it"_s.arg(c)
                                                     .arg(a).arg(b)));
        }
        if (middleRule && shown) {
            // Zoomed in: the state at the column's middle (where rounding could put the middle a
            // nanosecond either side of a change, either state is right).
            const std::int64_t m = map.timeAt(c + 0.5);
            const auto here = stateAt(m);
            if (here && here == stateAt(m - 1) && here == stateAt(m + 1) && !(a < store.endTime() && store.endTime() <= b))
                QVERIFY2(*here == *shown, qPrintable(u"column %1 shows %2, its middle is %3"_s.arg(c)
                                                         .arg(int(*shown)).arg(int(*here))));
        }
    }
    QVERIFY2(painted > 0, qPrintable(u"t0 %1 npp %2 end %3 first %4"_s.arg(map.t0).arg(map.nsPerPixel).arg(store.endTime()).arg(store.lane(0).intervals.front().start)));
}

} // namespace

void TestStateLanePainter::everyColumnIsTrue_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<double>("zoom"); // 1 = the whole lane across the width
    QTest::addColumn<bool>("ends");
    QTest::addColumn<bool>("capped");

    for (const double zoom : {1.0, 3.0, 40.0, 1000.0, 50000.0}) {
        QTest::addRow("zoom %g, live", zoom) << 11u << zoom << false << false;
        QTest::addRow("zoom %g, ended", zoom) << 12u << zoom << true << false;
        QTest::addRow("zoom %g, aged out", zoom) << 13u << zoom << false << true;
    }
}

void TestStateLanePainter::everyColumnIsTrue()
{
    QFETCH(quint32, seed);
    QFETCH(double, zoom);
    QFETCH(bool, ends);
    QFETCH(bool, capped);

    TraceStore store;
    if (capped) {
        HistoryCap cap;
        cap.intervals = 6000;
        cap.minPerLane = 6000;
        store.setHistoryCap(cap);
    }
    store.addLane(0, u"worker"_s, LaneKind::Thread);
    test::RandomLane lane(seed, 0, 3'000'000);
    StateLanePainter painter;
    QRandomGenerator rng(seed * 31);
    int gridFrames = 0;
    int searchFrames = 0;
    constexpr int Batches = 12;
    for (int batch = 0; batch < Batches; ++batch) {
        lane.append(store, 2000, ends && batch + 1 == Batches);
        // The whole lane, zoomed in around a random point; several pans per batch.
        const LaneData& l = store.lane(0);
        const std::int64_t first = l.intervals.front().start;
        const std::int64_t last = store.endTime();
        for (int pan = 0; pan < 3; ++pan) {
            TimeMapping map;
            map.width = Width;
            map.fit(first, last);
            const std::int64_t around = first + std::int64_t(rng.bounded(1.0) * double(last - first));
            map.zoomAround(map.xOf(around), zoom);
            map.t0 -= std::int64_t(rng.bounded(1.0) * map.nsPerPixel); // off the pixel grid
            checkFrame(painter, store, map);
            if (QTest::currentTestFailed())
                return;
            ++(painter.lastPaintReadGrid() ? gridFrames : searchFrames);
        }
    }
    if (capped)
        QVERIFY(store.agedOut() > 0);
    // Both ways of reading a lane are exercised: the grid zoomed out, the search zoomed in.
    if (zoom == 1.0)
        QCOMPARE(searchFrames, 0);
    if (zoom >= 1000)
        QCOMPARE(gridFrames, 0);
}

QTEST_MAIN(TestStateLanePainter)
#include "tst_statelanepainter.moc"
