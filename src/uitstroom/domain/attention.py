"""What needs attention today: the start screen ("Vandaag") and `uitstroom attention`.

Grouped the way a coordinator works through them: first what is late, then what is due in the
next two weeks, then the 1 April countdown, then pupils who still have no route after
1 January. Within a group the most urgent comes first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from uitstroom.domain.calendar import SchoolCalendar
from uitstroom.domain.checklist import Owner, Task, days_phrase, dutch_day, task_reason
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


class TaskText(NamedTuple):
    """What every open task with one code shares: its texts and owner."""

    code: str
    title: str
    open_text: str
    deadline_name: str
    owner: Owner

    @classmethod
    def of(cls, task: Task) -> TaskText:
        return cls(task.code, task.title, task.open_text, task.deadline_name, task.owner)


class AttentionItem(NamedTuple):
    """One line of the Vandaag view. A tuple, because a busy March has tens of thousands of
    them; the reason in words and the task are made only when they are read."""

    group: Group
    pupil_id: int
    name: str
    klas: str
    mentor: str
    due: date | None
    task_id: int | None
    about: TaskText | None
    today: date

    @property
    def task(self) -> Task | None:
        about = self.about
        if about is None or self.due is None:
            return None
        return Task(
            about.code,
            about.title,
            about.open_text,
            about.deadline_name,
            about.owner,
            self.due,
            None,
            "",
            self.task_id,
        )

    @property
    def code(self) -> str | None:
        return None if self.about is None else self.about.code

    @property
    def text(self) -> str:
        task = self.task
        if task is None:
            return NO_ROUTE_TEXT
        return task_reason(task, self.today)


NO_ROUTE_TEXT = "Nog geen route gekozen: arbeid, doorleren of dagbesteding"

# Tasks that make up the 1 April countdown, per route.
APRIL_TASKS = {Route.DOORLEREN: ("aanmelden_mbo",), Route.ARBEID: ("stagegesprek",)}
GROUP_ORDER = {group: n for n, group in enumerate(Group)}


@dataclass(frozen=True)
class Window:
    """What `today` means for one cohort's calendar: the end of the two-week window, whether
    the 1 April countdown runs and whether a missing route counts."""

    today: date
    soon_until: date
    countdown: bool
    route_required: bool

    @classmethod
    def of(cls, today: date, school_calendar: SchoolCalendar) -> Window:
        april = school_calendar.aanmeld_deadline
        january = date(april.year, 1, 1)
        return cls(
            today,
            today + timedelta(days=school_calendar.settings.attention_days),
            january <= today <= april,
            today >= january,
        )

    def group_of(self, due: date, code: str, route: Route) -> Group | None:
        """The group of one open task: late (the due date itself is still on time), due
        within the window, or a 1 April task further off while the countdown runs."""
        if due < self.today:
            return Group.OVERDUE
        if due <= self.soon_until:
            return Group.SOON
        if self.countdown and code in APRIL_TASKS.get(route, ()):
            return Group.APRIL
        return None


def attention(
    pupils: Iterable[PupilTasks], today: date, school_calendar: SchoolCalendar
) -> list[AttentionItem]:
    window = Window.of(today, school_calendar)
    items: list[AttentionItem] = []
    for pupil in pupils:
        for task in pupil.tasks:
            if task.done:
                continue
            group = window.group_of(task.due, task.code, pupil.route)
            if group is not None:
                items.append(
                    AttentionItem(
                        group,
                        pupil.pupil_id,
                        pupil.name,
                        pupil.klas,
                        pupil.mentor,
                        task.due,
                        task.id,
                        TaskText.of(task),
                        today,
                    )
                )
        if pupil.route is Route.ONBEKEND and window.route_required:
            items.append(
                AttentionItem(
                    Group.NO_ROUTE,
                    pupil.pupil_id,
                    pupil.name,
                    pupil.klas,
                    pupil.mentor,
                    None,
                    None,
                    None,
                    today,
                )
            )
    items.sort(key=sort_key)
    return items


def sort_key(item: AttentionItem) -> tuple[int, date, str]:
    """Most urgent on top: by group, then due date, then name."""
    return (GROUP_ORDER[item.group], item.due or date.max, item.name.casefold())


def countdown_text(today: date, school_calendar: SchoolCalendar) -> str:
    """'1 april is over 12 dagen' for the heading of the countdown group."""
    april = school_calendar.aanmeld_deadline
    return f"{dutch_day(april)} {days_phrase(april, today)}"


def summary_counts(items: Sequence[AttentionItem]) -> dict[Group, int]:
    counts = {group: 0 for group in Group}
    for item in items:
        counts[item.group] += 1
    return counts
