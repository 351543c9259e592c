// A QThread that runs a function. QThread::create() would do, but it runs the function through a
// std::future whose condition variable the thread signals as it ends, in code compiled into ours;
// only QThread::wait() (futex-based, invisible to ThreadSanitizer) orders that before the thread
// object is destroyed. Here the thread's end is QThread's own, inside Qt.
#pragma once

#include <QThread>

#include <functional>
#include <utility>

namespace interleave {

class FunctionThread final : public QThread
{
public:
    explicit FunctionThread(std::function<void()> body)
        : m_body(std::move(body))
    {
    }

protected:
    void run() override { m_body(); }

private:
    std::function<void()> m_body;
};

} // namespace interleave
