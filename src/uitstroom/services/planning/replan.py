"""Planning inside the caller's transaction: new pupils, a changed route, a missing task, a
ticked registration, and re-planning every pupil when the school's calendar changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    delete,
    exists,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.calendar import CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import (
    Task,
    TaskTemplate,
    default_templates,
    plan,
    replan,
)
from uitstroom.domain.enums import Route, SchoolType
from uitstroom.domain.model import RouteDetails
from uitstroom.services.planning.rows import (
    COHORTS,
    PUPILS,
    REGISTERED,
    REGISTRATION_TASK,
    ROUTES,
    TASKS,
    calendar_of,
    current_labels,
    load_settings,
    load_templates,
    pupil_filter,
    task_from_row,
    task_values,
)
from uitstroom.storage.models import (
    CohortRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    TaskTemplateRow,
)

# --- planning inside the caller's transaction -----------------------------------------------


def plan_new_pupils(
    session: Session, pupils: Iterable[tuple[int, Route]], cohort_label: str, planned_on: date
) -> None:
    """Tasks for pupils just inserted. A pupil who arrives late gets two weeks for what has
    passed already; 1 April stays 1 April (see domain.checklist.plan)."""
    templates = load_templates(session)
    school_calendar = calendar_of(cohort_label, load_settings(session))
    by_route: dict[Route, list[Task]] = {}
    rows = []
    for pupil_id, route in pupils:
        if route not in by_route:
            by_route[route] = plan(route, templates, school_calendar, planned_on)
        rows += [task_values(pupil_id, task) for task in by_route[route]]
    if rows:
        session.execute(insert(TASKS), rows)


def on_route_saved(
    session: Session,
    pupil_id: int,
    route: RouteDetails,
    cohort_label: str,
    today: date,
    actor: str,
    route_changed: bool,
) -> bool:
    """After a pupil's route was saved: a new route re-plans the open tasks (finished ones
    stay); a pupil from before the checklists gets them now. Returns whether a route change
    falls in the December/January window (bijstelling)."""
    school_calendar = calendar_of(cohort_label, load_settings(session))
    has_tasks = session.scalar(select(exists().where(PupilTaskRow.pupil_id == pupil_id)))
    if route_changed or not has_tasks:
        templates = load_templates(session)
        current = tasks_of_pupil(session, pupil_id)
        dues = {t.code: t.due(school_calendar) for t in templates}
        apply_plan(
            session, pupil_id, current, route.route, templates, school_calendar, today, dues, dues
        )
    tick_registration(session, pupil_id, route, actor)
    return route_changed and school_calendar.in_bijstel_window(today)


def plan_missing(sessions: sessionmaker[Session], today: date) -> int:
    """Pupils of the current cohorts who have no tasks at all (they were entered before the
    checklists existed) get them now, planned as of `today`, in one transaction. Returns how
    many pupils were planned. Run once after the database was upgraded."""
    with sessions.begin() as session:
        labels = current_labels(session, today)
        if not labels:
            return 0
        rows = session.execute(
            select(PUPILS.c.id, COHORTS.c.label, ROUTES.c.route)
            .select_from(PUPILS)
            .join(COHORTS, PUPILS.c.cohort_id == COHORTS.c.id)
            .outerjoin(ROUTES, ROUTES.c.pupil_id == PUPILS.c.id)
            .where(
                *pupil_filter(labels, None, None),
                ~exists().where(TASKS.c.pupil_id == PUPILS.c.id),
            )
        ).all()
        per_cohort: dict[str, list[tuple[int, Route]]] = defaultdict(list)
        for pupil_id, label, route in rows:
            per_cohort[label].append((pupil_id, route or Route.ONBEKEND))
        for label, pupils in per_cohort.items():
            plan_new_pupils(session, pupils, label, today)
        return len(rows)


def tick_registration(session: Session, pupil_id: int, route: RouteDetails, actor: str) -> bool:
    """Setting the aanmeldstatus to aangemeld, intake gepland or toegelaten, with an
    aanmelddatum, ticks the task "Aangemeld bij het mbo" on that date. Going back to
    'niet aangemeld' leaves the tick alone: untick it by hand when it was a mistake."""
    if route.aanmeldstatus not in REGISTERED or route.aanmelddatum is None:
        return False
    result = cast(
        CursorResult[Any],
        session.execute(
            update(TASKS)
            .where(
                TASKS.c.pupil_id == pupil_id,
                TASKS.c.code == REGISTRATION_TASK,
                TASKS.c.done_on.is_(None),
            )
            .values(done_on=route.aanmelddatum, done_by=actor)
        ),
    )
    return bool(result.rowcount)


def tasks_of_pupil(session: Session, pupil_id: int) -> list[Task]:
    rows = session.execute(
        select(TASKS).where(TASKS.c.pupil_id == pupil_id).order_by(TASKS.c.due, TASKS.c.code)
    )
    return [task_from_row(row) for row in rows]


def apply_plan(
    session: Session,
    pupil_id: int,
    current: Sequence[Task],
    route: Route,
    templates: Sequence[TaskTemplate],
    school_calendar: SchoolCalendar,
    today: date,
    old_dues: dict[str, date],
    new_dues: dict[str, date],
) -> None:
    """Write one pupil's re-plan. An open task keeps its due date unless its template's date
    moved (a pupil who arrived late keeps the extra two weeks); its texts follow the template."""
    result = replan(current, route, templates, school_calendar, today)
    by_code = {t.code: t for t in templates}
    before = {t.id: t for t in current}
    for task in result.keep:
        old = before[task.id]
        template = by_code.get(task.code)
        if task.done or template is None:
            continue  # done, or an agreement from the uitstroomoverleg: no template to follow
        due = old.due
        if old_dues.get(task.code) != new_dues.get(task.code):
            due = task.due
        wanted = replace(
            old,
            title=template.title,
            open_text=template.open_text,
            deadline_name=template.deadline_name,
            owner=template.owner,
            due=due,
        )
        if wanted != old:
            session.execute(
                update(TASKS)
                .where(TASKS.c.id == old.id)
                .values(
                    title=wanted.title,
                    open_text=wanted.open_text,
                    deadline_name=wanted.deadline_name,
                    owner=wanted.owner,
                    due=wanted.due,
                )
            )
    if result.remove:
        session.execute(delete(TASKS).where(TASKS.c.id.in_([t.id for t in result.remove])))
    if result.add:
        session.execute(insert(TASKS), [task_values(pupil_id, t) for t in result.add])


def replan_everyone(
    session: Session,
    old_templates: Sequence[TaskTemplate],
    new_templates: Sequence[TaskTemplate],
    old_settings: CalendarSettings,
    new_settings: CalendarSettings,
    today: date,
) -> None:
    """Pupils of cohorts whose school year has not ended; a finished year stays as it was."""
    pupils = session.execute(
        select(PupilRow.id, CohortRow.label, RouteRow.route)
        .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
        .outerjoin(RouteRow, RouteRow.pupil_id == PupilRow.id)
        .where(PupilRow.archived.is_(False))
    ).all()
    current: dict[int, list[Task]] = defaultdict(list)
    for row in session.execute(select(TASKS).order_by(TASKS.c.pupil_id, TASKS.c.due)):
        current[row.pupil_id].append(task_from_row(row))
    dues: dict[str, tuple[SchoolCalendar, dict[str, date], dict[str, date]]] = {}
    for pupil_id, label, route in pupils:
        if label not in dues:
            old_cal = calendar_of(label, old_settings)
            new_cal = calendar_of(label, new_settings)
            dues[label] = (
                new_cal,
                {t.code: t.due(old_cal) for t in old_templates if t.active},
                {t.code: t.due(new_cal) for t in new_templates if t.active},
            )
        new_cal, old_dues, new_dues = dues[label]
        if new_cal.year.last_day < today:
            continue
        apply_plan(
            session,
            pupil_id,
            current.get(pupil_id, []),
            route or Route.ONBEKEND,
            new_templates,
            new_cal,
            today,
            old_dues,
            new_dues,
        )


def replan_for_school_type(
    session: Session, old_type: SchoolType, new_type: SchoolType, today: date
) -> None:
    """A school that becomes an mbo (or the other way round) gets the standard checklist of its
    new type for the current pupils, unless it keeps a checklist of its own."""
    if old_type == new_type or session.scalar(select(TaskTemplateRow.code).limit(1)) is not None:
        return
    settings = load_settings(session)
    replan_everyone(
        session,
        default_templates(old_type),
        default_templates(new_type),
        settings,
        settings,
        today,
    )
