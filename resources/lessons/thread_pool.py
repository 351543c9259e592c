"""A thread pool reuses a few threads; its size bounds how many tasks run at once.

Run with: python3 thread_pool.py   (then try MODE = "thread_per_task", or POOL_SIZE = 8)
"""
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

POOL_SIZE = 4          # threads in the pool (max_workers)
TASKS = 20             # tasks submitted at once
TASK_MS = 500          # waiting (like I/O) each task does
TASK_JITTER_MS = 250   # random extra time per task, up to this much
MODE = "pool"          # "pool": ThreadPoolExecutor; "thread_per_task": a new thread each

lock = threading.Lock()
thread_names = set()   # the distinct threads that ran a task
queue_wait = 0.0       # submit -> start, summed over tasks
run_time = 0.0         # start -> end, summed over tasks


def task(n, submitted, seconds):
    global queue_wait, run_time
    started = time.perf_counter()
    time.sleep(seconds)               # the task's work: waiting, like a download
    with lock:
        thread_names.add(threading.current_thread().name)
        queue_wait += started - submitted
        run_time += time.perf_counter() - started
    return n


if __name__ == "__main__":
    rng = random.Random(12345)        # the same task lengths every run
    durations = [(TASK_MS + rng.uniform(0, TASK_JITTER_MS)) / 1000 for _ in range(TASKS)]
    start = time.perf_counter()
    if MODE == "pool":
        # Tasks wait in the executor's queue until one of POOL_SIZE threads is free;
        # the threads are made once and reused for task after task.
        with ThreadPoolExecutor(max_workers=POOL_SIZE) as pool:
            futures = [pool.submit(task, n, time.perf_counter(), d)
                       for n, d in enumerate(durations)]
            done = [f.result() for f in futures]
    else:
        # No limit: every task starts at once, each on a brand-new thread.
        threads = [threading.Thread(target=task, args=(n, time.perf_counter(), d))
                   for n, d in enumerate(durations)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done = durations
    wall = time.perf_counter() - start
    # Utilization: how busy POOL_SIZE threads were over the run (capped at 1).
    utilization = min(1.0, run_time / (wall * POOL_SIZE))
    print(f"tasks: {len(done)}, threads_created: {len(thread_names)}, "
          f"mean_queue_wait_ms: {queue_wait / TASKS * 1000:.1f}, "
          f"mean_run_ms: {run_time / TASKS * 1000:.1f}, utilization: {utilization:.2f}  "
          f"({MODE}, wall {wall * 1000:.0f} ms)")
