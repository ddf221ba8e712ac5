"""Route checklists: the tasks of the final year per route, planned from the school calendar,
and the status a pupil has on a given day.

Templates are data. A school may add its own tasks, move a task's date (another anchor or
offset) or switch a task off; `DEFAULT_TEMPLATES` are the defaults of the domain brief.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from uitstroom.domain.calendar import Anchor, SchoolCalendar
from uitstroom.domain.dates import dutch_day
from uitstroom.domain.enums import LabelledEnum, Route, SchoolType
from uitstroom.domain.plural import counted


class Owner(LabelledEnum):
    SCHOOL = "school", "School"
    LEERLING = "leerling", "Leerling"
    OUDER = "ouder", "Ouder/verzorger"
    MBO = "mbo", "Mbo"
    GEMEENTE = "gemeente", "Gemeente"
    WERKGEVER = "werkgever", "Werkgever"


class Level(LabelledEnum):
    """A pupil's status; the order is the urgency (most urgent first in lists)."""

    TE_LAAT = "te_laat", "Te laat"
    AANDACHT = "aandacht", "Aandacht"
    OP_SCHEMA = "op_schema", "Op schema"
    AFGEROND = "afgerond", "Afgerond"

    @property
    def urgency(self) -> int:
        return list(Level).index(self)


@dataclass(frozen=True)
class TaskTemplate:
    code: str
    title: str
    # The open task in words, for the status reason ("Nog niet aangemeld bij het mbo").
    open_text: str
    # What the deadline is called in a reason ("de aanmelddatum").
    deadline_name: str
    owner: Owner
    anchor: Anchor
    offset_days: int = 0
    # None: every pupil, whatever the route.
    routes: frozenset[Route] | None = None
    active: bool = True
    custom: bool = False
    # A legal deadline (1 April) does not move for a pupil who arrives late; other tasks that
    # are already past when planned get a fresh due date (see `plan`).
    fixed: bool = False

    def applies_to(self, route: Route) -> bool:
        return self.active and (self.routes is None or route in self.routes)

    def due(self, school_calendar: SchoolCalendar) -> date:
        """A school task moves to the school day before a weekend or holiday; a legal date
        (1 April) keeps its date, whatever day it is."""
        day = school_calendar.anchor_date(self.anchor) + timedelta(days=self.offset_days)
        return day if self.fixed else school_calendar.school_day(day)


_ALL = None
_DOORLEREN = frozenset({Route.DOORLEREN})
_ARBEID = frozenset({Route.ARBEID})
_DAGBESTEDING = frozenset({Route.DAGBESTEDING})

