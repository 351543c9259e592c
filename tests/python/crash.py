"""Dies without a word (SIGKILL from itself) after some work: what was recorded is kept."""
import os
import threading
import time

lock = threading.Lock()


def work():
    for _ in range(5):
        with lock:
            time.sleep(0.01)


t = threading.Thread(target=work, name="worker")
t.start()
t.join()
print("about to crash", flush=True)
os.kill(os.getpid(), 9)
