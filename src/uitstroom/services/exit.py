"""The mbo exitgesprek: the interview a mentor (SLB'er) holds with a leaving student, its
consequences and its figures.

The rules are domain.exit's. Finishing is one transaction that goes through nazorg's own code:
the leaving data and the call plan (services.nazorg), the consent register (the checks of
domain.handover) and, for a student without a next step, one signal: the handover task whose
overdracht HandoverService makes under the consent rules. A refusal of nazorg is stored as the
leaving data without open calls, with a timeline line and a line in the audit trail.

Interviews recorded elsewhere come in through the cohort import's reader (services.importing):
the same encodings, delimiters and workbook checks, a list of problems by row and column, and
nothing written unless every row is right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.checklist import EXIT_TASK
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau, SchoolType, TimelineKind
from uitstroom.domain.exit import (
    DEFAULT_DROPOUT_REASONS,
    EMPLOYER_NOT_NAMED,
    EXIT_CONSENT_SECTIONS,
    EXIT_HEADER_ALIASES,
    EXIT_MAX_LENGTH,
    EXIT_REQUIRED,
    HANDOVER_RECEIVERS,
    LABEL_DROPOUT,
    LABEL_EMAIL_AFTER,
    LABEL_HELD_ON,
    LABEL_LEFT_ON,
    LABEL_PHONE_AFTER,
    LABEL_SPARE_PHONE,
    ExitField,
    ExitFigures,
    ExitInterview,
    ExitSummaryDoc,
    HelpWanted,
    InterviewState,
    LeavingReason,
    NextStep,
    destination_of,
    dropout_reasons_of,
    field_of_problem,
    finish_problems,
    guess_exit_mapping,
    needs_handover,
    parse_help,
    parse_next_step,
    parse_reason,
    parse_startkwalificatie,
    parse_state,
    parse_yes_no,
    receiver_name,
    with_startkwalificatie,
)
from uitstroom.domain.handover import (
    Consent,
    Consenter,
    LegalBasis,
    Receiver,
    consent_problems,
    required_consenter,
)
from uitstroom.domain.importing import ImportProblem, duplicate_problems, header_name
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    CallStatus,
    Destination,
    Leaving,
    Signal,
    leaving_problems,
    nazorg_plan,
    signal_to,
)
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.validation import (
    check_email,
    check_phone,
    email_domains,
    is_school_address,
    parse_date,
)
from uitstroom.domain.workbooks import exit_figures_workbook
from uitstroom.services.access import (
    author_of,
    pupil_scope,
    require_coordinator,
    require_pupil,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Clock, conflict_on_stale
from uitstroom.services.convert import enum_or, enum_or_none
from uitstroom.services.errors import (
    GONE,
    ConflictError,
    NotFoundError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.files import atomic_output
from uitstroom.services.handover import school_header, sections_text
from uitstroom.services.nazorg import school_offsets, store_leaving
from uitstroom.services.planning import current_labels
from uitstroom.services.spreadsheet import write_xlsx
from uitstroom.storage.models import (
    CohortRow,
    ConsentRow,
    ExitInterviewRow,
    GuardianRow,
    NazorgMomentRow,
    NazorgSignalRow,
    PupilRow,
    PupilTaskRow,
    SchoolSettingsRow,
    TimelineEntryRow,
)

_INTERVIEWS = cast(Table, ExitInterviewRow.__table__)
_PUPILS = cast(Table, PupilRow.__table__)
_COHORTS = cast(Table, CohortRow.__table__)

MAX_DROPOUT_REASON = 200
SCHOOL_ADDRESS = (
    "Bij ‘E-mail na school’ staat een adres van school. Dat werkt niet meer als de student "
    "van school gaat. Vraag een eigen e-mailadres, of laat het leeg."
)
TIMELINE_AUTHOR_KIND = TimelineKind.GEBEURTENIS.value
UNKNOWN_OPLEIDING = "Opleiding onbekend"
UNKNOWN_NIVEAU = "Niveau onbekend"
FINISHED_ALREADY = (
    "Dit exitgesprek is al afgerond. Kies 'Heropenen' om het te wijzigen; daarna kunt u het "
    "opnieuw afronden."
)

if TYPE_CHECKING:
    # The import of a spreadsheet on first use: the start never reads one.
    from uitstroom.services.importing import ImportTable


@dataclass(frozen=True)
class FinishResult:
    """What finishing did: the interview as stored, whether nazorg calls are planned, and the
    handover task made now (None when none was needed, or one already existed)."""

    interview: ExitInterview
    nazorg_planned: bool
    handover: Signal | None


@dataclass(frozen=True)
class ImportOutcome:
    """An exit import: every problem (row, column, Dutch message) or, without problems, what
    was (or, with dry_run, would be) written."""

    source: Path
    description: str
    rows: int
    finished: int
    concepts: int
    problems: tuple[ImportProblem, ...]
    dry_run: bool
    written: bool

    @property
    def ok(self) -> bool:
        return not self.problems


class ExitService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = datetime.now,
        before_write: Callable[[], object] | None = None,
        actor: Actor | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # The backup before an import writes (services.backups.import_backup), as for cohorts.
        self._before_write = before_write
        # An SLB'er holds the interviews of their own students (domain.actor).
        self._actor = actor

    # --- one student's interview -------------------------------------------------------------
    def interview(self, pupil_id: int) -> ExitInterview | None:
        with self._sessions() as session:
            if session.get(PupilRow, pupil_id) is not None:
                require_pupil(session, self._actor, pupil_id, write=False)
            row = _row_of(session, pupil_id)
            found = _interview(row) if row is not None else None
        if found is not None and self._actor is not None and not self._actor.sees_support_needs:
            # The reason for stopping and the help wanted can be about health or money.
            found = replace(found, note="", dropout_reason="", help_wanted=frozenset())
        return found

    def start(self, pupil_id: int, actor: str) -> ExitInterview:
        """The student's interview: the one already there (concept or finished), or a new
        concept filled in from what the school knows, stored at once."""
        actor = author_of(self._actor, actor)
        now = self._clock()
        with self._sessions.begin() as session:
            if session.get(PupilRow, pupil_id) is not None:
                require_pupil(session, self._actor, pupil_id, write=True)
            row = _row_of(session, pupil_id)
            if row is not None:
                return _interview(row)
            pupil = _load_pupil(session, pupil_id)
            spare = session.scalars(
                select(GuardianRow)
                .where(GuardianRow.pupil_id == pupil_id)
                .order_by(GuardianRow.position)
                .limit(1)
            ).first()
            fresh = ExitInterview(
                held_on=now.date(),
                mentor=pupil.mentor,
                phone_after=pupil.telefoon,
                # The school's own address stops working when the student leaves: ask for
                # a private one instead.
                email_after=(
                    "" if is_school_address(pupil.email, _school_domains(session)) else pupil.email
                ),
                spare_name=spare.name if spare else "",
                spare_relation=spare.relation if spare else "",
                spare_phone=spare.phone if spare else "",
            )
            row = ExitInterviewRow(pupil_id=pupil_id)
            _apply(row, fresh, actor, now)
            session.add(row)
            append(session, actor, AuditAction.EXIT, pupil_id, "exitgesprek begonnen", now)
            session.flush()
            return _interview(row)

    def save_concept(self, pupil_id: int, interview: ExitInterview, actor: str) -> ExitInterview:
        """Store a half-done interview; only values that cannot be right are refused."""
        now = self._clock()
        with self._sessions() as session:
            domains = _school_domains(session)
        problems = concept_problems(interview, now.date(), domains)
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        with conflict_on_stale("het exitgesprek", actor):
            return self._save_concept(pupil_id, interview, actor, now)

    def _save_concept(
        self, pupil_id: int, interview: ExitInterview, actor: str, now: datetime
    ) -> ExitInterview:
        with self._sessions.begin() as session:
            _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            row = _row_of(session, pupil_id)
            _check_version(row, interview, actor)
            if row is not None and row.state == InterviewState.AFGEROND.value:
                raise ValidationError([FINISHED_ALREADY])
            new = row is None
            if row is None:
                row = ExitInterviewRow(pupil_id=pupil_id)
                session.add(row)
            _apply(row, replace(interview, state=InterviewState.CONCEPT), actor, now)
            append(
                session,
                actor,
                AuditAction.EXIT,
                pupil_id,
                f"exitgesprek {'begonnen' if new else 'opgeslagen'} als concept",
                now,
            )
            session.flush()
            return _interview(row)

    def finish(self, pupil_id: int, interview: ExitInterview, actor: str) -> FinishResult:
        """Check the answers, then in one transaction: the interview finished, the leaving
        data, the nazorg calls (or the refusal), the consents and the handover task."""
        actor = author_of(self._actor, actor)
        now = self._clock()
        with conflict_on_stale("het exitgesprek", actor), self._sessions.begin() as session:
            if session.get(PupilRow, pupil_id) is not None:
                require_pupil(session, self._actor, pupil_id, write=True)
            _check_version(_row_of(session, pupil_id), interview, actor)
            return _finish(session, pupil_id, interview, actor, now, self._sessions)

    def reopen(self, pupil_id: int, actor: str) -> ExitInterview:
        """Back to a concept, to correct a mistake. What finishing did stays until the
        interview is finished again (which re-plans, and never makes a second task)."""
        actor = author_of(self._actor, actor)
        now = self._clock()
        with self._sessions.begin() as session:
            if session.get(PupilRow, pupil_id) is not None:
                require_pupil(session, self._actor, pupil_id, write=True)
            row = _row_of(session, pupil_id)
            if row is None:
                if session.get(PupilRow, pupil_id) is None:
                    raise NotFoundError(GONE)
                raise NotFoundError("Deze student heeft nog geen exitgesprek.")
            row.state = InterviewState.CONCEPT.value
            row.updated_at = now
            row.updated_by = actor
            append(session, actor, AuditAction.EXIT, pupil_id, "exitgesprek heropend", now)
            session.flush()
            return _interview(row)

    # --- the school's dropout reasons --------------------------------------------------------
    def dropout_reasons(self) -> tuple[str, ...]:
        with self._sessions() as session:
            return _dropout_reasons(session)

    def save_dropout_reasons(self, reasons: Sequence[str], actor: str) -> None:
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        cleaned = [" ".join(r.split()) for r in reasons]
        problems = dropout_reason_problems(cleaned)
        if problems:
            raise ValidationError(problems)
        with self._sessions.begin() as session:
            row = session.get(SchoolSettingsRow, 1)
            if row is None:
                row = SchoolSettingsRow(id=1)
                session.add(row)
            row.dropout_reasons = (
                "" if tuple(cleaned) == DEFAULT_DROPOUT_REASONS else "\n".join(cleaned)
            )
            append(
                session,
                actor,
                AuditAction.SETTINGS,
                detail="velden: redenen van uitval",
                now=self._clock(),
            )

    # --- the printed summary -----------------------------------------------------------------
    def summary_doc(self, pupil_id: int, today: date) -> ExitSummaryDoc:
        """The student's own summary: a document with personal data, as the other documents
        not for read-only users, and an SLB'er's own students only."""
        with self._sessions() as session:
            pupil = _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            row = _row_of(session, pupil_id)
            if row is None:
                raise NotFoundError("Deze student heeft nog geen exitgesprek.")
            interview = _interview(row)
            moments = [
                m
                for m in session.scalars(
                    select(NazorgMomentRow)
                    .where(NazorgMomentRow.pupil_id == pupil_id, NazorgMomentRow.done_on.is_(None))
                    .order_by(NazorgMomentRow.due)
                )
            ]
            due_dates = [m.due for m in moments]
            if not due_dates and interview.nazorg_agreed and interview.left_on is not None:
                due_dates = [
                    p.due
                    for p in nazorg_plan(interview.left_on, SchoolType.MBO, school_offsets(session))
                ]
            return ExitSummaryDoc(
                school=school_header(session),
                student_name=full_name(pupil.roepnaam, pupil.tussenvoegsel, pupil.achternaam),
                opleiding=pupil.mbo_opleiding,
                crebo=pupil.mbo_crebo,
                niveau=_label(Niveau, pupil.mbo_niveau),
                leerweg=_label(Leerweg, pupil.mbo_leerweg),
                held_on=interview.held_on,
                mentor=interview.mentor or pupil.mentor,
                reason_text=reason_text(interview),
                next_step_text=next_step_text(interview),
                help_wanted=tuple(h.label for h in HelpWanted if h in interview.help_wanted),
                contact_after=", ".join(
                    v for v in (interview.phone_after, interview.email_after) if v.strip()
                ),
                nazorg_agreed=interview.nazorg_agreed,
                handover_receivers=tuple(
                    r.label for r in HANDOVER_RECEIVERS if r in interview.handover_consent
                ),
                what_next=what_next(interview, due_dates, _receiver(pupil, today)),
                made_on=today,
            )

    # --- figures -------------------------------------------------------------------------------
    def figures(self, year: str) -> ExitFigures:
        """Finished interviews held in school year `year`, per opleiding and niveau."""
        try:
            school_year = SchoolYear.parse(year)
        except ValueError as exc:
            raise ValidationError([str(exc)]) from None
        with self._sessions() as session:
            rows = session.execute(
                select(
                    _INTERVIEWS.c.reason,
                    _INTERVIEWS.c.dropout_reason,
                    _INTERVIEWS.c.next_step,
                    _PUPILS.c.mbo_opleiding,
                    _PUPILS.c.mbo_niveau,
                )
                .select_from(_INTERVIEWS)
                .join(_PUPILS, _PUPILS.c.id == _INTERVIEWS.c.pupil_id)
                .where(
                    _INTERVIEWS.c.state == InterviewState.AFGEROND.value,
                    _INTERVIEWS.c.held_on >= school_year.first_day,
                    _INTERVIEWS.c.held_on <= school_year.last_day,
                )
            ).all()
        return count_figures(school_year.label, rows)

    def export_figures(self, year: str, target: Path, actor: str) -> None:
        """The figures as an anonymous XLSX: no names, no studentnummers, and no count below
        5 as a number (domain.small_numbers). Written atomically, logged."""
        actor = author_of(self._actor, actor)
        figures = self.figures(year)
        if figures.interviews == 0:
            raise ValidationError(
                [f"In schooljaar {figures.year} is nog geen exitgesprek afgerond."]
            )
        workbook = exit_figures_workbook(figures, self._clock().date())
        with atomic_output(Path(target)) as stream:
            write_xlsx(stream, workbook)
        with self._sessions.begin() as session:
            append(
                session,
                actor,
                AuditAction.EXPORTED,
                None,
                f"cijfers exitgesprekken {figures.year} (anoniem)",
                self._clock(),
            )

    def log_summary(self, pupil_id: int, actor: str, printed: bool, version: str = "") -> None:
        """The student's summary left the program (saved as a file or printed): in the audit
        trail, like every document with personal data, with the version of the data that was
        shown (data_version_of the summary_doc rendered)."""
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            append(
                session,
                actor,
                AuditAction.EXIT,
                pupil_id,
                "samenvatting exitgesprek "
                + ("afgedrukt" if printed else "opgeslagen")
                + (f", gegevensversie {version}" if version else ""),
                self._clock(),
            )

    # --- the work list -------------------------------------------------------------------------
    def open_students(
        self, mentor: str | None = None
    ) -> list[tuple[int, str, InterviewState | None]]:
        """Students of the current cohorts (not archived), by name, with their interview's
        state (None: no interview yet)."""
        with self._sessions() as session:
            labels = current_labels(session, self._clock().date())
            statement = (
                select(
                    _PUPILS.c.id,
                    _PUPILS.c.roepnaam,
                    _PUPILS.c.tussenvoegsel,
                    _PUPILS.c.achternaam,
                    _INTERVIEWS.c.state,
                )
                .select_from(_PUPILS)
                .join(_COHORTS, _COHORTS.c.id == _PUPILS.c.cohort_id)
                .outerjoin(_INTERVIEWS, _INTERVIEWS.c.pupil_id == _PUPILS.c.id)
                .where(_PUPILS.c.archived.is_(False), _COHORTS.c.label.in_(labels))
            )
            if mentor:
                statement = statement.where(_PUPILS.c.mentor == mentor)
            if self._actor is not None and not self._actor.is_coordinator:
                statement = statement.where(pupil_scope(session, self._actor))
            rows = session.execute(statement).all()
        found = [
            (
                row.id,
                full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
                enum_or_none(InterviewState, row.state),
            )
            for row in rows
        ]
        return sorted(found, key=lambda f: (f[1].casefold(), f[0]))

    # --- interviews recorded elsewhere ---------------------------------------------------------
    def import_file(self, path: Path, actor: str, dry_run: bool = False) -> ImportOutcome:
        """Coordinator only (domain.actor). Read, check every row, and write all rows in one transaction, or nothing. Each
        finished row has finish()'s consequences; a row finish() would refuse (a consent
        rule) refuses the file, by its row number."""
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        from uitstroom.services.importing.files import read_table

        table = read_table(Path(path))
        now = self._clock()
        with self._sessions() as session:
            problems, planned = _check_table(session, table, now.date())
        finished = sum(1 for _, _, i in planned if i.state is InterviewState.AFGEROND)
        outcome = ImportOutcome(
            source=table.source,
            description=table.description,
            rows=_data_rows(table),
            finished=finished,
            concepts=len(planned) - finished,
            problems=tuple(problems),
            dry_run=dry_run,
            written=False,
        )
        if problems or dry_run:
            return outcome
        if self._before_write is not None:
            self._before_write()
        with self._sessions.begin() as session:
            refused: list[ImportProblem] = []
            for row_number, pupil_id, interview in planned:
                if interview.state is InterviewState.AFGEROND:
                    try:
                        _finish(session, pupil_id, interview, actor, now, self._sessions)
                    except ValidationError as exc:  # checked before anything of the row is written
                        refused += [ImportProblem(row_number, None, p) for p in exc.problems]
                else:
                    row = _row_of(session, pupil_id) or ExitInterviewRow(pupil_id=pupil_id)
                    _apply(row, interview, actor, now)
                    session.add(row)
            if refused:
                session.rollback()
                return replace(outcome, problems=tuple(refused))
            append(
                session,
                actor,
                AuditAction.IMPORTED,
                detail=(
                    f"exitgesprekken uit {table.source.name}: {finished} afgerond, "
                    f"{len(planned) - finished} concept"
                ),
                now=now,
            )
        return replace(outcome, written=True)


# --- rules on top of the domain's -----------------------------------------------------------


def concept_problems(
    interview: ExitInterview, today: date, school_domains: tuple[str, ...] = ()
) -> list[str]:
    """Values a concept may not hold: a date in the future, a broken phone or e-mail, the
    school's own address as the e-mail after school."""
    problems = []
    if interview.held_on is not None and interview.held_on > today:
        problems.append(f"‘{LABEL_HELD_ON}’ ligt in de toekomst. Kies vandaag of eerder.")
    if interview.left_on is not None and interview.left_on > today + timedelta(days=366):
        problems.append(f"‘{LABEL_LEFT_ON}’ ligt meer dan een jaar vooruit. Kies een andere datum.")
    for label, text in (
        (LABEL_PHONE_AFTER, interview.phone_after),
        (LABEL_SPARE_PHONE, interview.spare_phone),
    ):
        message = check_phone(text)
        if message:
            problems.append(f"‘{label}’: {message}")
    message = check_email(interview.email_after)
    if message:
        problems.append(f"‘{LABEL_EMAIL_AFTER}’: {message}")
    elif is_school_address(interview.email_after, school_domains):
        problems.append(SCHOOL_ADDRESS)
    reasons = (interview.dropout_reason, *interview.other_dropout_reasons)
    if any(len(reason) > MAX_DROPOUT_REASON for reason in reasons):
        problems.append(
            f"Een reden bij ‘{LABEL_DROPOUT}’ is te lang (hoogstens {MAX_DROPOUT_REASON} tekens)."
        )
    return problems


