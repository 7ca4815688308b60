"""Open-addressing hash tables over the rows of a 2-D array (numba).

The table ``htab`` (a power of two long, -1 for empty) holds row numbers of
``rows``; a key is a 1-D array compared with a row element by element. The
exact search keys its states by their task bitsets, the bin-packing bound its
multisets by the count of each size.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def row_hash(key):
    """A well-mixed 64-bit hash of a 1-D array of integers."""
    h = np.uint64(0x9E3779B97F4A7C15)
    for k in range(key.shape[0]):
        x = np.uint64(key[k]) + np.uint64(k) * np.uint64(0xD6E8FEB86659FD93)
        x = (x ^ (x >> np.uint64(32))) * np.uint64(0xD6E8FEB86659FD93)
        x = (x ^ (x >> np.uint64(32))) * np.uint64(0xD6E8FEB86659FD93)
        x = x ^ (x >> np.uint64(32))
        h = (h ^ x) * np.uint64(0x100000001B3)
    return h ^ (h >> np.uint64(29))


@njit(cache=True)
def find_row(htab, rows, key):
    """The row of ``rows`` equal to ``key`` that ``htab`` holds, or -1."""
    mask = htab.shape[0] - 1
    h = np.int64(row_hash(key) & np.uint64(mask))
    width = key.shape[0]
    while True:
        r = htab[h]
        if r < 0:
            return -1
        same = True
        for w in range(width):
            if rows[r, w] != key[w]:
                same = False
                break
        if same:
            return r
        h = (h + 1) & mask


@njit(cache=True)
def insert_row(htab, rows, r):
    """Enter row ``r`` (not in the table yet)."""
    mask = htab.shape[0] - 1
    h = np.int64(row_hash(rows[r]) & np.uint64(mask))
    while htab[h] >= 0:
        h = (h + 1) & mask
    htab[h] = r


@njit(cache=True)
def rehash(htab, rows, count):
    """Enter rows 0..count-1 into an empty table (after it grew)."""
    for r in range(count):
        insert_row(htab, rows, r)
