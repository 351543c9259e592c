"""The GIL: CPU-bound threads take turns; I/O-bound threads overlap; processes run in parallel.

Run with: python3 gil.py      (then try WORKLOAD = "io" or EXECUTOR = "processes")
"""
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

WORKLOAD = "cpu"          # "cpu": computing; "io": waiting (like a download); "mixed": half each
EXECUTOR = "threads"      # "threads" share one interpreter and its GIL; "processes" have one each
GIL = True                # only a free-threaded build (python3.13t, PEP 703) runs without it
WORKERS = 4               # threads or processes in the pool
TASKS = 16                # tasks to run
TASK_MS = 100             # work per task: ms of one core, or ms of waiting
SWITCH_INTERVAL_MS = 5    # sys.setswitchinterval: how long a waiter waits before asking for the GIL

switches = 0              # times we noticed a different thread running Python code
last_runner = None


def compute(ms):
    """Pure-Python work until this thread has used `ms` of CPU time (one core's worth)."""
    global switches, last_runner
    me = threading.get_ident()
    # thread_time() counts only the CPU time of this thread: time spent waiting for
    # the GIL does not count, so a task is the same amount of work however it runs.
    end = time.thread_time() + ms / 1000
    while time.thread_time() < end:
        for _ in range(1000):
            if last_runner != me:   # another thread ran Python code since our last step
                switches += 1
                last_runner = me


def task(_):
    if WORKLOAD in ("cpu", "mixed"):
        compute(TASK_MS if WORKLOAD == "cpu" else TASK_MS / 2)
    if WORKLOAD in ("io", "mixed"):
        # Blocking calls such as sleep, socket reads and file I/O release the GIL.
        time.sleep(TASK_MS / 1000 / (2 if WORKLOAD == "mixed" else 1))


if __name__ == "__main__":
    sys.setswitchinterval(SWITCH_INTERVAL_MS / 1000)   # CPython's default is 5 ms
    # Python code cannot switch the GIL off; we can only check what this interpreter does.
    gil_really_on = getattr(sys, "_is_gil_enabled", lambda: True)()
    if GIL != gil_really_on:
        print(f"note: GIL = {GIL}, but this interpreter has the GIL "
              f"{'on' if gil_really_on else 'off'}; that is what counts")
    pool_class = ThreadPoolExecutor if EXECUTOR == "threads" else ProcessPoolExecutor
    start = time.perf_counter()
    with pool_class(max_workers=WORKERS) as pool:   # process start-up is part of the cost
        list(pool.map(task, range(TASKS)))
    wall_ms = (time.perf_counter() - start) * 1000
    work_ms = TASKS * TASK_MS                         # the same tasks one after another
    # Each process has its own GIL, so ours saw no switches between workers.
    print(f"work_ms: {work_ms}, wall_ms: {wall_ms:.0f}, speedup: {work_ms / wall_ms:.2f}, "
          f"gil_switches (seen): {switches}  ({WORKLOAD}, {EXECUTOR}, {WORKERS} workers)")
