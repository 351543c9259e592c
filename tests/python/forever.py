"""Runs until stopped, with a child process that would outlive it: Stop ends both."""
import multiprocessing
import os
import time


def child():
    while True:
        time.sleep(0.1)


if __name__ == "__main__":
    p = multiprocessing.Process(target=child, name="child")
    p.start()
    print(f"child {p.pid}", flush=True)
    while True:
        time.sleep(0.1)
