"""Producers and consumers share a queue.Queue; three ways for consumers to know when to stop.

Run with: python3 producer_consumer.py   (then try CONSUMER_STYLE = "empty_check", PRODUCE_MS = 200)
"""
import queue
import threading
import time

PRODUCERS = 1
CONSUMERS = 2
CAPACITY = 5                 # maxsize: put() blocks while the queue is full; 0 = unbounded
PRODUCE_MS = 400             # time to make one item
CONSUME_MS = 300             # time to handle one item
ITEMS = 10                   # items per producer
CONSUMER_STYLE = "sentinel"  # "sentinel" | "join" | "empty_check" (the bug)

q = queue.Queue(maxsize=CAPACITY)
lock = threading.Lock()      # guards the statistics below
s = dict(produced=0, consumed=0, max_depth=0, wait=0.0, area=0.0, depth=0, t=time.perf_counter())
first_item = threading.Event()
consumers_left = CONSUMERS


def count(**add):
    """Add to the statistics; follow the queue depth over time (for mean_depth)."""
    with lock:
        now = time.perf_counter()
        s["area"] += s["depth"] * (now - s["t"])
        s["t"], s["depth"] = now, q.qsize()
        s["max_depth"] = max(s["max_depth"], s["depth"])
        for key, value in add.items():
            s[key] += value


def producer(p):
    for i in range(ITEMS):
        time.sleep(PRODUCE_MS / 1000)                     # making the item
        while True:   # plain q.put(item) would block forever once every consumer has quit;
            try:      # the timeout only lets this demo notice that, say so and stop
                q.put((f"item-{p + 1}.{i + 1}", time.perf_counter()), timeout=0.2)
                break
            except queue.Full:
                if consumers_left == 0:
                    print("stuck: every consumer has quit and the queue is full")
                    return
        count(produced=1)
        first_item.set()


def consumer():
    global consumers_left
    # empty_check is the bug: empty *right now* does not mean no more items are coming.
    while CONSUMER_STYLE != "empty_check" or not q.empty():
        try:
            # get() blocks while the queue is empty; empty_check does not wait, and
            # another consumer may have taken the last item since q.empty().
            item = q.get(block=CONSUMER_STYLE != "empty_check")
        except queue.Empty:
            continue
        if item is None:                 # sentinel style: None means "no more items"
            count()                      # (a sentinel leaving changes the depth too)
            break
        count(consumed=1, wait=time.perf_counter() - item[1])  # time it sat in the queue
        time.sleep(CONSUME_MS / 1000)    # handling the item
        if CONSUMER_STYLE == "join":
            q.task_done()                # lets q.join() in main count it as finished
    with lock:
        consumers_left -= 1


if __name__ == "__main__":
    start = time.perf_counter()
    producers = [threading.Thread(target=producer, args=(p,)) for p in range(PRODUCERS)]
    for t in producers:
        t.start()
    first_item.wait()   # as in the tutorial, consumers start once the producer is going
    # join style: consumers never return, so they are daemons that die with the program.
    consumers = [threading.Thread(target=consumer, daemon=CONSUMER_STYLE == "join")
                 for _ in range(CONSUMERS)]
    for t in consumers:
        t.start()
    for t in producers:
        t.join()
    if CONSUMER_STYLE == "sentinel":
        for _ in consumers:
            q.put(None)                  # one sentinel per consumer, after the last real item
            count()
    elif CONSUMER_STYLE == "join":
        q.join()                         # returns once task_done() was called for every item
    for t in consumers:
        if not t.daemon:
            t.join()
    count()                              # close the depth-over-time sum at the end
    stranded = [name for name, _ in list(q.queue)]   # peek inside: items nobody took
    print(f"produced: {s['produced']}, consumed: {s['consumed']}, stranded: {len(stranded)} "
          f"{stranded}\nmax_depth: {s['max_depth']}, mean_depth: "
          f"{s['area'] / (time.perf_counter() - start):.2f}, mean_wait_ms: "
          f"{s['wait'] / max(s['consumed'], 1) * 1000:.1f}  ({CONSUMER_STYLE})")
