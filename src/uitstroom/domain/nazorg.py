"""Nazorg: following a young person after the last school day, as rules with the date passed in.

- Pro and vso follow their leavers for two years, mbo for one (Wet van school naar duurzaam
  werk); the default moments are 3, 6, 12, 18 and 24 months after leaving (mbo: 3, 6, 12).
- A call that does not reach the young person counts as an attempt. Three attempts on different
  days, spread over at least two weeks, and the program proposes "uit beeld".
- No school and no work, or uit beeld, raises the alarm once: signal the Doorstroompunt (under
  27 without startkwalificatie) or else the gemeente (Werk en Inkomen), and hand over warmly.
- Figures leave the school anonymous: no cell below 5 young people is shown as a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from uitstroom.domain.dates import add_months
from uitstroom.domain.enums import (
    AanmeldStatus,
    ContractSoort,
    Instrument,
    JaNeeOnbekend,
    LabelledEnum,
    Leerweg,
    Niveau,
    Route,
    SchoolType,
)
from uitstroom.domain.handover import Receiver, age_on
from uitstroom.domain.model import RouteDetails
from uitstroom.domain.plural import counted


class Destination(LabelledEnum):
    """Where the pupil went at leaving (uitstroombestemming)."""

    WERK = "werk", "Werk"
    MBO = "mbo", "Mbo"
    DAGBESTEDING = "dagbesteding", "Dagbesteding"
    BESCHUT_WERK = "beschut_werk", "Beschut werk"
    GEEN = "geen", "Geen bestemming"
    ONBEKEND = "onbekend", "Onbekend"


class CallStatus(LabelledEnum):
    """What a nazorg call found: the destinations, and what can happen after leaving."""

    WERK = "werk", "Werk"
    MBO = "mbo", "Mbo"
    DAGBESTEDING = "dagbesteding", "Dagbesteding"
    BESCHUT_WERK = "beschut_werk", "Beschut werk"
    WERKZOEKEND_UITKERING = "werkzoekend_uitkering", "Werkzoekend, met uitkering"
    WERKZOEKEND = "werkzoekend", "Werkzoekend, zonder uitkering"
    THUIS = "thuis", "Thuis, zonder dagbesteding"
    VERHUISD = "verhuisd", "Verhuisd"
    UIT_BEELD = "uit_beeld", "Uit beeld"
    GEEN = "geen", "Geen school en geen werk"
    ONBEKEND = "onbekend", "Onbekend"


class Channel(LabelledEnum):
    TELEFOON = "telefoon", "Telefoon"
    EMAIL = "email", "E-mail"
    SMS = "sms", "Sms of app"
    OUDERS = "ouders", "Via ouders"
    WERKGEVER = "werkgever", "Via werkgever of school"


# Default months after leaving at which a call is due; a school can change them.
DEFAULT_OFFSETS: Mapping[SchoolType, tuple[int, ...]] = {
    SchoolType.PRO: (3, 6, 12, 18, 24),
    SchoolType.VSO: (3, 6, 12, 18, 24),
    SchoolType.MBO: (3, 6, 12),
}
ATTEMPTS_FOR_UIT_BEELD = 3
ATTEMPT_SPAN = timedelta(days=14)
DOORSTROOMPUNT_AGE_LIMIT = 27

# Statuses with no school and no work: the alarm.
ALARM_STATUSES = frozenset(
    {
        CallStatus.WERKZOEKEND_UITKERING,
        CallStatus.WERKZOEKEND,
        CallStatus.THUIS,
        CallStatus.UIT_BEELD,
        CallStatus.GEEN,
    }
)

STATUS_OF_DESTINATION = {
    Destination.WERK: CallStatus.WERK,
    Destination.MBO: CallStatus.MBO,
    Destination.DAGBESTEDING: CallStatus.DAGBESTEDING,
    Destination.BESCHUT_WERK: CallStatus.BESCHUT_WERK,
    Destination.GEEN: CallStatus.GEEN,
    Destination.ONBEKEND: CallStatus.ONBEKEND,
}


@dataclass(frozen=True)
class PlannedCall:
    months: int
    due: date


def nazorg_plan(
    left_on: date, school_type: SchoolType, offsets: Sequence[int] | None = None
) -> list[PlannedCall]:
    """The calls due after leaving on `left_on`, in order."""
    chosen = DEFAULT_OFFSETS[school_type] if offsets is None else offsets
    return [PlannedCall(m, add_months(left_on, m)) for m in sorted(set(chosen))]


def offsets_problems(offsets: Sequence[int], school_type: SchoolType) -> list[str]:
    """What is wrong with a school's own moments, in words it can act on."""
    problems = []
    if not offsets:
        problems.append("Kies minstens één moment voor een nazorggesprek.")
    limit = 24 if school_type is not SchoolType.MBO else 12
    if any(m < 1 or m > 36 for m in offsets):
        problems.append("Kies momenten van 1 tot en met 36 maanden na het verlaten van school.")
    elif offsets and max(offsets) < limit:
        years = "twee jaar" if limit == 24 else "een jaar"
        problems.append(
            f"De wet vraagt nazorg tot {years} na het verlaten van school. "
            f"Kies ook een moment op {counted(limit, 'maand', 'maanden')}."
        )
    if len(set(offsets)) != len(offsets):
        problems.append("Elk moment mag maar één keer voorkomen.")
    return problems


