"""Toestemmingsformulieren: the paper form per pupil and receiver, or for a klas in one PDF to
print. The returned form is recorded with HandoverService.record_consent (with its scan).

A form shares nothing: it names the pupil and the receiver and asks. Making one is not a
handover and is not logged as a document; it is logged in the audit trail (who printed forms
for whom), as the PDF holds a pupil's name and birth date.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from uitstroom.documents import toestemming
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.consent_form import ConsentFormDoc, signer_for
from uitstroom.domain.handover import Receiver, allowed_sections
from uitstroom.services.access import require_pupil, require_write
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.errors import ValidationError
from uitstroom.services.files import atomic_output
from uitstroom.services.handover.docs import pupil_header, school_header
from uitstroom.services.handover.rows import consents_of, load_pupil, organisation_name
from uitstroom.storage.models import GuardianRow

Progress = Callable[[int, int], bool]


class ConsentFormService(Service):
    def form_doc(
        self, pupil_id: int, receiver: Receiver, organisation_id: int | None, today: date
    ) -> ConsentFormDoc:
        with self._sessions() as session:
            require_pupil(session, self._actor, pupil_id, write=True)
            return _form_doc(session, pupil_id, receiver, organisation_id, today)

    def render_form(
        self, pupil_id: int, receiver: Receiver, organisation_id: int | None, today: date
    ) -> bytes:
        """The PDF for the preview and for printing."""
        buffer = io.BytesIO()
        toestemming.render(self.form_doc(pupil_id, receiver, organisation_id, today), buffer)
        return buffer.getvalue()

    def write_forms(
        self,
        pupil_ids: Sequence[int],
        receiver: Receiver,
        organisation_id: int | None,
        target: Path,
        today: date,
        progress: Progress | None = None,
    ) -> bool:
        """Every pupil's form in one PDF to print (a klas). progress(done, total) returning
        False cancels before anything is written. True when the file was written."""
        if not pupil_ids:
            raise ValidationError(["Kies minstens één leerling."])
        require_write(self._actor)
        docs: list[ConsentFormDoc] = []
        with self._sessions() as session:
            for pupil_id in pupil_ids:
                require_pupil(session, self._actor, pupil_id, write=True)
            for done, pupil_id in enumerate(pupil_ids):
                if progress is not None and not progress(done, len(pupil_ids)):
                    return False
                docs.append(_form_doc(session, pupil_id, receiver, organisation_id, today))
        buffer = io.BytesIO()
        toestemming.render_batch(docs, buffer)
        if progress is not None and not progress(len(pupil_ids), len(pupil_ids)):
            return False
        with atomic_output(Path(target)) as stream:
            stream.write(buffer.getvalue())
        self.log_forms(pupil_ids, receiver)
        return True

    def log_forms(self, pupil_ids: Sequence[int], receiver: Receiver) -> None:
        """A form printed from the preview, or saved: one line per pupil in the trail."""
        actor = self._author()
        with self._sessions.begin() as session:
            for pupil_id in pupil_ids:
                require_pupil(session, self._actor, pupil_id, write=True)
                append(
                    session,
                    actor,
                    AuditAction.CONSENT,
                    pupil_id,
                    f"toestemmingsformulier gemaakt voor {receiver.value}",
                    self._clock(),
                )


def _form_doc(
    session: Session,
    pupil_id: int,
    receiver: Receiver,
    organisation_id: int | None,
    today: date,
) -> ConsentFormDoc:
    row = load_pupil(session, pupil_id)
    guardians = session.scalars(
        select(GuardianRow.name)
        .where(GuardianRow.pupil_id == pupil_id)
        .order_by(GuardianRow.position, GuardianRow.id)
    ).all()
    already = allowed_sections(consents_of(session, pupil_id), receiver, organisation_id, today)
    return ConsentFormDoc(
        school=school_header(session),
        pupil=pupil_header(row),
        receiver=receiver,
        organisation=organisation_name(session, organisation_id),
        signer=signer_for(row.geboortedatum, today),
        signer_names=tuple(guardians),
        made_on=today,
        already=already or frozenset(),
    )
