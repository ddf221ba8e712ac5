"""Het transitieplan: the plan for the pupil's last school year, printed for pupil and parents
to talk through and sign. Goals, who does what by when, who to call, and the signatures.

Long texts (goals, what an agreement is about) are paragraphs or split rows, so they wrap
across pages; the signature block is kept whole on one page.
"""

from __future__ import annotations

from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from uitstroom.documents import base
from uitstroom.documents.base import (
    CONTENT_WIDTH,
    ENTRY_ROOM,
    Letterhead,
    bullet,
    dutch_date,
    glossary,
    grid_table,
    heading,
    para,
    people_table,
    pupil_table,
    signature_table,
)
from uitstroom.domain.dates import dutch_date_with_weekday
from uitstroom.domain.handover import AgreementLine, TransitieplanDoc

TITLE = "Transitieplan"


def render(doc: TransitieplanDoc, stream: IO[bytes]) -> None:
    base.render(
        stream,
        letterhead(doc),
        story(doc),
        title=f"{TITLE} {doc.pupil.name}",
        subject="Het plan voor het laatste schooljaar: doelen, afspraken en contactpersonen",
    )


def letterhead(doc: TransitieplanDoc) -> Letterhead:
    return Letterhead.for_school(doc.school, f"{TITLE} — {doc.pupil.name}")


def story(doc: TransitieplanDoc) -> list[Flowable]:
    pupil = doc.pupil
    school = doc.school.name or "de school"
    flow: list[Flowable] = [
        para(f"{TITLE} van {pupil.name}", "Titel"),
        para(f"{school} · schooljaar {pupil.cohort} · {dutch_date(doc.made_on)}", "Ondertitel"),
        para(
            f"In dit plan staat wat {pupil.name} in het laatste schooljaar wil bereiken, wie "
            "wat doet en wanneer, en wie u kunt bellen. De leerling, de ouders of verzorgers "
            "en de school bespreken het plan samen en zetten er hun handtekening onder.",
            "Kader",
        ),
        *heading("Over de leerling"),
        pupil_table(pupil),
        *_goals(doc.goals),
        *_agreements(doc.agreements),
        *_contacts(doc),
        *_guardians(doc.guardians),
        *glossary(
            pupil.route,
            *doc.goals,
            *(line.what for line in doc.agreements),
            *(person.role for person in doc.contacts),
        ),
        _signatures(doc),
    ]
    return flow


def _goals(goals: tuple[str, ...]) -> list[Flowable]:
    flow = heading("Doelen voor het laatste schooljaar")
    filled = [goal.strip() for goal in goals if goal.strip()]
    if not filled:
        return [*flow, para("Er zijn nog geen doelen opgeschreven.")]
    return [*flow, *(bullet(goal) for goal in filled)]


def _agreements(agreements: tuple[AgreementLine, ...]) -> list[Flowable]:
    flow = [
        *heading("Afspraken: wie doet wat, en wanneer"),
    ]
    if not agreements:
        return [*flow, para("Er zijn nog geen afspraken gemaakt.")]
    rows: list[list[Flowable]] = [
        [para(text, "Label") for text in ("Wat", "Wie", "Wanneer", "Klaar")]
    ]
    for line in agreements:
        rows.append(
            [
                para(line.what, "Cel"),
                para(line.who, "Cel"),
                para(dutch_date_with_weekday(line.when) or "geen datum", "Cel"),
                para("ja" if line.done else "nog niet", "Cel"),
            ]
        )
    widths = [CONTENT_WIDTH - 88 * mm, 32 * mm, 36 * mm, 20 * mm]
    return [*flow, grid_table(rows, widths, header=True)]


def _contacts(doc: TransitieplanDoc) -> list[Flowable]:
    flow = heading("Contactpersonen")
    if not doc.contacts:
        return [*flow, para("Er staan nog geen contactpersonen in.")]
    return [
        *flow,
        para("Dit zijn de mensen die helpen bij de overstap na school.", "Klein"),
        people_table(doc.contacts),
    ]


def _guardians(guardians: tuple[str, ...]) -> list[Flowable]:
    names = [name for name in guardians if name.strip()]
    if not names:
        return []
    return [*heading("Ouders en verzorgers", room=ENTRY_ROOM + 10 * mm), *map(bullet, names)]


def _signatures(doc: TransitieplanDoc) -> Flowable:
    signers = [("Leerling", doc.pupil.name)]
    guardians = [name for name in doc.guardians if name.strip()] or [""]
    signers += [("Ouder of verzorger", name) for name in guardians]
    signers.append(("School", doc.school.coordinator_name))
    table = signature_table(signers)
    # One piece: a signature must never sit on another page than the words it signs for.
    return KeepTogether(
        [
            *heading("Handtekeningen", room=0),
            para(
                "Wij hebben dit plan samen besproken. Wij zijn het eens met de doelen en de "
                "afspraken. Verandert er iets? Dan passen we het plan samen aan."
            ),
            Spacer(1, 3 * mm),
            table,
        ]
    )
