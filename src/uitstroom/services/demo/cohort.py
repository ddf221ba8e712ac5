"""The demo school and its cohort: settings, pupils with routes, tasks and mbo exit interviews."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from importlib import resources

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.calendar import Anchor, SchoolCalendar
from uitstroom.domain.checklist import (
    DEFAULT_TEMPLATES,
    Task,
    TaskTemplate,
    default_templates,
    plan,
)
from uitstroom.domain.enums import (
    AanmeldStatus,
    ContractSoort,
    Instrument,
    JaNeeOnbekend,
    Leerweg,
    Niveau,
    Perspectief,
    Route,
    SchoolType,
    TimelineKind,
)
from uitstroom.domain.exit import ExitInterview, HelpWanted, LeavingReason, NextStep
from uitstroom.domain.handover import (
    Receiver,
)
from uitstroom.domain.model import SchoolSettings
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.demo.handover import insert_demo_handover
from uitstroom.services.demo.leavers import insert_demo_leavers
from uitstroom.services.demo.texts import (
    AANBIEDERS,
    BEDRIJVEN,
    DEMO_COORDINATOR,
    MBO,
    MBO_OPLEIDINGEN,
    OPLEIDINGEN,
    demo_pupils,
    pupil_insert,
)
from uitstroom.services.exit import ExitService
from uitstroom.services.overleg import insert_demo_overleg
from uitstroom.services.planning import REGISTRATION_TASK, task_values
from uitstroom.services.pupils import SchoolService, ensure_cohort
from uitstroom.storage.models import (
    GuardianRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    StageRow,
    TimelineEntryRow,
)


def seed_demo_school(sessions: sessionmaker[Session], school_type: SchoolType) -> None:
    SchoolService(sessions).save_settings(
        SchoolSettings(
            name="De Horizon (voorbeeldschool)",
            school_type=school_type,
            brin="99XX",
            coordinator_name="Marloes Verbeek",
            coordinator_phone="030 123 45 67",
            coordinator_email="m.verbeek@voorbeeldschool.nl",
            logo_png=demo_logo(),
            address="Zonnelaan 12\n3512 AB Utrecht",
            phone="030 123 45 00",
            email="info@voorbeeldschool.nl",
            website="www.dehorizon-voorbeeldschool.nl",
            email_domains="voorbeeldschool.nl",
        )
    )


def demo_logo() -> bytes:
    """The demo school's fictional logo (resources/demo/horizon-logo.svg, drawn as PNG)."""
    folder = resources.files("uitstroom").joinpath("resources", "demo")
    return folder.joinpath("horizon-logo.png").read_bytes()


def insert_demo_cohort(
    sessions: sessionmaker[Session],
    count: int = 48,
    today: date | None = None,
    school_type: SchoolType = SchoolType.PRO,
    leavers: int = 0,
) -> int:
    """Fill an empty database with a fictional cohort for the current school year; with
    `leavers` (DEMO_LEAVERS for the full demo), also last school year's leavers in nazorg.
    Returns the number of pupils in the current cohort."""
    today = today or date.today()
    year = SchoolYear.of(today)
    seed_demo_school(sessions, school_type)
    now = datetime.combine(today, datetime.min.time()).replace(hour=8)
    school_calendar = SchoolCalendar(year)
    # A generator of its own, so the pupils themselves stay the same whatever the date.
    planner = random.Random(f"taken {year.label}")
    checklist = default_templates(school_type)
    undecided = 0
    # The mbo's own generator: the pro and vso demo stay exactly as they were.
    mbo_rng = random.Random(f"mbo {year.label}")
    rows: list[PupilRow] = []
    with sessions.begin() as session:
        cohort = ensure_cohort(session, year.label)
        for values in demo_pupils(count, year):
            rng: random.Random = values.pop("rng")  # type: ignore[assignment]
            route: Route = values.pop("route")  # type: ignore[assignment]
            # After the bijstelperiode most pupils have a route; a couple still do not.
            if route is Route.ONBEKEND and today > school_calendar.anchor_date(Anchor.BIJSTEL_END):
                undecided += 1
                if undecided > 2:
                    route = planner.choice((Route.ARBEID, Route.DOORLEREN, Route.DAGBESTEDING))
            row = PupilRow(
                cohort=cohort, created_at=now, updated_at=now, imported_values={}, **values
            )
            if school_type is SchoolType.MBO:
                _make_mbo_student(row, year, mbo_rng)
            row.guardians = [
                GuardianRow(
                    position=0,
                    name=f"{rng.choice(('mw.', 'dhr.'))} {values['tussenvoegsel']} {values['achternaam']}".replace(
                        "  ", " "
                    ),
                    relation=rng.choice(("moeder", "vader", "verzorger")),
                    phone=f"06 {rng.randrange(10000000, 99999999)}",
                )
            ]
            row.route = _demo_route(route, rng)
            registered = _demo_registration(row.route, year, today, planner)
            row.tasks = [
                PupilTaskRow(**{k: v for k, v in task_values(0, task).items() if k != "pupil_id"})
                for task in demo_tasks(
                    route, registered, school_calendar, today, planner, checklist
                )
            ]
            if rng.random() < 0.8:
                start = year.first_day + timedelta(days=rng.randrange(30, 90))
                row.stages = [
                    StageRow(
                        leerbedrijf=rng.choice(BEDRIJVEN),
                        contactpersoon=rng.choice(("Henk", "Ingrid", "Mehmet", "Els"))
                        + " (praktijkopleider)",
                        start=start,
                        end=start + timedelta(days=7 * rng.randrange(10, 30)),
                        dagen_per_week=rng.randrange(2, 5),
                        sbb_erkend=rng.choice(("ja", "ja", "onbekend")),
                        perspectief=rng.choice([p.value for p in Perspectief]),
                    )
                ]
            row.timeline = [
                TimelineEntryRow(
                    at=now,
                    author="Voorbeeldcohort",
                    kind=TimelineKind.GEBEURTENIS,
                    text="Leerling toegevoegd aan het voorbeeldcohort.",
                )
            ]
            session.add(row)
            rows.append(row)
        session.flush()
        pupil_ids = [row.id for row in rows]
        insert_demo_handover(session, rows, today, random.Random(f"overdracht {year.label}"))
    if school_type is not SchoolType.MBO:
        insert_demo_overleg(sessions, today)
    if leavers:
        insert_demo_leavers(sessions, today, leavers, school_type)
    if school_type is SchoolType.MBO:
        insert_demo_interviews(sessions, pupil_ids, today)
    return count


