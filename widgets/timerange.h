// The visible time range that the timeline and the charts both follow: the one place it lives.
#pragma once

#include <QObject>
#include <QPointer>

#include <cstdint>
#include <functional>

namespace interleave {

// [start, end] in ns since the session start, and whether it follows the live edge. Views turn it
// into pixels with their own width (TimeMapping); none keeps a copy of the range.
//
// Following comes in two kinds: the edge (the span stays, the newest time is kept a little inside
// the right border; until the run is longer than the span it shows it from its start) and the
// whole run (0 .. the newest time, as it grows).
class TimeRange : public QObject
{
    Q_OBJECT
public:
    static constexpr std::int64_t DefaultSpanNs = 5'000'000'000; // a fresh range: the first 5 s

    explicit TimeRange(QObject* parent = nullptr);
    ~TimeRange() override;

    std::int64_t start() const { return m_start; }
    std::int64_t end() const { return m_end; }
    std::int64_t span() const { return m_end - m_start; }
    bool followsLive() const { return m_follow; }
    bool showsWholeRun() const { return m_follow && m_wholeRun; }
    std::int64_t liveEnd() const { return m_liveEnd; }

    // Shows [t0, t1] (at least 1 ns). Following stays as it is (as the edge, if it was the whole
    // run): a following range moves again with the next live end.
    void setRange(std::int64_t t0, std::int64_t t1);
    // Follows the edge (keeping the span) or stops following.
    void setFollowLive(bool follow);
    // Follows the whole run: 0 .. the live end (one second while there is nothing).
    void followWholeRun();
    // The newest time there is (the store's end); a following range moves to keep it in view.
    void setLiveEnd(std::int64_t end);

Q_SIGNALS:
    // The range or the following changed.
    void changed();
    void followLiveChanged(bool follow);

private:
    void slide();
    void apply(std::int64_t t0, std::int64_t t1);

    std::int64_t m_start = 0;
    std::int64_t m_end = DefaultSpanNs;
    std::int64_t m_liveEnd = 0;
    bool m_follow = true;
    bool m_wholeRun = false;
};

// A view's link to the range it follows: a shared one, or its own while none is set (so a lone
// view works). The shared range may go first when a window is torn down: the own one, connected
// for good, stands in.
class TimeRangeLink
{
public:
    // connect: makes the view's connections to a range; called for the own one now and for
    // each shared one set.
    TimeRangeLink(QObject* view, std::function<void(TimeRange&)> connect);

    TimeRange& operator*() const { return m_shared ? *m_shared : *m_own; }
    TimeRange* operator->() const { return &**this; }
    // Follows shared (the own range when null); false when it already did.
    bool set(TimeRange* shared);

private:
    QObject* const m_view;
    TimeRange* const m_own;
    const std::function<void(TimeRange&)> m_connect;
    QPointer<TimeRange> m_shared;
};

} // namespace interleave
