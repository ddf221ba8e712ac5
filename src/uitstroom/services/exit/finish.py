"""Finishing an interview inside the caller's transaction: nazorg planned, the consents the student
gave recorded, and a handover task where one is needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.checklist import EXIT_TASK
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import JaNeeOnbekend
from uitstroom.domain.exit import (
    EXIT_CONSENT_SECTIONS,
    HANDOVER_RECEIVERS,
    ExitInterview,
    InterviewState,
    NextStep,
    concept_problems,
    finish_problems,
    leaving_of,
    needs_handover,
    next_step_text,
    reason_text,
    with_startkwalificatie,
)
from uitstroom.domain.handover import (
    Consent,
    Consenter,
    LegalBasis,
    consent_problems,
    required_consenter,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    CallStatus,
    Signal,
    leaving_problems,
    signal_to,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.audit import append
from uitstroom.services.errors import (
    ValidationError,
)
from uitstroom.services.exit.rows import (
    TIMELINE_AUTHOR_KIND,
    apply_interview,
    interview_from_row,
    interview_row,
    load_pupil,
    school_domains,
)
from uitstroom.services.handover import sections_text
from uitstroom.services.nazorg import school_offsets, store_leaving
from uitstroom.storage.models import (
    ConsentRow,
    ExitInterviewRow,
    NazorgSignalRow,
    PupilRow,
    PupilTaskRow,
    TimelineEntryRow,
)


@dataclass(frozen=True)
class FinishResult:
    """What finishing did: the interview as stored, whether nazorg calls are planned, and the
    handover task made now (None when none was needed, or one already existed)."""

    interview: ExitInterview
    nazorg_planned: bool
    handover: Signal | None


# --- finishing inside a transaction -----------------------------------------------------------


def finish_interview(
    session: Session,
    pupil_id: int,
    interview: ExitInterview,
    actor: str,
    now: datetime,
    sessions: sessionmaker[Session],
) -> FinishResult:
    today = now.date()
    pupil = load_pupil(session, pupil_id)
    name = full_name(pupil.roepnaam, pupil.tussenvoegsel, pupil.achternaam)
    # A diploma's startkwalificatie follows from the opleiding's niveau where it can.
    interview = with_startkwalificatie(interview, pupil.mbo_niveau)
    problems = finish_problems(interview, today) + concept_problems(
        interview, today, school_domains(session)
    )
    if not problems:
        problems += leaving_problems(leaving_of(interview), today, SchoolYear.of(today).first_day)
    consents = session.scalars(select(ConsentRow).where(ConsentRow.pupil_id == pupil_id)).all()
    new_consents: list[Consent] = []
    if not problems:
        new_consents, consent_refusals = _consents_to_record(
            interview, pupil, name, consents, today
        )
        problems += consent_refusals
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    row = interview_row(session, pupil_id)
    if row is None:
        row = ExitInterviewRow(pupil_id=pupil_id)
        session.add(row)
    apply_interview(row, replace(interview, state=InterviewState.AFGEROND), actor, now)

    offsets = school_offsets(session) if interview.nazorg_agreed else ()
    store_leaving(session, pupil_id, leaving_of(interview), actor, now, offsets)
    for consent in new_consents:
        _store_consent(session, pupil_id, consent)
        append(
            session,
            actor,
            AuditAction.CONSENT,
            pupil_id,
            f"{consent.basis.value} vastgelegd voor {consent.receiver.value} in het "
            f"exitgesprek; delen: {sections_text(consent.sections)}",
            now,
        )
    signal = _handover_task(session, pupil, interview, today) if needs_handover(interview) else None

    lines = [
        f"Exitgesprek afgerond: {reason_text(interview)}; vervolg: {next_step_text(interview)}."
    ]
    if not interview.nazorg_agreed:
        lines.append("De student wil geen nazorggesprekken. Er zijn geen nazorggesprekken gepland.")
    if signal is not None:
        lines.append(f"Taak: warme overdracht aan {signal.receiver.label}.")
    for text in lines:
        session.add(
            TimelineEntryRow(
                pupil_id=pupil_id, at=now, author=actor, kind=TIMELINE_AUTHOR_KIND, text=text
            )
        )
    detail = (
        f"exitgesprek afgerond: {interview.reason.value if interview.reason else ''}; "
        f"vervolg {interview.next_step.value if interview.next_step else ''}; "
        + ("nazorg gepland" if interview.nazorg_agreed else "nazorg geweigerd")
        + (f"; taak voor {signal.receiver.value}" if signal is not None else "")
    )
    append(session, actor, AuditAction.EXIT, pupil_id, detail, now)
    # The checklist's "Exitgesprek gevoerd" is done by the interview itself.
    for task in session.scalars(
        select(PupilTaskRow).where(
            PupilTaskRow.pupil_id == pupil_id,
            PupilTaskRow.code == EXIT_TASK,
            PupilTaskRow.done_on.is_(None),
        )
    ):
        task.done_on = interview.held_on or today
        task.done_by = actor
    session.flush()
    return FinishResult(interview_from_row(row), bool(interview.nazorg_agreed), signal)


def _consents_to_record(
    interview: ExitInterview,
    pupil: PupilRow,
    name: str,
    existing: Sequence[ConsentRow],
    today: date,
) -> tuple[list[Consent], list[str]]:
    """The student's consents to record, and why one cannot be: below 16 a parent must have
    consented already (recorded in the consent register)."""
    assert interview.held_on is not None
    day = interview.held_on
    wanted: list[Consent] = []
    problems: list[str] = []
    for receiver in HANDOVER_RECEIVERS:
        if receiver not in interview.handover_consent:
            continue
        valid = [
            c
            for c in existing
            if c.receiver == receiver.value
            and c.given_on <= day
            and (c.withdrawn_on is None or day < c.withdrawn_on)
        ]
        if valid:
            continue
        if required_consenter(pupil.geboortedatum, day) is Consenter.OUDER:
            problems.append(
                f"{name} was op {dutch_date(day)} jonger dan 16: een ouder of verzorger moet "
                f"toestemming geven voor een warme overdracht aan {receiver.label}. Leg die "
                "toestemming eerst vast (tab Toestemming), of haal het vinkje weg."
            )
            continue
        consent = Consent(
            receiver=receiver,
            basis=LegalBasis.TOESTEMMING,
            sections=EXIT_CONSENT_SECTIONS,
            given_on=day,
            consenter=Consenter.LEERLING,
            consenter_name=name,
            note="Gegeven in het exitgesprek.",
        )
        problems += consent_problems(consent, pupil.geboortedatum, today)
        wanted.append(consent)
    return wanted, problems


def _store_consent(session: Session, pupil_id: int, consent: Consent) -> None:
    session.add(
        ConsentRow(
            pupil_id=pupil_id,
            receiver=consent.receiver,
            basis=consent.basis,
            sections=sections_text(consent.sections),
            given_on=consent.given_on,
            consenter=consent.consenter,
            consenter_name=consent.consenter_name,
            organisation_id=None,
            withdrawn_on=None,
            note=consent.note,
        )
    )


def _handover_task(
    session: Session, pupil: PupilRow, interview: ExitInterview, today: date
) -> Signal | None:
    """One open handover task for a student without a next step. None when one is already
    open, or was made since the interview (finishing again, after a reopen)."""
    assert interview.held_on is not None
    already = session.scalar(
        select(NazorgSignalRow.id)
        .where(
            NazorgSignalRow.pupil_id == pupil.id,
            (NazorgSignalRow.sent_on.is_(None)) | (NazorgSignalRow.created_on >= interview.held_on),
        )
        .limit(1)
    )
    if already is not None:
        return None
    startkwalificatie = interview.startkwalificatie
    if startkwalificatie is JaNeeOnbekend.ONBEKEND:
        startkwalificatie = pupil.startkwalificatie
    receiver = signal_to(pupil.geboortedatum, today, startkwalificatie)
    status = CallStatus.GEEN if interview.next_step is NextStep.NOG_NIETS else CallStatus.ONBEKEND
    row = NazorgSignalRow(
        pupil_id=pupil.id,
        created_on=today,
        status=status,
        receiver=receiver,
        sent_to="",
    )
    session.add(row)
    session.flush()
    return Signal(today, status, receiver, id=row.id)
