"""Letters from the school: the school's own texts per letter kind, and a batch of letters
(one per pupil, fields filled) as one PDF for printing."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy import select

from uitstroom.documents.letter import LetterDoc, render_letters
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import SchoolType
from uitstroom.domain.handover import age_on
from uitstroom.domain.letters import (
    DEFAULT_TEXTS,
    Addressee,
    LetterKind,
    LetterText,
    Meeting,
    fill,
    recipient_line,
    text_problems,
    values_for,
)
from uitstroom.domain.names import full_name
from uitstroom.services.access import pupil_scope, require_coordinator
from uitstroom.services.audit import append
from uitstroom.services.base import Service
from uitstroom.services.errors import ValidationError
from uitstroom.services.files import write_atomically
from uitstroom.services.handover import school_header
from uitstroom.storage.models import PupilRow, SchoolSettingsRow

# An adult pupil gets the letter in their own name.
ADULT = 18


def _stored_texts(row: SchoolSettingsRow | None) -> dict[str, dict[str, str]]:
    if row is None or not row.letter_texts:
        return {}
    try:
        found = json.loads(row.letter_texts)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


class LetterService(Service):
    def text(self, kind: LetterKind) -> LetterText:
        """The school's own text for this kind, or the default text."""
        with self._sessions() as session:
            own = _stored_texts(session.get(SchoolSettingsRow, 1)).get(kind.value)
        if not own:
            return DEFAULT_TEXTS[kind]
        return LetterText(own.get("subject", ""), own.get("body", ""))

    def is_own_text(self, kind: LetterKind) -> bool:
        return self.text(kind) != DEFAULT_TEXTS[kind]

    def save_text(self, kind: LetterKind, text: LetterText) -> None:
        """Keep the school's own text; the default text back when `text` is the default."""
        author = self._author()
        problems = text_problems(text)
        if problems:
            raise ValidationError(problems)
        require_coordinator(self._actor)
        with self._sessions.begin() as session:
            row = session.get(SchoolSettingsRow, 1) or SchoolSettingsRow(id=1)
            texts = _stored_texts(row)
            if text == DEFAULT_TEXTS[kind]:
                texts.pop(kind.value, None)
            else:
                texts[kind.value] = {"subject": text.subject, "body": text.body}
            row.letter_texts = json.dumps(texts, ensure_ascii=False) if texts else ""
            session.add(row)
            append(
                session,
                author,
                AuditAction.SETTINGS,
                detail=f"brieftekst: {kind.label}",
            )

    def addressees(
        self, pupil_ids: Sequence[int], today: date, kind: LetterKind | None = None
    ) -> list[Addressee]:
        """Who each letter is for: the parents, or the pupil themself when an adult, at an
        mbo school, or invited to the exitgesprek (a talk held with the student)."""
        with self._sessions() as session:
            settings = session.get(SchoolSettingsRow, 1)
            direct = kind is LetterKind.EXITGESPREK or (
                settings is not None and settings.school_type is SchoolType.MBO
            )
            rows = {
                row.id: row
                for row in session.scalars(
                    select(PupilRow).where(
                        PupilRow.id.in_(pupil_ids), pupil_scope(session, self._actor)
                    )
                )
            }
            return [
                Addressee(
                    full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
                    row.roepnaam,
                    row.klas,
                    row.mentor,
                    to_pupil=direct
                    or (
                        row.geboortedatum is not None and age_on(row.geboortedatum, today) >= ADULT
                    ),
                )
                for pupil_id in pupil_ids
                if (row := rows.get(pupil_id)) is not None
            ]

    def letters(
        self,
        kind: LetterKind,
        pupil_ids: Sequence[int],
        meeting: Meeting,
        today: date,
        text: LetterText | None = None,
    ) -> bytes:
        """One PDF with a letter per pupil, in the order given. `text`: a text not yet saved,
        for the preview while the coordinator edits it."""
        text = text or self.text(kind)
        problems = text_problems(text)
        if problems:
            raise ValidationError(problems)
        addressees = self.addressees(pupil_ids, today, kind)
        if not addressees:
            raise ValidationError(["Kies minstens één leerling voor de brief."])
        with self._sessions() as session:
            school = school_header(session)
        docs = []
        for addressee in addressees:
            values = values_for(
                addressee,
                meeting,
                school.name,
                school.coordinator_name,
                school.coordinator_phone or school.phone,
                school.coordinator_email or school.email,
                today,
            )
            docs.append(
                LetterDoc(
                    school,
                    recipient_line(addressee),
                    addressee.name,
                    fill(text.subject, values),
                    fill(text.body, values),
                    today,
                )
            )
        stream = io.BytesIO()
        render_letters(docs, stream, kind.label)
        return stream.getvalue()

    def write_letters(
        self,
        kind: LetterKind,
        pupil_ids: Sequence[int],
        meeting: Meeting,
        today: date,
        path: Path,
        text: LetterText | None = None,
    ) -> int:
        """The batch as one PDF file at `path`; returns how many letters it holds."""
        pdf = self.letters(kind, pupil_ids, meeting, today, text)

        def write(stream: IO[bytes]) -> None:
            stream.write(pdf)

        write_atomically(path, write)
        return len(self.addressees(pupil_ids, today))
