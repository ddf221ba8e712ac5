"""What needs attention today: the start screen ("Vandaag") and `uitstroom attention`.

Grouped the way a coordinator works through them: first what is late, then what is due in the
next two weeks, then the 1 April countdown, then pupils who still have no route after
1 January. Within a group the most urgent comes first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from uitstroom.domain.calendar import SchoolCalendar
from uitstroom.domain.checklist import Task, days_phrase, dutch_day, task_reason
from uitstroom.domain.enums import LabelledEnum, Route


class Group(LabelledEnum):
    OVERDUE = "te_laat", "Te laat"
    SOON = "binnenkort", "Binnen twee weken"
    APRIL = "1_april", "Aftellen naar 1 april"
    NO_ROUTE = "geen_route", "Nog geen route na 1 januari"


@dataclass(frozen=True)
class PupilTasks:
    """What the rules need of one pupil: who, which route, which tasks."""

    pupil_id: int
    name: str
    sort_name: str
    klas: str
    mentor: str
    route: Route
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class AttentionItem:
    group: Group
    pupil_id: int
    name: str
    klas: str
    mentor: str
    text: str
    due: date | None
    task: Task | None = None


# Tasks that make up the 1 April countdown, per route.
APRIL_TASKS = {Route.DOORLEREN: ("aanmelden_mbo",), Route.ARBEID: ("stagegesprek",)}


def attention(
    pupils: Iterable[PupilTasks], today: date, school_calendar: SchoolCalendar
) -> list[AttentionItem]:
    window = timedelta(days=school_calendar.settings.attention_days)
    april = school_calendar.aanmeld_deadline
    items: list[AttentionItem] = []
    for pupil in pupils:
        for task in pupil.tasks:
            if task.done:
                continue
            if task.due < today:
                items.append(_item(Group.OVERDUE, pupil, task_reason(task, today), task))
            elif task.due - today <= window:
                items.append(_item(Group.SOON, pupil, task_reason(task, today), task))
        # The countdown shows from 1 January; it keeps what is not yet in the two-week window.
        if date(april.year, 1, 1) <= today <= april:
            for task in pupil.tasks:
                in_countdown = task.code in APRIL_TASKS.get(pupil.route, ())
                if in_countdown and not task.done and task.due - today > window:
                    items.append(_item(Group.APRIL, pupil, task_reason(task, today), task))
        if pupil.route is Route.ONBEKEND and today >= date(april.year, 1, 1):
            items.append(
                AttentionItem(
                    Group.NO_ROUTE,
                    pupil.pupil_id,
                    pupil.name,
                    pupil.klas,
                    pupil.mentor,
                    "Nog geen route gekozen: arbeid, doorleren of dagbesteding",
                    None,
                )
            )
    order = {group: n for n, group in enumerate(Group)}
    return sorted(
        items,
        key=lambda item: (
            order[item.group],
            item.due or date.max,
            item.name.casefold(),
        ),
    )


def _item(group: Group, pupil: PupilTasks, text: str, task: Task) -> AttentionItem:
    return AttentionItem(
        group, pupil.pupil_id, pupil.name, pupil.klas, pupil.mentor, text, task.due, task
    )


def countdown_text(today: date, school_calendar: SchoolCalendar) -> str:
    """'1 april is over 12 dagen' for the heading of the countdown group."""
    april = school_calendar.aanmeld_deadline
    return f"{dutch_day(april)} {days_phrase(april, today)}"


def summary_counts(items: Sequence[AttentionItem]) -> dict[Group, int]:
    counts = {group: 0 for group in Group}
    for item in items:
        counts[item.group] += 1
    return counts
