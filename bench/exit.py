"""Mbo exitgesprekken with 50,000 students over five school years, 10,000 of them leavers with
a finished interview per year: opening a student and starting an interview, and the reasons
report for one year. `python -m bench.exit`."""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.data import FOLDER, PASSPHRASE
from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import (
    DEFAULT_DROPOUT_REASONS,
    HelpWanted,
    InterviewState,
    LeavingReason,
    NextStep,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.demo import demo_pupils, pupil_insert, seed_demo_school
from uitstroom.services.exit import ExitService
from uitstroom.services.pupils import PupilService, ensure_cohort
from uitstroom.storage.models import ExitInterviewRow, GuardianRow, PupilRow

NOW = datetime(2027, 3, 15, 10, 0)
STUDENTS = 50_000
YEARS = ("2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027")
OPLEIDINGEN = (
    ("Medewerker bakkerij", "25180", Niveau.N2),
    ("Logistiek medewerker", "25889", Niveau.N2),
    ("Entree assistent", "25258", Niveau.ENTREE),
    ("Verzorgende IG", "25491", Niveau.N3),
    ("Mediavormgever", "25591", Niveau.N4),
    ("Eerste monteur elektrotechniek", "25301", Niveau.N3),
    ("Pedagogisch medewerker", "25486", Niveau.N3),
    ("Kok", "25180", Niveau.N2),
)


@dataclass(frozen=True)
class ExitFiguresBench:
    students: int
    interviews: int
    year_interviews: int
    start_new_ms: list[float]
    start_existing_ms: list[float]
    report_ms: list[float]


def exit_database(students: int = STUDENTS) -> tuple[Path, bytes]:
    """The encrypted file (made once, then reused from bench.data.FOLDER) and its key."""
    path = FOLDER / f"exit-{students}.db"
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        key = vault.set_up(path, PASSPHRASE)
        db = open_database(path, key)
        try:
            seed_demo_school(db.sessions, SchoolType.MBO)
            _fill(db.sessions, students)
        finally:
            db.close()
    return path, vault.unlock(path, PASSPHRASE)


def _fill(sessions: object, students: int) -> None:
    from sqlalchemy.orm import Session, sessionmaker

    assert isinstance(sessions, sessionmaker)
    makers: sessionmaker[Session] = sessions
    rng = random.Random(7)
    per_year = students // len(YEARS)
    with makers.begin() as session:
        for n_year, label in enumerate(YEARS):
            year = SchoolYear.parse(label)
            current = label == YEARS[-1]
            cohort_id = ensure_cohort(session, label).id
            rows = []
            for values in demo_pupils(per_year, year, seed=n_year):
                values.pop("rng")
                values.pop("route")
                opleiding, crebo, niveau = rng.choice(OPLEIDINGEN)
                values["leerlingnummer"] = f"{label[:4]}{values['leerlingnummer']}"
                values["klas"] = f"{crebo}-{values['klas'][-1]}"
                values["uitstroomprofiel"] = None
                row = pupil_insert(values, cohort_id, NOW, JaNeeOnbekend.ONBEKEND, not current)
                rows.append(
                    row
                    | {
                        "mbo_opleiding": opleiding,
                        "mbo_crebo": crebo,
                        "mbo_niveau": niveau.value,
                        "mbo_leerweg": rng.choice((Leerweg.BOL, Leerweg.BBL)).value,
                    }
                )
            session.execute(insert(PupilRow), rows)
            ids = list(
                session.scalars(
                    select(PupilRow.id).where(PupilRow.cohort_id == cohort_id).order_by(PupilRow.id)
                )
            )
            session.execute(
                insert(GuardianRow),
                [
                    {"pupil_id": i, "position": 0, "name": "mw. Ouder", "relation": "moeder"}
                    for i in ids
                ],
            )
            # Past years: every student left with an interview; this year, a fifth so far.
            leavers = ids if not current else ids[: len(ids) // 5]
            interviews = []
            for pupil_id in leavers:
                held_on = year.first_day + timedelta(days=rng.randrange(0, 300))
                if held_on > NOW.date():
                    held_on = NOW.date() - timedelta(days=rng.randrange(1, 150))
                reason = rng.choice(list(LeavingReason))
                step = rng.choice(list(NextStep))
                interviews.append(
                    {
                        "pupil_id": pupil_id,
                        "state": (
                            InterviewState.CONCEPT
                            if current and rng.random() < 0.1
                            else InterviewState.AFGEROND
                        ).value,
                        "held_on": held_on,
                        "left_on": held_on + timedelta(days=14),
                        "reason": reason.value,
                        "dropout_reason": (
                            rng.choice(DEFAULT_DROPOUT_REASONS)
                            if reason is LeavingReason.UITVAL
                            else ""
                        ),
                        "startkwalificatie": JaNeeOnbekend.NEE.value,
                        "next_step": step.value,
                        "next_step_detail": "Ergens" if step is NextStep.WERK else "",
                        "help_wanted": rng.choice(("", HelpWanted.WERK.value, "geld,wonen")),
                        "phone_after": "06 11223344",
                        "nazorg_agreed": rng.random() < 0.8,
                        "mentor": "SLB'er",
                        "updated_at": NOW,
                        "updated_by": "bench",
                    }
                )
            session.execute(insert(ExitInterviewRow), interviews)


def measure(runs: int) -> ExitFiguresBench:
    path, key = exit_database()
    db = open_database(path, key)
    try:
        service = ExitService(db.sessions, clock=lambda: NOW)
        pupils = PupilService(db.sessions, clock=lambda: NOW)
        with db.sessions() as session:
            label = YEARS[-2]  # a full year: every student of that cohort left
            fresh = list(
                session.scalars(
                    select(PupilRow.id)
                    .where(~PupilRow.id.in_(select(ExitInterviewRow.pupil_id)))
                    .order_by(PupilRow.id.desc())
                    .limit(runs)
                )
            )
            existing = list(
                session.scalars(
                    select(ExitInterviewRow.pupil_id)
                    .order_by(ExitInterviewRow.id.desc())
                    .limit(runs)
                )
            )
            students = session.scalar(select(func.count()).select_from(PupilRow)) or 0
            interviews = session.scalar(select(func.count()).select_from(ExitInterviewRow)) or 0
        service.figures(label)  # warm the page cache, as opening the view does

        def open_and_start(pupil_id: int) -> float:
            start = time.perf_counter()
            pupils.open(pupil_id)
            service.start(pupil_id)
            return (time.perf_counter() - start) * 1000

        start_new_ms = [open_and_start(p) for p in fresh]
        start_existing_ms = [open_and_start(p) for p in existing]
        report_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            figures = service.figures(label)
            report_ms.append((time.perf_counter() - start) * 1000)
        return ExitFiguresBench(
            students, interviews, figures.interviews, start_new_ms, start_existing_ms, report_ms
        )
    finally:
        db.close()


def print_figures(runs: int) -> None:
    from bench.measure import budget

    figures = measure(runs)
    print(
        f"Mbo exitgesprekken, {figures.students:,} students over {len(YEARS)} school years, "
        f"{figures.interviews:,} interviews, {runs} runs (median):"
    )
    budget(
        "open a student and start a new interview",
        statistics.median(figures.start_new_ms),
        200,
        "ms",
    )
    budget(
        "open a student and resume the interview",
        statistics.median(figures.start_existing_ms),
        200,
        "ms",
    )
    budget(
        f"reasons report {YEARS[-2]} ({figures.year_interviews:,} finished)",
        statistics.median(figures.report_ms),
        1000,
        "ms",
    )


if __name__ == "__main__":
    print_figures(5)