def propose_uit_beeld(attempts: Iterable[date]) -> bool:
    """Three attempts on different days, the first and last at least two weeks apart.
    Pass only the attempts since the young person was last reached."""
    days = sorted(set(attempts))
    return len(days) >= ATTEMPTS_FOR_UIT_BEELD and days[-1] - days[0] >= ATTEMPT_SPAN


def is_alarm(status: CallStatus) -> bool:
    return status in ALARM_STATUSES


def alarm_fires(previous: CallStatus | None, found: CallStatus) -> bool:
    """The alarm fires when a young person comes into a no-school-no-work status, not again
    while they stay there (an open signal task already exists)."""
    return is_alarm(found) and (previous is None or not is_alarm(previous))


def signal_to(birth: date | None, day: date, startkwalificatie: JaNeeOnbekend) -> Receiver:
    """The Doorstroompunt follows young people under 27 without startkwalificatie; everyone
    else is for the gemeente, Werk en Inkomen."""
    young = birth is None or age_on(birth, day) < DOORSTROOMPUNT_AGE_LIMIT
    if young and startkwalificatie is not JaNeeOnbekend.JA:
        return Receiver.DOORSTROOMPUNT
    return Receiver.GEMEENTE


# --- outcome figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """A call that reached the young person (or their last known place)."""

    on: date
    status: CallStatus
    same_place: bool | None = None


@dataclass(frozen=True)
class Leaver:
    """What the figures need of one former pupil: nothing that names them."""

    left_on: date
    planned_route: str  # the route's label at leaving
    destination: Destination
    observations: tuple[Observation, ...] = ()


MOMENTS = (0, 6, 12, 24)
# A call within two months of a moment tells where the young person was at that moment.
MOMENT_WINDOW = timedelta(days=62)
NOT_REACHED = "Niet bereikt"


def observation_near(observations: Iterable[Observation], moment: date) -> Observation | None:
    """The reached call nearest to `moment`, within two months of it (the earlier of two
    equally near)."""
    near = [o for o in observations if abs((o.on - moment).days) <= MOMENT_WINDOW.days]
    if not near:
        return None
    return min(near, key=lambda o: (abs((o.on - moment).days), o.on))


def observation_at(leaver: Leaver, months: int) -> Observation | None:
    """The reached call nearest to `months` after leaving, within two months of it."""
    return observation_near(leaver.observations, add_months(leaver.left_on, months))


def status_at(leaver: Leaver, months: int, today: date) -> str | None:
    """The status label at `months` after leaving; None when that moment has not come yet
    on `today`; NOT_REACHED when no call near the moment reached anyone."""
    if months == 0:
        return STATUS_OF_DESTINATION[leaver.destination].label
    if add_months(leaver.left_on, months) > today:
        return None
    found = observation_at(leaver, months)
    return NOT_REACHED if found is None else found.status.label


def lasting(leaver: Leaver, today: date) -> bool | None:
    """Bestendiging: at 12 months still in the place they went to at leaving (same status,
    and the call did not say it was another place). None when not known on `today`."""
    if add_months(leaver.left_on, 12) > today:
        return None
    found = observation_at(leaver, 12)
    if found is None:
        return None
    return (
        found.status is STATUS_OF_DESTINATION[leaver.destination] and found.same_place is not False
    )


@dataclass(frozen=True)
class Outcomes:
    leavers: int
    # moment in months -> status label -> count (only leavers whose moment has come)
    at: dict[int, dict[str, int]]
    reached: dict[int, int]
    due: dict[int, int]
    # still in the same place at 12 months as at leaving, of those reached then
    lasting: int
    lasting_known: int
    # planned route label -> destination label -> count
    planned_vs_actual: dict[str, dict[str, int]]


def outcomes(leavers: Sequence[Leaver], today: date) -> Outcomes:
    at: dict[int, dict[str, int]] = {}
    reached: dict[int, int] = {}
    due: dict[int, int] = {}
    for months in MOMENTS:
        seen = [status_at(leaver, months, today) for leaver in leavers]
        counted = Counter(s for s in seen if s is not None)
        at[months] = dict(counted)
        due[months] = sum(counted.values())
        reached[months] = due[months] - counted.get(NOT_REACHED, 0)
    known = [found for found in (lasting(leaver, today) for leaver in leavers) if found is not None]
    crossed: dict[str, Counter[str]] = {}
    for leaver in leavers:
        crossed.setdefault(leaver.planned_route, Counter())[leaver.destination.label] += 1
    return Outcomes(
        len(leavers),
        at,
        reached,
        due,
        sum(known),
        len(known),
        {route: dict(counts) for route, counts in crossed.items()},
    )


