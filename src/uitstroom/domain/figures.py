"""Cohort in cijfers: the counts a director asks for, worked out from plain rows with the date
passed in. Pupils per profile, route and status; how many doorleren pupils registered at the
mbo on time (by 1 April, inclusive); destinations at leaving; and for the pro sector's monitor
where the leavers were on the peildatum, 1 November after leaving, and one and two years on."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from uitstroom.domain.nazorg import (
    NOT_REACHED,
    Destination,
    Observation,
    observation_near,
)

# The sector monitor of praktijkonderwijs measures on 1 November.
PEILDATUM = (11, 1)
MONITOR_YEARS = (0, 1, 2)


@dataclass(frozen=True)
class CohortPupil:
    """One pupil as the figures need them; named, for the school's own use."""

    name: str
    klas: str
    profiel: str  # the label; 'Onbekend' when not chosen
    route: str  # the label
    status: str  # the label of the checklist status
    doorleren: bool
    registered_on: date | None = None
    left_on: date | None = None
    destination: Destination | None = None
    observations: tuple[Observation, ...] = ()


def count_by(pupils: Iterable[CohortPupil], key: Callable[[CohortPupil], str]) -> dict[str, int]:
    """Label -> count, most first (then by label)."""
    counted = Counter(key(pupil) for pupil in pupils)
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Registration:
    on_time: int
    late: int
    not_registered: int

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.not_registered


def registration(pupils: Iterable[CohortPupil], deadline: date) -> Registration:
    """Of the doorleren pupils: registered by `deadline` (1 April counts as on time: 'uiterlijk
    op 1 april'), registered after it, and not registered (yet)."""
    on_time = late = missing = 0
    for pupil in pupils:
        if not pupil.doorleren:
            continue
        if pupil.registered_on is None:
            missing += 1
        elif pupil.registered_on <= deadline:
            on_time += 1
        else:
            late += 1
    return Registration(on_time, late, missing)


def registration_state(pupil: CohortPupil, deadline: date) -> str:
    """The same rule for one pupil, in words for the workbook."""
    if not pupil.doorleren:
        return ""
    if pupil.registered_on is None:
        return "Niet aangemeld"
    return "Op tijd" if pupil.registered_on <= deadline else "Te laat"


def peildatum(left_on: date, years: int) -> date:
    """1 November after leaving (a pupil who leaves on 1 November is measured a year later),
    plus `years`."""
    month, day = PEILDATUM
    first = date(left_on.year, month, day)
    if first <= left_on:
        first = date(left_on.year + 1, month, day)
    return first.replace(year=first.year + years)


def destination_label(pupil: CohortPupil) -> str:
    return (pupil.destination or Destination.ONBEKEND).label


def monitor_status(pupil: CohortPupil, years: int, today: date) -> str | None:
    """Where a leaver was on the peildatum `years` after the first: the reached nazorg call
    nearest to it within two months. None when the pupil has not left or the day has not come
    on `today`; 'Niet bereikt' when no call near it reached anyone."""
    if pupil.left_on is None:
        return None
    day = peildatum(pupil.left_on, years)
    if day > today:
        return None
    found = observation_near(pupil.observations, day)
    return NOT_REACHED if found is None else found.status.label


@dataclass(frozen=True)
class CohortFigures:
    pupils: int
    by_profiel: dict[str, int]
    by_route: dict[str, int]
    by_status: dict[str, int]
    registration: Registration
    deadline: date
    leavers: int
    destinations: dict[str, int]
    # years after the first peildatum -> status label -> count (leavers whose day has come)
    monitor: dict[int, dict[str, int]]


def cohort_figures(pupils: Sequence[CohortPupil], deadline: date, today: date) -> CohortFigures:
    leavers = [pupil for pupil in pupils if pupil.left_on is not None]
    monitor: dict[int, dict[str, int]] = {}
    for years in MONITOR_YEARS:
        seen = (monitor_status(pupil, years, today) for pupil in leavers)
        monitor[years] = dict(Counter(status for status in seen if status is not None))
    return CohortFigures(
        len(pupils),
        count_by(pupils, lambda p: p.profiel),
        count_by(pupils, lambda p: p.route),
        count_by(pupils, lambda p: p.status),
        registration(pupils, deadline),
        deadline,
        len(leavers),
        count_by(leavers, destination_label),
        monitor,
    )
