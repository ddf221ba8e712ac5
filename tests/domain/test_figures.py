"""Cohort in cijfers: on time means by 1 April inclusive, the peildatum is 1 November after
leaving, and a call counts for a peildatum within two months of it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from uitstroom.domain.figures import (
    CohortPupil,
    cohort_figures,
    monitor_status,
    peildatum,
    registration,
    registration_state,
)
from uitstroom.domain.nazorg import CallStatus, Destination, Observation

APRIL_1 = date(2027, 4, 1)


def pupil(**changes: object) -> CohortPupil:
    values: dict[str, object] = {
        "name": "Sam de Vries",
        "klas": "PRO4A",
        "profiel": "Vervolgonderwijs",
        "route": "Doorleren",
        "status": "Op schema",
        "doorleren": True,
    }
    values.update(changes)
    return CohortPupil(**values)  # type: ignore[arg-type]


def test_registering_on_1_april_is_on_time_and_on_2_april_late() -> None:
    pupils = [
        pupil(registered_on=date(2027, 3, 31)),
        pupil(registered_on=APRIL_1),
        pupil(registered_on=date(2027, 4, 2)),
        pupil(registered_on=None),
        pupil(doorleren=False, route="Route arbeid", registered_on=None),
    ]
    counted = registration(pupils, APRIL_1)
    assert (counted.on_time, counted.late, counted.not_registered) == (2, 1, 1)
    assert counted.total == 4
    assert [registration_state(p, APRIL_1) for p in pupils] == [
        "Op tijd",
        "Op tijd",
        "Te laat",
        "Niet aangemeld",
        "",
    ]


@pytest.mark.parametrize(
    ("left_on", "years", "expected"),
    [
        (date(2026, 7, 10), 0, date(2026, 11, 1)),
        (date(2026, 7, 10), 1, date(2027, 11, 1)),
        (date(2026, 7, 10), 2, date(2028, 11, 1)),
        (date(2026, 10, 31), 0, date(2026, 11, 1)),
        (date(2026, 11, 1), 0, date(2027, 11, 1)),  # left on the day: measured a year later
        (date(2026, 12, 20), 0, date(2027, 11, 1)),
        (date(2028, 2, 29), 0, date(2028, 11, 1)),
    ],
)
def test_the_peildatum_is_the_first_1_november_after_leaving(
    left_on: date, years: int, expected: date
) -> None:
    assert peildatum(left_on, years) == expected


def test_a_call_within_two_months_of_the_peildatum_tells_where_the_leaver_was() -> None:
    day = date(2026, 11, 1)
    near = Observation(day - timedelta(days=62), CallStatus.MBO)
    far = Observation(day - timedelta(days=63), CallStatus.WERK)
    leaver = pupil(left_on=date(2026, 7, 10), destination=Destination.MBO, observations=(near,))
    assert monitor_status(leaver, 0, today=day) == "Mbo"
    assert monitor_status(leaver, 0, today=day - timedelta(days=1)) is None  # not come yet
    missed = pupil(left_on=date(2026, 7, 10), observations=(far,))
    assert monitor_status(missed, 0, today=day) == "Niet bereikt"
    assert monitor_status(pupil(), 0, today=day) is None  # has not left


def test_the_figures_count_profiles_routes_statuses_and_destinations() -> None:
    pupils = [
        pupil(),
        pupil(profiel="Arbeid", route="Route arbeid", doorleren=False, status="Te laat"),
        pupil(
            profiel="Arbeid",
            route="Route arbeid",
            doorleren=False,
            left_on=date(2026, 7, 10),
            destination=Destination.WERK,
            observations=(Observation(date(2026, 10, 20), CallStatus.WERK),),
        ),
    ]
    figures = cohort_figures(pupils, APRIL_1, today=date(2026, 12, 4))
    assert figures.pupils == 3
    assert figures.by_profiel == {"Arbeid": 2, "Vervolgonderwijs": 1}
    assert figures.by_route == {"Route arbeid": 2, "Doorleren": 1}
    assert figures.by_status == {"Op schema": 2, "Te laat": 1}
    assert figures.leavers == 1
    assert figures.destinations == {"Werk": 1}
    assert figures.monitor == {0: {"Werk": 1}, 1: {}, 2: {}}
