"""The role rules inside the services: who is working, and what they may read or change.

Every service is given an Actor once. domain.actor.LAPTOP_COORDINATOR is the single user of a
laptop database: the coordinator, named by the school settings or the login (services.identity). The checks raise
NotAllowed with a sentence the user can act on; nothing is read or written before them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from uitstroom.domain.actor import Actor, Role, same_name
from uitstroom.services.convert import settings_from_row
from uitstroom.services.errors import GONE, NotAllowed, NotFoundError
from uitstroom.services.identity import author_name
from uitstroom.storage.models import PupilRow, SchoolSettingsRow

READ_ONLY = (
    "U mag in Uitstroom alleen kijken (rol: alleen lezen). Vraag de coördinator als u iets "
    "moet veranderen."
)
COORDINATOR_ONLY = (
    "Dit mag alleen de coördinator doen. Vraag de coördinator van uw school om het te doen."
)


def current_actor(session: Session) -> str:
    """The coordinator's name from the school settings, else the login."""
    return author_name(settings_from_row(session.get(SchoolSettingsRow, 1)))


def not_your_pupil(actor: Actor) -> str:
    return (
        f"Deze leerling heeft een andere mentor dan {actor.as_mentor}. U kunt alleen uw eigen "
        "leerlingen openen en wijzigen. Klopt de mentor niet? Vraag de coördinator om het aan "
        "te passen."
    )


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise NotAllowed(READ_ONLY)


def require_coordinator(actor: Actor) -> None:
    if actor.is_coordinator:
        return
    raise NotAllowed(READ_ONLY if actor.role is Role.READONLY else COORDINATOR_ONLY)


def require_pupil(session: Session, actor: Actor, pupil_id: int, write: bool) -> None:
    """A mentor reaches their own pupils only; read-only users change nothing."""
    if write:
        require_write(actor)
    if actor.role is not Role.MENTOR:
        return
    mentor = session.scalar(select(PupilRow.mentor).where(PupilRow.id == pupil_id))
    if mentor is None:
        raise NotFoundError(GONE)
    if not actor.sees_pupil(mentor):
        raise NotAllowed(not_your_pupil(actor))


def mentor_names(session: Session, actor: Actor) -> list[str]:
    """The spellings in the pupils' mentor fields that are this mentor's name."""
    written = session.scalars(select(PupilRow.mentor).distinct())
    return [m for m in written if same_name(m, actor.as_mentor)]


def pupil_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """A WHERE condition on PupilRow: the pupils this actor may see."""
    if actor.role is not Role.MENTOR:
        return true()
    return PupilRow.mentor.in_(mentor_names(session, actor))


def visible_ids(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    """Of these pupils, the ones this actor may see."""
    wanted = set(ids)
    if actor.role is not Role.MENTOR or not wanted:
        return wanted
    return set(
        session.scalars(
            select(PupilRow.id).where(pupil_scope(session, actor), PupilRow.id.in_(wanted))
        )
    )
