"""Function calls (--calls): two workers, each calling middle() 5 times; middle() calls leaf() 3
times and sleeps 10 ms. Each worker times its own middle() calls and prints the total; tiny() is
called 2,000 times, each far under the 20 µs a call must last to be drawn. Then the main thread
only computes: spin() 3 times, 30 ms each, nothing blocking between them, then 200 ms in a loop
of its own (no call long enough to be drawn), so nothing else would carry the spins' records out."""
import threading
import time


def leaf(n):
    s = 0
    for i in range(n):
        s += i
    return s


def middle():
    for _ in range(3):
        leaf(20_000)
    time.sleep(0.01)


def tiny():
    return 1


def worker(name):
    spent = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        middle()
        spent += time.perf_counter() - t0
    print(f"{name} middle_ms {spent * 1000:.3f}")


threads = [threading.Thread(target=worker, args=(f"w{i}",), name=f"w{i}") for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("tiny", sum(tiny() for _ in range(2000)))


def spin():
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.03:
        pass


spent = 0.0
for _ in range(3):
    t0 = time.perf_counter()
    spin()
    spent += time.perf_counter() - t0
t0 = time.perf_counter()
while time.perf_counter() - t0 < 0.2:
    pass
print(f"main spin_ms {spent * 1000:.3f}")
