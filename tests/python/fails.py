"""A program that fails: its traceback and exit status are its own."""
import threading


def broken():
    raise ValueError("this program fails on purpose")


t = threading.Thread(target=broken, name="worker")
t.start()
t.join()
print("about to fail")
broken()
