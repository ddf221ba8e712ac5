"""Nazorg: recording where a pupil went, the calls planned from that day, the calls made, the
alarm for a young person with no school and no work, the agenda and the anonymous figures.

The rules are domain.nazorg's. The agenda and the figures read narrow plain rows of only what
can show up (open moments of open files due by Sunday; one cohort's leavers) and hand them to
the same rules, so twenty thousand former pupils cost what a week's calls cost.

The alarm records a task (a Signal), never a handover by itself: the warme overdracht is made by
HandoverService under the consent register's rules, and refused where no basis is recorded.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.handover import (
    DocumentKind,
    DocumentRecord,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    DEFAULT_OFFSETS,
    AgendaItem,
    CallRecord,
    CallStatus,
    Channel,
    FileState,
    Leaver,
    Leaving,
    NazorgFile,
    NazorgMoment,
    Outcomes,
    Signal,
    agenda,
    attempts_since_reached,
    call_problems,
    last_known_status,
    leaving_from_route,
    leaving_problems,
    offsets_problems,
    outcomes,
    propose_uit_beeld,
)
from uitstroom.domain.plural import counted
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.workbooks import outcomes_workbook
from uitstroom.services.access import (
    pupil_scope,
    require_coordinator,
    require_pupil,
    require_write,
    visible_ids,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.convert import route_from_row
from uitstroom.services.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.handover import DocumentService
from uitstroom.services.ics import AllDayEvent, ics_file, pupil_label
from uitstroom.services.nazorg.queries import cohort_leavers, due_files, open_moment_rows
from uitstroom.services.nazorg.rows import (
    CALLS,
    NO_FILE,
    SIGNALS,
    files_of,
    load_leaving,
    load_moment,
    load_pupil,
    moment_of,
    pupil_nazorg,
    school_offsets,
    signal_of,
    spare_contacts_of,
    stored_school_type,
)
from uitstroom.services.nazorg.store import (
    call_summary,
    lock_leaving,
    reason_problems,
    replan,
    signal_receiver,
    status_of_destination,
    store_call,
    store_leaving,
    unstore_call,
)
from uitstroom.services.planning import current_labels
from uitstroom.services.speed import collector_paused
from uitstroom.storage.models import (
    CohortRow,
    LeavingRow,
    NazorgSignalRow,
    PupilRow,
    SchoolSettingsRow,
)

MAX_SNOOZE_DAYS = 366


@dataclass(frozen=True)
class CallResult:
    """What logging a call did: the file as it is now, whether the rule proposes "uit beeld"
    (three attempts on different days over two weeks), and the alarm this call raised."""

    file: NazorgFile
    propose_uit_beeld: bool
    signal: Signal | None


# Logging a call only adds: when someone else changed the file in the same moment, the call is
# simply stored again on top of their change, a few times before the user is asked to.
CALL_ATTEMPTS = 10


class NazorgService(Service):
    """`actor` (domain.actor): a mentor records leaving and calls for their own pupils and sees
    those in the agenda; the school's moments are the coordinator's; read-only users change
    nothing and read no call notes."""

    # Calls stored again after someone else's change to the same file (bench/concurrent.py).
    retried_calls = 0

    # --- leaving ---------------------------------------------------------------------------
    def record_leaving(self, pupil_id: int, leaving: Leaving) -> NazorgFile:
        """Store the uitstroomdatum and destination and plan the calls from the school's
        moments. Recording again re-plans the open moments; done ones and the calls stay."""
        now = self._clock()
        problems = leaving_problems(leaving, now.date(), SchoolYear.of(now.date()).first_day)
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        with self._sessions.begin() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            offsets = school_offsets(session)
            new = store_leaving(session, pupil_id, leaving, actor, now, offsets)
            append(
                session,
                actor,
                AuditAction.NAZORG,
                pupil_id,
                f"vertrek {'vastgelegd' if new else 'gewijzigd'}: {leaving.destination.value}",
                now,
            )
        return self._file_or_raise(pupil_id)

    def record_leaving_for_klas(
        self,
        klas: str,
        left_on: date,
        destinations: Mapping[int, Leaving] | None = None,
    ) -> int:
        """Every current pupil of the klas without a leaving record leaves on `left_on`, with
        the destination their route points to (or the one given per pupil id). One
        transaction: all of them, or none when one is refused."""
        require_write(self._actor)
        actor = self._author()
        now = self._clock()
        given = dict(destinations or {})
        start = SchoolYear.of(now.date()).first_day
        with self._sessions.begin() as session:
            labels = current_labels(session, now.date())
            rows = session.scalars(
                select(PupilRow)
                .join(CohortRow)
                .where(
                    PupilRow.klas == klas,
                    PupilRow.archived.is_(False),
                    CohortRow.label.in_(labels),
                    ~PupilRow.id.in_(select(LeavingRow.pupil_id)),
                    pupil_scope(session, self._actor),
                )
                .order_by(PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
            ).all()
            offsets = school_offsets(session)
            problems = []
            chosen = []
            for row in rows:
                leaving = given.get(row.id) or leaving_from_route(
                    route_from_row(row.route), left_on
                )
                name = full_name(row.roepnaam, row.tussenvoegsel, row.achternaam)
                problems += [f"{name}: {p}" for p in leaving_problems(leaving, now.date(), start)]
                chosen.append((row, leaving))
            if problems:
                raise ValidationError(problems)
            for row, leaving in chosen:
                store_leaving(session, row.id, leaving, actor, now, offsets)
            if chosen:
                append(
                    session,
                    actor,
                    AuditAction.NAZORG,
                    None,
                    f"vertrek vastgelegd voor {counted(len(chosen), 'leerling', 'leerlingen')} van een klas",
                    now,
                )
        return len(chosen)

    def file(self, pupil_id: int) -> NazorgFile | None:
        """One leaver's file, with the spare contacts collected before leaving."""
        with self._sessions() as session:
            if session.get(PupilRow, pupil_id) is not None:
                require_pupil(session, self._actor, pupil_id, write=False)
            found = files_of(session, [pupil_id])
            if not found:
                return None
            file = replace(found[0], spare_contacts=tuple(spare_contacts_of(session, pupil_id)))
        return self._shown(file)

    def _file_or_raise(self, pupil_id: int) -> NazorgFile:
        found = self.file(pupil_id)
        if found is None:
            raise NotFoundError(NO_FILE)
        return found

    def files(self) -> list[NazorgFile]:
        """Every leaver's file, by name. Without spare contacts: file() has them."""
        with collector_paused(), self._sessions() as session:
            found = files_of(session, None)
            if not self._actor.is_coordinator:
                seen = visible_ids(session, self._actor, [f.pupil_id for f in found])
                found = [self._shown(f) for f in found if f.pupil_id in seen]
            return found

    def _shown(self, file: NazorgFile) -> NazorgFile:
        """Read-only users see the calls without their notes."""
        if self._actor.sees_support_needs:
            return file
        return replace(file, calls=tuple(replace(c, note="") for c in file.calls))

    def offsets(self) -> tuple[int, ...]:
        with self._sessions() as session:
            return school_offsets(session)

    def save_offsets(self, offsets: Sequence[int]) -> None:
        """The school's own moments. They plan the leavers recorded from now on; files already
        planned keep theirs (record the leaving again to re-plan one)."""
        require_coordinator(self._actor)
        actor = self._author()
        with self._sessions.begin() as session:
            school_type = stored_school_type(session)
            problems = offsets_problems(offsets, school_type)
            if problems:
                raise ValidationError(problems)
            row = session.get(SchoolSettingsRow, 1)
            if row is None:
                row = SchoolSettingsRow(id=1)
                session.add(row)
            wanted = tuple(sorted(offsets))
            row.nazorg_offsets = (
                "" if wanted == DEFAULT_OFFSETS[school_type] else ",".join(map(str, wanted))
            )
            append(
                session,
                actor,
                AuditAction.SETTINGS,
                detail="velden: nazorgmomenten",
                now=self._clock(),
            )

    # --- planning ----------------------------------------------------------------------------
    def move_moment(self, moment_id: int, due: date, reason: str) -> NazorgMoment:
        if not reason.strip():
            raise ValidationError(["Vul in waarom het gesprek verschuift."])
        actor = self._author()
        with conflict_on_stale("dit nazorggesprek", actor):
            return self._move_moment(moment_id, due, reason, actor)

    def _move_moment(self, moment_id: int, due: date, reason: str, actor: str) -> NazorgMoment:
        with self._sessions.begin() as session:
            row = load_moment(session, moment_id)
            require_pupil(session, self._actor, row.pupil_id, write=True)
            if row.done_on is not None:
                raise ValidationError(
                    ["Dit gesprek is al gevoerd. Kies een gesprek dat nog open staat."]
                )
            leaving = session.scalar(select(LeavingRow).where(LeavingRow.pupil_id == row.pupil_id))
            if leaving is not None and due < leaving.left_on:
                raise ValidationError(["Kies een datum na de uitstroomdatum."])
            row.due = due
            row.moved_reason = reason.strip()
            row.updated_at = self._clock()
            row.updated_by = actor
            append(
                session,
                actor,
                AuditAction.NAZORG,
                row.pupil_id,
                f"nazorggesprek verschoven ({counted(row.months, 'maand', 'maanden')})",
                self._clock(),
            )
            session.flush()
            return moment_of(row)

    def snooze(self, moment_id: int, days: int, reason: str) -> NazorgMoment:
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise ValidationError([f"Stel uit met 1 tot en met {MAX_SNOOZE_DAYS} dagen."])
        with self._sessions() as session:
            row = load_moment(session, moment_id)
            base = max(row.due, self._clock().date())
        return self.move_moment(moment_id, base + timedelta(days=days), reason)

    def close_file(self, pupil_id: int, state: FileState, on: date | None = None) -> NazorgFile:
        """Close the file or record that it was handed over: its calls leave the agenda."""
        if state is FileState.OPEN:
            raise ValidationError(["Kies 'afgesloten' of 'overgedragen'."])
        actor = self._author()
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.state = state
            row.closed_on = on or self._clock().date()
            append(
                session, actor, AuditAction.NAZORG, pupil_id, f"nazorg {state.value}", self._clock()
            )
        return self._file_or_raise(pupil_id)

    def reopen_file(self, pupil_id: int) -> NazorgFile:
        actor = self._author()
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.state = FileState.OPEN
            row.closed_on = None
            append(session, actor, AuditAction.NAZORG, pupil_id, "nazorg heropend", self._clock())
        return self._file_or_raise(pupil_id)

    def set_waakvlam(self, pupil_id: int, on: bool) -> NazorgFile:
        """A waakvlam adds a call a year after the plan's last one (and a year after each
        waakvlam call); switching it off removes the open waakvlam call."""
        actor = self._author()
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.waakvlam = on
            session.flush()
            replan(session, pupil_id, row.left_on, school_offsets(session), on)
            append(
                session,
                actor,
                AuditAction.NAZORG,
                pupil_id,
                f"waakvlam {'aan' if on else 'uit'}",
                self._clock(),
            )
        return self._file_or_raise(pupil_id)

    def _leaving_to_change(self, session: Session, pupil_id: int, actor: str) -> LeavingRow:
        """The file's row, checked against the role and stamped with who changes it: its
        version goes up, so two people changing one file at once do not both succeed."""
        if session.get(PupilRow, pupil_id) is not None:
            require_pupil(session, self._actor, pupil_id, write=True)
        row = load_leaving(session, pupil_id)
        row.updated_at = self._clock()
        row.updated_by = actor
        # Also when the same person changes it twice in the same second: the version goes up.
        flag_modified(row, "updated_at")
        return row

    # --- calls -------------------------------------------------------------------------------
    def log_call(self, pupil_id: int, call: CallRecord) -> CallResult:
        """Store a call. Reached: it ticks its moment (and any older open one it makes moot).
        Not reached: an attempt, the moment stays open. A status of no school and no work, or
        uit beeld, coming after another status raises the alarm once: an open Signal."""
        now = self._clock()
        problems = call_problems(call, now.date())
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        return self._retrying(actor, lambda: self._log_call(pupil_id, call, actor, now))

    def correct_call(self, call_id: int, call: CallRecord, reason: str) -> CallResult:
        """Replace a call logged by mistake today with what really happened: as if the wrong
        one was never logged (its ticked moment opens again, its alarm goes when not yet sent)
        and the right one logged now. The audit trail keeps both and the reason."""
        now = self._clock()
        problems = call_problems(call, now.date()) + reason_problems(reason)
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        return self._retrying(actor, lambda: self._change_call(call_id, call, reason, actor, now))

    def withdraw_call(self, call_id: int, reason: str) -> NazorgFile:
        """Take back a call logged by mistake today (the wrong pupil, a call never made): it no
        longer counts as an attempt or a contact. The audit trail keeps what it was and why."""
        problems = reason_problems(reason)
        if problems:
            raise ValidationError(problems)
        now = self._clock()
        actor = self._author()
        return self._retrying(
            actor, lambda: self._change_call(call_id, None, reason, actor, now)
        ).file

    def _retrying(self, actor: str, store: Callable[[], CallResult]) -> CallResult:
        for attempt in range(1, CALL_ATTEMPTS + 1):
            try:
                return store()
            except StaleDataError:
                if attempt == CALL_ATTEMPTS:
                    raise ConflictError(
                        conflict_message("", actor, "het nazorgdossier van deze leerling")
                    ) from None
                # Someone else's call went in first: try again a moment later.
                self.retried_calls += 1
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    def _lock_file(self, session: Session, pupil_id: int, actor: str, now: datetime) -> None:
        if session.get(PupilRow, pupil_id) is not None:
            require_pupil(session, self._actor, pupil_id, write=True)
        lock_leaving(session, pupil_id, actor, now)

    def _log_call(self, pupil_id: int, call: CallRecord, actor: str, now: datetime) -> CallResult:
        with self._sessions.begin() as session:
            self._lock_file(session, pupil_id, actor, now)
            signal = store_call(session, pupil_id, call, actor, now)
            what = "bereikt" if call.reached else "niet bereikt"
            append(
                session,
                actor,
                AuditAction.NAZORG,
                pupil_id,
                f"nazorggesprek: {what}"
                + (f"; signaal voor {signal.receiver.value}" if signal else ""),
                now,
            )
        return self._result(pupil_id, call, signal)

    def _change_call(
        self, call_id: int, call: CallRecord | None, reason: str, actor: str, now: datetime
    ) -> CallResult:
        with self._sessions.begin() as session:
            pupil_id = session.scalar(select(CALLS.c.pupil_id).where(CALLS.c.id == call_id))
            if pupil_id is None:
                raise NotFoundError("Dit gesprek bestaat niet meer. Open de leerling opnieuw.")
            self._lock_file(session, pupil_id, actor, now)
            wrong = unstore_call(session, pupil_id, call_id, now.date())
            signal = None
            if call is not None:
                signal = store_call(session, pupil_id, replace(call, id=None), actor, now)
            was = call_summary(wrong)
            detail = (
                f"nazorggesprek van {wrong.on.isoformat()} ingetrokken ({was}): {reason.strip()}"
                if call is None
                else f"nazorggesprek van {wrong.on.isoformat()} gecorrigeerd ({was} -> "
                f"{call_summary(call)}): {reason.strip()}"
            )
            append(session, actor, AuditAction.NAZORG, pupil_id, detail, now)
        if call is None:
            return CallResult(self._file_or_raise(pupil_id), False, None)
        return self._result(pupil_id, call, signal)

    def _result(self, pupil_id: int, call: CallRecord, signal: Signal | None) -> CallResult:
        after = self._file_or_raise(pupil_id)
        attempts = attempts_since_reached(after.calls)
        proposal = (
            not call.reached
            and call.status is not CallStatus.UIT_BEELD
            and last_known_status(after.calls) is not CallStatus.UIT_BEELD
            and propose_uit_beeld(attempts)
        )
        return CallResult(after, proposal, signal)

    def same_as_last(self, pupil_id: int, moment_id: int | None, channel: Channel) -> CallResult:
        """ "Bereikt, alles hetzelfde": reached today, the last status, the same place."""
        found = self.file(pupil_id)
        if found is None:
            raise NotFoundError(NO_FILE)
        status = found.last_status or status_of_destination(found.leaving.destination)
        return self.log_call(
            pupil_id,
            CallRecord(
                on=self._clock().date(),
                reached=True,
                channel=channel,
                status=status,
                same_place=True,
                moment_id=moment_id,
            ),
        )

    def confirm_uit_beeld(self, pupil_id: int, channel: Channel) -> CallResult:
        """The coordinator accepts the proposal: "uit beeld" is recorded today (as a call
        that did not reach anyone, with that status), which raises the alarm."""
        return self.log_call(
            pupil_id,
            CallRecord(
                on=self._clock().date(),
                reached=False,
                channel=channel,
                status=CallStatus.UIT_BEELD,
                note="Uit beeld: na herhaalde pogingen niet bereikt.",
            ),
        )

    def signals(self, open_only: bool = True) -> list[tuple[NazorgFile, Signal]]:
        """The alarms, oldest first; open ones are those not yet sent."""
        with self._sessions() as session:
            statement = select(SIGNALS.c.pupil_id).distinct()
            if open_only:
                statement = statement.where(SIGNALS.c.sent_on.is_(None))
            pupil_ids = sorted(visible_ids(session, self._actor, session.scalars(statement)))
            files = {f.pupil_id: self._shown(f) for f in files_of(session, pupil_ids)}
        pairs = [
            (file, signal)
            for file in files.values()
            for signal in file.signals
            if not open_only or signal.sent_on is None
        ]
        return sorted(pairs, key=lambda p: (p[1].created_on, p[1].id or 0))

    def mark_signal_sent(
        self, signal_id: int, organisation_id: int | None, sent_on: date
    ) -> Signal:
        """Record when and to whom the signal went; the organisation's name is kept as it is
        now, so the record outlives changes in the address book."""
        actor = self._author()
        with self._sessions.begin() as session:
            row = session.get(NazorgSignalRow, signal_id)
            if row is None:
                raise NotFoundError("Dit signaal bestaat niet meer. Open de leerling opnieuw.")
            require_pupil(session, self._actor, row.pupil_id, write=True)
            receiver, sent_to = signal_receiver(
                session, row, organisation_id, sent_on, self._clock()
            )
            row.sent_on = sent_on
            row.organisation_id = organisation_id
            row.sent_to = sent_to
            append(
                session,
                actor,
                AuditAction.NAZORG,
                row.pupil_id,
                f"signaal verstuurd aan {receiver.value}",
                self._clock(),
            )
            session.flush()
            return signal_of(row)

    def warme_overdracht(
        self, signal_id: int, target: Path, organisation_id: int | None = None
    ) -> DocumentRecord:
        """The overdracht PDF for the signal's receiver, made and logged by HandoverService:
        refused (HandoverRefused, nothing written) when no consent or legal basis is recorded
        for that receiver. A Doorstroompunt signal is a legal task of the school: record that
        basis in the consent register first."""
        with self._sessions() as session:
            row = session.get(NazorgSignalRow, signal_id)
            if row is None:
                raise NotFoundError("Dit signaal bestaat niet meer. Open de leerling opnieuw.")
            pupil_id = row.pupil_id
            receiver = row.receiver
        return self.alongside(DocumentService).write_document(
            DocumentKind.OVERDRACHT,
            pupil_id,
            target,
            self._clock().date(),
            receiver,
            organisation_id,
        )

    # --- agenda and figures -------------------------------------------------------------------
    def agenda(self, today: date, mentor: str | None = None) -> list[AgendaItem]:
        """The calls due this week (up to Sunday) and overdue, of open files; overdue first.
        Only the open moments due by Sunday are read, with their pupils' calls, and given to
        domain.nazorg.agenda."""
        with collector_paused(), self._sessions() as session:
            files = due_files(session, today, mentor, self._actor)
        return agenda(files, today)

    def mentors(self) -> list[str]:
        """The mentors of the leavers whose files are open, for the agenda's filter."""
        with self._sessions() as session:
            found = session.scalars(
                select(PupilRow.mentor)
                .join(LeavingRow, LeavingRow.pupil_id == PupilRow.id)
                .where(LeavingRow.state == FileState.OPEN.value)
                .distinct()
            )
            return sorted((m for m in found if m), key=str.casefold)

    def leavers(self, cohort_label: str) -> list[Leaver]:
        """What the figures need of a cohort's leavers: dates, route, destination and the
        reached calls. Nothing that names them."""
        with collector_paused(), self._sessions() as session:
            return cohort_leavers(session, cohort_label)

    def outcomes(self, cohort_label: str, today: date) -> Outcomes:
        """The figures of the leavers whose pupil is in that cohort (domain.nazorg.outcomes)."""
        leavers = self.leavers(cohort_label)
        with collector_paused():
            return outcomes(leavers, today)

    def cohorts_with_leavers(self) -> list[str]:
        """Newest first."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(CohortRow.label)
                    .join(PupilRow, PupilRow.cohort_id == CohortRow.id)
                    .join(LeavingRow, LeavingRow.pupil_id == PupilRow.id)
                    .distinct()
                    .order_by(CohortRow.label.desc())
                )
            )

    def export_outcomes(self, cohort_label: str, today: date, target: Path) -> None:
        """The figures as an anonymous XLSX: no names, no leerlingnummers, and no count below
        5 shown as a number (domain.small_numbers). Written atomically, logged."""
        figures = self.outcomes(cohort_label, today)
        if figures.leavers == 0:
            raise ValidationError(
                [f"Cohort {cohort_label} heeft geen leerlingen met een vastgelegd vertrek."]
            )
        self._export_anonymous(
            target,
            outcomes_workbook(cohort_label, figures, today),
            f"nazorgcijfers {cohort_label} (anoniem)",
        )

    def ics(self, today: date, mentor: str | None = None) -> bytes:
        """The open nazorg calls of open files as all-day events. A young person appears as
        'Noa J. (PRO4A)' and the event says which call it is: no status, no notes. A mentor's
        calendar holds their own leavers; read-only users make none (it names them)."""
        require_write(self._actor)
        with self._sessions() as session:
            rows = open_moment_rows(session, mentor, self._actor)
        events = [
            AllDayEvent(
                f"nazorg-{moment_id}",
                f"{pupil_label(roepnaam, achternaam, klas)}: nazorggesprek na "
                + counted(months, "maand", "maanden"),
                due,
            )
            for moment_id, months, due, roepnaam, achternaam, klas in rows
        ]
        return ics_file("Nazorg" + (f" {mentor}" if mentor else ""), events, self._clock())


__all__ = [
    "CALL_ATTEMPTS",
    "MAX_SNOOZE_DAYS",
    "NO_FILE",
    "CallResult",
    "NazorgService",
    "pupil_nazorg",
    "school_offsets",
    "store_leaving",
]