DEFAULT_TEMPLATES: tuple[TaskTemplate, ...] = (
    TaskTemplate(
        "uitstroomdoel",
        "Uitstroomdoel vastgesteld en besproken met leerling en ouders",
        "Het uitstroomdoel is nog niet vastgesteld",
        "de afgesproken datum",
        Owner.SCHOOL,
        Anchor.YEAR_START,
        61,
        _ALL,
    ),
    TaskTemplate(
        "transitieplan",
        "Transitieplan besproken met leerling en ouders",
        "Het transitieplan is nog niet besproken",
        "de afgesproken datum",
        Owner.SCHOOL,
        Anchor.YEAR_START,
        92,
        _ALL,
    ),
    TaskTemplate(
        "opp_evaluatie",
        "Uitstroomprofiel in het OPP geëvalueerd",
        "Het uitstroomprofiel in het OPP is nog niet geëvalueerd",
        "het einde van de bijstelperiode",
        Owner.SCHOOL,
        Anchor.BIJSTEL_END,
        0,
        _ALL,
    ),
    TaskTemplate(
        "uitstroomoverleg",
        "Besproken in het uitstroomoverleg met de gemeente",
        "Nog niet besproken in het uitstroomoverleg",
        "het uitstroomoverleg",
        Owner.GEMEENTE,
        Anchor.UITSTROOMOVERLEG,
        0,
        _ARBEID,
    ),
    TaskTemplate(
        "aanmelden_mbo",
        "Aangemeld bij het mbo",
        "Nog niet aangemeld bij het mbo",
        "de aanmelddatum",
        Owner.LEERLING,
        Anchor.APRIL_1,
        0,
        _DOORLEREN,
        fixed=True,
    ),
    TaskTemplate(
        "stagegesprek",
        "Gesprek met het leerbedrijf over een baan of bbl-plaats",
        "Nog geen gesprek met het leerbedrijf over een baan of bbl-plaats",
        "de datum",
        Owner.SCHOOL,
        Anchor.APRIL_1,
        0,
        _ARBEID,
    ),
    TaskTemplate(
        "laatste_stage",
        "Laatste stage geregeld bij een bedrijf met perspectief",
        "De laatste stage is nog niet geregeld bij een bedrijf met perspectief",
        "de datum",
        Owner.SCHOOL,
        Anchor.APRIL_1,
        0,
        _ARBEID,
    ),
    TaskTemplate(
        "aanbieder_dagbesteding",
        "Aanbieder voor dagbesteding gekozen",
        "Nog geen aanbieder voor dagbesteding gekozen",
        "de datum",
        Owner.OUDER,
        Anchor.APRIL_1,
        0,
        _DAGBESTEDING,
    ),
    TaskTemplate(
        "intake_mbo",
        "Intake bij het mbo gedaan",
        "De intake bij het mbo is nog niet gedaan",
        "de datum",
        Owner.MBO,
        Anchor.LAST_SCHOOL_DAY,
        -42,
        _DOORLEREN,
    ),
    TaskTemplate(
        "paspoort",
        "Paspoort voor Succes opgesteld met leerling en ouders",
        "Het Paspoort voor Succes is nog niet opgesteld",
        "de datum",
        Owner.SCHOOL,
        Anchor.LAST_SCHOOL_DAY,
        -42,
        _ALL,
    ),
    TaskTemplate(
        "toestemming",
        "Toestemming voor de overdracht vastgelegd",
        "De toestemming voor de overdracht is nog niet vastgelegd",
        "de datum",
        Owner.SCHOOL,
        Anchor.LAST_SCHOOL_DAY,
        -28,
        _ALL,
    ),
    TaskTemplate(
        "contact_na_school",
        "Contactgegevens na school verzameld en nazorg aangekondigd",
        "De contactgegevens na school zijn nog niet verzameld",
        "de datum",
        Owner.SCHOOL,
        Anchor.LAST_SCHOOL_DAY,
        -14,
        _ALL,
    ),
    TaskTemplate(
        "warme_overdracht",
        "Warme overdracht gedaan",
        "De warme overdracht is nog niet gedaan",
        "de laatste schooldag",
        Owner.SCHOOL,
        Anchor.LAST_SCHOOL_DAY,
        0,
        _ALL,
    ),
)


# The mbo's last year (studenten who leave with or without a diploma): the transitieplan from a
# year before the end, the 1 April registration for those who go on studying, a talk about work
# with the leerbedrijf, consent for the handover, and the exitgesprek before the last day.
# Ticked by the exitgesprek itself when it is finished.
EXIT_TASK = "exitgesprek"

_PRO = {template.code: template for template in DEFAULT_TEMPLATES}
MBO_TEMPLATES: tuple[TaskTemplate, ...] = (
    replace(_PRO["transitieplan"], title="Transitieplan besproken met de student"),
    replace(
        _PRO["aanmelden_mbo"],
        title="Aangemeld voor de vervolgopleiding",
        open_text="Nog niet aangemeld voor de vervolgopleiding",
    ),
    replace(
        _PRO["stagegesprek"],
        title="Gesprek met het leerbedrijf over werk na de opleiding",
        open_text="Nog geen gesprek met het leerbedrijf over werk na de opleiding",
    ),
    _PRO["toestemming"],
    TaskTemplate(
        EXIT_TASK,
        "Exitgesprek gevoerd",
        "Het exitgesprek is nog niet gevoerd",
        "de datum",
        Owner.SCHOOL,
        Anchor.LAST_SCHOOL_DAY,
        -14,
        _ALL,
    ),
)


def default_templates(school_type: SchoolType) -> tuple[TaskTemplate, ...]:
    """The standard checklist of a school type: pro and vso share one, the mbo has its own."""
    return MBO_TEMPLATES if school_type == SchoolType.MBO else DEFAULT_TEMPLATES


@dataclass(frozen=True)
class Task:
    """One pupil's task: planned from a template, ticked by someone on a day."""

    code: str
    title: str
    open_text: str
    deadline_name: str
    owner: Owner
    due: date
    done_on: date | None = None
    done_by: str = ""
    id: int | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


GRACE_DAYS = 14


def plan(
    route: Route,
    templates: Iterable[TaskTemplate],
    school_calendar: SchoolCalendar,
    planned_on: date | None = None,
) -> list[Task]:
    """The open tasks a pupil on `route` gets, in due-date order. A pupil who joins (or changes
    route) late is not late at once for tasks nobody could have done: a task whose date has
    passed on `planned_on` is due two weeks later instead, unless it is a fixed legal deadline."""
    tasks = []
    for template in templates:
        if not template.applies_to(route):
            continue
        due = template.due(school_calendar)
        if planned_on is not None and due < planned_on and not template.fixed:
            due = school_calendar.school_day(planned_on + timedelta(days=GRACE_DAYS))
        tasks.append(
            Task(
                template.code,
                template.title,
                template.open_text,
                template.deadline_name,
                template.owner,
                due,
            )
        )
    return sorted(tasks, key=lambda task: (task.due, task.code))


