"""The nazorg tables as the services read them: Core table handles, stored values to enums, and
rows to the domain's files, moments, calls and signals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from uitstroom.domain.enums import (
    SchoolType,
)
from uitstroom.domain.handover import (
    ContactRole,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    DEFAULT_OFFSETS,
    CallRecord,
    Leaving,
    NazorgFile,
    NazorgMoment,
    Signal,
    SpareContact,
)
from uitstroom.services.convert import from_columns, instruments_of
from uitstroom.services.errors import (
    GONE,
    NotFoundError,
)
from uitstroom.storage.models import (
    CohortRow,
    ContactPersonRow,
    GuardianRow,
    LeavingRow,
    NazorgCallRow,
    NazorgMomentRow,
    NazorgSignalRow,
    OrganisationRow,
    PlanContactRow,
    PupilRow,
    RouteRow,
    SchoolSettingsRow,
    StageRow,
)

NO_FILE = (
    "Van deze leerling is nog geen vertrek vastgelegd. Leg eerst de uitstroomdatum en de "
    "bestemming vast."
)
LEAVING = cast(Table, LeavingRow.__table__)
MOMENTS = cast(Table, NazorgMomentRow.__table__)
CALLS = cast(Table, NazorgCallRow.__table__)
SIGNALS = cast(Table, NazorgSignalRow.__table__)
PUPILS = cast(Table, PupilRow.__table__)
COHORTS = cast(Table, CohortRow.__table__)
ROUTES = cast(Table, RouteRow.__table__)


# --- reading and writing inside a transaction ---------------------------------------------------


def in_chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stored_school_type(session: Session) -> SchoolType:
    row = session.get(SchoolSettingsRow, 1)
    return row.school_type if row else SchoolType.PRO


def school_offsets(session: Session) -> tuple[int, ...]:
    row = session.get(SchoolSettingsRow, 1)
    school_type = row.school_type if row else SchoolType.PRO
    text = (row.nazorg_offsets or "") if row is not None else ""
    own = tuple(sorted({int(part) for part in text.split(",") if part.strip().isdigit()}))
    return own or DEFAULT_OFFSETS[school_type]


def load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def load_leaving(session: Session, pupil_id: int) -> LeavingRow:
    row = session.scalar(select(LeavingRow).where(LeavingRow.pupil_id == pupil_id))
    if row is None:
        raise NotFoundError(NO_FILE)
    return row


def load_moment(session: Session, moment_id: int) -> NazorgMomentRow:
    row = session.get(NazorgMomentRow, moment_id)
    if row is None:
        raise NotFoundError("Dit nazorggesprek bestaat niet meer. Open de leerling opnieuw.")
    return row


def moment_of(row: Any) -> NazorgMoment:
    return from_columns(NazorgMoment, row, moved_reason=row.moved_reason or "")


def call_of(row: Any) -> CallRecord:
    return CallRecord(
        on=row.called_on,
        reached=bool(row.reached),
        channel=row.channel,
        status=row.status,
        same_place=row.same_place,
        wants_help=row.wants_help,
        note=row.note or "",
        by=row.by or "",
        moment_id=row.moment_id,
        id=row.id,
        logged_on=row.created_at.date() if row.created_at is not None else None,
    )


def signal_of(row: Any) -> Signal:
    return from_columns(Signal, row, sent_to=row.sent_to or "")


def _leaving(row: Any) -> Leaving:
    return Leaving(
        left_on=row.left_on,
        destination=row.destination,
        employer=row.employer or "",
        contract=row.contract,
        instruments=instruments_of(row.instruments or ""),
        mbo_instelling=row.mbo_instelling or "",
        opleiding=row.opleiding or "",
        niveau=row.niveau,
        leerweg=row.leerweg,
        note=row.note or "",
    )


def files_of(session: Session, pupil_ids: Sequence[int] | None) -> list[NazorgFile]:
    """Files of these pupils (every leaver when None), by name, in four queries."""
    connection = session.connection()
    heads_query = (
        select(
            LEAVING,
            PUPILS.c.roepnaam,
            PUPILS.c.tussenvoegsel,
            PUPILS.c.achternaam,
            PUPILS.c.mentor,
        )
        .select_from(LEAVING)
        .join(PUPILS, PUPILS.c.id == LEAVING.c.pupil_id)
    )
    moments_query = select(MOMENTS).order_by(MOMENTS.c.due, MOMENTS.c.id)
    calls_query = select(CALLS).order_by(CALLS.c.called_on, CALLS.c.id)
    signals_query = select(SIGNALS).order_by(SIGNALS.c.created_on, SIGNALS.c.id)
    if pupil_ids is not None:
        ids = list(pupil_ids)
        heads_query = heads_query.where(LEAVING.c.pupil_id.in_(ids))
        moments_query = moments_query.where(MOMENTS.c.pupil_id.in_(ids))
        calls_query = calls_query.where(CALLS.c.pupil_id.in_(ids))
        signals_query = signals_query.where(SIGNALS.c.pupil_id.in_(ids))
    heads = connection.execute(heads_query).all()
    moments: dict[int, list[NazorgMoment]] = defaultdict(list)
    for row in connection.execute(moments_query):
        moments[row.pupil_id].append(moment_of(row))
    calls: dict[int, list[CallRecord]] = defaultdict(list)
    for row in connection.execute(calls_query):
        calls[row.pupil_id].append(call_of(row))
    signals: dict[int, list[Signal]] = defaultdict(list)
    for row in connection.execute(signals_query):
        signals[row.pupil_id].append(signal_of(row))
    files = [
        NazorgFile(
            pupil_id=head.pupil_id,
            name=full_name(head.roepnaam, head.tussenvoegsel, head.achternaam),
            leaving=_leaving(head),
            moments=tuple(moments.get(head.pupil_id, ())),
            calls=tuple(calls.get(head.pupil_id, ())),
            signals=tuple(signals.get(head.pupil_id, ())),
            state=head.state,
            closed_on=head.closed_on,
            waakvlam=bool(head.waakvlam),
            mentor=head.mentor or "",
        )
        for head in heads
    ]
    return sorted(files, key=lambda f: (f.name.casefold(), f.pupil_id))


def pupil_nazorg(session: Session, pupil_id: int) -> NazorgFile | None:
    """One pupil's nazorg file inside the caller's session (for the inzage)."""
    found = files_of(session, [pupil_id])
    return found[0] if found else None


def file_in_list(session: Session, pupil_id: int) -> NazorgFile:
    found = files_of(session, [pupil_id])
    if not found:
        if session.get(PupilRow, pupil_id) is None:
            raise NotFoundError(GONE)
        raise NotFoundError(NO_FILE)
    return found[0]


def spare_contacts_of(session: Session, pupil_id: int) -> list[SpareContact]:
    """Who can tell how the young person is doing: parents, the employer (route or stage) and
    the jobcoach or employer from the transitieplan's contacts."""
    found: list[SpareContact] = []
    for guardian in session.scalars(
        select(GuardianRow).where(GuardianRow.pupil_id == pupil_id).order_by(GuardianRow.position)
    ):
        found.append(
            SpareContact(
                guardian.relation.capitalize() or "Ouder/verzorger",
                guardian.name,
                guardian.phone,
                guardian.email,
            )
        )
    plan_rows = session.execute(
        select(PlanContactRow.role, ContactPersonRow, OrganisationRow.name)
        .join(ContactPersonRow, ContactPersonRow.id == PlanContactRow.contact_id)
        .join(OrganisationRow, OrganisationRow.id == ContactPersonRow.organisation_id)
        .where(
            PlanContactRow.pupil_id == pupil_id,
            PlanContactRow.role.in_([ContactRole.JOBCOACH.value, ContactRole.WERKGEVER.value]),
        )
    ).all()
    for role, contact, organisation in plan_rows:
        who = "Jobcoach" if role == ContactRole.JOBCOACH.value else "Werkgever"
        found.append(
            SpareContact(who, f"{contact.name} ({organisation})", contact.phone, contact.email)
        )
    has_employer = any(c.who == "Werkgever" for c in found)
    if not has_employer:
        employer = session.scalar(
            select(LeavingRow.employer).where(LeavingRow.pupil_id == pupil_id)
        )
        stage = session.scalars(
            select(StageRow).where(StageRow.pupil_id == pupil_id).order_by(StageRow.id.desc())
        ).first()
        route_employer = session.scalar(
            select(RouteRow.werkgever).where(RouteRow.pupil_id == pupil_id)
        )
        name = employer or route_employer or ""
        if stage is not None and (not name or stage.leerbedrijf == name):
            person = (
                f"{stage.contactpersoon} ({stage.leerbedrijf})"
                if stage.contactpersoon
                else stage.leerbedrijf
            )
            found.append(
                SpareContact("Werkgever", person, stage.contact_telefoon, stage.contact_email)
            )
        elif name:
            found.append(SpareContact("Werkgever", name))
    return found
