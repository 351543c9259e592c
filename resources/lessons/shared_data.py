"""Minimise shared data: lock per update, lock per batch, or sum locally and merge once.

Run with: python3 shared_data.py      (then try STRATEGY = "batched" or "local")
"""
import threading
import time

THREADS = 4                # threads adding values into the total
INCREMENTS = 50_000        # values each thread adds
STRATEGY = "shared_lock"   # "shared_lock", "batched" or "local"
BATCH = 1000               # values summed locally before one visit to the total ("batched")

total = 0
total_lock = threading.Lock()
acquisitions = 0           # changed only while holding total_lock
contended = 0              # acquisitions that found the lock taken
partials = [0] * THREADS   # "local": one slot per thread, merged by the main thread


def value_at(k):
    return k % 10 + 1      # the k-th value: 1, 2, ..., 10, 1, 2, ...


def add_under_lock(amount):
    global total, acquisitions, contended
    # Try first, so that we can count the times another thread had the lock.
    if not total_lock.acquire(blocking=False):
        total_lock.acquire()
        found_taken = True
    else:
        found_taken = False
    try:
        acquisitions += 1
        contended += found_taken
        total += amount
    finally:
        total_lock.release()


def worker(index):
    if STRATEGY == "shared_lock":
        for k in range(INCREMENTS):
            add_under_lock(value_at(k))        # one acquisition per value
    elif STRATEGY == "batched":
        pending = 0
        for k in range(INCREMENTS):
            pending += value_at(k)
            if (k + 1) % BATCH == 0:
                add_under_lock(pending)        # one acquisition per batch
                pending = 0
        if INCREMENTS % BATCH:
            add_under_lock(pending)            # the last, partial batch
    else:
        local = 0                              # nobody else sees this variable
        for k in range(INCREMENTS):
            local += value_at(k)
        partials[index] = local                # each thread writes only its own slot


if __name__ == "__main__":
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if STRATEGY == "local":
        total = sum(partials)                  # the merge: one thread, after the others are done
    wall_ms = (time.perf_counter() - start) * 1000
    expected = THREADS * sum(value_at(k) for k in range(INCREMENTS))
    print(f"expected: {expected}, actual: {total}, lock_acquisitions: {acquisitions}, "
          f"contended: {contended}, wall_ms: {wall_ms:.0f}  ({STRATEGY})")
    assert total == expected