def impossible_at_leaving(column: str) -> bool:
    """A status no one can have on the day they leave: 'Niet bereikt', 'Uit beeld' and the
    other things a later call can find; at leaving there are only the destinations."""
    return column not in {status.label for status in STATUS_OF_DESTINATION.values()}


def moment_impossible(at_leaving: str) -> Callable[[str, str], bool]:
    """For an anonymous table of moments (domain.small_numbers) whose row `at_leaving` is the
    day of leaving."""
    return lambda row, column: row == at_leaving and impossible_at_leaving(column)


# --- one leaver's file -------------------------------------------------------------------


class FileState(LabelledEnum):
    OPEN = "open", "Nazorg loopt"
    CLOSED = "afgesloten", "Afgesloten"
    HANDED_OVER = "overgedragen", "Overgedragen"


# After the plan, a waakvlam keeps a light contact with the most vulnerable: once a year.
WAAKVLAM_MONTHS = 12


@dataclass(frozen=True)
class Leaving:
    """The uitstroomdatum and where the pupil actually went."""

    left_on: date
    destination: Destination
    employer: str = ""
    contract: ContractSoort = ContractSoort.ONBEKEND
    instruments: frozenset[Instrument] = frozenset()
    mbo_instelling: str = ""
    opleiding: str = ""
    niveau: Niveau | None = None
    leerweg: Leerweg | None = None
    note: str = ""


def leaving_problems(leaving: Leaving, today: date, school_year_start: date) -> list[str]:
    """What is wrong with leaving data about to be recorded, in words to act on."""
    problems = []
    if leaving.left_on > today + timedelta(days=366):
        problems.append("De uitstroomdatum ligt meer dan een jaar vooruit. Kies een andere datum.")
    if leaving.left_on < school_year_start - timedelta(days=366 * 2):
        problems.append("De uitstroomdatum ligt meer dan twee schooljaren terug.")
    if leaving.destination is Destination.MBO and not (leaving.mbo_instelling or leaving.opleiding):
        problems.append("Vul bij mbo de instelling of de opleiding in.")
    if leaving.destination is Destination.WERK and not leaving.employer.strip():
        problems.append("Vul bij werk de werkgever in.")
    return problems


@dataclass(frozen=True)
class NazorgMoment:
    """A planned call. `due` can be moved or snoozed with a reason; `original_due` stays."""

    months: int
    due: date
    original_due: date
    moved_reason: str = ""
    done_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class CallRecord:
    """One logged call, reached or not. `status` and the questions only when reached."""

    on: date
    reached: bool
    channel: Channel
    status: CallStatus | None = None
    same_place: bool | None = None
    wants_help: bool | None = None
    note: str = ""
    by: str = ""
    moment_id: int | None = None
    id: int | None = None
    # The day it was written down (not the day of the call): the day it can still be corrected.
    logged_on: date | None = None


def call_correctable(call: CallRecord, today: date) -> bool:
    """A call logged by mistake can be corrected or withdrawn on the day it was logged, while
    the coordinator still remembers what happened; later the log is what the Inspectie reads,
    and a new call is logged instead."""
    return call.logged_on is not None and call.logged_on == today


CORRECTION_TOO_LATE = (
    "Een gesprek kunt u alleen corrigeren of intrekken op de dag dat u het vastlegde. "
    "Leg nu een nieuw gesprek vast met wat er echt gebeurde."
)


@dataclass(frozen=True)
class Signal:
    """The alarm: a young person with no school and no work, to be signalled."""

    created_on: date
    status: CallStatus
    receiver: Receiver
    organisation_id: int | None = None
    sent_on: date | None = None
    sent_to: str = ""
    id: int | None = None


@dataclass(frozen=True)
class SpareContact:
    """Someone who can tell how the young person is doing (collected before leaving)."""

    who: str  # "Moeder", "Werkgever", "Jobcoach"
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NazorgFile:
    pupil_id: int
    name: str
    leaving: Leaving
    moments: tuple[NazorgMoment, ...]
    calls: tuple[CallRecord, ...]
    signals: tuple[Signal, ...]
    state: FileState = FileState.OPEN
    closed_on: date | None = None
    waakvlam: bool = False
    spare_contacts: tuple[SpareContact, ...] = ()
    mentor: str = ""

    @property
    def last_status(self) -> CallStatus | None:
        reached = [c for c in self.calls if c.reached and c.status is not None]
        return max(reached, key=lambda c: c.on).status if reached else None


