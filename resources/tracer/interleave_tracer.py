"""Interleave's tracer: tells the Interleave window what a real CPython program's threads do.

Standard library only; Python 3.8 or newer. Loaded by sitecustomize.py when INTERLEAVE_TRACE_PATH
names the FIFO to write to. It reports what only the interpreter knows: threads (their names and
native ids), entering and leaving blocking calls (locks, conditions, events, semaphores, barriers,
joins, queues, time.sleep), lock holds, queue puts and gets with the depth, pool tasks and child
processes. It does not say who holds the GIL: Interleave decides that from the kernel's view of
each thread (see docs/python.md).

A record is 32 bytes, little-endian, followed by `size` bytes of UTF-8 text:
    kind u16, size u16, pid u32, tid u32, obj u32, t i64 (CLOCK_MONOTONIC ns), value i64
Records are buffered and written in whole records, at most PIPE_BUF bytes a write (atomic on a
FIFO shared by every traced process); before and after a thread blocks the buffer is written, so
Interleave knows at once that the thread waits and when it stopped waiting.
"""
import _thread
import os
import struct
import sys
import threading
import time

__all__ = ["install"]

# Record kinds (engine/pythonprogram.cpp reads the same numbers).
PROCESS_START = 1   # tid = the process's main thread; value = parent pid; text = its name
THREAD_START = 2    # value = 1 for a pool worker; text = threading's name
THREAD_END = 3
LOCK_OBJECT = 4     # obj; text = name (locks, events, semaphores, barriers, conditions, joins)
QUEUE_OBJECT = 5    # obj; value = capacity (0 = unbounded); text = name
BLOCK_BEGIN = 6     # obj; value = one of the WAIT_ kinds
BLOCK_END = 7       # obj; value = the WAIT_ kind
LOCK_ACQUIRED = 8   # obj; value = 1 when it had to wait
LOCK_RELEASED = 9   # obj
QUEUE_PUT = 10      # obj; value = depth after the put
QUEUE_GET = 11      # obj; value = depth after the get
TASK_START = 12     # value = task id; text = the callable's name
TASK_END = 13       # value = task id
PROCESS_END = 14    # value = exit status when known
LOCK_FOLDED = 15    # obj; t = the first acquisition; value = holds; then 16 bytes: <qq last release, ns held
CODE_NAME = 16      # obj = a function's id; text = its qualified name (INTERLEAVE_TRACE_CALLS only)
CALL = 17           # obj = the function's id; t = its return; value = depth << 56 | its start
CALLS_SHORT = 18    # value = calls shorter than the minimum, not written (at the process's end)

WAIT_SLEEP = 1
WAIT_LOCK = 2
WAIT_QUEUE_GET = 3
WAIT_QUEUE_PUT = 4
WAIT_JOIN = 5
WAIT_OTHER = 6      # Condition, Event, Semaphore, Barrier: shown as waiting for that object

_HEADER = struct.Struct("<HHIIIqq")
_FOLD_EXTRA = struct.Struct("<qq")
# Short uncontended holds (a lock taken and given back within _FOLD_NS, nobody waiting) are not
# written one by one: a run of them by one thread, over at most _FOLD_SPAN_NS, is one record with
# their number and summed hold time (drawn as one hold over the run's span, counted one by one).
_FOLD_NS = 50_000
_FOLD_SPAN_NS = 2_000_000
_PIPE_BUF = 4096
_FLUSH_NS = 20_000_000  # a buffered record waits at most this long for the next write
# With INTERLEAVE_TRACE_CALLS: the calls of the program's own functions (not the standard
# library's) that last at least this long are written; shorter ones are counted.
_CALL_MIN_NS = 20_000

_now = time.monotonic_ns
_native_id = threading.get_native_id
_pack = _HEADER.pack
_raw_lock = _thread.allocate_lock
_raw_rlock = threading._CRLock or threading._PyRLock
_orig_sleep = time.sleep
_ident = _thread.get_ident