def dropout_reason_problems(reasons: Sequence[str]) -> list[str]:
    problems = []
    if not [r for r in reasons if r]:
        problems.append("Houd minstens één reden over.")
    if any(not r for r in reasons):
        problems.append("Een reden mag niet leeg zijn. Vul hem in of haal de regel weg.")
    if any(len(r) > MAX_DROPOUT_REASON for r in reasons):
        problems.append(f"Een reden mag hoogstens {MAX_DROPOUT_REASON} tekens hebben.")
    seen = [r.casefold() for r in reasons if r]
    if len(set(seen)) != len(seen):
        problems.append("Elke reden mag maar één keer voorkomen.")
    return problems


def leaving_of(interview: ExitInterview) -> Leaving:
    """The leaving data nazorg needs, from the interview (left_on must be filled in)."""
    assert interview.left_on is not None
    destination = destination_of(interview)
    detail = interview.next_step_detail.strip()
    if destination is Destination.WERK and not detail and interview.employer_unknown:
        detail = EMPLOYER_NOT_NAMED
    return Leaving(
        interview.left_on,
        destination,
        employer=detail if destination is Destination.WERK else "",
        opleiding=detail if destination is Destination.MBO else "",
        note=f"Uit het exitgesprek van {dutch_date(interview.held_on)}.",
    )


