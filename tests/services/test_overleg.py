"""The uitstroomoverleg with the gemeente (issue 19, item 1), as a coordinator prepares and
holds it: the bespreeklijst names only pupils who may be shared with that gemeente, the
decisions become agreements and checklist tasks, the verslag says what was agreed."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from factories import dump, fixed_clock, make_pupil
from uitstroom.domain.enums import Instrument, Route, Uitstroomprofiel
from uitstroom.domain.handover import (
    AgreementParty,
    Consent,
    Consenter,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Receiver,
    Section,
)
from uitstroom.domain.model import RouteDetails, SchoolSettings, Stage
from uitstroom.domain.overleg import NO_CONSENT, Decision
from uitstroom.services.database import Database
from uitstroom.services.errors import ValidationError
from uitstroom.services.handover import HandoverService
from uitstroom.services.overleg import OverlegService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService

NOW = datetime(2027, 1, 18, 10, 0)
HELD = date(2027, 1, 20)
ACTOR = "Marloes Verbeek"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def add(database: Database, number: str, name: str, woont: str = "Utrecht", **changes) -> int:
    values = {
        "uitstroomprofiel": Uitstroomprofiel.ARBEID,
        "route": RouteDetails(
            route=Route.ARBEID,
            werkgever="Bakkerij Öztürk",
            instrumenten=frozenset({Instrument.JOBCOACH}),
        ),
        **changes,
    }
    pupil = make_pupil(leerlingnummer=number, roepnaam=name, woongemeente=woont, **values)
    created = PupilService(database.sessions, clock=fixed_clock(NOW)).create(pupil, "2026-2027")
    assert created.pupil.id is not None
    return created.pupil.id


def consent(database: Database, pupil_id: int) -> None:
    HandoverService(database.sessions, clock=fixed_clock(NOW)).record_consent(
        pupil_id,
        Consent(
            Receiver.GEMEENTE,
            LegalBasis.TOESTEMMING,
            frozenset({Section.WIE, Section.KAN}),
            date(2027, 1, 10),
            Consenter.LEERLING,
            "de leerling",
        ),
    )


@pytest.fixture
def meeting(database: Database) -> tuple[OverlegService, int, dict[str, int]]:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="Praktijkschool De Horizon", coordinator_name=ACTOR)
    )
    gemeente = HandoverService(database.sessions).save_organisation(
        Organisation("Werkplein Utrecht", OrganisationKind.GEMEENTE, serves="Utrecht, Zeist"),
    )
    assert gemeente.id is not None
    ids = {
        "Noa": add(database, "400001", "Noa"),
        "Sem": add(database, "400002", "Sem"),
        "Liam": add(database, "400003", "Liam"),
        "Eva": add(database, "400004", "Eva", woont="Amersfoort"),
        "Mila": add(
            database,
            "400005",
            "Mila",
            uitstroomprofiel=Uitstroomprofiel.VERVOLGONDERWIJS,
            route=RouteDetails(route=Route.DOORLEREN),
        ),
    }
    for name in ("Noa", "Sem", "Eva", "Mila"):
        consent(database, ids[name])
    PupilService(database.sessions, clock=fixed_clock(NOW)).save_stage(
        ids["Noa"],
        Stage(leerbedrijf="Tuincentrum De Linde", start=date(2026, 10, 1), end=date(2027, 3, 31)),
    )
    return OverlegService(database.sessions, clock=fixed_clock(NOW)), gemeente.id, ids


def test_the_bespreeklijst_names_only_pupils_with_a_basis_and_counts_the_others(
    meeting: tuple[OverlegService, int, dict[str, int]],
) -> None:
    service, gemeente, ids = meeting
    lijst = service.bespreeklijst(gemeente, NOW.date(), HELD)
    assert [row.pupil_id for row in lijst.rows] == [ids["Noa"], ids["Sem"]]
    assert lijst.unnamed == 1  # Liam: profile werk, lives in Utrecht, no consent
    noa = lijst.rows[0]
    assert noa.stage == "Tuincentrum De Linde (tot 31 maart 2027)"
    assert noa.instruments == (Instrument.JOBCOACH,)
    pdf = service.render_bespreeklijst(gemeente, NOW.date(), HELD)
    text = " ".join(text_of(pdf).split())
    for expected in (
        "Bespreeklijst uitstroomoverleg met Werkplein Utrecht",
        "overleg op 20 januari 2027",
        "Noa van der Meer",
        "Sem van der Meer",
        "Tuincentrum De Linde",
        "Route arbeid: Bakkerij Öztürk",
        "Jobcoach",
        "Voorgestelde instrumenten",
        f"1 leerling — {NO_CONSENT}.",
    ):
        assert expected in text, expected
    for absent in ("Liam", "Eva", "Mila"):
        assert absent not in text
    page = PdfReader(io.BytesIO(service.render_bespreeklijst(gemeente, NOW.date()))).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape


def test_a_decision_becomes_an_agreement_and_a_task_and_shows_in_the_verslag(
    database: Database, meeting: tuple[OverlegService, int, dict[str, int]]
) -> None:
    service, gemeente, ids = meeting
    overleg = service.start(gemeente, HELD, "Petra Hoekstra (klantmanager)")
    assert overleg.id is not None
    decided = service.decide(
        overleg.id,
        Decision(
            ids["Noa"],
            "aanvragen bij UWV",
            AgreementParty.GEMEENTE,
            date(2027, 3, 1),
            Instrument.DOELGROEPREGISTER,
        ),
    )
    assert decided.task_code == f"overleg-{decided.id}"
    plan = HandoverService(database.sessions).transitieplan(ids["Noa"])
    (agreement,) = [a for a in plan.agreements if a.task_code == decided.task_code]
    assert agreement.what == (
        "Doelgroepregister (Banenafspraak): aanvragen bij UWV (uitstroomoverleg Werkplein Utrecht)"
    )
    assert agreement.party is AgreementParty.GEMEENTE and agreement.due == date(2027, 3, 1)
    tasks = PlanningService(database.sessions, clock=fixed_clock(NOW)).tasks(ids["Noa"])
    (task,) = [t for t in tasks if t.code == decided.task_code]
    assert task.due == date(2027, 3, 1) and not task.done
    # The same meeting opened again is the same meeting, with its decision.
    again = service.start(gemeente, HELD, "Petra Hoekstra (klantmanager)")
    assert again.id == overleg.id and again.decisions == (decided,)

    verslag = text_of(service.render_verslag(overleg.id, HELD))
    for expected in (
        "Verslag uitstroomoverleg met Werkplein Utrecht",
        "20 januari 2027",
        "Aanwezig: Petra Hoekstra (klantmanager)",
        "Noa van der Meer",
        "Doelgroepregister (Banenafspraak): aanvragen bij UWV",
        "1 maart 2027",
        "1 van de leerlingen op de bespreeklijst heeft nog geen afspraak.",
        f"1 zonder naam besproken ({NO_CONSENT}).",
    ):
        assert expected in " ".join(verslag.split()), expected


def test_no_decision_by_name_without_consent_and_nothing_is_written(
    database: Database, meeting: tuple[OverlegService, int, dict[str, int]]
) -> None:
    service, gemeente, ids = meeting
    overleg = service.start(gemeente, HELD, "")
    assert overleg.id is not None
    before = dump(database)
    with pytest.raises(ValidationError, match="geen toestemming"):
        service.decide(
            overleg.id,
            Decision(ids["Liam"], "jobcoach zoeken", AgreementParty.SCHOOL, date(2027, 2, 1)),
        )
    with pytest.raises(ValidationError, match="voor het overleg"):
        service.decide(
            overleg.id,
            Decision(ids["Noa"], "", AgreementParty.SCHOOL, date(2027, 1, 19), Instrument.JOBCOACH),
        )
    assert dump(database) == before


def test_the_command_line_finds_the_gemeente_by_name(
    meeting: tuple[OverlegService, int, dict[str, int]], tmp_path: Path
) -> None:
    service, gemeente, _ = meeting
    assert service.find_gemeente("werkplein utrecht") == gemeente
    with pytest.raises(Exception, match="Er is geen gemeente 'Lekstroom'"):
        service.find_gemeente("Lekstroom")


def test_the_agreed_task_stays_through_a_route_change_and_a_new_checklist(
    database: Database, meeting: tuple[OverlegService, int, dict[str, int]]
) -> None:
    service, gemeente, ids = meeting
    overleg = service.start(gemeente, HELD, "")
    assert overleg.id is not None
    decided = service.decide(
        overleg.id,
        Decision(ids["Sem"], "", AgreementParty.GEMEENTE, date(2027, 3, 1), Instrument.JOBCOACH),
    )
    pupils = PupilService(database.sessions, clock=fixed_clock(NOW))
    record = pupils.record(ids["Sem"])
    pupils.save(dataclasses.replace(record.pupil, route=RouteDetails(route=Route.DOORLEREN)))
    planning = PlanningService(database.sessions, clock=fixed_clock(NOW))
    planning.save_templates(planning.templates())  # every checklist planned again
    (task,) = [t for t in planning.tasks(ids["Sem"]) if t.code == decided.task_code]
    assert task.due == date(2027, 3, 1) and task.title.startswith("Jobcoach")
