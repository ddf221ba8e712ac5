"""Counts in words: '1 leerling', '2 leerlingen', 'geen problemen'. Every count the program
writes goes through `counted`, so that no '1 leerlingen' slips through (a test greps for
counts written by hand)."""

from __future__ import annotations


def counted(number: int, one: str, many: str, zero: str | None = None) -> str:
    """'1 leerling' / '3 leerlingen'; `zero` replaces the whole text for 0 ('geen problemen')
    when given."""
    if number == 0 and zero is not None:
        return zero
    return f"{number} {one if number == 1 else many}"
