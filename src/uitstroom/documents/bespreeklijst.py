"""De bespreeklijst for the uitstroomoverleg with a gemeente: one row per named pupil (klas,
profiel, route, stage and leerbedrijf, instruments proposed, contact person at the gemeente,
the open question), landscape so the row reads across; the pupils without a basis to share
are only counted."""

from __future__ import annotations

from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from uitstroom.documents import base
from uitstroom.documents.base import (
    LANDSCAPE_WIDTH,
    Letterhead,
    dutch_date,
    grid_table,
    heading,
    para,
)
from uitstroom.domain.overleg import NO_CONSENT, Bespreeklijst

TITLE = "Bespreeklijst uitstroomoverleg"
HEADERS = (
    "Leerling",
    "Klas",
    "Profiel",
    "Route",
    "Stage en leerbedrijf",
    "Voorgestelde instrumenten",
    "Contact gemeente",
    "Open vraag",
)
WIDTHS_MM = (38, 17, 22, 36, 38, 38, 28)


def render(lijst: Bespreeklijst, stream: IO[bytes]) -> None:
    base.render(
        stream,
        Letterhead.for_school(lijst.school, f"{TITLE} — {lijst.gemeente}"),
        story(lijst),
        title=f"{TITLE} {lijst.gemeente}",
        subject="Leerlingen met profiel werk, te bespreken met de gemeente",
        landscape=True,
    )


def story(lijst: Bespreeklijst) -> list[Flowable]:
    when = (
        f"overleg op {dutch_date(lijst.held_on)}"
        if lijst.held_on
        else f"gemaakt op {dutch_date(lijst.made_on)}"
    )
    flow: list[Flowable] = [
        para(f"{TITLE} met {lijst.gemeente}", "Titel"),
        para(f"{lijst.school.name} · {when}", "Ondertitel"),
    ]
    if lijst.contacts:
        flow.append(para(f"Bij de gemeente: {'; '.join(lijst.contacts)}."))
    flow.append(
        para(
            "Op deze lijst staan de leerlingen met profiel werk die bij deze gemeente wonen en "
            "die toestemming gaven om hun gegevens met de gemeente te delen (of waarvoor een "
            "wettelijke grond is vastgelegd). Vertrouwelijk: neem de lijst na het overleg mee "
            "terug.",
            "Klein",
        )
    )
    widths = [w * mm for w in WIDTHS_MM]
    widths.append(LANDSCAPE_WIDTH - sum(widths))
    rows: list[list[Flowable]] = [[para(h, "Label") for h in HEADERS]]
    for row in lijst.rows:
        rows.append(
            [
                para(row.name, "Cel"),
                para(row.klas, "Cel"),
                para(row.profiel or "—", "Cel"),
                para(row.route, "Cel"),
                para(row.stage or "geen stage", "Cel"),
                para("\n".join(i.label for i in row.instruments) or "nog geen", "Cel"),
                para(row.contact or "—", "Cel"),
                para(row.question, "Cel"),
            ]
        )
    if lijst.rows:
        flow.append(grid_table(rows, widths, header=True))
    else:
        flow.append(para("Er zijn geen leerlingen om met naam te bespreken."))
    flow += heading("Zonder naam", room=20 * mm)
    count = lijst.unnamed
    flow.append(
        para(
            f"{count} {'leerling' if count == 1 else 'leerlingen'} — {NO_CONSENT}."
            if count
            else "Voor alle leerlingen met profiel werk is er toestemming om met naam te bespreken."
        )
    )
    return flow
