"""The demo's former pupils: leaving records, nazorg calls and the alarms they raised."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.calendar import Anchor, SchoolCalendar
from uitstroom.domain.enums import (
    ContractSoort,
    JaNeeOnbekend,
    Leerweg,
    Niveau,
    Route,
    SchoolType,
)
from uitstroom.domain.nazorg import (
    DEFAULT_OFFSETS,
    STATUS_OF_DESTINATION,
    CallStatus,
    Channel,
    Destination,
    FileState,
    add_months,
    nazorg_plan,
    signal_to,
    waakvlam_months,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.demo.texts import (
    BEDRIJVEN,
    DEMO_COORDINATOR,
    MBO,
    OPLEIDINGEN,
    demo_pupils,
    pupil_insert,
)
from uitstroom.services.pupils import ensure_cohort
from uitstroom.storage.models import (
    GuardianRow,
    LeavingRow,
    NazorgCallRow,
    NazorgMomentRow,
    NazorgSignalRow,
    PupilRow,
    RouteRow,
)

# --- last school year's leavers, in nazorg ----------------------------------------------------

DEMO_LEAVERS = 30


def _destination_of(route: Route, row: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    if route is Route.DOORLEREN:
        return {
            "destination": Destination.MBO.value,
            "mbo_instelling": rng.choice(MBO),
            "opleiding": rng.choice(OPLEIDINGEN),
            "niveau": rng.choice((Niveau.ENTREE, Niveau.N2)).value,
            "leerweg": rng.choice((Leerweg.BOL, Leerweg.BBL)).value,
        }
    if route is Route.ARBEID:
        return {
            "destination": Destination.WERK.value,
            "employer": rng.choice(BEDRIJVEN),
            "contract": rng.choice((ContractSoort.ONBEKEND, ContractSoort.ONBEKEND)).value,
        }
    if route is Route.DAGBESTEDING:
        return {"destination": Destination.DAGBESTEDING.value}
    return {"destination": rng.choice((Destination.BESCHUT_WERK, Destination.ONBEKEND)).value}


def _leaving_day(index: int, last: SchoolYear, today: date, months: Sequence[int]) -> date:
    """Most left on the last school day; a few left mid-year: in January (their 6-month
    figures are in), or on a day that puts one of their calls in this week, so the agenda has
    something due now and not only overdue."""
    regular = SchoolCalendar(last).anchor_date(Anchor.LAST_SCHOOL_DAY)
    if index % 10 == 6:
        return date(last.start_year + 1, 1, 15)
    if index % 10 != 3:
        return regular
    day = today + timedelta(days=index % 4)
    for m in months:
        candidate = add_months(day, -m)
        if last.first_day <= candidate < regular and add_months(candidate, m) == day:
            return candidate
    return regular


def insert_demo_leavers(
    sessions: sessionmaker[Session],
    today: date,
    count: int = DEMO_LEAVERS,
    school_type: SchoolType = SchoolType.PRO,
) -> int:
    """Fictional leavers of last school year: leaving records, the planned calls, logged
    calls (reached, not reached, a series of attempts that proposes "uit beeld"), one open
    signal, one moved call and one waakvlam. Archived: they left the school's daily view.
    Core inserts, one transaction."""
    last = SchoolYear(SchoolYear.of(today).start_year - 1)
    now = datetime.combine(today, datetime.min.time()).replace(hour=8)
    rng = random.Random(f"nazorg {last.label}")
    offsets = DEFAULT_OFFSETS[school_type]
    with sessions.begin() as session:
        cohort_id = ensure_cohort(session, last.label).id
        pupils: list[dict[str, Any]] = []
        routes: list[Route] = []
        for n, values in enumerate(demo_pupils(count, last, seed=2025)):
            values.pop("rng")
            routes.append(values.pop("route"))  # type: ignore[arg-type]
            values["leerlingnummer"] = str(50000 + n)
            values["klas"] = f"PRO4{'AB'[n % 2]}"
            pupils.append(pupil_insert(values, cohort_id, now, JaNeeOnbekend.NEE, True))
        session.execute(insert(PupilRow), pupils)
        numbers = [p["leerlingnummer"] for p in pupils]
        ids: dict[str, int] = {
            number: pupil_id
            for number, pupil_id in session.execute(
                select(PupilRow.leerlingnummer, PupilRow.id).where(
                    PupilRow.leerlingnummer.in_(numbers)
                )
            )
        }
        route_rows, guardian_rows, leaving_rows = [], [], []
        # Who shows what: one proposes uit beeld, one raised the alarm, one waakvlam.
        uit_beeld, alarm, waakvlam = 4, 7, 11
        plans: dict[int, tuple[date, Destination, int]] = {}
        for n, (values, route) in enumerate(zip(pupils, routes, strict=True)):
            pupil_id = ids[str(values["leerlingnummer"])]
            route_rows.append({"pupil_id": pupil_id, "route": route.value})
            guardian_rows.append(
                {
                    "pupil_id": pupil_id,
                    "position": 0,
                    "name": f"{rng.choice(('mw.', 'dhr.'))} {values['achternaam']}",
                    "relation": rng.choice(("moeder", "vader", "verzorger")),
                    "phone": f"06 {rng.randrange(10000000, 99999999)}",
                    "email": "",
                }
            )
            left_on = _leaving_day(n, last, today, offsets)
            where = _destination_of(route, values, rng)
            if n == alarm:
                where = {"destination": Destination.ONBEKEND.value}
            leaving_rows.append(
                {
                    "pupil_id": pupil_id,
                    "left_on": left_on,
                    "employer": "",
                    "contract": ContractSoort.ONBEKEND.value,
                    "instruments": "",
                    "mbo_instelling": "",
                    "opleiding": "",
                    "niveau": None,
                    "leerweg": None,
                    "note": "",
                    **where,
                    "recorded_by": DEMO_COORDINATOR,
                    "recorded_at": now,
                    "state": FileState.OPEN.value,
                    "closed_on": None,
                    "waakvlam": n == waakvlam,
                }
            )
            plans[pupil_id] = (left_on, Destination(where["destination"]), n)
        session.execute(insert(RouteRow), route_rows)
        session.execute(insert(GuardianRow), guardian_rows)
        session.execute(insert(LeavingRow), leaving_rows)

        moment_rows = []
        for pupil_id, (left_on, _, n) in plans.items():
            plan_months = [p.months for p in nazorg_plan(left_on, school_type, offsets)]
            if n == waakvlam:
                plan_months.append(waakvlam_months(plan_months, 0))
            for months in plan_months:
                due = add_months(left_on, months)
                moment_rows.append(
                    {
                        "pupil_id": pupil_id,
                        "months": months,
                        "due": due,
                        "original_due": due,
                        "moved_reason": "",
                        "done_on": None,
                    }
                )
        session.execute(insert(NazorgMomentRow), moment_rows)
        moments = session.execute(
            select(
                NazorgMomentRow.id,
                NazorgMomentRow.pupil_id,
                NazorgMomentRow.months,
                NazorgMomentRow.due,
            )
            .where(NazorgMomentRow.pupil_id.in_(list(plans)))
            .order_by(NazorgMomentRow.pupil_id, NazorgMomentRow.due)
        ).all()

        call_rows: list[dict[str, Any]] = []
        done: dict[int, date] = {}
        moved: dict[int, tuple[date, str]] = {}
        signal_rows: list[dict[str, Any]] = []

        def logged(
            pupil_id: int,
            moment_id: int,
            on: date,
            reached: bool,
            status: CallStatus | None = None,
            same_place: bool | None = None,
            note: str = "",
        ) -> None:
            call_rows.append(
                {
                    "pupil_id": pupil_id,
                    "moment_id": moment_id,
                    "called_on": on,
                    "reached": reached,
                    "channel": rng.choice((Channel.TELEFOON, Channel.TELEFOON, Channel.SMS)).value
                    if reached
                    else Channel.TELEFOON.value,
                    "status": status.value if status else None,
                    "same_place": same_place,
                    "wants_help": (rng.random() < 0.15) if reached else None,
                    "note": note,
                    "by": DEMO_COORDINATOR,
                    "created_at": now,
                }
            )

        births = {ids[p["leerlingnummer"]]: p["geboortedatum"] for p in pupils}
        first_open_seen: set[int] = set()
        for moment_id, pupil_id, months, due in moments:
            left_on, destination, n = plans[pupil_id]
            status = STATUS_OF_DESTINATION[destination]
            if status is CallStatus.ONBEKEND:
                status = rng.choice((CallStatus.WERK, CallStatus.DAGBESTEDING))
            if due > today - timedelta(days=3):
                if n == 9 and pupil_id not in first_open_seen:
                    moved[moment_id] = (due + timedelta(days=21), "Op verzoek van moeder later")
                first_open_seen.add(pupil_id)
                continue  # not yet due, or due in the last days: on the agenda
            if n == uit_beeld and pupil_id not in first_open_seen:
                # Three attempts on different days over more than two weeks, the last recently.
                first_open_seen.add(pupil_id)
                for back in (20, 12, 2):
                    logged(pupil_id, moment_id, today - timedelta(days=back), False)
                continue
            if n % 9 == 5 and due > today - timedelta(days=40):
                continue  # nobody got to it yet: overdue
            on = min(due + timedelta(days=rng.randrange(-5, 10)), today - timedelta(days=1))
            if n % 6 == 2:
                logged(pupil_id, moment_id, on, False)
                on = min(on + timedelta(days=rng.randrange(2, 8)), today - timedelta(days=1))
            if n == alarm and months >= offsets[0]:
                logged(
                    pupil_id,
                    moment_id,
                    on,
                    True,
                    CallStatus.THUIS,
                    False,
                    "Gestopt met de opleiding, zit nu thuis.",
                )
                signal_rows.append(
                    {
                        "pupil_id": pupil_id,
                        "created_on": on,
                        "status": CallStatus.THUIS.value,
                        "receiver": signal_to(births[pupil_id], on, JaNeeOnbekend.NEE).value,
                        "organisation_id": None,
                        "sent_on": None,
                        "sent_to": "",
                    }
                )
                done[moment_id] = on
                continue
            if n % 7 == 1 and status is CallStatus.MBO and months >= 6:
                logged(
                    pupil_id,
                    moment_id,
                    on,
                    True,
                    CallStatus.WERK,
                    False,
                    "Gestopt, nu aan het werk.",
                )
            else:
                logged(pupil_id, moment_id, on, True, status, True)
            done[moment_id] = on
        if call_rows:
            session.execute(insert(NazorgCallRow), call_rows)
        if signal_rows:
            session.execute(insert(NazorgSignalRow), signal_rows)
        for moment_id, on in done.items():
            session.execute(
                update(NazorgMomentRow).where(NazorgMomentRow.id == moment_id).values(done_on=on)
            )
        for moment_id, (due, reason) in moved.items():
            session.execute(
                update(NazorgMomentRow)
                .where(NazorgMomentRow.id == moment_id)
                .values(due=due, moved_reason=reason)
            )
    return count
