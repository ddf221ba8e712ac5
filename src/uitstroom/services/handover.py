"""The address book (sociale kaart), each pupil's transitieplan, Paspoort voor Succes and consent
register, and the documents made from them: built as finished data objects, rendered by the
document modules, written atomically and logged (document_log and the audit trail).

An overdracht goes only where a basis is recorded, and holds only the parts that receiver may
see (domain.handover.allowed_sections); without a basis nothing is written and nothing logged.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.consent_form import ScanFile, scan_problems
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import Leerweg, Niveau, Route, SchoolType, flat_label
from uitstroom.domain.handover import (
    RECEIVER_OF_KIND,
    SENSITIVE_PASPOORT_FIELDS,
    Agreement,
    AgreementLine,
    AgreementParty,
    Consent,
    Consenter,
    ContactPerson,
    ContactRole,
    Credential,
    CredentialKind,
    DocumentKind,
    DocumentRecord,
    LegalBasis,
    Organisation,
    OrganisationKind,
    Paspoort,
    PaspoortDoc,
    PersonLine,
    PlanContact,
    PupilHeader,
    Receiver,
    SchoolHeader,
    Section,
    StageLine,
    Transitieplan,
    TransitieplanDoc,
    allowed_sections,
    consent_problems,
    no_basis_message,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.plural import counted
from uitstroom.services.access import author_of, pupil_scope, require_pupil, require_write
from uitstroom.services.audit import append
from uitstroom.services.base import Service, conflict_on_stale
from uitstroom.services.convert import enum_or, enum_or_none, settings_from_row
from uitstroom.services.errors import (
    GONE,
    ConflictError,
    NotFoundError,
    ServiceError,
    ValidationError,
    conflict_message,
)
from uitstroom.services.files import FileWriteError, atomic_output, write_error_message
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
    PupilTaskRow,
    SchoolSettingsRow,
    TransitieplanRow,
)

Progress = Callable[[int, int], bool]

_KIND_ORDER = {kind: n for n, kind in enumerate(OrganisationKind)}
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
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class HandoverRefused(ServiceError):
    """No basis is recorded for this receiver: nothing was written or logged. `refused` names
    the pupils it concerns (one for a single document, several for a batch)."""

    def __init__(self, message: str, refused: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.refused = list(refused)


class BatchResult(list[Path]):
    """The files a batch wrote, plus the pupils an overdracht skipped for want of a basis."""

    def __init__(self, paths: Iterable[Path] = (), skipped: Sequence[str] = ()) -> None:
        super().__init__(paths)
        self.skipped = list(skipped)


@dataclass(frozen=True)
class MadeDocument:
    """A document built and rendered once, not yet logged: the preview shows these bytes, and
    Opslaan and Afdrukken send out and log exactly these (save_made, log_made)."""

    kind: DocumentKind
    pupil_id: int
    pdf: bytes
    receiver: Receiver | None
    organisation: str
    organisation_id: int | None
    sections: frozenset[Section]
    data_version: str


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
            found = [_organisation(row) for row in rows]
        return sorted(found, key=lambda o: (_KIND_ORDER[o.kind], o.name.casefold()))

    def organisation(self, organisation_id: int) -> Organisation:
        with self._sessions() as session:
            return _organisation(_load_organisation(session, organisation_id))

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

    def save_organisation(self, organisation: Organisation, actor: str) -> Organisation:
        """New when organisation.id is None. Its contacts are saved with save_contact."""
        require_write(self._actor)
        actor = author_of(self._actor, actor)
        if not organisation.name.strip():
            raise ValidationError(["Vul de naam van de organisatie in."])
        with self._sessions.begin() as session:
            if organisation.id is None:
                row = OrganisationRow()
                session.add(row)
                what = "organisatie toegevoegd"
            else:
                row = _load_organisation(session, organisation.id)
                what = "organisatie gewijzigd"
            row.name = organisation.name.strip()
            row.kind = organisation.kind.value
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

    def delete_organisation(self, organisation_id: int, actor: str) -> None:
        """Refused while a plan, an agreement or a consent uses the organisation or one of its
        contacts: the plans would silently lose who to call."""
        require_write(self._actor)
        actor = author_of(self._actor, actor)
        with self._sessions.begin() as session:
            row = _load_organisation(session, organisation_id)
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

    def save_contact(self, contact: ContactPerson, actor: str) -> ContactPerson:
        require_write(self._actor)
        actor = author_of(self._actor, actor)
        problems = []
        if contact.organisation_id is None:
            problems.append("Kies bij welke organisatie deze contactpersoon werkt.")
        if not contact.name.strip():
            problems.append("Vul de naam van de contactpersoon in.")
        if problems:
            raise ValidationError(problems)
        assert contact.organisation_id is not None
        with self._sessions.begin() as session:
            _load_organisation(session, contact.organisation_id)
            if contact.id is None:
                row = ContactPersonRow()
                session.add(row)
                what = "contactpersoon toegevoegd"
            else:
                row = _load_contact(session, contact.id)
                what = "contactpersoon gewijzigd"
            row.organisation_id = contact.organisation_id
            row.name = contact.name.strip()
            row.function = contact.function.strip()
            row.phone = contact.phone.strip()
            row.email = contact.email.strip()
            row.left_on = contact.left_on
            if contact.replaced_by_id is not None:
                _load_contact(session, contact.replaced_by_id)
            row.replaced_by_id = contact.replaced_by_id
            session.flush()
            append(
                session, actor, AuditAction.ADDRESS_BOOK, None, f"{what} ({row.id})", self._clock()
            )
            return _contact(row)

    def contact_left(
        self, contact_id: int, left_on: date, successor_id: int | None, actor: str
    ) -> int:
        """Mark the contact as gone; the successor takes over the plan contacts and the open
        agreements (those whose checklist task is not done) of the pupils in the current
        cohorts. Consents keep their organisation. Returns how many were moved."""
        require_write(self._actor)
        actor = author_of(self._actor, actor)
        if successor_id == contact_id:
            raise ValidationError(["Kies als opvolger iemand anders dan wie vertrekt."])
        today = self._clock().date()
        with self._sessions.begin() as session:
            row = _load_contact(session, contact_id)
            if successor_id is not None:
                successor = _load_contact(session, successor_id)
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
                done = _done_codes(session, {a.pupil_id for a in agreements})
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
                _KIND_ORDER[organisation.kind],
                organisation.name.casefold(),
                contact.name.casefold(),
            )

        return sorted(found, key=key)

    # --- one pupil -------------------------------------------------------------------------
    def transitieplan(self, pupil_id: int) -> Transitieplan:
        with self._sessions() as session:
            _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            return _transitieplan(session, pupil_id)

    def save_transitieplan(self, pupil_id: int, plan: Transitieplan, actor: str) -> Transitieplan:
        problems = []
        for n, agreement in enumerate(plan.agreements, start=1):
            if not agreement.what.strip():
                problems.append(f"Afspraak {n}: vul in wat er gebeurt.")
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        with conflict_on_stale("het transitieplan", actor):
            return self._save_transitieplan(pupil_id, plan, actor)

    def _save_transitieplan(self, pupil_id: int, plan: Transitieplan, actor: str) -> Transitieplan:
        now = self._clock()
        with self._sessions.begin() as session:
            _load_pupil(session, pupil_id)
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
            _merge(
                session,
                AgreementRow,
                pupil_id,
                plan.agreements,
                lambda r, a, n: _apply_agreement(r, a, n),
            )
            _merge(
                session,
                PlanContactRow,
                pupil_id,
                plan.contacts,
                lambda r, c, _n: _apply_plan_contact(r, c),
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
            _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            paspoort = _paspoort(session, pupil_id)
        if self._actor is not None and not self._actor.sees_support_needs:
            hidden: dict[str, Any] = dict.fromkeys(SENSITIVE_PASPOORT_FIELDS, "")
            paspoort = replace(paspoort, **hidden)
        return paspoort

    def save_paspoort(self, pupil_id: int, paspoort: Paspoort, actor: str) -> Paspoort:
        problems = [
            f"Diploma of certificaat {n}: vul de naam in."
            for n, credential in enumerate(paspoort.credentials, start=1)
            if not credential.name.strip()
        ]
        if problems:
            raise ValidationError(problems)
        actor = author_of(self._actor, actor)
        with conflict_on_stale("het paspoort", actor):
            return self._save_paspoort(pupil_id, paspoort, actor)

    def _save_paspoort(self, pupil_id: int, paspoort: Paspoort, actor: str) -> Paspoort:
        now = self._clock()
        with self._sessions.begin() as session:
            _load_pupil(session, pupil_id)
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
            _merge(
                session,
                CredentialRow,
                pupil_id,
                paspoort.credentials,
                lambda r, c, _n: _apply_credential(r, c),
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
            _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=False)
            return _consents(session, pupil_id)

    def record_consent(
        self, pupil_id: int, consent: Consent, actor: str, scan: ScanFile | None = None
    ) -> Consent:
        """`scan`: the signed toestemmingsformulier, kept with the consent (one transaction:
        a scan that is refused leaves no consent behind)."""
        actor = author_of(self._actor, actor)
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
            pupil = _load_pupil(session, pupil_id)
            require_pupil(session, self._actor, pupil_id, write=True)
            problems = consent_problems(consent, pupil.geboortedatum, now.date())
            if scan is not None:
                problems += scan_problems(scan)
            if consent.organisation_id is not None:
                organisation = session.get(OrganisationRow, consent.organisation_id)
                if organisation is None:
                    problems.append("Deze organisatie staat niet meer in het adresboek.")
                else:
                    kind = enum_or(OrganisationKind, organisation.kind, OrganisationKind.ANDERS)
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
                row = _load_consent(session, consent.id, pupil_id)
            else:
                session.add(row)
            row.receiver = consent.receiver.value
            row.basis = consent.basis.value
            row.sections = sections_text(consent.sections)
            row.given_on = consent.given_on
            row.consenter = (
                consent.consenter.value
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
            return replace(_consent(row), scan_name=scan.name if scan is not None else "")

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

    def withdraw_consent(self, consent_id: int, on: date, actor: str) -> Consent:
        actor = author_of(self._actor, actor)
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
            return _consent(row)

    def documents_made(self, pupil_id: int) -> list[DocumentRecord]:
        """Newest first."""
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=False)
            rows = session.scalars(
                select(DocumentLogRow)
                .where(DocumentLogRow.pupil_id == pupil_id)
                .order_by(DocumentLogRow.made_at.desc(), DocumentLogRow.id.desc())
            ).all()
            return [_record(row) for row in rows]

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

    # --- the finished data objects --------------------------------------------------------
    # What goes into a document, support needs too: as for the PDF, not for read-only users
    # and a mentor's own pupils only.
    def transitieplan_doc(self, pupil_id: int, today: date) -> TransitieplanDoc:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return _transitieplan_doc(session, pupil_id, today)

    def paspoort_doc(self, pupil_id: int, today: date) -> PaspoortDoc:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return _paspoort_doc(session, pupil_id, today, frozenset(Section))

    def overdracht_doc(
        self, pupil_id: int, receiver: Receiver, organisation_id: int | None, today: date
    ) -> PaspoortDoc:
        """Only the parts the receiver may see; HandoverRefused when no basis is recorded."""
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return _overdracht_doc(session, pupil_id, receiver, organisation_id, today)

    # --- making files ----------------------------------------------------------------------
    def render_document(
        self,
        kind: DocumentKind,
        pupil_id: int,
        today: date,
        receiver: Receiver | None = None,
        organisation_id: int | None = None,
    ) -> MadeDocument:
        """The document for the preview, rendered once. Nothing is logged: saving or printing
        these bytes logs them."""
        with self._sessions() as session:
            return self._make(session, kind, pupil_id, today, receiver, organisation_id)

    def write_document(
        self,
        kind: DocumentKind,
        pupil_id: int,
        target: Path,
        actor: str,
        today: date,
        receiver: Receiver | None = None,
        organisation_id: int | None = None,
    ) -> DocumentRecord:
        """Made and saved in one go (the command line)."""
        made = self.render_document(kind, pupil_id, today, receiver, organisation_id)
        return self.save_made(made, target, actor)

    def save_made(self, made: MadeDocument, target: Path, actor: str) -> DocumentRecord:
        """The rendered bytes to a file, logged with the data version they were made from."""
        self._check_made(made)
        target = Path(target)
        with atomic_output(target) as stream:
            stream.write(made.pdf)
        try:
            return self._log([made], actor)[0]
        except BaseException:
            # A file that was not logged must not stay behind.
            target.unlink(missing_ok=True)
            raise

    def log_made(self, made: MadeDocument, actor: str) -> DocumentRecord:
        """The rendered bytes were printed from the preview: logged once the print dialog was
        accepted, with the data version the bytes were made from."""
        self._check_made(made)
        return self._log([made], actor)[0]

    def write_batch(
        self,
        kind: DocumentKind,
        pupil_ids: Sequence[int],
        target: Path,
        actor: str,
        today: date,
        one_file: bool,
        progress: Progress | None = None,
        receiver: Receiver | None = None,
        organisation_id: int | None = None,
    ) -> BatchResult:
        """One PDF with every pupil (target is a .pdf), or one file per pupil in the folder
        `target`. progress(done, total) returning False cancels: files already written by
        this batch are removed and nothing is logged. An overdracht skips pupils without a
        basis (listed in result.skipped) and is refused when that is all of them."""
        total = len(pupil_ids)
        target = Path(target)
        # Every pupil checked against the role before the first file is written.
        with self._sessions() as session:
            require_write(self._actor)
            for pupil_id in pupil_ids:
                require_pupil(session, self._actor, pupil_id, write=True)
        if not one_file and not target.is_dir():
            raise FileWriteError(
                f"De map {target} bestaat niet. Kies een bestaande map voor de documenten."
            )
        made: list[MadeDocument] = []
        skipped: list[str] = []
        written: list[Path] = []
        parts: list[tuple[Any, list[Any]]] = []
        try:
            for done, pupil_id in enumerate(pupil_ids):
                if progress is not None and not progress(done, total):
                    raise _Cancelled
                with self._sessions() as session:
                    try:
                        doc = _doc(session, kind, pupil_id, today, receiver, organisation_id)
                    except HandoverRefused as refused:
                        skipped.extend(refused.refused)
                        continue
                    organisation = _organisation_name(session, organisation_id)
                    file_name = _file_name(kind, _load_pupil(session, pupil_id))
                if one_file:
                    parts.append(_part(kind, doc))
                    pdf = b""
                else:
                    pdf = _render(kind, doc)
                    path = target / file_name
                    with atomic_output(path) as stream:
                        stream.write(pdf)
                    written.append(path)
                made.append(
                    MadeDocument(
                        kind=kind,
                        pupil_id=pupil_id,
                        pdf=pdf,
                        receiver=receiver if kind is DocumentKind.OVERDRACHT else None,
                        organisation=organisation if kind is DocumentKind.OVERDRACHT else "",
                        organisation_id=(
                            organisation_id if kind is DocumentKind.OVERDRACHT else None
                        ),
                        sections=_doc_sections(doc),
                        data_version=data_version_of(doc),
                    )
                )
            if not made:
                if skipped:
                    assert receiver is not None
                    raise HandoverRefused(
                        "Voor geen van deze leerlingen is toestemming of een wettelijke grond "
                        f"vastgelegd om gegevens te delen met: {receiver.label}. Leg eerst vast "
                        "wie toestemming gaf (tab Toestemming).",
                        skipped,
                    )
                raise ValidationError(["Kies minstens één leerling."])
            if one_file:
                if progress is not None and not progress(total, total):
                    raise _Cancelled
                from uitstroom.documents.base import render_many

                buffer = io.BytesIO()
                render_many(
                    parts,
                    buffer,
                    title=f"{kind.label} ({counted(len(parts), 'leerling', 'leerlingen')})",
                )
                with atomic_output(target) as stream:
                    stream.write(buffer.getvalue())
                written.append(target)
            elif progress is not None and not progress(total, total):
                raise _Cancelled
            self._log(made, actor)
        except _Cancelled:
            _remove(written)
            return BatchResult((), skipped)
        except BaseException:
            _remove(written)
            raise
        return BatchResult(written, skipped)

    # --- helpers -------------------------------------------------------------------------
    def _make(
        self,
        session: Session,
        kind: DocumentKind,
        pupil_id: int,
        today: date,
        receiver: Receiver | None,
        organisation_id: int | None,
    ) -> MadeDocument:
        # A document holds everything, support needs too: not for read-only users.
        require_pupil(session, self._actor, pupil_id, write=True)
        doc = _doc(session, kind, pupil_id, today, receiver, organisation_id)
        overdracht = kind is DocumentKind.OVERDRACHT
        return MadeDocument(
            kind=kind,
            pupil_id=pupil_id,
            pdf=_render(kind, doc),
            receiver=receiver if overdracht else None,
            organisation=_organisation_name(session, organisation_id) if overdracht else "",
            organisation_id=organisation_id if overdracht else None,
            sections=_doc_sections(doc),
            data_version=data_version_of(doc),
        )

    def _check_made(self, made: MadeDocument) -> None:
        # The role may have changed since the preview was made: checked again.
        with self._sessions() as session:
            require_pupil(session, self._actor, made.pupil_id, write=True)

    def _log(self, made: Sequence[MadeDocument], actor: str) -> list[DocumentRecord]:
        actor = author_of(self._actor, actor)
        now = self._clock()
        records = []
        with self._sessions.begin() as session:
            for item in made:
                row = DocumentLogRow(
                    pupil_id=item.pupil_id,
                    kind=item.kind.value,
                    made_at=now,
                    made_by=actor,
                    receiver=item.receiver.value if item.receiver is not None else None,
                    organisation=item.organisation,
                    sections=sections_text(item.sections),
                    data_version=item.data_version,
                )
                session.add(row)
                session.flush()
                records.append(_record(row))
                detail = f"{item.kind.value}, gegevensversie {item.data_version}"
                if item.receiver is not None:
                    detail += f", voor {item.receiver.value}"
                if item.organisation_id is not None:
                    detail += f" (organisatie {item.organisation_id})"
                if item.kind is DocumentKind.OVERDRACHT:
                    detail += f"; delen: {sections_text(item.sections)}"
                action = (
                    AuditAction.HANDOVER
                    if item.kind is DocumentKind.OVERDRACHT
                    else AuditAction.DOCUMENT
                )
                append(session, actor, action, item.pupil_id, detail, now)
        return records

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


class _Cancelled(Exception):
    pass


# --- rows to domain objects -------------------------------------------------------------------


def _contact(row: ContactPersonRow) -> ContactPerson:
    return ContactPerson(
        id=row.id,
        organisation_id=row.organisation_id,
        name=row.name,
        function=row.function,
        phone=row.phone,
        email=row.email,
        left_on=row.left_on,
        replaced_by_id=row.replaced_by_id,
    )


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(
        id=row.id,
        name=row.name,
        kind=enum_or(OrganisationKind, row.kind, OrganisationKind.ANDERS),
        serves=row.serves,
        address=row.address,
        phone=row.phone,
        email=row.email,
        note=row.note,
        contacts=tuple(_contact(c) for c in row.contacts),
    )


def sections_text(sections: Iterable[Section]) -> str:
    order = {section: n for n, section in enumerate(Section)}
    return ",".join(s.value for s in sorted(sections, key=order.__getitem__))


def _sections_of(text: str) -> frozenset[Section]:
    found = (enum_or_none(Section, part.strip()) for part in text.split(","))
    return frozenset(s for s in found if s is not None)


def _consent(row: ConsentRow) -> Consent:
    return Consent(
        id=row.id,
        receiver=enum_or(Receiver, row.receiver, Receiver.ANDERS),
        basis=enum_or(LegalBasis, row.basis, LegalBasis.TOESTEMMING),
        sections=_sections_of(row.sections),
        given_on=row.given_on,
        consenter=enum_or_none(Consenter, row.consenter),
        consenter_name=row.consenter_name,
        organisation_id=row.organisation_id,
        withdrawn_on=row.withdrawn_on,
        note=row.note,
    )


def _record(row: DocumentLogRow) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        kind=enum_or(DocumentKind, row.kind, DocumentKind.PASPOORT),
        made_at=row.made_at.isoformat(timespec="seconds"),
        made_by=row.made_by,
        receiver=enum_or_none(Receiver, row.receiver),
        organisation=row.organisation,
        sections=_sections_of(row.sections),
        data_version=row.data_version,
    )


def _load_pupil(session: Session, pupil_id: int) -> PupilRow:
    row = session.get(PupilRow, pupil_id)
    if row is None:
        raise NotFoundError(GONE)
    return row


def _load_organisation(session: Session, organisation_id: int) -> OrganisationRow:
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        raise NotFoundError("Deze organisatie staat niet meer in het adresboek.")
    return row


def _load_contact(session: Session, contact_id: int) -> ContactPersonRow:
    row = session.get(ContactPersonRow, contact_id)
    if row is None:
        raise NotFoundError("Deze contactpersoon staat niet meer in het adresboek.")
    return row


def _load_consent(session: Session, consent_id: int, pupil_id: int) -> ConsentRow:
    row = session.get(ConsentRow, consent_id)
    if row is None or row.pupil_id != pupil_id:
        raise NotFoundError("Deze toestemming bestaat niet meer. Open de leerling opnieuw.")
    return row


def _organisation_name(session: Session, organisation_id: int | None) -> str:
    if organisation_id is None:
        return ""
    return _load_organisation(session, organisation_id).name


def _done_codes(session: Session, pupil_ids: Iterable[int]) -> dict[int, set[str]]:
    done: dict[int, set[str]] = {pupil_id: set() for pupil_id in pupil_ids}
    if done:
        for pupil_id, code in session.execute(
            select(PupilTaskRow.pupil_id, PupilTaskRow.code).where(
                PupilTaskRow.pupil_id.in_(list(done)), PupilTaskRow.done_on.is_not(None)
            )
        ):
            done[pupil_id].add(code)
    return done


def _transitieplan(session: Session, pupil_id: int) -> Transitieplan:
    row = session.scalar(select(TransitieplanRow).where(TransitieplanRow.pupil_id == pupil_id))
    done = _done_codes(session, [pupil_id])[pupil_id]
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
                party=enum_or(AgreementParty, a.party, AgreementParty.SCHOOL),
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
                role=enum_or(ContactRole, c.role, ContactRole.ANDERS),
                contact_id=c.contact_id,
            )
            for c in contacts
        ),
        updated_on=row.updated_on if row is not None else None,
        updated_by=row.updated_by if row is not None else "",
        version=row.version if row is not None else 0,
    )


def _paspoort(session: Session, pupil_id: int) -> Paspoort:
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
                kind=enum_or(CredentialKind, c.kind, CredentialKind.CERTIFICAAT),
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


def _consents(session: Session, pupil_id: int) -> list[Consent]:
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
    return [replace(_consent(row), scan_name=scans.get(row.id, "")) for row in rows]


# --- saving lists that belong to a pupil -------------------------------------------------------


def _merge(
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


def _apply_agreement(row: AgreementRow, agreement: Agreement, position: int) -> None:
    row.position = position
    row.what = agreement.what.strip()
    row.party = agreement.party.value
    row.due = agreement.due
    row.contact_id = agreement.contact_id
    row.task_code = agreement.task_code.strip()


def _apply_plan_contact(row: PlanContactRow, contact: PlanContact) -> None:
    row.role = contact.role.value
    row.contact_id = contact.contact_id


def _apply_credential(row: CredentialRow, credential: Credential) -> None:
    row.kind = credential.kind.value
    row.name = credential.name.strip()
    row.issued_on = credential.issued_on
    row.issuer = credential.issuer.strip()


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
    route = enum_or(Route, route_row.route, Route.ONBEKEND)
    details: list[str] = []
    if route is Route.DOORLEREN:
        niveau = enum_or_none(Niveau, route_row.niveau)
        leerweg = enum_or_none(Leerweg, route_row.leerweg)
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


def _pupil_header(row: PupilRow) -> PupilHeader:
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


def _transitieplan_doc(session: Session, pupil_id: int, today: date) -> TransitieplanDoc:
    row = _load_pupil(session, pupil_id)
    plan = _transitieplan(session, pupil_id)
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
        pupil=_pupil_header(row),
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


def _paspoort_doc(
    session: Session,
    pupil_id: int,
    today: date,
    wanted: frozenset[Section],
    leave_out_empty: bool = False,
) -> PaspoortDoc:
    """The Paspoort shows every part (an empty one invites filling it in); an overdracht
    (leave_out_empty) only the parts with something in them."""
    row = _load_pupil(session, pupil_id)
    paspoort = _paspoort(session, pupil_id)
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
        pupil=_pupil_header(row),
        sections=sections,
        texts=texts,
        stages=stages,
        credentials=credentials,
        contacts=contacts,
        nazorg_contact=_coordinator_line(school),
        made_on=today,
    )


def _overdracht_doc(
    session: Session,
    pupil_id: int,
    receiver: Receiver,
    organisation_id: int | None,
    today: date,
) -> PaspoortDoc:
    row = _load_pupil(session, pupil_id)
    consents = _consents(session, pupil_id)
    allowed = allowed_sections(consents, receiver, organisation_id, today)
    name = full_name(row.roepnaam, row.tussenvoegsel, row.achternaam)
    if allowed is None:
        raise HandoverRefused(no_basis_message(receiver, name), [name])
    organisation = _organisation_name(session, organisation_id)
    doc = _paspoort_doc(session, pupil_id, today, allowed, leave_out_empty=True)
    # An empty part the receiver may not see is not withheld: there is nothing to withhold.
    with_content = _paspoort_doc(session, pupil_id, today, frozenset(Section), True).sections
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


def _doc(
    session: Session,
    kind: DocumentKind,
    pupil_id: int,
    today: date,
    receiver: Receiver | None,
    organisation_id: int | None,
) -> TransitieplanDoc | PaspoortDoc:
    if kind is DocumentKind.TRANSITIEPLAN:
        return _transitieplan_doc(session, pupil_id, today)
    if kind is DocumentKind.PASPOORT:
        return _paspoort_doc(session, pupil_id, today, frozenset(Section))
    if receiver is None:
        raise ValidationError(["Kies voor wie de overdracht is (de ontvanger)."])
    return _overdracht_doc(session, pupil_id, receiver, organisation_id, today)


def _doc_sections(doc: TransitieplanDoc | PaspoortDoc) -> frozenset[Section]:
    return frozenset(doc.sections) if isinstance(doc, PaspoortDoc) else frozenset()


def _file_name(kind: DocumentKind, row: PupilRow) -> str:
    surname = " ".join(p for p in (row.achternaam, row.tussenvoegsel) if p.strip())
    name = f"{kind.label} {surname} {row.roepnaam} {row.leerlingnummer}"
    return _UNSAFE_IN_NAME.sub("_", name).strip(" .") + ".pdf"


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise FileWriteError(write_error_message(path, exc)) from exc


# --- rendering ----------------------------------------------------------------------------------


def _module(kind: DocumentKind) -> Any:
    return importlib.import_module(f"uitstroom.documents.{kind.value}")


def _render(kind: DocumentKind, doc: TransitieplanDoc | PaspoortDoc) -> bytes:
    buffer = io.BytesIO()
    render: Callable[[Any, IO[bytes]], None] = _module(kind).render
    render(doc, buffer)
    return buffer.getvalue()


def _part(kind: DocumentKind, doc: TransitieplanDoc | PaspoortDoc) -> tuple[Any, list[Any]]:
    """One pupil's letterhead and flowables, for a batch in one PDF."""
    module = _module(kind)
    return module.letterhead(doc), module.story(doc)


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
    plan = _transitieplan(session, pupil_id)
    consents = _consents(session, pupil_id)
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
        paspoort=_paspoort(session, pupil_id),
        consents=tuple(consents),
        documents=tuple(_record(row) for row in documents),
        contact_names=contacts,
        organisation_names=organisations,
    )
