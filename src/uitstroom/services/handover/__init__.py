"""The address book (sociale kaart), each pupil's transitieplan, Paspoort voor Succes and consent
register, and the documents made from them: built as finished data objects, rendered by the
document modules, written atomically and logged (document_log and the audit trail).

An overdracht goes only where a basis is recorded, and holds only the parts that receiver may
see (domain.handover.allowed_sections); without a basis nothing is written and nothing logged.

HandoverService here keeps the address book, the plans and the consents; rows turns stored rows
into the domain's objects; docs builds what goes into a document; documents makes, saves,
prints and logs them (DocumentService.make, the one path).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.consent_form import ScanFile, scan_problems
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.handover import (
    RECEIVER_OF_KIND,
    SENSITIVE_PASPOORT_FIELDS,
    Consent,
    ContactPerson,
    DocumentRecord,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Paspoort,
    Transitieplan,
    consent_problems,
)
from uitstroom.services.access import pupil_scope, require_pupil, require_write
from uitstroom.services.audit import append
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.errors import (
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.handover.docs import (
    HandoverRefused,
    PupilHandover,
    data_version_of,
    pupil_handover,
    pupil_header,
    school_header,
)
from uitstroom.services.handover.documents import (
    RENDERERS,
    BatchResult,
    DocumentService,
    MadeDocument,
    file_name,
)
from uitstroom.services.handover.rows import (
    KIND_ORDER,
    apply_agreement,
    apply_credential,
    apply_plan_contact,
    consent_of,
    consents_of,
    contact_of,
    done_codes,
    load_consent,
    load_contact,
    load_organisation,
    load_pupil,
    merge_rows,
    organisation_of,
    paspoort_of,
    record_of,
    sections_text,
    transitieplan_of,
)
from uitstroom.services.planning import current_labels
from uitstroom.storage.models import (
    AgreementRow,
    CohortRow,
    ConsentRow,
    ConsentScanRow,
    ContactPersonRow,
    CredentialRow,
    DocumentLogRow,
    OrganisationRow,
    PaspoortRow,
    PlanContactRow,
    PupilRow,
    TransitieplanRow,
)


class HandoverService(Service):
    """`actor` (domain.actor): a mentor works on their own pupils' plans, paspoorten, consents
    and documents; a read-only user changes nothing, makes no documents and never sees the
    paspoort's parts about support needs."""

    # --- the address book ----------------------------------------------------------------
    def organisations(self) -> list[Organisation]:
        with self._sessions() as session:
            rows = session.scalars(
                select(OrganisationRow).options(selectinload(OrganisationRow.contacts))
            ).all()
            found = [organisation_of(row) for row in rows]
        return sorted(found, key=lambda o: (KIND_ORDER[o.kind], o.name.casefold()))

    def organisation(self, organisation_id: int) -> Organisation:
        with self._sessions() as session:
            return organisation_of(load_organisation(session, organisation_id))

    def find_organisation(self, name: str) -> Organisation:
        """The organisation with this name (not case sensitive), for the command line."""
        wanted = name.strip().casefold()
        for organisation in self.organisations():
            if organisation.name.casefold() == wanted:
                return organisation
        raise NotFoundError(
            f"Er staat geen organisatie '{name.strip()}' in het adresboek. Controleer de naam "
            "of zet de organisatie eerst in het adresboek."
        )

    def save_organisation(self, organisation: Organisation) -> Organisation:
        """New when organisation.id is None. Its contacts are saved with save_contact."""
        require_write(self._actor)
        actor = self._author()
        if not organisation.name.strip():
            raise ValidationError(["Vul de naam van de organisatie in."])
        with self._sessions.begin() as session:
            if organisation.id is None:
                row = OrganisationRow()
                session.add(row)
                what = "organisatie toegevoegd"
            else:
                row = load_organisation(session, organisation.id)
                what = "organisatie gewijzigd"
            row.name = organisation.name.strip()
            row.kind = organisation.kind
            row.serves = ", ".join(
                part.strip() for part in organisation.serves.split(",") if part.strip()
            )
            row.address = organisation.address.strip()
            row.phone = organisation.phone.strip()
            row.email = organisation.email.strip()
            row.note = organisation.note.strip()
            session.flush()
            new_id = row.id
            append(
                session, actor, AuditAction.ADDRESS_BOOK, None, f"{what} ({new_id})", self._clock()
            )
        return self.organisation(new_id)

    def delete_organisation(self, organisation_id: int) -> None:
        """Refused while a plan, an agreement or a consent uses the organisation or one of its
        contacts: the plans would silently lose who to call."""
        require_write(self._actor)
        actor = self._author()
        with self._sessions.begin() as session:
            row = load_organisation(session, organisation_id)
            contact_ids = [c.id for c in row.contacts]
            in_plans = session.scalar(
                select(PlanContactRow.id).where(PlanContactRow.contact_id.in_(contact_ids)).limit(1)
            )
            in_agreements = session.scalar(
                select(AgreementRow.id).where(AgreementRow.contact_id.in_(contact_ids)).limit(1)
            )
            in_consents = session.scalar(
                select(ConsentRow.id).where(ConsentRow.organisation_id == organisation_id).limit(1)
            )
            if in_plans or in_agreements or in_consents:
                raise ServiceError(
                    f"{row.name} wordt nog gebruikt in een transitieplan, een afspraak of een "
                    "toestemming. Kies daar eerst een andere organisatie of contactpersoon; "
                    "daarna kunt u deze verwijderen."
                )
            # A contact elsewhere replaced by one of these keeps its history, not the link.
            session.execute(
                update(ContactPersonRow)
                .where(ContactPersonRow.replaced_by_id.in_(contact_ids))
                .values(replaced_by_id=None)
            )
            session.delete(row)
            append(
                session,
                actor,
                AuditAction.ADDRESS_BOOK,
                None,
                f"organisatie verwijderd ({organisation_id})",
                self._clock(),
            )

    def save_contact(self, contact: ContactPerson) -> ContactPerson:
        require_write(self._actor)
        actor = self._author()
        problems = []
        if contact.organisation_id is None:
            problems.append("Kies bij welke organisatie deze contactpersoon werkt.")
        if not contact.name.strip():
            problems.append("Vul de naam van de contactpersoon in.")
        if problems:
            raise ValidationError(problems)
        assert contact.organisation_id is not None
        with self._sessions.begin() as session:
            load_organisation(session, contact.organisation_id)
            if contact.id is None:
                row = ContactPersonRow()
                session.add(row)
                what = "contactpersoon toegevoegd"
            else:
                row = load_contact(session, contact.id)
                what = "contactpersoon gewijzigd"
            row.organisation_id = contact.organisation_id
            row.name = contact.name.strip()
            row.function = contact.function.strip()
            row.phone = contact.phone.strip()
            row.email = contact.email.strip()
            row.left_on = contact.left_on
            if contact.replaced_by_id is not None:
                load_contact(session, contact.replaced_by_id)
            row.replaced_by_id = contact.replaced_by_id
            session.flush()
            append(
                session, actor, AuditAction.ADDRESS_BOOK, None, f"{what} ({row.id})", self._clock()
            )
            return contact_of(row)

    def contact_left(self, contact_id: int, left_on: date, successor_id: int | None) -> int:
        """Mark the contact as gone; the successor takes over the plan contacts and the open
        agreements (those whose checklist task is not done) of the pupils in the current
        cohorts: all of them for the coordinator, a mentor's own pupils for a mentor. Consents
        keep their organisation. Returns how many were moved."""
        require_write(self._actor)
        actor = self._author()
        if successor_id == contact_id:
            raise ValidationError(["Kies als opvolger iemand anders dan wie vertrekt."])
        today = self._clock().date()
        with self._sessions.begin() as session:
            row = load_contact(session, contact_id)
            if successor_id is not None:
                successor = load_contact(session, successor_id)
                if successor.left_on is not None:
                    raise ValidationError(
                        [f"{successor.name} is zelf ook vertrokken. Kies een andere opvolger."]
                    )
            row.left_on = left_on
            row.replaced_by_id = successor_id
            moved = 0
            if successor_id is not None:
                current = (
                    select(PupilRow.id)
                    .join(CohortRow)
                    .where(
                        PupilRow.archived.is_(False),
                        CohortRow.label.in_(current_labels(session, today)),
                        # A mentor who records it moves their own pupils' plans only.
                        pupil_scope(session, self._actor),
                    )
                )
                plan_rows = session.scalars(
                    select(PlanContactRow).where(
                        PlanContactRow.contact_id == contact_id,
                        PlanContactRow.pupil_id.in_(current),
                    )
                ).all()
                for plan_row in plan_rows:
                    plan_row.contact_id = successor_id
                agreements = session.scalars(
                    select(AgreementRow).where(
                        AgreementRow.contact_id == contact_id,
                        AgreementRow.pupil_id.in_(current),
                    )
                ).all()
                done = done_codes(session, {a.pupil_id for a in agreements})
                open_agreements = [
                    a for a in agreements if not (a.task_code and a.task_code in done[a.pupil_id])
                ]
                for agreement in open_agreements:
                    agreement.contact_id = successor_id
                moved = len(plan_rows) + len(open_agreements)
            append(
                session,
                actor,
                AuditAction.ADDRESS_BOOK,
                None,
                f"contactpersoon {contact_id} vertrokken; {moved} overgedragen aan {successor_id}",
                self._clock(),
            )
        return moved

    def contacts_for(
        self, kind: OrganisationKind | None = None, woongemeente: str = ""
    ) -> list[tuple[Organisation, ContactPerson]]:
        """The active contacts to pick from; with a woongemeente, the gemeente teams that serve
        it come first."""
        found = [
            (organisation, contact)
            for organisation in self.organisations()
            if kind is None or organisation.kind is kind
            for contact in organisation.contacts
            if contact.active
        ]

        def key(pair: tuple[Organisation, ContactPerson]) -> tuple[bool, int, str, str]:
            organisation, contact = pair
            serves = organisation.kind is OrganisationKind.GEMEENTE and (
                organisation.serves_gemeente(woongemeente)
            )
            return (
                not serves,
                KIND_ORDER[organisation.kind],
                organisation.name.casefold(),
                contact.name.casefold(),
            )

        return sorted(found, key=key)

    # --- one pupil -------------------------------------------------------------------------
    def transitieplan(self, pupil_id: int) -> Transitieplan:
        with self._sessions() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            return transitieplan_of(session, pupil_id)

    def save_transitieplan(self, pupil_id: int, plan: Transitieplan) -> Transitieplan:
        problems = []
        for n, agreement in enumerate(plan.agreements, start=1):
            if not agreement.what.strip():
                problems.append(f"Afspraak {n}: vul in wat er gebeurt.")
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        with conflict_on_stale("het transitieplan", actor):
            return self._save_transitieplan(pupil_id, plan, actor)

    def _save_transitieplan(self, pupil_id: int, plan: Transitieplan, actor: str) -> Transitieplan:
        now = self._clock()
        with self._sessions.begin() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            self._check_contacts(
                session,
                [a.contact_id for a in plan.agreements if a.contact_id is not None]
                + [c.contact_id for c in plan.contacts],
            )
            row = session.scalar(
                select(TransitieplanRow).where(TransitieplanRow.pupil_id == pupil_id)
            )
            if plan.version is not None and (row.version if row else 0) != plan.version:
                editor = row.updated_by if row else ""
                raise ConflictError(conflict_message(editor, actor, "het transitieplan"))
            if row is None:
                row = TransitieplanRow(pupil_id=pupil_id)
                session.add(row)
            row.goals = plan.goals.strip()
            row.updated_on = now.date()
            row.updated_by = actor
            merge_rows(
                session,
                AgreementRow,
                pupil_id,
                plan.agreements,
                lambda r, a, n: apply_agreement(r, a, n),
            )
            merge_rows(
                session,
                PlanContactRow,
                pupil_id,
                plan.contacts,
                lambda r, c, _n: apply_plan_contact(r, c),
            )
            append(
                session,
                actor,
                AuditAction.EDITED,
                pupil_id,
                f"transitieplan opgeslagen: {len(plan.agreements)} afspraken, "
                f"{len(plan.contacts)} contactpersonen",
                now,
            )
        return self.transitieplan(pupil_id)

    def paspoort(self, pupil_id: int) -> Paspoort:
        """A read-only user gets the paspoort without the parts about support needs."""
        with self._sessions() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            paspoort = paspoort_of(session, pupil_id)
        if not self._actor.sees_support_needs:
            hidden: dict[str, Any] = dict.fromkeys(SENSITIVE_PASPOORT_FIELDS, "")
            paspoort = replace(paspoort, **hidden)
        return paspoort

    def save_paspoort(self, pupil_id: int, paspoort: Paspoort) -> Paspoort:
        problems = [
            f"Diploma of certificaat {n}: vul de naam in."
            for n, credential in enumerate(paspoort.credentials, start=1)
            if not credential.name.strip()
        ]
        if problems:
            raise ValidationError(problems)
        actor = self._author()
        with conflict_on_stale("het paspoort", actor):
            return self._save_paspoort(pupil_id, paspoort, actor)

    def _save_paspoort(self, pupil_id: int, paspoort: Paspoort, actor: str) -> Paspoort:
        now = self._clock()
        with self._sessions.begin() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            row = session.scalar(select(PaspoortRow).where(PaspoortRow.pupil_id == pupil_id))
            if paspoort.version is not None and (row.version if row else 0) != paspoort.version:
                editor = row.updated_by if row else ""
                raise ConflictError(conflict_message(editor, actor, "het paspoort"))
            if row is None:
                row = PaspoortRow(pupil_id=pupil_id)
                session.add(row)
            for name in ("wie", "kan", "wil", "nodig", "keuze", "aanpak", "aanpassingen"):
                setattr(row, name, getattr(paspoort, name).strip())
            row.updated_on = now.date()
            row.updated_by = actor
            merge_rows(
                session,
                CredentialRow,
                pupil_id,
                paspoort.credentials,
                lambda r, c, _n: apply_credential(r, c),
            )
            append(
                session,
                actor,
                AuditAction.EDITED,
                pupil_id,
                f"paspoort opgeslagen: {len(paspoort.credentials)} diploma's en certificaten",
                now,
            )
        return self.paspoort(pupil_id)

    def consents(self, pupil_id: int) -> list[Consent]:
        """Newest first."""
        with self._sessions() as session:
            load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            return consents_of(session, pupil_id)

    def record_consent(
        self, pupil_id: int, consent: Consent, scan: ScanFile | None = None
    ) -> Consent:
        """`scan`: the signed toestemmingsformulier, kept with the consent (one transaction:
        a scan that is refused leaves no consent behind)."""
        actor = self._author()
        now = self._clock()
        with conflict_on_stale("deze toestemming", actor):
            return self._record_consent(pupil_id, consent, actor, now, scan)

    def _record_consent(
        self,
        pupil_id: int,
        consent: Consent,
        actor: str,
        now: datetime,
        scan: ScanFile | None = None,
    ) -> Consent:
        with self._sessions.begin() as session:
            pupil = load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            problems = consent_problems(consent, pupil.geboortedatum, now.date())
            if scan is not None:
                problems += scan_problems(scan)
            if consent.organisation_id is not None:
                organisation = session.get(OrganisationRow, consent.organisation_id)
                if organisation is None:
                    problems.append("Deze organisatie staat niet meer in het adresboek.")
                else:
                    kind = organisation.kind
                    if RECEIVER_OF_KIND[kind] is not consent.receiver:
                        problems.append(
                            f"{organisation.name} is geen {consent.receiver.label.lower()}. "
                            "Kies een organisatie van die soort, of geen organisatie."
                        )
            if problems:
                raise ValidationError(problems)
            row = ConsentRow(pupil_id=pupil_id) if consent.id is None else None
            if row is None:
                assert consent.id is not None
                row = load_consent(session, consent.id, pupil_id)
            else:
                session.add(row)
            row.receiver = consent.receiver
            row.basis = consent.basis
            row.sections = sections_text(consent.sections)
            row.given_on = consent.given_on
            row.consenter = (
                consent.consenter
                if consent.consenter is not None and consent.basis is LegalBasis.TOESTEMMING
                else None
            )
            row.consenter_name = consent.consenter_name.strip()
            row.organisation_id = consent.organisation_id
            row.withdrawn_on = consent.withdrawn_on
            row.note = consent.note.strip()
            row.updated_at = now
            row.updated_by = actor
            session.flush()
            if scan is not None:
                session.execute(delete(ConsentScanRow).where(ConsentScanRow.consent_id == row.id))
                session.add(
                    ConsentScanRow(
                        consent_id=row.id,
                        file_name=Path(scan.name).name[:200],
                        data=scan.data,
                        added_at=now,
                        added_by=actor,
                    )
                )
            append(
                session,
                actor,
                AuditAction.CONSENT,
                pupil_id,
                f"{consent.basis.value} vastgelegd voor {consent.receiver.value}; delen: "
                f"{row.sections}" + ("; getekend formulier bewaard" if scan is not None else ""),
                now,
            )
            return replace(consent_of(row), scan_name=scan.name if scan is not None else "")

    def consent_scan(self, consent_id: int) -> ScanFile:
        """The signed form kept with a consent, to open it again."""
        with self._sessions() as session:
            row = session.scalar(
                select(ConsentScanRow).where(ConsentScanRow.consent_id == consent_id)
            )
            consent = session.get(ConsentRow, consent_id)
            if row is None or consent is None:
                raise NotFoundError("Bij deze toestemming is geen getekend formulier bewaard.")
            require_pupil(session, self._actor, consent.pupil_id, write=False)
            return ScanFile(row.file_name, row.data)

    def withdraw_consent(self, consent_id: int, on: date) -> Consent:
        actor = self._author()
        with self._sessions.begin() as session:
            row = session.get(ConsentRow, consent_id)
            if row is None:
                raise NotFoundError("Deze toestemming bestaat niet meer. Open de leerling opnieuw.")
            require_pupil(session, self._actor, row.pupil_id, write=True)
            if row.withdrawn_on is not None:
                raise ValidationError(
                    [f"Deze toestemming is al ingetrokken op {dutch_date(row.withdrawn_on)}."]
                )
            if on < row.given_on:
                raise ValidationError(
                    ["De datum van intrekken ligt voor de datum van de toestemming."]
                )
            row.withdrawn_on = on
            row.updated_at = self._clock()
            row.updated_by = actor
            append(
                session,
                actor,
                AuditAction.CONSENT,
                row.pupil_id,
                f"ingetrokken voor {row.receiver}",
                self._clock(),
            )
            return consent_of(row)

    def documents_made(self, pupil_id: int) -> list[DocumentRecord]:
        """Newest first."""
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            rows = session.scalars(
                select(DocumentLogRow)
                .where(DocumentLogRow.pupil_id == pupil_id)
                .order_by(DocumentLogRow.made_at.desc(), DocumentLogRow.id.desc())
            ).all()
            return [record_of(row) for row in rows]

    def pupil_ids(self, klas: str | None = None) -> list[int]:
        """The current pupils (not archived), in name order; optionally of one klas."""
        with self._sessions() as session:
            statement = (
                select(PupilRow.id)
                .join(CohortRow)
                .where(
                    PupilRow.archived.is_(False),
                    CohortRow.label.in_(current_labels(session, self._clock().date())),
                )
                .order_by(PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
            )
            if klas:
                statement = statement.where(PupilRow.klas == klas)
            return list(session.scalars(statement.where(pupil_scope(session, self._actor))))

    @staticmethod
    def _check_contacts(session: Session, contact_ids: Iterable[int]) -> None:
        wanted = set(contact_ids)
        if not wanted:
            return
        found = set(
            session.scalars(select(ContactPersonRow.id).where(ContactPersonRow.id.in_(wanted)))
        )
        if wanted - found:
            raise ValidationError(
                ["Een gekozen contactpersoon staat niet meer in het adresboek. Kies opnieuw."]
            )


__all__ = [
    "RENDERERS",
    "BatchResult",
    "DocumentService",
    "HandoverRefused",
    "HandoverService",
    "MadeDocument",
    "PupilHandover",
    "data_version_of",
    "file_name",
    "pupil_handover",
    "pupil_header",
    "school_header",
    "sections_text",
]
