"""Between ORM rows and frozen domain records. Only services use this module."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

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
        school_type=enum_or(SchoolType, row.school_type, SchoolType.PRO),
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
        route=enum_or(Route, row.route, Route.ONBEKEND),
        mbo_instelling=row.mbo_instelling,
        opleiding=row.opleiding,
        niveau=enum_or_none(Niveau, row.niveau),
        leerweg=enum_or_none(Leerweg, row.leerweg),
        aanmeldstatus=enum_or(AanmeldStatus, row.aanmeldstatus, AanmeldStatus.NIET_AANGEMELD),
        aanmelddatum=row.aanmelddatum,
        werkgever=row.werkgever,
        functie=row.functie,
        contract=enum_or(ContractSoort, row.contract, ContractSoort.ONBEKEND),
        instrumenten=instruments_of(row.instrumenten),
        aanbieder=row.aanbieder,
        toelichting=row.toelichting,
    )


def apply_route(row: RouteRow, route: RouteDetails) -> None:
    row.route = route.route.value
    row.mbo_instelling = route.mbo_instelling
    row.opleiding = route.opleiding
    row.niveau = route.niveau.value if route.niveau else None
    row.leerweg = route.leerweg.value if route.leerweg else None
    row.aanmeldstatus = route.aanmeldstatus.value
    row.aanmelddatum = route.aanmelddatum
    row.werkgever = route.werkgever
    row.functie = route.functie
    row.contract = route.contract.value
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
        uitstroomprofiel=enum_or_none(Uitstroomprofiel, row.uitstroomprofiel),
        mbo_opleiding=row.mbo_opleiding,
        mbo_crebo=row.mbo_crebo,
        mbo_niveau=enum_or_none(Niveau, row.mbo_niveau),
        mbo_leerweg=enum_or_none(Leerweg, row.mbo_leerweg),
        startkwalificatie=enum_or(JaNeeOnbekend, row.startkwalificatie, JaNeeOnbekend.ONBEKEND),
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
    row.uitstroomprofiel = pupil.uitstroomprofiel.value if pupil.uitstroomprofiel else None
    row.mbo_niveau = pupil.mbo_niveau.value if pupil.mbo_niveau else None
    row.mbo_leerweg = pupil.mbo_leerweg.value if pupil.mbo_leerweg else None
    row.startkwalificatie = pupil.startkwalificatie.value
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
        sbb_erkend=enum_or(JaNeeOnbekend, row.sbb_erkend, JaNeeOnbekend.ONBEKEND),
        perspectief=enum_or(Perspectief, row.perspectief, Perspectief.ONBEKEND),
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
    row.sbb_erkend = stage.sbb_erkend.value
    row.perspectief = stage.perspectief.value
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
                old_route=enum_or(Route, c.old_route, Route.ONBEKEND),
                new_route=enum_or(Route, c.new_route, Route.ONBEKEND),
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
                kind=enum_or(TimelineKind, t.kind, TimelineKind.NOTITIE),
                text=t.text,
            )
            for t in row.timeline
        ),
    )
