"""Het herstelblad: the recovery passphrase on paper, to keep in a safe place (a safe, the
school office's locked cabinet), never beside the laptop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from uitstroom.documents.base import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    Letterhead,
    dutch_date,
    para,
    render,
    styles,
)


@dataclass(frozen=True)
class RecoverySheet:
    school_name: str
    database_location: str
    database_id: str
    passphrase: str
    made_on: date
    made_by: str


def render_recovery_sheet(sheet: RecoverySheet, stream: IO[bytes]) -> None:
    st = styles()
    passphrase = Table(
        [[para(sheet.passphrase, "Titel")]],
        colWidths=[CONTENT_WIDTH],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, st["Titel"].textColor),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        ),
    )
    facts = Table(
        [
            [para("Database", "Label"), para(sheet.database_location, "Cel")],
            [para("Kenmerk", "Label"), para(sheet.database_id, "Cel")],
            [para("Gemaakt op", "Label"), para(dutch_date(sheet.made_on), "Cel")],
            [para("Door", "Label"), para(sheet.made_by, "Cel")],
        ],
        colWidths=[35 * mm, CONTENT_WIDTH - 35 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), FONT),
                ("FONT", (0, 0), (0, -1), FONT_BOLD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
    story = [
        para("Herstelblad voor de Uitstroom-database", "Titel"),
        para(sheet.school_name, "Ondertitel"),
        para(
            "De leerlinggegevens in Uitstroom zijn versleuteld. Normaal opent de computer ze "
            "zonder dat u iets hoeft te doen. Na het vergrendelen typt u uw eigen "
            "dagwachtwoord; dit blad is daar niet voor nodig. Dit herstelwachtwoord is de weg "
            "terug: op een nieuwe laptop, na een reparatie, bij het terugzetten van een "
            "back-up, of als u uw dagwachtwoord vergeten bent."
        ),
        Spacer(1, 4 * mm),
        para("Het herstelwachtwoord", "Kop1"),
        passphrase,
        Spacer(1, 2 * mm),
        para("Let op hoofdletters, spaties en leestekens.", "Klein"),
        para("Bewaar dit blad goed", "Kop1"),
        para(
            "• Leg het in een kluis of een afgesloten kast van de school, niet bij de laptop.\n"
            "• Maak er geen foto of kopie van en bewaar het niet als bestand op deze computer.\n"
            "• Wie dit blad én de laptop heeft, kan de leerlinggegevens lezen.\n"
            "• Is het wachtwoord gewijzigd? Vernietig dan dit blad en bewaar het nieuwe."
        ),
        para("Over deze database", "Kop1"),
        facts,
    ]
    render(
        stream,
        Letterhead(sheet.school_name or "Uitstroom", "Herstelblad — vertrouwelijk"),
        story,
        title="Herstelblad Uitstroom",
    )