def attempts_since_reached(calls: Sequence[CallRecord]) -> list[date]:
    """The dates of the calls that did not reach anyone since the last one that did."""
    ordered = sorted(calls, key=lambda c: c.on)
    since: list[date] = []
    for call in ordered:
        since = [] if call.reached else [*since, call.on]
    return since


@dataclass(frozen=True)
class AgendaItem:
    pupil_id: int
    name: str
    mentor: str
    moment_id: int
    months: int
    due: date
    attempts: int
    last_status: CallStatus | None
    overdue: bool


def week_end(today: date) -> date:
    """Sunday of this week: the agenda shows what is due up to and including it."""
    return today + timedelta(days=6 - today.weekday())


def agenda(files: Iterable[NazorgFile], today: date) -> list[AgendaItem]:
    """Calls due this week and overdue, of open files; overdue first, then by date and name."""
    until = week_end(today)
    items = []
    for file in files:
        if file.state is not FileState.OPEN:
            continue
        attempts = len(attempts_since_reached(file.calls))
        for moment in file.moments:
            if moment.done_on is not None or moment.due > until or moment.id is None:
                continue
            items.append(
                AgendaItem(
                    file.pupil_id,
                    file.name,
                    file.mentor,
                    moment.id,
                    moment.months,
                    moment.due,
                    attempts,
                    file.last_status,
                    moment.due < today,
                )
            )
    return sorted(items, key=lambda i: (not i.overdue, i.due, i.name.casefold()))


# --- added for the service (issue 6): which moment a call is for, the status the alarm follows


# A call counts for a moment due up to a month after it: calling a week early is calling.
CALL_AHEAD = timedelta(days=30)


def moment_for_call(
    moments: Iterable[NazorgMoment], on: date, wanted_id: int | None = None
) -> NazorgMoment | None:
    """The open moment a call on `on` is for: the one asked for when it is still open, else
    the earliest open moment due up to 30 days after the call (any overdue one included)."""
    open_moments = sorted(
        (m for m in moments if m.done_on is None and m.id is not None), key=lambda m: m.due
    )
    if wanted_id is not None:
        for moment in open_moments:
            if moment.id == wanted_id:
                return moment
    return next((m for m in open_moments if m.due <= on + CALL_AHEAD), None)


def last_known_status(calls: Sequence[CallRecord]) -> CallStatus | None:
    """The latest status known, also one concluded without reaching anyone ("uit beeld" after
    the attempts): the status the alarm compares with."""
    known = [c for c in sorted(calls, key=lambda c: c.on) if c.status is not None]
    return known[-1].status if known else None


def waakvlam_months(plan_months: Sequence[int], done: int) -> int:
    """The next waakvlam moment: a year after the plan's last moment, and a year after each
    waakvlam call already made (`done` of them)."""
    return max(plan_months, default=0) + WAAKVLAM_MONTHS * (done + 1)


def call_problems(call: CallRecord, today: date) -> list[str]:
    """What is wrong with a call as entered: a day after today, reached without a status, or a
    status heard from nobody (only 'uit beeld' is known without reaching the young person)."""
    problems = []
    if call.on > today:
        problems.append("Een gesprek kan niet in de toekomst liggen. Kies vandaag of eerder.")
    if call.reached and call.status is None:
        problems.append("Kies wat u hoorde: waar is de jongere nu?")
    if not call.reached and call.status not in (None, CallStatus.UIT_BEELD):
        problems.append(
            "Niet bereikt: laat de status leeg (alleen 'uit beeld' kan zonder iemand te spreken)."
        )
    return problems


_REGISTERED = frozenset(
    {AanmeldStatus.AANGEMELD, AanmeldStatus.INTAKE_GEPLAND, AanmeldStatus.TOEGELATEN}
)


def leaving_from_route(route: RouteDetails, left_on: date) -> Leaving:
    """Where the route says a pupil goes: doorleren and registered -> mbo, arbeid with an
    employer -> werk, dagbesteding -> dagbesteding; anything else unknown."""
    registered = route.aanmeldstatus in _REGISTERED
    if route.route is Route.DOORLEREN and registered and (route.mbo_instelling or route.opleiding):
        return Leaving(
            left_on,
            Destination.MBO,
            mbo_instelling=route.mbo_instelling,
            opleiding=route.opleiding,
            niveau=route.niveau,
            leerweg=route.leerweg,
        )
    if route.route is Route.ARBEID and route.werkgever.strip():
        return Leaving(
            left_on,
            Destination.WERK,
            employer=route.werkgever,
            contract=route.contract,
            instruments=route.instrumenten,
        )
    if route.route is Route.DAGBESTEDING:
        return Leaving(left_on, Destination.DAGBESTEDING)
    return Leaving(left_on, Destination.ONBEKEND)
