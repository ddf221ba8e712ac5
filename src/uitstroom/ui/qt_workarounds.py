"""Work-arounds for bugs in the Qt binding. Each one checks for its bug first, so it switches
itself off once a fixed PySide6 is installed."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_PROBES = 8
_applied: list[bool] = []


class _Probe(QObject):
    fired = Signal()


def references_lost_per_emit() -> float:
    """How many references to True one `SignalInstance.emit()` from Python loses.
    PySide6 6.12.0 loses one on every call; a correct binding loses none."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.fired.emit()
    return (before - sys.getrefcount(True)) / _PROBES


def keep_true_alive() -> bool:
    """Make the emit() bug harmless; returns whether it was needed.

    On Python 3.11 True is an ordinary object with a few hundred references, so after a few
    hundred emits (a few hundred keystrokes in a form) the program dies with 'Fatal Python
    error: bool_dealloc'. Python 3.12 makes True immortal by giving it an unreachable reference
    count; this does the same here. Only on a standard build, where the count is the object's
    first field.
    """
    if _applied:
        return _applied[0]
    needed = references_lost_per_emit() >= 1 and not hasattr(sys, "getobjects")
    if needed:
        ctypes.c_ssize_t.from_address(id(True)).value += 1 << 40
    _applied.append(needed)
    return needed
