"""Cohort in cijfers: one page for the director. Counts in small tables side by side, each
with its share of the whole; the sector monitor as one table of the three peildata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from uitstroom.documents.base import (
    CONTENT_WIDTH,
    Letterhead,
    dutch_date,
    grid_table,
    para,
    render,
)
from uitstroom.domain.figures import MONITOR_YEARS, CohortFigures
from uitstroom.domain.handover import SchoolHeader
from uitstroom.domain.plural import counted

TITLE = "Cohort in cijfers"
HALF = (CONTENT_WIDTH - 8 * mm) / 2
MONITOR_HEADS = ("1 nov. na vertrek", "een jaar later", "twee jaar later")


@dataclass(frozen=True)
class FiguresDoc:
    school: SchoolHeader
    cohort: str
    made_on: date
    figures: CohortFigures


def share(count: int, total: int) -> str:
    return f"{round(100 * count / total)}%" if total else ""


def count_table(title: str, counts: Mapping[str, int], total: int) -> list[Flowable]:
    rows = [[para(title, "Label"), para("aantal", "Label"), para("", "Label")]]
    if not counts:
        rows.append([para("nog niets te tellen", "Cel"), para("", "Cel"), para("", "Cel")])
    for label, count in counts.items():
        rows.append([para(label, "Cel"), para(str(count), "Cel"), para(share(count, total), "Cel")])
    return [grid_table(rows, [HALF - 32 * mm, 18 * mm, 14 * mm], header=True)]


def side_by_side(left: list[Flowable], right: list[Flowable]) -> Table:
    table = Table([[left, right]], colWidths=[HALF + 8 * mm, HALF])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def monitor_table(figures: CohortFigures) -> Flowable:
    labels: list[str] = []
    for years in MONITOR_YEARS:
        labels += [label for label in figures.monitor[years] if label not in labels]
    first = CONTENT_WIDTH - 3 * 32 * mm
    rows = [[para("Waar op de peildatum", "Label"), *(para(h, "Label") for h in MONITOR_HEADS)]]

    def cell(years: int, label: str) -> str:
        # A peildatum that has not come for anyone is not a zero: it says 'nog niet'.
        counts = figures.monitor[years]
        return str(counts.get(label, 0)) if counts else "nog niet"

    for label in labels:
        rows.append([para(label, "Cel"), *(para(cell(y, label), "Cel") for y in MONITOR_YEARS)])
    rows.append(
        [
            para("Gemeten", "Label"),
            *(
                para(
                    str(sum(figures.monitor[y].values())) if figures.monitor[y] else "nog niet",
                    "Label",
                )
                for y in MONITOR_YEARS
            ),
        ]
    )
    return grid_table(rows, [first, 32 * mm, 32 * mm, 32 * mm], header=True)


def story(doc: FiguresDoc) -> list[Flowable]:
    figures = doc.figures
    registered = figures.registration
    school = doc.school.name
    flow: list[Flowable] = [
        para(f"{TITLE} {doc.cohort}", "Titel"),
        para(
            f"{school} · {counted(figures.pupils, 'leerling', 'leerlingen')} · stand van "
            f"{dutch_date(doc.made_on)}",
            "Ondertitel",
        ),
        side_by_side(
            count_table("Uitstroomprofiel", figures.by_profiel, figures.pupils),
            count_table("Route na school", figures.by_route, figures.pupils),
        ),
        side_by_side(
            count_table("Status checklist", figures.by_status, figures.pupils),
            count_table(
                f"Doorleren: aangemeld uiterlijk {dutch_date(figures.deadline)}",
                {
                    "Op tijd": registered.on_time,
                    "Te laat": registered.late,
                    "Niet aangemeld": registered.not_registered,
                },
                registered.total,
            ),
        ),
        side_by_side(
            count_table("Bestemming bij vertrek", figures.destinations, figures.leavers),
            [
                para(
                    f"{figures.leavers} van de {counted(figures.pupils, 'leerling', 'leerlingen')} zijn van school. "
                    "Op 1 april aangemeld telt als op tijd. De peildatum van de sectormonitor "
                    "is 1 november na het vertrek, en een en twee jaar later; een "
                    "nazorggesprek binnen twee maanden van die dag telt.",
                    "Klein",
                )
            ],
        ),
        Spacer(0, 2 * mm),
        para("Sectormonitor praktijkonderwijs: waar zijn de oud-leerlingen?", "Kop2"),
        monitor_table(figures),
    ]
    return flow


def render_figures(doc: FiguresDoc, stream: IO[bytes]) -> None:
    render(
        stream,
        Letterhead.for_school(doc.school, f"{TITLE} {doc.cohort}"),
        story(doc),
        title=f"{TITLE} {doc.cohort}",
        subject="De cijfers van één cohort, voor de directie",
    )
