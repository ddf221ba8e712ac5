"""A fictional demo cohort: invented names from many origins, plausible routes and stages.
Never real people's data."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.calendar import Anchor, SchoolCalendar
from uitstroom.domain.checklist import DEFAULT_TEMPLATES, Task, plan
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
    Uitstroomprofiel,
)
from uitstroom.domain.model import SchoolSettings
from uitstroom.domain.schoolyear import SchoolYear
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

ROEPNAMEN = (
    "Sanne",
    "Daan",
    "Noa",
    "Mohamed",
    "Aylin",
    "Bram",
    "Fleur",
    "Youssef",
    "Zoë",
    "Joël",
    "Chloë",
    "Anouk",
    "Ilias",
    "Rayan",
    "Emma",
    "Luuk",
    "Mila",
    "Sem",
    "Fatima",
    "Kenji",
    "Daniël",
    "Noël",
    "Iris",
    "Esmée",
    "Ömer",
    "Priya",
    "Thijs",
    "Maud",
    "Nadia",
    "Jayden",
    "Ruben",
    "Amira",
    "Lotte",
    "Milan",
    "Siham",
    "Tobias",
    "Ilse",
    "Björn",
    "Aïsha",
    "Renée",
)
ACHTERNAMEN = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Çelik"),
    ("", "Yılmaz"),
    ("El", "Amrani"),
    ("", "Ōtsuka"),
    ("van der", "Meer"),
    ("", "Smit"),
    ("", "Mulder"),
    ("de", "Boer"),
    ("", "Kowalczyk"),
    ("", "Nguyễn"),
    ("", "Bouzid"),
    ("van den", "Berg"),
    ("", "Hendriks"),
    ("", "Öztürk"),
    ("", "Peeters"),
    ("ter", "Horst"),
    ("", "Sánchez"),
    ("", "Dijkstra"),
    ("", "Visser"),
    ("", "Müller"),
    ("", "Ramdin"),
)
GEMEENTEN = ("Utrecht", "Amersfoort", "Nieuwegein", "Zeist", "Houten", "IJsselstein", "Woerden")
MENTOREN = ("mw. A. Kramer", "dhr. P. Lindeman", "mw. S. Öztürk", "dhr. R. de Graaf")
BEDRIJVEN = (
    "Bakkerij Van Houten",
    "Tuincentrum De Linde",
    "Garage Smit & Zn",
    "Hotel De Wereld",
    "Zorgcentrum Het Baken",
    "Supermarkt Plus Lindeboom",
    "Schildersbedrijf Kleur & Co",
    "Logistiek Centrum Midden",
    "Kinderopvang Het Bolletje",
    "Gemeentewerf Zeist",
)
MBO = ("ROC Midden Nederland", "MBO Amersfoort", "Aeres MBO Barneveld")
OPLEIDINGEN = (
    "Medewerker bakkerij",
    "Logistiek medewerker",
    "Helpende zorg en welzijn",
    "Medewerker groene ruimte",
    "Entree assistent dienstverlening",
    "Autotechnicus",
)
AANBIEDERS = ("Zorgboerderij De Hoeve", "Dagcentrum Het Atelier", "Stichting Werkplein")


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def seed_demo_school(sessions: sessionmaker[Session], school_type: SchoolType) -> None:
    SchoolService(sessions).save_settings(
        SchoolSettings(
            name="De Horizon (voorbeeldschool)",
            school_type=school_type,
            brin="99XX",
            coordinator_name="Marloes Verbeek",
            coordinator_phone="030 123 45 67",
            coordinator_email="m.verbeek@voorbeeldschool.nl",
        )
    )


def demo_pupils(count: int, year: SchoolYear, seed: int = 2026) -> Iterator[dict[str, object]]:
    """Plain dicts of fictional pupils: fast enough for 20,000 rows in a benchmark."""
    rng = random.Random(seed)
    for n in range(count):
        roepnaam = rng.choice(ROEPNAMEN)
        tussenvoegsel, achternaam = rng.choice(ACHTERNAMEN)
        born = date(year.start_year - 17, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))
        profiel = rng.choice(
            (Uitstroomprofiel.ARBEID, Uitstroomprofiel.ARBEID, Uitstroomprofiel.VERVOLGONDERWIJS)
        )
        route = rng.choice(
            (Route.ARBEID, Route.DOORLEREN, Route.DOORLEREN, Route.DAGBESTEDING, Route.ONBEKEND)
            if profiel == Uitstroomprofiel.VERVOLGONDERWIJS
            else (Route.ARBEID, Route.ARBEID, Route.DOORLEREN, Route.DAGBESTEDING, Route.ONBEKEND)
        )
        yield {
            "leerlingnummer": str(100000 + n),
            "roepnaam": roepnaam,
            "tussenvoegsel": tussenvoegsel,
            "achternaam": achternaam,
            "geboortedatum": born,
            "klas": f"PRO4{'ABCD'[n % 4]}",
            "mentor": MENTOREN[n % len(MENTOREN)],
            "woongemeente": rng.choice(GEMEENTEN),
            "telefoon": f"06 {rng.randrange(10000000, 99999999)}",
            "email": f"{_ascii(roepnaam)}.{n}@leerling.voorbeeldschool.nl",
            "uitstroomprofiel": profiel.value,
            "route": route,
            "rng": rng,
        }


def insert_demo_cohort(
    sessions: sessionmaker[Session],
    count: int = 48,
    today: date | None = None,
    school_type: SchoolType = SchoolType.PRO,
) -> int:
    """Fill an empty database with a fictional cohort for the current school year."""
    today = today or date.today()
    year = SchoolYear.of(today)
    seed_demo_school(sessions, school_type)
    now = datetime.combine(today, datetime.min.time()).replace(hour=8)
    school_calendar = SchoolCalendar(year)
    # A generator of its own, so the pupils themselves stay the same whatever the date.
    planner = random.Random(f"taken {year.label}")
    undecided = 0
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
                for task in demo_tasks(route, registered, school_calendar, today, planner)
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
                    kind=TimelineKind.GEBEURTENIS.value,
                    text="Leerling toegevoegd aan het voorbeeldcohort.",
                )
            ]
            session.add(row)
        session.flush()
    return count


DEMO_COORDINATOR = "Marloes Verbeek"


def _demo_registration(
    row: RouteRow, year: SchoolYear, today: date, rng: random.Random
) -> date | None:
    """A registered pupil registered some day between 1 October and yesterday."""
    if row.aanmeldstatus != AanmeldStatus.AANGEMELD.value:
        return None
    opens = date(year.start_year, 10, 1)
    if today <= opens + timedelta(days=14):
        row.aanmeldstatus = AanmeldStatus.NIET_AANGEMELD.value
        return None
    row.aanmelddatum = opens + timedelta(days=rng.randrange((today - opens).days))
    return row.aanmelddatum


def demo_tasks(
    route: Route,
    registered_on: date | None,
    school_calendar: SchoolCalendar,
    today: date,
    rng: random.Random,
) -> list[Task]:
    """A realistic checklist on `today`: most of what was due is done (some days early), a
    few tasks are late, a few of the coming weeks' are done already."""
    first_day = school_calendar.year.first_day
    tasks = []
    for task in plan(route, DEFAULT_TEMPLATES, school_calendar):
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
    row = RouteRow(route=route.value)
    if route == Route.DOORLEREN:
        row.mbo_instelling = rng.choice(MBO)
        row.opleiding = rng.choice(OPLEIDINGEN)
        row.niveau = rng.choice((Niveau.ENTREE, Niveau.N2)).value
        row.leerweg = rng.choice((Leerweg.BOL, Leerweg.BBL)).value
        row.aanmeldstatus = rng.choice(
            (AanmeldStatus.NIET_AANGEMELD, AanmeldStatus.AANGEMELD)
        ).value
    elif route == Route.ARBEID:
        row.werkgever = rng.choice(BEDRIJVEN)
        row.functie = rng.choice(("Medewerker magazijn", "Hulp in de keuken", "Medewerker groen"))
        row.contract = ContractSoort.ONBEKEND.value
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
            rows.append(
                {
                    **values,
                    "cohort_id": cohort_id,
                    "created_at": now,
                    "updated_at": now,
                    "imported_values": {},
                    "mbo_opleiding": "",
                    "mbo_crebo": "",
                    "startkwalificatie": JaNeeOnbekend.ONBEKEND.value,
                    "ondersteuningsbehoefte": "",
                    "archived": False,
                    "version": 1,
                }
            )
            routes.append(route.value)
        session.execute(insert(PupilRow), rows)
        ids = session.scalars(select(PupilRow.id).order_by(PupilRow.id)).all()
        session.execute(
            insert(RouteRow),
            [{"pupil_id": i, "route": r} for i, r in zip(ids, routes, strict=True)],
        )
        school_calendar = SchoolCalendar(year)
        planner = random.Random(f"taken {year.label}")
        by_value = {route.value: route for route in Route}
        tasks = [
            task_values(pupil_id, task)
            for pupil_id, route_value in zip(ids, routes, strict=True)
            for task in demo_tasks(by_value[route_value], None, school_calendar, today, planner)
        ]
        session.execute(insert(PupilTaskRow), tasks)
