"""A race condition: counter += 1 is read, add, write. Without a lock, updates get lost.

Run with: python3 race.py      (then set LOCK = True and run it again)
"""
import threading
import time

THREADS = 4          # threads incrementing the shared counter
INCREMENTS = 3000    # how many times each thread adds 1
LOCK = False         # hold a lock around the read-modify-write?
WINDOW_US = 1000     # time between reading the counter and writing it back

counter = 0
counter_lock = threading.Lock()


def increment_once():
    global counter
    # counter += 1 is three steps: load the value, add 1, store it. We write them
    # out so the gap between load and store is visible and can be widened.
    seen = counter                  # 1. read
    # In CPython the GIL can pass to another thread between the read and the
    # write. time.sleep() always releases the GIL (even sleep(0)), so here it
    # reliably does: another thread reads the same old value in this window.
    time.sleep(WINDOW_US / 1_000_000)
    counter = seen + 1              # 2. write back: may overwrite another's update


def worker():
    for _ in range(INCREMENTS):
        if LOCK:
            with counter_lock:      # only one thread at a time between read and write
                increment_once()
        else:
            increment_once()


if __name__ == "__main__":
    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * INCREMENTS
    print(f"expected: {expected}, actual: {counter}, lost_updates: {expected - counter}"
          f"  (lock {'on' if LOCK else 'off'}, {time.perf_counter() - start:.2f} s)")
