"""The audit trail: who did what, when, kept inside the encrypted database as a hash chain.

`append` adds a line inside the caller's transaction, so the line and the change it records
are committed together or not at all. `record` is the same as a transaction of its own, for
things that are not database changes (a backup made, a file exported).

A line never holds personal data: pupils are named by their internal id only, and details
name fields or counts ("velden: klas, mentor"), never values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.domain.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    ChainAnchor,
    ChainBreak,
    anchor_breaks,
    seal,
    verify_chain,
    view_is_new,
)
from uitstroom.services.access import current_actor, require_coordinator
from uitstroom.services.base import Clock, Service
from uitstroom.services.identity import os_login
from uitstroom.storage.models import AuditEventRow, ChangeMarkerRow

# The triggers of migration 0002 that make the table append-only.
_GUARDS = ("audit_event_no_update", "audit_event_no_delete")


def append(
    session: Session,
    actor: str,
    action: AuditAction,
    pupil_id: int | None = None,
    detail: str = "",
    now: datetime | None = None,
) -> AuditEntry:
    """Seal a line onto the chain inside the caller's transaction (`with sessions.begin()`).

    First the change marker: a change bumps it, so open windows read their lists again
    (services.changes); a line that changes nothing only locks it. Either way the writers take
    turns here until they commit, so on a server two of them never seal onto the same line."""
    now = now or datetime.now()
    take_turn(session, actor, now, bump=action not in _NO_CHANGE)
    previous = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1))
    entry = seal(
        AuditEntry(
            at=now,
            os_user=os_login(),
            actor=actor,
            action=action,
            pupil_id=pupil_id,
            detail=detail,
        ),
        previous or GENESIS,
    )
    row = AuditEventRow(
        at=entry.at,
        os_user=entry.os_user,
        actor=entry.actor,
        action=entry.action,
        pupil_id=entry.pupil_id,
        detail=entry.detail,
        previous_hash=entry.previous_hash,
        hash=entry.hash,
    )
    session.add(row)
    session.flush()
    return replace(entry, id=row.id)


# Lines that record something other than a change of the data in the lists.
_NO_CHANGE = frozenset(
    {
        AuditAction.VIEWED_SUPPORT,
        AuditAction.REFUSED,
        AuditAction.UNLOCKED,
        AuditAction.BACKUP,
        AuditAction.EXPORTED,
        AuditAction.INZAGE,
    }
)


def take_turn(session: Session, actor: str, now: datetime, bump: bool = True) -> None:
    """Lock the change marker row until the caller's transaction ends, bumping its counter
    for a change. An UPDATE either way: SQLite takes its one write lock here (a SELECT would
    not, and two writers could then seal onto the same line), PostgreSQL a row lock, so the
    writers take turns from here until they commit."""
    marker = ChangeMarkerRow
    values = (
        {"counter": marker.counter + 1, "changed_at": now, "changed_by": actor}
        if bump
        else {"counter": marker.counter}
    )
    result = session.execute(
        update(marker)
        .where(marker.id == 1)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not cast(CursorResult[Any], result).rowcount:
        session.execute(
            insert(marker).values(
                id=1,
                counter=int(bump),
                changed_at=now if bump else None,
                changed_by=actor if bump else "",
            )
        )


def record(
    sessions: sessionmaker[Session],
    actor: str | None,
    action: AuditAction,
    detail: str = "",
    pupil_id: int | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """One line in a transaction of its own. `actor` None: the coordinator from the settings."""
    with sessions.begin() as session:
        return append(
            session,
            actor if actor is not None else current_actor(session),
            action,
            pupil_id,
            detail,
            now,
        )


def append_view(session: Session, actor: str, pupil_id: int, now: datetime) -> bool:
    """Log that support needs and notes were shown; a view shortly after the last logged one
    of the same pupil by the same person is not logged again (see domain.audit)."""
    last = session.scalar(
        select(AuditEventRow.at)
        .where(
            AuditEventRow.pupil_id == pupil_id,
            AuditEventRow.action == AuditAction.VIEWED_SUPPORT.value,
            AuditEventRow.actor == actor,
            AuditEventRow.os_user == os_login(),
        )
        .order_by(AuditEventRow.id.desc())
        .limit(1)
    )
    if not view_is_new(last, now):
        return False
    append(session, actor, AuditAction.VIEWED_SUPPORT, pupil_id, "detailweergave", now)
    return True


# Plain rows, not ORM objects: the viewer and the check read every line, which is some
# hundred thousand after years of use.
_LINES = select(AuditEventRow.__table__)


def entry_from_row(row: Any) -> AuditEntry:
    """An AuditEventRow, or a plain row of the audit_event table."""
    # An unknown value was not written by this program: the line was changed outside it. A
    # stand-in action keeps the line readable; its hash then no longer matches.
    action = row.action or AuditAction.EDITED
    return AuditEntry(
        id=row.id,
        at=row.at,
        os_user=row.os_user,
        actor=row.actor,
        action=action,
        pupil_id=row.pupil_id,
        detail=row.detail,
        previous_hash=row.previous_hash,
        hash=row.hash,
    )


@dataclass(frozen=True)
class ChainReport:
    """The outcome of "Keten controleren"."""

    lines: int
    breaks: tuple[ChainBreak, ...]
    guarded: bool  # the triggers that refuse changes are still in place
    # What the heads recorded outside the database (backups) say: contradictions, agreements.
    anchor_problems: tuple[str, ...] = ()
    anchors_agreed: int = 0

    @property
    def whole(self) -> bool:
        return not self.breaks and self.guarded and not self.anchor_problems

    @property
    def summary(self) -> str:
        noun = "regel" if self.lines == 1 else "regels"
        if self.whole:
            checked = (
                f" Het klopt met wat {self.anchors_agreed} back-up"
                f"{'' if self.anchors_agreed == 1 else 's'} ervan vastlegde"
                f"{'' if self.anchors_agreed == 1 else 'n'}."
                if self.anchors_agreed
                else ""
            )
            return (
                f"Het logboek is compleet: {self.lines} {noun}, en geen enkele regel is "
                f"achteraf veranderd of weggehaald.{checked}"
            )
        parts = list(self.anchor_problems)
        if self.breaks:
            ids = sorted({b.entry_id for b in self.breaks if b.entry_id is not None})
            which = ", ".join(str(i) for i in ids)
            parts.append(
                f"Het logboek is niet meer compleet. Deze regels kloppen niet: {which}. "
                "Iemand heeft het logboek buiten Uitstroom om veranderd."
            )
        if not self.guarded:
            parts.append(
                "De beveiliging die wijzigen en weghalen van regels tegenhoudt, is uit de "
                "database verwijderd."
            )
        parts.append(
            "Meld dit bij de privacyfunctionaris (FG) van de school; zet zo nodig een "
            "back-up terug van vóór het probleem."
        )
        return " ".join(parts)


class AuditService(Service):
    """Reading and checking the whole trail: the coordinator's (`actor` None, or a coordinator;
    domain.actor), since it shows who worked on which pupil."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = datetime.now,
        actor: Actor = LAPTOP_COORDINATOR,
        anchors: Callable[[], Iterable[ChainAnchor]] | None = None,
    ) -> None:
        super().__init__(sessions, clock, actor)
        # The heads the backups recorded (services.backups.anchors), for a database file.
        self._anchors = anchors

    def _allowed(self) -> None:
        require_coordinator(self._actor)

    def entries(self, newest_first: bool = True) -> list[AuditEntry]:
        self._allowed()
        order = AuditEventRow.id.desc() if newest_first else AuditEventRow.id
        with self._sessions() as session:
            return [entry_from_row(r) for r in session.execute(_LINES.order_by(order))]

    def check(self) -> ChainReport:
        self._allowed()
        with self._sessions() as session:
            rows = session.execute(_LINES.order_by(AuditEventRow.id)).all()
            entries = [entry_from_row(r) for r in rows]
            forged = [r.id for r in rows if r.action is None]
            guarded = _guards_in_place(session)
        breaks = verify_chain(entries)
        # The stand-in action may happen to be the original one; the line is changed anyway.
        for line in forged:
            changed = ChainBreak(line, f"Regel {line} is achteraf veranderd.")
            if changed not in breaks:
                breaks.append(changed)
        breaks.sort(key=lambda b: b.entry_id or 0)
        problems: list[str] = []
        agreed = 0
        if self._anchors is not None:
            restores = [e.at for e in entries if e.action is AuditAction.RESTORED]
            problems, agreed = anchor_breaks(
                [e.hash for e in entries], self._anchors(), max(restores, default=None)
            )
        return ChainReport(len(entries), tuple(breaks), guarded, tuple(problems), agreed)


