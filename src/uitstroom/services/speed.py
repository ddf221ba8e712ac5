"""Building tens of thousands of small records (the Vandaag view, every pupil's status) makes
Python's cyclic garbage collector run dozens of full passes over every object in the process,
which doubles the time. None of those records can form a cycle, so the collector waits."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The collector is one for the whole process: paused while any thread builds records (the
# window's list is read in a thread while the UI thread fills Vandaag), on again after the last.
_lock = threading.Lock()
_paused = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


@contextmanager
def start_made_lasting() -> Iterator[None]:
    """For the work after the start (a window's life, a command): what the start made (modules,
    an open database, a window) lives as long as that work, so it is frozen out of the
    collector's full passes, each of which walked it all (50-80 ms: right after the window
    appeared, in a klas of Paspoorten); the collector, off for the imports (__main__), on again.
    Let go of afterwards."""
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()
