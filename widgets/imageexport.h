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
// Any widget, e.g. the main window: at another size it is scaled uniformly and centred.
ImageSource widgetImage(QWidget& widget, const QString& title);

// An empty size means naturalSize.
QImage renderImage(const ImageSource& source, QSize size = {});
QByteArray renderSvg(const ImageSource& source, QSize size = {});
// Picks the format from the suffix. On failure sets *error to one line and returns false.
bool writeImage(const ImageSource& source, const QString& path, QSize size, QString* error);

} // namespace interleave
