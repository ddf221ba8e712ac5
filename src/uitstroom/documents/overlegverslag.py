"""Het verslag of an uitstroomoverleg: who was there, and per pupil what was decided, who
follows up and by when; short, to send to the gemeente and keep in the file."""

from __future__ import annotations

from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from uitstroom.documents import base
from uitstroom.documents.base import (
    CONTENT_WIDTH,
    Letterhead,
    dutch_date,
    grid_table,
    heading,
    para,
)
from uitstroom.domain.overleg import NO_CONSENT, Verslag

TITLE = "Verslag uitstroomoverleg"


def render(verslag: Verslag, stream: IO[bytes]) -> None:
    base.render(
        stream,
        Letterhead.for_school(verslag.school, f"{TITLE} — {verslag.gemeente}"),
        story(verslag),
        title=f"{TITLE} {verslag.gemeente} {verslag.held_on.isoformat()}",
        subject="Wat er in het uitstroomoverleg met de gemeente is afgesproken",
    )


def story(verslag: Verslag) -> list[Flowable]:
    flow: list[Flowable] = [
        para(f"{TITLE} met {verslag.gemeente}", "Titel"),
        para(f"{verslag.school.name} · {dutch_date(verslag.held_on)}", "Ondertitel"),
    ]
    if verslag.present:
        flow.append(para(f"Aanwezig: {verslag.present}"))
    flow += heading("Afspraken")
    if verslag.lines:
        rows: list[list[Flowable]] = [
            [para(text, "Label") for text in ("Leerling", "Afspraak", "Wie", "Wanneer")]
        ]
        for line in verslag.lines:
            what = ": ".join(part for part in (line.instrument, line.what) if part)
            rows.append(
                [
                    para(f"{line.name}\n{line.klas}", "Cel"),
                    para(what, "Cel"),
                    para(line.who, "Cel"),
                    para(dutch_date(line.due) or "—", "Cel"),
                ]
            )
        widths = [42 * mm, CONTENT_WIDTH - 104 * mm, 30 * mm, 32 * mm]
        flow.append(grid_table(rows, widths, header=True))
    else:
        flow.append(para("Er zijn geen afspraken vastgelegd."))
    notes = []
    if verslag.not_decided:
        notes.append(
            f"{verslag.not_decided} van de leerlingen op de bespreeklijst "
            f"{'heeft' if verslag.not_decided == 1 else 'hebben'} nog geen afspraak."
        )
    if verslag.unnamed:
        notes.append(f"{verslag.unnamed} zonder naam besproken ({NO_CONSENT}).")
    if notes:
        flow += heading("Verder", room=20 * mm)
        flow += [para(note) for note in notes]
    flow.append(
        para(
            "Elke afspraak staat ook in het transitieplan van de leerling en als taak in de "
            f"checklist. Gemaakt op {dutch_date(verslag.made_on)}.",
            "Klein",
        )
    )
    return flow
