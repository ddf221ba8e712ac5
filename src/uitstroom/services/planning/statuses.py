"""Every pupil's status for the cohort list, in one query per list."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    case,
    exists,
    select,
    true,
)

from uitstroom.domain.calendar import CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import (
    Status,
    Task,
    status_from_first,
)
from uitstroom.domain.enums import Route
from uitstroom.services.planning.rows import TASKS, calendar_of
from uitstroom.storage.models import (
    CohortRow,
    PupilRow,
    RouteRow,
)

# A task's columns as Status needs them, in the order statuses() unpacks them.
_FIRST_TASK_COLUMNS = (
    TASKS.c.id,
    TASKS.c.code,
    TASKS.c.title,
    TASKS.c.open_text,
    TASKS.c.deadline_name,
    TASKS.c.owner,
    TASKS.c.due,
    TASKS.c.done_on,
    TASKS.c.done_by,
)


def statuses_statement(dialect: str) -> Select[Any]:
    """Per pupil: id, cohort label, route, whether it has tasks, and the columns of its first
    open task (all None when everything is done).

    SQLite seeks each pupil's first open task by its id in a correlated subquery. PostgreSQL
    planned that join as a hash of every task row, spilled to disk, and ran the subquery twice
    per pupil (0.9 s for 50,000 students); a LATERAL join is one index seek per pupil (0.15 s).
    Whether there are tasks at all only matters, and is only looked up, without an open one."""
    first_open = (
        select(TASKS.c.id)
        .where(TASKS.c.pupil_id == PupilRow.id, TASKS.c.done_on.is_(None))
        .order_by(TASKS.c.due, TASKS.c.code)
        .limit(1)
        .correlate(PupilRow)
    )
    joined: FromClause
    on: ColumnElement[bool]
    if dialect == "postgresql":
        joined = first_open.with_only_columns(*_FIRST_TASK_COLUMNS).lateral("first_open")
        on = true()
    else:
        joined = TASKS.alias("first_open")
        on = joined.c.id == first_open.scalar_subquery()
    task_columns = [joined.c[column.name] for column in _FIRST_TASK_COLUMNS]
    any_task = TASKS.alias("any_task")
    has_tasks = case(
        (task_columns[0].is_(None), exists().where(any_task.c.pupil_id == PupilRow.id)),
        else_=true(),
    ).label("has_tasks")
    return (
        select(PupilRow.id.label("pupil_id"), CohortRow.label, RouteRow.route, has_tasks)
        .add_columns(*task_columns)
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .outerjoin(RouteRow, RouteRow.pupil_id == PupilRow.id)
        .outerjoin(joined, on)
    )


class Statuses(Mapping[int, Status]):
    """Every pupil's status by id, each worked out from the query's row when it is first asked
    for: the table shows a few dozen rows at a time, and making 50,000 tasks and statuses up
    front took a fifth of a second at start-up. Sorting on the status asks for all of them."""

    def __init__(self, today: date, settings: CalendarSettings, rows: dict[int, Any]) -> None:
        self._today = today
        self._settings = settings
        self._rows = rows
        self._calendars: dict[str, SchoolCalendar] = {}
        self._made: dict[int, Status] = {}

    def __getitem__(self, pupil_id: int) -> Status:
        made = self._made.get(pupil_id)
        if made is None:
            made = self._made[pupil_id] = self._status(self._rows[pupil_id])
        return made

    def __contains__(self, pupil_id: object) -> bool:
        return pupil_id in self._rows

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def _status(self, row: Any) -> Status:
        _pupil_id, label, route, has_tasks, *task = row
        school_calendar = self._calendars.get(label)
        if school_calendar is None:
            school_calendar = self._calendars[label] = calendar_of(label, self._settings)
        first_open = None
        if task[0] is not None:
            task_id, code, title, open_text, deadline_name, owner, due, done_on, done_by = task
            first_open = Task(
                code,
                title,
                open_text,
                deadline_name,
                owner,
                due,
                done_on,
                done_by,
                task_id,
            )
        return status_from_first(
            route or Route.ONBEKEND,
            first_open,
            bool(has_tasks),
            self._today,
            school_calendar,
        )