_buffer = []          # packed records; list.append is atomic under the GIL
_folding = set()      # locks with a run of folded holds not written yet
_flushing = _raw_lock()
_fd = -1
_pid = 0
_last_flush = 0
_next_obj = 0
_stdlib = ""
_installed = False


def _emit(kind, obj=0, value=0, text=None, tid=None):
    global _last_flush
    t = _now()
    if tid is None:
        tid = _native_id()
    if text is None:
        _buffer.append(_pack(kind, 0, _pid, tid, obj, t, value))
    else:
        data = text.encode("utf-8", "replace")[:512]
        _buffer.append(_pack(kind, len(data), _pid, tid, obj, t, value) + data)
    if t - _last_flush > _FLUSH_NS or len(_buffer) > 64:
        _flush()


def _emit_at(kind, obj, value, t):
    _buffer.append(_pack(kind, 0, _pid, _native_id(), obj, t, value))


_native_ids = {}  # threading ident -> native id, for a run written by another thread


def _native_id_of(ident):
    if ident == _ident():
        return _native_id()
    nid = _native_ids.get(ident)
    if nid is None:
        thread = threading._active.get(ident)
        nid = getattr(thread, "native_id", None) or _native_id()
        _native_ids[ident] = nid
    return nid


def _flush():
    global _last_flush
    if _folding:
        for lock in list(_folding):
            lock._write_run()
    if _fd < 0 or not _buffer or not _flushing.acquire(False):
        return
    try:
        n = len(_buffer)
        records = _buffer[:n]
        del _buffer[:n]
        _last_flush = _now()
        data = b"".join(records)
        if len(data) <= _PIPE_BUF:
            _write(data)  # the usual case: a few records around a blocking call
            return
        chunk = []
        size = 0
        for r in records:
            if size + len(r) > _PIPE_BUF:
                _write(b"".join(chunk))
                chunk = []
                size = 0
            chunk.append(r)
            size += len(r)
        if chunk:
            _write(b"".join(chunk))
    finally:
        _flushing.release()


def _write(data):
    global _fd
    try:
        os.write(_fd, data)
    except OSError:
        # Interleave went away (Stop): the program goes on untraced.
        try:
            os.close(_fd)
        except OSError:
            pass
        _fd = -1


def _new_object(kind, name, value=0):
    global _next_obj
    _next_obj += 1
    # Unique across processes (a queue made before a fork is used by both sides).
    obj = ((_pid & 0xFFF) << 20) | (_next_obj & 0xFFFFF)
    _emit(kind, obj, value, name)
    return obj


def _user_frame(depth):
    """The frame that asked for the object, or None when the standard library did."""
    try:
        f = sys._getframe(depth)
    except ValueError:
        return None
    return None if _is_library(f.f_code.co_filename) else f


def _is_library(filename):
    """The standard library's code (installed packages count as the program's)."""
    return filename.startswith(_stdlib) and "site-packages" not in filename and "dist-packages" not in filename


def _name_from(frame, fallback):
    """`counter_lock = threading.Lock()` names the lock counter_lock; else file:line."""
    import linecache
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    if "=" in line:
        target = line.split("=", 1)[0].strip()
        target = target.split(":", 1)[0].strip()  # an annotation
        if target.replace(".", "").replace("_", "").isalnum() and "(" not in target:
            return target.rsplit(".", 1)[-1]
    return f"{fallback} {os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}"


def _block(obj, what):
    _emit(BLOCK_BEGIN, obj, what)
    _flush()


def _unblock(obj, what):
    _emit(BLOCK_END, obj, what)
    _flush()


