"""The fault-injection suite's fast subset (issue 14): damaged databases, logs and key files,
and a full disk while creating, importing and backing up. Every case keeps every invariant of
tests/faults.py; `python -m bench.faults` runs all of them and prints the count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import faults

# Every tenth offset; the bench runs every one.
DENSITY = 10


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[faults.School, Path]]:
    work = tmp_path_factory.mktemp("fouten")
    with faults.suite_environment(work):
        yield faults.make_school(work), work


def test_the_subset_is_large_enough_to_mean_something(school) -> None:
    built, _work = school
    kinds = faults.cases(built, DENSITY)
    assert len(kinds) >= 80
    assert {case.cause for case in kinds} >= {"damaged", "empty", "missing", "first-page", None}
    assert any(case.with_log for case in kinds)


def test_every_damaged_file_keeps_every_invariant(school) -> None:
    built, work = school
    with faults.suite_environment(work):
        outcomes = [faults.check(case, built, work) for case in faults.cases(built, DENSITY)]
    failed = [f"{o.name}: {o.failures}" for o in outcomes if not o.ok]
    assert not failed, "\n".join(failed)


@pytest.mark.skipif(not faults.tmpfs_available(), reason="needs root and tmpfs (CI has both)")
def test_a_full_disk_at_every_step_leaves_nothing_half_written(school) -> None:
    built, work = school
    with faults.suite_environment(work):
        outcomes = list(faults.disk_full_cases(built, [0, 32 * 1024, 96 * 1024, 512 * 1024]))
        outcomes += list(faults.migration_full_cases([0, 64 * 1024, 256 * 1024]))
    assert len(outcomes) == 15
    failed = [f"{o.name}: {o.failures}" for o in outcomes if not o.ok]
    assert not failed, "\n".join(failed)


def test_the_suite_would_see_a_command_that_succeeds_on_damage(school) -> None:
    """The invariant checker itself: a case that claims damage where there is none fails."""
    built, work = school
    untouched = faults.Case("niets beschadigd", lambda _folder: None, "damaged")
    with faults.suite_environment(work):
        outcome = faults.check(untouched, built, work)
    assert not outcome.ok
    assert "export gelukt op beschadigde gegevens" in outcome.failures[0]
