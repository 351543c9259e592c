// Image export: PNGs have the size asked for and show the trace (its colours, where the trace
// says); a chosen size is drawn at that resolution, not stretched; SVGs are XML with drawing in it.
#include "chartspanel.h"
#include "imageexport.h"
#include "imageexportdialog.h"
#include "statepalette.h"
#include "timelineview.h"
#include "tracestore.h"

#include <QChart>
#include <QComboBox>
#include <QImage>
#include <QLineSeries>
#include <QSet>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>
#include <QXmlStreamReader>

#include "testdata.h"

using namespace interleave;
using interleave::test::ev;
using namespace Qt::StringLiterals;

namespace {

constexpr std::int64_t Ms = 1'000'000;

// Two lanes: worker-1 Running 0-1 s then Sleeping 1-2 s; worker-2 waits for a lock 0-1 s then is
// Ready; a lock whose waiter count and a queue whose depth change every 10 ms.
void fill(TraceStore& store)
{
    store.addLane(0, u"worker-1"_s, LaneKind::Thread);
    store.addLane(1, u"worker-2"_s, LaneKind::Thread);
    store.addObject(1, u"counter_lock"_s, ObjectKind::Lock, 0);
    store.addObject(2, u"jobs"_s, ObjectKind::Queue, 5);
    std::vector<TraceEvent> a{ev(0, 0, EventKind::LaneBegin, ThreadState::Running)};
    for (int i = 1; i < 100; ++i) {
        a.push_back(ev(i * 10 * Ms, 0, EventKind::LockWait, ThreadState::Running, 1, i % 4));
        a.push_back(ev(i * 10 * Ms, 0, EventKind::QueuePut, ThreadState::Running, 2, i % 6));
    }
    a.push_back(ev(1000 * Ms, 0, EventKind::State, ThreadState::Sleeping));
    a.push_back(ev(2000 * Ms, 0, EventKind::LaneEnd, ThreadState::Sleeping));
    const std::vector<TraceEvent> b{ev(0, 1, EventKind::LaneBegin, ThreadState::WaitingLock),
                                    ev(1000 * Ms, 1, EventKind::State, ThreadState::Ready),
                                    ev(2000 * Ms, 1, EventKind::LaneEnd, ThreadState::Ready)};
    store.append(a.data(), a.size());
    store.append(b.data(), b.size());
    store.finishBatch();
}

int distinctColours(const QImage& image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

// Rows of `colour` in column x, counted from the first one found.
int runHeight(const QImage& image, int x, const QColor& colour)
{
    int y = 0;
    while (y < image.height() && image.pixelColor(x, y) != colour)
        ++y;
    int n = 0;
    while (y + n < image.height() && image.pixelColor(x, y + n) == colour)
        ++n;
    return n;
}

// The first x from the left where `colour` ends in row y (the x just after it).
int runEnd(const QImage& image, int y, const QColor& colour)
{
    int x = 0;
    while (x < image.width() && image.pixelColor(x, y) != colour)
        ++x;
    while (x < image.width() && image.pixelColor(x, y) == colour)
        ++x;
    return x;
}

} // namespace

class TestImageExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatFromSuffix();
    void timelineAtScreenSize();
    void timelineAtChosenSizeIsRedrawnNotStretched();
    void chartsPng();
    void svgIsXmlWithDrawing();
    void wholeWidgetScaled();
    void writesFilesAndRefusesUnknownFormats();
    void dialogSizes();
    void chartLinesScale();
    void slideTextGrowsWithTheHeight();
};

void TestImageExport::formatFromSuffix()
{
    QCOMPARE(imageFormatForPath(u"a/b/timeline.PNG"_s), ImageFormat::Png);
    QCOMPARE(imageFormatForPath(u"charts.svg"_s), ImageFormat::Svg);
    QVERIFY(!imageFormatForPath(u"charts.jpg"_s));
    QVERIFY(!imageFormatForPath(u"png"_s));
}

