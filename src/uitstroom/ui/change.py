"""What changed: one signal the views refresh from, the way Anki's operations report their
changes. A view that made the change is named as its `source` and skips itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from uitstroom.domain.checklist import Task


class Area(Enum):
    COHORT = auto()  # many pupils at once: an import, the demo, a restore, a purge
    PUPIL = auto()  # a pupil's own data saved
    TASKS = auto()  # checklist tasks ticked, statuses and the Vandaag list
    NAZORG = auto()  # leaving, the nazorg calls and signals
    SCHOOL = auto()  # the school's settings


@dataclass(frozen=True)
class Change:
    areas: frozenset[Area]
    pupil_ids: frozenset[int] = frozenset()
    # The view that made the change (it is up to date already), or None.
    source: object | None = None
    # A task ticked or unticked: Vandaag drops a done task's row without reading again.
    task: Task | None = None

    @classmethod
    def of(
        cls,
        *areas: Area,
        pupil: int | None = None,
        source: object | None = None,
        task: Task | None = None,
    ) -> Change:
        pupils = frozenset() if pupil is None else frozenset({pupil})
        return cls(frozenset(areas), pupils, source, task)


class Changes(QObject):
    """The one "what changed" signal of a window."""

    changed = Signal(object)

    def announce(self, change: Change) -> None:
        self.changed.emit(change)
