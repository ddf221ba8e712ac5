"""Finished data objects for the plan, paspoort and overdracht PDFs: a pupil with short texts
as a coordinator types them, and one with very long texts, with names from many origins."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import IO, Any

from pypdf import PdfReader

from uitstroom.domain.handover import (
    AgreementLine,
    Credential,
    CredentialKind,
    PaspoortDoc,
    PersonLine,
    PupilHeader,
    SchoolHeader,
    Section,
    StageLine,
    TransitieplanDoc,
)

MADE = date(2027, 3, 3)
SCHOOL = SchoolHeader(
    name="Praktijkschool De Horizon",
    coordinator_name="Marloes Verbeek",
    coordinator_phone="030 123 45 67",
    coordinator_email="m.verbeek@dehorizon.nl",
)
PUPIL = PupilHeader(
    name="Zoë van der Meer-Çelik",
    birth=date(2009, 5, 14),
    klas="PRO4A",
    route="Doorleren: Entree, Assistent bouwen, wonen en onderhoud (ROC Midden)",
    cohort="2026-2027",
    woongemeente="Utrecht",
)
CONTACTS = (
    PersonLine("School", "Marloes Verbeek", "Praktijkschool De Horizon", "030 123 45 67",
               "m.verbeek@dehorizon.nl"),
    PersonLine("Mbo", "Nguyễn Thị Ánh", "ROC Midden, intake Entree", "030 765 43 21",
               "a.nguyen@rocmidden.nl"),
    PersonLine("Gemeente", "Kenji Ōtsuka", "Gemeente Utrecht, Werk en Inkomen", "14 030"),
    PersonLine("Werkgever", "Ayşe Yılmaz", "Bouwbedrijf Öztürk & Zn.", "",
               "ayse@ozturkbouw.nl"),
)  # fmt: skip
NAZORG = PersonLine(
    "Uitstroomcoördinator", "Marloes Verbeek", "Praktijkschool De Horizon", "030 123 45 67",
    "m.verbeek@dehorizon.nl",
)  # fmt: skip

SHORT_TEXTS = {
    Section.WIE: "Ik ben Zoë. Ik ben rustig en behulpzaam. In mijn vrije tijd voetbal ik.",
    Section.KAN: "Ik kan goed met gereedschap werken en ik ben altijd op tijd.",
    Section.WIL: "Ik wil timmerman worden en eerst de Entree-opleiding doen.",
    Section.NODIG: "Ik heb korte uitleg nodig, ook op papier. Eén vaste begeleider helpt mij.",
    Section.KEUZE: "Na twee stages in de bouw wist ik het zeker. Ik sprak erover met mijn "
    "moeder en mijn mentor.",
    Section.AANPAK: "Uitleg in kleine stappen en voordoen werkt goed.\n\n"
    "Een rustige werkplek en een koptelefoon helpen.",
    Section.ONDERSTEUNING: "Extra begeleiding bij plannen; dyslexie-verklaring aanwezig.",
}


def numbered(prefix: str, count: int) -> str:
    """Words that can each be found back in the PDF's text."""
    return " ".join(f"{prefix}{n:04d}" for n in range(count))


def long_text(prefix: str, paragraphs: int, words: int) -> str:
    """Real-looking paragraphs separated by blank lines; the words are numbered across them."""
    all_words = numbered(prefix, paragraphs * words).split()
    return "\n\n".join(" ".join(all_words[p * words : (p + 1) * words]) for p in range(paragraphs))


