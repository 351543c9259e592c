"""Load the next batches while the model trains on this one (prefetching).

Run with: python3 pipeline.py      (then try PREFETCH = 0, or LOAD_MS = 450 with LOADERS = 3)
"""
import multiprocessing
import queue
import threading
import time

BATCHES = 20                 # batches in one epoch
LOAD_MS = 150                # time to fetch one batch
TRAIN_MS = 150               # time to train on one batch (computing)
LOADERS = 1                  # threads or processes fetching batches
PREFETCH = 2                 # batches the queue holds ready; 0 = load, then train, in turn
LOADER_EXECUTOR = "threads"  # "threads" share our GIL; "processes" have one each
LOAD_KIND = "io"             # "io": waiting (the GIL is released); "cpu": decoding in Python


def compute(ms):
    """Pure-Python work until this thread has used `ms` of CPU time; it holds the GIL."""
    end = time.thread_time() + ms / 1000
    x = 0
    while time.thread_time() < end:
        for i in range(1000):
            x = (x * 31 + i) % 1_000_003
    return x


def load(batch):
    if LOAD_KIND == "io":
        time.sleep(LOAD_MS / 1000)   # like reading a file or a socket: the GIL is released
    else:
        compute(LOAD_MS)             # like decoding images in Python: the GIL is held
    return batch


def loader(index, q):
    # Loader `index` fetches batches index, index + LOADERS, index + 2 * LOADERS, ...
    for batch in range(index, BATCHES, LOADERS):
        q.put(load(batch))           # blocks while PREFETCH batches are already waiting


def train(batch):
    compute(TRAIN_MS)


if __name__ == "__main__":
    start = time.perf_counter()
    idle = 0.0                       # time the trainer waited for data
    if PREFETCH == 0:
        for batch in range(BATCHES):
            t0 = time.perf_counter()
            data = load(batch)       # nothing loads ahead: the trainer fetches its own data
            idle += time.perf_counter() - t0
            train(data)
    else:
        if LOADER_EXECUTOR == "threads":
            q = queue.Queue(maxsize=PREFETCH)
            workers = [threading.Thread(target=loader, args=(i, q)) for i in range(LOADERS)]
        else:
            q = multiprocessing.Queue(maxsize=PREFETCH)
            workers = [multiprocessing.Process(target=loader, args=(i, q)) for i in range(LOADERS)]
        for w in workers:
            w.start()
        for _ in range(BATCHES):
            t0 = time.perf_counter()
            data = q.get()           # blocks until a loader has a batch ready
            idle += time.perf_counter() - t0
            train(data)
        for w in workers:
            w.join()
    epoch_ms = (time.perf_counter() - start) * 1000
    sequential_ms = BATCHES * (LOAD_MS + TRAIN_MS)
    print(f"epoch_ms: {epoch_ms:.0f}, sequential_ms: {sequential_ms}, "
          f"speedup: {sequential_ms / epoch_ms:.2f}, trainer_idle_pct: {100 * idle * 1000 / epoch_ms:.1f}"
          f"  ({LOADERS} {LOADER_EXECUTOR} loading {LOAD_KIND}, prefetch {PREFETCH})")
