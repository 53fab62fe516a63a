"""Reference for bench/suites/walk.ts: Python's os.walk over a tree, fully consumed.

Timed inside Python with time.perf_counter, so interpreter startup is not counted.
Usage: python3 oswalk.py TOP RUNS  ->  {"times": [seconds per run], "dirs": n, "files": n}
"""
import json
import os
import sys
import time


def walk_once(top):
    dirs = files = 0
    for _dirpath, dirnames, filenames in os.walk(top):
        dirs += len(dirnames)
        files += len(filenames)
    return dirs, files


def main():
    top, runs = sys.argv[1], int(sys.argv[2])
    dirs, files = walk_once(top)  # warm-up: caches, and this process's allocator
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        walk_once(top)
        times.append(time.perf_counter() - start)
    json.dump({"times": times, "dirs": dirs, "files": files}, sys.stdout)


if __name__ == "__main__":
    main()