class _TracedLock:
    """threading.Lock for the program's own locks: the same behaviour, with its holds and waits.

    The fast path (a short hold by the thread whose run is open) is one clock read on each side,
    one thread-id call and three counters: what the program pays per acquisition. Under the GIL a
    thread switch happens only at a call, a function's start or a backward jump, so the run's
    fields are read and written between calls, never half-way through another thread's update.
    """
    __slots__ = ("_lock", "_il_obj", "_t", "_n", "_held", "_first", "_last", "_end", "_owner", "__weakref__")

    def __init__(self, obj):
        self._lock = _raw_lock()
        self._il_obj = obj
        self._t = 0       # this hold's acquisition (-1: written already, it had to wait)
        self._n = 0       # the open run of folded holds: how many, their summed time,
        self._held = 0    # its first acquisition and last release, when it must end,
        self._first = 0   # and its thread (0: no run open)
        self._last = 0
        self._end = 0
        self._owner = 0

    def acquire(self, blocking=True, timeout=-1):
        if self._lock.acquire(False):
            self._t = _now()
            return True
        if not blocking:
            return False
        return self._wait(timeout)

    def _wait(self, timeout):
        if self._n:
            self._write_run()
        _block(self._il_obj, WAIT_LOCK)
        try:
            got = self._lock.acquire(True, timeout)
        finally:
            _emit(BLOCK_END, self._il_obj, WAIT_LOCK)
        if got:
            _emit(LOCK_ACQUIRED, self._il_obj, 1)
            self._t = -1
        _flush()
        return got

    def release(self):
        t = _now()
        d = t - self._t
        # _ident() is called before _owner is read: no switch between that read and the update.
        if d < _FOLD_NS and t <= self._end and _ident() == self._owner:
            self._n += 1
            self._held += d
            self._last = t
            self._lock.release()
            return
        self._release_slow(t, d)

    __enter__ = acquire

    def __exit__(self, exc_type, exc, tb):
        # release() written out again: one Python call less inside the hold.
        t = _now()
        d = t - self._t
        if d < _FOLD_NS and t <= self._end and _ident() == self._owner:
            self._n += 1
            self._held += d
            self._last = t
            self._lock.release()
            return
        self._release_slow(t, d)

    def _release_slow(self, t, d):
        start = self._t
        if self._n:
            self._write_run()
        if start > 0 and d < _FOLD_NS:
            # A short hold that opens a run (another thread's run, or an old one, was written).
            self._owner = _ident()
            self._first = start
            self._end = start + _FOLD_SPAN_NS
            self._held = d
            self._last = t
            self._n = 1
            _folding.add(self)
        else:
            if start > 0:
                _emit_at(LOCK_ACQUIRED, self._il_obj, 0, start)
            _emit(LOCK_RELEASED, self._il_obj)
        self._lock.release()

    def _write_run(self):
        # Every field is read before the first call: a switch cannot mix two runs.
        n, first, last, held, owner = self._n, self._first, self._last, self._held, self._owner
        self._n = 0
        self._owner = 0
        if not n:
            return
        _folding.discard(self)
        data = _FOLD_EXTRA.pack(last, held)
        _buffer.append(_pack(LOCK_FOLDED, len(data), _pid, _native_id_of(owner), self._il_obj, first, n) + data)

    def locked(self):
        return self._lock.locked()

    def _is_owned(self):
        return self._lock.locked()

    def _at_fork_reinit(self):
        self._lock._at_fork_reinit()
        self._n = 0
        self._owner = 0

    def __repr__(self):
        return f"<interleave-traced {self._lock!r}>"


