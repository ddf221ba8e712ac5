"""Letters from the school to parents (or to an mbo student): the kinds, their default texts
in plain language (B1) and how the fields in a text are filled per pupil.

A text holds fields between braces, such as {roepnaam} or {datum}; `fill` puts in the values
of one pupil. The school may change every text; `text_problems` says in Dutch what is wrong
with one before it is saved."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from uitstroom.domain.dates import dutch_date, dutch_weekday_date
from uitstroom.domain.enums import LabelledEnum


class LetterKind(LabelledEnum):
    TRANSITIEPLAN = "transitieplan", "Uitnodiging gesprek over het transitieplan"
    UITSTROOMOVERLEG = "uitstroomoverleg", "Uitnodiging uitstroomoverleg met de gemeente"
    EXITGESPREK = "exitgesprek", "Uitnodiging exitgesprek (mbo)"


# Field name -> what it holds, shown beside the text editor.
FIELDS: dict[str, str] = {
    "aanhef": "‘Beste ouder(s) of verzorger(s) van Sam’ of ‘Beste Sam’",
    "roepnaam": "de roepnaam van de leerling",
    "naam": "de hele naam van de leerling",
    "klas": "de klas",
    "mentor": "de mentor",
    "datum": "de dag van het gesprek, bijv. dinsdag 10 februari 2026",
    "tijd": "de tijd van het gesprek",
    "plaats": "waar het gesprek is",
    "school": "de naam van de school",
    "coordinator": "de naam van de coördinator",
    "telefoon": "het telefoonnummer van de coördinator",
    "email": "het e-mailadres van de coördinator",
    "antwoord_voor": "de dag waarvoor ze moeten laten weten of ze komen",
}


@dataclass(frozen=True)
class LetterText:
    subject: str
    body: str


DEFAULT_TEXTS: dict[LetterKind, LetterText] = {
    LetterKind.TRANSITIEPLAN: LetterText(
        "Uitnodiging: gesprek over de toekomst van {roepnaam}",
        "{aanhef},\n\n"
        "{roepnaam} zit in het laatste jaar op school. Na dit jaar gaat {roepnaam} werken "
        "of verder leren. Daarover willen we graag met u en {roepnaam} praten.\n\n"
        "In het gesprek maken we samen een plan: het transitieplan. Daarin staat wat "
        "{roepnaam} wil, wat {roepnaam} goed kan en wie wat doet, en wanneer.\n\n"
        "Wanneer: {datum} om {tijd}\n"
        "Waar: {plaats}\n\n"
        "Neem {roepnaam} mee naar het gesprek. Het gaat tenslotte over {roepnaam}.\n\n"
        "Wilt u vóór {antwoord_voor} laten weten of u kunt komen? Kunt u niet op deze dag? "
        "Bel of mail dan, dan zoeken we samen een andere dag. "
        "U kunt mij bellen op {telefoon} of mailen naar {email}.",
    ),
    LetterKind.UITSTROOMOVERLEG: LetterText(
        "Uitnodiging: gesprek met de gemeente over werk voor {roepnaam}",
        "{aanhef},\n\n"
        "{roepnaam} gaat na school werken. Soms is daarbij hulp nodig, bijvoorbeeld een "
        "jobcoach op het werk. Die hulp regelt de gemeente.\n\n"
        "Daarom praten we met iemand van de gemeente over {roepnaam}. We vertellen wat "
        "{roepnaam} kan en wat {roepnaam} nodig heeft. Zo kan de gemeente op tijd helpen.\n\n"
        "U en {roepnaam} zijn van harte welkom bij dit gesprek.\n\n"
        "Wanneer: {datum} om {tijd}\n"
        "Waar: {plaats}\n\n"
        "We delen alleen gegevens van {roepnaam} met de gemeente als u (of {roepnaam}) "
        "daar toestemming voor geeft. Heeft u vragen? Bel mij op {telefoon} of mail naar "
        "{email}. Wilt u vóór {antwoord_voor} laten weten of u komt?",
    ),
    LetterKind.EXITGESPREK: LetterText(
        "Uitnodiging: gesprek over je vertrek van school",
        "{aanhef},\n\n"
        "Je gaat van school. We willen graag met je praten voordat je weggaat. "
        "In dit gesprek kijken we samen terug en vooruit:\n"
        "– waarom je van school gaat,\n"
        "– wat je hierna gaat doen,\n"
        "– of je daarbij hulp wilt.\n\n"
        "Wanneer: {datum} om {tijd}\n"
        "Waar: {plaats}\n\n"
        "Na je vertrek bellen we je nog een paar keer om te horen hoe het gaat. "
        "Dat spreken we in het gesprek met je af.\n\n"
        "Kun je niet? Laat het vóór {antwoord_voor} weten. "
        "Bel {telefoon} of mail naar {email}.",
    ),
}


@dataclass(frozen=True)
class Meeting:
    """When and where the talk is; the same for every letter of a batch."""

    day: date | None
    time: str = ""
    place: str = ""


@dataclass(frozen=True)
class Addressee:
    """One pupil as a letter needs them."""

    name: str
    roepnaam: str
    klas: str = ""
    mentor: str = ""
    # An adult pupil, or an mbo student, is written to directly.
    to_pupil: bool = False


# Parents have a week to answer, counted back from the day of the talk.
ANSWER_DAYS = 7


def answer_by(meeting_day: date, today: date) -> date:
    """The day to answer by: a week before the talk, but never before tomorrow."""
    return max(meeting_day - timedelta(days=ANSWER_DAYS), today + timedelta(days=1))


def salutation(addressee: Addressee) -> str:
    if addressee.to_pupil:
        return f"Beste {addressee.roepnaam}"
    return f"Beste ouder(s) of verzorger(s) van {addressee.roepnaam}"


def recipient_line(addressee: Addressee) -> str:
    """The line above the letter that says who it is for."""
    if addressee.to_pupil:
        return addressee.name
    return f"Aan de ouder(s) of verzorger(s) van {addressee.name}"


def values_for(
    addressee: Addressee,
    meeting: Meeting,
    school: str,
    coordinator: str,
    phone: str,
    email: str,
    today: date,
) -> dict[str, str]:
    """Every field's value for one pupil's letter."""
    day = meeting.day
    return {
        "aanhef": salutation(addressee),
        "roepnaam": addressee.roepnaam,
        "naam": addressee.name,
        "klas": addressee.klas,
        "mentor": addressee.mentor,
        "datum": dutch_weekday_date(day) if day else "(datum volgt)",
        "tijd": meeting.time or "(tijd volgt)",
        "plaats": meeting.place or "op school",
        "school": school,
        "coordinator": coordinator,
        "telefoon": phone or "(telefoon van school)",
        "email": email or "(e-mail van school)",
        "antwoord_voor": dutch_date(answer_by(day, today)) if day else "een week ervoor",
    }


def fields_in(text: str) -> list[str]:
    """The field names a text uses, in order; raises ValueError on a loose brace."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def text_problems(text: LetterText) -> list[str]:
    problems: list[str] = []
    if not text.subject.strip():
        problems.append("Vul het onderwerp van de brief in.")
    if not text.body.strip():
        problems.append("De brief is leeg. Schrijf een tekst, of zet de standaardtekst terug.")
    for label, part in (("onderwerp", text.subject), ("tekst", text.body)):
        try:
            names = fields_in(part)
        except ValueError:
            problems.append(
                f"In het {label} staat een losse accolade {{ of }}. Een veld schrijft u als "
                "{roepnaam}; haal de losse accolade weg."
            )
            continue
        unknown = sorted({name for name in names if name not in FIELDS})
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in FIELDS)
            problems.append(
                f"In het {label} staat een veld dat Uitstroom niet kent: "
                f"{', '.join(f'{{{name}}}' for name in unknown)}. Kies uit: {known}."
            )
    return problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with each {field} replaced by its value (the text must have no problems)."""
    return text.format_map(dict(values))
