"""Between ORM rows and frozen domain records. Only services use this module."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

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
    return RouteDetails(
        route=row.route,
        mbo_instelling=row.mbo_instelling,
        opleiding=row.opleiding,
        niveau=row.niveau,
        leerweg=row.leerweg,
        aanmeldstatus=row.aanmeldstatus,
        aanmelddatum=row.aanmelddatum,
        werkgever=row.werkgever,
        functie=row.functie,
        contract=row.contract,
        instrumenten=instruments_of(row.instrumenten),
        aanbieder=row.aanbieder,
        toelichting=row.toelichting,
    )


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
    return Pupil(
        id=row.id,
        version=row.version,
        leerlingnummer=row.leerlingnummer,
        roepnaam=row.roepnaam,
        tussenvoegsel=row.tussenvoegsel,
        achternaam=row.achternaam,
        geboortedatum=row.geboortedatum,
        klas=row.klas,
        mentor=row.mentor,
        woongemeente=row.woongemeente,
        telefoon=row.telefoon,
        email=row.email,
        guardians=tuple(
            Guardian(id=g.id, name=g.name, relation=g.relation, phone=g.phone, email=g.email)
            for g in row.guardians
        ),
        uitstroomprofiel=row.uitstroomprofiel,
        mbo_opleiding=row.mbo_opleiding,
        mbo_crebo=row.mbo_crebo,
        mbo_niveau=row.mbo_niveau,
        mbo_leerweg=row.mbo_leerweg,
        startkwalificatie=row.startkwalificatie,
        ondersteuningsbehoefte=row.ondersteuningsbehoefte,
        archived=row.archived,
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
    return Stage(
        id=row.id,
        leerbedrijf=row.leerbedrijf,
        contactpersoon=row.contactpersoon,
        contact_telefoon=row.contact_telefoon,
        contact_email=row.contact_email,
        start=row.start,
        end=row.end,
        dagen_per_week=row.dagen_per_week,
        sbb_erkend=row.sbb_erkend,
        perspectief=row.perspectief,
        toelichting=row.toelichting,
        geleerd=row.geleerd or "",
        version=row.version,
    )


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
            RouteChange(
                id=c.id,
                changed_on=c.changed_on,
                old_route=c.old_route,
                new_route=c.new_route,
                reason=c.reason,
                changed_by=c.changed_by,
                bijstelling=bool(c.bijstelling),
            )
            for c in row.route_changes
        ),
        timeline=tuple(
            TimelineEntry(
                id=t.id,
                at=t.at,
                author=t.author,
                kind=t.kind,
                text=t.text,
            )
            for t in row.timeline
        ),
    )
