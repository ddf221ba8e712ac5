"""A pupil's documents: one make() with an explicit table of renderers, one file name, and
saving, printing and batches logged in document_log and the audit trail."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, Protocol, cast

from sqlalchemy.orm import Session

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.handover import (
    DocumentKind,
    DocumentRecord,
    PaspoortDoc,
    Receiver,
    Section,
    TransitieplanDoc,
)
from uitstroom.domain.plural import counted
from uitstroom.services.access import require_pupil, require_write
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.errors import (
    ValidationError,
)
from uitstroom.services.files import FileWriteError, atomic_output, write_error_message
from uitstroom.services.handover.docs import (
    HandoverRefused,
    build_overdracht_doc,
    build_paspoort_doc,
    build_transitieplan_doc,
    data_version_of,
    doc_of,
    doc_sections,
)
from uitstroom.services.handover.rows import load_pupil, organisation_name, record_of, sections_text
from uitstroom.storage.models import (
    DocumentLogRow,
    PupilRow,
)

Progress = Callable[[int, int], bool]
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


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
    file_name: str = ""  # 'Paspoort voor Succes Berg van den Noa 12345.pdf' (file_name())


class DocumentService(Service):
    """A pupil's documents (transitieplan, paspoort, overdracht): made by `make`, saved or
    printed and logged (document_log and the audit trail). Like the plans they come from: a
    mentor's own pupils only, never for read-only users (they hold support needs)."""

    # --- the finished data objects --------------------------------------------------------
    # What goes into a document, support needs too: as for the PDF, not for read-only users
    # and a mentor's own pupils only.
    def transitieplan_doc(self, pupil_id: int, today: date) -> TransitieplanDoc:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return build_transitieplan_doc(session, pupil_id, today)

    def paspoort_doc(self, pupil_id: int, today: date) -> PaspoortDoc:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return build_paspoort_doc(session, pupil_id, today, frozenset(Section))

    def overdracht_doc(
        self, pupil_id: int, receiver: Receiver, organisation_id: int | None, today: date
    ) -> PaspoortDoc:
        """Only the parts the receiver may see; HandoverRefused when no basis is recorded."""
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return build_overdracht_doc(session, pupil_id, receiver, organisation_id, today)

    # --- making files ----------------------------------------------------------------------
    def make(
        self,
        kind: DocumentKind,
        pupil_id: int,
        today: date,
        receiver: Receiver | None = None,
        organisation_id: int | None = None,
    ) -> MadeDocument:
        """The one way a pupil's document is made: its data built, rendered once by the
        renderer RENDERERS names for the kind, with the file name and the data version. The
        preview shows these bytes; nothing is logged until they are saved or printed."""
        with self._sessions() as session:
            return self._make(session, kind, pupil_id, today, receiver, organisation_id)

    def write_document(
        self,
        kind: DocumentKind,
        pupil_id: int,
        target: Path,
        today: date,
        receiver: Receiver | None = None,
        organisation_id: int | None = None,
    ) -> DocumentRecord:
        """Made and saved in one go (the command line)."""
        made = self.make(kind, pupil_id, today, receiver, organisation_id)
        return self.save_made(made, target)

    def save_made(self, made: MadeDocument, target: Path) -> DocumentRecord:
        """The rendered bytes to a file, logged with the data version they were made from."""
        actor = self._author()
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

    def log_made(self, made: MadeDocument) -> DocumentRecord:
        """The rendered bytes were printed from the preview: logged once the print dialog was
        accepted, with the data version the bytes were made from."""
        actor = self._author()
        self._check_made(made)
        return self._log([made], actor)[0]

    def write_batch(
        self,
        kind: DocumentKind,
        pupil_ids: Sequence[int],
        target: Path,
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
        actor = self._author()
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
                        doc = doc_of(session, kind, pupil_id, today, receiver, organisation_id)
                    except HandoverRefused as refused:
                        skipped.extend(refused.refused)
                        continue
                    organisation = organisation_name(session, organisation_id)
                    name = file_name(kind, load_pupil(session, pupil_id))
                if one_file:
                    parts.append(_part(kind, doc))
                    pdf = b""
                else:
                    pdf = _render(kind, doc)
                    path = target / name
                    with atomic_output(path) as stream:
                        stream.write(pdf)
                    written.append(path)
                made.append(
                    MadeDocument(
                        kind=kind,
                        pupil_id=pupil_id,
                        pdf=pdf,
                        file_name=name,
                        receiver=receiver if kind is DocumentKind.OVERDRACHT else None,
                        organisation=organisation if kind is DocumentKind.OVERDRACHT else "",
                        organisation_id=(
                            organisation_id if kind is DocumentKind.OVERDRACHT else None
                        ),
                        sections=doc_sections(doc),
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
        doc = doc_of(session, kind, pupil_id, today, receiver, organisation_id)
        overdracht = kind is DocumentKind.OVERDRACHT
        return MadeDocument(
            kind=kind,
            pupil_id=pupil_id,
            pdf=_render(kind, doc),
            file_name=file_name(kind, load_pupil(session, pupil_id)),
            receiver=receiver if overdracht else None,
            organisation=organisation_name(session, organisation_id) if overdracht else "",
            organisation_id=organisation_id if overdracht else None,
            sections=doc_sections(doc),
            data_version=data_version_of(doc),
        )

    def _check_made(self, made: MadeDocument) -> None:
        # The role may have changed since the preview was made: checked again.
        with self._sessions() as session:
            require_pupil(session, self._actor, made.pupil_id, write=True)

    def _log(self, made: Sequence[MadeDocument], actor: str) -> list[DocumentRecord]:
        now = self._clock()
        records = []
        with self._sessions.begin() as session:
            for item in made:
                row = DocumentLogRow(
                    pupil_id=item.pupil_id,
                    kind=item.kind,
                    made_at=now,
                    made_by=actor,
                    receiver=item.receiver,
                    organisation=item.organisation,
                    sections=sections_text(item.sections),
                    data_version=item.data_version,
                )
                session.add(row)
                session.flush()
                records.append(record_of(row))
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


class _Cancelled(Exception):
    pass


def file_name(kind: DocumentKind, row: PupilRow) -> str:
    """The one file name of a pupil's document, in the preview, a batch's folder and the
    command line: 'Paspoort voor Succes Berg van den Noa 12345.pdf'."""
    surname = " ".join(p for p in (row.achternaam, row.tussenvoegsel) if p.strip())
    return pdf_name(f"{kind.label} {surname} {row.roepnaam} {row.leerlingnummer}")


def pdf_name(text: str) -> str:
    """A file name any computer accepts: characters Windows refuses become '_'."""
    return _UNSAFE_IN_NAME.sub("_", text).strip(" .") + ".pdf"


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise FileWriteError(write_error_message(path, exc)) from exc


# --- rendering ----------------------------------------------------------------------------------


class Renderer(Protocol):
    """What a document module in documents/ offers: the whole PDF, or its letterhead and
    flowables for a batch in one PDF."""

    def render(self, doc: Any, stream: IO[bytes]) -> None: ...
    def letterhead(self, doc: Any) -> Any: ...
    def story(self, doc: Any) -> list[Any]: ...


def _render_transitieplan() -> Renderer:
    from uitstroom.documents import transitieplan

    return cast(Renderer, transitieplan)


def _render_paspoort() -> Renderer:
    from uitstroom.documents import paspoort

    return cast(Renderer, paspoort)


def _render_overdracht() -> Renderer:
    from uitstroom.documents import overdracht

    return cast(Renderer, overdracht)


# Which module renders which kind. Imported when first used: reportlab is not loaded at start.
RENDERERS: dict[DocumentKind, Callable[[], Renderer]] = {
    DocumentKind.TRANSITIEPLAN: _render_transitieplan,
    DocumentKind.PASPOORT: _render_paspoort,
    DocumentKind.OVERDRACHT: _render_overdracht,
}


def _render(kind: DocumentKind, doc: TransitieplanDoc | PaspoortDoc) -> bytes:
    buffer = io.BytesIO()
    RENDERERS[kind]().render(doc, buffer)
    return buffer.getvalue()


def _part(kind: DocumentKind, doc: TransitieplanDoc | PaspoortDoc) -> tuple[Any, list[Any]]:
    """One pupil's letterhead and flowables, for a batch in one PDF."""
    renderer = RENDERERS[kind]()
    return renderer.letterhead(doc), renderer.story(doc)
