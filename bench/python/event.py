"""multiprocessing.Event across processes: the CPython twin of LockBench's event cases.

The shared baselines have no Event case, so this script lives with our benchmarks. The runner starts it
from the shared baseline directory, whose _common.py it uses.

    python3 bench/python/event.py [--method spawn] [--n 200] [--seconds 10]

event_wakeup: a child waits in event.wait(); the parent takes time.monotonic_ns() (CLOCK_MONOTONIC, the
clock of Java's System.nanoTime) and sets the event; the child takes the time when it wakes, clears the
event and sends the difference back. 5 ms between rounds; the first 20 rounds are not counted.
event_blocked: 4 children blocked in event.wait() for --seconds; the CPU time they used meanwhile
(utime + stime from /proc), as a share of one core, in total.
"""
import argparse
import multiprocessing as mp
import os
import sys
import time

sys.path.insert(0, os.getcwd())  # the shared baseline directory, for _common
from _common import emit, log  # noqa: E402


def waker(go, out):
    while True:
        go.wait()
        t = time.monotonic_ns()
        go.clear()
        out.put(t)


def blocked(go, ready):
    ready.release()
    go.wait()


def ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", default="spawn", choices=["fork", "spawn", "forkserver"])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=10)
    a = ap.parse_args()
    ctx = mp.get_context(a.method)

    go, out = ctx.Event(), ctx.SimpleQueue()
    p = ctx.Process(target=waker, args=(go, out))
    p.start()
    us = []
    for i in range(a.n + 20):
        time.sleep(0.005)
        t0 = time.monotonic_ns()
        go.set()
        t1 = out.get()
        if i >= 20:
            us.append((t1 - t0) / 1e3)
    p.terminate()
    p.join()
    us.sort()
    median, p99 = us[len(us) // 2], us[int(len(us) * 0.99)]
    log(f"Event wake-up: median {median:.1f} us, p99 {p99:.1f} us")

    go, ready = ctx.Event(), ctx.Semaphore(0)
    ps = [ctx.Process(target=blocked, args=(go, ready)) for _ in range(4)]
    for q in ps:
        q.start()
    for _ in ps:
        ready.acquire()
    time.sleep(0.5)
    before = sum(ticks(q.pid) for q in ps)
    t0 = time.monotonic()
    time.sleep(a.seconds)
    used = sum(ticks(q.pid) for q in ps) - before
    wall = time.monotonic() - t0
    go.set()
    for q in ps:
        q.join()
    share = used / os.sysconf("SC_CLK_TCK") / wall * 100
    log(f"4 processes blocked on an Event: {used} ticks in {wall:.1f} s = {share:.3f} % of a core")
    emit("event", {
        "event_wakeup": {"n": a.n, "median_us": round(median, 1), "p99_us": round(p99, 1)},
        "event_blocked": {"processes": 4, "seconds": round(wall, 2), "cpu_ticks": used,
                          "percent_of_core": round(share, 3)},
    }, method=a.method)


if __name__ == "__main__":
    main()
