"""A realistic threaded program for P10: a pool of workers that fetch (I/O, simulated by sleeping),
parse (CPU: JSON) and aggregate under a lock, feeding a writer thread through a bounded queue.

Prints its own wall time. Lock acquisitions and queue operations: a few thousand a second.
"""
import json
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ITEMS = 2000
WORKERS = 8

stats_lock = threading.Lock()
stats = {"bytes": 0, "records": 0}
results = queue.Queue(maxsize=64)
DOCUMENT = json.dumps({"items": [{"id": i, "name": f"item-{i}", "tags": ["a", "b", "c"], "price": i * 1.5}
                                 for i in range(200)]})


def fetch_and_parse(n):
    time.sleep(0.004)                      # the network
    doc = json.loads(DOCUMENT)             # the CPU
    total = sum(item["price"] for item in doc["items"])
    with stats_lock:
        stats["bytes"] += len(DOCUMENT)
        stats["records"] += len(doc["items"])
    results.put((n, total))
    return total


def writer(count):
    written = 0
    while written < count:
        n, total = results.get()
        with stats_lock:
            stats.setdefault("written", 0)
            stats["written"] += 1
        written += 1


if __name__ == "__main__":
    start = time.perf_counter()
    w = threading.Thread(target=writer, args=(ITEMS,), name="writer")
    w.start()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(fetch_and_parse, range(ITEMS)))
    w.join()
    print(f"records {stats['records']} written {stats['written']} wall_ms {(time.perf_counter() - start) * 1000:.1f}")
