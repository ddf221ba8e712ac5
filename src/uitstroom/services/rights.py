"""The pupil's rights under the AVG: inzage (everything held about them, as a PDF to read and
as JSON for a computer) and erasure on request. Both are logged in the audit trail, with the
pupil's internal number only.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.documents.inzage_data import Inzage, InzageBlock, InzagePart, KeptUntil
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.dates import dutch_date
from uitstroom.domain.exit import (
    HANDOVER_RECEIVERS,
    ExitInterview,
    HelpWanted,
    next_step_text,
    reason_text,
)
from uitstroom.domain.handover import LegalBasis, Section
from uitstroom.domain.nazorg import NazorgFile
from uitstroom.domain.plural import counted
from uitstroom.domain.retention import CATEGORY_SCOPE, RetentionCategory
from uitstroom.services.access import require_coordinator
from uitstroom.services.audit import append, entries_for_pupil
from uitstroom.services.audit import head as audit_head
from uitstroom.services.base import Service
from uitstroom.services.convert import record_from_row, settings_from_row
from uitstroom.services.errors import NotFoundError, ValidationError
from uitstroom.services.exit import interview_of_pupil
from uitstroom.services.files import atomic_output
from uitstroom.services.handover import PupilHandover, pupil_handover
from uitstroom.services.nazorg import pupil_nazorg
from uitstroom.services.pupils import load_pupil_row
from uitstroom.services.retention import (
    keep_figures,
    nazorg_end_of,
    remove_pupils,
    retention_dates,
)
from uitstroom.storage.models import ConsentRow, ConsentScanRow, PupilRow, SchoolSettingsRow

_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")


@dataclass(frozen=True)
class InzageFiles:
    pdf: Path
    json: Path
    # The signed toestemmingsformulieren kept as scans: a copy belongs with the inzage.
    scans: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Erased:
    """What went with the pupil: counts only, for the message and the audit trail."""

    pupil_id: int
    guardians: int
    stages: int
    timeline: int
    route_changes: int

    @property
    def detail(self) -> str:
        return (
            f"op verzoek gewist met {self.guardians} ouders/verzorgers, {self.stages} stages, "
            f"{self.timeline} tijdlijnregels, {self.route_changes} routewijzigingen; aantallen "
            "per cohort zonder naam bewaard"
        )


class RightsService(Service):
    # The pupil's rights (inzage, erasure) are the coordinator's work (domain.actor).

    def find(self, leerlingnummer: str) -> int:
        """The internal id of the pupil with this leerlingnummer, for the coordinator's inzage
        and erasure: another role learns nothing from it, not even that the pupil exists."""
        require_coordinator(self._actor)
        with self._sessions() as session:
            found = session.scalar(
                select(PupilRow.id).where(PupilRow.leerlingnummer == leerlingnummer.strip())
            )
        if found is None:
            raise NotFoundError(
                f"Er is geen leerling met leerlingnummer {leerlingnummer.strip()}. Controleer "
                "het nummer; misschien is de leerling al gewist."
            )
        return found

    # --- inzage --------------------------------------------------------------------------
    def inzage(self, pupil_id: int) -> Inzage:
        """What the inzage shows, without making it (and without a line in the trail)."""
        actor = self._author()
        require_coordinator(self._actor)
        with self._sessions() as session:
            return _inzage(session, pupil_id, actor, self._clock())

    def export_inzage(self, pupil_id: int, folder: Path) -> InzageFiles:
        """Write the PDF and the JSON into `folder`. The line in the trail, the data and the
        files belong together: when a file cannot be written, the line is not kept either."""
        require_coordinator(self._actor)
        actor = self._author()
        now = self._clock()
        folder = Path(folder)
        with self._sessions.begin() as session:
            # The line first, so the overview shows that it was made, and by whom.
            append(session, actor, AuditAction.INZAGE, pupil_id, "pdf en json", now)
            data = _inzage(session, pupil_id, actor, now)
            stem = f"inzage-{_safe(data.record.pupil.leerlingnummer)}-{now:%Y-%m-%d}"
            pdf = io.BytesIO()
            from uitstroom.documents.inzage import render_inzage

            render_inzage(data, pdf)
            scans = session.execute(
                select(ConsentScanRow.id, ConsentScanRow.file_name, ConsentScanRow.data)
                .join(ConsentRow, ConsentRow.id == ConsentScanRow.consent_id)
                .where(ConsentRow.pupil_id == pupil_id)
                .order_by(ConsentScanRow.id)
            ).all()
            files = InzageFiles(
                folder / f"{stem}.pdf",
                folder / f"{stem}.json",
                tuple(
                    folder / f"{stem}-formulier-{n}-{_safe(Path(name).stem)}{Path(name).suffix}"
                    for n, name, _ in scans
                ),
            )
            with atomic_output(files.pdf) as pdf_out, atomic_output(files.json) as json_out:
                pdf_out.write(pdf.getvalue())
                json_out.write(inzage_json(data, audit_head(session)))
            for path, (_, _, scan) in zip(files.scans, scans, strict=True):
                with atomic_output(path) as scan_out:
                    scan_out.write(scan)
        return files

    # --- erasure -------------------------------------------------------------------------
    def erase(self, pupil_id: int, confirmation: str) -> Erased:
        """Remove the pupil and everything that hangs from it, keeping only anonymous counts.
        `confirmation` must be the pupil's leerlingnummer, typed by whoever asks for this."""
        require_coordinator(self._actor)
        actor = self._author()
        with self._sessions.begin() as session:
            row = _load(session, pupil_id)
            if confirmation.strip() != row.leerlingnummer:
                raise ValidationError(
                    [
                        "Het getypte leerlingnummer klopt niet. Er is niets gewist. Typ het "
                        "leerlingnummer precies over om te bevestigen."
                    ]
                )
            erased = Erased(
                pupil_id,
                guardians=len(row.guardians),
                stages=len(row.stages),
                timeline=len(row.timeline),
                route_changes=len(row.route_changes),
            )
            keep_figures(session, [pupil_id])
            remove_pupils(session, [pupil_id])
            append(session, actor, AuditAction.ERASED, pupil_id, erased.detail, self._clock())
        return erased


