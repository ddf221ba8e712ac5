"""Writing nazorg inside the caller's transaction: the leaving record, its planned moments, and
the calls with what they change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from uitstroom.domain.handover import RECEIVER_OF_KIND, Receiver
from uitstroom.domain.nazorg import (
    CORRECTION_TOO_LATE,
    STATUS_OF_DESTINATION,
    CallRecord,
    CallStatus,
    Destination,
    FileState,
    Leaving,
    Signal,
    add_months,
    alarm_fires,
    call_correctable,
    last_known_status,
    moment_for_call,
    nazorg_plan,
    signal_to,
    waakvlam_months,
)
from uitstroom.services.errors import (
    NotFoundError,
    ValidationError,
)
from uitstroom.services.nazorg.rows import (
    CALLS,
    MOMENTS,
    NO_FILE,
    SIGNALS,
    call_of,
    file_in_list,
    school_offsets,
    stored_school_type,
)
from uitstroom.storage.models import (
    LeavingRow,
    NazorgSignalRow,
    OrganisationRow,
    PupilRow,
)

# --- rules the service adds ----------------------------------------------------------------


def reason_problems(reason: str) -> list[str]:
    if not reason.strip():
        return [
            "Schrijf kort waarom u het gesprek corrigeert of intrekt (dat komt in het logboek)."
        ]
    return []


def call_summary(call: CallRecord) -> str:
    what = "bereikt" if call.reached else "niet bereikt"
    return f"{what}, {call.status.value}" if call.status is not None else what


def store_call(
    session: Session, pupil_id: int, call: CallRecord, actor: str, now: datetime
) -> Signal | None:
    """Write one call into a locked file: the row, the moment it ticks, the alarm it raises.
    Every row it changes carries `now`, so taking the call back finds exactly those."""
    file = file_in_list(session, pupil_id)
    previous = last_known_status(file.calls)
    moment = moment_for_call(file.moments, call.on, call.moment_id)
    if call.moment_id is not None and not any(m.id == call.moment_id for m in file.moments):
        raise NotFoundError("Dit nazorggesprek bestaat niet meer. Open de leerling opnieuw.")
    moment_id = moment.id if moment is not None else None
    session.execute(
        insert(CALLS).values(
            pupil_id=pupil_id,
            moment_id=moment_id,
            called_on=call.on,
            reached=call.reached,
            channel=call.channel,
            status=call.status,
            same_place=call.same_place if call.reached else None,
            wants_help=call.wants_help if call.reached else None,
            note=call.note.strip(),
            by=call.by or actor,
            created_at=now,
        )
    )
    if call.reached and moment is not None:
        session.execute(
            update(MOMENTS)
            .where(
                MOMENTS.c.pupil_id == pupil_id,
                MOMENTS.c.done_on.is_(None),
                MOMENTS.c.due <= moment.due,
            )
            .values(
                done_on=call.on,
                updated_at=now,
                updated_by=actor,
                version=MOMENTS.c.version + 1,
            )
        )
        if file.waakvlam:
            replan(session, pupil_id, file.leaving.left_on, school_offsets(session), True)
    if call.status is None or not alarm_fires(previous, call.status):
        return None
    birth, startkwalificatie = session.execute(
        select(PupilRow.geboortedatum, PupilRow.startkwalificatie).where(PupilRow.id == pupil_id)
    ).one()
    receiver = signal_to(birth, call.on, startkwalificatie)
    signal_row = NazorgSignalRow(
        pupil_id=pupil_id,
        created_on=call.on,
        status=call.status,
        receiver=receiver,
        sent_to="",
    )
    session.add(signal_row)
    session.flush()
    return Signal(call.on, call.status, receiver, id=signal_row.id)


def unstore_call(session: Session, pupil_id: int, call_id: int, today: date) -> CallRecord:
    """Take a call out of a locked file as if it was never logged: the moments it ticked open
    again (they carry its timestamp), the alarm it raised goes while not yet sent (a sent
    signal stays: someone outside the school acted on it), a waakvlam is planned again."""
    row = session.execute(select(CALLS).where(CALLS.c.id == call_id)).one()
    wrong = call_of(row)
    if not call_correctable(wrong, today):
        raise ValidationError([CORRECTION_TOO_LATE])
    file = file_in_list(session, pupil_id)
    if wrong.reached:
        session.execute(
            update(MOMENTS)
            .where(
                MOMENTS.c.pupil_id == pupil_id,
                MOMENTS.c.done_on == wrong.on,
                MOMENTS.c.updated_at == row.created_at,
            )
            .values(done_on=None, updated_at=row.created_at, version=MOMENTS.c.version + 1)
        )
    session.execute(delete(CALLS).where(CALLS.c.id == call_id))
    if wrong.status is not None:
        before = last_known_status([c for c in file.calls if c.id != call_id])
        if alarm_fires(before, wrong.status):
            session.execute(
                delete(SIGNALS).where(
                    SIGNALS.c.pupil_id == pupil_id,
                    SIGNALS.c.created_on == wrong.on,
                    SIGNALS.c.status == wrong.status.value,
                    SIGNALS.c.sent_on.is_(None),
                )
            )
    if wrong.reached and file.waakvlam:
        replan(session, pupil_id, file.leaving.left_on, school_offsets(session), True)
    return wrong


def status_of_destination(destination: Destination) -> CallStatus:
    return STATUS_OF_DESTINATION[destination]


def store_leaving(
    session: Session,
    pupil_id: int,
    leaving: Leaving,
    actor: str,
    now: datetime,
    offsets: tuple[int, ...],
) -> bool:
    """Store the leaving record and re-plan its open nazorg moments, inside the caller's
    transaction. True when the record is new."""
    row = session.scalar(select(LeavingRow).where(LeavingRow.pupil_id == pupil_id))
    new = row is None
    if row is None:
        row = LeavingRow(pupil_id=pupil_id, state=FileState.OPEN, waakvlam=False)
        session.add(row)
    row.left_on = leaving.left_on
    row.destination = leaving.destination
    row.employer = leaving.employer.strip()
    row.contract = leaving.contract
    row.instruments = ",".join(sorted(i.value for i in leaving.instruments))
    row.mbo_instelling = leaving.mbo_instelling.strip()
    row.opleiding = leaving.opleiding.strip()
    row.niveau = leaving.niveau
    row.leerweg = leaving.leerweg
    row.note = leaving.note.strip()
    row.recorded_by = actor
    row.recorded_at = now
    session.flush()
    replan(session, pupil_id, leaving.left_on, offsets, bool(row.waakvlam))
    return new


def replan(
    session: Session, pupil_id: int, left_on: date, offsets: Sequence[int], waakvlam: bool
) -> None:
    """Make the open moments match the plan from `left_on`: an open moment whose planned date
    changed gets the new date (and loses its reason: the date is new), one moved by hand for
    the same planned date keeps its move, a missing one is added, an open one the plan no
    longer has goes. Done moments stay as they were. With a waakvlam, one open moment a year
    after the last."""
    school_type = stored_school_type(session)
    planned = {p.months: p.due for p in nazorg_plan(left_on, school_type, offsets)}
    current = session.execute(
        select(MOMENTS.c.id, MOMENTS.c.months, MOMENTS.c.done_on, MOMENTS.c.original_due).where(
            MOMENTS.c.pupil_id == pupil_id
        )
    ).all()
    done_months = {months for _, months, done_on, _ in current if done_on is not None}
    last = max(planned, default=0)
    if waakvlam:
        months = waakvlam_months(tuple(planned), sum(1 for m in done_months if m > last))
        planned[months] = add_months(left_on, months)
    keep: set[int] = set()
    for moment_id, months, done_on, original_due in current:
        if done_on is not None:
            continue
        if months in planned and months not in keep and months not in done_months:
            if original_due != planned[months]:
                session.execute(
                    update(MOMENTS)
                    .where(MOMENTS.c.id == moment_id)
                    .values(due=planned[months], original_due=planned[months], moved_reason="")
                )
            keep.add(months)
        else:
            session.execute(delete(MOMENTS).where(MOMENTS.c.id == moment_id))
    rows = [
        {
            "pupil_id": pupil_id,
            "months": months,
            "due": due,
            "original_due": due,
            "moved_reason": "",
        }
        for months, due in sorted(planned.items())
        if months not in keep and months not in done_months
    ]
    if rows:
        session.execute(insert(MOMENTS), rows)


def signal_receiver(
    session: Session,
    row: NazorgSignalRow,
    organisation_id: int | None,
    sent_on: date,
    now: datetime,
) -> tuple[Receiver, str]:
    """Who a signal goes to, checked: the receiver it was raised for, and the name it was sent
    to (the organisation's name as it is now, or the kind of receiver without one)."""
    problems = []
    if sent_on < row.created_on:
        problems.append("De datum van versturen ligt voor de datum van het signaal.")
    if sent_on > now.date():
        problems.append("De datum van versturen ligt in de toekomst.")
    receiver = row.receiver
    sent_to = receiver.label
    if organisation_id is not None:
        organisation = session.get(OrganisationRow, organisation_id)
        if organisation is None:
            problems.append("Deze organisatie staat niet meer in het adresboek.")
        else:
            kind = organisation.kind
            if RECEIVER_OF_KIND[kind] is not receiver:
                problems.append(
                    f"{organisation.name} is geen {receiver.label.lower()}. Kies een "
                    "organisatie van die soort, of geen organisatie."
                )
            sent_to = organisation.name
    if problems:
        raise ValidationError(problems)
    return receiver, sent_to


def lock_leaving(session: Session, pupil_id: int, actor: str, now: datetime) -> None:
    """Take the file for a call, inside the caller's transaction; NotFoundError without one."""
    # The file's version goes up with every call. A server makes a second call for
    # the same file wait here (FOR UPDATE). SQLite knows no FOR UPDATE and reads
    # outside a transaction until the first write: a write that changes nothing takes
    # its lock first, so the version read next is the newest (a clash that still
    # happens, such as a busy timeout, starts the call again).
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(LeavingRow)
            .where(LeavingRow.pupil_id == pupil_id)
            .values(pupil_id=LeavingRow.pupil_id)
        )
    leaving = session.scalar(
        select(LeavingRow).where(LeavingRow.pupil_id == pupil_id).with_for_update()
    )
    if leaving is None:
        file_in_list(session, pupil_id)  # says whether the pupil or the file is missing
        raise NotFoundError(NO_FILE)
    leaving.updated_at = now
    leaving.updated_by = actor
    flag_modified(leaving, "updated_at")
    session.flush()
