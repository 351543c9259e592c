// File ▸ Export Image…: what to draw (timeline, charts, whole window), PNG or SVG, and how big.
#pragma once

#include "imageexport.h"

#include <QDialog>
#include <QList>
#include <QSize>

class QButtonGroup;
class QComboBox;
class QLabel;
class QSpinBox;

namespace interleave {

class ImageExportDialog : public QDialog
{
    Q_OBJECT
public:
    enum Target { Timeline, Charts, Window, Slide, TargetCount };

    // onScreen[t]: the size of target t on screen.
    explicit ImageExportDialog(const QList<QSize>& onScreen, QWidget* parent = nullptr);
    ~ImageExportDialog() override;

    Target target() const;
    void setTarget(Target target);
    ImageFormat format() const;
    void setFormat(ImageFormat format);
    // Empty: as on screen.
    QSize chosenSize() const;
    // "timeline", "charts", "window", "slide": for file names.
    static QString targetName(Target target);

private:
    void updateSize();
    void heightFromWidth();

    QList<QSize> m_onScreen;
    QComboBox* const m_target;
    QButtonGroup* const m_format;
    QComboBox* const m_size;
    QSpinBox* const m_width;
    QSpinBox* const m_height;
    QLabel* const m_note;
};

} // namespace interleave