# Details of the lines that end a pupil: after them, the internal number may be given out
# again (SQLite reuses the highest id), so older lines belong to someone else.
PUPIL_GONE = "alle gegevens verwijderd"


def head(session: Session) -> tuple[int, str]:
    """Length and last hash of the whole chain: the anchor a file made now records."""
    lines = session.scalar(select(func.count()).select_from(AuditEventRow)) or 0
    last = session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1))
    return int(lines), str(last or GENESIS)


def anchor_in_file(path: Path) -> ChainAnchor:
    """The chain head an inzage JSON (or a backup's sidecar) recorded, for audit --check
    --anker; ValueError when the file holds none."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        recorded = data["logboek_kop"] if "logboek_kop" in data else data["logboek"]
        made = data.get("gemaakt_op")
        made_at = (
            datetime.fromisoformat(made)
            if made
            else datetime.fromtimestamp(Path(path).stat().st_mtime)
        )
        return ChainAnchor(
            int(recorded["regels"]), str(recorded["laatste_hash"]), made_at, Path(path).name
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"In {Path(path).name} staat geen kop van het logboek.") from exc


def entries_for_pupil(session: Session, pupil_id: int) -> list[AuditEntry]:
    """The lines about the pupil who has this internal number now, oldest first."""
    about = AuditEventRow.pupil_id == pupil_id
    last_end = session.scalar(
        select(func.max(AuditEventRow.id)).where(
            about,
            (AuditEventRow.action == AuditAction.ERASED.value)
            | (
                (AuditEventRow.action == AuditAction.PURGED.value)
                & AuditEventRow.detail.endswith(PUPIL_GONE)
            ),
        )
    )
    statement = _LINES.where(about, AuditEventRow.id > (last_end or 0))
    return [entry_from_row(r) for r in session.execute(statement.order_by(AuditEventRow.id))]


def _guards_in_place(session: Session) -> bool:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    elif dialect == "postgresql":
        # A trigger switched off (ALTER TABLE ... DISABLE TRIGGER) guards nothing.
        query = (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass "
            "AND NOT tgisinternal AND tgenabled <> 'D'"
        )
    else:
        return True
    names = set(session.scalars(text(query)))
    return all(name in names for name in _GUARDS)


def field_list(labels: Sequence[str]) -> str:
    return "velden: " + ", ".join(labels)
