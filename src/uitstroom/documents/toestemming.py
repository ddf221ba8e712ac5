"""Het toestemmingsformulier: on paper, for the pupil or a parent to tick which parts of the
Paspoort voor Succes the school may share with one receiver, and to sign. B1 words; the
signature block stays whole on one page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from uitstroom.documents import base
from uitstroom.documents.base import (
    CONTENT_WIDTH,
    Letterhead,
    bullet,
    dutch_date,
    field_table,
    grid_table,
    heading,
    para,
    signature_table,
)
from uitstroom.domain.consent_form import (
    CONSENT_RULES,
    SECTION_EXPLAINED,
    ConsentFormDoc,
    is_sensitive,
    receiver_words,
)
from uitstroom.domain.handover import Consenter, Section

TITLE = "Toestemmingsformulier"
BOX = "☐"  # an empty tick box (DejaVu Sans has it), to tick with a pen


def render(doc: ConsentFormDoc, stream: IO[bytes]) -> None:
    base.render(
        stream,
        letterhead(doc),
        story(doc),
        title=f"{TITLE} {doc.pupil.name}",
        subject=f"Toestemming om gegevens te delen met {receiver_words(doc.receiver, '')}",
    )


def render_batch(docs: Sequence[ConsentFormDoc], stream: IO[bytes]) -> None:
    """One PDF for printing a klas: every form starts on a new page and counts its own pages."""
    base.render_many(
        [(letterhead(doc), story(doc)) for doc in docs],
        stream,
        title=f"{TITLE}en",
        subject="Toestemming om gegevens te delen",
    )


def letterhead(doc: ConsentFormDoc) -> Letterhead:
    return Letterhead.for_school(doc.school, f"{TITLE} — {doc.pupil.name}")


def story(doc: ConsentFormDoc) -> list[Flowable]:
    pupil = doc.pupil
    school = doc.school.name or "de school"
    to = receiver_words(doc.receiver, doc.organisation)
    return [
        para("Toestemming om gegevens te delen", "Titel"),
        para(f"{school} · {pupil.name} · {dutch_date(doc.made_on)}", "Ondertitel"),
        para(
            f"De school helpt {pupil.name} bij de overstap na school. Daarvoor wil de school "
            f"informatie geven aan: {to}. Dat mag alleen als u daar toestemming voor geeft. "
            "Op dit formulier kiest u wat de school mag delen.",
            "Kader",
        ),
        field_table(
            [
                ("Leerling", pupil.name),
                ("Geboortedatum", dutch_date(pupil.birth)),
                ("Klas", pupil.klas),
                ("Ontvanger", to),
            ]
        ),
        *_sections(doc),
        *heading("Goed om te weten"),
        *(bullet(rule) for rule in CONSENT_RULES),
        _signatures(doc),
    ]


def _sections(doc: ConsentFormDoc) -> list[Flowable]:
    flow = [
        *heading("Wat mag de school delen?"),
        para("Zet een kruisje in het hokje bij elk deel dat de school mag delen.", "Klein"),
    ]
    rows: list[list[Flowable]] = []
    for section in Section:
        words = SECTION_EXPLAINED[section]
        if is_sensitive(section):
            words += " Let op: dit gaat over gezondheid of extra hulp."
        rows.append(
            [
                para(BOX, "Vakje"),
                [para(section.label, "Label"), para(words, "Cel")],
            ]
        )
    flow.append(grid_table(rows, [12 * mm, CONTENT_WIDTH - 12 * mm]))
    if doc.already:
        shared = ", ".join(s.label for s in Section if s in doc.already)
        flow.append(
            para(
                f"Eerder gaf u al toestemming voor: {shared}. Kruis die delen opnieuw aan als "
                "dat zo mag blijven.",
                "Klein",
            ),
        )
    return flow


def _signatures(doc: ConsentFormDoc) -> Flowable:
    pupil = doc.pupil
    if doc.signer is Consenter.LEERLING:
        who = f"{pupil.name} is 16 jaar of ouder en tekent zelf."
        signers = [("Leerling", pupil.name)]
    else:
        who = f"{pupil.name} is jonger dan 16. Een ouder of verzorger tekent."
        names = [name for name in doc.signer_names if name.strip()] or [""]
        signers = [("Ouder of verzorger", name) for name in names]
    table = signature_table(signers)
    back = doc.school.coordinator_name or "de uitstroomcoördinator"
    return KeepTogether(
        [
            *heading("Handtekening", room=0),
            para(who),
            para(
                "Ik heb dit formulier gelezen. Ik geef toestemming voor de delen met een kruisje."
            ),
            Spacer(1, 3 * mm),
            table,
            Spacer(1, 4 * mm),
            para(f"Geef dit formulier terug aan {back} op school.", "Klein"),
        ]
    )
