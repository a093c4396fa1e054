"""Monte Carlo pi: the original of bench's programs/MonteCarlo.java.

    python3 monte_carlo.py [--serial]

8 chunks of 2,000,000 random points, each chunk seeded with its number, counted by Pool(2).map;
--serial counts them one after another in this process.
"""
import multiprocessing as mp
import random
import sys

CHUNKS = 8
SAMPLES = 2_000_000


def sample(seed, n=SAMPLES):
    rng = random.Random(seed)
    inside = 0
    for _ in range(n):
        x = rng.random()
        y = rng.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return inside


def main():
    seeds = list(range(CHUNKS))
    if sys.argv[1:] == ["--serial"]:
        counts = [sample(s) for s in seeds]
    else:
        with mp.Pool(2) as pool:
            counts = pool.map(sample, seeds)
    print(f"pi ~ {4.0 * sum(counts) / (CHUNKS * SAMPLES):.4f} from {CHUNKS * SAMPLES} points")


if __name__ == "__main__":
    main()
