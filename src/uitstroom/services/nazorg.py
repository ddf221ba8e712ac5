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
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from uitstroom.domain.actor import Actor
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import (
    ContractSoort,
    Instrument,
    JaNeeOnbekend,
    Leerweg,
    Niveau,
    Route,
    SchoolType,
)
from uitstroom.domain.handover import (
    RECEIVER_OF_KIND,
    ContactRole,
    DocumentKind,
    DocumentRecord,
    OrganisationKind,
    Receiver,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import (
    CORRECTION_TOO_LATE,
    DEFAULT_OFFSETS,
    STATUS_OF_DESTINATION,
    AgendaItem,
    CallRecord,
    CallStatus,
    Channel,
    Destination,
    FileState,
    Leaver,
    Leaving,
    NazorgFile,
    NazorgMoment,
    Observation,
    Outcomes,
    Signal,
    SpareContact,
    add_months,
    agenda,
    alarm_fires,
    attempts_since_reached,
    call_correctable,
    call_problems,
    last_known_status,
    leaving_from_route,
    leaving_problems,
    moment_for_call,
    nazorg_plan,
    offsets_problems,
    outcomes,
    propose_uit_beeld,
    signal_to,
    waakvlam_months,
    week_end,
)
from uitstroom.domain.plural import counted
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.workbooks import outcomes_workbook
from uitstroom.services.access import (
    author_of,
    pupil_scope,
    require_coordinator,
    require_pupil,
    require_write,
    visible_ids,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Clock, Service, conflict_on_stale
from uitstroom.services.convert import enum_or, enum_or_none, route_from_row
from uitstroom.services.errors import (
    GONE,
    ConflictError,
    NotFoundError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.files import atomic_output
from uitstroom.services.handover import HandoverService
from uitstroom.services.ics import AllDayEvent, ics_file, pupil_label
from uitstroom.services.planning import current_labels
from uitstroom.services.speed import collector_paused
from uitstroom.services.spreadsheet import write_xlsx
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

_LEAVING = cast(Table, LeavingRow.__table__)
_MOMENTS = cast(Table, NazorgMomentRow.__table__)
_CALLS = cast(Table, NazorgCallRow.__table__)
_SIGNALS = cast(Table, NazorgSignalRow.__table__)
_PUPILS = cast(Table, PupilRow.__table__)
_COHORTS = cast(Table, CohortRow.__table__)
_ROUTES = cast(Table, RouteRow.__table__)
_STATUSES = {status.value: status for status in CallStatus}
_CHANNELS = {channel.value: channel for channel in Channel}
_ROUTES_BY_VALUE = {route.value: route for route in Route}
_DESTINATIONS = {d.value: d for d in Destination}
NO_FILE = (
    "Van deze leerling is nog geen vertrek vastgelegd. Leg eerst de uitstroomdatum en de "
    "bestemming vast."
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

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = datetime.now,
        actor: Actor | None = None,
    ) -> None:
        super().__init__(sessions, clock, actor)
        # Calls stored again after someone else's change to the same file (bench/concurrent.py).
        self.retried_calls = 0

    # --- leaving ---------------------------------------------------------------------------
    def record_leaving(self, pupil_id: int, leaving: Leaving, actor: str) -> NazorgFile:
        """Store the uitstroomdatum and destination and plan the calls from the school's
        moments. Recording again re-plans the open moments; done ones and the calls stay."""
        now = self._clock()
        problems = leaving_problems(leaving, now.date(), SchoolYear.of(now.date()).first_day)
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            _load_pupil(session, pupil_id)
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
        actor: str,
        destinations: Mapping[int, Leaving] | None = None,
    ) -> int:
        """Every current pupil of the klas without a leaving record leaves on `left_on`, with
        the destination their route points to (or the one given per pupil id). One
        transaction: all of them, or none when one is refused."""
        require_write(self._actor)
        actor = author_of(self._actor, actor)
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
            found = _files(session, [pupil_id])
            if not found:
                return None
            file = replace(found[0], spare_contacts=tuple(_spare_contacts(session, pupil_id)))
        return self._shown(file)

    def _file_or_raise(self, pupil_id: int) -> NazorgFile:
        found = self.file(pupil_id)
        if found is None:
            raise NotFoundError(NO_FILE)
        return found

    def files(self) -> list[NazorgFile]:
        """Every leaver's file, by name. Without spare contacts: file() has them."""
        with collector_paused(), self._sessions() as session:
            found = _files(session, None)
            if self._actor is not None and not self._actor.is_coordinator:
                seen = visible_ids(session, self._actor, [f.pupil_id for f in found])
                found = [self._shown(f) for f in found if f.pupil_id in seen]
            return found

    def _shown(self, file: NazorgFile) -> NazorgFile:
        """Read-only users see the calls without their notes."""
        if self._actor is None or self._actor.sees_support_needs:
            return file
        return replace(file, calls=tuple(replace(c, note="") for c in file.calls))

    def offsets(self) -> tuple[int, ...]:
        with self._sessions() as session:
            return school_offsets(session)

    def save_offsets(self, offsets: Sequence[int], actor: str) -> None:
        """The school's own moments. They plan the leavers recorded from now on; files already
        planned keep theirs (record the leaving again to re-plan one)."""
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            school_type = _school_type(session)
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
    def move_moment(self, moment_id: int, due: date, reason: str, actor: str) -> NazorgMoment:
        if not reason.strip():
            raise ValidationError(["Vul in waarom het gesprek verschuift."])
        actor = author_of(self._actor, actor)
        with conflict_on_stale("dit nazorggesprek", actor):
            return self._move_moment(moment_id, due, reason, actor)

    def _move_moment(self, moment_id: int, due: date, reason: str, actor: str) -> NazorgMoment:
        with self._sessions.begin() as session:
            row = _load_moment(session, moment_id)
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
            return _moment(row)

    def snooze(self, moment_id: int, days: int, reason: str, actor: str) -> NazorgMoment:
        if not 1 <= days <= MAX_SNOOZE_DAYS:
            raise ValidationError([f"Stel uit met 1 tot en met {MAX_SNOOZE_DAYS} dagen."])
        with self._sessions() as session:
            row = _load_moment(session, moment_id)
            base = max(row.due, self._clock().date())
        return self.move_moment(moment_id, base + timedelta(days=days), reason, actor)

    def close_file(
        self, pupil_id: int, state: FileState, actor: str, on: date | None = None
    ) -> NazorgFile:
        """Close the file or record that it was handed over: its calls leave the agenda."""
        if state is FileState.OPEN:
            raise ValidationError(["Kies 'afgesloten' of 'overgedragen'."])
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.state = state.value
            row.closed_on = on or self._clock().date()
            append(
                session, actor, AuditAction.NAZORG, pupil_id, f"nazorg {state.value}", self._clock()
            )
        return self._file_or_raise(pupil_id)

    def reopen_file(self, pupil_id: int, actor: str) -> NazorgFile:
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.state = FileState.OPEN.value
            row.closed_on = None
            append(session, actor, AuditAction.NAZORG, pupil_id, "nazorg heropend", self._clock())
        return self._file_or_raise(pupil_id)

    def set_waakvlam(self, pupil_id: int, on: bool, actor: str) -> NazorgFile:
        """A waakvlam adds a call a year after the plan's last one (and a year after each
        waakvlam call); switching it off removes the open waakvlam call."""
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = self._leaving_to_change(session, pupil_id, actor)
            row.waakvlam = on
            session.flush()
            _replan(session, pupil_id, row.left_on, school_offsets(session), on)
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
        row = _load_leaving(session, pupil_id)
        row.updated_at = self._clock()
        row.updated_by = actor
        # Also when the same person changes it twice in the same second: the version goes up.
        flag_modified(row, "updated_at")
        return row

    # --- calls -------------------------------------------------------------------------------
    def log_call(self, pupil_id: int, call: CallRecord, actor: str) -> CallResult:
        """Store a call. Reached: it ticks its moment (and any older open one it makes moot).
        Not reached: an attempt, the moment stays open. A status of no school and no work, or
        uit beeld, coming after another status raises the alarm once: an open Signal."""
        now = self._clock()
        problems = call_problems(call, now.date())
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        return self._retrying(actor, lambda: self._log_call(pupil_id, call, actor, now))

    def correct_call(self, call_id: int, call: CallRecord, reason: str, actor: str) -> CallResult:
        """Replace a call logged by mistake today with what really happened: as if the wrong
        one was never logged (its ticked moment opens again, its alarm goes when not yet sent)
        and the right one logged now. The audit trail keeps both and the reason."""
        now = self._clock()
        problems = call_problems(call, now.date()) + _reason_problems(reason)
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        return self._retrying(actor, lambda: self._change_call(call_id, call, reason, actor, now))

    def withdraw_call(self, call_id: int, reason: str, actor: str) -> NazorgFile:
        """Take back a call logged by mistake today (the wrong pupil, a call never made): it no
        longer counts as an attempt or a contact. The audit trail keeps what it was and why."""
        problems = _reason_problems(reason)
        if problems:
            raise ValidationError(problems)
        now = self._clock()
        actor = author_of(self._actor, actor)
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
            _file_in(session, pupil_id)  # says whether the pupil or the file is missing
            raise NotFoundError(NO_FILE)
        leaving.updated_at = now
        leaving.updated_by = actor
        flag_modified(leaving, "updated_at")
        session.flush()

    def _log_call(self, pupil_id: int, call: CallRecord, actor: str, now: datetime) -> CallResult:
        with self._sessions.begin() as session:
            self._lock_file(session, pupil_id, actor, now)
            signal = _store_call(session, pupil_id, call, actor, now)
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
            pupil_id = session.scalar(select(_CALLS.c.pupil_id).where(_CALLS.c.id == call_id))
            if pupil_id is None:
                raise NotFoundError("Dit gesprek bestaat niet meer. Open de leerling opnieuw.")
            self._lock_file(session, pupil_id, actor, now)
            wrong = _unstore_call(session, pupil_id, call_id, now.date())
            signal = None
            if call is not None:
                signal = _store_call(session, pupil_id, replace(call, id=None), actor, now)
            was = _call_summary(wrong)
            detail = (
                f"nazorggesprek van {wrong.on.isoformat()} ingetrokken ({was}): {reason.strip()}"
                if call is None
                else f"nazorggesprek van {wrong.on.isoformat()} gecorrigeerd ({was} -> "
                f"{_call_summary(call)}): {reason.strip()}"
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

    def same_as_last(
        self, pupil_id: int, moment_id: int | None, channel: Channel, actor: str
    ) -> CallResult:
        """ "Bereikt, alles hetzelfde": reached today, the last status, the same place."""
        found = self.file(pupil_id)
        if found is None:
            raise NotFoundError(NO_FILE)
        status = found.last_status or _status_of_destination(found.leaving.destination)
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
            actor,
        )

    def confirm_uit_beeld(self, pupil_id: int, channel: Channel, actor: str) -> CallResult:
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
            actor,
        )

    def signals(self, open_only: bool = True) -> list[tuple[NazorgFile, Signal]]:
        """The alarms, oldest first; open ones are those not yet sent."""
        with self._sessions() as session:
            statement = select(_SIGNALS.c.pupil_id).distinct()
            if open_only:
                statement = statement.where(_SIGNALS.c.sent_on.is_(None))
            pupil_ids = sorted(visible_ids(session, self._actor, session.scalars(statement)))
            files = {f.pupil_id: self._shown(f) for f in _files(session, pupil_ids)}
        pairs = [
            (file, signal)
            for file in files.values()
            for signal in file.signals
            if not open_only or signal.sent_on is None
        ]
        return sorted(pairs, key=lambda p: (p[1].created_on, p[1].id or 0))

    def mark_signal_sent(
        self, signal_id: int, organisation_id: int | None, sent_on: date, actor: str
    ) -> Signal:
        """Record when and to whom the signal went; the organisation's name is kept as it is
        now, so the record outlives changes in the address book."""
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = session.get(NazorgSignalRow, signal_id)
            if row is None:
                raise NotFoundError("Dit signaal bestaat niet meer. Open de leerling opnieuw.")
            require_pupil(session, self._actor, row.pupil_id, write=True)
            problems = []
            if sent_on < row.created_on:
                problems.append("De datum van versturen ligt voor de datum van het signaal.")
            if sent_on > self._clock().date():
                problems.append("De datum van versturen ligt in de toekomst.")
            receiver = enum_or(Receiver, row.receiver, Receiver.GEMEENTE)
            sent_to = receiver.label
            if organisation_id is not None:
                organisation = session.get(OrganisationRow, organisation_id)
                if organisation is None:
                    problems.append("Deze organisatie staat niet meer in het adresboek.")
                else:
                    kind = enum_or(OrganisationKind, organisation.kind, OrganisationKind.ANDERS)
                    if RECEIVER_OF_KIND[kind] is not receiver:
                        problems.append(
                            f"{organisation.name} is geen {receiver.label.lower()}. Kies een "
                            "organisatie van die soort, of geen organisatie."
                        )
                    sent_to = organisation.name
            if problems:
                raise ValidationError(problems)
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
            return _signal(row)

    def warme_overdracht(
        self, signal_id: int, target: Path, actor: str, organisation_id: int | None = None
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
            receiver = enum_or(Receiver, row.receiver, Receiver.GEMEENTE)
        return HandoverService(self._sessions, self._clock, self._actor).write_document(
            DocumentKind.OVERDRACHT,
            pupil_id,
            target,
            actor,
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
            connection = session.connection()
            where = [
                _MOMENTS.c.done_on.is_(None),
                _MOMENTS.c.due <= week_end(today),
                _LEAVING.c.state == FileState.OPEN.value,
            ]
            if mentor:
                where.append(_PUPILS.c.mentor == mentor)
            if self._actor is not None and not self._actor.is_coordinator:
                where.append(pupil_scope(session, self._actor))
            rows = connection.execute(
                select(
                    _MOMENTS.c.pupil_id,
                    _MOMENTS.c.id,
                    _MOMENTS.c.months,
                    _MOMENTS.c.due,
                    _MOMENTS.c.original_due,
                    _PUPILS.c.roepnaam,
                    _PUPILS.c.tussenvoegsel,
                    _PUPILS.c.achternaam,
                    _PUPILS.c.mentor,
                    _LEAVING.c.left_on,
                    _LEAVING.c.destination,
                )
                .select_from(_MOMENTS)
                .join(_LEAVING, _LEAVING.c.pupil_id == _MOMENTS.c.pupil_id)
                .join(_PUPILS, _PUPILS.c.id == _MOMENTS.c.pupil_id)
                .where(*where)
            ).all()
            pupil_ids = {row[0] for row in rows}
            calls: dict[int, list[CallRecord]] = defaultdict(list)
            for chunk in _chunks(sorted(pupil_ids), 900):
                for pupil_id, on, reached, channel, status, call_id in connection.execute(
                    select(
                        _CALLS.c.pupil_id,
                        _CALLS.c.called_on,
                        _CALLS.c.reached,
                        _CALLS.c.channel,
                        _CALLS.c.status,
                        _CALLS.c.id,
                    )
                    .where(_CALLS.c.pupil_id.in_(chunk))
                    .order_by(_CALLS.c.called_on, _CALLS.c.id)
                ):
                    calls[pupil_id].append(
                        CallRecord(
                            on,
                            reached,
                            _CHANNELS.get(channel, Channel.TELEFOON),
                            _STATUSES.get(status) if status else None,
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
                leaving=Leaving(head[9], _DESTINATIONS.get(head[10], Destination.ONBEKEND)),
                moments=tuple(moments[pupil_id]),
                calls=tuple(calls.get(pupil_id, ())),
                signals=(),
                mentor=head[8],
            )
            for pupil_id, head in heads.items()
        ]
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
            connection = session.connection()
            heads = connection.execute(
                select(
                    _LEAVING.c.pupil_id, _LEAVING.c.left_on, _LEAVING.c.destination, _ROUTES.c.route
                )
                .select_from(_LEAVING)
                .join(_PUPILS, _PUPILS.c.id == _LEAVING.c.pupil_id)
                .join(_COHORTS, _COHORTS.c.id == _PUPILS.c.cohort_id)
                .outerjoin(_ROUTES, _ROUTES.c.pupil_id == _LEAVING.c.pupil_id)
                .where(_COHORTS.c.label == cohort_label)
            ).all()
            seen: dict[int, list[Observation]] = defaultdict(list)
            in_cohort = (
                select(_PUPILS.c.id)
                .join(_COHORTS, _COHORTS.c.id == _PUPILS.c.cohort_id)
                .where(_COHORTS.c.label == cohort_label)
            )
            for pupil_id, on, status, same_place in connection.execute(
                select(_CALLS.c.pupil_id, _CALLS.c.called_on, _CALLS.c.status, _CALLS.c.same_place)
                .where(
                    _CALLS.c.pupil_id.in_(in_cohort),
                    _CALLS.c.reached.is_(True),
                    _CALLS.c.status.is_not(None),
                )
                .order_by(_CALLS.c.called_on, _CALLS.c.id)
            ):
                found = _STATUSES.get(status)
                if found is not None:
                    seen[pupil_id].append(Observation(on, found, same_place))
        routes = _ROUTES_BY_VALUE
        return [
            Leaver(
                left_on,
                routes.get(route or "", Route.ONBEKEND).label,
                _DESTINATIONS.get(destination, Destination.ONBEKEND),
                tuple(seen.get(pupil_id, ())),
            )
            for pupil_id, left_on, destination, route in heads
        ]

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

    def export_outcomes(self, cohort_label: str, today: date, target: Path, actor: str) -> None:
        """The figures as an anonymous XLSX: no names, no leerlingnummers, and no count below
        5 shown as a number (domain.small_numbers). Written atomically, logged."""
        actor = author_of(self._actor, actor)
        figures = self.outcomes(cohort_label, today)
        if figures.leavers == 0:
            raise ValidationError(
                [f"Cohort {cohort_label} heeft geen leerlingen met een vastgelegd vertrek."]
            )
        workbook = outcomes_workbook(cohort_label, figures, today)
        with atomic_output(Path(target)) as stream:
            write_xlsx(stream, workbook)
        with self._sessions.begin() as session:
            append(
                session,
                actor,
                AuditAction.EXPORTED,
                None,
                f"nazorgcijfers {cohort_label} (anoniem)",
                self._clock(),
            )

    def ics(self, today: date, mentor: str | None = None) -> bytes:
        """The open nazorg calls of open files as all-day events. A young person appears as
        'Noa J. (PRO4A)' and the event says which call it is: no status, no notes. A mentor's
        calendar holds their own leavers; read-only users make none (it names them)."""
        require_write(self._actor)
        with self._sessions() as session:
            where = [
                _MOMENTS.c.done_on.is_(None),
                _LEAVING.c.state == FileState.OPEN.value,
                pupil_scope(session, self._actor),
            ]
            if mentor:
                where.append(_PUPILS.c.mentor == mentor)
            rows = session.execute(
                select(
                    _MOMENTS.c.id,
                    _MOMENTS.c.months,
                    _MOMENTS.c.due,
                    _PUPILS.c.roepnaam,
                    _PUPILS.c.achternaam,
                    _PUPILS.c.klas,
                )
                .select_from(_MOMENTS)
                .join(_LEAVING, _LEAVING.c.pupil_id == _MOMENTS.c.pupil_id)
                .join(_PUPILS, _PUPILS.c.id == _MOMENTS.c.pupil_id)
                .where(*where)
                .order_by(_MOMENTS.c.due, _MOMENTS.c.id)
            ).all()
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


# --- rules the service adds ----------------------------------------------------------------


def _reason_problems(reason: str) -> list[str]:
    if not reason.strip():
        return [
            "Schrijf kort waarom u het gesprek corrigeert of intrekt (dat komt in het logboek)."
        ]
    return []


def _call_summary(call: CallRecord) -> str:
    what = "bereikt" if call.reached else "niet bereikt"
    return f"{what}, {call.status.value}" if call.status is not None else what


def _store_call(
    session: Session, pupil_id: int, call: CallRecord, actor: str, now: datetime
) -> Signal | None:
    """Write one call into a locked file: the row, the moment it ticks, the alarm it raises.
    Every row it changes carries `now`, so taking the call back finds exactly those."""
    file = _file_in(session, pupil_id)
    previous = last_known_status(file.calls)
    moment = moment_for_call(file.moments, call.on, call.moment_id)
    if call.moment_id is not None and not any(m.id == call.moment_id for m in file.moments):
        raise NotFoundError("Dit nazorggesprek bestaat niet meer. Open de leerling opnieuw.")
    moment_id = moment.id if moment is not None else None
    session.execute(
        insert(_CALLS).values(
            pupil_id=pupil_id,
            moment_id=moment_id,
            called_on=call.on,
            reached=call.reached,
            channel=call.channel.value,
            status=call.status.value if call.status is not None else None,
            same_place=call.same_place if call.reached else None,
            wants_help=call.wants_help if call.reached else None,
            note=call.note.strip(),
            by=call.by or actor,
            created_at=now,
        )
    )
    if call.reached and moment is not None:
        session.execute(
            update(_MOMENTS)
            .where(
                _MOMENTS.c.pupil_id == pupil_id,
                _MOMENTS.c.done_on.is_(None),
                _MOMENTS.c.due <= moment.due,
            )
            .values(
                done_on=call.on,
                updated_at=now,
                updated_by=actor,
                version=_MOMENTS.c.version + 1,
            )
        )
        if file.waakvlam:
            _replan(session, pupil_id, file.leaving.left_on, school_offsets(session), True)
    if call.status is None or not alarm_fires(previous, call.status):
        return None
    birth, startkwalificatie = session.execute(
        select(PupilRow.geboortedatum, PupilRow.startkwalificatie).where(PupilRow.id == pupil_id)
    ).one()
    receiver = signal_to(
        birth, call.on, enum_or(JaNeeOnbekend, startkwalificatie, JaNeeOnbekend.ONBEKEND)
    )
    signal_row = NazorgSignalRow(
        pupil_id=pupil_id,
        created_on=call.on,
        status=call.status.value,
        receiver=receiver.value,
        sent_to="",
    )
    session.add(signal_row)
    session.flush()
    return Signal(call.on, call.status, receiver, id=signal_row.id)


def _unstore_call(session: Session, pupil_id: int, call_id: int, today: date) -> CallRecord:
    """Take a call out of a locked file as if it was never logged: the moments it ticked open
    again (they carry its timestamp), the alarm it raised goes while not yet sent (a sent
    signal stays: someone outside the school acted on it), a waakvlam is planned again."""
    row = session.execute(select(_CALLS).where(_CALLS.c.id == call_id)).one()
    wrong = _call(row)
    if not call_correctable(wrong, today):
        raise ValidationError([CORRECTION_TOO_LATE])
    file = _file_in(session, pupil_id)
    if wrong.reached:
        session.execute(
            update(_MOMENTS)
            .where(
                _MOMENTS.c.pupil_id == pupil_id,
                _MOMENTS.c.done_on == wrong.on,
                _MOMENTS.c.updated_at == row.created_at,
            )
            .values(done_on=None, updated_at=row.created_at, version=_MOMENTS.c.version + 1)
        )
    session.execute(delete(_CALLS).where(_CALLS.c.id == call_id))
    if wrong.status is not None:
        before = last_known_status([c for c in file.calls if c.id != call_id])
        if alarm_fires(before, wrong.status):
            session.execute(
                delete(_SIGNALS).where(
                    _SIGNALS.c.pupil_id == pupil_id,
                    _SIGNALS.c.created_on == wrong.on,
                    _SIGNALS.c.status == wrong.status.value,
                    _SIGNALS.c.sent_on.is_(None),
                )
            )
    if wrong.reached and file.waakvlam:
        _replan(session, pupil_id, file.leaving.left_on, school_offsets(session), True)
    return wrong


def _status_of_destination(destination: Destination) -> CallStatus:
    return STATUS_OF_DESTINATION[destination]


# --- reading and writing inside a transaction ---------------------------------------------------


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _instruments(text: str) -> frozenset[Instrument]:
    return frozenset(
        found
        for value in text.split(",")
        if (found := enum_or_none(Instrument, value.strip())) is not None
    )


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
        row = LeavingRow(pupil_id=pupil_id, state=FileState.OPEN.value, waakvlam=False)
        session.add(row)
    row.left_on = leaving.left_on
    row.destination = leaving.destination.value
    row.employer = leaving.employer.strip()
    row.contract = leaving.contract.value
    row.instruments = ",".join(sorted(i.value for i in leaving.instruments))
    row.mbo_instelling = leaving.mbo_instelling.strip()
    row.opleiding = leaving.opleiding.strip()
    row.niveau = leaving.niveau.value if leaving.niveau else None
    row.leerweg = leaving.leerweg.value if leaving.leerweg else None
    row.note = leaving.note.strip()
    row.recorded_by = actor
    row.recorded_at = now
    session.flush()
    _replan(session, pupil_id, leaving.left_on, offsets, bool(row.waakvlam))
    return new


def _school_type(session: Session) -> SchoolType:
    row = session.get(SchoolSettingsRow, 1)
    return enum_or(SchoolType, row.school_type if row else None, SchoolType.PRO)


def school_offsets(session: Session) -> tuple[int, ...]:
    row = session.get(SchoolSettingsRow, 1)
    school_type = enum_or(SchoolType, row.school_type if row else None, SchoolType.PRO)
    text = (row.nazorg_offsets or "") if row is not None else ""
    own = tuple(sorted({int(part) for part in text.split(",") if part.strip().isdigit()}))
    return own or DEFAULT_OFFSETS[school_type]


def _replan(
    session: Session, pupil_id: int, left_on: date, offsets: Sequence[int], waakvlam: bool
) -> None:
    """Make the open moments match the plan from `left_on`: an open moment whose planned date
    changed gets the new date (and loses its reason: the date is new), one moved by hand for
    the same planned date keeps its move, a missing one is added, an open one the plan no
    longer has goes. Done moments stay as they were. With a waakvlam, one open moment a year
    after the last."""
    school_type = _school_type(session)
    planned = {p.months: p.due for p in nazorg_plan(left_on, school_type, offsets)}
    current = session.execute(
        select(_MOMENTS.c.id, _MOMENTS.c.months, _MOMENTS.c.done_on, _MOMENTS.c.original_due).where(
            _MOMENTS.c.pupil_id == pupil_id
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
                    update(_MOMENTS)
                    .where(_MOMENTS.c.id == moment_id)
                    .values(due=planned[months], original_due=planned[months], moved_reason="")
                )
            keep.add(months)
        else:
            session.execute(delete(_MOMENTS).where(_MOMENTS.c.id == moment_id))
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
        session.execute(insert(_MOMENTS), rows)


def _load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def _load_leaving(session: Session, pupil_id: int) -> LeavingRow:
    row = session.scalar(select(LeavingRow).where(LeavingRow.pupil_id == pupil_id))
    if row is None:
        raise NotFoundError(NO_FILE)
    return row


def _load_moment(session: Session, moment_id: int) -> NazorgMomentRow:
    row = session.get(NazorgMomentRow, moment_id)
    if row is None:
        raise NotFoundError("Dit nazorggesprek bestaat niet meer. Open de leerling opnieuw.")
    return row


def _moment(row: Any) -> NazorgMoment:
    return NazorgMoment(
        months=row.months,
        due=row.due,
        original_due=row.original_due,
        moved_reason=row.moved_reason or "",
        done_on=row.done_on,
        id=row.id,
    )


def _call(row: Any) -> CallRecord:
    return CallRecord(
        on=row.called_on,
        reached=bool(row.reached),
        channel=_CHANNELS.get(row.channel, Channel.TELEFOON),
        status=_STATUSES.get(row.status) if row.status else None,
        same_place=row.same_place,
        wants_help=row.wants_help,
        note=row.note or "",
        by=row.by or "",
        moment_id=row.moment_id,
        id=row.id,
        logged_on=row.created_at.date() if row.created_at is not None else None,
    )


def _signal(row: Any) -> Signal:
    return Signal(
        created_on=row.created_on,
        status=_STATUSES.get(row.status, CallStatus.GEEN),
        receiver=enum_or(Receiver, row.receiver, Receiver.GEMEENTE),
        organisation_id=row.organisation_id,
        sent_on=row.sent_on,
        sent_to=row.sent_to or "",
        id=row.id,
    )


def _leaving(row: Any) -> Leaving:
    return Leaving(
        left_on=row.left_on,
        destination=_DESTINATIONS.get(row.destination, Destination.ONBEKEND),
        employer=row.employer or "",
        contract=enum_or(ContractSoort, row.contract, ContractSoort.ONBEKEND),
        instruments=_instruments(row.instruments or ""),
        mbo_instelling=row.mbo_instelling or "",
        opleiding=row.opleiding or "",
        niveau=enum_or_none(Niveau, row.niveau),
        leerweg=enum_or_none(Leerweg, row.leerweg),
        note=row.note or "",
    )


def _files(session: Session, pupil_ids: Sequence[int] | None) -> list[NazorgFile]:
    """Files of these pupils (every leaver when None), by name, in four queries."""
    connection = session.connection()
    heads_query = (
        select(
            _LEAVING,
            _PUPILS.c.roepnaam,
            _PUPILS.c.tussenvoegsel,
            _PUPILS.c.achternaam,
            _PUPILS.c.mentor,
        )
        .select_from(_LEAVING)
        .join(_PUPILS, _PUPILS.c.id == _LEAVING.c.pupil_id)
    )
    moments_query = select(_MOMENTS).order_by(_MOMENTS.c.due, _MOMENTS.c.id)
    calls_query = select(_CALLS).order_by(_CALLS.c.called_on, _CALLS.c.id)
    signals_query = select(_SIGNALS).order_by(_SIGNALS.c.created_on, _SIGNALS.c.id)
    if pupil_ids is not None:
        ids = list(pupil_ids)
        heads_query = heads_query.where(_LEAVING.c.pupil_id.in_(ids))
        moments_query = moments_query.where(_MOMENTS.c.pupil_id.in_(ids))
        calls_query = calls_query.where(_CALLS.c.pupil_id.in_(ids))
        signals_query = signals_query.where(_SIGNALS.c.pupil_id.in_(ids))
    heads = connection.execute(heads_query).all()
    moments: dict[int, list[NazorgMoment]] = defaultdict(list)
    for row in connection.execute(moments_query):
        moments[row.pupil_id].append(_moment(row))
    calls: dict[int, list[CallRecord]] = defaultdict(list)
    for row in connection.execute(calls_query):
        calls[row.pupil_id].append(_call(row))
    signals: dict[int, list[Signal]] = defaultdict(list)
    for row in connection.execute(signals_query):
        signals[row.pupil_id].append(_signal(row))
    files = [
        NazorgFile(
            pupil_id=head.pupil_id,
            name=full_name(head.roepnaam, head.tussenvoegsel, head.achternaam),
            leaving=_leaving(head),
            moments=tuple(moments.get(head.pupil_id, ())),
            calls=tuple(calls.get(head.pupil_id, ())),
            signals=tuple(signals.get(head.pupil_id, ())),
            state=enum_or(FileState, head.state, FileState.OPEN),
            closed_on=head.closed_on,
            waakvlam=bool(head.waakvlam),
            mentor=head.mentor or "",
        )
        for head in heads
    ]
    return sorted(files, key=lambda f: (f.name.casefold(), f.pupil_id))


def pupil_nazorg(session: Session, pupil_id: int) -> NazorgFile | None:
    """One pupil's nazorg file inside the caller's session (for the inzage)."""
    found = _files(session, [pupil_id])
    return found[0] if found else None


def _file_in(session: Session, pupil_id: int) -> NazorgFile:
    found = _files(session, [pupil_id])
    if not found:
        if session.get(PupilRow, pupil_id) is None:
            raise NotFoundError(GONE)
        raise NotFoundError(NO_FILE)
    return found[0]


def _spare_contacts(session: Session, pupil_id: int) -> list[SpareContact]:
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


# --- the anonymous workbook ------------------------------------------------------------------
