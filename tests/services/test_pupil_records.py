"""A coordinator adds and edits pupils; what they see afterwards comes from a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from factories import dump, fixed_clock, make_database, make_pupil
from pg import Backend
from uitstroom.domain.actor import coordinator
from uitstroom.domain.enums import Route
from uitstroom.domain.model import RouteDetails, Stage
from uitstroom.services.errors import ConflictError, ValidationError
from uitstroom.services.pupils import PupilService


@pytest.fixture
def service(tmp_path: Path, backend: Backend) -> PupilService:
    db = make_database(tmp_path, backend=backend)
    yield PupilService(db.sessions, clock=fixed_clock(), actor=coordinator("Marloes"))
    db.close()


def test_new_pupil_appears_in_the_cohort_list(service: PupilService) -> None:
    record = service.create(make_pupil(), "2026-2027")
    assert record.pupil.name == "Zoë van der Meer"
    assert record.pupil.cohort_label == "2026-2027"
    assert [s.name for s in service.summaries()] == ["Zoë van der Meer"]
    assert record.timeline[0].text == "Leerling toegevoegd."
    assert record.timeline[0].author == "Marloes"


def test_duplicate_leerlingnummer_is_refused_in_dutch(service: PupilService) -> None:
    service.create(make_pupil(), "2026-2027")
    with pytest.raises(ValidationError, match="Leerlingnummer 200001 bestaat al"):
        service.create(make_pupil(roepnaam="Daan"), "2026-2027")
    assert len(service.summaries()) == 1


def test_invalid_pupil_writes_nothing(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    service = PupilService(db.sessions, clock=fixed_clock())
    before = dump(db)
    with pytest.raises(ValidationError) as refused:
        service.create(make_pupil(achternaam="", geboortedatum=date(2030, 1, 1)), "2026-2027")
    assert "Vul de achternaam in." in refused.value.problems
    db.close()
    assert dump(db) == before


def test_route_change_keeps_its_reason_in_the_history(service: PupilService) -> None:
    pupil = service.create(make_pupil(), "2026-2027").pupil
    changed = replace(pupil, route=RouteDetails(route=Route.DOORLEREN, opleiding="Entree"))
    record = service.save(changed, route_reason="Bijstelling in januari: wil koken")
    assert record.pupil.route.route is Route.DOORLEREN
    (history,) = record.route_history
    assert (history.old_route, history.new_route) == (Route.ONBEKEND, Route.DOORLEREN)
    assert history.reason == "Bijstelling in januari: wil koken"
    assert history.changed_on == date(2026, 11, 23)
    assert record.timeline[-1].text == "Gegevens gewijzigd: route."


def test_saving_without_changes_adds_nothing_to_the_timeline(service: PupilService) -> None:
    record = service.create(make_pupil(), "2026-2027")
    again = service.save(record.pupil)
    assert len(again.timeline) == 1
    assert again.pupil.version == record.pupil.version


def test_a_stale_edit_is_refused_instead_of_overwriting(service: PupilService) -> None:
    pupil = service.create(make_pupil(), "2026-2027").pupil
    colleague = service.alongside(PupilService, coordinator("collega"))
    colleague.save(replace(pupil, klas="PRO4B"))
    with pytest.raises(ConflictError, match=r"Iemand anders \(collega\) heeft deze leerling net"):
        service.save(replace(pupil, mentor="dhr. P. Lindeman"))
    current = service.record(pupil.id).pupil
    assert (current.klas, current.mentor) == ("PRO4B", "mw. A. Kramer")


def test_guardians_are_kept_in_order_and_empty_rows_dropped(service: PupilService) -> None:
    pupil = service.create(make_pupil(), "2026-2027").pupil
    guardians = (
        *pupil.guardians,
        replace(pupil.guardians[0], name="dhr. K. Çelik", relation="vader"),
    )
    saved = service.save(replace(pupil, guardians=guardians)).pupil
    assert [g.name for g in saved.guardians] == ["mw. I. van der Meer", "dhr. K. Çelik"]


def test_stages_and_notes(service: PupilService) -> None:
    pupil = service.create(make_pupil(), "2026-2027").pupil
    stage = Stage(leerbedrijf="Bakkerij Ōtsuka", start=date(2026, 9, 1), end=date(2027, 3, 31))
    record = service.save_stage(pupil.id, stage)
    assert [s.leerbedrijf for s in record.stages] == ["Bakkerij Ōtsuka"]
    record = service.save_stage(pupil.id, replace(record.stages[0], dagen_per_week=3))
    assert record.stages[0].dagen_per_week == 3
    with pytest.raises(ValidationError, match="vóór de begindatum"):
        service.save_stage(pupil.id, replace(stage, end=date(2026, 8, 1)))
    record = service.add_note(pupil.id, "Belde moeder: stage gaat goed.")
    assert record.timeline[-1].text == "Belde moeder: stage gaat goed."
    record = service.delete_stage(pupil.id, record.stages[0].id)
    assert record.stages == ()
    assert record.timeline[-1].text == "Stage verwijderd: Bakkerij Ōtsuka."
