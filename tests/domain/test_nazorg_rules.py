"""The nazorg rules on the calendar's edges: leaving on 31 July, 15 January and 29 February,
the attempt rule, the alarm that fires once, and figures that add up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from uitstroom.domain.enums import AanmeldStatus, JaNeeOnbekend, Route, SchoolType
from uitstroom.domain.handover import Receiver
from uitstroom.domain.model import RouteDetails
from uitstroom.domain.nazorg import (
    NOT_REACHED,
    CallRecord,
    CallStatus,
    Channel,
    Destination,
    Leaver,
    Observation,
    add_months,
    alarm_fires,
    call_problems,
    leaving_from_route,
    nazorg_plan,
    offsets_problems,
    outcomes,
    propose_uit_beeld,
    signal_to,
)


def dues(left_on: date, school_type: SchoolType) -> list[date]:
    return [call.due for call in nazorg_plan(left_on, school_type)]


def test_a_pro_pupil_leaving_on_31_july_is_called_until_two_years_later() -> None:
    assert dues(date(2027, 7, 31), SchoolType.PRO) == [
        date(2027, 10, 31),
        date(2028, 1, 31),
        date(2028, 7, 31),
        date(2029, 1, 31),
        date(2029, 7, 31),
    ]


def test_an_mbo_student_leaving_mid_year_on_15_january_is_followed_for_one_year() -> None:
    assert dues(date(2027, 1, 15), SchoolType.MBO) == [
        date(2027, 4, 15),
        date(2027, 7, 15),
        date(2028, 1, 15),
    ]


def test_leaving_on_29_february_lands_on_the_last_day_of_short_months() -> None:
    assert dues(date(2028, 2, 29), SchoolType.VSO) == [
        date(2028, 5, 29),
        date(2028, 8, 29),
        date(2029, 2, 28),
        date(2029, 8, 29),
        date(2030, 2, 28),
    ]
    assert add_months(date(2027, 8, 31), 3) == date(2027, 11, 30)


def test_a_school_may_choose_its_own_moments_but_not_stop_before_the_law() -> None:
    assert [c.months for c in nazorg_plan(date(2027, 7, 9), SchoolType.PRO, (12, 2, 24))] == [
        2,
        12,
        24,
    ]
    assert offsets_problems((3, 6, 12, 24), SchoolType.PRO) == []
    assert offsets_problems((3, 6, 12), SchoolType.MBO) == []
    (problem,) = offsets_problems((3, 6, 12), SchoolType.PRO)
    assert "twee jaar" in problem
    assert offsets_problems((), SchoolType.MBO)
    assert offsets_problems((0, 12), SchoolType.MBO)


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        # three different days, exactly two weeks from first to last: propose uit beeld
        ([date(2027, 10, 1), date(2027, 10, 8), date(2027, 10, 15)], True),
        # one day short of two weeks
        ([date(2027, 10, 1), date(2027, 10, 8), date(2027, 10, 14)], False),
        # three attempts, but two on the same day
        ([date(2027, 10, 1), date(2027, 10, 1), date(2027, 10, 20)], False),
        # two attempts over a month
        ([date(2027, 10, 1), date(2027, 11, 1)], False),
        ([], False),
    ],
)
def test_the_attempt_rule_on_its_edges(attempts: list[date], expected: bool) -> None:
    assert propose_uit_beeld(attempts) is expected


def test_the_alarm_fires_once_when_a_young_person_comes_into_no_school_no_work() -> None:
    statuses = [CallStatus.MBO, CallStatus.THUIS, CallStatus.THUIS, CallStatus.UIT_BEELD]
    before = [None, *statuses[:-1]]
    fired = [alarm_fires(b, s) for b, s in zip(before, statuses, strict=True)]
    assert fired == [False, True, False, False]
    assert alarm_fires(CallStatus.WERK, CallStatus.WERKZOEKEND)
    assert alarm_fires(None, CallStatus.UIT_BEELD)


def test_the_doorstroompunt_is_for_under_27_without_startkwalificatie() -> None:
    birth = date(2000, 6, 1)
    assert signal_to(birth, date(2027, 5, 31), JaNeeOnbekend.NEE) is Receiver.DOORSTROOMPUNT
    assert signal_to(birth, date(2027, 6, 1), JaNeeOnbekend.NEE) is Receiver.GEMEENTE  # 27 today
    assert signal_to(birth, date(2027, 5, 31), JaNeeOnbekend.JA) is Receiver.GEMEENTE
    assert signal_to(None, date(2027, 5, 31), JaNeeOnbekend.ONBEKEND) is Receiver.DOORSTROOMPUNT


def generated_cohort() -> list[Leaver]:
    """40 leavers on 9 July 2027 with known answers: 20 to mbo, 15 to work, 5 without.
    At 6 months 30 are reached; at 12 months 20 of the mbo and work group are in the same
    place, 5 switched from mbo to work, and 5 of the 'geen' group are still at home."""
    left = date(2027, 7, 9)
    six = add_months(left, 6)
    twelve = add_months(left, 12)
    leavers = []
    for n in range(40):
        if n < 20:
            destination, route = Destination.MBO, "Doorleren"
        elif n < 35:
            destination, route = Destination.WERK, "Arbeid"
        else:
            destination, route = Destination.GEEN, "Arbeid"
        seen: list[Observation] = []
        if n % 4 != 0:  # 30 of 40 reached at 6 months
            seen.append(Observation(six + timedelta(days=n % 10), CallStatus(destination.value)))
        if n < 15:
            seen.append(Observation(twelve, CallStatus.MBO, same_place=True))
        elif n < 20:
            seen.append(Observation(twelve, CallStatus.WERK, same_place=False))
        elif n < 25:
            seen.append(Observation(twelve, CallStatus.WERK, same_place=True))
        elif n >= 35:
            seen.append(Observation(twelve, CallStatus.THUIS))
        leavers.append(Leaver(left, route, destination, tuple(seen)))
    return leavers


def test_outcome_figures_add_up_on_a_cohort_with_known_answers() -> None:
    found = outcomes(generated_cohort(), date(2028, 9, 1))
    assert found.leavers == 40
    assert found.at[0] == {"Mbo": 20, "Werk": 15, "Geen school en geen werk": 5}
    assert found.due[6] == 40 and found.reached[6] == 30
    assert found.at[6][NOT_REACHED] == 10
    assert found.at[12] == {"Mbo": 15, "Werk": 10, "Thuis, zonder dagbesteding": 5, NOT_REACHED: 10}
    assert sum(found.at[12].values()) == 40
    assert (found.lasting, found.lasting_known) == (20, 30)
    assert found.due[24] == 0  # the 24-month moment has not come on 1 September 2028
    assert found.planned_vs_actual == {
        "Doorleren": {"Mbo": 20},
        "Arbeid": {"Werk": 15, "Geen bestemming": 5},
    }


def test_attempts_count_again_after_someone_was_reached() -> None:
    from uitstroom.domain.nazorg import CallRecord, Channel, attempts_since_reached

    calls = [
        CallRecord(date(2027, 10, 1), False, Channel.TELEFOON),
        CallRecord(date(2027, 10, 3), True, Channel.TELEFOON, CallStatus.MBO),
        CallRecord(date(2027, 10, 20), False, Channel.SMS),
        CallRecord(date(2027, 10, 9), False, Channel.EMAIL),
    ]
    assert attempts_since_reached(calls) == [date(2027, 10, 9), date(2027, 10, 20)]


def test_the_agenda_holds_this_weeks_and_overdue_calls_of_open_files() -> None:
    from uitstroom.domain.nazorg import FileState, Leaving, NazorgFile, NazorgMoment, agenda

    def file(pupil_id: int, name: str, due: date, state: FileState = FileState.OPEN) -> NazorgFile:
        moment = NazorgMoment(3, due, due, id=pupil_id * 10)
        leaving = Leaving(date(2027, 7, 9), Destination.MBO, mbo_instelling="ROC")
        return NazorgFile(pupil_id, name, leaving, (moment,), (), (), state)

    monday = date(2027, 10, 11)
    files = [
        file(1, "Zoë", date(2027, 10, 17)),  # Sunday of this week: in
        file(2, "Anouk", date(2027, 10, 18)),  # next Monday: not yet
        file(3, "Bram", date(2027, 10, 1)),  # overdue: on top
        file(4, "Daan", date(2027, 10, 1), FileState.CLOSED),  # closed file: never
    ]
    found = agenda(files, monday)
    assert [(i.name, i.overdue) for i in found] == [("Bram", True), ("Zoë", False)]


@pytest.mark.parametrize(
    ("route", "destination"),
    [
        (RouteDetails(), Destination.ONBEKEND),
        # Doorleren counts as mbo only once the pupil is registered somewhere.
        (
            RouteDetails(
                Route.DOORLEREN, "Da Vinci College", aanmeldstatus=AanmeldStatus.AANGEMELD
            ),
            Destination.MBO,
        ),
        (
            RouteDetails(
                Route.DOORLEREN, "Da Vinci College", aanmeldstatus=AanmeldStatus.NIET_AANGEMELD
            ),
            Destination.ONBEKEND,
        ),
        (
            RouteDetails(Route.DOORLEREN, aanmeldstatus=AanmeldStatus.TOEGELATEN),
            Destination.ONBEKEND,
        ),
        # Arbeid is werk only with an employer written down.
        (RouteDetails(Route.ARBEID, werkgever="Bakkerij Jansen"), Destination.WERK),
        (RouteDetails(Route.ARBEID, werkgever="  "), Destination.ONBEKEND),
        (RouteDetails(Route.DAGBESTEDING), Destination.DAGBESTEDING),
    ],
)
def test_the_route_proposes_where_a_leaver_goes(
    route: RouteDetails, destination: Destination
) -> None:
    leaving = leaving_from_route(route, date(2027, 7, 9))
    assert leaving.destination is destination
    assert leaving.left_on == date(2027, 7, 9)
    if destination is Destination.MBO:
        assert leaving.mbo_instelling == "Da Vinci College"
    if destination is Destination.WERK:
        assert leaving.employer == "Bakkerij Jansen"


def test_a_call_cannot_lie_in_the_future_nor_report_a_status_from_nobody() -> None:
    today = date(2027, 4, 1)
    fine = CallRecord(on=today, reached=True, channel=Channel.TELEFOON, status=CallStatus.WERK)
    assert call_problems(fine, today) == []
    tomorrow = CallRecord(
        on=date(2027, 4, 2), reached=True, channel=Channel.TELEFOON, status=CallStatus.WERK
    )
    assert call_problems(tomorrow, today) == [
        "Een gesprek kan niet in de toekomst liggen. Kies vandaag of eerder."
    ]
    assert call_problems(
        CallRecord(on=today, reached=True, channel=Channel.TELEFOON, status=None), today
    ) == ["Kies wat u hoorde: waar is de jongere nu?"]
    assert (
        len(
            call_problems(
                CallRecord(
                    on=today, reached=False, channel=Channel.TELEFOON, status=CallStatus.WERK
                ),
                today,
            )
        )
        == 1
    )
    assert (
        call_problems(
            CallRecord(
                on=today, reached=False, channel=Channel.TELEFOON, status=CallStatus.UIT_BEELD
            ),
            today,
        )
        == []
    )