def transitieplan(**changes: object) -> TransitieplanDoc:
    doc = TransitieplanDoc(
        school=SCHOOL,
        pupil=PUPIL,
        goals=(
            "Zelf met de bus naar stage reizen.",
            "Aanmelden bij ROC Midden vóór 1 april.",
            "Het VCA-certificaat halen.",
        ),
        agreements=(
            AgreementLine("Aanmelden bij ROC Midden", "Leerling", date(2027, 4, 1), done=True),
            AgreementLine("Intakegesprek plannen", "Mbo", date(2027, 4, 15)),
            AgreementLine("Uitstroomoverleg met de gemeente", "School", date(2027, 1, 20)),
            AgreementLine("Identiteitskaart aanvragen", "Ouder/verzorger", None),
        ),
        contacts=CONTACTS,
        guardians=("Ayşe Çelik", "Johan van der Meer"),
        made_on=MADE,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def long_transitieplan() -> TransitieplanDoc:
    return transitieplan(
        pupil=replace(PUPIL, name="Nguyễn Thị Ánh Ōtsuka-Çelik"),
        goals=tuple(numbered(f"doel{n}x", 60) for n in range(12)),
        agreements=tuple(
            AgreementLine(
                numbered(f"afspraak{n}x", 8 if n % 5 else 90),
                "Ouder/verzorger" if n % 2 else "School",
                date(2027, 1 + n % 12, 1 + n),
                done=n % 3 == 0,
            )
            for n in range(28)
        ),
        contacts=CONTACTS * 4,
        guardians=("Ayşe Çelik", "Johan van der Meer", "Grootmoeder Fatma Çelik"),
    )


def paspoort(**changes: object) -> PaspoortDoc:
    doc = PaspoortDoc(
        school=SCHOOL,
        pupil=PUPIL,
        sections=tuple(Section),
        texts=dict(SHORT_TEXTS),
        stages=(
            StageLine(
                "Bouwbedrijf Öztürk & Zn.",
                date(2026, 9, 1),
                date(2027, 1, 29),
                "Kozijnen stellen, veilig werken op de steiger.",
            ),
            StageLine("Gamma Utrecht-Noord", date(2026, 2, 2), date(2026, 6, 26), ""),
        ),
        credentials=(
            Credential(CredentialKind.CERTIFICAAT, "VCA Basis", date(2027, 2, 10), "SSVV"),
            Credential(
                CredentialKind.PRAKTIJKVERKLARING,
                "Assistent bouw en infra",
                date(2027, 1, 29),
                "SBB",
            ),
        ),
        contacts=(
            PersonLine("Leerling", "Zoë van der Meer-Çelik", "", "06 12 34 56 78"),
            PersonLine("Moeder", "Ayşe Çelik", "", "06 98 76 54 32", "ayse.celik@example.nl"),
        ),
        nazorg_contact=NAZORG,
        made_on=MADE,
    )
    return replace(doc, **changes)  # type: ignore[arg-type]


def long_paspoort() -> PaspoortDoc:
    lists = {Section.STAGES, Section.DIPLOMAS, Section.CONTACT}
    texts = {s: long_text(s.value, 6, 90) for s in Section if s not in lists}
    # One paragraph longer than a page on its own: it must still flow, not be cut.
    texts[Section.WIE] = numbered("wie", 900)
    return paspoort(
        pupil=replace(PUPIL, name="Nguyễn Thị Ánh Ōtsuka-Çelik"),
        texts=texts,
        stages=tuple(
            StageLine(
                f"Leerbedrijf {n} Çağlayan",
                date(2025, 9, 1),
                date(2026, 1, 30),
                long_text(f"stage{n}x", 3, 70),
            )
            for n in range(5)
        ),
        credentials=tuple(
            Credential(CredentialKind.CERTIFICAAT, f"Certificaat {n}", date(2026, 6, n + 1), "SBB")
            for n in range(20)
        ),
    )


def overdracht(sections: tuple[Section, ...], **changes: object) -> PaspoortDoc:
    changes.setdefault("withheld", set(sections) != set(Section))
    return paspoort(
        sections=sections,
        receiver="Mbo-instelling: ROC Midden",
        consent_line="Toestemming van Zoë van der Meer-Çelik op 3 maart 2027",
        **changes,
    )


def pdf_of(render: Callable[[Any, IO[bytes]], None], doc: object) -> bytes:
    stream = io.BytesIO()
    render(doc, stream)
    return stream.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with line breaks as spaces: a title or a name may wrap."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def words_of(pdf: bytes) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text_of(pdf)))


def missing_words(pdf: bytes, text: str) -> list[str]:
    """The words of `text` that are not in the PDF: what a page break would have cut off."""
    found = words_of(pdf)
    return [word for word in text.split() if word not in found]
