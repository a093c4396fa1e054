"""Word frequencies over a corpus: the original of bench's programs/WordFreq.java.

    python3 word_freq.py FILE_LIST        (one path per line)

Two workers count the words of each file (imap_unordered, 16 files per chunk); the parent merges the
counts and prints the most frequent ones.
"""
import collections
import multiprocessing as mp
import re
import sys

WORD = re.compile(r"[A-Za-z_]+")


def count_file(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return collections.Counter(WORD.findall(f.read()))


def main():
    with open(sys.argv[1]) as f:
        paths = f.read().splitlines()
    total = collections.Counter()
    with mp.Pool(2) as pool:
        for counts in pool.imap_unordered(count_file, paths, chunksize=16):
            total.update(counts)
    print(f"{len(paths)} files, {len(total)} distinct words, {sum(total.values())} words")
    for word, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
        print(n, word)


if __name__ == "__main__":
    main()
