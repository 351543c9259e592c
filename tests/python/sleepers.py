"""Threads that only sleep: Sleeping for what they slept, never waiting for the GIL.

Each thread measures its own sleeps (time.perf_counter around each) and prints the total.
"""
import threading
import time

NAPS = 10
NAP_S = 0.05
slept = {}


def nap():
    total = 0.0
    for _ in range(NAPS):
        t0 = time.perf_counter()
        time.sleep(NAP_S)
        total += time.perf_counter() - t0
    slept[threading.current_thread().name] = total


threads = [threading.Thread(target=nap, name=f"sleeper-{i}") for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name, total in sorted(slept.items()):
    print(f"{name} slept_ms {total * 1000:.1f}")
