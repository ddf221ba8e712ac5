"""The school-year calendar through the services: what a coordinator sees on the edge days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from icalendar import Calendar

from factories import fixed_clock, make_pupil
from uitstroom.domain.actor import coordinator
from uitstroom.domain.attention import Group
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.calendar import Anchor, CalendarSettings
from uitstroom.domain.checklist import DEFAULT_TEMPLATES, Level, Owner, TaskTemplate
from uitstroom.domain.enums import AanmeldStatus, Route
from uitstroom.domain.model import RouteDetails
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.errors import ValidationError
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService

NOVEMBER = datetime(2026, 11, 23, 9, 30)
COHORT = "2026-2027"


def add(db: Database, when: datetime = NOVEMBER, route: Route = Route.DOORLEREN, **changes):
    pupils = PupilService(db.sessions, clock=fixed_clock(when))
    pupil = make_pupil(route=RouteDetails(route=route), **changes)
    return pupils.create(pupil, COHORT).pupil


def tick_all_before(planning: PlanningService, pupil_id: int, day: date) -> None:
    for task in planning.tasks(pupil_id):
        if task.due < day and task.id is not None:
            planning.tick(task.id, on=task.due)


def codes(planning: PlanningService, pupil_id: int) -> dict[str, tuple[date, bool]]:
    return {t.code: (t.due, t.done) for t in planning.tasks(pupil_id)}


def test_a_doorleren_pupil_is_on_time_on_31_march_and_1_april_and_late_on_2_april(
    database: Database,
) -> None:
    pupil = add(database)
    assert pupil.id is not None
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    tick_all_before(planning, pupil.id, date(2027, 4, 1))
    seen = {
        day: planning.status_of(pupil.id, day)
        for day in (date(2027, 3, 31), date(2027, 4, 1), date(2027, 4, 2))
    }
    assert [s.level for s in seen.values()] == [Level.AANDACHT, Level.AANDACHT, Level.TE_LAAT]
    assert seen[date(2027, 3, 31)].reason == (
        "Nog niet aangemeld bij het mbo; de aanmelddatum 1 april is morgen"
    )
    assert seen[date(2027, 4, 2)].reason.endswith("1 april was gisteren")
    # The cohort-wide figure agrees with the one pupil's.
    assert planning.statuses(date(2027, 4, 2)) == {pupil.id: seen[date(2027, 4, 2)]}


def test_a_pupil_added_in_november_gets_two_weeks_for_what_has_passed(database: Database) -> None:
    pupil = add(database)
    assert pupil.id is not None
    dues = codes(PlanningService(database.sessions), pupil.id)
    assert dues["uitstroomdoel"] == (date(2026, 12, 7), False)
    assert dues["aanmelden_mbo"] == (date(2027, 4, 1), False)
    assert "stagegesprek" not in dues  # route arbeid only


def test_leap_year_uitstroomoverleg_on_29_february(database: Database) -> None:
    pupils = PupilService(database.sessions, clock=fixed_clock(datetime(2027, 9, 1)))
    pupil = pupils.create(make_pupil(route=RouteDetails(route=Route.ARBEID)), "2027-2028").pupil
    assert pupil.id is not None
    planning = PlanningService(database.sessions)
    assert codes(planning, pupil.id)["uitstroomoverleg"] == (date(2028, 2, 29), False)
    tick_all_before(planning, pupil.id, date(2028, 2, 29))
    assert planning.status_of(pupil.id, date(2028, 2, 29)).level is Level.AANDACHT
    late = planning.status_of(pupil.id, date(2028, 3, 1))
    assert late.level is Level.TE_LAAT and late.task is not None
    assert late.task.code == "uitstroomoverleg"


def test_a_route_change_in_january_keeps_finished_tasks_replans_and_is_a_bijstelling(
    database: Database,
) -> None:
    pupil = add(database, route=Route.ARBEID)
    assert pupil.id is not None
    planning = PlanningService(database.sessions)
    tick_all_before(planning, pupil.id, date(2027, 1, 1))
    finished = {t.code: t for t in planning.tasks(pupil.id) if t.done}
    assert set(finished) == {"uitstroomdoel", "transitieplan"}
    january = PupilService(database.sessions, clock=fixed_clock(datetime(2027, 1, 12, 10)))
    current = january.record(pupil.id).pupil
    saved = january.save(
        replace(current, route=RouteDetails(route=Route.DOORLEREN)), "Wil naar het mbo"
    )
    after = {t.code: t for t in planning.tasks(pupil.id)}
    assert {c: after[c] for c in finished} == finished  # kept as they were, tick and all
    assert not {"uitstroomoverleg", "stagegesprek", "laatste_stage"} & set(after)
    assert after["aanmelden_mbo"].due == date(2027, 4, 1)
    assert after["intake_mbo"].due == date(2027, 5, 28)  # Saturday 29 May: the Friday
    change = saved.route_history[-1]
    assert (change.new_route, change.reason, change.bijstelling) == (
        Route.DOORLEREN,
        "Wil naar het mbo",
        True,
    )
    february = PupilService(database.sessions, clock=fixed_clock(datetime(2027, 2, 3, 10)))
    again = february.save(replace(saved.pupil, route=RouteDetails(route=Route.ARBEID)), "Toch werk")
    assert again.route_history[-1].bijstelling is False
    assert "stagegesprek" in codes(planning, pupil.id)


def test_a_pupil_added_after_1_april_is_late_for_registration_only(database: Database) -> None:
    pupil = add(database, when=datetime(2027, 4, 15, 9))
    assert pupil.id is not None
    planning = PlanningService(database.sessions)
    found = planning.status_of(pupil.id, date(2027, 4, 15))
    assert found.level is Level.TE_LAAT
    assert found.task is not None and found.task.code == "aanmelden_mbo"
    assert codes(planning, pupil.id)["transitieplan"] == (date(2027, 4, 29), False)
    items = planning.attention(date(2027, 4, 15))
    late = [
        (i.pupil_id, i.task.code if i.task else None) for i in items if i.group is Group.OVERDUE
    ]
    assert late == [(pupil.id, "aanmelden_mbo")]
    assert items[0].group is Group.OVERDUE  # the most urgent on top
    assert {i.group for i in items[1:]} == {Group.SOON}  # the two weeks' grace ends 29 April


def test_a_school_that_moves_the_last_school_day_moves_the_open_handover_tasks(
    database: Database,
) -> None:
    pupil = add(database)
    assert pupil.id is not None
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    first = planning.tasks(pupil.id)[0]
    assert first.id is not None
    planning.tick(first.id, on=date(2026, 11, 30))
    planning.save_calendar_settings(CalendarSettings(last_school_day=date(2027, 7, 2)))
    assert planning.calendar_settings().last_school_day == date(2027, 7, 2)
    assert planning.calendar().last_school_day == date(2027, 7, 2)
    dues = codes(planning, pupil.id)
    assert dues["warme_overdracht"] == (date(2027, 7, 2), False)
    assert dues["contact_na_school"] == (date(2027, 6, 18), False)
    assert dues["aanmelden_mbo"] == (date(2027, 4, 1), False)
    assert dues[first.code] == (first.due, True)  # finished: untouched
    with pytest.raises(ValidationError, match="juni of juli"):
        planning.save_calendar_settings(CalendarSettings(last_school_day=date(2027, 3, 1)))


def test_a_school_that_chooses_its_holiday_region_gets_no_task_in_its_holidays(
    database: Database,
) -> None:
    from uitstroom.domain.holidays import Region, is_school_day

    pupil = add(database, route=Route.ARBEID)
    assert pupil.id is not None
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    before = codes(planning, pupil.id)
    planning.save_calendar_settings(CalendarSettings(holiday_region=Region.MIDDEN))
    assert planning.calendar_settings().holiday_region is Region.MIDDEN
    after = codes(planning, pupil.id)
    for code, (due, _done) in after.items():
        assert code == "aanmelden_mbo" or is_school_day(due, Region.MIDDEN), (code, due)
    # The uitstroomoverleg at the end of February: before midden's voorjaarsvakantie.
    assert before["uitstroomoverleg"][0] == date(2027, 2, 26)
    assert after["uitstroomoverleg"][0] == date(2027, 2, 19)
    planning.save_calendar_settings(CalendarSettings())
    assert codes(planning, pupil.id) == before


def test_an_empty_cohort_needs_no_attention(database: Database) -> None:
    planning = PlanningService(database.sessions)
    assert planning.attention(date(2027, 3, 20)) == []
    assert planning.statuses(date(2027, 3, 20)) == {}


def test_tick_and_untick_are_in_the_audit_trail(database: Database) -> None:
    pupil = add(database)
    assert pupil.id is not None
    planning = PlanningService(
        database.sessions,
        clock=fixed_clock(datetime(2026, 12, 1, 10)),
        actor=coordinator("Marloes"),
    )
    task = planning.tasks(pupil.id)[0]
    assert task.id is not None and not task.done
    done = planning.tick(task.id)
    assert (done.done_on, done.done_by) == (date(2026, 12, 1), "Marloes")
    assert planning.tasks(pupil.id)[0] == done
    line = AuditService(database.sessions).entries()[0]
    assert (line.action, line.pupil_id, line.detail) == (
        AuditAction.EDITED,
        pupil.id,
        f"taak afgevinkt: {task.code}",
    )
    undone = planning.untick(task.id)
    assert (undone.done_on, undone.done_by) == (None, "")
    assert (
        AuditService(database.sessions).entries()[0].detail == f"taak weer open gezet: {task.code}"
    )
    assert AuditService(database.sessions).check().whole


def test_registering_at_the_mbo_ticks_the_registration_task(database: Database) -> None:
    pupil = add(database)
    assert pupil.id is not None
    pupils = PupilService(
        database.sessions, clock=fixed_clock(datetime(2027, 2, 10, 9)), actor=coordinator("Marloes")
    )
    registered = replace(
        pupil.route, aanmeldstatus=AanmeldStatus.AANGEMELD, aanmelddatum=date(2027, 2, 8)
    )
    pupils.save(replace(pupils.record(pupil.id).pupil, route=registered))
    task = next(
        t for t in PlanningService(database.sessions).tasks(pupil.id) if t.code == "aanmelden_mbo"
    )
    assert (task.done_on, task.done_by) == (date(2027, 2, 8), "Marloes")


def test_template_edits_replan_every_pupil_and_keep_finished_tasks(database: Database) -> None:
    doorleren = add(database)
    arbeid = add(database, route=Route.ARBEID, leerlingnummer="200002")
    assert doorleren.id is not None and arbeid.id is not None
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    paspoort = next(t for t in planning.tasks(arbeid.id) if t.code == "paspoort")
    assert paspoort.id is not None
    planning.tick(paspoort.id, on=date(2026, 11, 23))
    own = TaskTemplate(
        "cv",
        "Cv gemaakt met de leerling",
        "Het cv is nog niet gemaakt",
        "de datum",
        Owner.LEERLING,
        Anchor.APRIL_1,
        -14,
        frozenset({Route.ARBEID}),
        custom=True,
    )
    edited = [
        replace(t, offset_days=-56) if t.code == "intake_mbo" else t
        for t in DEFAULT_TEMPLATES
        if t.code != "paspoort"
    ]
    edited = [replace(t, active=False) if t.code == "toestemming" else t for t in edited]
    planning.save_templates([*edited, own])
    assert [t.code for t in planning.templates()][-1] == "cv"
    work = codes(planning, arbeid.id)
    study = codes(planning, doorleren.id)
    assert work["cv"] == (date(2027, 3, 18), False)
    assert "cv" not in study
    assert work["paspoort"] == (paspoort.due, True)  # finished, so kept though removed
    assert "paspoort" not in study  # open, so gone with its template
    assert "toestemming" not in work and "toestemming" not in study
    assert study["intake_mbo"] == (date(2027, 5, 14), False)  # Saturday 15 May: the Friday
    with pytest.raises(ValidationError, match="twee keer"):
        planning.save_templates([*edited, own, own])
    planning.reset_templates()
    assert planning.templates() == list(DEFAULT_TEMPLATES)
    assert "toestemming" in codes(planning, doorleren.id)
    assert "cv" not in codes(planning, arbeid.id)


def test_the_calendar_file_holds_no_support_needs(database: Database) -> None:
    add(database, ondersteuningsbehoefte="Dyslexie; heeft rust nodig bij toetsen")
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    data = planning.ics(date(2026, 11, 23), klas="PRO4A", name="Uitstroom PRO4A")
    text = data.decode("utf-8")
    assert "Dyslexie" not in text and "rust nodig" not in text and "Meer" not in text
    summaries = {str(e["summary"]) for e in Calendar.from_ical(data).walk("VEVENT")}
    assert "Zoë M. (PRO4A): Aangemeld bij het mbo" in summaries
    assert planning.ics(date(2026, 11, 23), klas="PRO4B").count(b"Zo\xc3\xab") == 0


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 31), date(2027, 1, 1), date(2027, 3, 20), date(2027, 4, 1), date(2027, 4, 2)],
)
def test_the_fast_vandaag_query_follows_the_rule_exactly(database: Database, day: date) -> None:
    """The service reads the database its own way for speed; what it returns must be what
    domain.attention.attention says for the same pupils and tasks."""
    from uitstroom.domain.attention import PupilTasks, attention
    from uitstroom.domain.names import full_name, sort_name
    from uitstroom.services.demo import insert_demo_cohort

    insert_demo_cohort(database.sessions, 48, date(2026, 11, 23))
    planning = PlanningService(database.sessions, clock=fixed_clock(NOVEMBER))
    pupils = PupilService(database.sessions, clock=fixed_clock(NOVEMBER))
    everyone = []
    for p in pupils.pupils():
        assert p.id is not None
        everyone.append(
            PupilTasks(
                p.id,
                full_name(p.roepnaam, p.tussenvoegsel, p.achternaam),
                sort_name(p.roepnaam, p.tussenvoegsel, p.achternaam),
                p.klas,
                p.mentor,
                p.route.route,
                tuple(planning.tasks(p.id)),
            )
        )
    expected = attention(everyone, day, planning.calendar(COHORT))
    found = planning.attention(day)
    assert found
    assert found == expected
