// The colour legend under the timeline: every state, the lock-hold strip and the lost-update mark,
// in as many rows as the width needs.
#pragma once

#include <QWidget>

#include <vector>

namespace interleave {

class LegendBar : public QWidget
{
    Q_OBJECT
public:
    explicit LegendBar(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return {100, heightForWidth(100)}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    std::vector<QPoint> layoutFor(int width, int* rows) const;
};

} // namespace interleave
