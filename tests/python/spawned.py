"""Two multiprocessing children started by spawn (a fresh python3 each): their lanes carry the
names the program gave them, learnt only once each child begins its work."""
import multiprocessing


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    children = [ctx.Process(target=count, args=(2_000_000,), name=f"cruncher-{i}") for i in range(2)]
    for c in children:
        c.start()
    for c in children:
        c.join()
    print("exit codes", [c.exitcode for c in children])