def reason_text(interview: ExitInterview) -> str:
    if interview.reason is None:
        return ""
    reasons = dropout_reasons_of(interview)
    if reasons:
        text = f"{interview.reason.label}: {reasons[0]}"
        return f"{text} (ook: {', '.join(reasons[1:])})" if reasons[1:] else text
    return interview.reason.label


def next_step_text(interview: ExitInterview) -> str:
    if interview.next_step is None:
        return ""
    detail = interview.next_step_detail.strip()
    if not detail and interview.employer_unknown and interview.next_step is NextStep.WERK:
        detail = EMPLOYER_NOT_NAMED.lower()
    return f"{interview.next_step.label}: {detail}" if detail else interview.next_step.label


def what_next(
    interview: ExitInterview, call_dates: Sequence[date], receiver: Receiver
) -> tuple[str, ...]:
    """Plain sentences for the student: the calls, the handover, the help asked for."""
    sentences: list[str] = []
    if interview.nazorg_agreed and call_dates:
        dates = ", ".join(dutch_date(d) for d in call_dates[:-1])
        last = dutch_date(call_dates[-1])
        when = f"rond {dates} en {last}" if dates else f"rond {last}"
        sentences.append(f"School belt je {when} om te horen hoe het met je gaat. Neem gerust op!")
    elif interview.nazorg_agreed is False:
        sentences.append(
            "Je wilt niet gebeld worden door school. Bedenk je je? Bel of mail school, dan "
            "bellen we je alsnog."
        )
    if needs_handover(interview):
        chosen = [r for r in HANDOVER_RECEIVERS if r in interview.handover_consent]
        if chosen:
            who = " en ".join(receiver_name(r) for r in chosen)
            sentences.append(
                f"Je hebt nog geen werk of opleiding. School vertelt dat aan {who}, zodat ze "
                "je kunnen helpen. Zij nemen contact met je op."
            )
        else:
            sentences.append(
                f"Je hebt nog geen werk of opleiding. {sentence_start(receiver_name(receiver))} "
                "kan je helpen zoeken. School helpt je om contact te leggen."
            )
    if interview.help_wanted:
        kinds = ", ".join(h.label.lower() for h in HelpWanted if h in interview.help_wanted)
        sentences.append(f"Je wilt hulp bij: {kinds}. Je SLB'er helpt je op weg.")
    return tuple(sentences)


