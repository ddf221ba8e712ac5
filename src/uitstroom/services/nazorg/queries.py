"""What the agenda, the figures and the calendar read: a few indexed queries each, no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.domain.actor import Actor
from uitstroom.domain.enums import (
    Route,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    CallRecord,
    FileState,
    Leaver,
    Leaving,
    NazorgFile,
    NazorgMoment,
    Observation,
    week_end,
)
from uitstroom.services.access import (
    pupil_scope,
)
from uitstroom.services.nazorg.rows import (
    CALLS,
    COHORTS,
    LEAVING,
    MOMENTS,
    PUPILS,
    ROUTES,
    in_chunks,
)

# --- the anonymous workbook ------------------------------------------------------------------


# --- what the agenda, the figures and the calendar read ---------------------------------


def due_files(session: Session, today: date, mentor: str | None, actor: Actor) -> list[NazorgFile]:
    """The open files with a call due by Sunday, holding only those moments and their calls:
    what domain.nazorg.agenda needs, read with two indexed queries."""
    connection = session.connection()
    where = [
        MOMENTS.c.done_on.is_(None),
        MOMENTS.c.due <= week_end(today),
        LEAVING.c.state == FileState.OPEN.value,
    ]
    if mentor:
        where.append(PUPILS.c.mentor == mentor)
    if not actor.is_coordinator:
        where.append(pupil_scope(session, actor))
    rows = connection.execute(
        select(
            MOMENTS.c.pupil_id,
            MOMENTS.c.id,
            MOMENTS.c.months,
            MOMENTS.c.due,
            MOMENTS.c.original_due,
            PUPILS.c.roepnaam,
            PUPILS.c.tussenvoegsel,
            PUPILS.c.achternaam,
            PUPILS.c.mentor,
            LEAVING.c.left_on,
            LEAVING.c.destination,
        )
        .select_from(MOMENTS)
        .join(LEAVING, LEAVING.c.pupil_id == MOMENTS.c.pupil_id)
        .join(PUPILS, PUPILS.c.id == MOMENTS.c.pupil_id)
        .where(*where)
    ).all()
    pupil_ids = {row[0] for row in rows}
    calls: dict[int, list[CallRecord]] = defaultdict(list)
    for chunk in in_chunks(sorted(pupil_ids), 900):
        for pupil_id, on, reached, channel, status, call_id in connection.execute(
            select(
                CALLS.c.pupil_id,
                CALLS.c.called_on,
                CALLS.c.reached,
                CALLS.c.channel,
                CALLS.c.status,
                CALLS.c.id,
            )
            .where(CALLS.c.pupil_id.in_(chunk))
            .order_by(CALLS.c.called_on, CALLS.c.id)
        ):
            calls[pupil_id].append(
                CallRecord(
                    on,
                    reached,
                    channel,
                    status,
                    id=call_id,
                )
            )
    moments: dict[int, list[NazorgMoment]] = defaultdict(list)
    heads: dict[int, Any] = {}
    for row in rows:
        moments[row[0]].append(NazorgMoment(row[2], row[3], row[4], id=row[1]))
        heads[row[0]] = row
    files = [
        NazorgFile(
            pupil_id=pupil_id,
            name=full_name(head[5], head[6], head[7]),
            leaving=Leaving(head[9], head[10]),
            moments=tuple(moments[pupil_id]),
            calls=tuple(calls.get(pupil_id, ())),
            signals=(),
            mentor=head[8],
        )
        for pupil_id, head in heads.items()
    ]
    return files


def cohort_leavers(session: Session, cohort_label: str) -> list[Leaver]:
    """A cohort's leavers as the figures need them: dates, route, destination and the
    reached calls; nothing that names them."""
    connection = session.connection()
    heads = connection.execute(
        select(LEAVING.c.pupil_id, LEAVING.c.left_on, LEAVING.c.destination, ROUTES.c.route)
        .select_from(LEAVING)
        .join(PUPILS, PUPILS.c.id == LEAVING.c.pupil_id)
        .join(COHORTS, COHORTS.c.id == PUPILS.c.cohort_id)
        .outerjoin(ROUTES, ROUTES.c.pupil_id == LEAVING.c.pupil_id)
        .where(COHORTS.c.label == cohort_label)
    ).all()
    seen: dict[int, list[Observation]] = defaultdict(list)
    in_cohort = (
        select(PUPILS.c.id)
        .join(COHORTS, COHORTS.c.id == PUPILS.c.cohort_id)
        .where(COHORTS.c.label == cohort_label)
    )
    for pupil_id, on, status, same_place in connection.execute(
        select(CALLS.c.pupil_id, CALLS.c.called_on, CALLS.c.status, CALLS.c.same_place)
        .where(
            CALLS.c.pupil_id.in_(in_cohort),
            CALLS.c.reached.is_(True),
            CALLS.c.status.is_not(None),
        )
        .order_by(CALLS.c.called_on, CALLS.c.id)
    ):
        if status is not None:
            seen[pupil_id].append(Observation(on, status, same_place))
    return [
        Leaver(
            left_on,
            (route or Route.ONBEKEND).label,
            destination,
            tuple(seen.get(pupil_id, ())),
        )
        for pupil_id, left_on, destination, route in heads
    ]


def open_moment_rows(session: Session, mentor: str | None, actor: Actor) -> Sequence[Any]:
    """(moment id, months, due, roepnaam, achternaam, klas) of every open call of an open
    file, by due date: what the calendar file says, and no more."""
    where = [
        MOMENTS.c.done_on.is_(None),
        LEAVING.c.state == FileState.OPEN.value,
        pupil_scope(session, actor),
    ]
    if mentor:
        where.append(PUPILS.c.mentor == mentor)
    return session.execute(
        select(
            MOMENTS.c.id,
            MOMENTS.c.months,
            MOMENTS.c.due,
            PUPILS.c.roepnaam,
            PUPILS.c.achternaam,
            PUPILS.c.klas,
        )
        .select_from(MOMENTS)
        .join(LEAVING, LEAVING.c.pupil_id == MOMENTS.c.pupil_id)
        .join(PUPILS, PUPILS.c.id == MOMENTS.c.pupil_id)
        .where(*where)
        .order_by(MOMENTS.c.due, MOMENTS.c.id)
    ).all()
