"""Imports queue only once its threads run: the queue is still traced, and nothing the program did
not ask for was loaded before it (the first line is compared with an untraced run)."""
import sys
import threading

LIBRARY = ("queue", "multiprocessing", "concurrent.futures", "subprocess", "socket", "pickle")
print("loaded at start:", sorted(m for m in LIBRARY if m in sys.modules), flush=True)


def main():
    import queue  # first imported here, after the tracer started
    jobs = queue.Queue(maxsize=2)

    def consumer():
        while jobs.get() is not None:
            pass

    worker = threading.Thread(target=consumer, name="consumer")
    worker.start()
    for i in range(5):
        jobs.put(i)
    jobs.put(None)
    worker.join()
    print("done")


main()
