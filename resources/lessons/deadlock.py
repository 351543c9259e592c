"""Dining philosophers: five threads, five forks (locks); eating takes two forks.

Run with: python3 deadlock.py   (then try STRATEGY = "ordered" or "trylock")
"""
import random
import threading
import time

PHILOSOPHERS = 5       # one fork between each pair of neighbours
THINK_MS = 100         # thinking between meals
EAT_MS = 100           # eating, holding both forks
PICKUP_DELAY_MS = 100  # pause between the first fork and the second: makes deadlock likely
STRATEGY = "naive"     # "naive": left then right; "ordered": lower fork first; "trylock"
MEALS = 3              # meals per philosopher

forks = [threading.Lock() for _ in range(PHILOSOPHERS)]
meals = [0] * PHILOSOPHERS
stuck = 0                       # philosophers holding one fork and waiting for the other
stuck_lock = threading.Lock()
deadlock = threading.Event()
start = time.perf_counter()


def take_second(p, fork):
    """forks[fork].acquire(), with a timeout so that a deadlock is reported, not a hang."""
    global stuck
    with stuck_lock:
        stuck += 1
    try:
        while not forks[fork].acquire(timeout=0.05):   # a plain acquire() would wait forever
            with stuck_lock:
                # All N hold one fork each, so all N forks are taken, and all N wait for
                # one: nobody can ever put a fork down. Around the table, that is a cycle.
                if stuck == PHILOSOPHERS and not deadlock.is_set():
                    deadlock.set()
                    cycle = [f"philosopher-{q + 1} -> fork-{(q + 1) % PHILOSOPHERS + 1}"
                             for q in range(PHILOSOPHERS)]
                    print(f"cycle: {' -> '.join(cycle)} -> philosopher-1")
                    print(f"detected_ms: {(time.perf_counter() - start) * 1000:.0f}")
            if deadlock.is_set():
                return False            # stuck for good: give up
        return True
    finally:
        with stuck_lock:
            stuck -= 1


seated = threading.Barrier(PHILOSOPHERS)   # they sit down together, then start thinking


def philosopher(p):
    seated.wait()
    first, second = p, (p + 1) % PHILOSOPHERS      # left fork, then right fork
    if STRATEGY == "ordered":                      # lower-numbered fork first: no cycle can close
        first, second = min(first, second), max(first, second)
    rng = random.Random(p)
    while meals[p] < MEALS and not deadlock.is_set():
        time.sleep(THINK_MS / 1000)
        forks[first].acquire()                     # holding nothing: this wait is in no cycle
        time.sleep(PICKUP_DELAY_MS / 1000)         # reaching for the other fork
        if STRATEGY == "trylock":
            if not forks[second].acquire(blocking=False):
                forks[first].release()             # never wait while holding a fork:
                time.sleep(rng.uniform(0.2, 1.0) * max(PICKUP_DELAY_MS, 10) / 1000)
                continue                           # put it back, pause a random while, retry
        elif not take_second(p, second):
            return
        time.sleep(EAT_MS / 1000)                  # eating
        meals[p] += 1
        forks[second].release()
        forks[first].release()


if __name__ == "__main__":
    threads = [threading.Thread(target=philosopher, args=(p,)) for p in range(PHILOSOPHERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"deadlock: {deadlock.is_set()}, meals: {sum(meals)} {meals}  "
          f"(strategy {STRATEGY}, {time.perf_counter() - start:.2f} s)")
