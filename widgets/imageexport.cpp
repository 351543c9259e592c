// Image export: on-screen size renders the widget itself; another size lays out a hidden copy at
// that size and renders it, so lanes, text and plot columns are drawn for the new resolution.
#include "imageexport.h"

#include "chartspanel.h"
#include "legendbar.h"
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

int slideTitlePixels(const QSize& size)
{
    return std::max(8, int(std::lround(32.0 * size.height() / 720.0)));
}

ImageSource slideImage(TimelineView& view, const SlideText& text)
{
    ImageSource source;
    source.naturalSize = QSize(1920, 1080);
    source.dpi = view.logicalDpiY();
    source.title = text.title;
    source.paint = [&view, text](QPainter& p, const QSize& size) {
        const double scale = size.height() / 720.0;
        const QColor ink(0x1a, 0x1a, 0x1a);
        p.fillRect(QRect(QPoint(), size), Qt::white);
        const int margin = int(std::lround(24 * scale));
        const int width = size.width() - 2 * margin;
        auto font = [&](double pixels, bool bold) {
            QFont f = view.font();
            f.setPixelSize(std::max(6, int(std::lround(pixels * scale))));
            f.setBold(bold);
            return f;
        };
        int y = margin;
        auto paragraph = [&](const QString& s, const QFont& f, const QColor& colour) {
            if (s.isEmpty())
                return;
            p.setFont(f);
            p.setPen(colour);
            const QRect box = p.boundingRect(QRect(margin, y, width, size.height()), Qt::TextWordWrap, s);
            p.drawText(QRect(margin, y, width, box.height()), Qt::TextWordWrap, s);
            y += box.height() + int(std::lround(6 * scale));
        };
        QFont title = font(32, true);
        title.setPixelSize(slideTitlePixels(size));
        paragraph(text.title, title, ink);
        paragraph(text.settings, font(18, false), QColor(0x44, 0x44, 0x44));
        paragraph(text.outcome, font(24, true), text.alarm ? QColor(0xCC, 0x00, 0x00) : ink);
        y += int(std::lround(6 * scale));

        // The legend at the bottom, laid out for this width at this text size.
        LegendBar legend;
        legend.setAttribute(Qt::WA_DontShowOnScreen);
        legend.setFont(font(16, false));
        QPalette light = legend.palette();
        light.setColor(QPalette::Window, Qt::white);
        light.setColor(QPalette::WindowText, ink);
        legend.setPalette(light);
        const int legendHeight = legend.heightForWidth(width);
        legend.resize(width, legendHeight);
        legend.show();
        const int legendTop = size.height() - margin - legendHeight;

        // The timeline between them, with its text and lanes scaled like the rest.
        const QSize timelineSize(width, std::max(40, legendTop - y - int(std::lround(8 * scale))));
        TimelineView copy;
        prepareCopy(copy, view, timelineSize);
        copy.setFont(font(15, false));
        QPalette white = view.palette();
        white.setColor(QPalette::Base, Qt::white);
        white.setColor(QPalette::Window, Qt::white);
        white.setColor(QPalette::Text, ink);
        white.setColor(QPalette::WindowText, ink);
        copy.setPalette(white);
        copy.setStore(view.store());
        copy.setShowGilLane(view.showsGilLane());
        copy.setLaneHeight(std::max(view.laneHeight(), int(std::lround(26 * scale))));
        copy.setFollowLive(false);
        copy.show();
        const TimeMapping shown = view.mapping();
        TimeMapping m = copy.mapping();
        m.t0 = shown.t0;
        m.nsPerPixel = std::max(TimeMapping::MinNsPerPixel, double(shown.span()) / std::max(1.0, m.width));
        copy.setMapping(m);
        p.save();
        p.translate(margin, y);
        copy.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground);
        p.restore();
        p.save();
        p.translate(margin, legendTop);
        legend.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground);
        p.restore();
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
