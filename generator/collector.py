"""How often Python's cycle collector runs while oagen works.

A generation keeps a large, long-lived heap (the spec, the IR: ~400,000 objects for Twilio's
api v2010, several million for GitHub's) and allocates quickly. With Python's default
thresholds the collector ran ~1,100 times in a Twilio v2010 generation, and each of its six
full collections walked the whole heap: 0.9 to 1.2 s of a 6 to 7 s run went to it, and another
0.5 to 0.8 s to the last collection at interpreter exit. So:

- `fewer_collections()`: a young generation of `YOUNG` objects instead of 700 (mypy runs with
  200,000), for the whole run and in the format stage's worker processes (`in_worker`);
- `frozen()`: once the spec and the IR are built, they are moved out of the collector's sight
  (`gc.freeze`) until the run ends — unless the process froze objects of its own, which are
  then left as they are;
- `quick_exit()`: the `oagen` command freezes everything at exit, so the interpreter does not
  walk the heap once more just before it ends.

Cyclic garbage is still collected, only in larger batches. Cold runs, alternating with the
collector as Python sets it: Twilio v2010 7.7 → 6.7 s, GitHub 40.6 → 37.0 s. The model
workers keep Python's thresholds: with ours, GitHub's process tree peaked ~9 MB higher (see
`render.models._serve`). bench/RESULTS.md has the numbers.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

__all__ = ["YOUNG", "fewer_collections", "frozen", "in_worker", "quick_exit"]

YOUNG = 50_000
"""Allocations (of container objects) between two collections of the young generation."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """`in_worker` for the block only."""
    before = gc.get_threshold()
    in_worker()
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def frozen() -> Iterator[None]:
    """Keep every object alive now out of the collector's walks until the block ends."""
    if gc.get_freeze_count():  # someone else's frozen objects: not ours to unfreeze
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def in_worker() -> None:
    """Collect the young generation every `YOUNG` allocations (or as set, if less often); for
    the format stage's worker processes, which end when their work does."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], YOUNG), *before[1:])


@cache
def quick_exit() -> None:
    """At exit, leave the heap to the operating system instead of collecting it once more."""
    atexit.register(gc.freeze)
