// Pictures of the timeline, the charts or the whole window as PNG or SVG, at the size on screen
// or at a chosen size. At a chosen size the timeline and charts are drawn again at that size (a
// hidden copy showing the same time range), so a 4K export has 4K detail, not stretched pixels.
#pragma once

#include <QSize>
#include <QString>

#include <functional>
#include <optional>

class QImage;
class QPainter;
class QWidget;

namespace interleave {

class ChartsPanel;
class TimelineView;

struct ImageSource
{
    static constexpr int MaxSide = 16384; // pixels per side; beyond that a QImage gets unwieldy

    // Paints the picture into a painter whose device is `size` pixels.
    std::function<void(QPainter&, const QSize&)> paint;
    QSize naturalSize; // as on screen
    int dpi = 96;      // the screen's logical dpi: text keeps its size in points
    QString title;     // SVG <title>
};

enum class ImageFormat { Png, Svg };

// ".png" or ".svg" (any case); nullopt for anything else.
std::optional<ImageFormat> imageFormatForPath(const QString& path);

ImageSource timelineImage(TimelineView& view);
ImageSource chartsImage(ChartsPanel& panel);
// A slide for a lecture: the lesson and its settings as a title, the outcome sentence, the
// timeline (the range on screen) and the colour legend. Text is sized for a 720-pixel-high picture
// and grows with the height (1.5x at 1080), so it reads the same from the back of the room.
struct SlideText
{
    QString title;    // "Race conditions and locks"
    QString settings; // "threads 4, increments 3000 per thread, lock off"
    QString outcome;  // "expected 12000, got 3004: 8996 updates lost"
    bool alarm = false; // the outcome in red
};
ImageSource slideImage(TimelineView& view, const SlideText& text);
// Of a slide `size` high: the pixel height of its title font (for tests and layout).
int slideTitlePixels(const QSize& size);

// Any widget, e.g. the main window: at another size it is scaled uniformly and centred.
ImageSource widgetImage(QWidget& widget, const QString& title);

// An empty size means naturalSize.
QImage renderImage(const ImageSource& source, QSize size = {});
QByteArray renderSvg(const ImageSource& source, QSize size = {});
// Picks the format from the suffix. On failure sets *error to one line and returns false.
bool writeImage(const ImageSource& source, const QString& path, QSize size, QString* error);

} // namespace interleave
