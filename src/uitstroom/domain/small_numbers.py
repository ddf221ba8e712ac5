"""Small numbers in anonymous tables: no reader may learn that 1 to 4 people are in a cell, not
from the cell and not by working it out from a total.

The rule, for every table the program shows or writes without names:
- A count of 1 to 4 is hidden: it reads `SMALL` ('<5').
- In every row (and every column, where the column's total is shown or can be worked out, say
  from another table of the same people), the hidden cells that cannot be worked out hold 0
  or at least 5 together, and no hidden small number can be worked out (the only hidden cell
  of a line is its total minus the rest; once known, it helps work out the next). Where that
  is not so, one more cell is hidden (secondary suppression): the smallest one that is not
  zero; a zero only when the line has nothing else left. It reads `ALSO_HIDDEN` ('x'): it may
  be 5 or more, so '<5' would not be true.
- A zero is shown as 0.
- A cell that cannot have a value (no one is 'niet bereikt' on the day they leave) reads
  `IMPOSSIBLE` ('–').

Example: 7 leavers, 5 to mbo and 2 to work. '<5' alone for work would give it away (7 − 5), so
mbo is hidden too: 'x' and '<5'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

SMALL_NUMBER = 5
SMALL = "<5"
ALSO_HIDDEN = "x"
IMPOSSIBLE = "–"

# One sentence on every sheet and under every table in the window.
HOW_SMALL_NUMBERS_ARE_HIDDEN = (
    "Aantallen van 1 tot en met 4 staan er als ‘<5’, en waar je zo’n aantal uit een totaal zou "
    "kunnen terugrekenen is nog een aantal verborgen (‘x’); een ‘–’ betekent dat daar niemand "
    "kan staan."
)

Cell = tuple[str, str]  # row name, column name
Shown = int | str


def no_impossible(_row: str, _column: str) -> bool:
    return False


def is_small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER


def hide_small_numbers(
    rows: Mapping[str, Mapping[str, int]],
    columns: Sequence[str],
    columns_add_up: bool = True,
    impossible: Callable[[str, str], bool] = no_impossible,
) -> dict[str, dict[str, Shown]]:
    """The table as it may be shown: per row name, per column, a count or a marker.

    `columns_add_up`: False where a column's total means nothing and is shown nowhere (the
    same leavers at 0, 6 and 12 months); then only the rows are checked.
    `impossible(row, column)`: a cell that cannot have a value; it must hold 0."""
    counts = {r: {c: counts.get(c, 0) for c in columns} for r, counts in rows.items()}
    cannot = {(r, c) for r in counts for c in columns if impossible(r, c) and not counts[r][c]}
    primary = {(r, c) for r in counts for c in columns if is_small(counts[r][c])}
    hidden = set(primary)
    lines = [[(r, c) for c in columns] for r in counts]
    if columns_add_up:
        lines += [[(r, c) for r in counts] for c in columns]
    # A line of one cell has that cell as its total: nothing in the table can protect it.
    lines = [line for line in lines if len(line) > 1]
    given_up: set[int] = set()
    while True:
        weak = _weak_line(lines, hidden, primary, counts, given_up)
        if weak is None:
            break
        choice = _next_to_hide(weak, lines, hidden, cannot, counts)
        if choice is None:
            given_up.add(weak)  # nothing left to hide: its total is itself small
        else:
            hidden.add(choice)
    shown: dict[str, dict[str, Shown]] = {}
    for r in counts:
        shown[r] = {}
        for c in columns:
            cell = (r, c)
            if cell in cannot:
                shown[r][c] = IMPOSSIBLE
            elif cell in primary:
                shown[r][c] = SMALL
            elif cell in hidden:
                shown[r][c] = ALSO_HIDDEN
            else:
                shown[r][c] = counts[r][c]
    return shown


def worked_out(lines: Sequence[Sequence[Cell]], hidden: set[Cell]) -> set[Cell]:
    """The hidden cells a reader can work out: the only hidden cell left in a line whose
    total is known, again and again as cells become known."""
    known: set[Cell] = set()
    found = True
    while found:
        found = False
        for line in lines:
            unknown = [cell for cell in line if cell in hidden and cell not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return known


def _weak_line(
    lines: Sequence[Sequence[Cell]],
    hidden: set[Cell],
    primary: set[Cell],
    counts: Mapping[str, Mapping[str, int]],
    given_up: set[int],
) -> int | None:
    """The first line that breaks the rule: a small number in it can be worked out, or its
    hidden cells that cannot be worked out hold 1 to 4 together."""
    known = worked_out(lines, hidden)
    for n, line in enumerate(lines):
        if n in given_up:
            continue
        unknown = [cell for cell in line if cell in hidden and cell not in known]
        together = sum(counts[r][c] for r, c in unknown)
        if is_small(together) or any(cell in primary and cell in known for cell in line):
            return n
    return None


def _next_to_hide(
    weak: int,
    lines: Sequence[Sequence[Cell]],
    hidden: set[Cell],
    cannot: set[Cell],
    counts: Mapping[str, Mapping[str, int]],
) -> Cell | None:
    """One more cell to hide for the weak line. When hidden cells of it can be worked out,
    a cell beside them in their other lines (a zero too, if nothing else is left: it still
    leaves the reader two unknowns); else the smallest shown cell of the line that is not
    zero (a zero would not change what the hidden cells hold together)."""
    line = lines[weak]
    known = worked_out(lines, hidden) & set(line)
    if known:
        around = [other for other in lines if any(cell in other for cell in known)]
        places = [cell for other in around for cell in other]
        zero_ok = True
    else:
        places, zero_ok = list(line), False
    candidates = [
        cell
        for cell in dict.fromkeys(places)
        if cell not in hidden and cell not in cannot and (zero_ok or counts[cell[0]][cell[1]] > 0)
    ]
    if not candidates:
        return None
    order = {cell: n for n, cell in enumerate(dict.fromkeys(places))}
    return min(
        candidates,
        key=lambda cell: (counts[cell[0]][cell[1]] == 0, counts[cell[0]][cell[1]], order[cell]),
    )


def hide_small_total(count: int) -> Shown:
    """A total on its own (a row's 'Totaal', the number of interviews)."""
    return SMALL if is_small(count) else count
