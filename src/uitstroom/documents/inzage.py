"""Het inzage-overzicht: everything the school holds about one pupil, for the pupil and the
parents (AVG article 15), in words a parent understands at the kitchen table.

Long texts are paragraphs, never table cells, so they flow across pages; the few tables hold
short values and may split inside a row. Empty fields are left out (the JSON beside it has
every field).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import IO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from uitstroom.documents.base import (
    CONTENT_WIDTH,
    MUTED,
    Letterhead,
    dutch_date,
    grid_table,
    para,
    render,
)
from uitstroom.documents.inzage_data import Inzage, InzagePart
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.enums import JaNeeOnbekend, Route, TimelineKind
from uitstroom.domain.handover import contact_lines
from uitstroom.domain.importing import ImportField
from uitstroom.domain.model import Guardian, SchoolSettings, Stage

LABEL_WIDTH = 52 * mm
# Room a heading needs below it on a page, or it moves to the next one with its text.
SECTION_ROOM = 45 * mm
ENTRY_ROOM = 16 * mm


# What each line of the audit trail means, in a parent's words.
ACTION_WORDS: dict[AuditAction, str] = {
    AuditAction.VIEWED_SUPPORT: "Bekeken, met de ondersteuning en de notities",
    AuditAction.EDITED: "Gegevens veranderd",
    AuditAction.CREATED: "In Uitstroom gezet",
    AuditAction.IMPORTED: "Overgenomen uit de leerlingadministratie",
    AuditAction.EXPORTED: "In een lijst gezet (export)",
    AuditAction.DOCUMENT: "Document gemaakt",
    AuditAction.HANDOVER: "Doorgegeven aan de volgende school of plek",
    AuditAction.PURGED: "Gewist: de bewaartermijn was voorbij",
    AuditAction.ERASED: "Gewist op verzoek",
    AuditAction.INZAGE: "Dit overzicht gemaakt",
}
DETAIL_WORDS = {"detailweergave": "op het scherm", "velden: ": "veranderd: "}


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def render_inzage(data: Inzage, stream: IO[bytes]) -> None:
    pupil = data.record.pupil
    school = data.school.name or "de school"
    story: list[Flowable] = [
        para(f"Inzage: de gegevens van {pupil.name}", "Titel"),
        para(f"{school} · gemaakt op {dutch_date(data.made_at.date())}", "Ondertitel"),
        para(
            f"In dit overzicht staat alles wat {school} over {pupil.roepnaam} bewaart in "
            "Uitstroom. Dat is het programma waarmee de school de overstap na school "
            "begeleidt: stages, de keuze voor werk, een opleiding of dagbesteding, en de "
            "contacten in de jaren daarna (nazorg). Vakjes die leeg zijn, staan er niet in. "
            f"{_contact_sentence(data.school)}",
            "Kader",
        ),
    ]
    story += _about(data)
    story += _guardians(pupil.guardians)
    story += _school_and_diploma(data)
    story += _support(data)
    story += _route(data)
    story += _stages(data.record.stages)
    for part in data.parts:
        story += _part(part)
    story += _timeline(data)
    story += _log(data)
    story += _imported(data.imported_values)
    story += _how_long(data)
    story += _rights(data)
    render(
        stream,
        Letterhead(
            school,
            f"Inzage — {pupil.name} — vertrouwelijk",
            data.school.logo_png,
            contact_lines(
                data.school.address, data.school.phone, data.school.email, data.school.website
            ),
        ),
        story,
        title=f"Inzage {pupil.name}",
        subject="Alle gegevens van één leerling in Uitstroom (inzage, AVG artikel 15)",
    )


# --- sections --------------------------------------------------------------------------------


def _about(data: Inzage) -> list[Flowable]:
    pupil = data.record.pupil
    rows = [
        ("Leerlingnummer", pupil.leerlingnummer),
        ("Roepnaam", pupil.roepnaam),
        ("Tussenvoegsel", pupil.tussenvoegsel),
        ("Achternaam", pupil.achternaam),
        ("Geboortedatum", dutch_date(pupil.geboortedatum)),
        ("Klas", pupil.klas),
        ("Mentor", pupil.mentor),
        ("Woonplaats", pupil.woongemeente),
        ("Telefoon", pupil.telefoon),
        ("E-mail", pupil.email),
        ("Schooljaar (laatste jaar)", pupil.cohort_label),
        ("In het archief", yes_no(pupil.archived)),
        ("In Uitstroom sinds", _moment(data.created_at)),
        ("Laatst veranderd", _moment(data.updated_at)),
    ]
    return [*_heading(f"Over {pupil.roepnaam}"), _fields(rows)]


def _guardians(guardians: Sequence[Guardian]) -> list[Flowable]:
    story: list[Flowable] = _heading("Ouders en verzorgers")
    if not guardians:
        return [*story, para("Er staan geen ouders of verzorgers in.")]
    for number, guardian in enumerate(guardians, start=1):
        title = (
            guardian.relation.capitalize() if guardian.relation else f"Ouder of verzorger {number}"
        )
        story.append(
            KeepTogether(
                [
                    para(title, "Kop2"),
                    _fields(
                        [
                            ("Naam", guardian.name),
                            ("Relatie", guardian.relation),
                            ("Telefoon", guardian.phone),
                            ("E-mail", guardian.email),
                        ]
                    ),
                ]
            )
        )
    return story


def _school_and_diploma(data: Inzage) -> list[Flowable]:
    pupil = data.record.pupil
    kwalificatie = {
        JaNeeOnbekend.JA: "ja",
        JaNeeOnbekend.NEE: "nee",
        JaNeeOnbekend.ONBEKEND: "nog niet bekend",
    }[pupil.startkwalificatie]
    rows = [
        ("Uitstroomprofiel", pupil.uitstroomprofiel.label if pupil.uitstroomprofiel else ""),
        ("Opleiding", pupil.mbo_opleiding),
        ("Crebonummer", pupil.mbo_crebo),
        ("Niveau", pupil.mbo_niveau.label if pupil.mbo_niveau else ""),
        ("Leerweg", pupil.mbo_leerweg.label if pupil.mbo_leerweg else ""),
        ("Startkwalificatie", kwalificatie),
    ]
    return [
        *_heading("Het doel van het laatste schooljaar"),
        para(
            "Het uitstroomprofiel zegt waar de school naartoe werkt: werk, verder leren of "
            "dagbesteding. Een startkwalificatie is een diploma op mbo-niveau 2 of hoger, "
            "havo of vwo.",
            "Klein",
        ),
        _fields(rows),
    ]


def _support(data: Inzage) -> list[Flowable]:
    pupil = data.record.pupil
    text = pupil.ondersteuningsbehoefte.strip()
    return [
        *_heading(f"Wat {pupil.roepnaam} nodig heeft (ondersteuning)"),
        para(text) if text else para("Hier is niets over opgeschreven."),
    ]


def _route(data: Inzage) -> list[Flowable]:
    route = data.record.pupil.route
    rows = [
        ("Route", route.route.label),
        ("Mbo-school", route.mbo_instelling),
        ("Opleiding", route.opleiding),
        ("Niveau", route.niveau.label if route.niveau else ""),
        ("Leerweg", route.leerweg.label if route.leerweg else ""),
        ("Aanmelding", route.aanmeldstatus.label if route.route is Route.DOORLEREN else ""),
        ("Aangemeld op", dutch_date(route.aanmelddatum)),
        ("Werkgever", route.werkgever),
        ("Functie", route.functie),
        ("Soort contract", route.contract.label if route.route is Route.ARBEID else ""),
        ("Hulp bij werk", ", ".join(sorted(i.label for i in route.instrumenten))),
        ("Dagbesteding bij", route.aanbieder),
    ]
    story: list[Flowable] = [*_heading("De route na school"), _fields(rows)]
    if route.toelichting.strip():
        story += [*_heading("Toelichting", "Kop2", ENTRY_ROOM), para(route.toelichting.strip())]
    history = data.record.route_history
    if history:
        story += _heading("Veranderingen in de route", "Kop2", ENTRY_ROOM)
        for change in history:
            line = (
                f"{dutch_date(change.changed_on)}: van ‘{change.old_route.label}’ naar "
                f"‘{change.new_route.label}’"
            )
            if change.changed_by:
                line += f" (door {change.changed_by})"
            story += [CondPageBreak(ENTRY_ROOM), para(line + ".")]
            if change.reason.strip():
                story.append(para(f"Waarom: {change.reason.strip()}"))
    return story


def _stages(stages: Sequence[Stage]) -> list[Flowable]:
    story: list[Flowable] = _heading("Stages")
    if not stages:
        return [*story, para("Er staan geen stages in.")]
    for stage in stages:
        period = " tot en met ".join(
            part for part in (dutch_date(stage.start), dutch_date(stage.end)) if part
        )
        rows = [
            ("Contactpersoon", stage.contactpersoon),
            ("Telefoon", stage.contact_telefoon),
            ("E-mail", stage.contact_email),
            ("Periode", period),
            ("Dagen per week", "" if stage.dagen_per_week is None else str(stage.dagen_per_week)),
            ("Erkend leerbedrijf (SBB)", stage.sbb_erkend.label.lower()),
            ("Kan het werk of een leerbaan worden?", stage.perspectief.label),
            ("Wat er geleerd is", stage.geleerd),
        ]
        block: list[Flowable] = [para(stage.leerbedrijf, "Kop2"), _fields(rows)]
        story += [CondPageBreak(SECTION_ROOM), KeepTogether(block)]
        if stage.toelichting.strip():
            story += [
                Spacer(1, 2 * mm),
                *_heading("Toelichting", "Label", ENTRY_ROOM),
                para(stage.toelichting.strip()),
            ]
    return story


def _timeline(data: Inzage) -> list[Flowable]:
    entries = sorted(data.record.timeline, key=lambda t: (t.at, t.id or 0))
    story: list[Flowable] = [
        *_heading("Notities en gebeurtenissen"),
        para(
            "Een notitie schrijft de begeleider zelf op, bijvoorbeeld na een gesprek. Een "
            "gebeurtenis schrijft Uitstroom zelf op, bijvoorbeeld als gegevens veranderen.",
            "Klein",
        ),
    ]
    if not entries:
        return [*story, para("Er staan geen notities in.")]
    for entry in entries:
        kind = "Notitie" if entry.kind is TimelineKind.NOTITIE else "Gebeurtenis"
        head = f"{dutch_date(entry.at.date())}, {entry.at:%H:%M} · {kind}"
        if entry.author:
            head += f" · {entry.author}"
        story += [Spacer(1, 2 * mm), *_heading(head, "Label", ENTRY_ROOM), para(entry.text)]
    return story


def _log(data: Inzage) -> list[Flowable]:
    roepnaam = data.record.pupil.roepnaam
    story: list[Flowable] = [
        *_heading("Wie de gegevens heeft bekeken of veranderd"),
        para(
            f"Uitstroom houdt zelf bij wie de gegevens van {roepnaam} bekijkt of verandert. "
            "Niemand kan een regel in dit logboek ongemerkt veranderen of weghalen. Bekijken "
            "staat er hooguit één keer per tien minuten in.",
            "Klein",
        ),
    ]
    if not data.audit:
        return [*story, para("Er staan nog geen regels in.")]
    rows: list[list[Flowable]] = [
        [para(text, "Label") for text in ("Wanneer", "Wie", "Wat")],
    ]
    for entry in data.audit:
        what = ACTION_WORDS.get(entry.action, entry.action.label)
        detail = _detail_words(entry.detail)
        rows.append(
            [
                para(f"{dutch_date(entry.at.date())}\n{entry.at:%H:%M}", "Cel"),
                para(f"{entry.actor}\n(login: {entry.os_user})", "Cel"),
                para(f"{what}\n{detail}" if detail else what, "Cel"),
            ]
        )
    widths = [38 * mm, 48 * mm, CONTENT_WIDTH - 86 * mm]
    story.append(grid_table(rows, widths, header=True, header_text=MUTED))
    return story


def _imported(values: Mapping[str, str]) -> list[Flowable]:
    labels = {f.value: f.label for f in ImportField}
    rows = [(labels.get(key, key), value) for key, value in values.items() if value]
    if not rows:
        return []
    return [
        *_heading("Zo stond het in de leerlingadministratie"),
        para(
            "Bij de laatste keer dat de school gegevens overnam uit de leerlingadministratie "
            "(zoals Magister of Somtoday), stonden deze gegevens daar. Uitstroom bewaart ze "
            "om te zien wat de school daarna zelf heeft veranderd.",
            "Klein",
        ),
        _fields(rows),
    ]


def _how_long(data: Inzage) -> list[Flowable]:
    story: list[Flowable] = _heading("Hoe lang de school dit bewaart")
    roepnaam = data.record.pupil.roepnaam
    if data.nazorg_until:
        story.append(
            para(
                f"Na school houdt de school nog contact met {roepnaam} om te zien hoe het "
                f"gaat (nazorg). Dat duurt tot en met {dutch_date(data.nazorg_until)}. "
                "Daarna bewaart de school de gegevens nog een tijd:"
            )
        )
    lines = [
        f"• {kept.what}: tot en met {dutch_date(kept.until)}."
        if kept.until
        else f"• {kept.what}: tot de school deze gegevens niet meer nodig heeft."
        for kept in data.kept_until
    ]
    if lines:
        story.append(para("\n".join(lines)))
    story.append(
        para(
            "Daarna wist Uitstroom deze gegevens. Er blijven alleen tellingen over zonder "
            "naam, zoals hoeveel leerlingen van een schooljaar naar werk gingen. Ook in de "
            "reservekopieën (back-ups) zijn de gegevens een paar weken later verdwenen."
        )
    )
    # Short sections read as one piece: on one page.
    return [KeepTogether(story)]


def _rights(data: Inzage) -> list[Flowable]:
    section = [
        *_heading("Uw rechten"),
        para(
            "• U mag altijd vragen welke gegevens de school bewaart. Dat is dit overzicht.\n"
            "• Klopt er iets niet of mist er iets? Vraag de school dan om het te verbeteren "
            "of aan te vullen.\n"
            "• U mag vragen om gegevens te wissen. De school kijkt dan of dat kan. Sommige "
            "gegevens heeft de school nodig zolang zij de leerling begeleidt.\n"
            "• Bent u het niet eens met hoe de school met de gegevens omgaat? Praat er eerst "
            "over met de school. U kunt ook een klacht indienen bij de Autoriteit "
            "Persoonsgegevens."
        ),
        para(_contact_sentence(data.school)),
        Spacer(1, 4 * mm),
        para(
            f"Gemaakt op {dutch_date(data.made_at.date())} om {data.made_at:%H:%M} door "
            f"{data.made_by}. Bij dit overzicht hoort een bestand met dezelfde gegevens voor "
            "de computer (JSON).",
            "Klein",
        ),
    ]
    return [KeepTogether(section)]


# --- helpers ---------------------------------------------------------------------------------


def _part(part: InzagePart) -> list[Flowable]:
    story: list[Flowable] = _heading(part.heading)
    if not part.blocks:
        return [*story, para(part.empty)]
    for block in part.blocks:
        if block.title:
            story += _heading(block.title, "Kop2", ENTRY_ROOM)
        filled = [(label, text) for label, text in block.fields if text.strip()]
        if not filled:
            story.append(para("Hier is niets ingevuld."))
        for label, text in filled:
            # Long texts flow as paragraphs across pages, never as table cells.
            story += [*_heading(label, "Label", ENTRY_ROOM), para(text.strip())]
        story.append(Spacer(1, 2 * mm))
    return story


def _heading(text: str, style: str = "Kop1", room: float = SECTION_ROOM) -> list[Flowable]:
    """A heading that never ends a page. Not through keepWithNext: that would push a long
    text after it whole onto the next page and leave a page half empty."""
    heading = para(text, style)
    heading.keepWithNext = 0
    return [CondPageBreak(room), heading]


def _contact_sentence(school: SchoolSettings) -> str:
    ways = ", ".join(part for part in (school.coordinator_phone, school.coordinator_email) if part)
    who = school.coordinator_name or "de school"
    if school.coordinator_name and ways:
        return f"Vragen? Neem contact op met {who}: {ways}."
    if school.coordinator_name:
        return f"Vragen? Neem contact op met {who}."
    return "Vragen? Neem contact op met de school."


def _detail_words(detail: str) -> str:
    for technical, plain in DETAIL_WORDS.items():
        detail = detail.replace(technical, plain)
    return detail


def _moment(moment: datetime | None) -> str:
    return "" if moment is None else f"{dutch_date(moment.date())}, {moment:%H:%M}"


def _fields(rows: Sequence[tuple[str, str]]) -> Flowable:
    """Label and value in two columns; empty values are left out."""
    filled = [[para(label, "Label"), para(value, "Cel")] for label, value in rows if value]
    if not filled:
        return para("Hier is niets ingevuld.")
    return grid_table(filled, [LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH])
