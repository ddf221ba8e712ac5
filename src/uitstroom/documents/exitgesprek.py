"""The summary of the exitgesprek that the student takes home: what was said, what happens
now, and whom to call. Written for a young person in plain Dutch (B1): short sentences, "je",
no school jargon. The sentences about what happens next come finished in the data object; this
module only lays them out.
"""

from __future__ import annotations

from typing import IO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from uitstroom.documents import base
from uitstroom.documents.base import (
    Letterhead,
    bullet,
    dutch_date,
    field_table,
    heading,
    para,
    paragraphs,
    styles,
)
from uitstroom.domain.exit import ExitSummaryDoc

TITLE = "Je exitgesprek"
CONTACT_ROOM = 55 * mm  # the heading, a sentence and the box with three lines


def render(doc: ExitSummaryDoc, stream: IO[bytes]) -> None:
    base.render(
        stream,
        letterhead(doc),
        story(doc),
        title=f"{TITLE} — {doc.student_name}",
        subject="Wat we hebben besproken, wat er nu gebeurt en wie je kunt bellen",
    )


def letterhead(doc: ExitSummaryDoc) -> Letterhead:
    return Letterhead.for_school(doc.school, f"{TITLE} — {doc.student_name}")


def story(doc: ExitSummaryDoc) -> list[Flowable]:
    return [
        para(f"{TITLE}: {doc.student_name}", "Titel"),
        para(_subtitle(doc), "Ondertitel"),
        para(_welcome(doc), "Kader"),
        *_about(doc),
        *_discussed(doc),
        *_what_next(doc),
        *_whom_to_call(doc),
        Spacer(1, 6 * mm),
        para(_made(doc), "Klein"),
    ]


def _subtitle(doc: ExitSummaryDoc) -> str:
    school = doc.school.name or "School"
    held = dutch_date(doc.held_on)
    return f"{school} · gesprek op {held}" if held else school


def _welcome(doc: ExitSummaryDoc) -> str:
    who = f"met {doc.mentor}" if doc.mentor else "met je begeleider"
    when = f"Op {dutch_date(doc.held_on)} had je" if doc.held_on else "Je had"
    return (
        f"{when} een gesprek {who} over je vertrek van school. Op dit papier staat wat we "
        "hebben besproken en wat er nu gebeurt. Bewaar het goed. Klopt er iets niet? Zeg het "
        "ons dan."
    )


def _about(doc: ExitSummaryDoc) -> list[Flowable]:
    opleiding = doc.opleiding
    if opleiding and doc.crebo:
        opleiding = f"{opleiding} (crebo {doc.crebo})"
    level = ", ".join(part for part in (doc.niveau, doc.leerweg) if part)
    rows = [("Opleiding", opleiding), ("Niveau en leerweg", level)]
    return [field_table(rows)] if opleiding or level else []


def _block(label: str, flowables: list[Flowable]) -> list[Flowable]:
    """A question and its answer: never the question alone at the foot of a page."""
    head = para(label, "Kop2")
    head.keepWithNext = 0
    if len(flowables) == 1:
        return [KeepTogether([head, *flowables])]
    return [KeepTogether([head, flowables[0]]), *flowables[1:]]


def _discussed(doc: ExitSummaryDoc) -> list[Flowable]:
    flow = heading("Wat we hebben besproken")
    flow += _block(
        "Waarom je van school gaat",
        paragraphs(doc.reason_text) or [para("Dat hebben we niet opgeschreven.")],
    )
    flow += _block(
        "Wat je hierna gaat doen",
        paragraphs(doc.next_step_text) or [para("Dat weet je nog niet.")],
    )
    if doc.help_wanted:
        help_flow: list[Flowable] = [para("Je wilt hulp bij:")]
        help_flow += [bullet(label) for label in doc.help_wanted]
    else:
        help_flow = [para("Je hebt gezegd dat je nu geen hulp nodig hebt.")]
    flow += _block("Waar je hulp bij wilt", help_flow)
    if doc.contact_after:
        flow += _block(
            "Zo kunnen we je bereiken na school",
            [
                para(doc.contact_after),
                para("Krijg je een ander nummer of e-mailadres? Laat het ons weten."),
            ],
        )
    return flow


def next_sentences(doc: ExitSummaryDoc) -> list[str]:
    """The doc's own sentences; when it has none, what its answers say in plain words, so the
    page never stands empty and a refusal is always stated."""
    if doc.what_next:
        return list(doc.what_next)
    sentences = []
    if doc.nazorg_agreed:
        sentences.append(
            "Je wilt dat we contact houden. Het komende jaar bellen of mailen we je een paar "
            "keer om te horen hoe het gaat."
        )
    elif doc.nazorg_agreed is False:
        sentences.append(
            "Je wilt geen nazorggesprekken. Wij bellen je dus niet. Wil je later toch hulp? "
            "Bel ons dan gerust."
        )
    for receiver in doc.handover_receivers:
        sentences.append(
            f"Je vindt het goed dat we je gegevens doorgeven aan: {receiver}. Zij nemen "
            "contact met je op om je verder te helpen."
        )
    return sentences


def _what_next(doc: ExitSummaryDoc) -> list[Flowable]:
    sentences = next_sentences(doc)
    flow = heading("Wat gebeurt er nu?")
    if not sentences:
        return [*flow, para("Er zijn geen nieuwe afspraken gemaakt.")]
    return [*flow, *(bullet(sentence) for sentence in sentences)]


def _whom_to_call(doc: ExitSummaryDoc) -> list[Flowable]:
    """The school's contact in a box that stands out: the one thing to find back later."""
    school = doc.school
    lines = [
        f"<b>{escape(school.coordinator_name)}</b>" if school.coordinator_name else "",
        f"Telefoon: {escape(school.coordinator_phone)}" if school.coordinator_phone else "",
        f"E-mail: {escape(school.coordinator_email)}" if school.coordinator_email else "",
    ]
    lines = [line for line in lines if line]
    if not lines and doc.mentor:
        lines = [f"Vraag op school naar {escape(doc.mentor)}."]
    flow: list[Flowable] = [
        para("Vragen, of gaat het niet goed? Je mag altijd bellen of mailen, ook na school.")
    ]
    if lines:
        flow.append(Paragraph("<br/>".join(lines), styles()["Kader"]))
    # The whole part on one page: a phone number on the next page is easily lost.
    return [*heading("Wie kun je bellen?", room=CONTACT_ROOM), *flow]


def _made(doc: ExitSummaryDoc) -> str:
    parts = []
    if doc.held_on:
        with_whom = f" met {doc.mentor}" if doc.mentor else ""
        parts.append(f"Gesprek op {dutch_date(doc.held_on)}{with_whom}.")
    parts.append(f"Gemaakt op {dutch_date(doc.made_on)}.")
    return " ".join(parts)
