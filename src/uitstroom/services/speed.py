"""Building tens of thousands of small records (the Vandaag view, every pupil's status) makes
Python's cyclic garbage collector run dozens of full passes over every object in the process,
which doubles the time. None of those records can form a cycle, so the collector waits."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
