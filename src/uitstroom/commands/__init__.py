"""Headless sub-commands beyond the basic ones in cli.py, one module per subject.

Each module offers `register(commands) -> dict[str, Handler]`: it adds its sub-parsers to the
argparse sub-parser group and returns the handlers by command name. A handler receives the open
Database, the parsed arguments and the output stream, and returns an exit code (see cli.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

Handler = Callable[[Any, argparse.Namespace, TextIO], int]

# Modules listed here are asked to register their commands, in this order.
MODULES: tuple[str, ...] = (
    "backup",
    "privacy",
    "calendar",
    "documents",
    "consent",
    "overleg",
    "nazorg",
    "exit",
    "server",
    "school",
)