def _load(session: Session, pupil_id: int) -> PupilRow:
    return load_pupil_row(session, pupil_id)


def _inzage(session: Session, pupil_id: int, actor: str, now: datetime) -> Inzage:
    row = _load(session, pupil_id)
    dates = retention_dates(session, row.cohort.label)
    handover = pupil_handover(session, pupil_id)
    nazorg = pupil_nazorg(session, pupil_id)
    interview = interview_of_pupil(session, pupil_id)
    return Inzage(
        school=settings_from_row(session.get(SchoolSettingsRow, 1)),
        record=record_from_row(row),
        audit=tuple(entries_for_pupil(session, pupil_id)),
        made_at=now,
        made_by=actor,
        kept_until=tuple(
            KeptUntil(_capital(CATEGORY_SCOPE[category]), dates[category])
            for category in RetentionCategory
        ),
        nazorg_until=nazorg_end_of(session, row.cohort.label),
        created_at=row.created_at,
        updated_at=row.updated_at,
        imported_values=dict(row.imported_values or {}),
        parts=(*handover_parts(handover), nazorg_part(nazorg), exit_part(interview)),
        parts_json={
            **handover_json(handover),
            "nazorg": plain(nazorg),
            "exitgesprek": plain(interview),
        },
    )


def handover_json(data: PupilHandover) -> dict[str, Any]:
    return {
        "transitieplan": plain(data.transitieplan),
        "paspoort": plain(data.paspoort),
        "toestemmingen": plain(data.consents),
        "documenten": plain(data.documents),
        "contactpersonen": plain(data.contact_names),
        "organisaties": plain(data.organisation_names),
    }


