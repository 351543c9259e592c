"""Lock contention: one hot lock makes threads queue up; striped locks let them overlap.

Run with: python3 contention.py      (then set LOCKS = 4 and run it again)
"""
import random
import threading
import time

THREADS = 4        # threads doing operations
LOCKS = 1          # 1 = one coarse lock; more = striped, each operation picks one
CRITICAL_MS = 20   # work done while holding the lock
OUTSIDE_MS = 20    # work done without the lock
ROUNDS = 50        # operations per thread (must be > 0 here; the app also runs until Stop)

# Striping, as in a hash map with one lock per bucket: operations on different
# buckets do not exclude each other; only those that pick the same bucket do.
locks = [threading.Lock() for _ in range(LOCKS)]
stats_lock = threading.Lock()
ops = 0
wait_s = 0.0       # total time threads spent waiting to acquire a lock
thread_s = 0.0     # total lifetime of all threads


def worker(seed):
    global ops, wait_s, thread_s
    rng = random.Random(seed)           # each thread picks its buckets at random
    born = time.perf_counter()
    for _ in range(ROUNDS):
        lock = locks[rng.randrange(LOCKS)]
        t0 = time.perf_counter()
        with lock:
            waited = time.perf_counter() - t0
            # The critical section sleeps rather than computes: in CPython the GIL
            # would serialise pure-Python computation anyway and hide what the
            # locks do. Think of it as I/O done under the lock (a file, a socket).
            time.sleep(CRITICAL_MS / 1000)
        time.sleep(OUTSIDE_MS / 1000)   # work that needs no lock
        with stats_lock:
            ops += 1
            wait_s += waited
    with stats_lock:
        thread_s += time.perf_counter() - born


if __name__ == "__main__":
    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    print(f"ops: {ops}, ops_per_s: {ops / seconds:.1f}, "
          f"wait_fraction: {wait_s / thread_s:.2f}  ({LOCKS} lock(s), {seconds:.2f} s)")
