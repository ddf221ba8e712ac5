"""De overdracht: the Paspoort voor Succes as handed to one receiver (mbo, gemeente, werkgever,
jobcoach, Doorstroompunt). It holds only the parts that receiver may see (`doc.sections`, from
the consent register), says on whose consent, and says that parts were left out without
naming what they are about: even a heading can tell too much.
"""

from __future__ import annotations

from typing import IO

from reportlab.platypus import Flowable

from uitstroom.documents import base, paspoort
from uitstroom.documents.base import Letterhead, dutch_date, para
from uitstroom.domain.handover import PaspoortDoc, Section

TITLE = "Overdracht"


def render(doc: PaspoortDoc, stream: IO[bytes]) -> None:
    base.render(
        stream,
        letterhead(doc),
        story(doc),
        title=f"{TITLE} {doc.pupil.name}",
        subject=f"Paspoort voor Succes, voor: {doc.receiver}",
    )


def letterhead(doc: PaspoortDoc) -> Letterhead:
    return Letterhead(
        doc.school.name, f"{TITLE} — {doc.pupil.name} — vertrouwelijk", doc.school.logo_png
    )


def story(doc: PaspoortDoc) -> list[Flowable]:
    school = doc.school.name or "De school"
    receiver = doc.receiver or "de volgende school of werkplek"
    words = [
        f"{school} geeft deze informatie over {doc.pupil.name} aan u door voor een warme "
        "overstap. Het is het Paspoort voor Succes: de leerling heeft het samen met ouders "
        "en school geschreven.",
        f"{doc.consent_line}."
        if doc.consent_line and not doc.consent_line.endswith(".")
        else doc.consent_line,
        left_out_line(doc),
        "Gebruik deze informatie alleen voor de begeleiding van de leerling en geef haar niet "
        "aan anderen door.",
    ]
    return [
        para(f"{TITLE}: Paspoort voor Succes van {doc.pupil.name}", "Titel"),
        para(f"Voor: {receiver}", "Kop2"),
        para(f"{doc.school.name} · {dutch_date(doc.made_on)}", "Ondertitel"),
        para(" ".join(line for line in words if line), "Kader"),
        *paspoort.body(doc),
    ]


def left_out_line(doc: PaspoortDoc) -> str:
    """Says that parts are missing and why, but never which: their names alone (say, support
    needs) would tell the receiver something the pupil did not agree to share."""
    if set(doc.sections) >= set(Section):
        return ""
    return (
        "Niet alle delen van het paspoort staan hierin. Voor de delen die ontbreken, is geen "
        "toestemming gegeven om ze met u te delen."
    )