void TestImageExport::timelineAtScreenSize()
{
    TraceStore store;
    fill(store);
    TimelineView view;
    view.setStore(&store);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.zoomToFit();

    const QImage image = renderImage(timelineImage(view));
    QCOMPARE(image.size(), QSize(800, 300));
    QVERIFY(distinctColours(image) >= 5);
    const QRect bar = view.laneBarRect(0);
    const int x = bar.left() + int(view.mapping().xOf(500 * Ms));
    QCOMPARE(image.pixelColor(x, bar.center().y()), StatePalette::state(ThreadState::Running));
    const QRect bar2 = view.laneBarRect(1);
    QCOMPARE(image.pixelColor(x, bar2.center().y()), StatePalette::state(ThreadState::WaitingLock));
}

void TestImageExport::timelineAtChosenSizeIsRedrawnNotStretched()
{
    TraceStore store;
    fill(store);
    TimelineView view;
    view.setStore(&store);
    view.resize(700, 250);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.zoomToFit();
    const TimeMapping before = view.mapping();

    const QImage small = renderImage(timelineImage(view));
    const QImage big = renderImage(timelineImage(view), QSize(2100, 750));
    QCOMPARE(big.size(), QSize(2100, 750));
    QVERIFY(distinctColours(big) >= 5);
    QCOMPARE(view.mapping(), before); // the window's own view is left alone

    // worker-2 (no markers over it) waits for the lock until 1 s, then is Ready.
    const QColor waiting = StatePalette::state(ThreadState::WaitingLock);
    const QColor ready = StatePalette::state(ThreadState::Ready);
    // Lanes keep their height in pixels (a stretched bitmap would make them three times taller)...
    const int column = view.laneAreaLeft() + 20;
    QCOMPARE(runHeight(small, column, waiting), view.laneHeight());
    QCOMPARE(runHeight(big, column, waiting), view.laneHeight());
    // ... and the same time range spans the wider picture: the wait ends at 1 s, half-way across
    // the lane area in both pictures.
    const int y = view.laneBarRect(1).center().y();
    const int smallEnd = runEnd(small, y, waiting);
    const int bigEnd = runEnd(big, y, waiting);
    QCOMPARE(small.pixelColor(smallEnd, y), ready);
    QCOMPARE(big.pixelColor(bigEnd, y), ready);
    const double smallFraction = double(smallEnd - view.laneAreaLeft()) / before.width;
    const double bigArea = 2100 - (700 - before.width); // the gutter and scroll bar keep their width
    const double bigFraction = double(bigEnd - view.laneAreaLeft()) / bigArea;
    QVERIFY2(std::abs(smallFraction - bigFraction) < 0.01,
             qPrintable(u"%1 vs %2"_s.arg(smallFraction).arg(bigFraction)));
}

