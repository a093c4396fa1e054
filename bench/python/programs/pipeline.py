"""A producer and two workers: the original of bench's programs/Pipeline.java.

    python3 pipeline.py FILE_LIST        (one path per line)

The producer reads each file and puts (path, text) into a JoinableQueue(64); each worker hashes the
text (SHA-256) and counts its lines, and puts the result into a Queue; a None per worker ends them. The
parent collects one result per file, joins the queue and the processes, and prints a summary.
"""
import hashlib
import multiprocessing as mp
import sys

WORKERS = 2


def producer(paths, tasks):
    for p in paths:
        with open(p, encoding="utf-8", errors="replace", newline="") as f:
            tasks.put((p, f.read()))
    for _ in range(WORKERS):
        tasks.put(None)


def worker(tasks, results):
    while True:
        item = tasks.get()
        if item is None:
            tasks.task_done()
            break
        path, text = item
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        results.put((path, digest, text.count("\n")))
        tasks.task_done()


def main():
    with open(sys.argv[1]) as f:
        paths = f.read().splitlines()
    tasks = mp.JoinableQueue(64)
    results = mp.Queue()
    prod = mp.Process(target=producer, args=(paths, tasks))
    workers = [mp.Process(target=worker, args=(tasks, results)) for _ in range(WORKERS)]
    prod.start()
    for w in workers:
        w.start()
    by_path = {}
    for _ in paths:
        path, digest, lines = results.get()
        by_path[path] = (digest, lines)
    tasks.join()
    prod.join()
    for w in workers:
        w.join()
    everything = hashlib.sha256()
    lines = 0
    for path in sorted(by_path):
        digest, n = by_path[path]
        everything.update(digest.encode("ascii"))
        lines += n
    print(f"{len(by_path)} files, {lines} lines, digest of digests {everything.hexdigest()}")


if __name__ == "__main__":
    main()