class _TracedRLock:
    """threading.RLock with its outermost hold traced (a nested acquire is no new hold)."""
    __slots__ = ("_lock", "_il_obj", "__weakref__")

    def __init__(self, obj):
        self._lock = _raw_rlock()
        self._il_obj = obj

    def acquire(self, blocking=True, timeout=-1):
        lock = self._lock
        if lock._is_owned():
            return lock.acquire()
        if lock.acquire(False):
            _emit(LOCK_ACQUIRED, self._il_obj, 0)
            return True
        if not blocking:
            return False
        _block(self._il_obj, WAIT_LOCK)
        try:
            got = lock.acquire(True, timeout)
        finally:
            _emit(BLOCK_END, self._il_obj, WAIT_LOCK)
        if got:
            _emit(LOCK_ACQUIRED, self._il_obj, 1)
        _flush()
        return got

    def release(self):
        lock = self._lock
        lock.release()
        if not lock._is_owned():
            _emit(LOCK_RELEASED, self._il_obj)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def _is_owned(self):
        return self._lock._is_owned()

    def _release_save(self):
        _emit(LOCK_RELEASED, self._il_obj)
        return self._lock._release_save()

    def _acquire_restore(self, state):
        self._lock._acquire_restore(state)
        _emit(LOCK_ACQUIRED, self._il_obj, 0)

    def _at_fork_reinit(self):
        self._lock._at_fork_reinit()

    def __repr__(self):
        return f"<interleave-traced {self._lock!r}>"


def _make_lock():
    frame = _user_frame(2)
    if frame is None:
        return _raw_lock()
    return _TracedLock(_new_object(LOCK_OBJECT, _name_from(frame, "Lock")))


def _make_rlock(*args, **kwargs):
    frame = _user_frame(2)
    if frame is None:
        return _raw_rlock(*args, **kwargs)
    return _TracedRLock(_new_object(LOCK_OBJECT, _name_from(frame, "RLock")))


def _tag(cond, obj, what):
    cond._il_obj = obj
    cond._il_what = what


def _patch_threading():
    threading.Lock = _make_lock
    threading.RLock = _make_rlock

    orig_cond_init = threading.Condition.__init__

    def cond_init(self, lock=None):
        orig_cond_init(self, lock)
        frame = _user_frame(2)
        if frame is None:
            _tag(self, -1, WAIT_OTHER)  # the library's own (a queue's, an event's): tagged by it
        else:
            _tag(self, _new_object(LOCK_OBJECT, _name_from(frame, "Condition")), WAIT_OTHER)
    threading.Condition.__init__ = cond_init

    orig_wait = threading.Condition.wait

    def wait(self, timeout=None):
        obj = getattr(self, "_il_obj", -1)
        if obj == -1:
            return orig_wait(self, timeout)
        what = self._il_what
        _block(obj, what)
        try:
            return orig_wait(self, timeout)
        finally:
            _unblock(obj, what)
    threading.Condition.wait = wait

    def tagging(cls, label, cond_attr):
        orig_init = cls.__init__

        def __init__(self, *args, **kwargs):
            orig_init(self, *args, **kwargs)
            frame = _user_frame(2)
            if frame is not None:
                _tag(getattr(self, cond_attr), _new_object(LOCK_OBJECT, _name_from(frame, label)), WAIT_OTHER)
        cls.__init__ = __init__

    tagging(threading.Event, "Event", "_cond")
    tagging(threading.Semaphore, "Semaphore", "_cond")
    tagging(threading.Barrier, "Barrier", "_cond")

    orig_bootstrap = threading.Thread._bootstrap_inner

    def _bootstrap_inner(self):
        tid = _native_id()
        name = self.name
        _emit(THREAD_START, 0, 1 if name.startswith("ThreadPoolExecutor") else 0, name, tid)
        _flush()
        try:
            orig_bootstrap(self)
        finally:
            _emit(THREAD_END, 0, 0, None, tid)
            _flush()
    threading.Thread._bootstrap_inner = _bootstrap_inner

    joins = {}
    orig_join = threading.Thread.join

    def join(self, timeout=None):
        if not self.is_alive() or self is threading.current_thread():
            return orig_join(self, timeout)
        obj = joins.get(self.ident)
        if obj is None:
            obj = joins[self.ident] = _new_object(LOCK_OBJECT, f"join {self.name}")
        _block(obj, WAIT_JOIN)
        try:
            return orig_join(self, timeout)
        finally:
            _unblock(obj, WAIT_JOIN)
    threading.Thread.join = join


