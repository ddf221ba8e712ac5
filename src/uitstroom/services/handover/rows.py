"""The address book, plans, paspoorten and consents as stored: rows to the domain's objects and
back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from uitstroom.domain.handover import (
    Agreement,
    Consent,
    ContactPerson,
    Credential,
    DocumentRecord,
    Organisation,
    OrganisationKind,
    Paspoort,
    PlanContact,
    Section,
    Transitieplan,
)
from uitstroom.services.convert import enum_or_none, from_columns
from uitstroom.services.errors import (
    GONE,
    NotFoundError,
)
from uitstroom.storage.models import (
    AgreementRow,
    ConsentRow,
    ConsentScanRow,
    ContactPersonRow,
    CredentialRow,
    DocumentLogRow,
    OrganisationRow,
    PaspoortRow,
    PlanContactRow,
    PupilRow,
    PupilTaskRow,
    TransitieplanRow,
)

KIND_ORDER = {kind: n for n, kind in enumerate(OrganisationKind)}
# Sections whose content is a text from the paspoort or the pupil record.
_TEXT_SECTIONS = (
    Section.WIE,
    Section.KAN,
    Section.WIL,
    Section.NODIG,
    Section.KEUZE,
    Section.AANPAK,
    Section.ONDERSTEUNING,
)


# --- rows to domain objects -------------------------------------------------------------------


def contact_of(row: ContactPersonRow) -> ContactPerson:
    return from_columns(ContactPerson, row)


def organisation_of(row: OrganisationRow) -> Organisation:
    return from_columns(Organisation, row, contacts=tuple(contact_of(c) for c in row.contacts))


def sections_text(sections: Iterable[Section]) -> str:
    order = {section: n for n, section in enumerate(Section)}
    return ",".join(s.value for s in sorted(sections, key=order.__getitem__))


def _sections_of(text: str) -> frozenset[Section]:
    found = (enum_or_none(Section, part.strip()) for part in text.split(","))
    return frozenset(s for s in found if s is not None)


def consent_of(row: ConsentRow) -> Consent:
    return from_columns(Consent, row, sections=_sections_of(row.sections))


def record_of(row: DocumentLogRow) -> DocumentRecord:
    return from_columns(
        DocumentRecord,
        row,
        made_at=row.made_at.isoformat(timespec="seconds"),
        sections=_sections_of(row.sections),
    )


def load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def load_organisation(session: Session, organisation_id: int) -> OrganisationRow:
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        raise NotFoundError("Deze organisatie staat niet meer in het adresboek.")
    return row


def load_contact(session: Session, contact_id: int) -> ContactPersonRow:
    row = session.get(ContactPersonRow, contact_id)
    if row is None:
        raise NotFoundError("Deze contactpersoon staat niet meer in het adresboek.")
    return row


def load_consent(session: Session, consent_id: int, pupil_id: int) -> ConsentRow:
    row = session.get(ConsentRow, consent_id)
    if row is None or row.pupil_id != pupil_id:
        raise NotFoundError("Deze toestemming bestaat niet meer. Open de leerling opnieuw.")
    return row


def organisation_name(session: Session, organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    return load_organisation(session, organisation_id).name


def done_codes(session: Session, pupil_ids: Iterable[int]) -> dict[int, set[str]]:
    done: dict[int, set[str]] = {pupil_id: set() for pupil_id in pupil_ids}
    if done:
        for pupil_id, code in session.execute(
            select(PupilTaskRow.pupil_id, PupilTaskRow.code).where(
                PupilTaskRow.pupil_id.in_(list(done)), PupilTaskRow.done_on.is_not(None)
            )
        ):
            done[pupil_id].add(code)
    return done


def transitieplan_of(session: Session, pupil_id: int) -> Transitieplan:
    row = session.scalar(select(TransitieplanRow).where(TransitieplanRow.pupil_id == pupil_id))
    done = done_codes(session, [pupil_id])[pupil_id]
    agreements = session.scalars(
        select(AgreementRow)
        .where(AgreementRow.pupil_id == pupil_id)
        .order_by(AgreementRow.position, AgreementRow.id)
    ).all()
    contacts = session.scalars(
        select(PlanContactRow)
        .where(PlanContactRow.pupil_id == pupil_id)
        .order_by(PlanContactRow.id)
    ).all()
    return Transitieplan(
        goals=row.goals if row is not None else "",
        agreements=tuple(
            Agreement(
                id=a.id,
                what=a.what,
                party=a.party,
                due=a.due,
                contact_id=a.contact_id,
                task_code=a.task_code,
                done=bool(a.task_code) and a.task_code in done,
            )
            for a in agreements
        ),
        contacts=tuple(
            PlanContact(
                id=c.id,
                role=c.role,
                contact_id=c.contact_id,
            )
            for c in contacts
        ),
        updated_on=row.updated_on if row is not None else None,
        updated_by=row.updated_by if row is not None else "",
        version=row.version if row is not None else 0,
    )


def paspoort_of(session: Session, pupil_id: int) -> Paspoort:
    row = session.scalar(select(PaspoortRow).where(PaspoortRow.pupil_id == pupil_id))
    credentials = session.scalars(
        select(CredentialRow)
        .where(CredentialRow.pupil_id == pupil_id)
        .order_by(CredentialRow.issued_on, CredentialRow.id)
    ).all()
    texts = (
        {}
        if row is None
        else {
            name: getattr(row, name)
            for name in ("wie", "kan", "wil", "nodig", "keuze", "aanpak", "aanpassingen")
        }
    )
    return Paspoort(
        **texts,
        credentials=tuple(
            Credential(
                id=c.id,
                kind=c.kind,
                name=c.name,
                issued_on=c.issued_on,
                issuer=c.issuer,
            )
            for c in credentials
        ),
        updated_on=row.updated_on if row is not None else None,
        updated_by=row.updated_by if row is not None else "",
        version=row.version if row is not None else 0,
    )


def consents_of(session: Session, pupil_id: int) -> list[Consent]:
    rows = session.scalars(
        select(ConsentRow)
        .where(ConsentRow.pupil_id == pupil_id)
        .order_by(ConsentRow.given_on.desc(), ConsentRow.id.desc())
    ).all()
    scans: dict[int, str] = {
        consent_id: name
        for consent_id, name in session.execute(
            select(ConsentScanRow.consent_id, ConsentScanRow.file_name).where(
                ConsentScanRow.consent_id.in_([row.id for row in rows])
            )
        )
    }
    return [replace(consent_of(row), scan_name=scans.get(row.id, "")) for row in rows]


# --- saving lists that belong to a pupil -------------------------------------------------------


def merge_rows(
    session: Session,
    model: Any,
    pupil_id: int,
    items: Sequence[Any],
    apply: Callable[[Any, Any, int], None],
) -> None:
    """Keep the rows whose id is in `items`, add the new ones, remove the rest."""
    existing = {r.id: r for r in session.scalars(select(model).where(model.pupil_id == pupil_id))}
    kept = {item.id for item in items if item.id is not None}
    if kept - set(existing):
        raise NotFoundError("Een regel bestaat niet meer. Open de leerling opnieuw.")
    gone = [row_id for row_id in existing if row_id not in kept]
    if gone:
        session.execute(delete(model).where(model.id.in_(gone)))
    for position, item in enumerate(items):
        row = existing[item.id] if item.id is not None else model(pupil_id=pupil_id)
        apply(row, item, position)
        session.add(row)


def apply_agreement(row: AgreementRow, agreement: Agreement, position: int) -> None:
    row.position = position
    row.what = agreement.what.strip()
    row.party = agreement.party
    row.due = agreement.due
    row.contact_id = agreement.contact_id
    row.task_code = agreement.task_code.strip()


def apply_plan_contact(row: PlanContactRow, contact: PlanContact) -> None:
    row.role = contact.role
    row.contact_id = contact.contact_id


def apply_credential(row: CredentialRow, credential: Credential) -> None:
    row.kind = credential.kind
    row.name = credential.name.strip()
    row.issued_on = credential.issued_on
    row.issuer = credential.issuer.strip()
