"""Frozen records that cross the service boundary. No ORM object ever reaches the screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from uitstroom.domain.enums import (
    AanmeldStatus,
    ContractSoort,
    Instrument,
    JaNeeOnbekend,
    Leerweg,
    Niveau,
    Perspectief,
    Route,
    SchoolType,
    TimelineKind,
    Uitstroomprofiel,
)
from uitstroom.domain.names import full_name, sort_name

MAX_AUTO_LOCK_MINUTES = 240


@dataclass(frozen=True)
class SchoolSettings:
    name: str = ""
    school_type: SchoolType = SchoolType.PRO
    brin: str = ""
    coordinator_name: str = ""
    coordinator_phone: str = ""
    coordinator_email: str = ""
    logo_png: bytes | None = field(default=None, repr=False)
    # Minutes without keyboard or mouse before the window locks; 0 means never.
    auto_lock_minutes: int = 10
    # The letterhead: the school's own address and contacts, on every document.
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    # The domains of the school's own e-mail addresses ("roc-midden.nl, student.roc-midden.nl"):
    # such an address is never a student's e-mail after school.
    email_domains: str = ""

    @property
    def is_configured(self) -> bool:
        return bool(self.name.strip())


@dataclass(frozen=True)
class Cohort:
    id: int
    label: str


@dataclass(frozen=True)
class Guardian:
    name: str
    relation: str = ""
    phone: str = ""
    email: str = ""
    id: int | None = None


@dataclass(frozen=True)
class RouteDetails:
    """The planned route after school with the details that belong to it."""

    route: Route = Route.ONBEKEND
    # doorleren
    mbo_instelling: str = ""
    opleiding: str = ""
    niveau: Niveau | None = None
    leerweg: Leerweg | None = None
    aanmeldstatus: AanmeldStatus = AanmeldStatus.NIET_AANGEMELD
    aanmelddatum: date | None = None
    # arbeid
    werkgever: str = ""
    functie: str = ""
    contract: ContractSoort = ContractSoort.ONBEKEND
    instrumenten: frozenset[Instrument] = frozenset()
    # dagbesteding
    aanbieder: str = ""
    toelichting: str = ""


@dataclass(frozen=True)
class RouteChange:
    changed_on: date
    old_route: Route
    new_route: Route
    reason: str
    changed_by: str
    id: int | None = None
    # Made in the December/January window, where adjusting the destination is planned.
    bijstelling: bool = False


@dataclass(frozen=True)
class Stage:
    leerbedrijf: str
    contactpersoon: str = ""
    contact_telefoon: str = ""
    contact_email: str = ""
    start: date | None = None
    end: date | None = None
    dagen_per_week: int | None = None
    sbb_erkend: JaNeeOnbekend = JaNeeOnbekend.ONBEKEND
    perspectief: Perspectief = Perspectief.ONBEKEND
    toelichting: str = ""
    id: int | None = None
    # What the pupil learned there, in their own words: the Paspoort voor Succes prints it.
    geleerd: str = ""
    # The version it was read at; None: not checked (a new stage, or a caller that does not care).
    version: int | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    author: str
    kind: TimelineKind
    text: str
    id: int | None = None


@dataclass(frozen=True)
class Pupil:
    """Everything the coordinator keeps about one pupil. `id` is None until first saved."""

    leerlingnummer: str
    roepnaam: str
    achternaam: str
    tussenvoegsel: str = ""
    geboortedatum: date | None = None
    klas: str = ""
    mentor: str = ""
    woongemeente: str = ""
    telefoon: str = ""
    email: str = ""
    guardians: tuple[Guardian, ...] = ()
    uitstroomprofiel: Uitstroomprofiel | None = None
    mbo_opleiding: str = ""
    mbo_crebo: str = ""
    mbo_niveau: Niveau | None = None
    mbo_leerweg: Leerweg | None = None
    startkwalificatie: JaNeeOnbekend = JaNeeOnbekend.ONBEKEND
    ondersteuningsbehoefte: str = ""
    archived: bool = False
    route: RouteDetails = RouteDetails()
    cohort_label: str = ""
    id: int | None = None
    version: int = 0

    @property
    def name(self) -> str:
        return full_name(self.roepnaam, self.tussenvoegsel, self.achternaam)


@dataclass(frozen=True)
class PupilRecord:
    """A pupil with the lists that hang from it, as the detail view shows them."""

    pupil: Pupil
    stages: tuple[Stage, ...] = ()
    route_history: tuple[RouteChange, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


@dataclass(frozen=True)
class PupilSummary:
    """One row of the cohort table: plain values, cheap to sort and search."""

    id: int
    leerlingnummer: str
    roepnaam: str
    tussenvoegsel: str
    achternaam: str
    klas: str
    mentor: str
    uitstroomprofiel: Uitstroomprofiel | None
    mbo_opleiding: str
    route: Route
    archived: bool
    cohort_label: str
    geboortedatum: date | None = None
    # What an mbo school's list shows next to the opleiding.
    mbo_crebo: str = ""
    mbo_niveau: Niveau | None = None
    mbo_leerweg: Leerweg | None = None

    @property
    def name(self) -> str:
        return full_name(self.roepnaam, self.tussenvoegsel, self.achternaam)

    @property
    def sort_name(self) -> str:
        return sort_name(self.roepnaam, self.tussenvoegsel, self.achternaam)

    @property
    def profiel_label(self) -> str:
        if self.uitstroomprofiel is not None:
            return self.uitstroomprofiel.label
        return self.mbo_opleiding
