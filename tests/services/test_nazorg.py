"""Nazorg through the service, as a coordinator works: record who left and where to, work
through the calls, see the alarm once, and hand anonymous figures to the Inspectie. Real
encrypted databases; the rules checked against domain.nazorg."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from factories import fixed_clock, make_pupil
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import AanmeldStatus, JaNeeOnbekend, Route, SchoolType
from uitstroom.domain.handover import Consent, LegalBasis, Receiver, Section
from uitstroom.domain.model import RouteDetails, SchoolSettings
from uitstroom.domain.nazorg import (
    NOT_REACHED,
    CallRecord,
    CallStatus,
    Channel,
    Destination,
    FileState,
    Leaving,
    add_months,
    agenda,
    attempts_since_reached,
    call_correctable,
    outcomes,
)
from uitstroom.domain.small_numbers import HOW_SMALL_NUMBERS_ARE_HIDDEN
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.errors import NotFoundError, ValidationError
from uitstroom.services.handover import HandoverRefused, HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.rights import RightsService, inzage_json

NOW = datetime(2027, 8, 20, 9, 0)
COHORT = "2026-2027"
ACTOR = "Marloes"


def service_at(database: Database, moment: datetime = NOW) -> NazorgService:
    return NazorgService(database.sessions, clock=fixed_clock(moment))


def school(database: Database, school_type: SchoolType = SchoolType.PRO) -> None:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", school_type=school_type, coordinator_name="Marloes")
    )


def add_pupil(database: Database, n: int = 1, **changes: object) -> int:
    changes.setdefault("leerlingnummer", f"2000{n:02d}")
    record = PupilService(database.sessions, clock=fixed_clock(datetime(2026, 11, 1))).create(
        make_pupil(**changes), COHORT
    )
    assert record.pupil.id is not None
    return record.pupil.id


def leave(on: date, destination: Destination = Destination.MBO) -> Leaving:
    return Leaving(on, destination, mbo_instelling="ROC Midden Nederland", employer="Bakkerij")


def call(
    on: date, reached: bool = True, status: CallStatus | None = None, **kw: object
) -> CallRecord:
    if reached and status is None:
        status = CallStatus.MBO
    return CallRecord(on, reached, Channel.TELEFOON, status, **kw)  # type: ignore[arg-type]


# --- planning ----------------------------------------------------------------------------------


def test_leaving_on_31_july_plans_five_calls_until_two_years_later(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    file = service_at(database).record_leaving(pupil, leave(date(2027, 7, 31)))
    assert [(m.months, m.due) for m in file.moments] == [
        (3, date(2027, 10, 31)),
        (6, date(2028, 1, 31)),
        (12, date(2028, 7, 31)),
        (18, date(2029, 1, 31)),
        (24, date(2029, 7, 31)),
    ]
    assert file.state is FileState.OPEN and file.leaving.destination is Destination.MBO


def test_an_mbo_student_leaving_on_15_january_is_planned_for_one_year(database: Database) -> None:
    school(database, SchoolType.MBO)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2027, 1, 20, 9))
    file = service.record_leaving(pupil, leave(date(2027, 1, 15)))
    assert [m.due for m in file.moments] == [
        date(2027, 4, 15),
        date(2027, 7, 15),
        date(2028, 1, 15),
    ]
    assert service.offsets() == (3, 6, 12)


def test_leaving_on_29_february_lands_on_the_end_of_short_months(database: Database) -> None:
    school(database, SchoolType.VSO)
    pupil = add_pupil(database)
    file = service_at(database, datetime(2028, 3, 1, 9)).record_leaving(
        pupil, leave(date(2028, 2, 29))
    )
    assert [m.due for m in file.moments] == [
        date(2028, 5, 29),
        date(2028, 8, 29),
        date(2029, 2, 28),
        date(2029, 8, 29),
        date(2030, 2, 28),
    ]


def test_the_schools_own_moments_plan_new_leavers_and_must_last_as_the_law_asks(
    database: Database,
) -> None:
    school(database)
    service = service_at(database)
    with pytest.raises(ValidationError) as refused:
        service.save_offsets((3, 6, 12))
    assert "twee jaar" in str(refused.value)
    service.save_offsets((2, 12, 24))
    assert service.offsets() == (2, 12, 24)
    file = service.record_leaving(add_pupil(database), leave(date(2027, 7, 9)))
    assert [m.months for m in file.moments] == [2, 12, 24]


def test_recording_again_replans_open_moments_and_keeps_done_ones_and_calls(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2027, 11, 5, 9))
    first = service.record_leaving(pupil, leave(date(2027, 7, 9)))
    service.log_call(pupil, call(date(2027, 10, 10)))
    file = service.record_leaving(pupil, leave(date(2027, 7, 16), Destination.GEEN))
    assert file.moments[0] == first.moments[0].__class__(
        3, date(2027, 10, 9), date(2027, 10, 9), done_on=date(2027, 10, 10), id=first.moments[0].id
    )
    assert [m.due for m in file.moments[1:]] == [
        add_months(date(2027, 7, 16), m) for m in (6, 12, 18, 24)
    ]
    assert len(file.calls) == 1 and file.leaving.destination is Destination.GEEN


def test_a_whole_klas_leaves_at_the_end_of_the_year_with_destinations_from_the_route(
    database: Database,
) -> None:
    school(database)
    mbo = add_pupil(
        database,
        1,
        route=RouteDetails(
            route=Route.DOORLEREN,
            mbo_instelling="ROC Midden Nederland",
            opleiding="Medewerker bakkerij",
            aanmeldstatus=AanmeldStatus.AANGEMELD,
            aanmelddatum=date(2027, 2, 1),
        ),
    )
    work = add_pupil(
        database,
        2,
        roepnaam="Daan",
        route=RouteDetails(route=Route.ARBEID, werkgever="Garage Smit"),
    )
    day = add_pupil(database, 3, roepnaam="Noa", route=RouteDetails(route=Route.DAGBESTEDING))
    unsure = add_pupil(database, 4, roepnaam="Sem")
    other = add_pupil(database, 5, roepnaam="Iris", klas="PRO4B")
    service = service_at(database, datetime(2027, 7, 9, 15))
    given = {unsure: Leaving(date(2027, 7, 9), Destination.BESCHUT_WERK)}
    assert service.record_leaving_for_klas("PRO4A", date(2027, 7, 9), given) == 4
    files = {f.pupil_id: f for f in service.files()}
    assert files[mbo].leaving.destination is Destination.MBO
    assert files[mbo].leaving.opleiding == "Medewerker bakkerij"
    assert files[work].leaving.employer == "Garage Smit"
    assert files[day].leaving.destination is Destination.DAGBESTEDING
    assert files[unsure].leaving.destination is Destination.BESCHUT_WERK
    assert other not in files
    assert all(len(f.moments) == 5 for f in files.values())
    # Again: everyone already has a leaving record, nobody is recorded twice.
    assert service.record_leaving_for_klas("PRO4A", date(2027, 7, 9)) == 0


def test_moving_and_snoozing_need_a_reason(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database)
    moment = service.record_leaving(pupil, leave(date(2027, 7, 9))).moments[0]
    with pytest.raises(ValidationError):
        service.move_moment(moment.id or 0, date(2027, 10, 20), "  ")
    with pytest.raises(ValidationError):
        service.snooze(moment.id or 0, 14, "")
    moved = service.move_moment(moment.id or 0, date(2027, 10, 20), "Op vakantie")
    assert (moved.due, moved.original_due, moved.moved_reason) == (
        date(2027, 10, 20),
        date(2027, 10, 9),
        "Op vakantie",
    )
    snoozed = service.snooze(moment.id or 0, 7, "Belt zelf terug")
    assert snoozed.due == date(2027, 10, 27)


# --- calls, the attempt rule and the alarm -----------------------------------------------------


def test_a_reached_call_ticks_the_moment_and_same_as_last_takes_one_call(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2027, 10, 5, 10))
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    result = service.same_as_last(pupil, None, Channel.TELEFOON)
    first = result.file.moments[0]
    assert first.done_on == date(2027, 10, 5)  # due 9 October: within 30 days counts
    assert result.file.calls[0].status is CallStatus.MBO and result.file.calls[0].same_place
    assert result.signal is None and not result.propose_uit_beeld
    assert all(m.done_on is None for m in result.file.moments[1:])


def test_uit_beeld_is_proposed_on_the_third_attempt_over_two_weeks_not_before(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2027, 10, 30, 10))
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    first = service.log_call(pupil, call(date(2027, 10, 9), reached=False))
    assert not first.propose_uit_beeld and first.file.moments[0].done_on is None
    second = service.log_call(pupil, call(date(2027, 10, 16), reached=False))
    assert not second.propose_uit_beeld
    same_day = service.log_call(pupil, call(date(2027, 10, 16), reached=False))
    assert not same_day.propose_uit_beeld  # three attempts, but on two days
    third = service.log_call(pupil, call(date(2027, 10, 23), reached=False))
    assert third.propose_uit_beeld and third.signal is None
    accepted = service.confirm_uit_beeld(pupil, Channel.TELEFOON)
    assert accepted.signal is not None and accepted.signal.status is CallStatus.UIT_BEELD
    assert not accepted.propose_uit_beeld
    assert not service.log_call(pupil, call(date(2027, 10, 30), reached=False)).propose_uit_beeld
    assert len(service.signals()) == 1


def test_the_alarm_fires_once_and_records_when_and_to_whom_it_went(database: Database) -> None:
    school(database)
    pupil = add_pupil(
        database, geboortedatum=date(2009, 5, 14), startkwalificatie=JaNeeOnbekend.NEE
    )
    service = service_at(database, datetime(2028, 3, 1, 10))
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    assert service.log_call(pupil, call(date(2027, 10, 9))).signal is None
    fired = service.log_call(pupil, call(date(2028, 1, 9), status=CallStatus.THUIS))
    assert fired.signal is not None and fired.signal.receiver is Receiver.DOORSTROOMPUNT
    again = service.log_call(pupil, call(date(2028, 2, 9), status=CallStatus.WERKZOEKEND))
    assert again.signal is None
    (pair,) = service.signals()
    assert pair[0].pupil_id == pupil and pair[1].id == fired.signal.id
    sent = service.mark_signal_sent(fired.signal.id or 0, None, date(2028, 2, 20))
    assert (sent.sent_on, sent.sent_to) == (date(2028, 2, 20), "Doorstroompunt")
    assert service.signals() == [] and len(service.signals(open_only=False)) == 1
    actions = [e.action for e in AuditService(database.sessions).entries()]
    assert actions.count(AuditAction.NAZORG) >= 5


def test_the_warme_overdracht_goes_only_on_a_recorded_basis(
    database: Database, tmp_path: Path
) -> None:
    school(database)
    pupil = add_pupil(database, startkwalificatie=JaNeeOnbekend.NEE)
    moment = datetime(2028, 1, 10, 10)
    service = service_at(database, moment)
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    signal = service.log_call(pupil, call(date(2028, 1, 9), status=CallStatus.GEEN)).signal
    assert signal is not None and signal.receiver is Receiver.DOORSTROOMPUNT
    target = tmp_path / "overdracht.pdf"
    with pytest.raises(HandoverRefused):
        service.warme_overdracht(signal.id or 0, target)
    assert not target.exists()
    HandoverService(database.sessions, clock=fixed_clock(moment)).record_consent(
        pupil,
        Consent(
            Receiver.DOORSTROOMPUNT,
            LegalBasis.WETTELIJKE_TAAK,
            frozenset({Section.WIE, Section.CONTACT}),
            date(2028, 1, 10),
        ),
    )
    record = service.warme_overdracht(signal.id or 0, target)
    assert target.stat().st_size > 0 and record.receiver is Receiver.DOORSTROOMPUNT


def test_closing_the_file_ends_its_agenda_items(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2027, 10, 6, 9))
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    (item,) = service.agenda(date(2027, 10, 6))
    assert (item.pupil_id, item.months, item.due, item.overdue) == (
        pupil,
        3,
        date(2027, 10, 9),
        False,
    )
    assert service.agenda(date(2027, 10, 6), mentor="dhr. Iemand Anders") == []
    service.close_file(pupil, FileState.HANDED_OVER)
    assert service.agenda(date(2027, 10, 6)) == []
    assert service.agenda(date(2028, 6, 1)) == []
    assert b"VEVENT" not in service.ics(date(2027, 10, 6))


def test_the_waakvlam_adds_a_yearly_call_after_the_plan(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database)
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    file = service.set_waakvlam(pupil, True)
    assert [m.months for m in file.moments][-1] == 36 and file.waakvlam
    assert file.moments[-1].due == date(2030, 7, 9)
    assert [m.months for m in service.set_waakvlam(pupil, False).moments][-1] == 24


def test_the_fast_agenda_follows_the_rule_exactly(database: Database) -> None:
    insert_demo_cohort(database.sessions, today=date(2026, 11, 23), leavers=30)
    service = service_at(database, datetime(2026, 11, 23, 9))
    for day in (date(2026, 11, 23), date(2026, 10, 1), date(2027, 1, 10), date(2027, 7, 20)):
        assert service.agenda(day) == agenda(service.files(), day)
        mentor = "mw. A. Kramer"
        assert service.agenda(day, mentor) == [
            i for i in agenda(service.files(), day) if i.mentor == mentor
        ]
    assert service.agenda(date(2026, 11, 23))


def test_the_demo_leavers_show_an_agenda_a_signal_and_figures_that_add_up(
    database: Database,
) -> None:
    today = date(2026, 11, 23)
    insert_demo_cohort(database.sessions, today=today, leavers=30)
    service = service_at(database, datetime(2026, 11, 23, 9))
    assert service.cohorts_with_leavers() == ["2025-2026"]
    assert PupilService(database.sessions).count() == 48 + 30
    (signal,) = service.signals()
    assert signal[1].status is CallStatus.THUIS
    items = service.agenda(today)
    assert any(i.overdue for i in items) and any(not i.overdue for i in items)
    assert any(i.attempts >= 3 for i in items)
    files = service.files()
    assert len(files) == 30 and sum(f.waakvlam for f in files) == 1
    assert any(m.moved_reason for f in files for m in f.moments)
    figures = service.outcomes("2025-2026", today)
    assert figures.leavers == 30 and sum(figures.at[0].values()) == 30
    for months in (6, 12, 24):
        assert sum(figures.at[months].values()) == figures.due[months]
    assert figures.due[6] >= 1  # the mid-year leavers
    assert figures == outcomes(service.leavers("2025-2026"), today)


# --- figures and the anonymous export ----------------------------------------------------------


def generated_cohort(database: Database, service: NazorgService) -> list[int]:
    """40 leavers on 9 July 2027 with known answers: 20 to mbo, 15 to work, 5 without; at 6
    months 30 reached; at 12 months 15 still at the mbo, 5 switched to work, 5 working as
    before, 5 at home."""
    ids = []
    for n in range(40):
        if n < 20:
            destination, route = Destination.MBO, Route.DOORLEREN
        elif n < 35:
            destination, route = Destination.WERK, Route.ARBEID
        else:
            destination, route = Destination.GEEN, Route.ARBEID
        pupil = add_pupil(
            database,
            n,
            roepnaam=f"Naam{n:02d}",
            achternaam="Testfamilie",
            route=RouteDetails(route=route),
        )
        ids.append(pupil)
        service.record_leaving(pupil, leave(date(2027, 7, 9), destination))
        status = {Destination.MBO: CallStatus.MBO, Destination.WERK: CallStatus.WERK}.get(
            destination, CallStatus.GEEN
        )
        if n % 4 != 0:
            service.log_call(pupil, call(date(2028, 1, 9) + timedelta(days=n % 10), status=status))
        twelve = date(2028, 7, 9)
        if n < 15:
            service.log_call(pupil, call(twelve, status=CallStatus.MBO, same_place=True))
        elif n < 20:
            service.log_call(pupil, call(twelve, status=CallStatus.WERK, same_place=False))
        elif n < 25:
            service.log_call(pupil, call(twelve, status=CallStatus.WERK, same_place=True))
        elif n >= 35:
            service.log_call(pupil, call(twelve, status=CallStatus.THUIS))
    return ids


def test_figures_add_up_on_a_generated_cohort_and_the_export_is_anonymous(
    database: Database, tmp_path: Path
) -> None:
    school(database)
    service = service_at(database, datetime(2028, 9, 1, 9))
    ids = generated_cohort(database, service)
    today = date(2028, 9, 1)
    found = service.outcomes(COHORT, today)
    assert found == outcomes(service.leavers(COHORT), today)
    assert found.leavers == 40
    assert found.at[0] == {"Mbo": 20, "Werk": 15, "Geen school en geen werk": 5}
    assert (found.due[6], found.reached[6], found.at[6][NOT_REACHED]) == (40, 30, 10)
    assert found.at[12] == {"Mbo": 15, "Werk": 10, "Thuis, zonder dagbesteding": 5, NOT_REACHED: 10}
    assert (found.lasting, found.lasting_known) == (20, 30)
    assert found.planned_vs_actual == {
        "Doorleren": {"Mbo": 20},
        "Route arbeid": {"Werk": 15, "Geen bestemming": 5},
    }

    target = tmp_path / "nazorg.xlsx"
    service.export_outcomes(COHORT, today, target)
    workbook = load_workbook(target)
    assert workbook.sheetnames == [
        "Uitleg",
        "Bestemming",
        "Bereikt",
        "Bestendiging",
        "Gepland en werkelijk",
    ]
    cells = [
        cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    numbers = [c for c in cells if isinstance(c, int | float)]
    assert numbers and not [n for n in numbers if 0 < n < 5]
    text = "\n".join(str(c) for c in cells if c is not None)
    pupils = PupilService(database.sessions)
    for pupil_id in ids:
        record = pupils.record(pupil_id).pupil
        assert record.roepnaam not in text and record.leerlingnummer not in text
    assert "Testfamilie" not in text
    assert "<5" in text or all(n >= 5 for n in numbers)
    bestemming = list(workbook["Bestemming"].iter_rows(values_only=True))
    assert bestemming[1][0] == "Bij vertrek"


def test_a_small_cohort_shows_no_number_below_five_and_none_can_be_worked_out(
    database: Database, tmp_path: Path
) -> None:
    """7 leavers, 5 to mbo and 2 to work: the 2 is hidden, and so is the 5 that would give it
    away; 'niet bereikt' cannot be at leaving; the sheet says how small numbers are hidden."""
    school(database)
    service = service_at(database, datetime(2028, 9, 1, 9))
    for n in range(7):
        pupil = add_pupil(database, n, roepnaam=f"Klein{n}")
        service.record_leaving(
            pupil, leave(date(2027, 7, 9), Destination.MBO if n < 5 else Destination.WERK)
        )
    target = tmp_path / "klein.xlsx"
    service.export_outcomes(COHORT, date(2028, 9, 1), target)
    workbook = load_workbook(target)
    numbers = [
        c
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if isinstance(c, int | float)
    ]
    assert not [n for n in numbers if 0 < n < 5]
    bestemming = list(workbook["Bestemming"].iter_rows(values_only=True))
    assert bestemming[:4] == [
        ("Moment", "Werk", "Mbo", NOT_REACHED),
        ("Bij vertrek", "<5", "x", "–"),
        ("Na 6 maanden", 0, 0, 7),
        ("Na 12 maanden", 0, 0, 7),
    ]
    assert bestemming[-1] == (HOW_SMALL_NUMBERS_ARE_HIDDEN, None, None, None)
    planned = list(workbook["Gepland en werkelijk"].iter_rows(values_only=True))
    assert "<5" in planned[1] and "x" in planned[1]
    explanation = [row[0] for row in workbook["Uitleg"].iter_rows(values_only=True)]
    assert f"Kleine aantallen: {HOW_SMALL_NUMBERS_ARE_HIDDEN}" in explanation
    with pytest.raises(ValidationError):
        service.export_outcomes("2019-2020", date(2028, 9, 1), target)


def test_a_moment_that_has_not_come_says_so_in_the_export(
    database: Database, tmp_path: Path
) -> None:
    school(database)
    service = service_at(database, datetime(2027, 11, 1, 9))
    for n in range(6):
        pupil = add_pupil(database, n, roepnaam=f"Vroeg{n}")
        service.record_leaving(pupil, leave(date(2027, 7, 9), Destination.MBO))
    target = tmp_path / "vroeg.xlsx"
    service.export_outcomes(COHORT, date(2027, 11, 1), target)
    lasting = [row for row in load_workbook(target)["Bestendiging"].iter_rows(values_only=True)]
    assert lasting == [
        ("Nog geen cijfers: dit moment is voor deze oud-leerlingen nog niet gekomen.",)
    ]


# --- the pupil's rights -------------------------------------------------------------------------


def test_inzage_shows_and_erasure_removes_the_nazorg_data(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, datetime(2028, 1, 10, 9))
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    service.log_call(pupil, call(date(2027, 10, 9), note="Gaat goed op het ROC"))
    service.log_call(pupil, call(date(2028, 1, 9), status=CallStatus.THUIS))
    rights = RightsService(database.sessions, clock=fixed_clock(datetime(2028, 1, 10, 9)))
    data = rights.inzage(pupil)
    headings = [part.heading for part in data.parts]
    assert "Nazorg na school" in headings
    body = inzage_json(data).decode("utf-8")
    assert "Gaat goed op het ROC" in body and "nazorg" in body
    rights.erase(pupil, "200001")
    assert service.file(pupil) is None
    assert service.files() == [] and service.signals(open_only=False) == []
    with pytest.raises(NotFoundError):
        service.log_call(pupil, call(date(2028, 1, 10)))


# --- correcting a call logged by mistake (issue 19, item 6) -----------------------------

MORNING = datetime(2027, 10, 16, 9, 30)


def test_only_a_call_logged_today_can_be_corrected() -> None:
    logged = CallRecord(date(2027, 10, 9), False, Channel.TELEFOON, logged_on=date(2027, 10, 16))
    assert call_correctable(logged, date(2027, 10, 16))
    assert not call_correctable(logged, date(2027, 10, 17))  # the next day: just after midnight
    assert not call_correctable(logged, date(2027, 10, 15))
    assert not call_correctable(
        CallRecord(date(2027, 10, 9), False, Channel.TELEFOON), MORNING.date()
    )


def test_withdrawing_a_wrong_attempt_takes_back_the_uit_beeld_proposal(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, MORNING)
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    service.log_call(pupil, call(date(2027, 9, 30), reached=False))
    service.log_call(pupil, call(date(2027, 10, 8), reached=False))
    wrong = service.log_call(pupil, call(date(2027, 10, 16), reached=False))
    assert wrong.propose_uit_beeld
    wrong_id = max(c.id or 0 for c in wrong.file.calls)

    file = service.withdraw_call(wrong_id, "Verkeerde leerling aangeklikt")

    assert [c.on for c in file.calls] == [date(2027, 9, 30), date(2027, 10, 8)]
    assert attempts_since_reached(file.calls) == [date(2027, 9, 30), date(2027, 10, 8)]
    entry = AuditService(database.sessions).entries()[0]
    assert entry.action is AuditAction.NAZORG and entry.pupil_id == pupil
    assert "ingetrokken" in entry.detail and "Verkeerde leerling aangeklikt" in entry.detail


def test_correcting_not_reached_into_reached_ticks_the_moment_and_clears_the_attempt(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database)
    service = service_at(database, MORNING)
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    wrong = service.log_call(pupil, call(date(2027, 10, 16), reached=False))
    assert attempts_since_reached(wrong.file.calls) == [date(2027, 10, 16)]
    (logged,) = wrong.file.calls

    right = service.correct_call(
        logged.id or 0, call(date(2027, 10, 16), status=CallStatus.MBO), "Toch gesproken"
    )

    (stored,) = right.file.calls
    assert stored.reached and stored.status is CallStatus.MBO
    assert attempts_since_reached(right.file.calls) == []
    assert right.file.moments[0].done_on == date(2027, 10, 16)
    assert "gecorrigeerd" in AuditService(database.sessions).entries()[0].detail


def test_correcting_a_reached_call_reopens_its_moment_and_drops_its_unsent_alarm(
    database: Database,
) -> None:
    school(database)
    pupil = add_pupil(database, startkwalificatie=JaNeeOnbekend.NEE)
    service = service_at(database, MORNING)
    service.record_leaving(pupil, leave(date(2027, 7, 9)))
    wrong = service.log_call(pupil, call(date(2027, 10, 16), status=CallStatus.THUIS))
    assert wrong.signal is not None and wrong.file.moments[0].done_on == date(2027, 10, 16)
    (logged,) = wrong.file.calls

    file = service.withdraw_call(logged.id or 0, "Gesprek was met een andere jongere")

    assert file.calls == () and file.signals == ()
    assert all(m.done_on is None for m in file.moments)
    assert service.signals() == []


def test_a_call_from_yesterday_is_refused_and_nothing_changes(database: Database) -> None:
    school(database)
    pupil = add_pupil(database)
    service_at(database, MORNING).record_leaving(pupil, leave(date(2027, 7, 9)))
    logged = service_at(database, MORNING).log_call(pupil, call(date(2027, 10, 16), reached=False))
    (kept,) = logged.file.calls
    tomorrow = service_at(database, datetime(2027, 10, 17, 0, 5))
    audit_before = len(AuditService(database.sessions).entries())
    with pytest.raises(ValidationError, match="op de dag dat u het vastlegde"):
        tomorrow.withdraw_call(kept.id or 0, "te laat")
    with pytest.raises(ValidationError, match="waarom"):
        service_at(database, MORNING).withdraw_call(kept.id or 0, "  ")
    file = tomorrow.file(pupil)
    assert file is not None and file.calls == (kept,)
    assert len(AuditService(database.sessions).entries()) == audit_before
