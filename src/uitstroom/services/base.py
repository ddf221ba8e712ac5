"""What every use-case service holds: the sessions, the clock, and who is working."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.services.access import current_actor
from uitstroom.services.errors import ConflictError, conflict_message

if TYPE_CHECKING:
    from uitstroom.domain.workbooks import Sheet

Clock = Callable[[], datetime]
# What opens a session on the database: the window hands it on without touching SQLAlchemy.
Sessions = sessionmaker[Session]
S = TypeVar("S", bound="Service")


@contextmanager
def conflict_on_stale(
    what: str, actor: str, editor: Callable[[], str] | None = None
) -> Iterator[None]:
    """Optimistic locking: a row whose version moved since it was read (another window or
    laptop saved first) becomes the Dutch ConflictError about `what`; nothing was written.
    `editor` names who saved first, asked only then (wrap the transaction, so it has ended)."""
    try:
        yield
    except StaleDataError:
        first = editor() if editor is not None else ""
        raise ConflictError(conflict_message(first, actor, what)) from None


class Service:
    """Who is working is given once: the person the user list names, whose role
    services.access checks, or the laptop's coordinator (one user, no user list), whose name
    comes from the school settings when a change is stored."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock = datetime.now,
        actor: Actor = LAPTOP_COORDINATOR,
        before_write: Callable[[], object] | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._actor = actor
        # The backup before an import writes many rows at once (services.backups.import_backup);
        # it raises to stop the import.
        self._before_write = before_write

    def _back_up_first(self) -> None:
        if self._before_write is not None:
            self._before_write()

    def _export_anonymous(self, target: Path, workbook: Sequence[Sheet], what: str) -> None:
        """Figures without names or numbers under 5 (domain.small_numbers) as an XLSX,
        written whole or not at all, and the export in the audit log as `what`."""
        from uitstroom.domain.audit import AuditAction
        from uitstroom.services.audit import append
        from uitstroom.services.files import atomic_output
        from uitstroom.services.spreadsheet import write_xlsx

        actor = self._author()
        with atomic_output(Path(target)) as stream:
            write_xlsx(stream, workbook)
        with self._sessions.begin() as session:
            append(session, actor, AuditAction.EXPORTED, None, what, self._clock())

    def _author(self, session: Session | None = None) -> str:
        """The name that goes on a change, the audit line and the timeline."""
        if self._actor.name.strip():
            return self._actor.name
        if session is not None:
            return current_actor(session)
        with self._sessions() as own:
            return current_actor(own)

    def alongside(self, kind: type[S], actor: Actor | None = None) -> S:
        """A service of another kind on the same database and clock, for the same person or
        `actor` (the window builds the smaller services this way, when first needed)."""
        return kind(self._sessions, self._clock, self._actor if actor is None else actor)
