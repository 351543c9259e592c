"""A ThreadPoolExecutor: its workers are pool lanes, each task marked on its worker's lane."""
import time
from concurrent.futures import ThreadPoolExecutor


def task(i):
    time.sleep(0.02)
    return i


with ThreadPoolExecutor(max_workers=2) as pool:
    print(sum(pool.map(task, range(8))))
