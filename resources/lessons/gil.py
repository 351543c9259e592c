"""The GIL: CPU-bound threads take turns; I/O-bound threads overlap; processes, sub-interpreters
(3.14) and the threads of a free-threaded build (python3.14t) compute in parallel.

Run with: python3 gil.py   (then try WORKLOAD = "io", EXECUTOR = "processes" or "interpreters")
"""
import concurrent.futures
import sys
import sysconfig
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

WORKLOAD = "cpu"          # "cpu": computing; "io": waiting (like a download); "mixed": half each
EXECUTOR = "threads"      # "threads" share one GIL; "processes" and "interpreters" have one each
GIL = True                # False: the free-threaded build (python3.14t); this program cannot switch
WORKERS = 4               # threads, processes or interpreters in the pool
TASKS = 16                # tasks to run
TASK_MS = 200             # work per task: ms of one core (of a regular build), or ms of waiting
SWITCH_INTERVAL_MS = 5    # sys.setswitchinterval: how long a waiter waits before asking for the GIL
INTERPRETER_STARTUP_MS = 30  # the lesson's CPU cost of starting one interpreter; measured below
FREE_THREADED_OVERHEAD_PCT = 8  # the lesson's figure: a free-threaded build computes this much slower

switches = 0              # times we noticed a different thread running Python code
last_runner = None
# Is the GIL off in this interpreter right now? (sys._is_gil_enabled is new in 3.13.)
free_threaded = not getattr(sys, "_is_gil_enabled", lambda: True)()


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
    cpu_ms = TASK_MS if WORKLOAD == "cpu" else TASK_MS / 2
    if free_threaded:
        # A task is TASK_MS of a regular build's work. compute() counts CPU time, and a
        # free-threaded build gets less done per ms, so the same work takes longer here.
        cpu_ms *= 1 + FREE_THREADED_OVERHEAD_PCT / 100
    if WORKLOAD in ("cpu", "mixed"):
        compute(cpu_ms)
    if WORKLOAD in ("io", "mixed"):
        # Blocking calls such as sleep, socket reads and file I/O release the GIL.
        time.sleep(TASK_MS / 1000 / (2 if WORKLOAD == "mixed" else 1))


def interpreter_startup_ms():
    """CPU ms to create an interpreter and import in it what a pool worker imports, or None."""
    start = time.thread_time()
    try:
        from concurrent import interpreters           # Python 3.14 (PEP 734)
        interp = interpreters.create()
        interp.exec("import concurrent.futures.interpreter")
        ms = (time.thread_time() - start) * 1000
        interp.close()
        return ms
    except ImportError:
        pass
    try:
        import _xxsubinterpreters as raw              # 3.11 and 3.12: the private module
        interp = raw.create()
        raw.run_string(interp, "import concurrent.futures.thread, pickle, textwrap, traceback")
        ms = (time.thread_time() - start) * 1000
        raw.destroy(interp)
        return ms
    except Exception:                                 # missing, or not able to import those
        return None


def pool_class():
    if EXECUTOR == "processes":
        return ProcessPoolExecutor
    if EXECUTOR == "interpreters":
        # One interpreter per worker thread, each with its own GIL, in this process.
        pool = getattr(concurrent.futures, "InterpreterPoolExecutor", None)   # new in 3.14
        if pool is not None:
            return pool
        print(f"note: InterpreterPoolExecutor needs Python 3.14 (this is "
              f"{sys.version.split()[0]}); running with threads instead")
    return ThreadPoolExecutor


if __name__ == "__main__":
    sys.setswitchinterval(SWITCH_INTERVAL_MS / 1000)   # CPython's default is 5 ms
    # Which build is this, and is its GIL on? Python code cannot switch the GIL: a free-threaded
    # build runs without it unless PYTHON_GIL=1 (or -X gil=1) or an extension module needs it.
    build = "free-threaded" if sysconfig.get_config_var("Py_GIL_DISABLED") else "regular"
    print(f"Python {sys.version.split()[0]}, {build} build, GIL {'off' if free_threaded else 'on'}")
    if GIL == free_threaded:
        print(f"note: GIL = {GIL}, but this interpreter has the GIL "
              f"{'off' if free_threaded else 'on'}; that is what counts")
    if EXECUTOR == "interpreters":
        measured = interpreter_startup_ms()
        if measured is not None:
            print(f"starting an interpreter (this process's first) took {measured:.0f} ms of CPU "
                  f"(the lesson's figure: {INTERPRETER_STARTUP_MS} ms)")
    executor = pool_class()
    start = time.perf_counter()
    with executor(max_workers=WORKERS) as pool:   # start-up (processes, interpreters) is part of the cost
        list(pool.map(task, range(TASKS)))
    wall_ms = (time.perf_counter() - start) * 1000
    work_ms = TASKS * TASK_MS                         # the same tasks one after another
    # Each process or interpreter has its own GIL (and its own copy of `switches`): ours saw none.
    print(f"work_ms: {work_ms}, wall_ms: {wall_ms:.0f}, speedup: {work_ms / wall_ms:.2f}, "
          f"gil_switches (seen): {switches}  ({WORKLOAD}, {executor.__name__}, {WORKERS} workers)")