def _patch_sleep():
    def sleep(seconds):
        _emit(BLOCK_BEGIN, 0, WAIT_SLEEP)
        _flush()
        try:
            _orig_sleep(seconds)
        finally:
            _emit(BLOCK_END, 0, WAIT_SLEEP)
            _flush()
    sleep.__doc__ = _orig_sleep.__doc__
    time.sleep = sleep


class _PatchOnImport:
    """Patches a standard library module just after the program imports it. Importing queue,
    concurrent.futures and multiprocessing up front cost every traced python3 about 17 ms at start
    (more than the rest of the tracer), and a program that never uses them should not pay it."""

    def __init__(self, patches):
        self._patches = patches  # module name -> function(module)

    def find_spec(self, name, path=None, target=None):
        patch = self._patches.get(name)
        if patch is None:
            return None
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is not self and find is not None:
                spec = find(name, path, target)
                if spec is not None:
                    break
        exec_module = getattr(getattr(spec, "loader", None), "exec_module", None)
        if exec_module is None:
            return spec  # not a module we know how to follow: left untraced

        def exec_and_patch(module):
            exec_module(module)
            if self._patches.pop(name, None) is not None:
                patch(module)
        spec.loader.exec_module = exec_and_patch  # a source module's loader is its own
        return spec


def _patch_on_import(patches):
    """Each module patched now if the program has it already, else when it is imported."""
    later = {}
    for name, patch in patches.items():
        module = sys.modules.get(name)
        if module is not None:
            patch(module)
        else:
            later[name] = patch
    if later:
        sys.meta_path.insert(0, _PatchOnImport(later))


def _patch_queue(queue):
    orig_init = queue.Queue.__init__

    def __init__(self, maxsize=0):
        orig_init(self, maxsize)
        frame = _user_frame(2)
        while frame is not None and frame.f_code.co_name == "__init__" and "self" in frame.f_locals \
                and isinstance(frame.f_locals["self"], queue.Queue):
            frame = frame.f_back  # a subclass's __init__: name it where the program made it
        if frame is None:
            _tag(self.not_empty, -1, WAIT_OTHER)
            _tag(self.not_full, -1, WAIT_OTHER)
            return
        obj = _new_object(QUEUE_OBJECT, _name_from(frame, "Queue"), max(0, int(maxsize)))
        _tag(self.not_empty, obj, WAIT_QUEUE_GET)
        _tag(self.not_full, obj, WAIT_QUEUE_PUT)
        put, get, qsize = self._put, self._get, self._qsize

        def _put(item):
            put(item)
            _emit(QUEUE_PUT, obj, qsize())

        def _get():
            item = get()
            _emit(QUEUE_GET, obj, qsize())
            return item
        self._put = _put
        self._get = _get
    queue.Queue.__init__ = __init__


def _patch_futures(futures_thread):
    orig_run = futures_thread._WorkItem.run
    counter = [0]

    def run(self):
        counter[0] += 1
        task = counter[0]
        fn = self.fn
        name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or type(fn).__name__
        _emit(TASK_START, 0, task, name)
        try:
            return orig_run(self)
        finally:
            _emit(TASK_END, 0, task)
    futures_thread._WorkItem.run = run


def _patch_processes(process):
    orig_bootstrap = process.BaseProcess._bootstrap

    def _bootstrap(self, *args, **kwargs):
        _start_process(self.name)
        code = 1
        try:
            code = orig_bootstrap(self, *args, **kwargs)
            return code
        finally:
            _emit(PROCESS_END, 0, code if isinstance(code, int) else 0)
            _flush()
    process.BaseProcess._bootstrap = _bootstrap


