// A paint device that draws nothing and counts what painters ask of it: every draw call a
// QPainter hands its engine, and the primitives in it (a drawRects of 5 rects counts 5). Tests
// and bench_view render a widget into it to count its real paint calls.
#pragma once

#include <QPaintDevice>
#include <QPaintEngine>
#include <QSize>

#include <cstdint>

namespace interleave::test {

class CountingPaintEngine final : public QPaintEngine
{
public:
    CountingPaintEngine()
        : QPaintEngine(QPaintEngine::AllFeatures) // nothing emulated: each call arrives as made
    {
    }
    std::int64_t calls = 0;
    std::int64_t primitives = 0;
    std::int64_t images = 0; // drawImage and drawPixmap calls

    bool begin(QPaintDevice*) override { return true; }
    bool end() override { return true; }
    void updateState(const QPaintEngineState&) override {}
    Type type() const override { return QPaintEngine::User; }

    void drawRects(const QRect*, int n) override { count(n); }
    void drawRects(const QRectF*, int n) override { count(n); }
    void drawLines(const QLine*, int n) override { count(n); }
    void drawLines(const QLineF*, int n) override { count(n); }
    void drawEllipse(const QRectF&) override { count(1); }
    void drawEllipse(const QRect&) override { count(1); }
    void drawPath(const QPainterPath&) override { count(1); }
    void drawPoints(const QPointF*, int n) override { count(n); }
    void drawPoints(const QPoint*, int n) override { count(n); }
    void drawPolygon(const QPointF*, int, PolygonDrawMode) override { count(1); }
    void drawPolygon(const QPoint*, int, PolygonDrawMode) override { count(1); }
    void drawTextItem(const QPointF&, const QTextItem&) override { count(1); }
    void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override { countImage(); }
    void drawTiledPixmap(const QRectF&, const QPixmap&, const QPointF&) override { countImage(); }
    void drawImage(const QRectF&, const QImage&, const QRectF&, Qt::ImageConversionFlags) override
    {
        countImage();
    }

private:
    void count(int n)
    {
        ++calls;
        primitives += n;
    }
    void countImage()
    {
        count(1);
        ++images;
    }
};

class CountingPaintDevice final : public QPaintDevice
{
public:
    explicit CountingPaintDevice(QSize size)
        : m_size(size)
    {
    }
    ~CountingPaintDevice() override = default;
    QPaintEngine* paintEngine() const override { return &m_engine; }
    const CountingPaintEngine& counts() const { return m_engine; }
    void resetCounts()
    {
        m_engine.calls = 0;
        m_engine.primitives = 0;
        m_engine.images = 0;
    }

protected:
    int metric(PaintDeviceMetric m) const override
    {
        switch (m) {
        case PdmWidth: return m_size.width();
        case PdmHeight: return m_size.height();
        case PdmWidthMM: return m_size.width() * 254 / 960;
        case PdmHeightMM: return m_size.height() * 254 / 960;
        case PdmNumColors: return 0;
        case PdmDepth: return 32;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY: return 96;
        case PdmDevicePixelRatio: return 1;
        case PdmDevicePixelRatioScaled: return int(devicePixelRatioFScale());
        }
        return 0;
    }

private:
    QSize m_size;
    mutable CountingPaintEngine m_engine;
};

} // namespace interleave::test
