"""The final year's calendar on its edges: 31 March, 1 April, 2 April, leap years, a route that
changes in January, a pupil who arrives after 1 April, a school that moves its last day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from uitstroom.domain.attention import Group, PupilTasks, attention, countdown_text
from uitstroom.domain.calendar import Anchor, CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import DEFAULT_TEMPLATES, Level, plan, replan, status
from uitstroom.domain.enums import Route
from uitstroom.domain.schoolyear import SchoolYear

YEAR = SchoolCalendar(SchoolYear(2026))  # 2026-2027
LEAP = SchoolCalendar(SchoolYear(2027))  # 2027-2028: February has 29 days


def tasks_done_before(route: Route, day: date, school_calendar: SchoolCalendar = YEAR):
    return [
        replace(task, done_on=task.due, done_by="Marloes") if task.due < day else task
        for task in plan(route, DEFAULT_TEMPLATES, school_calendar)
    ]


@pytest.mark.parametrize(
    ("today", "level", "phrase"),
    [
        (date(2027, 3, 17), Level.OP_SCHEMA, "is over 15 dagen"),
        (date(2027, 3, 18), Level.AANDACHT, "is over 14 dagen"),
        (date(2027, 3, 31), Level.AANDACHT, "is morgen"),
        (date(2027, 4, 1), Level.AANDACHT, "is vandaag"),  # "uiterlijk op 1 april": still on time
        (date(2027, 4, 2), Level.TE_LAAT, "was gisteren"),
    ],
)
def test_mbo_registration_around_1_april(today: date, level: Level, phrase: str) -> None:
    tasks = tasks_done_before(Route.DOORLEREN, date(2027, 3, 1))
    found = status(Route.DOORLEREN, tasks, today, YEAR)
    assert found.level is level
    assert "Nog niet aangemeld bij het mbo" in found.reason
    assert f"de aanmelddatum 1 april {phrase}" in found.reason


def test_registration_on_1_april_is_on_time_and_on_2_april_late() -> None:
    assert YEAR.registered_on_time(date(2027, 4, 1))
    assert not YEAR.registered_on_time(date(2027, 4, 2))
    assert YEAR.registered_on_time(date(2027, 3, 31))


def test_the_reason_reads_as_the_issue_asks() -> None:
    tasks = tasks_done_before(Route.DOORLEREN, date(2027, 3, 1))
    found = status(Route.DOORLEREN, tasks, date(2027, 3, 23), YEAR)
    assert found.reason == "Nog niet aangemeld bij het mbo; de aanmelddatum 1 april is over 9 dagen"


def test_leap_year_uitstroomoverleg_falls_on_29_february() -> None:
    assert LEAP.anchor_date(Anchor.UITSTROOMOVERLEG) == date(2028, 2, 29)
    assert YEAR.anchor_date(Anchor.UITSTROOMOVERLEG) == date(2027, 2, 28)
    overleg = next(
        t for t in plan(Route.ARBEID, DEFAULT_TEMPLATES, LEAP) if t.code == "uitstroomoverleg"
    )
    assert overleg.due == date(2028, 2, 29)
    tasks = [t for t in plan(Route.ARBEID, DEFAULT_TEMPLATES, LEAP) if t.due >= date(2028, 2, 29)]
    assert status(Route.ARBEID, tasks, date(2028, 2, 29), LEAP).level is Level.AANDACHT
    assert status(Route.ARBEID, tasks, date(2028, 3, 1), LEAP).level is Level.TE_LAAT


def test_route_change_in_january_keeps_done_tasks_and_replans_open_ones() -> None:
    current = tasks_done_before(Route.ARBEID, date(2027, 1, 10))
    assert YEAR.in_bijstel_window(date(2027, 1, 10))
    assert not YEAR.in_bijstel_window(date(2027, 2, 1))
    result = replan(current, Route.DOORLEREN, DEFAULT_TEMPLATES, YEAR, changed_on=date(2027, 1, 10))
    kept = {t.code for t in result.keep}
    assert {"uitstroomdoel", "transitieplan"} <= kept  # done before the change, kept
    assert {t.code for t in result.remove} == {"uitstroomoverleg", "stagegesprek", "laatste_stage"}
    assert {t.code for t in result.add} == {"aanmelden_mbo", "intake_mbo"}
    assert all(t.done for t in result.keep if t.due < date(2027, 1, 10))


def test_a_task_from_the_uitstroomoverleg_stays_when_the_route_changes() -> None:
    from uitstroom.domain.checklist import DECIDED_TASK_PREFIX, Owner, Task

    decided = Task(
        f"{DECIDED_TASK_PREFIX}7",
        "Loonkostensubsidie aanvragen",
        "Loonkostensubsidie is nog niet aangevraagd",
        "Afspraak uit het uitstroomoverleg",
        Owner.GEMEENTE,
        date(2027, 3, 1),
    )
    current = [*tasks_done_before(Route.ARBEID, date(2027, 1, 10)), decided]
    result = replan(current, Route.DOORLEREN, DEFAULT_TEMPLATES, YEAR, changed_on=date(2027, 1, 10))
    assert decided in result.keep and decided not in result.remove


def test_a_pupil_added_after_1_april_is_late_for_registration_only() -> None:
    tasks = plan(Route.DOORLEREN, DEFAULT_TEMPLATES, YEAR, planned_on=date(2027, 4, 15))
    found = status(Route.DOORLEREN, tasks, date(2027, 4, 15), YEAR)
    assert found.level is Level.TE_LAAT
    # 1 April is the law's date and stays; what nobody could have done yet gets two weeks.
    assert found.task is not None and found.task.code == "aanmelden_mbo"
    dues = {t.code: t.due for t in tasks}
    assert dues["uitstroomdoel"] == dues["transitieplan"] == date(2027, 4, 29)
    # 10 July 2027, the last school day, is a Saturday: the task is on Friday 9 July.
    assert dues["warme_overdracht"] == date(2027, 7, 9)
    registration = [t for t in tasks if t.code == "aanmelden_mbo"]
    items = attention(
        [
            PupilTasks(
                1, "Noa Jansen", "jansen, noa", "PRO4A", "", Route.DOORLEREN, tuple(registration)
            )
        ],
        date(2027, 4, 15),
        YEAR,
    )
    assert [(i.group, i.text) for i in items] == [
        (
            Group.OVERDUE,
            "Nog niet aangemeld bij het mbo; de aanmelddatum 1 april was 14 dagen geleden",
        )
    ]


def test_a_school_that_moves_the_last_school_day_moves_the_handover_tasks() -> None:
    moved = SchoolCalendar(SchoolYear(2026), CalendarSettings(last_school_day=date(2027, 7, 2)))
    default = {t.code: t.due for t in plan(Route.ARBEID, DEFAULT_TEMPLATES, YEAR)}
    early = {t.code: t.due for t in plan(Route.ARBEID, DEFAULT_TEMPLATES, moved)}
    assert default["warme_overdracht"] == date(2027, 7, 9)  # Saturday 10 July: the Friday
    assert early["warme_overdracht"] == date(2027, 7, 2)
    assert early["contact_na_school"] == date(2027, 6, 18)
    assert early["stagegesprek"] == default["stagegesprek"]  # 1 April does not move
    outside = SchoolCalendar(SchoolYear(2026), CalendarSettings(last_school_day=date(2028, 7, 2)))
    assert outside.last_school_day == date(2027, 7, 10)  # a day outside the year is ignored


def test_an_empty_cohort_needs_nothing() -> None:
    assert attention([], date(2027, 3, 20), YEAR) == []


def test_no_route_in_january_is_attention_and_in_february_late() -> None:
    assert status(Route.ONBEKEND, (), date(2026, 12, 31), YEAR).level is Level.OP_SCHEMA
    assert status(Route.ONBEKEND, (), date(2027, 1, 2), YEAR).level is Level.AANDACHT
    assert status(Route.ONBEKEND, (), date(2027, 2, 1), YEAR).level is Level.TE_LAAT
    pupil = PupilTasks(2, "Daan de Vries", "vries, daan de", "PRO4B", "", Route.ONBEKEND, ())
    assert attention([pupil], date(2026, 12, 31), YEAR) == []
    (item,) = attention([pupil], date(2027, 1, 1), YEAR)
    assert item.group is Group.NO_ROUTE


def test_vandaag_on_20_march_puts_late_first_then_soon_then_countdown() -> None:
    doorleren = tasks_done_before(Route.DOORLEREN, date(2027, 3, 1))
    arbeid_late = tasks_done_before(Route.ARBEID, date(2027, 2, 1))  # uitstroomoverleg missed
    pupils = [
        PupilTasks(
            1, "Sanne Bakker", "bakker, sanne", "PRO4A", "", Route.DOORLEREN, tuple(doorleren)
        ),
        PupilTasks(2, "Ömer Çelik", "celik, omer", "PRO4B", "", Route.ARBEID, tuple(arbeid_late)),
        PupilTasks(3, "Iris Smit", "smit, iris", "PRO4C", "", Route.ONBEKEND, ()),
    ]
    items = attention(pupils, date(2027, 3, 20), YEAR)
    groups = [item.group for item in items]
    assert groups == sorted(groups, key=list(Group).index)
    assert items[0].group is Group.OVERDUE and items[0].name == "Ömer Çelik"
    assert any(i.group is Group.SOON and i.name == "Sanne Bakker" for i in items)
    assert items[-1].group is Group.NO_ROUTE
    assert countdown_text(date(2027, 3, 20), YEAR) == "1 april is over 12 dagen"


def test_finished_checklist_is_afgerond_and_switched_off_tasks_are_not_planned() -> None:
    done = [
        replace(t, done_on=date(2027, 1, 1))
        for t in plan(Route.DAGBESTEDING, DEFAULT_TEMPLATES, YEAR)
    ]
    assert status(Route.DAGBESTEDING, done, date(2027, 3, 1), YEAR).level is Level.AFGEROND
    templates = [replace(t, active=False) if t.code == "paspoort" else t for t in DEFAULT_TEMPLATES]
    assert "paspoort" not in {t.code for t in plan(Route.ARBEID, templates, YEAR)}
