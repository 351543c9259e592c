"""Two CPU-bound threads under the GIL: each waits for it about half the time.

Prints each thread's own CPU time (time.thread_time) and the wall time, for the test to compare
with what Interleave drew.
"""
import sys
import threading
import time

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
results = {}


def spin(name):
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < SECONDS:
        n += 1
    results[name] = time.thread_time()


threads = [threading.Thread(target=spin, args=(f"cpu-{i}",), name=f"cpu-{i}") for i in range(2)]
wall = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - wall
for name, cpu in sorted(results.items()):
    print(f"{name} cpu_ms {cpu * 1000:.1f}")
print(f"wall_ms {wall * 1000:.1f}")
