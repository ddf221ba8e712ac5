"""The small-number rule for every anonymous table, on its edges: no count of 1 to 4 can be
read or worked out from a row's or a column's total."""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest

from uitstroom.domain.nazorg import NOT_REACHED, CallStatus, moment_impossible
from uitstroom.domain.small_numbers import (
    ALSO_HIDDEN,
    IMPOSSIBLE,
    SMALL,
    Shown,
    hide_small_numbers,
    hide_small_total,
    worked_out,
)


def one_row(**counts: int) -> dict[str, Shown]:
    return hide_small_numbers({"Bij vertrek": counts}, list(counts), columns_add_up=False)[
        "Bij vertrek"
    ]


def test_seven_leavers_five_to_mbo_and_two_to_work_hide_both() -> None:
    """'<5' for work next to a shown 5 would give the 2 away (7 − 5)."""
    assert one_row(Mbo=5, Werk=2, Dagbesteding=0) == {
        "Mbo": ALSO_HIDDEN,
        "Werk": SMALL,
        "Dagbesteding": 0,
    }


def test_a_zero_never_protects_a_small_number() -> None:
    assert one_row(Mbo=30, Werk=3, Geen=0) == {"Mbo": ALSO_HIDDEN, "Werk": SMALL, "Geen": 0}


@pytest.mark.parametrize(
    ("a", "b", "third_hidden"),
    [(1, 4, False), (2, 3, False), (1, 3, True), (2, 2, True), (1, 1, True)],
)
def test_two_small_numbers_protect_each_other_only_from_five_together(
    a: int, b: int, third_hidden: bool
) -> None:
    shown = one_row(A=a, B=b, C=7, D=20)
    assert (shown["A"], shown["B"]) == (SMALL, SMALL)
    assert shown["C"] == (ALSO_HIDDEN if third_hidden else 7)
    assert shown["D"] == 20


def test_nothing_small_shows_every_count() -> None:
    assert one_row(Mbo=20, Werk=15, Geen=5, Thuis=0) == {
        "Mbo": 20,
        "Werk": 15,
        "Geen": 5,
        "Thuis": 0,
    }


def test_a_row_of_only_small_numbers_is_all_hidden() -> None:
    assert one_row(Mbo=1, Werk=2, Geen=0) == {"Mbo": SMALL, "Werk": SMALL, "Geen": 0}


def test_a_cell_that_cannot_have_a_value_shows_a_dash_not_a_small_number() -> None:
    rows = {"Bij vertrek": {"Mbo": 12, "Werk": 9}, "Na 6 maanden": {"Mbo": 10, NOT_REACHED: 3}}
    columns = ["Mbo", "Werk", CallStatus.UIT_BEELD.label, NOT_REACHED]
    shown = hide_small_numbers(rows, columns, False, moment_impossible("Bij vertrek"))
    assert shown["Bij vertrek"] == {
        "Mbo": 12,
        "Werk": 9,
        CallStatus.UIT_BEELD.label: IMPOSSIBLE,
        NOT_REACHED: IMPOSSIBLE,
    }
    # After leaving they can: a zero is a zero, and 3 niet bereikt is hidden with a partner.
    assert shown["Na 6 maanden"] == {
        "Mbo": ALSO_HIDDEN,
        "Werk": 0,
        CallStatus.UIT_BEELD.label: 0,
        NOT_REACHED: SMALL,
    }


def test_columns_are_protected_where_their_totals_add_up() -> None:
    """Planned route against destination: the column 'Werk' adds up to the leavers at work,
    which another table shows; its 2 may not be worked out from it either."""
    rows = {"Arbeid": {"Werk": 2, "Mbo": 8}, "Doorleren": {"Werk": 6, "Mbo": 9}}
    shown = hide_small_numbers(rows, ["Werk", "Mbo"])
    assert shown["Arbeid"] == {"Werk": SMALL, "Mbo": ALSO_HIDDEN}
    # 'Werk' needs a second hidden cell, and then so does the row 'Doorleren'.
    assert shown["Doorleren"] == {"Werk": ALSO_HIDDEN, "Mbo": ALSO_HIDDEN}
    only_rows = hide_small_numbers(rows, ["Werk", "Mbo"], columns_add_up=False)
    assert only_rows["Doorleren"] == {"Werk": 6, "Mbo": 9}


def readable(
    counts: Mapping[str, Mapping[str, int]],
    shown: Mapping[str, Mapping[str, Shown]],
    columns: list[str],
) -> list[str]:
    """What a reader with every row and column total can still learn: a small number worked
    out, or hidden cells that cannot be worked out holding 1 to 4 together."""
    lines = [[(r, c) for c in columns] for r in counts] + [
        [(r, c) for r in counts] for c in columns
    ]
    hidden = {(r, c) for r in counts for c in columns if shown[r][c] in (SMALL, ALSO_HIDDEN)}
    known = worked_out(lines, hidden)
    found = [f"{cell} worked out" for cell in known if shown[cell[0]][cell[1]] == SMALL]
    for line in lines:
        if sum(counts[r][c] for r, c in line) < 5:
            continue  # a small total is itself shown as '<5'; nothing in the table helps it
        unknown = [cell for cell in line if cell in hidden and cell not in known]
        if 0 < sum(counts[r][c] for r, c in unknown) < 5:
            found.append(f"{line} holds a small number")
    return found


def test_random_tables_keep_the_rule_and_show_every_other_count() -> None:
    """Tables of 2 to 5 rows and columns whose every row and column holds 5 or more (so the
    totals themselves are no small numbers)."""
    rng = random.Random(15)
    tried = 0
    while tried < 300:
        columns = [f"k{n}" for n in range(rng.randint(2, 5))]
        counts = {
            f"r{n}": {c: rng.choice([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 20]) for c in columns}
            for n in range(rng.randint(2, 5))
        }
        rows_ok = all(sum(row.values()) >= 5 for row in counts.values())
        if not rows_ok or any(sum(row[c] for row in counts.values()) < 5 for c in columns):
            continue
        tried += 1
        shown = hide_small_numbers(counts, columns)
        assert readable(counts, shown, columns) == [], (counts, shown)
        for r, row in counts.items():
            for c, count in row.items():
                cell = shown[r][c]
                assert (cell == SMALL) == (1 <= count <= 4)
                assert not isinstance(cell, int) or cell == count


def test_a_worked_out_partner_gives_nothing_away() -> None:
    """Planned route against destination, as the window showed it: 'Dagbesteding' holds 6 of
    the 7 pupils of that route and is the only other cell; hidden alone in its column, its
    column total (6, in another table) would give it away, and with it the 1."""
    columns = ["Werk", "Mbo", "Dagbesteding", "Onbekend"]
    counts = {
        "Dagbesteding": {"Dagbesteding": 6, "Onbekend": 1},
        "Doorleren": {"Mbo": 9},
        "Nog onbekend": {"Onbekend": 2, "Werk": 3},
        "Route arbeid": {"Werk": 9},
    }
    shown = hide_small_numbers(counts, columns)
    full = {r: {c: counts[r].get(c, 0) for c in columns} for r in counts}
    assert readable(full, shown, columns) == []
    assert shown["Dagbesteding"]["Onbekend"] == SMALL


def test_a_total_on_its_own() -> None:
    assert [hide_small_total(n) for n in (0, 1, 4, 5)] == [0, SMALL, SMALL, 5]
