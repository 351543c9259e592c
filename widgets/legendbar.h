// The colour legend under the timeline: every state, the lock-hold strip and the lost-update mark.
#pragma once

#include <QWidget>

namespace interleave {

class LegendBar : public QWidget
{
    Q_OBJECT
public:
    explicit LegendBar(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {100, sizeHint().height()}; }

protected:
    void paintEvent(QPaintEvent* e) override;
};

} // namespace interleave
