"""Het Paspoort voor Succes: the pupil's own handover document, written with pupil and parents.
It speaks to the pupil ("je") and holds only the parts in `doc.sections`, in that order: a
part that is not there leaves no heading and no text behind (the overdracht relies on that).
"""

from __future__ import annotations

from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from uitstroom.documents import base
from uitstroom.documents.base import (
    CONTENT_WIDTH,
    ENTRY_ROOM,
    SECTION_ROOM,
    Letterhead,
    WritingLines,
    dutch_date,
    field_table,
    glossary,
    grid_table,
    heading,
    para,
    paragraphs,
    people_table,
    pupil_table,
)
from uitstroom.domain.handover import (
    GUIDING_QUESTIONS,
    Credential,
    PaspoortDoc,
    PersonLine,
    Section,
    StageLine,
)
from uitstroom.domain.plural import counted

TITLE = "Paspoort voor Succes"
EMPTY = "Hier is nog niets ingevuld. Schrijf het samen op de lijnen."
# Lines for an empty text part: room for a few sentences in handwriting.
WRITING_LINES = 6
WRITE_HERE_ROOM = 85 * mm


def render(doc: PaspoortDoc, stream: IO[bytes]) -> None:
    base.render(
        stream,
        letterhead(doc),
        story(doc),
        title=f"{TITLE} {doc.pupil.name}",
        subject="Wie je bent, wat je kunt, wat je wilt en wat je nodig hebt",
    )


def letterhead(doc: PaspoortDoc) -> Letterhead:
    return Letterhead.for_school(doc.school, f"{TITLE} — {doc.pupil.name}")


def story(doc: PaspoortDoc) -> list[Flowable]:
    """The whole Paspoort: title, a word to the pupil, then the parts."""
    school = doc.school.name or "school"
    return [
        para(f"{TITLE} van {doc.pupil.name}", "Titel"),
        para(f"{school} · {dutch_date(doc.made_on)}", "Ondertitel"),
        para(
            "Dit paspoort is van jou. Je hebt het samen met je ouders en school gemaakt. Er "
            "staat in wie je bent, wat je kunt, wat je wilt en wat je nodig hebt. Neem het mee "
            "naar je nieuwe school of je werk. Zo hoef je niet alles opnieuw te vertellen. Jij "
            "bepaalt wie het mag lezen.",
            "Kader",
        ),
        *body(doc),
        *glossary(
            doc.pupil.route,
            *(section.label for section in doc.sections),
            *doc.texts.values(),
            *(c.kind.label for c in doc.credentials),
            *(c.name for c in doc.credentials),
        ),
    ]


def body(doc: PaspoortDoc) -> list[Flowable]:
    """The pupil's details, the parts in `doc.sections` and the school's nazorg contact;
    shared with the overdracht, which puts its own title and words for the receiver above."""
    about = "Over de leerling" if doc.receiver else "Over jou"
    flow: list[Flowable] = [*heading(about), pupil_table(doc.pupil)]
    for section in doc.sections:
        part = _section(doc, section)
        # Lines to write on stay with their heading: room for all of them, or a new page.
        room = WRITE_HERE_ROOM if isinstance(part[-1], _WriteHere) else SECTION_ROOM
        flow += heading(section.label, room=room)
        flow += part
    flow += _nazorg(doc)
    return flow


def _section(doc: PaspoortDoc, section: Section) -> list[Flowable]:
    text = paragraphs(doc.texts.get(section, ""))
    if section is Section.STAGES:
        return [*text, *_stages(doc.stages)]
    if section is Section.DIPLOMAS:
        return [*text, *_credentials(doc.credentials)]
    if section is Section.CONTACT:
        return [*text, *_people(doc.contacts)]
    return text or write_here(EMPTY, GUIDING_QUESTIONS.get(section.value, ""))


def write_here(words: str, question: str = "", lines: int = WRITING_LINES) -> list[Flowable]:
    """An empty part on paper: what to do, the part's guiding question, and ruled lines to
    fill it in by hand; on one page together."""
    parts: list[Flowable] = [para(words)]
    if question:
        parts.append(para(question, "Klein"))
    return [_WriteHere([*parts, Spacer(1, 2 * mm), WritingLines(lines)])]


class _WriteHere(KeepTogether):
    """An empty part with its lines to write on, kept on one page."""


def _stages(stages: tuple[StageLine, ...]) -> list[Flowable]:
    if not stages:
        return write_here("Er staan nog geen stages in. Schrijf ze hier op.", lines=4)
    flow: list[Flowable] = []
    for stage in stages:
        period = " tot en met ".join(
            part for part in (dutch_date(stage.start), dutch_date(stage.end)) if part
        )
        flow += [
            CondPageBreak(ENTRY_ROOM + 12 * mm),
            KeepTogether(
                [para(stage.company, "Kop2"), para(period or "Periode onbekend", "Klein")]
            ),
        ]
        if stage.learned.strip():
            flow += [para("Wat je hebt geleerd", "Label"), *paragraphs(stage.learned)]
        flow.append(Spacer(1, 2 * mm))
    return flow


def _credentials(credentials: tuple[Credential, ...]) -> list[Flowable]:
    if not credentials:
        return write_here(
            "Er staan nog geen diploma's, certificaten of praktijkverklaringen in. Schrijf "
            "ze hier op.",
            lines=4,
        )
    rows: list[list[Flowable]] = [
        [para(text, "Label") for text in ("Soort", "Naam", "Datum", "Gegeven door")]
    ]
    for credential in credentials:
        rows.append(
            [
                para(credential.kind.label, "Cel"),
                para(credential.name, "Cel"),
                para(dutch_date(credential.issued_on) or "—", "Cel"),
                para(credential.issuer or "—", "Cel"),
            ]
        )
    widths = [38 * mm, CONTENT_WIDTH - 110 * mm, 36 * mm, 36 * mm]
    return [grid_table(rows, widths, header=True)]


def _people(people: tuple[PersonLine, ...]) -> list[Flowable]:
    if not people:
        return write_here("Er staan geen contactgegevens in. Schrijf ze hier op.", lines=4)
    return [people_table(people)]


def _nazorg(doc: PaspoortDoc) -> list[Flowable]:
    person = doc.nazorg_contact
    if person is None:
        return []
    school = doc.school.name or "school"
    years = (
        "een jaar"
        if doc.school.nazorg_years == 1
        else f"{counted(doc.school.nazorg_years, 'jaar', 'jaar')}"
    )
    years = years.replace("2 jaar", "twee jaar")
    if doc.receiver:
        words = (
            f"Na school houdt {school} nog {years} contact met {doc.pupil.name}. Dat heet "
            "nazorg. Hebt u vragen, of gaat het niet goed? Neem dan contact op met:"
        )
    else:
        words = (
            f"Na school houdt {school} nog {years} contact met je. Dat heet nazorg. We bellen "
            "of mailen je af en toe om te horen hoe het gaat. Heb je vragen, of gaat het niet "
            "goed? Neem dan contact op met:"
        )
    details = field_table(
        [
            ("Naam", person.name),
            ("Functie", person.role),
            ("School", person.organisation),
            ("Telefoon", person.phone),
            ("E-mail", person.email),
        ]
    )
    # Short: on one page with its heading.
    return [
        KeepTogether(
            [*heading("Contact met school na de overstap (nazorg)", room=0), para(words), details]
        )
    ]
