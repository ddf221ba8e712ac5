"""The final year's checklists: the school calendar and task templates, each pupil's tasks,
their status and what needs attention today ("Vandaag", `uitstroom attention`).

The functions at module level work inside a caller's transaction, so that creating, importing
or editing a pupil plans the tasks in the same commit as the change (see services/pupils.py
and services/importing/)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    FromClause,
    Select,
    Table,
    case,
    delete,
    exists,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from uitstroom.domain.attention import (
    APRIL_TASKS,
    GROUP_ORDER,
    AttentionItem,
    Group,
    TaskText,
    Window,
)
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.calendar import Anchor, CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import (
    Owner,
    Status,
    Task,
    TaskTemplate,
    default_templates,
    plan,
    replan,
    status_from_first,
)
from uitstroom.domain.enums import AanmeldStatus, Route, SchoolType
from uitstroom.domain.holidays import Region
from uitstroom.domain.model import RouteDetails
from uitstroom.domain.names import full_name
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.access import (
    author_of,
    pupil_scope,
    require_coordinator,
    require_pupil,
    require_write,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.convert import enum_or, enum_or_none
from uitstroom.services.errors import GONE, NotFoundError, ValidationError
from uitstroom.services.ics import CalendarTask, build_ics, pupil_label
from uitstroom.services.speed import collector_paused
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

_TASKS = cast(Table, PupilTaskRow.__table__)
_PUPILS = cast(Table, PupilRow.__table__)
_COHORTS = cast(Table, CohortRow.__table__)
_ROUTES = cast(Table, RouteRow.__table__)
_OWNERS = {owner.value: owner for owner in Owner}
_ROUTES_BY_VALUE = {route.value: route for route in Route}
# The Vandaag view reads plain tuples: these columns, by position.
_ATTENTION_PUPIL = (
    _PUPILS.c.id,
    _PUPILS.c.roepnaam,
    _PUPILS.c.tussenvoegsel,
    _PUPILS.c.achternaam,
    _PUPILS.c.klas,
    _PUPILS.c.mentor,
    _COHORTS.c.label,
    _ROUTES.c.route,
)
_TASK_TEXTS = (
    _TASKS.c.code,
    _TASKS.c.title,
    _TASKS.c.open_text,
    _TASKS.c.deadline_name,
    _TASKS.c.owner,
)
# A task's columns as Status needs them, in the order statuses() unpacks them.
_FIRST_TASK_COLUMNS = (
    _TASKS.c.id,
    _TASKS.c.code,
    _TASKS.c.title,
    _TASKS.c.open_text,
    _TASKS.c.deadline_name,
    _TASKS.c.owner,
    _TASKS.c.due,
    _TASKS.c.done_on,
    _TASKS.c.done_by,
)


def current_labels(session: Session, today: date) -> list[str]:
    """The cohorts whose school year has not ended on `today`: last year's leavers are in
    nazorg, their checklist is history."""
    return [
        label
        for label in session.scalars(select(CohortRow.label))
        if SchoolYear.parse(label).last_day >= today
    ]


def _pupil_filter(
    labels: Sequence[str], mentor: str | None, klas: str | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        _PUPILS.c.archived.is_(False),
        _COHORTS.c.label.in_(labels),
    ]
    if mentor:
        where.append(_PUPILS.c.mentor == mentor)
    if klas:
        where.append(_PUPILS.c.klas == klas)
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
        return default_templates(_school_type(session))
    return tuple(_template_from_row(row) for row in rows)


def _school_type(session: Session) -> SchoolType:
    row = session.get(SchoolSettingsRow, 1)
    return enum_or(SchoolType, row.school_type if row else None, SchoolType.PRO)


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
        owner=enum_or(Owner, row.owner, Owner.SCHOOL),
        anchor=enum_or(Anchor, row.anchor, Anchor.LAST_SCHOOL_DAY),
        offset_days=row.offset_days,
        routes=routes or None,
        active=row.active,
        custom=row.custom,
        fixed=row.fixed,
    )


def _template_row(template: TaskTemplate, position: int) -> dict[str, Any]:
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


def _owner(value: str) -> Owner:
    return _OWNERS.get(value, Owner.SCHOOL)


def task_from_row(row: Any) -> Task:
    """A PupilTaskRow, or a plain row of the pupil_task table."""
    return Task(
        code=row.code,
        title=row.title,
        open_text=row.open_text,
        deadline_name=row.deadline_name,
        owner=enum_or(Owner, row.owner, Owner.SCHOOL),
        due=row.due,
        done_on=row.done_on,
        done_by=row.done_by,
        id=row.id,
    )


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
        session.execute(insert(_TASKS), rows)


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
        current = _tasks_of(session, pupil_id)
        dues = {t.code: t.due(school_calendar) for t in templates}
        _apply(
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
            select(_PUPILS.c.id, _COHORTS.c.label, _ROUTES.c.route)
            .select_from(_PUPILS)
            .join(_COHORTS, _PUPILS.c.cohort_id == _COHORTS.c.id)
            .outerjoin(_ROUTES, _ROUTES.c.pupil_id == _PUPILS.c.id)
            .where(
                *_pupil_filter(labels, None, None),
                ~exists().where(_TASKS.c.pupil_id == _PUPILS.c.id),
            )
        ).all()
        per_cohort: dict[str, list[tuple[int, Route]]] = defaultdict(list)
        for pupil_id, label, route in rows:
            per_cohort[label].append((pupil_id, enum_or(Route, route, Route.ONBEKEND)))
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
            update(_TASKS)
            .where(
                _TASKS.c.pupil_id == pupil_id,
                _TASKS.c.code == REGISTRATION_TASK,
                _TASKS.c.done_on.is_(None),
            )
            .values(done_on=route.aanmelddatum, done_by=actor)
        ),
    )
    return bool(result.rowcount)


def _tasks_of(session: Session, pupil_id: int) -> list[Task]:
    rows = session.execute(
        select(_TASKS).where(_TASKS.c.pupil_id == pupil_id).order_by(_TASKS.c.due, _TASKS.c.code)
    )
    return [task_from_row(row) for row in rows]


def _apply(
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
                update(_TASKS)
                .where(_TASKS.c.id == old.id)
                .values(
                    title=wanted.title,
                    open_text=wanted.open_text,
                    deadline_name=wanted.deadline_name,
                    owner=wanted.owner.value,
                    due=wanted.due,
                )
            )
    if result.remove:
        session.execute(delete(_TASKS).where(_TASKS.c.id.in_([t.id for t in result.remove])))
    if result.add:
        session.execute(insert(_TASKS), [task_values(pupil_id, t) for t in result.add])


def _statuses_statement(dialect: str) -> Select[Any]:
    """Per pupil: id, cohort label, route, whether it has tasks, and the columns of its first
    open task (all None when everything is done).

    SQLite seeks each pupil's first open task by its id in a correlated subquery. PostgreSQL
    planned that join as a hash of every task row, spilled to disk, and ran the subquery twice
    per pupil (0.9 s for 50,000 students); a LATERAL join is one index seek per pupil (0.15 s).
    Whether there are tasks at all only matters, and is only looked up, without an open one."""
    first_open = (
        select(_TASKS.c.id)
        .where(_TASKS.c.pupil_id == PupilRow.id, _TASKS.c.done_on.is_(None))
        .order_by(_TASKS.c.due, _TASKS.c.code)
        .limit(1)
        .correlate(PupilRow)
    )
    joined: FromClause
    on: ColumnElement[bool]
    if dialect == "postgresql":
        joined = first_open.with_only_columns(*_FIRST_TASK_COLUMNS).lateral("first_open")
        on = true()
    else:
        joined = _TASKS.alias("first_open")
        on = joined.c.id == first_open.scalar_subquery()
    task_columns = [joined.c[column.name] for column in _FIRST_TASK_COLUMNS]
    any_task = _TASKS.alias("any_task")
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
                code, title, open_text, deadline_name, _owner(owner), due, done_on, done_by, task_id
            )
        return status_from_first(
            _ROUTES_BY_VALUE.get(route or "", Route.ONBEKEND),
            first_open,
            bool(has_tasks),
            self._today,
            school_calendar,
        )


# --- the service ---------------------------------------------------------------------------


class PlanningService(Service):
    """`actor` (domain.actor): a mentor ticks and sees the tasks of their own pupils only; the
    calendar and the checklist are the coordinator's; read-only users change nothing."""

    # --- calendar and templates ---------------------------------------------------------
    def calendar(self, cohort_label: str | None = None) -> SchoolCalendar:
        """The calendar of a cohort; of the newest cohort when None (this school year if
        there is none yet)."""
        with self._sessions() as session:
            label = cohort_label or session.scalar(
                select(CohortRow.label).order_by(CohortRow.label.desc()).limit(1)
            )
            settings = load_settings(session)
        if label is None:
            return SchoolCalendar(SchoolYear.of(self._clock().date()), settings)
        return calendar_of(label, settings)

    def calendar_settings(self) -> CalendarSettings:
        with self._sessions() as session:
            return load_settings(session)

    def save_calendar_settings(self, settings: CalendarSettings, actor: str) -> None:
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        """Store the last school day and the attention window; open tasks whose date hangs
        from a moved day move with it."""
        problems = []
        if settings.last_school_day is not None and settings.last_school_day.month not in (6, 7):
            problems.append("Kies een laatste schooldag in juni of juli.")
        if not 1 <= settings.attention_days <= 60:
            problems.append("Kies voor 'binnenkort' een aantal dagen van 1 tot en met 60.")
        if problems:
            raise ValidationError(problems)
        with self._sessions.begin() as session:
            old = load_settings(session)
            row = session.get(SchoolSettingsRow, 1)
            if row is None:
                row = SchoolSettingsRow(id=1)
                session.add(row)
            row.last_school_day = settings.last_school_day
            row.attention_days = settings.attention_days
            row.holiday_region = (
                settings.holiday_region.value if settings.holiday_region is not None else ""
            )
            session.flush()
            templates = load_templates(session)
            replan_everyone(
                session, templates, templates, old, load_settings(session), self._clock().date()
            )
            append(
                session,
                actor,
                AuditAction.SETTINGS,
                detail="velden: schoolkalender",
                now=self._clock(),
            )

    def templates(self) -> list[TaskTemplate]:
        with self._sessions() as session:
            return list(load_templates(session))

    def save_templates(self, templates: Sequence[TaskTemplate], actor: str) -> None:
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        """Store the school's checklist and re-plan every pupil's open tasks: tasks of new
        active templates are added, open tasks of templates switched off (or removed) go,
        moved dates are applied. Finished tasks stay as they are."""
        problems = template_problems(templates)
        if problems:
            raise ValidationError(problems)
        with self._sessions.begin() as session:
            old = load_templates(session)
            session.execute(delete(TaskTemplateRow))
            session.execute(
                insert(TaskTemplateRow), [_template_row(t, n) for n, t in enumerate(templates)]
            )
            settings = load_settings(session)
            replan_everyone(
                session, old, tuple(templates), settings, settings, self._clock().date()
            )
            append(
                session, actor, AuditAction.SETTINGS, detail="velden: takenlijst", now=self._clock()
            )

    def reset_templates(self, actor: str) -> None:
        """Back to the standard checklist of the school's type."""
        require_coordinator(self._actor)
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            old = load_templates(session)
            session.execute(delete(TaskTemplateRow))
            settings = load_settings(session)
            replan_everyone(
                session,
                old,
                default_templates(_school_type(session)),
                settings,
                settings,
                self._clock().date(),
            )
            append(
                session,
                actor,
                AuditAction.SETTINGS,
                detail="velden: takenlijst (standaard)",
                now=self._clock(),
            )

    # --- one pupil's tasks ----------------------------------------------------------------
    def tasks(self, pupil_id: int) -> list[Task]:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            return _tasks_of(session, pupil_id)

    def tick(self, task_id: int, actor: str, on: date | None = None) -> Task:
        """Mark a task done on `on` (default: today) by `actor`, with a line in the audit trail."""
        now = self._clock()
        return self._set_done(task_id, on or now.date(), actor, now)

    def untick(self, task_id: int, actor: str) -> Task:
        return self._set_done(task_id, None, actor, self._clock())

    def _set_done(self, task_id: int, on: date | None, actor: str, now: datetime) -> Task:
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = session.get(PupilTaskRow, task_id)
            if row is None:
                raise NotFoundError("Deze taak bestaat niet meer. Open de leerling opnieuw.")
            require_pupil(session, self._actor, row.pupil_id, write=True)
            row.done_on = on
            row.done_by = actor if on is not None else ""
            row.updated_at = now
            row.updated_by = actor
            what = "afgevinkt" if on is not None else "weer open gezet"
            # The code, not the title: a school's own title could name something personal.
            append(
                session, actor, AuditAction.EDITED, row.pupil_id, f"taak {what}: {row.code}", now
            )
            session.flush()
            return task_from_row(row)

    # --- status and attention -------------------------------------------------------------
    def status_of(self, pupil_id: int, today: date) -> Status:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            found = session.execute(
                select(CohortRow.label, RouteRow.route)
                .select_from(PupilRow)
                .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
                .outerjoin(RouteRow, RouteRow.pupil_id == PupilRow.id)
                .where(PupilRow.id == pupil_id)
            ).first()
            if found is None:
                raise NotFoundError(GONE)
            tasks = _tasks_of(session, pupil_id)
            settings = load_settings(session)
        first = next((t for t in tasks if not t.done), None)
        route = enum_or(Route, found.route, Route.ONBEKEND)
        return status_from_first(
            route, first, bool(tasks), today, calendar_of(found.label, settings)
        )

    def statuses(self, today: date) -> Statuses:
        """Every pupil's status in one query: per pupil its first open task (an index seek on
        the open tasks in due order) and whether it has tasks at all."""
        with collector_paused(), self._sessions() as session:
            settings = load_settings(session)
            statement = _statuses_statement(session.get_bind().dialect.name)
            # A mentor's own pupils only, on a file as on a server (row-level security there).
            statement = statement.where(pupil_scope(session, self._actor))
            rows = session.connection().execute(statement).all()
        return Statuses(today, settings, {row[0]: row for row in rows})

    def attention(
        self, today: date, mentor: str | None = None, klas: str | None = None
    ) -> list[AttentionItem]:
        """What the Vandaag view shows: pupils of the cohorts whose school year has not ended,
        archived pupils left out. The same rule as domain.attention.attention, fed by two
        narrow queries (the pupils, and the open tasks that can show up on `today`) joined
        here: an SQL join per task row costs three times as much on an encrypted file."""
        with collector_paused():
            return self._attention(today, mentor, klas)

    def _attention(self, today: date, mentor: str | None, klas: str | None) -> list[AttentionItem]:
        with self._sessions() as session:
            settings = load_settings(session)
            labels = current_labels(session, today)
            if not labels:
                return []
            windows = {label: Window.of(today, calendar_of(label, settings)) for label in labels}
            horizon = max(w.soon_until for w in windows.values())
            april_codes = sorted({code for codes in APRIL_TASKS.values() for code in codes})
            connection = session.connection()
            pupil_rows = connection.execute(
                select(*_ATTENTION_PUPIL)
                .select_from(_PUPILS)
                .join(_COHORTS, _PUPILS.c.cohort_id == _COHORTS.c.id)
                .outerjoin(_ROUTES, _ROUTES.c.pupil_id == _PUPILS.c.id)
                .where(*_pupil_filter(labels, mentor, klas))
            ).all()
            task_rows = connection.execute(
                select(_TASKS.c.pupil_id, _TASKS.c.id, _TASKS.c.code, _TASKS.c.due).where(
                    _TASKS.c.done_on.is_(None),
                    or_(_TASKS.c.due <= horizon, _TASKS.c.code.in_(april_codes)),
                )
            ).all()
            # The texts are read once per code: an open task's texts follow its template
            # (see _apply), and reading them per task would leave the index for the table.
            one_per_code = {row[2]: row[1] for row in task_rows}
            texts = {
                row.code: TaskText(
                    row.code, row.title, row.open_text, row.deadline_name, _owner(row.owner)
                )
                for row in connection.execute(
                    select(*_TASK_TEXTS).where(_TASKS.c.id.in_(one_per_code.values()))
                )
            }
        routes = _ROUTES_BY_VALUE
        pupils: dict[int, tuple[Any, str, Route, Window]] = {}
        items: list[AttentionItem] = []
        actor = self._actor
        for row in pupil_rows:
            if actor is not None and not actor.sees_pupil(row[5]):
                continue
            name = full_name(row[1], row[2], row[3])
            route = routes.get(row[7] or "", Route.ONBEKEND)
            window = windows[row[6]]
            pupils[row[0]] = (row, name, route, window)
            if route is Route.ONBEKEND and window.route_required:
                items.append(
                    AttentionItem(
                        Group.NO_ROUTE, row[0], name, row[4], row[5], None, None, None, today
                    )
                )
        for pupil_id, task_id, code, due in task_rows:
            found = pupils.get(pupil_id)
            if found is None:
                continue
            row, name, route, window = found
            group = window.group_of(due, code, route)
            if group is None:
                continue
            items.append(
                AttentionItem(
                    group, pupil_id, name, row[4], row[5], due, task_id, texts[code], today
                )
            )
        names = {pupil_id: found[1].casefold() for pupil_id, found in pupils.items()}
        order = GROUP_ORDER
        latest = date.max
        # Most urgent on top: the order of domain.attention.sort_key.
        items.sort(key=lambda i: (order[i.group], i.due or latest, names[i.pupil_id]))
        return items

    # --- calendar export ------------------------------------------------------------------
    def ics(
        self,
        today: date,
        mentor: str | None = None,
        klas: str | None = None,
        name: str = "Uitstroom",
    ) -> bytes:
        """An .ics of the school's deadlines and the open tasks of the current cohorts, per
        mentor or klas. Pupils appear as 'Noa J. (PRO4A)' and tasks by their title: nothing
        from the ondersteuningsbehoefte or the notes ever goes into a calendar.
        A mentor's calendar holds their own pupils; read-only users make none (it names
        pupils)."""
        require_write(self._actor)
        with self._sessions() as session:
            settings = load_settings(session)
            labels = [
                label
                for label in session.scalars(select(CohortRow.label))
                if SchoolYear.parse(label).last_day >= today
            ]
            where: list[ColumnElement[bool]] = [
                PupilRow.archived.is_(False),
                CohortRow.label.in_(labels),
                _TASKS.c.done_on.is_(None),
                pupil_scope(session, self._actor),
            ]
            if mentor:
                where.append(PupilRow.mentor == mentor)
            if klas:
                where.append(PupilRow.klas == klas)
            rows = session.execute(
                select(
                    PupilRow.roepnaam,
                    PupilRow.achternaam,
                    PupilRow.klas,
                    _TASKS.c.id,
                    _TASKS.c.title,
                    _TASKS.c.due,
                )
                .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
                .join(_TASKS, _TASKS.c.pupil_id == PupilRow.id)
                .where(*where)
                .order_by(_TASKS.c.due, _TASKS.c.id)
            ).all()
        school_calendar = (
            calendar_of(max(labels), settings)
            if labels
            else SchoolCalendar(SchoolYear.of(today), settings)
        )
        tasks = [
            CalendarTask(
                f"taak-{row.id}",
                pupil_label(row.roepnaam, row.achternaam, row.klas),
                row.title,
                row.due,
            )
            for row in rows
        ]
        return build_ics(school_calendar, tasks, name, self._clock())


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
    for row in session.execute(select(_TASKS).order_by(_TASKS.c.pupil_id, _TASKS.c.due)):
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
        _apply(
            session,
            pupil_id,
            current.get(pupil_id, []),
            enum_or(Route, route, Route.ONBEKEND),
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
