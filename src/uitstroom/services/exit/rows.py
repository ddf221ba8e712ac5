"""The exit interview as stored: rows to the domain's ExitInterview and back, and the school's
own settings an interview is checked against."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from uitstroom.domain.enums import Niveau, TimelineKind
from uitstroom.domain.exit import (
    DEFAULT_DROPOUT_REASONS,
    ExitFigures,
    ExitInterview,
    HelpWanted,
    LeavingReason,
    NextStep,
    dropout_reasons_of,
)
from uitstroom.domain.handover import (
    Receiver,
)
from uitstroom.domain.nazorg import (
    signal_to,
)
from uitstroom.domain.validation import (
    email_domains,
)
from uitstroom.services.convert import enum_or_none
from uitstroom.services.errors import (
    GONE,
    ConflictError,
    NotFoundError,
    conflict_message,
)
from uitstroom.storage.models import (
    CohortRow,
    ExitInterviewRow,
    PupilRow,
    SchoolSettingsRow,
)

INTERVIEWS = cast(Table, ExitInterviewRow.__table__)
PUPILS = cast(Table, PupilRow.__table__)
COHORTS = cast(Table, CohortRow.__table__)

TIMELINE_AUTHOR_KIND = TimelineKind.GEBEURTENIS.value
UNKNOWN_OPLEIDING = "Opleiding onbekend"
UNKNOWN_NIVEAU = "Niveau onbekend"


def _reason_label(reason: str | None, dropout: str) -> str:
    found = enum_or_none(LeavingReason, reason)
    if found is None:
        return "Onbekend"
    if found is LeavingReason.UITVAL:
        return f"{found.label}: {dropout.strip() or 'reden onbekend'}"
    return found.label


def count_figures(year: str, rows: Iterable[Any]) -> ExitFigures:
    """(reason, dropout_reason, next_step, opleiding, niveau) rows -> the counts."""
    by_opleiding: dict[str, Counter[str]] = {}
    next_by_opleiding: dict[str, Counter[str]] = {}
    by_niveau: dict[str, Counter[str]] = {}
    next_by_niveau: dict[str, Counter[str]] = {}
    total = 0
    for reason, dropout, next_step, opleiding, niveau in rows:
        total += 1
        opleiding_key = (opleiding or "").strip() or UNKNOWN_OPLEIDING
        niveau_key = label_of(Niveau, niveau) or UNKNOWN_NIVEAU
        reason_key = _reason_label(reason, dropout or "")
        step = enum_or_none(NextStep, next_step)
        next_key = step.label if step is not None else "Onbekend"
        by_opleiding.setdefault(opleiding_key, Counter())[reason_key] += 1
        next_by_opleiding.setdefault(opleiding_key, Counter())[next_key] += 1
        by_niveau.setdefault(niveau_key, Counter())[reason_key] += 1
        next_by_niveau.setdefault(niveau_key, Counter())[next_key] += 1

    def plain(table: Mapping[str, Counter[str]]) -> dict[str, dict[str, int]]:
        return {key: dict(counts) for key, counts in sorted(table.items())}

    return ExitFigures(
        year=year,
        interviews=total,
        by_opleiding=plain(by_opleiding),
        next_by_opleiding=plain(next_by_opleiding),
        by_niveau=plain(by_niveau),
        next_by_niveau=plain(next_by_niveau),
    )


# --- rows and objects ---------------------------------------------------------------------------


def interview_row(session: Session, pupil_id: int) -> ExitInterviewRow | None:
    return session.scalar(select(ExitInterviewRow).where(ExitInterviewRow.pupil_id == pupil_id))


def receiver_of(pupil: PupilRow, day: date) -> Receiver:
    return signal_to(
        pupil.geboortedatum,
        day,
        pupil.startkwalificatie,
    )


def load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def school_domains(session: Session) -> tuple[str, ...]:
    row = session.get(SchoolSettingsRow, 1)
    return email_domains(row.email_domains or "") if row is not None else ()


def stored_dropout_reasons(session: Session) -> tuple[str, ...]:
    row = session.get(SchoolSettingsRow, 1)
    text = (row.dropout_reasons or "") if row is not None else ""
    own = tuple(line.strip() for line in text.splitlines() if line.strip())
    return own or DEFAULT_DROPOUT_REASONS


def label_of(kind: Any, value: str | None) -> str:
    found = enum_or_none(kind, value)
    return found.label if found is not None else ""


def _values(kind: Any, text: str) -> frozenset[Any]:
    return frozenset(
        found for part in text.split(",") if (found := enum_or_none(kind, part.strip())) is not None
    )


def interview_from_row(row: ExitInterviewRow) -> ExitInterview:
    return ExitInterview(
        held_on=row.held_on,
        left_on=row.left_on,
        reason=row.reason,
        dropout_reason=row.dropout_reason or "",
        other_dropout_reasons=tuple(
            line for line in (row.other_dropout_reasons or "").splitlines() if line.strip()
        ),
        startkwalificatie=row.startkwalificatie,
        next_step=row.next_step,
        next_step_detail=row.next_step_detail or "",
        employer_unknown=bool(row.employer_unknown),
        help_wanted=_values(HelpWanted, row.help_wanted or ""),
        phone_after=row.phone_after or "",
        email_after=row.email_after or "",
        spare_name=row.spare_name or "",
        spare_relation=row.spare_relation or "",
        spare_phone=row.spare_phone or "",
        nazorg_agreed=row.nazorg_agreed,
        handover_consent=_values(Receiver, row.handover_consent or ""),
        mentor=row.mentor or "",
        note=row.note or "",
        state=row.state,
        id=row.id,
        version=row.version,
    )


def check_version(row: ExitInterviewRow | None, interview: ExitInterview, actor: str) -> None:
    """Two people on one interview: the second to store it is told, not overwritten."""
    if interview.version is None:
        return
    if (row.version if row is not None else 0) != interview.version:
        editor = row.updated_by if row is not None else ""
        raise ConflictError(conflict_message(editor, actor, "het exitgesprek"))


def apply_interview(
    row: ExitInterviewRow, interview: ExitInterview, actor: str, now: datetime
) -> None:
    row.state = interview.state
    row.held_on = interview.held_on
    row.left_on = interview.left_on
    row.reason = interview.reason
    reasons = dropout_reasons_of(interview)
    row.dropout_reason = interview.dropout_reason.strip() if reasons else ""
    row.other_dropout_reasons = "\n".join(r for r in reasons if r != row.dropout_reason)
    row.startkwalificatie = interview.startkwalificatie
    row.next_step = interview.next_step
    row.next_step_detail = interview.next_step_detail.strip()
    row.employer_unknown = interview.employer_unknown and interview.next_step is NextStep.WERK
    row.help_wanted = ",".join(sorted(h.value for h in interview.help_wanted))
    row.phone_after = interview.phone_after.strip()
    row.email_after = interview.email_after.strip()
    row.spare_name = interview.spare_name.strip()
    row.spare_relation = interview.spare_relation.strip()
    row.spare_phone = interview.spare_phone.strip()
    row.nazorg_agreed = interview.nazorg_agreed
    row.handover_consent = ",".join(sorted(r.value for r in interview.handover_consent))
    row.mentor = interview.mentor.strip()
    row.note = interview.note.strip()
    row.updated_at = now
    row.updated_by = actor


def interview_of_pupil(session: Session, pupil_id: int) -> ExitInterview | None:
    """One student's interview inside the caller's session (for the inzage)."""
    row = interview_row(session, pupil_id)
    return interview_from_row(row) if row is not None else None