def sentence_start(text: str) -> str:
    """'het Doorstroompunt' -> 'Het Doorstroompunt' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


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
        niveau_key = _label(Niveau, niveau) or UNKNOWN_NIVEAU
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


# --- finishing inside a transaction -----------------------------------------------------------


def _finish(
    session: Session,
    pupil_id: int,
    interview: ExitInterview,
    actor: str,
    now: datetime,
    sessions: sessionmaker[Session],
) -> FinishResult:
    today = now.date()
    pupil = _load_pupil(session, pupil_id)
    name = full_name(pupil.roepnaam, pupil.tussenvoegsel, pupil.achternaam)
    # A diploma's startkwalificatie follows from the opleiding's niveau where it can.
    interview = with_startkwalificatie(interview, enum_or_none(Niveau, pupil.mbo_niveau))
    problems = finish_problems(interview, today) + concept_problems(
        interview, today, _school_domains(session)
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
    row = _row_of(session, pupil_id)
    if row is None:
        row = ExitInterviewRow(pupil_id=pupil_id)
        session.add(row)
    _apply(row, replace(interview, state=InterviewState.AFGEROND), actor, now)

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
    return FinishResult(_interview(row), bool(interview.nazorg_agreed), signal)


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
            receiver=consent.receiver.value,
            basis=consent.basis.value,
            sections=sections_text(consent.sections),
            given_on=consent.given_on,
            consenter=consent.consenter.value if consent.consenter else None,
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
        startkwalificatie = enum_or(JaNeeOnbekend, pupil.startkwalificatie, JaNeeOnbekend.ONBEKEND)
    receiver = signal_to(pupil.geboortedatum, today, startkwalificatie)
    status = CallStatus.GEEN if interview.next_step is NextStep.NOG_NIETS else CallStatus.ONBEKEND
    row = NazorgSignalRow(
        pupil_id=pupil.id,
        created_on=today,
        status=status.value,
        receiver=receiver.value,
        sent_to="",
    )
    session.add(row)
    session.flush()
    return Signal(today, status, receiver, id=row.id)


# --- the import's checks ------------------------------------------------------------------------


def _data_rows(table: ImportTable) -> int:
    return sum(1 for row in table.rows if any(cell.strip() for cell in row))


def _check_table(
    session: Session, table: ImportTable, today: date
) -> tuple[list[ImportProblem], list[tuple[int, int, ExitInterview]]]:
    headers = table.headers
    mapping = guess_exit_mapping(headers)
    problems: list[ImportProblem] = []
    for field in ExitField:
        if field in EXIT_REQUIRED and field not in mapping:
            problems.append(
                ImportProblem(
                    None,
                    None,
                    f"Er is geen kolom '{field.label}'. Voeg een kolom '{field.label}' toe "
                    "(de kopregel staat in rij 1).",
                )
            )
    known = {squash_header(alias) for f in ExitField for alias in _aliases(f)}
    for index, header in enumerate(headers):
        if header.strip() and index not in mapping.values() and squash_header(header) not in known:
            problems.append(
                ImportProblem(
                    None,
                    header_name(headers, index),
                    f"De kolom '{header.strip()}' is onbekend. Gebruik de kolommen van het "
                    f"sjabloon: {', '.join(f.label for f in ExitField)}; of verwijder deze kolom.",
                )
            )
    if problems:
        return problems, []
    column = {field: header_name(headers, index) for field, index in mapping.items()}
    domains = _school_domains(session)
    numbers = [
        (table.row_number(i), _cell(row, mapping, ExitField.STUDENTNUMMER))
        for i, row in enumerate(table.rows)
    ]
    wanted = [n for _, n in numbers if n]
    pupils = {
        row.leerlingnummer: row
        for start in range(0, len(wanted), 500)
        for row in session.scalars(
            select(PupilRow).where(PupilRow.leerlingnummer.in_(wanted[start : start + 500]))
        )
    }
    reasons = {r.casefold(): r for r in _dropout_reasons(session)}
    problems += duplicate_problems(numbers, column[ExitField.STUDENTNUMMER])
    planned: list[tuple[int, int, ExitInterview]] = []
    for i, cells in enumerate(table.rows):
        if not any(cell.strip() for cell in cells):
            continue
        row_number = table.row_number(i)
        check = _RowCheck(row_number, {f: _cell(cells, mapping, f) for f in mapping}, column)
        values = check.values(pupils, reasons)
        if check.problems:
            problems += check.problems
            continue
        pupil = pupils[values["number"]]
        interview = ExitInterview(
            held_on=values["held_on"],
            left_on=values["left_on"],
            reason=values["reason"],
            dropout_reason=values["dropout"],
            startkwalificatie=values["startkwalificatie"],
            next_step=values["next_step"],
            next_step_detail=check.text(ExitField.NEXT_STEP_DETAIL),
            help_wanted=values["help_wanted"],
            phone_after=check.text(ExitField.PHONE_AFTER),
            email_after=check.text(ExitField.EMAIL_AFTER),
            spare_name=check.text(ExitField.SPARE_NAME),
            spare_relation=check.text(ExitField.SPARE_RELATION),
            spare_phone=check.text(ExitField.SPARE_PHONE),
            nazorg_agreed=values["nazorg_agreed"],
            handover_consent=values["consent"],
            mentor=check.text(ExitField.MENTOR) or pupil.mentor,
            note=check.text(ExitField.NOTE),
            state=values["state"],
        )
        found = concept_problems(interview, today, domains)
        if interview.state is InterviewState.AFGEROND:
            found = finish_problems(interview, today) + found
            if not found:
                found += leaving_problems(
                    leaving_of(interview), today, SchoolYear.of(today).first_day
                )
        for message in dict.fromkeys(found):
            about = field_of_problem(message) or _field_of_other(message)
            where = column.get(about) if about is not None else None
            problems.append(ImportProblem(row_number, where, message))
        if not found:
            planned.append((row_number, pupil.id, interview))
    problems.sort(key=lambda p: p.row or 0)
    return problems, planned


class _RowCheck:
    """One data row of an exit import: its cells read as values, and what is wrong with them
    by column."""

    def __init__(
        self, row: int, texts: dict[ExitField, str], column: Mapping[ExitField, str]
    ) -> None:
        self.row = row
        self.texts = texts
        self.column = column
        self.problems: list[ImportProblem] = []

    def text(self, field: ExitField) -> str:
        return self.texts.get(field, "")

    def bad(self, field: ExitField, message: str) -> None:
        self.problems.append(ImportProblem(self.row, self.column.get(field), message))

    def parsed(self, field: ExitField, parse: Callable[[str], Any], default: Any = None) -> Any:
        try:
            return parse(self.text(field))
        except ValueError as exc:
            self.bad(field, str(exc))
            return default

    def day(self, field: ExitField) -> date | None:
        return self.parsed(field, parse_date) if self.text(field) else None

    def values(self, pupils: Mapping[str, PupilRow], reasons: Mapping[str, str]) -> dict[str, Any]:
        for field, text in self.texts.items():
            limit = EXIT_MAX_LENGTH.get(field)
            if limit is not None and len(text) > limit:
                self.bad(field, f"Deze cel is te lang ({len(text)} tekens; hoogstens {limit}).")
        number = self.text(ExitField.STUDENTNUMMER)
        if not number:
            self.bad(ExitField.STUDENTNUMMER, "Deze cel is leeg. Vul het studentnummer in.")
        elif number not in pupils:
            self.bad(
                ExitField.STUDENTNUMMER,
                f"Er is geen student met studentnummer {number}. Controleer het nummer, of "
                "importeer eerst de studenten.",
            )
        values: dict[str, Any] = {"number": number}
        values["held_on"] = self.day(ExitField.HELD_ON)
        values["left_on"] = self.day(ExitField.LEFT_ON)
        if not self.text(ExitField.HELD_ON):
            self.bad(ExitField.HELD_ON, "Deze cel is leeg. Vul de datum van het gesprek in.")
        values["reason"] = self.parsed(ExitField.REASON, parse_reason)
        values["next_step"] = self.parsed(ExitField.NEXT_STEP, parse_next_step)
        values["help_wanted"] = self.parsed(ExitField.HELP_WANTED, parse_help, frozenset())
        values["startkwalificatie"] = self.parsed(
            ExitField.STARTKWALIFICATIE, parse_startkwalificatie, JaNeeOnbekend.ONBEKEND
        )
        values["nazorg_agreed"] = self.parsed(ExitField.NAZORG, parse_yes_no)
        values["state"] = self.parsed(ExitField.STATUS, parse_state, InterviewState.AFGEROND)
        values["consent"] = frozenset(
            receiver
            for field, receiver in (
                (ExitField.CONSENT_DOORSTROOMPUNT, Receiver.DOORSTROOMPUNT),
                (ExitField.CONSENT_GEMEENTE, Receiver.GEMEENTE),
            )
            if self.parsed(field, parse_yes_no)
        )
        dropout = self.text(ExitField.DROPOUT_REASON)
        if dropout and dropout.casefold() not in reasons:
            self.bad(
                ExitField.DROPOUT_REASON,
                f"'{dropout}' is geen reden van uitval van deze school. Gebruik een van "
                f"deze: {'; '.join(reasons.values())}.",
            )
        values["dropout"] = reasons.get(dropout.casefold(), dropout)
        for field in (ExitField.PHONE_AFTER, ExitField.SPARE_PHONE):
            message = check_phone(self.text(field))
            if message:
                self.bad(field, message)
        message = check_email(self.text(ExitField.EMAIL_AFTER))
        if message:
            self.bad(ExitField.EMAIL_AFTER, message)
        return values


def _field_of_other(message: str) -> ExitField | None:
    if "vertrekdatum" in message or "uitstroomdatum" in message:
        return ExitField.LEFT_ON
    if message.startswith("Vul bij"):
        return ExitField.NEXT_STEP_DETAIL
    if "datum van het gesprek" in message:
        return ExitField.HELD_ON
    return None


def _aliases(field: ExitField) -> tuple[str, ...]:
    return (field.label, *EXIT_HEADER_ALIASES[field])


def squash_header(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _cell(cells: Sequence[str], mapping: Mapping[ExitField, int], field: ExitField) -> str:
    index = mapping.get(field)
    if index is None or index >= len(cells):
        return ""
    return " ".join(cells[index].split())


# --- rows and objects ---------------------------------------------------------------------------


def _row_of(session: Session, pupil_id: int) -> ExitInterviewRow | None:
    return session.scalar(select(ExitInterviewRow).where(ExitInterviewRow.pupil_id == pupil_id))


def _receiver(pupil: PupilRow, day: date) -> Receiver:
    return signal_to(
        pupil.geboortedatum,
        day,
        enum_or(JaNeeOnbekend, pupil.startkwalificatie, JaNeeOnbekend.ONBEKEND),
    )


def _load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def _school_domains(session: Session) -> tuple[str, ...]:
    row = session.get(SchoolSettingsRow, 1)
    return email_domains(row.email_domains or "") if row is not None else ()


def _dropout_reasons(session: Session) -> tuple[str, ...]:
    row = session.get(SchoolSettingsRow, 1)
    text = (row.dropout_reasons or "") if row is not None else ""
    own = tuple(line.strip() for line in text.splitlines() if line.strip())
    return own or DEFAULT_DROPOUT_REASONS


def _label(kind: Any, value: str | None) -> str:
    found = enum_or_none(kind, value)
    return found.label if found is not None else ""


def _values(kind: Any, text: str) -> frozenset[Any]:
    return frozenset(
        found for part in text.split(",") if (found := enum_or_none(kind, part.strip())) is not None
    )


def _interview(row: ExitInterviewRow) -> ExitInterview:
    return ExitInterview(
        held_on=row.held_on,
        left_on=row.left_on,
        reason=enum_or_none(LeavingReason, row.reason),
        dropout_reason=row.dropout_reason or "",
        other_dropout_reasons=tuple(
            line for line in (row.other_dropout_reasons or "").splitlines() if line.strip()
        ),
        startkwalificatie=enum_or(JaNeeOnbekend, row.startkwalificatie, JaNeeOnbekend.ONBEKEND),
        next_step=enum_or_none(NextStep, row.next_step),
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
        state=enum_or(InterviewState, row.state, InterviewState.CONCEPT),
        id=row.id,
        version=row.version,
    )


def _check_version(row: ExitInterviewRow | None, interview: ExitInterview, actor: str) -> None:
    """Two people on one interview: the second to store it is told, not overwritten."""
    if interview.version is None:
        return
    if (row.version if row is not None else 0) != interview.version:
        editor = row.updated_by if row is not None else ""
        raise ConflictError(conflict_message(editor, actor, "het exitgesprek"))


def _apply(row: ExitInterviewRow, interview: ExitInterview, actor: str, now: datetime) -> None:
    row.state = interview.state.value
    row.held_on = interview.held_on
    row.left_on = interview.left_on
    row.reason = interview.reason.value if interview.reason else None
    reasons = dropout_reasons_of(interview)
    row.dropout_reason = interview.dropout_reason.strip() if reasons else ""
    row.other_dropout_reasons = "\n".join(r for r in reasons if r != row.dropout_reason)
    row.startkwalificatie = interview.startkwalificatie.value
    row.next_step = interview.next_step.value if interview.next_step else None
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
    row = _row_of(session, pupil_id)
    return _interview(row) if row is not None else None


# --- the anonymous workbook ---------------------------------------------------------------------