def _make_mbo_student(row: PupilRow, year: SchoolYear, rng: random.Random) -> None:
    """An mbo student: an opleiding with crebo, niveau and leerweg, and an age for it."""
    opleiding, crebo, niveau, code = rng.choice(MBO_OPLEIDINGEN)
    row.mbo_opleiding = opleiding
    row.mbo_crebo = crebo
    row.mbo_niveau = niveau
    row.mbo_leerweg = rng.choice((Leerweg.BOL, Leerweg.BOL, Leerweg.BBL))
    row.klas = f"{code}{rng.randrange(1, 4)}{'AB'[rng.randrange(2)]}"
    row.uitstroomprofiel = None
    row.geboortedatum = date(year.start_year - 19, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))


def insert_demo_interviews(
    sessions: sessionmaker[Session], pupil_ids: Sequence[int], today: date
) -> None:
    """A handful of exitgesprekken through the service, so their consequences are real:
    finished ones with every reason, a concept, a refusal of nazorg, and one without a next
    step with its handover task."""
    if len(pupil_ids) < 7:
        return
    now = datetime.combine(today, datetime.min.time()).replace(hour=10)
    service = ExitService(sessions, clock=lambda: now)
    held_on = today - timedelta(days=3)
    left_on = today + timedelta(days=14)
    finished = [
        ExitInterview(
            reason=LeavingReason.DIPLOMA,
            startkwalificatie=JaNeeOnbekend.JA,
            next_step=NextStep.WERK,
            next_step_detail="Bakkerij De Korrel, Zeist",
            nazorg_agreed=True,
        ),
        ExitInterview(
            reason=LeavingReason.OVERSTAP,
            next_step=NextStep.OPLEIDING,
            next_step_detail="Verzorgende IG bij MBO Amersfoort",
            help_wanted=frozenset({HelpWanted.GELD}),
            nazorg_agreed=True,
        ),
        ExitInterview(
            reason=LeavingReason.UITVAL,
            dropout_reason="Opleiding past niet bij de student",
            next_step=NextStep.OPLEIDING,
            next_step_detail="Logistiek medewerker bij ROC Midden Nederland",
            nazorg_agreed=True,
            note="Wil liever iets met de handen doen.",
        ),
        ExitInterview(
            reason=LeavingReason.UITVAL,
            dropout_reason="Werk gevonden",
            next_step=NextStep.WERK,
            next_step_detail="Supermarkt Plus, vakkenvuller",
            nazorg_agreed=False,
            note="Wil geen nazorggesprekken: 'ik red me wel'.",
        ),
        ExitInterview(
            reason=LeavingReason.UITVAL,
            dropout_reason="Persoonlijke omstandigheden",
            next_step=NextStep.NOG_NIETS,
            help_wanted=frozenset({HelpWanted.WERK, HelpWanted.WONEN}),
            nazorg_agreed=True,
            handover_consent=frozenset({Receiver.DOORSTROOMPUNT}),
        ),
    ]
    for pupil_id, answers in zip(pupil_ids, finished, strict=False):
        started = service.start(pupil_id)
        service.finish(
            pupil_id,
            replace(
                answers,
                held_on=held_on,
                left_on=left_on,
                mentor=started.mentor,
                phone_after=started.phone_after,
                email_after=started.email_after,
                spare_name=started.spare_name,
                spare_relation=started.spare_relation,
                spare_phone=started.spare_phone,
            ),
        )
    concept = service.start(pupil_ids[len(finished)])
    service.save_concept(
        pupil_ids[len(finished)],
        replace(concept, reason=LeavingReason.DIPLOMA, note="Gesprek loopt nog; diploma in juli."),
    )