@dataclass(frozen=True)
class Replan:
    keep: tuple[Task, ...]
    remove: tuple[Task, ...]
    add: tuple[Task, ...]


# Tasks with this code prefix come from an agreement made in the uitstroomoverleg, not from a
# template: they belong to the pupil whatever the route, like a done task.
DECIDED_TASK_PREFIX = "overleg-"


def replan(
    current: Sequence[Task],
    new_route: Route,
    templates: Iterable[TaskTemplate],
    school_calendar: SchoolCalendar,
    changed_on: date | None = None,
) -> Replan:
    """After a route change: finished tasks stay, whatever the route; open tasks that do not
    belong to the new route go; tasks of the new route that the pupil lacks are added; open
    tasks that stay get the (possibly moved) due date of their template."""
    templates = tuple(templates)
    wanted = {task.code: task for task in plan(new_route, templates, school_calendar, changed_on)}
    scheduled = {t.code: t.due(school_calendar) for t in templates if t.applies_to(new_route)}
    keep: list[Task] = []
    remove: list[Task] = []
    for task in current:
        if task.done or task.code.startswith(DECIDED_TASK_PREFIX):
            keep.append(task)
        elif task.code in wanted:
            # An open task that stays follows its template's date (the school may have moved it).
            keep.append(replace(task, due=scheduled[task.code]))
        else:
            remove.append(task)
    have = {task.code for task in keep}
    add = [task for code, task in wanted.items() if code not in have]
    return Replan(tuple(keep), tuple(remove), tuple(add))


@dataclass(frozen=True)
class Status:
    level: Level
    reason: str
    task: Task | None = None


def days_phrase(due: date, today: date) -> str:
    """'over 9 dagen', 'morgen', 'vandaag', 'gisteren', '3 dagen geleden'."""
    days = (due - today).days
    if days == 0:
        return "is vandaag"
    if days == 1:
        return "is morgen"
    if days > 1:
        return f"is over {counted(days, 'dag', 'dagen')}"
    if days == -1:
        return "was gisteren"
    return f"was {counted(-days, 'dag', 'dagen')} geleden"


def task_reason(task: Task, today: date) -> str:
    """'Nog niet aangemeld bij het mbo; de aanmelddatum 1 april is over 9 dagen'."""
    return f"{task.open_text}; {task.deadline_name} {dutch_day(task.due)} {days_phrase(task.due, today)}"


def status(
    route: Route,
    tasks: Sequence[Task],
    today: date,
    school_calendar: SchoolCalendar,
) -> Status:
    """Te laat: an open task past its due date (the due date itself is still on time).
    Aandacht: an open task due within the attention window, or no route chosen in January.
    Afgerond: every task done. Otherwise op schema, with the next open task as the reason."""
    open_tasks = sorted((t for t in tasks if not t.done), key=lambda t: (t.due, t.code))
    first = open_tasks[0] if open_tasks else None
    return status_from_first(route, first, bool(tasks), today, school_calendar)


def status_from_first(
    route: Route,
    first_open: Task | None,
    has_tasks: bool,
    today: date,
    school_calendar: SchoolCalendar,
) -> Status:
    """`status` from what it depends on: the earliest open task (by due date, then code),
    the route and whether the pupil has tasks at all. Lets a whole cohort's statuses come
    from one query for the first open task per pupil."""
    if first_open is not None and first_open.due < today:
        return Status(Level.TE_LAAT, task_reason(first_open, today), first_open)
    if route is Route.ONBEKEND and today >= school_calendar.anchor_date(
        Anchor.BIJSTEL_END
    ) + timedelta(days=1):
        return Status(Level.TE_LAAT, "Nog geen route gekozen; de bijstelperiode is voorbij")
    window = school_calendar.settings.attention_days
    if first_open is not None and (first_open.due - today).days <= window:
        return Status(Level.AANDACHT, task_reason(first_open, today), first_open)
    if route is Route.ONBEKEND and today.month == 1:
        return Status(Level.AANDACHT, "Nog geen route gekozen; kies die in januari")
    if first_open is None:
        if not has_tasks:
            return Status(Level.OP_SCHEMA, "Nog geen taken")
        return Status(Level.AFGEROND, "Alle taken zijn afgerond")
    return Status(Level.OP_SCHEMA, f"Volgende stap: {task_reason(first_open, today)}", first_open)
