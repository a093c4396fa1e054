"""pool.apply() round trip on a warm Pool(2): the CPython twin of PoolBench's apply case.

The shared baselines have no apply case, so this script lives with our benchmarks. The runner starts it
from the shared baseline directory, whose _common.py it uses.

    python3 bench/python/apply_rtt.py [--method spawn] [--reps 5] [--n 2000]

Each rep times --n sequential pool.apply(nothing) calls one by one and reports their median (µs); the
figure is the median over reps. The pool is started and used 200 times before the first rep.
"""
import argparse
import multiprocessing as mp
import os
import sys
import time

sys.path.insert(0, os.getcwd())  # the shared baseline directory, for _common
from _common import emit, log, summarize  # noqa: E402


def nothing():
    return 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", default="spawn", choices=["fork", "spawn", "forkserver"])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--n", type=int, default=2000)
    a = ap.parse_args()
    ctx = mp.get_context(a.method)
    medians = []
    with ctx.Pool(2) as pool:
        for _ in range(200):
            pool.apply(nothing)
        for r in range(a.reps):
            lat = []
            for _ in range(a.n):
                t0 = time.perf_counter()
                pool.apply(nothing)
                lat.append(time.perf_counter() - t0)
            lat.sort()
            medians.append(lat[len(lat) // 2] * 1e6)
            log(f"apply rep{r}: median {medians[-1]:.1f} us")
    emit("apply", {"apply_rtt_us": summarize(medians, 1)}, method=a.method, reps=a.reps, n=a.n)


if __name__ == "__main__":
    main()
