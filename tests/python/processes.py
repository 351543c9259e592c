"""Two CPU-bound processes (multiprocessing): they run at the same time, each with its own GIL."""
import multiprocessing
import time

SECONDS = 1.0


def spin():
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        pass


if __name__ == "__main__":
    procs = [multiprocessing.Process(target=spin, name=f"spinner-{i}") for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("done")