void TestImageExport::chartsPng()
{
    TraceStore store;
    fill(store);
    ChartsPanel panel;
    panel.setStore(&store);
    panel.resize(600, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.refreshNow();

    const QImage onScreen = renderImage(chartsImage(panel));
    QCOMPARE(onScreen.size(), QSize(600, 400));
    QVERIFY(distinctColours(onScreen) >= 4);

    const QImage big = renderImage(chartsImage(panel), QSize(1200, 900));
    QCOMPARE(big.size(), QSize(1200, 900));
    QVERIFY(distinctColours(big) >= 4);
    // The lock waiters' line is drawn in the lock-wait hue somewhere in the picture.
    const QColor lockWait = StatePalette::state(ThreadState::WaitingLock);
    bool found = false;
    for (int y = 0; y < big.height() && !found; ++y) {
        for (int x = 0; x < big.width() && !found; ++x)
            found = big.pixelColor(x, y) == lockWait;
    }
    QVERIFY(found);
}

void TestImageExport::svgIsXmlWithDrawing()
{
    TraceStore store;
    fill(store);
    TimelineView view;
    view.setStore(&store);
    view.resize(640, 240);
    view.zoomToFit();
    ChartsPanel panel;
    panel.setStore(&store);
    panel.resize(640, 400);
    panel.refreshNow();

    for (const ImageSource& source : {timelineImage(view), chartsImage(panel)}) {
        for (const QSize size : {QSize(), QSize(1280, 700)}) {
            const QByteArray svg = renderSvg(source, size);
            QXmlStreamReader xml(svg);
            QString rootName;
            QString viewBox;
            int drawing = 0;
            int texts = 0;
            while (!xml.atEnd()) {
                if (xml.readNext() != QXmlStreamReader::StartElement)
                    continue;
                const QString name = xml.name().toString();
                if (rootName.isEmpty()) {
                    rootName = name;
                    viewBox = xml.attributes().value(u"viewBox"_s).toString();
                }
                if (name == "rect"_L1 || name == "path"_L1 || name == "polyline"_L1 || name == "line"_L1
                    || name == "polygon"_L1)
                    ++drawing;
                if (name == "text"_L1)
                    ++texts;
            }
            QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
            QCOMPARE(rootName, u"svg"_s);
            const QSize expected = size.isEmpty() ? source.naturalSize : size;
            QCOMPARE(viewBox, u"0 0 %1 %2"_s.arg(expected.width()).arg(expected.height()));
            QVERIFY2(drawing >= 10, qPrintable(QString::number(drawing)));
            QVERIFY(texts >= 2); // lane names, axis labels, chart titles
        }
    }
}

void TestImageExport::wholeWidgetScaled()
{
    TraceStore store;
    fill(store);
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* view = new TimelineView(&window);
    view->setStore(&store);
    layout->addWidget(view);
    window.resize(500, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    view->zoomToFit();

    const ImageSource source = widgetImage(window, u"window"_s);
    QCOMPARE(renderImage(source).size(), QSize(500, 300));
    const QImage doubled = renderImage(source, QSize(1000, 600));
    QCOMPARE(doubled.size(), QSize(1000, 600));
    // Scaled as vectors: a point of the Running bar lands at twice its coordinates.
    const QRect bar = view->laneBarRect(0);
    const QPoint p = view->mapTo(&window, QPoint(bar.left() + int(view->mapping().xOf(500 * Ms)), bar.center().y()));
    QCOMPARE(doubled.pixelColor(2 * p.x(), 2 * p.y()), StatePalette::state(ThreadState::Running));
}

void TestImageExport::writesFilesAndRefusesUnknownFormats()
{
    TraceStore store;
    fill(store);
    TimelineView view;
    view.setStore(&store);
    view.resize(400, 200);
    view.zoomToFit();
    QTemporaryDir dir;
    QString error;
    const QString png = dir.filePath(u"t.png"_s);
    QVERIFY2(writeImage(timelineImage(view), png, QSize(640, 360), &error), qPrintable(error));
    QCOMPARE(QImage(png).size(), QSize(640, 360));
    const QString svg = dir.filePath(u"t.svg"_s);
    QVERIFY2(writeImage(timelineImage(view), svg, QSize(), &error), qPrintable(error));
    QFile f(svg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("<svg"));

    QVERIFY(!writeImage(timelineImage(view), dir.filePath(u"t.bmp"_s), QSize(), &error));
    QVERIFY2(error.contains(u".png or .svg"_s), qPrintable(error));
    QVERIFY(!writeImage(timelineImage(view), dir.filePath(u"missing/t.png"_s), QSize(), &error));
    QVERIFY2(error.contains(u"cannot write"_s), qPrintable(error));
}

void TestImageExport::dialogSizes()
{
    ImageExportDialog dialog({QSize(900, 400), QSize(900, 300), QSize(1500, 900)});
    auto* size = dialog.findChild<QComboBox*>(u"size"_s);
    auto* width = dialog.findChild<QSpinBox*>(u"width"_s);
    auto* height = dialog.findChild<QSpinBox*>(u"height"_s);
    QVERIFY(size && width && height);
    QCOMPARE(dialog.target(), ImageExportDialog::Timeline);
    QCOMPARE(dialog.format(), ImageFormat::Png);
    QVERIFY(dialog.chosenSize().isEmpty()); // as on screen
    QVERIFY(size->itemText(0).contains(u"900 × 400"_s));
    QVERIFY(!width->isEnabled());

    size->setCurrentIndex(size->count() - 2); // 4K
    QCOMPARE(dialog.chosenSize(), QSize(3840, 2160));
    size->setCurrentIndex(size->count() - 1); // another size
    QVERIFY(width->isEnabled() && height->isEnabled());
    width->setValue(1234);
    height->setValue(567);
    QCOMPARE(dialog.chosenSize(), QSize(1234, 567));

    // The whole window keeps its proportions: its height follows the width.
    dialog.setTarget(ImageExportDialog::Window);
    QVERIFY(size->itemText(0).contains(u"1500 × 900"_s));
    QVERIFY(!height->isEnabled());
    width->setValue(3000);
    QCOMPARE(dialog.chosenSize(), QSize(3000, 1800));
    dialog.setFormat(ImageFormat::Svg);
    QCOMPARE(dialog.format(), ImageFormat::Svg);
    QCOMPARE(ImageExportDialog::targetName(dialog.target()), u"window"_s);
}

void TestImageExport::chartLinesScale()
{
    TraceStore store;
    fill(store);
    ChartsPanel panel;
    panel.setStore(&store);
    panel.resize(600, 400);
    panel.refreshNow();
    auto widths = [&] {
        QList<double> w;
        for (QAbstractSeries* s : panel.chart(ChartsPanel::QueueDepth)->series())
            w << static_cast<QLineSeries*>(s)->pen().widthF();
        return w;
    };
    const QList<double> normal = widths();
    QVERIFY(normal.size() >= 2); // depth and capacity
    panel.setLineWidthScale(2);
    const QList<double> thick = widths();
    QCOMPARE(thick.size(), normal.size());
    for (qsizetype i = 0; i < normal.size(); ++i)
        QCOMPARE(thick[i], 2 * normal[i]);
    panel.setLineWidthScale(1);
    QCOMPARE(widths(), normal);
}

namespace {

// The rows [first, last] of the first block of dark ink from the top (the slide's title).
std::pair<int, int> firstInkBlock(const QImage& image)
{
    auto inked = [&](int y) {
        for (int x = 0; x < image.width(); ++x)
            if (qGray(image.pixel(x, y)) < 96)
                return true;
        return false;
    };
    int y = 0;
    while (y < image.height() && !inked(y))
        ++y;
    const int first = y;
    while (y < image.height() && inked(y))
        ++y;
    return {first, y - 1};
}

bool hasColour(const QImage& image, QRect area, QColor colour)
{
    area = area.intersected(image.rect());
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            if (image.pixelColor(x, y).rgb() == colour.rgb())
                return true;
    return false;
}

} // namespace

// A slide: title, outcome, timeline and legend, its text 1.5x as tall at 1080 as at 720, and the
// legend's colours (Running) along its bottom.
void TestImageExport::slideTextGrowsWithTheHeight()
{
    TraceStore store;
    fill(store);
    TimelineView view;
    view.resize(900, 300);
    view.setStore(&store);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.zoomToFit();
    const SlideText text{u"Race conditions and locks"_s, u"threads 2, lock off"_s, u"expected 4, got 3: 1 update lost"_s,
                         true};
    const ImageSource slide = slideImage(view, text);
    const QImage small = renderImage(slide, QSize(1280, 720));
    const QImage large = renderImage(slide, QSize(1920, 1080));
    QCOMPARE(small.size(), QSize(1280, 720));
    const auto [s0, s1] = firstInkBlock(small);
    const auto [l0, l1] = firstInkBlock(large);
    const double ratio = double(l1 - l0 + 1) / double(s1 - s0 + 1);
    QVERIFY2(s1 - s0 >= 15 && ratio > 1.35 && ratio < 1.65,
             qPrintable(u"title %1 px high at 720, %2 px at 1080"_s.arg(s1 - s0 + 1).arg(l1 - l0 + 1)));
    QCOMPARE(slideTitlePixels(QSize(1920, 1080)), 48);
    // The outcome in red under the title; the legend's Running swatch in the bottom eighth.
    QVERIFY(hasColour(small, QRect(0, s1, 1280, 150), QColor(0xCC, 0x00, 0x00)));
    QVERIFY(hasColour(small, QRect(0, 720 - 90, 1280, 90), StatePalette::state(ThreadState::Running)));
    // The timeline between them: both lanes' colours.
    QVERIFY(hasColour(small, QRect(0, 150, 1280, 400), StatePalette::state(ThreadState::WaitingLock)));
}

QTEST_MAIN(TestImageExport)
#include "tst_imageexport.moc"

