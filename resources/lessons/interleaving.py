"""Threads interleave: each thread prints a line, then sleeps; the others run meanwhile.

Run with: python3 interleaving.py
"""
import random
import threading
import time

THREADS = 2      # threads printing and sleeping
STEPS = 8        # lines each thread prints
SLEEP_MS = 500   # sleep after each line (like waiting for I/O)
JITTER_MS = 0    # random extra sleep, up to this much, so the order varies

lines = []                      # which thread wrote each line, in console order
lines_lock = threading.Lock()   # keeps print() and lines.append() in the same order


def worker(name):
    for step in range(1, STEPS + 1):
        with lines_lock:
            print(f"{name}: step {step} of {STEPS}", flush=True)
            lines.append(name)
        # While this thread sleeps it needs no CPU (and in CPython it releases the
        # GIL), so the scheduler runs another thread: that is the interleaving.
        extra = random.randint(0, JITTER_MS) if JITTER_MS > 0 else 0
        time.sleep((SLEEP_MS + extra) / 1000)


if __name__ == "__main__":
    threads = [threading.Thread(target=worker, args=(f"thread-{i + 1}",))
               for i in range(THREADS)]
    for t in threads:
        t.start()   # start() returns at once; the thread runs alongside main
    for t in threads:
        t.join()    # wait for every thread before counting

    # A switch: two consecutive console lines came from different threads.
    switches = sum(1 for a, b in zip(lines, lines[1:]) if a != b)
    print(f"lines: {len(lines)}, switches: {switches}")
