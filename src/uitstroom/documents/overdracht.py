"""De overdracht: the Paspoort voor Succes as handed to one receiver (mbo, gemeente, werkgever,
jobcoach, Doorstroompunt). It holds only the parts that receiver may see (`doc.sections`, from
the consent register), says on whose consent, and says that parts were left out without
naming what they are about: even a heading can tell too much.
"""

from __future__ import annotations

from typing import IO

from reportlab.platypus import Flowable

from uitstroom.documents import base, paspoort
from uitstroom.documents.base import Letterhead, dutch_date, field_table, para
from uitstroom.domain.handover import PaspoortDoc

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
    return Letterhead.for_school(doc.school, f"{TITLE} — {doc.pupil.name} — vertrouwelijk")


def story(doc: PaspoortDoc) -> list[Flowable]:
    school = doc.school.name or "De school"
    name = doc.pupil.name
    flow: list[Flowable] = [
        para(f"{TITLE} van {name}", "Titel"),
        para(f"Paspoort voor Succes · {school} · {dutch_date(doc.made_on)}", "Ondertitel"),
        field_table(
            [
                ("Voor", doc.receiver or "De volgende school of werkplek"),
                ("Toestemming", doc.consent_line),
            ]
        ),
        para(
            f"Dit is het Paspoort voor Succes van {name}. De leerling heeft het samen met "
            f"ouders en school geschreven. {school} geeft het aan u door, zodat de overstap "
            "goed verloopt. Gebruik deze informatie alleen om de leerling te begeleiden. Geef "
            "de informatie niet door aan anderen.",
            "Kader",
        ),
    ]
    left_out = left_out_line(doc)
    if left_out:
        flow.append(para(left_out, "Label"))
    return [*flow, *paspoort.body(doc)]


def left_out_line(doc: PaspoortDoc) -> str:
    """Says that parts are missing and why, but never which: their names alone (say, support
    needs) would tell the receiver something the pupil did not agree to share."""
    if not doc.withheld:
        return ""
    return (
        "Niet alle delen van het paspoort staan hierin. Voor de andere delen is geen "
        "toestemming gegeven om ze met u te delen."
    )