def _patch_process_queues(queues):
    orig_init = queues.Queue.__init__

    def __init__(self, maxsize=0, *, ctx):
        orig_init(self, maxsize, ctx=ctx)
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith(_stdlib) \
                and "multiprocessing" in frame.f_code.co_filename:
            frame = frame.f_back  # multiprocessing.Queue() goes through the context
        if frame is not None and frame.f_code.co_filename.startswith(_stdlib):
            frame = None  # the library's own (a pool's call queue)
        self._il_obj = 0
        if frame is not None and maxsize is not None:
            self._il_obj = _new_object(QUEUE_OBJECT, _name_from(frame, "Queue"), max(0, int(maxsize)))
    queues.Queue.__init__ = __init__

    def depth(q):
        try:
            return q.qsize()
        except (NotImplementedError, OSError):
            return 0

    orig_put = queues.Queue.put
    orig_get = queues.Queue.get

    def put(self, obj, block=True, timeout=None):
        qobj = getattr(self, "_il_obj", 0)
        if not qobj:
            return orig_put(self, obj, block, timeout)
        blocked = block and self.full()
        if blocked:
            _block(qobj, WAIT_QUEUE_PUT)
        try:
            orig_put(self, obj, block, timeout)
        finally:
            if blocked:
                _emit(BLOCK_END, qobj, WAIT_QUEUE_PUT)
        _emit(QUEUE_PUT, qobj, depth(self) + 1)  # the feeder thread sends it a moment later
        if blocked:
            _flush()

    def get(self, block=True, timeout=None):
        qobj = getattr(self, "_il_obj", 0)
        if not qobj:
            return orig_get(self, block, timeout)
        blocked = block and self.empty()
        if blocked:
            _block(qobj, WAIT_QUEUE_GET)
        try:
            item = orig_get(self, block, timeout)
        finally:
            if blocked:
                _emit(BLOCK_END, qobj, WAIT_QUEUE_GET)
        _emit(QUEUE_GET, qobj, depth(self))
        if blocked:
            _flush()
        return item
    queues.Queue.put = put
    queues.Queue.get = get


_tracer_dir = os.path.dirname(os.path.abspath(__file__)) + os.sep
_code_ids = {}       # code object -> function id (0: not the program's own)
_call_stacks = {}    # thread ident -> [(function id, start), ...]
_calls_short = 0


def _function_id(code):
    name = code.co_filename
    if _is_library(name) or name.startswith(_tracer_dir) or name.startswith("<frozen"):
        fid = 0
    else:
        # Unique across processes, as objects are (a forked child keeps its parent's ids).
        fid = ((_pid & 0xFFF) << 20) | ((len(_code_ids) + 1) & 0xFFFFF)
        _emit(CODE_NAME, fid, 0, getattr(code, "co_qualname", code.co_name))
    _code_ids[code] = fid
    return fid


def _trace_call(frame, event, arg):
    """sys.settrace's hook (before 3.12), called as a frame begins: the program's own functions
    are followed to their return, without line events."""
    code = frame.f_code
    fid = _code_ids.get(code)
    if fid is None:
        fid = _function_id(code)
    if not fid:
        return None
    frame.f_trace_lines = False
    _call_started(fid)
    return _trace_return


def _trace_return(frame, event, arg):
    if event == "return":
        _call_ended(_code_ids.get(frame.f_code))
    return _trace_return


def _call_started(fid):
    ident = _ident()
    stack = _call_stacks.get(ident)
    if stack is None:
        stack = _call_stacks[ident] = []
    stack.append((fid, _now()))


def _call_ended(fid):
    global _calls_short
    stack = _call_stacks.get(_ident())
    if stack and stack[-1][0] == fid:  # else: it began before the tracer did
        start = stack.pop()[1]
        t = _now()
        if t - start >= _CALL_MIN_NS:
            _buffer.append(_pack(CALL, 0, _pid, _native_id(), fid, t, (min(len(stack), 127) << 56) | start))
            if t - _last_flush > _FLUSH_NS or len(_buffer) > 64:
                _flush()  # a program that only computes must not keep its calls past the lag
        else:
            _calls_short += 1


