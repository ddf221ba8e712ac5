"""The user list (who may work in this database, in which role) and who is working now.

A laptop database has no list: its one user is the coordinator. Once the coordinator adds
users, a person is recognised by their login: the PostgreSQL role they connect as on a server,
else the operating-system login. Someone who is not in the list may only look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.actor import Actor, Role, User, coordinator, user_problems
from uitstroom.domain.audit import AuditAction
from uitstroom.services.access import current_actor, require_coordinator
from uitstroom.services.audit import append, os_login
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.convert import from_columns
from uitstroom.services.errors import ConflictError, ValidationError, conflict_message
from uitstroom.storage.models import AppUserRow, ChangeMarkerRow

USERS = "de gebruikerslijst"


@dataclass(frozen=True)
class WhoIsWorking:
    """The actor, the login they were recognised by, and whether the list knew them."""

    actor: Actor
    login: str
    listed: bool


def roles_enforced(session: Session) -> bool:
    """Only a server holds people to their role; a file opens for whoever has its key."""
    return session.get_bind().dialect.name == "postgresql"


def login_of(session: Session) -> str:
    """On a server the role this connection logged in as; on a file the computer's login."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.scalar(text("SELECT session_user")))
    return os_login()


def _user(row: AppUserRow) -> User:
    return from_columns(User, row)


class UserService(Service):
    def users(self) -> list[User]:
        with self._sessions() as session:
            rows = session.scalars(select(AppUserRow).order_by(AppUserRow.name, AppUserRow.id))
            return [_user(r) for r in rows]

    def roles_enforced(self) -> bool:
        with self._sessions() as session:
            return roles_enforced(session)

    def who_is_working(self, login: str | None = None) -> WhoIsWorking:
        """The person at this window. `login` overrides what the connection says (tests)."""
        with self._sessions() as session:
            found_login = login or login_of(session)
            rows = session.scalars(select(AppUserRow)).all()
            if not rows:
                return WhoIsWorking(coordinator(current_actor(session)), found_login, True)
            logins = [found_login]
            if session.get_bind().dialect.name == "postgresql" and login is None:
                # A school that shares one server account tells people apart by computer login.
                logins.append(os_login())
            for wanted in logins:
                for row in rows:
                    if row.login.strip().casefold() == wanted.strip().casefold():
                        return WhoIsWorking(_user(row).actor, wanted, True)
            return WhoIsWorking(Actor(found_login, Role.READONLY), found_login, False)

    def save_users(self, users: Sequence[User]) -> list[User]:
        """The whole list at once: rows left out are removed. Refused when someone else
        changed a user in between (each user carries the version it was read at)."""
        self._author()
        require_coordinator(self._actor)
        now = self._clock()
        cleaned = [
            User(
                name=u.name.strip(),
                login=u.login.strip(),
                role=u.role,
                mentor_name=u.mentor_name.strip(),
                id=u.id,
                version=u.version,
            )
            for u in users
        ]
        name = self._author()
        try:
            with conflict_on_stale(USERS, name), self._sessions.begin() as session:
                me = login_of(session)
                problems = user_problems(cleaned, me)
                if problems:
                    raise ValidationError(problems)
                rows = {r.id: r for r in session.scalars(select(AppUserRow))}
                kept = {u.id for u in cleaned if u.id is not None}
                for gone in set(rows) - kept:
                    session.delete(rows[gone])
                session.flush()
                for user in cleaned:
                    if user.id is None:
                        row = AppUserRow()
                        session.add(row)
                    else:
                        found = rows.get(user.id)
                        if found is None or (
                            user.version is not None and found.version != user.version
                        ):
                            raise ConflictError(conflict_message("", name, USERS))
                        row = found
                    changed = (row.name, row.login, row.role, row.mentor_name) != (
                        user.name,
                        user.login,
                        user.role.value,
                        user.mentor_name,
                    )
                    if changed:
                        row.name = user.name
                        row.login = user.login
                        row.role = user.role
                        row.mentor_name = user.mentor_name
                        row.updated_at = now
                        row.updated_by = name
                session.flush()
                append(
                    session,
                    name,
                    AuditAction.SETTINGS,
                    detail=f"velden: gebruikers ({len(cleaned)} in de lijst)",
                    now=now,
                )
        except IntegrityError:
            raise ValidationError(
                ["Twee gebruikers hebben dezelfde inlognaam. Geef iedereen een eigen inlognaam."]
            ) from None
        return self.users()


@dataclass(frozen=True)
class ChangeMark:
    """How far the shared database has come: a bigger counter means someone changed data."""

    counter: int
    changed_by: str = ""
    changed_at: datetime | None = None


class ChangeService:
    """What the window polls every few seconds: one primary-key read."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def mark(self) -> ChangeMark | None:
        """None when the database cannot be reached just now (a server gone for a moment):
        the window simply asks again later."""
        try:
            with self._sessions() as session:
                row = session.get(ChangeMarkerRow, 1)
                if row is None:
                    return ChangeMark(0)
                return ChangeMark(row.counter, row.changed_by, row.changed_at)
        except SQLAlchemyError:
            return None
