"""A fictional demo cohort: invented names from many origins, plausible routes and stages.
Never real people's data."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import insert, select, update
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
    Uitstroomprofiel,
)
from uitstroom.domain.exit import ExitInterview, HelpWanted, LeavingReason, NextStep
from uitstroom.domain.handover import (
    SENSITIVE_SECTIONS,
    AgreementParty,
    Consenter,
    ContactRole,
    CredentialKind,
    LegalBasis,
    OrganisationKind,
    Receiver,
    Section,
    required_consenter,
)
from uitstroom.domain.model import SchoolSettings
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
from uitstroom.services.exit import ExitService
from uitstroom.services.overleg import insert_demo_overleg
from uitstroom.services.planning import REGISTRATION_TASK, task_values
from uitstroom.services.pupils import SchoolService, ensure_cohort
from uitstroom.storage.models import (
    AgreementRow,
    ConsentRow,
    ContactPersonRow,
    CredentialRow,
    GuardianRow,
    LeavingRow,
    NazorgCallRow,
    NazorgMomentRow,
    NazorgSignalRow,
    OrganisationRow,
    PaspoortRow,
    PlanContactRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    StageRow,
    TimelineEntryRow,
    TransitieplanRow,
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
                    kind=TimelineKind.GEBEURTENIS.value,
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


MBO_OPLEIDINGEN = (
    ("Medewerker bakkerij", "25180", Niveau.N2, "BAK"),
    ("Logistiek medewerker", "25889", Niveau.N2, "LOG"),
    ("Entree assistent dienstverlening", "25258", Niveau.ENTREE, "ENT"),
    ("Verzorgende IG", "25491", Niveau.N3, "VIG"),
    ("Eerste monteur elektrotechniek", "25301", Niveau.N3, "ELT"),
    ("Mediavormgever", "25591", Niveau.N4, "MVG"),
)


def _make_mbo_student(row: PupilRow, year: SchoolYear, rng: random.Random) -> None:
    """An mbo student: an opleiding with crebo, niveau and leerweg, and an age for it."""
    opleiding, crebo, niveau, code = rng.choice(MBO_OPLEIDINGEN)
    row.mbo_opleiding = opleiding
    row.mbo_crebo = crebo
    row.mbo_niveau = niveau.value
    row.mbo_leerweg = rng.choice((Leerweg.BOL, Leerweg.BOL, Leerweg.BBL)).value
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
        started = service.start(pupil_id, DEMO_COORDINATOR)
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
            DEMO_COORDINATOR,
        )
    concept = service.start(pupil_ids[len(finished)], DEMO_COORDINATOR)
    service.save_concept(
        pupil_ids[len(finished)],
        replace(concept, reason=LeavingReason.DIPLOMA, note="Gesprek loopt nog; diploma in juli."),
        DEMO_COORDINATOR,
    )


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


# --- the address book, plans, paspoorten and consents of the demo cohort ---------------------

# Fictional contact persons; (kind, organisation, serves, address, contacts as (name, function)).
DEMO_ADDRESS_BOOK: tuple[
    tuple[OrganisationKind, str, str, str, tuple[tuple[str, str], ...]], ...
] = (
    (
        OrganisationKind.MBO,
        "ROC Midden Nederland",
        "",
        "Voorbeeldlaan 1, Utrecht",
        (
            ("Anouk Brouwer", "Intake entree en niveau 2"),
            ("Yusuf Demir", "Studieloopbaanbegeleider"),
        ),
    ),
    (
        OrganisationKind.MBO,
        "MBO Amersfoort",
        "",
        "Oefenweg 12, Amersfoort",
        (("Ingrid de Wit", "Toelating en intake"),),
    ),
    (
        OrganisationKind.GEMEENTE,
        "Gemeente Utrecht, Werk en Inkomen",
        "Utrecht, Zeist, Woerden",
        "Proefplein 5, Utrecht",
        (("Petra Hoekstra", "Klantmanager jongeren"), ("Rachid Bennani", "Werkcoach")),
    ),
    (
        OrganisationKind.GEMEENTE,
        "Werkplein Lekstroom",
        "Nieuwegein, Houten, IJsselstein, Amersfoort",
        "Schetsstraat 8, Nieuwegein",
        (("Joyce van Leeuwen", "Klantmanager"),),
    ),
    (
        OrganisationKind.DOORSTROOMPUNT,
        "Doorstroompunt regio Utrecht",
        "",
        "",
        (("Sanne Kuipers", "Trajectbegeleider"),),
    ),
    (OrganisationKind.UWV, "UWV Utrecht", "", "", (("Gerard Mol", "Arbeidsdeskundige"),)),
    (
        OrganisationKind.JOBCOACH,
        "Jobcoach Midden",
        "",
        "",
        (("Lieke Verhoef", "Jobcoach"), ("Dennis Ōtsuka", "Jobcoach")),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Bakkerij Van Houten",
        "",
        "Bakkersstraat 3, Houten",
        (("Henk van Houten", "Praktijkopleider"),),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Tuincentrum De Linde",
        "",
        "Lindelaan 40, Zeist",
        (("Els Bos", "Bedrijfsleider"), ("Mehmet Kaya", "Praktijkopleider")),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Logistiek Centrum Midden",
        "",
        "Havenweg 77, Nieuwegein",
        (("Ingrid Smeets", "HR-adviseur"),),
    ),
)

_WIE = (
    "Ik ben rustig en behulpzaam. In mijn vrije tijd voetbal ik en help ik mijn oom in de "
    "moestuin.",
    "Ik ben vrolijk en praat graag met mensen. Ik game en ik kook graag voor mijn familie.",
    "Ik ben een doorzetter. Ik fiets veel en ik pas vaak op mijn kleine zusje.",
)
_KAN = (
    "Ik werk netjes en precies. Ik kan goed met mijn handen werken en ik ben altijd op tijd.",
    "Ik kan goed samenwerken en ik help klanten graag. Ik kan een kassa bedienen.",
    "Ik kan lang doorwerken en ik zie zelf wat er moet gebeuren.",
)
_WIL = {
    Route.DOORLEREN: "Ik wil een mbo-opleiding doen en daarna een vaste baan vinden.",
    Route.ARBEID: "Ik wil na school meteen aan het werk, het liefst bij mijn stagebedrijf.",
    Route.DAGBESTEDING: "Ik wil een fijne plek waar ik elke dag iets nuttigs kan doen.",
    Route.ONBEKEND: "Ik weet het nog niet precies. Ik wil nog een paar dingen uitproberen.",
}
_NODIG = (
    "Ik heb uitleg in kleine stappen nodig, en iemand die ik iets kan vragen.",
    "Ik heb een vast rooster nodig. Veranderingen hoor ik graag een dag van tevoren.",
)
_KEUZE = (
    "Ik heb gekozen na twee stages en een proefdag. Ik heb het besproken met mijn mentor en "
    "mijn ouders.",
    "Op stage merkte ik dat ik dit werk leuk vind. Mijn praktijkopleider zei dat ik het kan.",
)
_AANPAK = (
    "Eén vast aanspreekpunt. Eerst voordoen, dan zelf doen.",
    "Korte opdrachten en een lijstje op papier waar ik kan afvinken wat klaar is.",
)
_AANPASSINGEN = (
    "Een rustige werkplek en een koptelefoon als het druk is.",
    "Extra tijd bij toetsen en pauzes op vaste tijden.",
)
_GELEERD = (
    "Op tijd beginnen, zelf aan het werk gaan en hulp vragen als ik iets niet weet.",
    "Klanten helpen, de kassa opmaken en netjes werken met voedsel.",
    "Veilig werken met machines en samenwerken in een team.",
)

# Agreements per route: (what, party, task code or "", contact kind or None).
_AGREEMENTS: dict[Route, tuple[tuple[str, AgreementParty, str, OrganisationKind | None], ...]] = {
    Route.DOORLEREN: (
        ("Aanmelden bij het mbo", AgreementParty.LEERLING, "aanmelden_mbo", None),
        (
            "Intakegesprek bij het mbo voeren",
            AgreementParty.MBO,
            "intake_mbo",
            OrganisationKind.MBO,
        ),
        ("Paspoort voor Succes samen invullen", AgreementParty.SCHOOL, "paspoort", None),
        ("Toestemming geven voor de overdracht", AgreementParty.OUDER, "toestemming", None),
        (
            "Warme overdracht met de nieuwe school",
            AgreementParty.SCHOOL,
            "warme_overdracht",
            OrganisationKind.MBO,
        ),
    ),
    Route.ARBEID: (
        (
            "Gesprek met het stagebedrijf over een baan",
            AgreementParty.SCHOOL,
            "stagegesprek",
            OrganisationKind.WERKGEVER,
        ),
        (
            "Bespreken in het uitstroomoverleg",
            AgreementParty.GEMEENTE,
            "uitstroomoverleg",
            OrganisationKind.GEMEENTE,
        ),
        (
            "Laatste stage bij een bedrijf met kans op werk",
            AgreementParty.LEERLING,
            "laatste_stage",
            None,
        ),
        (
            "Jobcoach aanvragen voor de eerste maanden",
            AgreementParty.JOBCOACH,
            "",
            OrganisationKind.JOBCOACH,
        ),
    ),
    Route.DAGBESTEDING: (
        ("Kennismaken bij de dagbesteding", AgreementParty.OUDER, "aanbieder_dagbesteding", None),
        ("Paspoort voor Succes samen invullen", AgreementParty.SCHOOL, "paspoort", None),
        (
            "Indicatie aanvragen bij de gemeente",
            AgreementParty.GEMEENTE,
            "",
            OrganisationKind.GEMEENTE,
        ),
    ),
    Route.ONBEKEND: (
        ("Twee proefdagen plannen", AgreementParty.LEERLING, "", None),
        ("Keuzegesprek met ouders en mentor", AgreementParty.SCHOOL, "uitstroomdoel", None),
        (
            "Aanmelden bij het Doorstroompunt als er geen plek is",
            AgreementParty.SCHOOL,
            "",
            OrganisationKind.DOORSTROOMPUNT,
        ),
    ),
}
_RECEIVER_OF_ROUTE = {
    Route.DOORLEREN: (Receiver.MBO, OrganisationKind.MBO),
    Route.ARBEID: (Receiver.WERKGEVER, OrganisationKind.WERKGEVER),
    Route.DAGBESTEDING: (Receiver.GEMEENTE, OrganisationKind.GEMEENTE),
    Route.ONBEKEND: (Receiver.GEMEENTE, OrganisationKind.GEMEENTE),
}
_ALL = frozenset(Section)


def _long(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# One pupil with very long texts: the documents must wrap and break pages cleanly.
_LONG_PASPOORT = {
    "wie": _long(
        "Ik ben iemand die graag dingen met zijn handen maakt. Thuis repareer ik fietsen voor "
        "de hele straat, en als er iets kapot is, vragen mijn buren of ik even wil kijken. "
        "Ik vind het fijn als ik aan het eind van de dag kan zien wat ik gedaan heb.",
        "In mijn vrije tijd zit ik bij de scouting. Daar ben ik sinds dit jaar ook "
        "leiding bij de welpen. Dat vond ik eerst spannend, maar het gaat goed: de kinderen "
        "luisteren naar me en ik bedenk zelf spelletjes voor de opkomst op zaterdag.",
        "Mijn vrienden zeggen dat ik rustig ben en dat je op me kunt rekenen. Mijn moeder "
        "zegt dat ik soms te lang blijf doorwerken en dan vergeet te eten. Daar let ik nu op.",
    ),
    "kan": _long(
        "Ik kan goed en netjes werken. Op mijn stage in de fietsenwerkplaats mocht ik na een "
        "paar weken zelf banden plakken, remmen afstellen en versnellingen nakijken. De "
        "monteur zei dat ik beter werk dan sommige mensen die er al jaren zijn.",
        "Ik kan goed plannen als ik een lijstje heb. Ik schrijf op wat ik moet doen en streep "
        "het door als het klaar is. Zo vergeet ik niets en weet ik wat er nog moet.",
        "Met rekenen heb ik het diploma niveau 1F gehaald. Lezen gaat goed als de tekst niet "
        "te lang is. Ik kan een werkbon invullen en een bestelling controleren.",
        "Ik kan goed met klanten praten als ik weet wat ik moet zeggen. Aan de balie heb ik "
        "geleerd om vriendelijk te groeten, te vragen wat er is en het op te schrijven.",
    ),
    "wil": _long(
        "Ik wil de opleiding fietstechnicus doen op niveau 2, het liefst in de bbl, zodat ik "
        "vier dagen kan werken en één dag naar school ga. Het stagebedrijf wil me graag "
        "houden als leerling.",
        "Later wil ik misschien een eigen werkplaats. Daarvoor wil ik ook leren hoe je een "
        "bedrijf runt: inkopen, prijzen bepalen en de boekhouding.",
    ),
    "nodig": _long(
        "Ik heb duidelijke uitleg nodig, in kleine stappen. Als iemand het één keer voordoet, "
        "kan ik het daarna zelf. Als er te veel tegelijk gezegd wordt, raak ik het overzicht kwijt.",
        "Ik heb een vaste plek nodig en een vast aanspreekpunt. Als mijn rooster verandert, "
        "wil ik dat graag een dag van tevoren weten, dan kan ik me erop voorbereiden.",
        "Bij toetsen heb ik extra tijd nodig en het helpt als ik in een rustig lokaal mag zitten.",
    ),
    "keuze": _long(
        "In het derde jaar heb ik drie stages gedaan: in een supermarkt, bij een hovenier en "
        "in de fietsenwerkplaats. In de werkplaats voelde ik me meteen op mijn plek.",
        "Met mijn mentor, mijn ouders en de praktijkopleider hebben we besproken wat ik goed "
        "kan en wat ik leuk vind. Samen hebben we gekozen voor de bbl-opleiding.",
        "We hebben ook gekeken naar werken zonder opleiding, maar met een diploma heb ik later "
        "meer keus. Daarom gaan we voor doorleren, met werken erbij.",
    ),
    "aanpak": _long(
        "Eerst voordoen, dan samen doen, dan zelf doen. Zo leer ik het snelst.",
        "Een lijstje op papier met de taken van de dag. Aan het eind van de dag even kort "
        "terugkijken: wat ging goed, wat kan beter.",
        "Complimenten helpen: als ik hoor dat iets goed gaat, durf ik meer.",
    ),
    "aanpassingen": _long(
        "Een koptelefoon als het druk en lawaaierig is in de werkplaats.",
        "Extra tijd bij toetsen en de vragen ook op papier.",
        "Pauzes op vaste tijden, zodat ik niet vergeet te eten en te drinken.",
    ),
}
_LONG_AGREEMENTS: tuple[tuple[str, AgreementParty, str, OrganisationKind | None], ...] = (
    (
        "Aanmelden bij het mbo voor de opleiding fietstechnicus (bbl)",
        AgreementParty.LEERLING,
        "aanmelden_mbo",
        None,
    ),
    (
        "Intakegesprek bij het mbo voeren, met een ouder erbij",
        AgreementParty.MBO,
        "intake_mbo",
        OrganisationKind.MBO,
    ),
    (
        "Met het stagebedrijf praten over een leerbaan in de bbl",
        AgreementParty.SCHOOL,
        "stagegesprek",
        OrganisationKind.WERKGEVER,
    ),
    (
        "Laatste stage in de fietsenwerkplaats, vier dagen per week",
        AgreementParty.LEERLING,
        "laatste_stage",
        None,
    ),
    (
        "Paspoort voor Succes samen met de leerling en ouders invullen",
        AgreementParty.SCHOOL,
        "paspoort",
        None,
    ),
    (
        "Toestemming geven voor de overdracht aan het mbo en het leerbedrijf",
        AgreementParty.OUDER,
        "toestemming",
        None,
    ),
    (
        "Bespreken in het uitstroomoverleg met de gemeente",
        AgreementParty.GEMEENTE,
        "uitstroomoverleg",
        OrganisationKind.GEMEENTE,
    ),
    (
        "Warme overdracht: gesprek met mentor, leerling en de nieuwe studieloopbaanbegeleider",
        AgreementParty.SCHOOL,
        "warme_overdracht",
        OrganisationKind.MBO,
    ),
    ("Na de zomer een keer bellen hoe het gaat", AgreementParty.SCHOOL, "contact_na_school", None),
)


def insert_demo_handover(
    session: Session, rows: list[PupilRow], today: date, rng: random.Random
) -> None:
    """The address book, and for most pupils a paspoort, a transitieplan, credentials, what
    they learned on stage and consents (some for everything, some without the sensitive
    parts, some none; one legal task for the Doorstroompunt)."""
    contacts: dict[OrganisationKind, list[tuple[OrganisationRow, ContactPersonRow]]] = {}
    by_name: dict[str, OrganisationRow] = {}
    gemeenten: list[OrganisationRow] = []
    contact: ContactPersonRow | None
    for kind, name, serves, address, people in DEMO_ADDRESS_BOOK:
        organisation = OrganisationRow(
            name=name,
            kind=kind.value,
            serves=serves,
            address=address,
            phone="030 000 00 00",
            email="",
            note="",
        )
        for person, function in people:
            contact = ContactPersonRow(
                name=person,
                function=function,
                phone=f"06 {rng.randrange(10000000, 99999999)}",
                email=f"{_ascii(person.split()[0])}@voorbeeld.nl",
            )
            organisation.contacts.append(contact)
            contacts.setdefault(kind, []).append((organisation, contact))
        session.add(organisation)
        by_name[name] = organisation
        if kind is OrganisationKind.GEMEENTE:
            gemeenten.append(organisation)
    session.flush()

    long_pupil = next(
        (r for r in rows if not (r.roepnaam + r.achternaam).isascii()), rows[0] if rows else None
    )
    legal_task_given = False
    for index, row in enumerate(rows):
        route = enum_or_route(row.route.route if row.route is not None else "")
        is_long = row is long_pupil
        if not is_long and index % 8 == 7:
            continue  # a few pupils have nothing yet: the screens show how to start
        done_codes = {t.code: t for t in row.tasks}

        if is_long:
            texts = dict(_LONG_PASPOORT)
            agreements = _LONG_AGREEMENTS
            goals = (
                "Diploma of certificaten halen voor de zomer\n"
                "Een goede plek vinden voor na school: opleiding met werken erbij\n"
                "Zelfstandig met het openbaar vervoer naar stage en school\n"
                "Leren om zelf hulp te vragen als iets niet lukt"
            )
        else:
            texts = {
                "wie": rng.choice(_WIE),
                "kan": rng.choice(_KAN),
                "wil": _WIL[route],
                "nodig": rng.choice(_NODIG) if rng.random() < 0.7 else "",
                "keuze": rng.choice(_KEUZE),
                "aanpak": rng.choice(_AANPAK),
                "aanpassingen": rng.choice(_AANPASSINGEN) if rng.random() < 0.5 else "",
            }
            agreements = _AGREEMENTS[route]
            goals = {
                Route.DOORLEREN: "Aanmelden en toegelaten worden bij het mbo\nStage goed afronden",
                Route.ARBEID: "Een baan vinden, liefst bij het stagebedrijf\nZelfstandig naar het werk reizen",
                Route.DAGBESTEDING: "Een passende dagbestedingsplek vinden\nRustig wennen aan de nieuwe plek",
                Route.ONBEKEND: "Kiezen tussen werk en een opleiding\nTwee proefdagen doen",
            }[route]
        session.add(
            PaspoortRow(pupil_id=row.id, updated_on=today, updated_by=DEMO_COORDINATOR, **texts)
        )
        session.add(
            TransitieplanRow(
                pupil_id=row.id, goals=goals, updated_on=today, updated_by=DEMO_COORDINATOR
            )
        )
        for position, (what, party, code, agreement_kind) in enumerate(agreements):
            contact = _demo_contact(contacts, agreement_kind, row, rng)
            task = done_codes.get(code)
            session.add(
                AgreementRow(
                    pupil_id=row.id,
                    position=position,
                    what=what,
                    party=party.value,
                    due=task.due if task is not None else None,
                    contact_id=contact.id if contact is not None else None,
                    task_code=code if task is not None else "",
                )
            )
        receiver, kind = _RECEIVER_OF_ROUTE[route]
        plan_kinds = {kind, OrganisationKind.GEMEENTE} if route is Route.ARBEID else {kind}
        for plan_kind in sorted(plan_kinds, key=lambda k: k.value):
            contact = _demo_contact(contacts, plan_kind, row, rng)
            if contact is not None:
                session.add(
                    PlanContactRow(
                        pupil_id=row.id,
                        role=RECEIVER_ROLE[plan_kind].value,
                        contact_id=contact.id,
                    )
                )
        for stage in row.stages:
            stage.geleerd = _long(*_GELEERD) if is_long else rng.choice(_GELEERD)
        session.add(
            CredentialRow(
                pupil_id=row.id,
                kind=CredentialKind.CERTIFICAAT.value,
                name="Veilig werken (VCA-basis)",
                issued_on=date(today.year - (1 if today.month < 8 else 0), 6, 20),
                issuer="Examenbureau (voorbeeld)",
            )
        )
        if row.stages:
            session.add(
                CredentialRow(
                    pupil_id=row.id,
                    kind=CredentialKind.PRAKTIJKVERKLARING.value,
                    name=f"Praktijkverklaring {row.stages[0].leerbedrijf}",
                    issuer="SBB",
                )
            )
        # Consent: for everything, without the sensitive parts, or none yet.
        share = "alles" if is_long else rng.choice(("alles", "alles", "zonder", "zonder", "geen"))
        if route is Route.ONBEKEND and not legal_task_given:
            legal_task_given = True
            session.add(
                ConsentRow(
                    pupil_id=row.id,
                    receiver=Receiver.DOORSTROOMPUNT.value,
                    basis=LegalBasis.WETTELIJKE_TAAK.value,
                    sections="wie,kan,wil,contact",
                    given_on=today - timedelta(days=3),
                    consenter=None,
                    consenter_name="",
                    organisation_id=by_name["Doorstroompunt regio Utrecht"].id,
                    note="Nog geen plek na school: melding bij het Doorstroompunt.",
                )
            )
        if share == "geen":
            continue
        sections = _ALL if share == "alles" else _ALL - SENSITIVE_SECTIONS
        given_on = today - timedelta(days=rng.randrange(5, 60))
        consenter = required_consenter(row.geboortedatum, given_on)
        name = (
            f"{row.roepnaam} {row.tussenvoegsel} {row.achternaam}".replace("  ", " ")
            if consenter is Consenter.LEERLING
            else (row.guardians[0].name if row.guardians else "Ouder")
        )
        session.add(
            ConsentRow(
                pupil_id=row.id,
                receiver=receiver.value,
                basis=LegalBasis.TOESTEMMING.value,
                sections=",".join(s.value for s in Section if s in sections),
                given_on=given_on,
                consenter=consenter.value,
                consenter_name=name,
                organisation_id=None,
                note="",
            )
        )
    session.flush()


RECEIVER_ROLE = {
    OrganisationKind.MBO: ContactRole.MBO,
    OrganisationKind.GEMEENTE: ContactRole.GEMEENTE,
    OrganisationKind.WERKGEVER: ContactRole.WERKGEVER,
    OrganisationKind.JOBCOACH: ContactRole.JOBCOACH,
    OrganisationKind.DOORSTROOMPUNT: ContactRole.ANDERS,
    OrganisationKind.UWV: ContactRole.ANDERS,
    OrganisationKind.ANDERS: ContactRole.ANDERS,
}


def _demo_contact(
    contacts: dict[OrganisationKind, list[tuple[OrganisationRow, ContactPersonRow]]],
    kind: OrganisationKind | None,
    row: PupilRow,
    rng: random.Random,
) -> ContactPersonRow | None:
    """The gemeente team of the pupil's woongemeente, the mbo or werkgever of the route, else
    someone of that kind."""
    if kind is None or kind not in contacts:
        return None
    pairs = contacts[kind]
    wanted = ""
    if kind is OrganisationKind.MBO and row.route is not None:
        wanted = row.route.mbo_instelling
    elif kind is OrganisationKind.WERKGEVER and row.route is not None:
        wanted = row.route.werkgever
    for organisation, contact in pairs:
        serves = {part.strip().casefold() for part in organisation.serves.split(",")}
        if kind is OrganisationKind.GEMEENTE and row.woongemeente.casefold() in serves:
            return contact
        if wanted and organisation.name == wanted:
            return contact
    return pairs[rng.randrange(len(pairs))][1]


def enum_or_route(value: str) -> Route:
    return next((route for route in Route if route.value == value), Route.ONBEKEND)


# --- last school year's leavers, in nazorg ----------------------------------------------------

DEMO_LEAVERS = 30
_DESTINATIONS = {d.value: d for d in Destination}


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
            pupils.append(
                {
                    **values,
                    "cohort_id": cohort_id,
                    "created_at": now,
                    "updated_at": now,
                    "imported_values": {},
                    "mbo_opleiding": "",
                    "mbo_crebo": "",
                    "startkwalificatie": JaNeeOnbekend.NEE.value,
                    "ondersteuningsbehoefte": "",
                    "archived": True,
                    "version": 1,
                }
            )
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
            plans[pupil_id] = (left_on, _DESTINATIONS[where["destination"]], n)
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
