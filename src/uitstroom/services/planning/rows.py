"""The checklist as stored: tables, settings and templates read into the domain's objects, tasks
to rows and back, and the school's current cohorts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    select,
)
from sqlalchemy.orm import Session

from uitstroom.domain.calendar import CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import (
    Task,
    TaskTemplate,
    default_templates,
)
from uitstroom.domain.enums import AanmeldStatus, Route, SchoolType
from uitstroom.domain.holidays import Region
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.convert import enum_or_none, from_columns
from uitstroom.storage.models import (
    CohortRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    SchoolSettingsRow,
    TaskTemplateRow,
)

# The mbo registration is ticked by itself once the route says the pupil has registered.
REGISTRATION_TASK = "aanmelden_mbo"
REGISTERED = frozenset(
    {AanmeldStatus.AANGEMELD, AanmeldStatus.INTAKE_GEPLAND, AanmeldStatus.TOEGELATEN}
)
MAX_OFFSET_DAYS = 366

TASKS = cast(Table, PupilTaskRow.__table__)
PUPILS = cast(Table, PupilRow.__table__)
COHORTS = cast(Table, CohortRow.__table__)
ROUTES = cast(Table, RouteRow.__table__)
# The Vandaag view reads plain tuples: these columns, by position.
ATTENTION_PUPIL = (
    PUPILS.c.id,
    PUPILS.c.roepnaam,
    PUPILS.c.tussenvoegsel,
    PUPILS.c.achternaam,
    PUPILS.c.klas,
    PUPILS.c.mentor,
    COHORTS.c.label,
    ROUTES.c.route,
)
TASK_TEXTS = (
    TASKS.c.code,
    TASKS.c.title,
    TASKS.c.open_text,
    TASKS.c.deadline_name,
    TASKS.c.owner,
)


def current_labels(session: Session, today: date) -> list[str]:
    """The cohorts whose school year has not ended on `today`: last year's leavers are in
    nazorg, their checklist is history."""
    return [
        label
        for label in session.scalars(select(CohortRow.label))
        if SchoolYear.parse(label).last_day >= today
    ]


def pupil_filter(
    labels: Sequence[str], mentor: str | None, klas: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        PUPILS.c.archived.is_(False),
        COHORTS.c.label.in_(labels),
    ]
    if mentor:
        where.append(PUPILS.c.mentor == mentor)
    if klas:
        where.append(PUPILS.c.klas == klas)
    return where


# --- reading the school's calendar and templates ---------------------------------------------


def load_settings(session: Session) -> CalendarSettings:
    row = session.get(SchoolSettingsRow, 1)
    if row is None:
        return CalendarSettings()
    return CalendarSettings(
        last_school_day=row.last_school_day,
        attention_days=14 if row.attention_days is None else row.attention_days,
        holiday_region=enum_or_none(Region, row.holiday_region),
    )


def load_templates(session: Session) -> tuple[TaskTemplate, ...]:
    rows = session.scalars(select(TaskTemplateRow).order_by(TaskTemplateRow.position)).all()
    if not rows:
        return default_templates(stored_school_type(session))
    return tuple(_template_from_row(row) for row in rows)


def stored_school_type(session: Session) -> SchoolType:
    row = session.get(SchoolSettingsRow, 1)
    return row.school_type if row else SchoolType.PRO


def calendar_of(label: str, settings: CalendarSettings) -> SchoolCalendar:
    return SchoolCalendar(SchoolYear.parse(label), settings)


def _template_from_row(row: TaskTemplateRow) -> TaskTemplate:
    routes = frozenset(
        found
        for value in row.routes.split(",")
        if (found := enum_or_none(Route, value)) is not None
    )
    return TaskTemplate(
        code=row.code,
        title=row.title,
        open_text=row.open_text,
        deadline_name=row.deadline_name,
        owner=row.owner,
        anchor=row.anchor,
        offset_days=row.offset_days,
        routes=routes or None,
        active=row.active,
        custom=row.custom,
        fixed=row.fixed,
    )


def template_row(template: TaskTemplate, position: int) -> dict[str, Any]:
    return {
        "code": template.code,
        "title": template.title.strip(),
        "open_text": template.open_text.strip(),
        "deadline_name": template.deadline_name.strip(),
        "owner": template.owner.value,
        "anchor": template.anchor.value,
        "offset_days": template.offset_days,
        "routes": ",".join(sorted(r.value for r in template.routes or ())),
        "active": template.active,
        "custom": template.custom,
        "fixed": template.fixed,
        "position": position,
    }


def task_from_row(row: Any) -> Task:
    """A PupilTaskRow, or a plain row of the pupil_task table."""
    return from_columns(Task, row)


def task_values(pupil_id: int, task: Task) -> dict[str, Any]:
    return {
        "pupil_id": pupil_id,
        "code": task.code,
        "title": task.title,
        "open_text": task.open_text,
        "deadline_name": task.deadline_name,
        "owner": task.owner.value,
        "due": task.due,
        "done_on": task.done_on,
        "done_by": task.done_by,
    }


def template_problems(templates: Sequence[TaskTemplate]) -> list[str]:
    """What is wrong with a school's checklist, in words the coordinator can act on."""
    problems = []
    seen: set[str] = set()
    for n, template in enumerate(templates, start=1):
        name = template.title.strip() or f"taak {n}"
        if not template.code.strip():
            problems.append(f"Taak {n} heeft geen code.")
        elif template.code in seen:
            problems.append(
                f"De code '{template.code}' komt twee keer voor. Geef elke taak een eigen code."
            )
        seen.add(template.code)
        if not template.title.strip():
            problems.append(f"Taak {n} heeft geen naam. Vul in wat er moet gebeuren.")
        if not template.open_text.strip():
            problems.append(f"Vul bij '{name}' in hoe de taak heet zolang hij open staat.")
        if not template.deadline_name.strip():
            problems.append(f"Vul bij '{name}' in hoe de datum heet (bijvoorbeeld 'de datum').")
        if not -MAX_OFFSET_DAYS <= template.offset_days <= MAX_OFFSET_DAYS:
            problems.append(
                f"'{name}' ligt te ver van {template.anchor.label}: kies hoogstens "
                f"{MAX_OFFSET_DAYS} dagen ervoor of erna."
            )
    return problems