def _demo_registration(
    row: RouteRow, year: SchoolYear, today: date, rng: random.Random
) -> date | None:
    """A registered pupil registered some day between 1 October and yesterday."""
    if row.aanmeldstatus != AanmeldStatus.AANGEMELD.value:
        return None
    opens = date(year.start_year, 10, 1)
    if today <= opens + timedelta(days=14):
        row.aanmeldstatus = AanmeldStatus.NIET_AANGEMELD
        return None
    row.aanmelddatum = opens + timedelta(days=rng.randrange((today - opens).days))
    return row.aanmelddatum


def demo_tasks(
    route: Route,
    registered_on: date | None,
    school_calendar: SchoolCalendar,
    today: date,
    rng: random.Random,
    templates: tuple[TaskTemplate, ...] = DEFAULT_TEMPLATES,
) -> list[Task]:
    """A realistic checklist on `today`: most of what was due is done (some days early), a
    few tasks are late, a few of the coming weeks' are done already."""
    first_day = school_calendar.year.first_day
    tasks = []
    for task in plan(route, templates, school_calendar):
        done_on: date | None = None
        if task.code == REGISTRATION_TASK:
            done_on = registered_on
        elif task.due < today and rng.random() < (0.96 if (today - task.due).days > 60 else 0.85):
            done_on = max(first_day, task.due - timedelta(days=rng.randrange(0, 21)))
        elif today <= task.due <= today + timedelta(days=30) and rng.random() < 0.3:
            done_on = max(first_day, today - timedelta(days=rng.randrange(1, 8)))
        done_by = DEMO_COORDINATOR if done_on is not None else ""
        tasks.append(replace(task, done_on=done_on, done_by=done_by))
    return tasks


def _demo_route(route: Route, rng: random.Random) -> RouteRow:
    row = RouteRow(route=route)
    if route == Route.DOORLEREN:
        row.mbo_instelling = rng.choice(MBO)
        row.opleiding = rng.choice(OPLEIDINGEN)
        row.niveau = rng.choice((Niveau.ENTREE, Niveau.N2))
        row.leerweg = rng.choice((Leerweg.BOL, Leerweg.BBL))
        row.aanmeldstatus = rng.choice((AanmeldStatus.NIET_AANGEMELD, AanmeldStatus.AANGEMELD))
    elif route == Route.ARBEID:
        row.werkgever = rng.choice(BEDRIJVEN)
        row.functie = rng.choice(("Medewerker magazijn", "Hulp in de keuken", "Medewerker groen"))
        row.contract = ContractSoort.ONBEKEND
        row.instrumenten = ",".join(
            sorted(i.value for i in rng.sample(list(Instrument), rng.randrange(0, 3)))
        )
    elif route == Route.DAGBESTEDING:
        row.aanbieder = rng.choice(AANBIEDERS)
    return row


def bulk_insert_pupils(sessions: sessionmaker[Session], count: int, today: date) -> None:
    """Benchmarks: many pupils with Core inserts, no stages or timeline."""
    year = SchoolYear.of(today)
    now = datetime.combine(today, datetime.min.time())
    with sessions.begin() as session:
        cohort_id = ensure_cohort(session, year.label).id
        rows = []
        routes = []
        for values in demo_pupils(count, year):
            values.pop("rng")
            route: Route = values.pop("route")  # type: ignore[assignment]
            rows.append(pupil_insert(values, cohort_id, now, JaNeeOnbekend.ONBEKEND, False))
            routes.append(route.value)
        session.execute(insert(PupilRow), rows)
        ids = session.scalars(select(PupilRow.id).order_by(PupilRow.id)).all()
        session.execute(
            insert(RouteRow),
            [{"pupil_id": i, "route": r} for i, r in zip(ids, routes, strict=True)],
        )
        school_calendar = SchoolCalendar(year)
        planner = random.Random(f"taken {year.label}")
        tasks = [
            task_values(pupil_id, task)
            for pupil_id, route_value in zip(ids, routes, strict=True)
            for task in demo_tasks(Route(route_value), None, school_calendar, today, planner)
        ]
        session.execute(insert(PupilTaskRow), tasks)
