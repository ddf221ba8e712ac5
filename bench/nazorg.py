"""Nazorg with 20,000 former pupils and 100,000 logged calls: the agenda, a cohort's outcome
figures, and logging a call then reading the agenda again. `python -m bench.nazorg`."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.data import FOLDER, PASSPHRASE
from uitstroom.domain.enums import JaNeeOnbekend, Route, SchoolType
from uitstroom.domain.nazorg import (
    DEFAULT_OFFSETS,
    CallRecord,
    CallStatus,
    Channel,
    Destination,
    FileState,
    add_months,
    nazorg_plan,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import demo_pupils, pupil_insert, seed_demo_school
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import ensure_cohort
from uitstroom.storage.models import (
    LeavingRow,
    NazorgCallRow,
    NazorgMomentRow,
    PupilRow,
    RouteRow,
)

TODAY = date(2026, 11, 23)
FORMER = 20_000
CALLS = 100_000
# Four leaving years of 5,000 each; the oldest has finished its two years and is closed.
COHORTS = ("2022-2023", "2023-2024", "2024-2025", "2025-2026")
DESTINATION_OF_ROUTE = {
    Route.DOORLEREN: Destination.MBO,
    Route.ARBEID: Destination.WERK,
    Route.DAGBESTEDING: Destination.DAGBESTEDING,
    Route.ONBEKEND: Destination.ONBEKEND,
}
STATUS = {
    Destination.MBO: CallStatus.MBO,
    Destination.WERK: CallStatus.WERK,
    Destination.DAGBESTEDING: CallStatus.DAGBESTEDING,
    Destination.ONBEKEND: CallStatus.WERKZOEKEND,
}


@dataclass(frozen=True)
class NazorgFigures:
    former: int
    calls: int
    moments: int
    items: int
    leavers: int
    agenda_ms: list[float]
    outcomes_ms: list[float]
    call_ms: list[float]


def nazorg_database(former: int = FORMER, calls: int = CALLS) -> tuple[Path, bytes]:
    """The encrypted file (made once, then reused from bench.data.FOLDER) and its key."""
    path = FOLDER / f"nazorg-{former}-{calls}.db"
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        key = vault.set_up(path, PASSPHRASE)
        db = open_database(path, key)
        try:
            seed_demo_school(db.sessions, SchoolType.PRO)
            _fill(db.sessions, former, calls)
        finally:
            db.close()
    return path, vault.unlock(path, PASSPHRASE)


def _fill(sessions: object, former: int, calls: int) -> None:
    from sqlalchemy.orm import Session, sessionmaker

    assert isinstance(sessions, sessionmaker)
    makers: sessionmaker[Session] = sessions
    rng = random.Random(6)
    now = datetime.combine(TODAY, datetime.min.time())
    per_cohort = former // len(COHORTS)
    offsets = DEFAULT_OFFSETS[SchoolType.PRO]
    with makers.begin() as session:
        pupils, routes, cohort_of = [], [], []
        for n_cohort, label in enumerate(COHORTS):
            year = SchoolYear.parse(label)
            cohort_id = ensure_cohort(session, label).id
            for values in demo_pupils(per_cohort, year, seed=n_cohort):
                values.pop("rng")
                routes.append(values.pop("route"))
                values["leerlingnummer"] = f"{label[:4]}{values['leerlingnummer']}"
                pupils.append(pupil_insert(values, cohort_id, now, JaNeeOnbekend.NEE, True))
                cohort_of.append(year)
        session.execute(insert(PupilRow), pupils)
        ids = list(session.scalars(select(PupilRow.id).order_by(PupilRow.id)))
        session.execute(
            insert(RouteRow),
            [{"pupil_id": i, "route": r.value} for i, r in zip(ids, routes, strict=True)],
        )
        leaving, moments, plans = [], [], []
        for pupil_id, route, year in zip(ids, routes, cohort_of, strict=True):
            left_on = date(year.start_year + 1, 7, 10)
            if rng.random() < 0.1:  # left in the middle of the year
                left_on = year.first_day + timedelta(days=rng.randrange(30, 330))
            destination = DESTINATION_OF_ROUTE[route]
            closed = add_months(left_on, 24) < TODAY
            leaving.append(
                {
                    "pupil_id": pupil_id,
                    "left_on": left_on,
                    "destination": destination.value,
                    "employer": "Bedrijf" if destination is Destination.WERK else "",
                    "mbo_instelling": "ROC" if destination is Destination.MBO else "",
                    "recorded_by": "bench",
                    "recorded_at": now,
                    "state": (FileState.CLOSED if closed else FileState.OPEN).value,
                    "closed_on": add_months(left_on, 24) if closed else None,
                    "waakvlam": False,
                }
            )
            plan = nazorg_plan(left_on, SchoolType.PRO, offsets)
            plans.append((pupil_id, destination, plan))
            for planned in plan:
                # Most calls that were due are made; a few are overdue.
                done = planned.due < TODAY - timedelta(days=7) and rng.random() < 0.98
                moments.append(
                    {
                        "pupil_id": pupil_id,
                        "months": planned.months,
                        "due": planned.due,
                        "original_due": planned.due,
                        "moved_reason": "",
                        "done_on": planned.due + timedelta(days=2) if done else None,
                    }
                )
        session.execute(insert(LeavingRow), leaving)
        session.execute(insert(NazorgMomentRow), moments)
        moment_ids = {
            (pupil_id, months): (moment_id, done_on)
            for moment_id, pupil_id, months, done_on in session.execute(
                select(
                    NazorgMomentRow.id,
                    NazorgMomentRow.pupil_id,
                    NazorgMomentRow.months,
                    NazorgMomentRow.done_on,
                )
            )
        }
        rows = []
        for pupil_id, destination, plan in plans:
            for planned in plan:
                moment_id, done_on = moment_ids[(pupil_id, planned.months)]
                if planned.due >= TODAY:
                    continue
                if done_on is not None:
                    rows.append(_call(pupil_id, moment_id, done_on, True, STATUS[destination]))
                # Attempts before reaching someone (or while the moment is still open).
                for back in range(rng.choice((0, 0, 1, 2))):
                    day = min(planned.due + timedelta(days=back), TODAY - timedelta(days=1))
                    rows.append(_call(pupil_id, moment_id, day, False, None))
        while len(rows) < calls:
            pupil_id, destination, plan = plans[rng.randrange(len(plans))]
            first = plan[0]
            if first.due >= TODAY:
                continue
            moment_id, _ = moment_ids[(pupil_id, first.months)]
            rows.append(_call(pupil_id, moment_id, first.due, False, None))
        session.execute(insert(NazorgCallRow), rows[:calls])


def _call(
    pupil_id: int, moment_id: int, on: date, reached: bool, status: CallStatus | None
) -> dict[str, object]:
    return {
        "pupil_id": pupil_id,
        "moment_id": moment_id,
        "called_on": on,
        "reached": reached,
        "channel": Channel.TELEFOON.value,
        "status": status.value if status else None,
        "same_place": True if reached else None,
        "wants_help": False if reached else None,
        "note": "",
        "by": "bench",
        "created_at": datetime.combine(on, datetime.min.time()),
    }


def measure(runs: int) -> NazorgFigures:
    path, key = nazorg_database()
    db = open_database(path, key)
    try:
        service = NazorgService(db.sessions, clock=lambda: datetime(2026, 11, 23, 9))
        items = service.agenda(TODAY)  # warm the page cache, as opening the view does
        agenda_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            items = service.agenda(TODAY)
            agenda_ms.append((time.perf_counter() - start) * 1000)
        cohort = COHORTS[-2]
        outcomes_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            figures = service.outcomes(cohort, TODAY)
            outcomes_ms.append((time.perf_counter() - start) * 1000)
        call_ms = []
        for item in items[:runs]:
            start = time.perf_counter()
            service.log_call(
                item.pupil_id,
                CallRecord(TODAY, True, Channel.TELEFOON, CallStatus.MBO, same_place=True),
            )
            after = service.agenda(TODAY)
            call_ms.append((time.perf_counter() - start) * 1000)
            assert all(i.moment_id != item.moment_id for i in after)
        with db.sessions() as session:
            former = session.scalar(select(func.count()).select_from(LeavingRow)) or 0
            calls = session.scalar(select(func.count()).select_from(NazorgCallRow)) or 0
            moments = session.scalar(select(func.count()).select_from(NazorgMomentRow)) or 0
        return NazorgFigures(
            former,
            calls,
            moments,
            len(items),
            figures.leavers,
            agenda_ms,
            outcomes_ms,
            call_ms,
        )
    finally:
        db.close()


def print_figures(runs: int) -> None:
    from bench.measure import budget

    figures = measure(runs)
    print(
        f"Nazorg on 23 November 2026, {figures.former:,} former pupils, {figures.calls:,} calls, "
        f"{figures.moments:,} planned moments ({figures.items:,} agenda items), {runs} runs "
        "(median):"
    )
    budget("nazorg agenda (this week and overdue)", statistics.median(figures.agenda_ms), 200, "ms")
    budget(
        f"outcome figures, cohort of {figures.leavers:,} leavers",
        statistics.median(figures.outcomes_ms),
        1000,
        "ms",
    )
    budget("log a call, then read the agenda again", statistics.median(figures.call_ms), 100, "ms")


if __name__ == "__main__":
    print_figures(5)
