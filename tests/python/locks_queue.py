"""A lock held long enough to make others wait, and a bounded queue a slow consumer drains."""
import queue
import threading
import time

work_lock = threading.Lock()
start_line = threading.Barrier(3)
items = queue.Queue(maxsize=3)
ITEMS = 12


def holder(i):
    start_line.wait()  # all three try at once: two of them wait
    with work_lock:
        time.sleep(0.05)  # hold it: the others wait


def producer():
    for i in range(ITEMS):
        items.put(i)       # blocks while the queue is full
    items.put(None)


def consumer():
    while True:
        item = items.get()
        if item is None:
            break
        time.sleep(0.02)   # slower than the producer: the queue fills


lockers = [threading.Thread(target=holder, args=(i,), name=f"locker-{i}") for i in range(3)]
pipeline = [threading.Thread(target=producer, name="producer"), threading.Thread(target=consumer, name="consumer")]
for t in lockers + pipeline:
    t.start()
for t in lockers + pipeline:
    t.join()
print("done")
