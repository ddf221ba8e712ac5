"""Enum columns (storage.types.StoredEnum): what the screen gets for a text this version does
not know, and that reading or copying never rewrites what is stored."""

from __future__ import annotations

from sqlalchemy import text

from factories import make_pupil
from uitstroom.domain.enums import Route
from uitstroom.domain.model import RouteDetails
from uitstroom.services.pupils import PupilService
from uitstroom.services.server import table_checks


def test_an_unknown_route_reads_as_onbekend_and_stays_stored_as_written(database) -> None:
    service = PupilService(database.sessions)
    pupil = service.create(make_pupil(route=RouteDetails(route=Route.ARBEID)), "2026-2027")
    pupil_id = pupil.pupil.id
    assert service.record(pupil_id).pupil.route.route is Route.ARBEID
    with database.sessions.begin() as session:
        # As a newer program on the school's server might write it.
        session.execute(
            text("UPDATE route SET route = 'werkleerplek' WHERE pupil_id = :id"), {"id": pupil_id}
        )

    assert service.record(pupil_id).pupil.route.route is Route.ONBEKEND
    summary = next(s for s in service.summaries() if s.id == pupil_id)
    assert summary.route is Route.ONBEKEND
    with database.sessions() as session:
        stored = session.execute(
            text("SELECT route FROM route WHERE pupil_id = :id"), {"id": pupil_id}
        ).scalar_one()
        before = table_checks(session.connection())
    assert stored == "werkleerplek"
    # The server copy's check reads the text as stored: the unknown value counts as itself.
    with database.sessions.begin() as session:
        session.execute(
            text("UPDATE route SET route = 'onbekend' WHERE pupil_id = :id"), {"id": pupil_id}
        )
    with database.sessions() as session:
        after = table_checks(session.connection())
    route_before = next(c for c in before if c.table == "route")
    route_after = next(c for c in after if c.table == "route")
    assert route_before.checksum != route_after.checksum


def test_a_pupil_without_route_row_has_no_route_yet(database) -> None:
    service = PupilService(database.sessions)
    record = service.create(make_pupil(), "2026-2027")
    with database.sessions.begin() as session:
        session.execute(text("DELETE FROM route WHERE pupil_id = :id"), {"id": record.pupil.id})
    summary = next(s for s in service.summaries() if s.id == record.pupil.id)
    assert summary.route is Route.ONBEKEND
