"""Checks on what a coordinator types or imports. Each returns Dutch messages that say what to do."""

from __future__ import annotations

import re
from datetime import date

from uitstroom.domain.model import Pupil, Stage

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s\-()./]{6,20}$")
_DATE_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_DATE_YMD = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")

OLDEST_BIRTH_YEAR = 1900


def parse_date(text: str) -> date:
    """Read dd-mm-jjjj or jjjj-mm-dd (also with / or .). Raises ValueError with a Dutch message."""
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _DATE_YMD.match(text)
        if not match:
            raise ValueError(f"'{text.strip()}' is geen datum. Schrijf de datum als dd-mm-jjjj.")
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            f"De datum '{text.strip()}' bestaat niet. Controleer dag en maand."
        ) from None


def check_birth_date(born: date, today: date) -> str | None:
    if born > today:
        return f"De geboortedatum {born:%d-%m-%Y} ligt in de toekomst."
    if born.year < OLDEST_BIRTH_YEAR:
        return f"De geboortedatum {born:%d-%m-%Y} is niet mogelijk."
    return None


def check_email(text: str) -> str | None:
    if text and not _EMAIL.match(text.strip()):
        return f"'{text}' is geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
    return None


def email_domains(text: str) -> tuple[str, ...]:
    """'roc.nl, student.roc.nl' -> ('roc.nl', 'student.roc.nl'); an '@' before a domain and
    spaces are dropped, case does not count."""
    parts = (part.strip().lstrip("@").strip().casefold() for part in re.split(r"[,;\s]+", text))
    return tuple(dict.fromkeys(part for part in parts if part))


def check_email_domains(text: str) -> str | None:
    wrong = [d for d in email_domains(text) if not _DOMAIN.match(d)]
    if wrong:
        return (
            f"'{wrong[0]}' is geen domein. Schrijf het deel na de @, zoals roc-midden.nl; "
            "meer domeinen met een komma ertussen."
        )
    return None


def is_school_address(email: str, domains: tuple[str, ...]) -> bool:
    """An address of the school's own domain, or of a part of it (student.roc.nl under roc.nl):
    it stops working when the student leaves."""
    _, at, domain = email.strip().casefold().rpartition("@")
    if not at:
        return False
    return any(domain == d or domain.endswith("." + d) for d in domains)


def check_phone(text: str) -> str | None:
    if text and not _PHONE.match(text.strip()):
        return f"'{text}' is geen telefoonnummer. Gebruik alleen cijfers, spaties, + en -."
    return None


def pupil_problems(pupil: Pupil, today: date) -> list[str]:
    problems: list[str] = []
    if not pupil.leerlingnummer.strip():
        problems.append("Vul het leerlingnummer in.")
    if not pupil.roepnaam.strip():
        problems.append("Vul de roepnaam in.")
    if not pupil.achternaam.strip():
        problems.append("Vul de achternaam in.")
    if pupil.geboortedatum is not None and (msg := check_birth_date(pupil.geboortedatum, today)):
        problems.append(msg)
    for label, message in (
        ("E-mail leerling", check_email(pupil.email)),
        ("Telefoon leerling", check_phone(pupil.telefoon)),
    ):
        if message:
            problems.append(f"{label}: {message}")
    for n, guardian in enumerate(pupil.guardians, start=1):
        who = f"Ouder/verzorger {n}"
        if not guardian.name.strip() and (guardian.phone.strip() or guardian.email.strip()):
            problems.append(f"{who}: vul ook de naam in.")
        for message in (check_email(guardian.email), check_phone(guardian.phone)):
            if message:
                problems.append(f"{who}: {message}")
    return problems


def stage_problems(stage: Stage) -> list[str]:
    problems: list[str] = []
    if not stage.leerbedrijf.strip():
        problems.append("Vul de naam van het leerbedrijf in.")
    if stage.start and stage.end and stage.end < stage.start:
        problems.append("De einddatum van de stage ligt vóór de begindatum.")
    if stage.dagen_per_week is not None and not 1 <= stage.dagen_per_week <= 5:
        problems.append("Een stage duurt 1 tot 5 dagen per week.")
    for message in (check_email(stage.contact_email), check_phone(stage.contact_telefoon)):
        if message:
            problems.append(f"Contact leerbedrijf: {message}")
    return problems
