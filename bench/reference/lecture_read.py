"""The lecture's own code ("APPLICATION EXAMPLE: LAZY READ OF LARGE DATA"), as the reference the
read benchmarks are measured against.

    python3 lecture_read.py MODE FILE [--chunk-size N] [--repeat R]

MODE is one of
  lazy   process(read_binary_lazy(FILE, chunk_size))   -- the lecture's lazy reader + process()
  eager  read_binary_eager(FILE).sum()                  -- np.fromfile, then numpy's sum

Timing happens here with time.perf_counter around the work only, so interpreter start-up and
`import numpy` are not counted. Prints one JSON object: {"seconds": [...], "sum": ..., "count": ...}.

process() prints a progress line every 10000 items as in the lecture; those lines go to
os.devnull during timing (stdout carries the JSON result), so the cost of formatting and writing
them is still paid, as on the lecture's console, minus a terminal.
"""
import contextlib
import json
import os
import sys
import time
from itertools import chain

import numpy as np


# --- the lecture's code, unchanged ------------------------------------------------------------
# The lecture opens the files with mode 'r'. That works in Python 3 with numpy: np.fromfile
# reads through the OS file descriptor of the file object, not through the text layer, so the
# text mode never decodes anything. (Checked with numpy 2.x: same values as with 'rb'.)

def process(*data_iterables):  # can pass multiple input generators...
    val = 0
    item_count = 0
    for item in chain.from_iterable(data_iterables):  # ...and chain them together
        val += item  # in this example we just sum up the input data values
        item_count += 1
        if item_count % 10000 == 0:  # print progress
            print(f'{item_count} items processed from input')
    return val


def read_binary_eager(fname):  # returns iterable
    with open(fname, 'r') as f:  # open file read-only
        return np.fromfile(f, dtype=float)


# The lecture's first lazy version, `while item := np.fromfile(f, dtype=float, count=1): yield item`,
# is its final version below with chunk_size=1, except that it stops at the first 0.0 (a 1-element
# array is falsy when its item is 0), so the benchmark uses the final version for both chunk sizes.
def read_binary_lazy(fname, chunk_size=1):  # returns generator object
    with open(fname, 'r') as f:  # open file read-only
        while (chunk := np.fromfile(f, dtype=float, count=chunk_size)).size > 0:
            for item in chunk:
                yield item

# ----------------------------------------------------------------------------------------------


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] not in ('lazy', 'eager'):
        sys.exit(__doc__)
    mode, fname = args[0], args[1]
    chunk_size, repeat = 65536, 1
    rest = args[2:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == '--chunk-size':
            chunk_size = int(value)
        elif flag == '--repeat':
            repeat = int(value)
        else:
            sys.exit(f'unknown option {flag}')

    seconds = []
    total = None
    count = None
    for _ in range(repeat):
        if mode == 'lazy':
            with open(os.devnull, 'w') as devnull, contextlib.redirect_stdout(devnull):
                start = time.perf_counter()
                total = process(read_binary_lazy(fname, chunk_size))
                seconds.append(time.perf_counter() - start)
            count = os.path.getsize(fname) // 8
        else:
            start = time.perf_counter()
            data = read_binary_eager(fname)
            total = data.sum()
            seconds.append(time.perf_counter() - start)
            count = int(data.size)
            del data
    print(json.dumps({'mode': mode, 'chunk_size': chunk_size if mode == 'lazy' else None,
                      'seconds': seconds, 'sum': float(total), 'count': count}))


if __name__ == '__main__':
    main()
