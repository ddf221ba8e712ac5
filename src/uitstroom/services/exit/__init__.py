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

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import (
    DEFAULT_DROPOUT_REASONS,
    HANDOVER_RECEIVERS,
    ExitFigures,
    ExitInterview,
    ExitSummaryDoc,
    HelpWanted,
    InterviewState,
    concept_problems,
    dropout_reason_problems,
    next_step_text,
    reason_text,
    what_next,
)
from uitstroom.domain.importing import ImportProblem
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import nazorg_plan
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.validation import (
    is_school_address,
)
from uitstroom.domain.workbooks import exit_figures_workbook
from uitstroom.services.access import (
    pupil_scope,
    require_coordinator,
    require_pupil,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.errors import (
    GONE,
    NotFoundError,
    ValidationError,
)
from uitstroom.services.exit.finish import FinishResult, finish_interview
from uitstroom.services.exit.rows import (
    COHORTS,
    INTERVIEWS,
    PUPILS,
    apply_interview,
    check_version,
    count_figures,
    interview_from_row,
    interview_of_pupil,
    interview_row,
    label_of,
    load_pupil,
    receiver_of,
    school_domains,
    stored_dropout_reasons,
)
from uitstroom.services.exit.table import check_table, data_rows
from uitstroom.services.handover import data_version_of, school_header
from uitstroom.services.handover.documents import pdf_name
from uitstroom.services.nazorg import school_offsets
from uitstroom.services.planning import current_labels
from uitstroom.storage.models import (
    ExitInterviewRow,
    GuardianRow,
    NazorgMomentRow,
    PupilRow,
    SchoolSettingsRow,
)

FINISHED_ALREADY = (
    "Dit exitgesprek is al afgerond. Kies 'Heropenen' om het te wijzigen; daarna kunt u het "
    "opnieuw afronden."
)


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


@dataclass(frozen=True)
class MadeSummary:
    """The student's summary as rendered: bytes, file name, data version, whose it is."""

    pdf: bytes
    file_name: str
    data_version: str
    student_name: str


class ExitService(Service):
    """An SLB'er holds the interviews of their own students (domain.actor)."""

    # --- one student's interview -------------------------------------------------------------
    def _interview_row(
        self, session: Session, pupil_id: int, write: bool
    ) -> ExitInterviewRow | None:
        """The student's stored interview, after the check that this user may see (or change)
        it; a student who is gone is left to the caller, which says so in its own words."""
        if session.get(PupilRow, pupil_id) is not None:
            require_pupil(session, self._actor, pupil_id, write=write)
        return interview_row(session, pupil_id)

    def interview(self, pupil_id: int) -> ExitInterview | None:
        with self._sessions() as session:
            row = self._interview_row(session, pupil_id, write=False)
            found = interview_from_row(row) if row is not None else None
        if found is not None and not self._actor.sees_support_needs:
            # The reason for stopping and the help wanted can be about health or money.
            found = replace(found, note="", dropout_reason="", help_wanted=frozenset())
        return found

    def start(self, pupil_id: int) -> ExitInterview:
        """The student's interview: the one already there (concept or finished), or a new
        concept filled in from what the school knows, stored at once."""
        actor = self._author()
        now = self._clock()
        with self._sessions.begin() as session:
            row = self._interview_row(session, pupil_id, write=True)
            if row is not None:
                return interview_from_row(row)
            pupil = load_pupil(session, pupil_id)
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
                    "" if is_school_address(pupil.email, school_domains(session)) else pupil.email
                ),
                spare_name=spare.name if spare else "",
                spare_relation=spare.relation if spare else "",
                spare_phone=spare.phone if spare else "",
            )
            row = ExitInterviewRow(pupil_id=pupil_id)
            apply_interview(row, fresh, actor, now)
            session.add(row)
            append(session, actor, AuditAction.EXIT, pupil_id, "exitgesprek begonnen", now)
            session.flush()
            return interview_from_row(row)

    def save_concept(self, pupil_id: int, interview: ExitInterview) -> ExitInterview:
        """Store a half-done interview; only values that cannot be right are refused."""
        now = self._clock()
        with self._sessions() as session:
            domains = school_domains(session)
        problems = concept_problems(interview, now.date(), domains)
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        with conflict_on_stale("het exitgesprek", actor):
            return self._save_concept(pupil_id, interview, actor, now)

    def _save_concept(
        self, pupil_id: int, interview: ExitInterview, actor: str, now: datetime
    ) -> ExitInterview:
        with self._sessions.begin() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            row = interview_row(session, pupil_id)
            check_version(row, interview, actor)
            if row is not None and row.state == InterviewState.AFGEROND.value:
                raise ValidationError([FINISHED_ALREADY])
            new = row is None
            if row is None:
                row = ExitInterviewRow(pupil_id=pupil_id)
                session.add(row)
            apply_interview(row, replace(interview, state=InterviewState.CONCEPT), actor, now)
            append(
                session,
                actor,
                AuditAction.EXIT,
                pupil_id,
                f"exitgesprek {'begonnen' if new else 'opgeslagen'} als concept",
                now,
            )
            session.flush()
            return interview_from_row(row)

    def finish(self, pupil_id: int, interview: ExitInterview) -> FinishResult:
        """Check the answers, then in one transaction: the interview finished, the leaving
        data, the nazorg calls (or the refusal), the consents and the handover task."""
        actor = self._author()
        now = self._clock()
        with conflict_on_stale("het exitgesprek", actor), self._sessions.begin() as session:
            check_version(self._interview_row(session, pupil_id, write=True), interview, actor)
            return finish_interview(session, pupil_id, interview, actor, now, self._sessions)

    def reopen(self, pupil_id: int) -> ExitInterview:
        """Back to a concept, to correct a mistake. What finishing did stays until the
        interview is finished again (which re-plans, and never makes a second task)."""
        actor = self._author()
        now = self._clock()
        with self._sessions.begin() as session:
            row = self._interview_row(session, pupil_id, write=True)
            if row is None:
                if session.get(PupilRow, pupil_id) is None:
                    raise NotFoundError(GONE)
                raise NotFoundError("Deze student heeft nog geen exitgesprek.")
            row.state = InterviewState.CONCEPT
            row.updated_at = now
            row.updated_by = actor
            append(session, actor, AuditAction.EXIT, pupil_id, "exitgesprek heropend", now)
            session.flush()
            return interview_from_row(row)

    # --- the school's dropout reasons --------------------------------------------------------
    def dropout_reasons(self) -> tuple[str, ...]:
        with self._sessions() as session:
            return stored_dropout_reasons(session)

    def save_dropout_reasons(self, reasons: Sequence[str]) -> None:
        require_coordinator(self._actor)
        actor = self._author()
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
            pupil = load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            row = interview_row(session, pupil_id)
            if row is None:
                raise NotFoundError("Deze student heeft nog geen exitgesprek.")
            interview = interview_from_row(row)
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
                niveau=label_of(Niveau, pupil.mbo_niveau),
                leerweg=label_of(Leerweg, pupil.mbo_leerweg),
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
                what_next=what_next(interview, due_dates, receiver_of(pupil, today)),
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
                    INTERVIEWS.c.reason,
                    INTERVIEWS.c.dropout_reason,
                    INTERVIEWS.c.next_step,
                    PUPILS.c.mbo_opleiding,
                    PUPILS.c.mbo_niveau,
                )
                .select_from(INTERVIEWS)
                .join(PUPILS, PUPILS.c.id == INTERVIEWS.c.pupil_id)
                .where(
                    INTERVIEWS.c.state == InterviewState.AFGEROND.value,
                    INTERVIEWS.c.held_on >= school_year.first_day,
                    INTERVIEWS.c.held_on <= school_year.last_day,
                )
            ).all()
        return count_figures(school_year.label, rows)

    def export_figures(self, year: str, target: Path) -> None:
        """The figures as an anonymous XLSX: no names, no studentnummers, and no count below
        5 as a number (domain.small_numbers). Written atomically, logged."""
        figures = self.figures(year)
        if figures.interviews == 0:
            raise ValidationError(
                [f"In schooljaar {figures.year} is nog geen exitgesprek afgerond."]
            )
        self._export_anonymous(
            target,
            exit_figures_workbook(figures, self._clock().date()),
            f"cijfers exitgesprekken {figures.year} (anoniem)",
        )

    def make_summary(self, pupil_id: int, today: date) -> MadeSummary:
        """The summary rendered once: the preview shows these bytes, Opslaan and Afdrukken
        log them with the version of the data they were made from."""
        from uitstroom.documents import exitgesprek

        doc = self.summary_doc(pupil_id, today)
        stream = io.BytesIO()
        exitgesprek.render(doc, stream)
        day = (doc.held_on or today).isoformat()
        return MadeSummary(
            stream.getvalue(),
            pdf_name(f"Exitgesprek {doc.student_name} {day}"),
            data_version_of(doc),
            doc.student_name,
        )

    def log_summary(self, pupil_id: int, printed: bool, version: str = "") -> None:
        """The student's summary left the program (saved as a file or printed): in the audit
        trail, like every document with personal data, with the version of the data that was
        shown (data_version_of the summary_doc rendered)."""
        actor = self._author()
        with self._sessions.begin() as session:
            load_pupil(session, pupil_id)
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
                    PUPILS.c.id,
                    PUPILS.c.roepnaam,
                    PUPILS.c.tussenvoegsel,
                    PUPILS.c.achternaam,
                    INTERVIEWS.c.state,
                )
                .select_from(PUPILS)
                .join(COHORTS, COHORTS.c.id == PUPILS.c.cohort_id)
                .outerjoin(INTERVIEWS, INTERVIEWS.c.pupil_id == PUPILS.c.id)
                .where(PUPILS.c.archived.is_(False), COHORTS.c.label.in_(labels))
            )
            if mentor:
                statement = statement.where(PUPILS.c.mentor == mentor)
            if not self._actor.is_coordinator:
                statement = statement.where(pupil_scope(session, self._actor))
            rows = session.execute(statement).all()
        found = [
            (
                row.id,
                full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
                row.state,
            )
            for row in rows
        ]
        return sorted(found, key=lambda f: (f[1].casefold(), f[0]))

    # --- interviews recorded elsewhere ---------------------------------------------------------
    def import_file(self, path: Path, dry_run: bool = False) -> ImportOutcome:
        """Coordinator only (domain.actor). Read, check every row, and write all rows in one transaction, or nothing. Each
        finished row has finish()'s consequences; a row finish() would refuse (a consent
        rule) refuses the file, by its row number."""
        require_coordinator(self._actor)
        actor = self._author()
        from uitstroom.services.importing.files import read_table

        table = read_table(Path(path))
        now = self._clock()
        with self._sessions() as session:
            problems, planned = check_table(session, table, now.date())
        finished = sum(1 for _, _, i in planned if i.state is InterviewState.AFGEROND)
        outcome = ImportOutcome(
            source=table.source,
            description=table.description,
            rows=data_rows(table),
            finished=finished,
            concepts=len(planned) - finished,
            problems=tuple(problems),
            dry_run=dry_run,
            written=False,
        )
        if problems or dry_run:
            return outcome
        self._back_up_first()
        with self._sessions.begin() as session:
            refused: list[ImportProblem] = []
            for row_number, pupil_id, interview in planned:
                if interview.state is InterviewState.AFGEROND:
                    try:
                        finish_interview(session, pupil_id, interview, actor, now, self._sessions)
                    except ValidationError as exc:  # checked before anything of the row is written
                        refused += [ImportProblem(row_number, None, p) for p in exc.problems]
                else:
                    row = interview_row(session, pupil_id) or ExitInterviewRow(pupil_id=pupil_id)
                    apply_interview(row, interview, actor, now)
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


__all__ = ["ExitService", "FinishResult", "ImportOutcome", "interview_of_pupil"]
