"""Read queries that return plain rows, for lists that must be fast."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from uitstroom.storage.models import CohortRow, PupilRow, RouteRow


def pupil_summary_rows(session: Session, limit: int | None = None) -> Sequence[Any]:
    """Every pupil's row for the cohort table, by name; the first `limit` only when given."""
    statement = (
        select(
            PupilRow.id,
            PupilRow.leerlingnummer,
            PupilRow.roepnaam,
            PupilRow.tussenvoegsel,
            PupilRow.achternaam,
            PupilRow.klas,
            PupilRow.mentor,
            PupilRow.uitstroomprofiel,
            PupilRow.mbo_opleiding,
            RouteRow.route,  # no route row yet: Route.ONBEKEND
            PupilRow.archived,
            CohortRow.label.label("cohort_label"),
            PupilRow.geboortedatum,
            PupilRow.mbo_crebo,
            PupilRow.mbo_niveau,
            PupilRow.mbo_leerweg,
        )
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .outerjoin(RouteRow, RouteRow.pupil_id == PupilRow.id)
        .order_by(PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
        .limit(limit)
    )
    # Through the connection, not the ORM: plain rows, without the ORM's loading per row.
    return session.connection().execute(statement).all()


def mentors_and_klassen(session: Session) -> Sequence[Any]:
    """Each (mentor, klas) pair once, read from the pupils table alone."""
    statement = select(PupilRow.mentor, PupilRow.klas).distinct()
    return session.connection().execute(statement).all()


def pupil_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PupilRow)) or 0