def _follow_calls():
    """Python 3.12 and later: sys.monitoring, each library function switched off after its first
    call (it then costs nothing); before: sys.settrace, without line events."""
    mon = getattr(sys, "monitoring", None)
    if mon is None:
        threading.settrace(_trace_call)
        sys.settrace(_trace_call)
        return
    tool = next((t for t in (mon.PROFILER_ID, 3, 4) if mon.get_tool(t) is None), None)
    if tool is None:
        sys.stderr.write("interleave: no sys.monitoring tool id is free; calls are not traced\n")
        return
    mon.use_tool_id(tool, "interleave")
    disable = mon.DISABLE

    def started(code, offset):
        fid = _code_ids.get(code)
        if fid is None:
            fid = _function_id(code)
        if not fid:
            return disable
        _call_started(fid)

    def ended(code, offset, value):
        fid = _code_ids.get(code)
        if not fid:
            return disable
        _call_ended(fid)

    def unwound(code, offset, exc):  # an exception left the function (this event cannot be switched off)
        fid = _code_ids.get(code)
        if fid:
            _call_ended(fid)

    events = mon.events
    for event, callback in ((events.PY_START, started), (events.PY_RESUME, started), (events.PY_RETURN, ended),
                            (events.PY_YIELD, ended), (events.PY_UNWIND, unwound)):
        mon.register_callback(tool, event, callback)
    mon.set_events(tool, events.PY_START | events.PY_RESUME | events.PY_RETURN | events.PY_YIELD | events.PY_UNWIND)


def _start_process(name):
    global _pid
    _pid = os.getpid()
    _emit(PROCESS_START, 0, os.getppid(), name, _pid)
    _flush()


def _after_fork_in_child():
    global _pid, _calls_short
    # What the parent had buffered is the parent's to write, its calls in progress its own.
    del _buffer[:]
    _call_stacks.clear()
    _calls_short = 0
    if _flushing.locked():
        try:
            _flushing.release()
        except RuntimeError:
            pass
    _pid = os.getpid()


def _at_exit():
    if _calls_short:
        _emit(CALLS_SHORT, 0, _calls_short)
    _emit(PROCESS_END, 0, 0)
    _flush()


def _command_line():
    """This python3's whole command line (sys.argv is not set yet while site runs before 3.10)."""
    try:
        with open("/proc/self/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return getattr(sys, "orig_argv", None) or [sys.executable]


def _child_name(argv):
    """A python3 the program started: its lane's name until it says a better one (a multiprocessing
    child started by spawn or forkserver says its Process.name when it begins its work)."""
    if "--multiprocessing-fork" in argv:
        return "multiprocessing child (starting)"
    code = argv[argv.index("-c") + 1] if "-c" in argv[:-1] else ""
    if "resource_tracker" in code:
        return "multiprocessing resource tracker"
    if "forkserver" in code:
        return "multiprocessing forkserver"
    return "python " + " ".join(os.path.basename(a) for a in argv[1:3])


def install():
    """Opens the FIFO named by INTERLEAVE_TRACE_PATH and wraps the standard library. Once."""
    global _fd, _stdlib, _installed, _pid
    if _installed:
        return
    path = os.environ.get("INTERLEAVE_TRACE_PATH")
    if not path:
        return
    _installed = True
    _stdlib = os.path.dirname(threading.__file__) + os.sep
    try:
        _fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
        # Non-blocking only to fail at once when nobody reads; writes block as usual.
        os.set_blocking(_fd, True)
    except OSError as exc:
        sys.stderr.write(f"interleave: cannot open the trace pipe {path}: {exc}\n")
        return
    _pid = os.getpid()
    name = "MainProcess"
    if os.environ.pop("INTERLEAVE_TRACE_ROOT", None) != "1":
        name = _child_name(_command_line())
    _start_process(name)
    _patch_threading()
    _patch_sleep()
    _patch_on_import({"queue": _patch_queue, "concurrent.futures.thread": _patch_futures,
                      "multiprocessing.process": _patch_processes,
                      "multiprocessing.queues": _patch_process_queues})
    if os.environ.get("INTERLEAVE_TRACE_CALLS") == "1":
        _follow_calls()
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    import atexit
    atexit.register(_at_exit)
