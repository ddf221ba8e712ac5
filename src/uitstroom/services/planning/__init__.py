"""The final year's checklists: the school calendar and task templates, each pupil's tasks,
their status and what needs attention today ("Vandaag", `uitstroom attention`).

The functions at module level work inside a caller's transaction, so that creating, importing
or editing a pupil plans the tasks in the same commit as the change (see services/pupils.py
and services/importing/)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    delete,
    insert,
    or_,
    select,
)

from uitstroom.domain.attention import (
    APRIL_TASKS,
    GROUP_ORDER,
    AttentionItem,
    Group,
    TaskText,
    Window,
)
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.calendar import CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import (
    Status,
    Task,
    TaskTemplate,
    default_templates,
    status_from_first,
)
from uitstroom.domain.enums import Route
from uitstroom.domain.names import full_name
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.access import (
    pupil_scope,
    require_coordinator,
    require_pupil,
    require_write,
)
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.errors import GONE, NotFoundError, ValidationError
from uitstroom.services.ics import CalendarTask, build_ics, pupil_label
from uitstroom.services.planning.replan import (
    on_route_saved,
    plan_missing,
    plan_new_pupils,
    replan_everyone,
    replan_for_school_type,
    tasks_of_pupil,
    tick_registration,
)
from uitstroom.services.planning.rows import (
    ATTENTION_PUPIL,
    COHORTS,
    PUPILS,
    REGISTRATION_TASK,
    ROUTES,
    TASK_TEXTS,
    TASKS,
    calendar_of,
    current_labels,
    load_settings,
    load_templates,
    pupil_filter,
    stored_school_type,
    task_from_row,
    task_values,
    template_problems,
    template_row,
)
from uitstroom.services.planning.statuses import Statuses, statuses_statement
from uitstroom.services.speed import collector_paused
from uitstroom.storage.models import (
    CohortRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    SchoolSettingsRow,
    TaskTemplateRow,
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

    def save_calendar_settings(self, settings: CalendarSettings) -> None:
        require_coordinator(self._actor)
        actor = self._author()
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

    def save_templates(self, templates: Sequence[TaskTemplate]) -> None:
        require_coordinator(self._actor)
        actor = self._author()
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
                insert(TaskTemplateRow), [template_row(t, n) for n, t in enumerate(templates)]
            )
            settings = load_settings(session)
            replan_everyone(
                session, old, tuple(templates), settings, settings, self._clock().date()
            )
            append(
                session, actor, AuditAction.SETTINGS, detail="velden: takenlijst", now=self._clock()
            )

    def reset_templates(self) -> None:
        """Back to the standard checklist of the school's type."""
        require_coordinator(self._actor)
        actor = self._author()
        with self._sessions.begin() as session:
            old = load_templates(session)
            session.execute(delete(TaskTemplateRow))
            settings = load_settings(session)
            replan_everyone(
                session,
                old,
                default_templates(stored_school_type(session)),
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
            return tasks_of_pupil(session, pupil_id)

    def tick(self, task_id: int, on: date | None = None) -> Task:
        """Mark a task done on `on` (default: today) by `actor`, with a line in the audit trail."""
        actor = self._author()
        now = self._clock()
        return self._set_done(task_id, on or now.date(), actor, now)

    def untick(self, task_id: int) -> Task:
        actor = self._author()
        return self._set_done(task_id, None, actor, self._clock())

    def _set_done(self, task_id: int, on: date | None, actor: str, now: datetime) -> Task:
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
            tasks = tasks_of_pupil(session, pupil_id)
            settings = load_settings(session)
        first = next((t for t in tasks if not t.done), None)
        route = found.route or Route.ONBEKEND  # no route row yet
        return status_from_first(
            route, first, bool(tasks), today, calendar_of(found.label, settings)
        )

    def statuses(self, today: date) -> Statuses:
        """Every pupil's status in one query: per pupil its first open task (an index seek on
        the open tasks in due order) and whether it has tasks at all."""
        with collector_paused(), self._sessions() as session:
            settings = load_settings(session)
            statement = statuses_statement(session.get_bind().dialect.name)
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
                select(*ATTENTION_PUPIL)
                .select_from(PUPILS)
                .join(COHORTS, PUPILS.c.cohort_id == COHORTS.c.id)
                .outerjoin(ROUTES, ROUTES.c.pupil_id == PUPILS.c.id)
                .where(*pupil_filter(labels, mentor, klas))
            ).all()
            task_rows = connection.execute(
                select(TASKS.c.pupil_id, TASKS.c.id, TASKS.c.code, TASKS.c.due).where(
                    TASKS.c.done_on.is_(None),
                    or_(TASKS.c.due <= horizon, TASKS.c.code.in_(april_codes)),
                )
            ).all()
            # The texts are read once per code: an open task's texts follow its template
            # (see apply_plan), and reading them per task would leave the index for the table.
            one_per_code = {row[2]: row[1] for row in task_rows}
            texts = {
                row.code: TaskText(row.code, row.title, row.open_text, row.deadline_name, row.owner)
                for row in connection.execute(
                    select(*TASK_TEXTS).where(TASKS.c.id.in_(one_per_code.values()))
                )
            }
        pupils: dict[int, tuple[Any, Route, Window]] = {}
        items: list[AttentionItem] = []
        actor = self._actor
        # Names only of the pupils listed: most of a large cohort has nothing today.
        names: dict[int, str] = {}

        def name_of(row: Any) -> str:
            name = names.get(row[0])
            if name is None:
                name = names[row[0]] = full_name(row[1], row[2], row[3])
            return name

        for row in pupil_rows:
            if not actor.sees_pupil(row[5]):
                continue
            route = row[7] or Route.ONBEKEND
            window = windows[row[6]]
            pupils[row[0]] = (row, route, window)
            if route is Route.ONBEKEND and window.route_required:
                name = name_of(row)
                items.append(
                    AttentionItem(
                        Group.NO_ROUTE, row[0], name, row[4], row[5], None, None, None, today
                    )
                )
        for pupil_id, task_id, code, due in task_rows:
            found = pupils.get(pupil_id)
            if found is None:
                continue
            row, route, window = found
            group = window.group_of(due, code, route)
            if group is None:
                continue
            items.append(
                AttentionItem(
                    group, pupil_id, name_of(row), row[4], row[5], due, task_id, texts[code], today
                )
            )
        folded = {pupil_id: name.casefold() for pupil_id, name in names.items()}
        order = GROUP_ORDER
        latest = date.max
        # Most urgent on top: the order of domain.attention.sort_key.
        items.sort(key=lambda i: (order[i.group], i.due or latest, folded[i.pupil_id]))
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
                TASKS.c.done_on.is_(None),
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
                    TASKS.c.id,
                    TASKS.c.title,
                    TASKS.c.due,
                )
                .join(CohortRow, PupilRow.cohort_id == CohortRow.id)
                .join(TASKS, TASKS.c.pupil_id == PupilRow.id)
                .where(*where)
                .order_by(TASKS.c.due, TASKS.c.id)
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


__all__ = [
    "REGISTRATION_TASK",
    "PlanningService",
    "Statuses",
    "current_labels",
    "load_settings",
    "on_route_saved",
    "plan_missing",
    "plan_new_pupils",
    "replan_for_school_type",
    "task_values",
    "tick_registration",
]
