"""The services a window works with, built once by app.py (or a test) and handed to the
window; the few used rarely are built on first use, from the same sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from uitstroom.domain.actor import LAPTOP_COORDINATOR, Actor
from uitstroom.services.exit import ExitService
from uitstroom.services.handover import HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService

if TYPE_CHECKING:
    from uitstroom.services.base import Sessions
    from uitstroom.services.database import Database


@dataclass(frozen=True)
class Services:
    """`sessions` is only handed on to services built on demand (import, export, demo,
    rights); the window and its controllers never open a session."""

    school: SchoolService
    pupils: PupilService
    planning: PlanningService
    handover: HandoverService
    nazorg: NazorgService
    exit: ExitService
    sessions: Sessions
    location: str
    # The open database (its file, key and backup folder), for backups and restore.
    database: Database | None = None
    # Who is working (domain.actor), the same actor the services above were given.
    actor: Actor = LAPTOP_COORDINATOR

    @classmethod
    def build(
        cls,
        sessions: Sessions,
        location: str,
        database: Database | None = None,
        actor: Actor = LAPTOP_COORDINATOR,
        clock: Callable[[], datetime] | None = None,
    ) -> Services:
        timed = {} if clock is None else {"clock": clock}
        return cls(
            school=SchoolService(sessions, actor=actor),
            pupils=PupilService(sessions, actor=actor, **timed),
            planning=PlanningService(sessions, actor=actor, **timed),
            handover=HandoverService(sessions, actor=actor, **timed),
            nazorg=NazorgService(sessions, actor=actor, **timed),
            exit=ExitService(sessions, actor=actor, **timed),
            sessions=sessions,
            location=location,
            database=database,
            actor=actor,
        )
