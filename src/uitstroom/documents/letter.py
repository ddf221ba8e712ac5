"""A letter from the school, one per pupil; a batch prints as one PDF, each letter on its own
pages under the school's letterhead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from uitstroom.documents.base import Letterhead, dutch_date, para, paragraphs, render_many
from uitstroom.domain.handover import SchoolHeader


@dataclass(frozen=True)
class LetterDoc:
    school: SchoolHeader
    recipient: str  # "Aan de ouder(s) of verzorger(s) van Sam de Vries"
    pupil_name: str
    subject: str
    body: str  # filled in: no fields left
    made_on: date


def story(doc: LetterDoc) -> list[Flowable]:
    signer = doc.school.coordinator_name
    return [
        Spacer(0, 6 * mm),
        para(doc.recipient),
        Spacer(0, 8 * mm),
        para(dutch_date(doc.made_on), "Klein"),
        para(doc.subject, "Kop2"),
        Spacer(0, 3 * mm),
        *paragraphs(doc.body),
        Spacer(0, 6 * mm),
        para("Met vriendelijke groet,"),
        Spacer(0, 10 * mm),
        para(
            "\n".join(line for line in (signer, "Coördinator uitstroom", doc.school.name) if line)
        ),
    ]


def render_letters(letters: Sequence[LetterDoc], stream: IO[bytes], title: str) -> None:
    """All letters in one PDF, for printing: each starts on a new page and counts its own."""
    render_many(
        [
            (Letterhead.for_school(doc.school, f"Brief — {doc.pupil_name}"), story(doc))
            for doc in letters
        ],
        stream,
        title=title,
        subject="Brieven van de school",
    )
