"""What goes into a document: the finished data objects (domain.handover's TransitieplanDoc and
PaspoortDoc) built from the rows, and the version of the data they hold."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import Route, SchoolType, flat_label
from uitstroom.domain.handover import (
    AgreementLine,
    Consent,
    Consenter,
    ContactRole,
    DocumentKind,
    DocumentRecord,
    LegalBasis,
    Paspoort,
    PaspoortDoc,
    PersonLine,
    PupilHeader,
    Receiver,
    SchoolHeader,
    Section,
    StageLine,
    Transitieplan,
    TransitieplanDoc,
    allowed_sections,
    no_basis_message,
)
from uitstroom.domain.names import full_name
from uitstroom.services.convert import settings_from_row
from uitstroom.services.errors import (
    ServiceError,
    ValidationError,
)
from uitstroom.services.handover.rows import (
    consents_of,
    load_pupil,
    organisation_name,
    paspoort_of,
    record_of,
    transitieplan_of,
)
from uitstroom.storage.models import (
    ContactPersonRow,
    DocumentLogRow,
    OrganisationRow,
    PupilRow,
    SchoolSettingsRow,
)


class HandoverRefused(ServiceError):
    """No basis is recorded for this receiver: nothing was written or logged. `refused` names
    the pupils it concerns (one for a single document, several for a batch)."""

    def __init__(self, message: str, refused: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.refused = list(refused)


# --- building the documents' data --------------------------------------------------------------


def school_header(session: Session) -> SchoolHeader:
    settings = settings_from_row(session.get(SchoolSettingsRow, 1))
    return SchoolHeader(
        name=settings.name or "School",
        logo_png=settings.logo_png,
        coordinator_name=settings.coordinator_name,
        coordinator_phone=settings.coordinator_phone,
        coordinator_email=settings.coordinator_email,
        nazorg_years=1 if settings.school_type is SchoolType.MBO else 2,
        address=settings.address,
        phone=settings.phone,
        email=settings.email,
        website=settings.website,
    )


def _route_text(row: PupilRow) -> str:
    route_row = row.route
    if route_row is None:
        return Route.ONBEKEND.label
    route = route_row.route
    details: list[str] = []
    if route is Route.DOORLEREN:
        niveau = route_row.niveau
        leerweg = route_row.leerweg
        what = route_row.opleiding or row.mbo_opleiding
        # 'niveau 2, bbl: werkend leren': no brackets inside the brackets around it.
        extra = ", ".join(flat_label(x.label).lower() for x in (niveau, leerweg) if x is not None)
        if what:
            details.append(f"{what} ({extra})" if extra else what)
        if route_row.mbo_instelling:
            details.append(f"bij {route_row.mbo_instelling}")
    elif route is Route.ARBEID:
        if route_row.functie:
            details.append(route_row.functie)
        if route_row.werkgever:
            details.append(f"bij {route_row.werkgever}")
    elif route is Route.DAGBESTEDING and route_row.aanbieder:
        details.append(f"bij {route_row.aanbieder}")
    return f"{route.label}: {' '.join(details)}" if details else route.label


def pupil_header(row: PupilRow) -> PupilHeader:
    return PupilHeader(
        name=full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
        birth=row.geboortedatum,
        klas=row.klas,
        route=_route_text(row),
        cohort=row.cohort.label,
        woongemeente=row.woongemeente,
    )


def _person_lines(session: Session, pairs: Sequence[tuple[str, int | None]]) -> list[PersonLine]:
    ids = {contact_id for _, contact_id in pairs if contact_id is not None}
    rows = {
        r.id: r
        for r in session.scalars(
            select(ContactPersonRow)
            .where(ContactPersonRow.id.in_(ids))
            .options(selectinload(ContactPersonRow.organisation))
        )
    }
    lines = []
    for role, contact_id in pairs:
        found = rows.get(contact_id) if contact_id is not None else None
        if found is None:
            continue
        lines.append(
            PersonLine(
                role=role,
                name=found.name,
                organisation=found.organisation.name,
                phone=found.phone,
                email=found.email,
            )
        )
    return lines


def _coordinator_line(school: SchoolHeader) -> PersonLine | None:
    if not school.coordinator_name:
        return None
    return PersonLine(
        role="School (uitstroomcoördinator)",
        name=school.coordinator_name,
        organisation=school.name,
        phone=school.coordinator_phone,
        email=school.coordinator_email,
    )


def build_transitieplan_doc(session: Session, pupil_id: int, today: date) -> TransitieplanDoc:
    row = load_pupil(session, pupil_id)
    plan = transitieplan_of(session, pupil_id)
    school = school_header(session)
    agreement_contacts = {a.contact_id for a in plan.agreements if a.contact_id is not None}
    names = {
        contact_id: name
        for contact_id, name in session.execute(
            select(ContactPersonRow.id, ContactPersonRow.name).where(
                ContactPersonRow.id.in_(agreement_contacts)
            )
        )
    }
    contacts = _person_lines(session, [(c.role.label, c.contact_id) for c in plan.contacts])
    if not any(c.role.startswith(ContactRole.SCHOOL.label) for c in contacts):
        coordinator = _coordinator_line(school)
        if coordinator is not None:
            contacts.insert(0, coordinator)
    return TransitieplanDoc(
        school=school,
        pupil=pupil_header(row),
        goals=tuple(line.strip(" -•\t") for line in plan.goals.splitlines() if line.strip(" -•\t")),
        agreements=tuple(
            AgreementLine(
                what=a.what,
                who=(
                    f"{a.party.label} ({names[a.contact_id]})"
                    if a.contact_id is not None and a.contact_id in names
                    else a.party.label
                ),
                when=a.due,
                done=a.done,
            )
            for a in plan.agreements
        ),
        contacts=tuple(contacts),
        guardians=tuple(
            f"{g.name} ({g.relation})" if g.relation else g.name for g in row.guardians
        ),
        made_on=today,
    )


def build_paspoort_doc(
    session: Session,
    pupil_id: int,
    today: date,
    wanted: frozenset[Section],
    leave_out_empty: bool = False,
) -> PaspoortDoc:
    """The Paspoort shows every part (an empty one invites filling it in); an overdracht
    (leave_out_empty) only the parts with something in them."""
    row = load_pupil(session, pupil_id)
    paspoort = paspoort_of(session, pupil_id)
    school = school_header(session)
    aanpak = "\n\n".join(t for t in (paspoort.aanpak, paspoort.aanpassingen) if t.strip())
    all_texts = {
        Section.WIE: paspoort.wie,
        Section.KAN: paspoort.kan,
        Section.WIL: paspoort.wil,
        Section.NODIG: paspoort.nodig,
        Section.KEUZE: paspoort.keuze,
        Section.AANPAK: aanpak,
        Section.ONDERSTEUNING: row.ondersteuningsbehoefte,
    }
    texts = {s: t.strip() for s, t in all_texts.items() if s in wanted and t.strip()}
    stages = (
        tuple(
            StageLine(company=s.leerbedrijf, start=s.start, end=s.end, learned=s.geleerd)
            for s in sorted(row.stages, key=lambda s: (s.start or date.min, s.id))
        )
        if Section.STAGES in wanted
        else ()
    )
    credentials = paspoort.credentials if Section.DIPLOMAS in wanted else ()
    contacts: tuple[PersonLine, ...] = ()
    if Section.CONTACT in wanted:
        name = full_name(row.roepnaam, row.tussenvoegsel, row.achternaam)
        people = [PersonLine("Leerling", name, "", row.telefoon, row.email)]
        people += [
            PersonLine(g.relation.capitalize() or "Ouder/verzorger", g.name, "", g.phone, g.email)
            for g in row.guardians
        ]
        contacts = tuple(p for p in people if p.phone or p.email or p.role != "Leerling")
    present = {
        Section.STAGES: bool(stages),
        Section.DIPLOMAS: bool(credentials),
        Section.CONTACT: bool(contacts),
    }
    sections = tuple(
        s
        for s in Section
        if s in wanted and (not leave_out_empty or s in texts or present.get(s, False))
    )
    return PaspoortDoc(
        school=school,
        pupil=pupil_header(row),
        sections=sections,
        texts=texts,
        stages=stages,
        credentials=credentials,
        contacts=contacts,
        nazorg_contact=_coordinator_line(school),
        made_on=today,
    )


def build_overdracht_doc(
    session: Session,
    pupil_id: int,
    receiver: Receiver,
    organisation_id: int | None,
    today: date,
) -> PaspoortDoc:
    row = load_pupil(session, pupil_id)
    consents = consents_of(session, pupil_id)
    allowed = allowed_sections(consents, receiver, organisation_id, today)
    name = full_name(row.roepnaam, row.tussenvoegsel, row.achternaam)
    if allowed is None:
        raise HandoverRefused(no_basis_message(receiver, name), [name])
    organisation = organisation_name(session, organisation_id)
    doc = build_paspoort_doc(session, pupil_id, today, allowed, leave_out_empty=True)
    # An empty part the receiver may not see is not withheld: there is nothing to withhold.
    with_content = build_paspoort_doc(session, pupil_id, today, frozenset(Section), True).sections
    used = [
        c
        for c in consents
        if c.receiver is receiver
        and c.valid_on(today)
        and (c.organisation_id is None or c.organisation_id == organisation_id)
    ]
    return PaspoortDoc(
        school=doc.school,
        pupil=doc.pupil,
        sections=doc.sections,
        texts=doc.texts,
        stages=doc.stages,
        credentials=doc.credentials,
        contacts=doc.contacts,
        nazorg_contact=doc.nazorg_contact,
        made_on=today,
        receiver=f"{receiver.label}: {organisation}" if organisation else receiver.label,
        consent_line="; ".join(_consent_line(c) for c in used),
        withheld=not allowed.issuperset(with_content),
    )


def _consent_line(consent: Consent) -> str:
    if consent.basis is LegalBasis.WETTELIJKE_TAAK:
        return f"Wettelijke taak van de school, vastgelegd op {dutch_date(consent.given_on)}"
    who = consent.consenter_name or (
        "de leerling" if consent.consenter is Consenter.LEERLING else "een ouder of verzorger"
    )
    return f"Toestemming van {who} op {dutch_date(consent.given_on)}"


def doc_of(
    session: Session,
    kind: DocumentKind,
    pupil_id: int,
    today: date,
    receiver: Receiver | None,
    organisation_id: int | None,
) -> TransitieplanDoc | PaspoortDoc:
    if kind is DocumentKind.TRANSITIEPLAN:
        return build_transitieplan_doc(session, pupil_id, today)
    if kind is DocumentKind.PASPOORT:
        return build_paspoort_doc(session, pupil_id, today, frozenset(Section))
    if receiver is None:
        raise ValidationError(["Kies voor wie de overdracht is (de ontvanger)."])
    return build_overdracht_doc(session, pupil_id, receiver, organisation_id, today)


def doc_sections(doc: TransitieplanDoc | PaspoortDoc) -> frozenset[Section]:
    return frozenset(doc.sections) if isinstance(doc, PaspoortDoc) else frozenset()


# --- the version of the data that went out ------------------------------------------------------


def _canonical(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name)) for f in fields(value) if f.name != "made_on"
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(str(_canonical(v)) for v in value)
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(_canonical(k)): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def data_version_of(doc: object) -> str:
    """The first 16 hex digits of the SHA-256 of the document's data (without its date): the
    log says which version of the data went out, without holding the data."""
    text = json.dumps(_canonical(doc), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- for the inzage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PupilHandover:
    """Everything of this subject held about one pupil, for the inzage."""

    transitieplan: Transitieplan
    paspoort: Paspoort
    consents: tuple[Consent, ...]
    documents: tuple[DocumentRecord, ...]
    # Names of the contacts and organisations the plan and consents refer to, by id.
    contact_names: dict[int, str]
    organisation_names: dict[int, str]


def pupil_handover(session: Session, pupil_id: int) -> PupilHandover:
    plan = transitieplan_of(session, pupil_id)
    consents = consents_of(session, pupil_id)
    contact_ids = {a.contact_id for a in plan.agreements if a.contact_id is not None} | {
        c.contact_id for c in plan.contacts
    }
    contacts = {
        row.id: f"{row.name} ({row.organisation.name})"
        for row in session.scalars(
            select(ContactPersonRow)
            .where(ContactPersonRow.id.in_(contact_ids))
            .options(selectinload(ContactPersonRow.organisation))
        )
    }
    organisation_ids = {c.organisation_id for c in consents if c.organisation_id is not None}
    organisations = {
        row.id: row.name
        for row in session.scalars(
            select(OrganisationRow).where(OrganisationRow.id.in_(organisation_ids))
        )
    }
    documents = session.scalars(
        select(DocumentLogRow)
        .where(DocumentLogRow.pupil_id == pupil_id)
        .order_by(DocumentLogRow.made_at, DocumentLogRow.id)
    ).all()
    return PupilHandover(
        transitieplan=plan,
        paspoort=paspoort_of(session, pupil_id),
        consents=tuple(consents),
        documents=tuple(record_of(row) for row in documents),
        contact_names=contacts,
        organisation_names=organisations,
    )
