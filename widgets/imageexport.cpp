// Image export: on-screen size renders the widget itself; another size lays out a hidden copy at
// that size and renders it, so lanes, text and plot columns are drawn for the new resolution.
#include "imageexport.h"

#include "chartspanel.h"
#include "timelineview.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace interleave {

namespace {

// A hidden, laid-out top-level copy: shown without a window on screen so its layouts, resize and
// show events run exactly as for a visible widget.
void prepareCopy(QWidget& copy, const QWidget& original, const QSize& size)
{
    copy.setAttribute(Qt::WA_DontShowOnScreen);
    copy.setAttribute(Qt::WA_ShowWithoutActivating);
    copy.setFont(original.font());
    copy.setPalette(original.palette());
    copy.resize(size);
}

void fillBackground(QPainter& p, const QSize& size, const QWidget& w)
{
    p.fillRect(QRect(QPoint(), size), w.palette().color(QPalette::Window));
}

QSize clampedSize(QSize size, const ImageSource& source)
{
    if (size.isEmpty())
        size = source.naturalSize;
    return size.boundedTo(QSize(ImageSource::MaxSide, ImageSource::MaxSide)).expandedTo(QSize(1, 1));
}

} // namespace

std::optional<ImageFormat> imageFormatForPath(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png"_L1)
        return ImageFormat::Png;
    if (suffix == "svg"_L1)
        return ImageFormat::Svg;
    return std::nullopt;
}

ImageSource timelineImage(TimelineView& view)
{
    ImageSource source;
    source.naturalSize = view.size();
    source.dpi = view.logicalDpiY();
    source.title = u"Interleave timeline"_s;
    // The scroll bar is a child: without DrawChildren the picture is the lanes alone.
    const QWidget::RenderFlags flags = QWidget::DrawWindowBackground;
    source.paint = [&view, flags](QPainter& p, const QSize& size) {
        if (size == view.size()) {
            view.render(&p, QPoint(), QRegion(), flags);
            return;
        }
        TimelineView copy;
        prepareCopy(copy, view, size);
        copy.setStore(view.store());
        copy.setShowGilLane(view.showsGilLane());
        copy.setLaneHeight(view.laneHeight());
        copy.setFollowLive(false); // the range below, not the live edge
        copy.show();
        // The same time range across the new width.
        const TimeMapping shown = view.mapping();
        TimeMapping m = copy.mapping();
        m.t0 = shown.t0;
        m.nsPerPixel = std::max(TimeMapping::MinNsPerPixel, double(shown.span()) / std::max(1.0, m.width));
        copy.setMapping(m);
        copy.render(&p, QPoint(), QRegion(), flags);
    };
    return source;
}

ImageSource chartsImage(ChartsPanel& panel)
{
    ImageSource source;
    source.naturalSize = panel.size();
    source.dpi = panel.logicalDpiY();
    source.title = u"Interleave charts"_s;
    source.paint = [&panel](QPainter& p, const QSize& size) {
        fillBackground(p, size, panel);
        if (size == panel.size()) {
            panel.render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
            return;
        }
        ChartsPanel copy;
        prepareCopy(copy, panel, size);
        copy.setLineWidthScale(panel.lineWidthScale());
        copy.setStore(panel.store());
        // The range shown now (following the timeline's live edge or the whole run alike).
        copy.setTimeRange(panel.rangeStart(), panel.rangeEnd());
        copy.show();
        // Twice: the first pass creates the series and lays the charts out, the second decimates to
        // the laid-out plot widths and aligns the plots.
        for (int pass = 0; pass < 2; ++pass) {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            copy.refreshNow();
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        copy.render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    };
    return source;
}

ImageSource widgetImage(QWidget& widget, const QString& title)
{
    ImageSource source;
    source.naturalSize = widget.size();
    source.dpi = widget.logicalDpiY();
    source.title = title;
    source.paint = [&widget](QPainter& p, const QSize& size) {
        fillBackground(p, size, widget);
        const QSize own = widget.size();
        if (size != own && !own.isEmpty()) {
            // Vector scaling: text and lines are drawn at the new resolution, not resampled.
            const double scale = std::min(double(size.width()) / own.width(), double(size.height()) / own.height());
            p.translate((size.width() - own.width() * scale) / 2, (size.height() - own.height() * scale) / 2);
            p.scale(scale, scale);
        }
        widget.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    };
    return source;
}

QImage renderImage(const ImageSource& source, QSize size)
{
    size = clampedSize(size, source);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    const int dotsPerMeter = int(std::lround(source.dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    image.fill(Qt::white);
    QPainter p(&image);
    source.paint(p, size);
    p.end();
    return image;
}

QByteArray renderSvg(const ImageSource& source, QSize size)
{
    size = clampedSize(size, source);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(), size));
    svg.setResolution(source.dpi);
    svg.setTitle(source.title);
    svg.setDescription(u"Drawn by Interleave %1"_s.arg(QCoreApplication::applicationVersion()).trimmed());
    QPainter p(&svg);
    source.paint(p, size);
    p.end();
    return buffer.data();
}

bool writeImage(const ImageSource& source, const QString& path, QSize size, QString* error)
{
    auto fail = [&](const QString& what) {
        if (error)
            *error = what;
        return false;
    };
    const auto format = imageFormatForPath(path);
    if (!format)
        return fail(u"%1: pictures are saved as .png or .svg"_s.arg(QFileInfo(path).fileName()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    if (*format == ImageFormat::Svg) {
        const QByteArray svg = renderSvg(source, size);
        if (file.write(svg) != svg.size())
            return fail(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    } else {
        QImageWriter writer(&file, "png");
        if (!writer.write(renderImage(source, size)))
            return fail(u"cannot write %1: %2"_s.arg(path, writer.errorString()));
    }
    if (!file.commit())
        return fail(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return true;
}

} // namespace interleave