def handover_parts(data: PupilHandover) -> tuple[InzagePart, ...]:
    """The transitieplan, the paspoort, the consents and the documents made, in a parent's
    words."""
    plan = data.transitieplan
    plan_blocks = []
    if plan.goals.strip() or plan.agreements or plan.contacts:
        plan_blocks.append(
            InzageBlock("Doelen", (("Doelen voor het laatste schooljaar", plan.goals),))
        )
    for n, agreement in enumerate(plan.agreements, start=1):
        who = agreement.party.label
        if agreement.contact_id is not None:
            who += f": {data.contact_names.get(agreement.contact_id, '')}"
        plan_blocks.append(
            InzageBlock(
                f"Afspraak {n}",
                (
                    ("Wat", agreement.what),
                    ("Wie", who),
                    ("Wanneer", dutch_date(agreement.due)),
                    ("Gedaan", "ja" if agreement.done else "nee"),
                ),
            )
        )
    if plan.contacts:
        plan_blocks.append(
            InzageBlock(
                "Contactpersonen",
                tuple(
                    (c.role.label, data.contact_names.get(c.contact_id, "")) for c in plan.contacts
                ),
            )
        )
    paspoort = data.paspoort
    paspoort_fields = (
        (Section.WIE.label, paspoort.wie),
        (Section.KAN.label, paspoort.kan),
        (Section.WIL.label, paspoort.wil),
        (Section.NODIG.label, paspoort.nodig),
        (Section.KEUZE.label, paspoort.keuze),
        ("Aanpak die werkt", paspoort.aanpak),
        ("Aanpassingen die helpen", paspoort.aanpassingen),
    )
    paspoort_blocks = []
    if any(text.strip() for _, text in paspoort_fields):
        paspoort_blocks.append(InzageBlock("", paspoort_fields))
    for credential in paspoort.credentials:
        paspoort_blocks.append(
            InzageBlock(
                credential.kind.label,
                (
                    ("Naam", credential.name),
                    ("Datum", dutch_date(credential.issued_on)),
                    ("Gegeven door", credential.issuer),
                ),
            )
        )
    consent_blocks = []
    for consent in data.consents:
        if consent.basis is LegalBasis.WETTELIJKE_TAAK:
            basis = "Wettelijke taak van de school (geen toestemming nodig)"
        else:
            basis = f"Toestemming van {consent.consenter_name}"
        organisation = (
            data.organisation_names.get(consent.organisation_id, "")
            if consent.organisation_id is not None
            else "elke organisatie van deze soort"
        )
        consent_blocks.append(
            InzageBlock(
                f"{consent.receiver.label}, {dutch_date(consent.given_on)}",
                (
                    ("Grond", basis),
                    ("Organisatie", organisation),
                    (
                        "Wat gedeeld mag worden",
                        ", ".join(s.label for s in Section if s in consent.sections),
                    ),
                    ("Ingetrokken op", dutch_date(consent.withdrawn_on)),
                    ("Opmerking", consent.note),
                    (
                        "Getekend formulier",
                        f"{consent.scan_name} (scan bewaard, bijgevoegd)"
                        if consent.scan_name
                        else "",
                    ),
                ),
            )
        )
    document_blocks = [
        InzageBlock(
            f"{record.kind.label}, {dutch_date(date.fromisoformat(record.made_at[:10]))}",
            (
                ("Gemaakt door", record.made_by),
                ("Voor", record.receiver.label if record.receiver is not None else ""),
                ("Organisatie", record.organisation),
                ("Welke delen", ", ".join(s.label for s in Section if s in record.sections)),
                ("Versie van de gegevens", record.data_version),
            ),
        )
        for record in data.documents
    ]
    return (
        InzagePart("Transitieplan", tuple(plan_blocks), "Er is nog geen transitieplan."),
        InzagePart("Paspoort voor Succes", tuple(paspoort_blocks), "Er is nog geen paspoort."),
        InzagePart(
            "Toestemming om gegevens te delen",
            tuple(consent_blocks),
            "Er is geen toestemming vastgelegd.",
        ),
        InzagePart(
            "Documenten die de school heeft gemaakt of doorgegeven",
            tuple(document_blocks),
            "Er zijn nog geen documenten gemaakt.",
        ),
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nee")


def nazorg_part(file: NazorgFile | None) -> InzagePart:
    """Where the pupil went, the calls planned and made after school, and the signals."""
    empty = "Er is geen vertrek of nazorg vastgelegd."
    if file is None:
        return InzagePart("Nazorg na school", (), empty)
    leaving = file.leaving
    blocks = [
        InzageBlock(
            "Vertrek van school",
            (
                ("Uitstroomdatum", dutch_date(leaving.left_on)),
                ("Bestemming", leaving.destination.label),
                ("Werkgever", leaving.employer),
                ("Mbo-instelling", leaving.mbo_instelling),
                ("Opleiding", leaving.opleiding),
                ("Opmerking", leaving.note),
                ("Nazorg", file.state.label),
                ("Afgesloten op", dutch_date(file.closed_on)),
                ("Waakvlam (na de nazorg af en toe contact)", _yes_no(file.waakvlam)),
            ),
        ),
        InzageBlock(
            "Geplande gesprekken",
            tuple(
                (
                    f"Na {counted(moment.months, 'maand', 'maanden')}",
                    f"{dutch_date(moment.due)}"
                    + (f" (verschoven: {moment.moved_reason})" if moment.moved_reason else "")
                    + (f", gevoerd op {dutch_date(moment.done_on)}" if moment.done_on else ""),
                )
                for moment in file.moments
            ),
        ),
    ]
    for call in file.calls:
        blocks.append(
            InzageBlock(
                f"Gesprek op {dutch_date(call.on)}",
                (
                    ("Bereikt", _yes_no(call.reached)),
                    ("Hoe", call.channel.label),
                    ("Waar de jongere toen was", call.status.label if call.status else ""),
                    ("Zelfde plek als vorige keer", _yes_no(call.same_place)),
                    ("Wil hulp", _yes_no(call.wants_help)),
                    ("Notitie", call.note),
                    ("Door", call.by),
                ),
            )
        )
    for signal in file.signals:
        blocks.append(
            InzageBlock(
                f"Signaal op {dutch_date(signal.created_on)}",
                (
                    ("Waarom", signal.status.label),
                    ("Voor", signal.receiver.label),
                    ("Verstuurd op", dutch_date(signal.sent_on)),
                    ("Verstuurd aan", signal.sent_to),
                ),
            )
        )
    return InzagePart("Nazorg na school", tuple(blocks), empty)


def exit_part(interview: ExitInterview | None) -> InzagePart:
    """The mbo exitgesprek: every answer, as the student gave it."""
    empty = "Er is geen exitgesprek vastgelegd."
    if interview is None:
        return InzagePart("Exitgesprek", (), empty)
    consent = ", ".join(r.label for r in HANDOVER_RECEIVERS if r in interview.handover_consent)
    return InzagePart(
        "Exitgesprek",
        (
            InzageBlock(
                f"Exitgesprek ({interview.state.label.lower()})",
                (
                    ("Datum gesprek", dutch_date(interview.held_on)),
                    ("Datum vertrek", dutch_date(interview.left_on)),
                    ("Reden van vertrek", reason_text(interview)),
                    ("Startkwalificatie", interview.startkwalificatie.label),
                    ("Wat de student hierna doet", next_step_text(interview)),
                    (
                        "Hulp gewenst bij",
                        ", ".join(
                            h.label.lower() for h in HelpWanted if h in interview.help_wanted
                        ),
                    ),
                    ("Telefoon na school", interview.phone_after),
                    ("E-mail na school", interview.email_after),
                    (
                        "Reservecontact",
                        " ".join(
                            part
                            for part in (
                                interview.spare_name,
                                f"({interview.spare_relation})" if interview.spare_relation else "",
                                interview.spare_phone,
                            )
                            if part
                        ),
                    ),
                    ("Nazorggesprekken gewenst", _yes_no(interview.nazorg_agreed)),
                    ("Toestemming warme overdracht", consent),
                    ("SLB'er", interview.mentor),
                    ("Notitie", interview.note),
                ),
            ),
        ),
        empty,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("_") or "leerling"


# --- JSON ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Records as JSON values: every field, dates in ISO 8601, enums as their stored value."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return None  # a logo is no data about the pupil
    return value


def inzage_json(data: Inzage, chain_head: tuple[int, str] | None = None) -> bytes:
    record = data.record
    body = {
        "toelichting": (
            "Alle gegevens die de school over deze leerling bewaart in Uitstroom. Datums in "
            "ISO 8601 (jjjj-mm-dd). 'id' is het interne nummer waarmee het logboek de "
            "leerling aanduidt."
        ),
        "school": data.school.name,
        "gemaakt_op": data.made_at.isoformat(),
        "gemaakt_door": data.made_by,
        "leerling": plain(record.pupil),
        "stages": plain(record.stages),
        "routewijzigingen": plain(record.route_history),
        "tijdlijn": plain(record.timeline),
        "logboek": plain(data.audit),
        "in_uitstroom_sinds": plain(data.created_at),
        "laatst_gewijzigd": plain(data.updated_at),
        "bij_laatste_import": plain(dict(data.imported_values)),
        "bewaren_tot_en_met": {k.what: plain(k.until) for k in data.kept_until},
    }
    body.update(data.parts_json)
    if chain_head is not None:
        # The head of the school's whole log at this moment (no data about anyone): a later
        # `uitstroom audit --check --anker` with this file shows whether the log was cut since.
        body["logboek_kop"] = {"regels": chain_head[0], "laatste_hash": chain_head[1]}
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")
