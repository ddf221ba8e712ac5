"""Between ORM rows and frozen domain records. Only services use this module."""

from __future__ import annotations

from dataclasses import MISSING, fields
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar, cast

from uitstroom.domain.enums import (
    Instrument,
)
from uitstroom.domain.model import (
    Guardian,
    Pupil,
    PupilRecord,
    RouteChange,
    RouteDetails,
    SchoolSettings,
    Stage,
    TimelineEntry,
)
from uitstroom.storage.models import (
    GuardianRow,
    PupilRow,
    RouteRow,
    SchoolSettingsRow,
    StageRow,
)

E = TypeVar("E", bound=StrEnum)
R = TypeVar("R")


@cache
def _fields_of(kind: type) -> tuple[tuple[str, bool], ...]:
    """(name, required) of the record's fields: required when it has no default."""
    return tuple(
        (field.name, field.default is MISSING and field.default_factory is MISSING)
        for field in fields(kind)
        if field.init
    )


def from_columns(kind: type[R], row: Any, **made: Any) -> R:
    """The domain record `kind` from a stored row (an ORM row or a plain one) whose columns
    carry the record's field names; the enum columns already read as members (StoredEnum).
    `made` holds the fields that are not one column as it is: converted, renamed or nested.
    A field without a default must be a column (or made); one with a default that is no
    column (filled in elsewhere, like a consent's scan) keeps its default."""
    taken = {
        name: getattr(row, name)
        for name, required in _fields_of(cast(type, kind))
        if name not in made and (required or hasattr(row, name))
    }
    return kind(**taken, **made)


def enum_or_none(kind: type[E], value: str | None) -> E | None:
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except ValueError:
        return None


def enum_or(kind: type[E], value: str | None, default: E) -> E:
    found = enum_or_none(kind, value)
    return default if found is None else found


def settings_from_row(row: SchoolSettingsRow | None) -> SchoolSettings:
    if row is None:
        return SchoolSettings()
    return SchoolSettings(
        name=row.name,
        school_type=row.school_type,
        brin=row.brin,
        coordinator_name=row.coordinator_name,
        coordinator_phone=row.coordinator_phone,
        coordinator_email=row.coordinator_email,
        logo_png=row.logo_png,
        auto_lock_minutes=10 if row.auto_lock_minutes is None else row.auto_lock_minutes,
        address=row.address or "",
        phone=row.phone or "",
        email=row.email or "",
        website=row.website or "",
        email_domains=row.email_domains or "",
    )


def instruments_of(text: str) -> frozenset[Instrument]:
    """Stored instruments ("loonkostensubsidie,jobcoach"); unknown values are left out."""
    return frozenset(
        found
        for value in text.split(",")
        if (found := enum_or_none(Instrument, value.strip())) is not None
    )


def route_from_row(row: RouteRow | None) -> RouteDetails:
    if row is None:
        return RouteDetails()
    return from_columns(RouteDetails, row, instrumenten=instruments_of(row.instrumenten))


def apply_route(row: RouteRow, route: RouteDetails) -> None:
    row.route = route.route
    row.mbo_instelling = route.mbo_instelling
    row.opleiding = route.opleiding
    row.niveau = route.niveau
    row.leerweg = route.leerweg
    row.aanmeldstatus = route.aanmeldstatus
    row.aanmelddatum = route.aanmelddatum
    row.werkgever = route.werkgever
    row.functie = route.functie
    row.contract = route.contract
    row.instrumenten = ",".join(sorted(i.value for i in route.instrumenten))
    row.aanbieder = route.aanbieder
    row.toelichting = route.toelichting


def pupil_from_row(row: PupilRow) -> Pupil:
    return from_columns(
        Pupil,
        row,
        guardians=tuple(from_columns(Guardian, g) for g in row.guardians),
        route=route_from_row(row.route),
        cohort_label=row.cohort.label,
    )


# The pupil fields a form edits directly, in one place so save and import agree.
PUPIL_FIELDS: tuple[str, ...] = (
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "klas",
    "mentor",
    "woongemeente",
    "telefoon",
    "email",
    "mbo_opleiding",
    "mbo_crebo",
    "ondersteuningsbehoefte",
    "archived",
)


def apply_pupil(row: PupilRow, pupil: Pupil) -> None:
    for name in PUPIL_FIELDS:
        setattr(row, name, getattr(pupil, name))
    row.uitstroomprofiel = pupil.uitstroomprofiel
    row.mbo_niveau = pupil.mbo_niveau
    row.mbo_leerweg = pupil.mbo_leerweg
    row.startkwalificatie = pupil.startkwalificatie
    row.guardians = [
        GuardianRow(position=n, name=g.name, relation=g.relation, phone=g.phone, email=g.email)
        for n, g in enumerate(pupil.guardians)
        if g.name.strip() or g.phone.strip() or g.email.strip()
    ]


def stage_from_row(row: StageRow) -> Stage:
    return from_columns(Stage, row, geleerd=row.geleerd or "")


def apply_stage(row: StageRow, stage: Stage) -> None:
    row.leerbedrijf = stage.leerbedrijf
    row.contactpersoon = stage.contactpersoon
    row.contact_telefoon = stage.contact_telefoon
    row.contact_email = stage.contact_email
    row.start = stage.start
    row.end = stage.end
    row.dagen_per_week = stage.dagen_per_week
    row.sbb_erkend = stage.sbb_erkend
    row.perspectief = stage.perspectief
    row.toelichting = stage.toelichting
    row.geleerd = stage.geleerd


def record_from_row(row: PupilRow) -> PupilRecord:
    return PupilRecord(
        pupil=pupil_from_row(row),
        stages=tuple(stage_from_row(s) for s in row.stages),
        route_history=tuple(
            from_columns(RouteChange, c, bijstelling=bool(c.bijstelling)) for c in row.route_changes
        ),
        timeline=tuple(from_columns(TimelineEntry, t) for t in row.timeline),
    )
