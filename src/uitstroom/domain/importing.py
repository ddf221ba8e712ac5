"""The rules of a cohort import: which column holds what, and whether each cell can be used.

Pure and standard library only: the service reads the file and the database; everything here
works on the text of the cells, with `today` passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from uitstroom.domain.enums import LabelledEnum, Leerweg, Niveau, Uitstroomprofiel
from uitstroom.domain.plural import counted
from uitstroom.domain.validation import check_birth_date, check_email, check_phone, parse_date


class ImportField(LabelledEnum):
    """What an import can fill in. The value is also the key in a pupil's `imported_values`."""

    LEERLINGNUMMER = "leerlingnummer", "Leerlingnummer"
    ROEPNAAM = "roepnaam", "Roepnaam"
    TUSSENVOEGSEL = "tussenvoegsel", "Tussenvoegsel"
    ACHTERNAAM = "achternaam", "Achternaam"
    GEBOORTEDATUM = "geboortedatum", "Geboortedatum"
    KLAS = "klas", "Klas of groep"
    MENTOR = "mentor", "Mentor of slb'er"
    WOONGEMEENTE = "woongemeente", "Woongemeente"
    TELEFOON = "telefoon", "Telefoon leerling"
    EMAIL = "email", "E-mail leerling"
    OUDER1_NAAM = "ouder1_naam", "Naam ouder/verzorger 1"
    OUDER1_RELATIE = "ouder1_relatie", "Relatie ouder/verzorger 1"
    OUDER1_TELEFOON = "ouder1_telefoon", "Telefoon ouder/verzorger 1"
    OUDER1_EMAIL = "ouder1_email", "E-mail ouder/verzorger 1"
    OUDER2_NAAM = "ouder2_naam", "Naam ouder/verzorger 2"
    OUDER2_RELATIE = "ouder2_relatie", "Relatie ouder/verzorger 2"
    OUDER2_TELEFOON = "ouder2_telefoon", "Telefoon ouder/verzorger 2"
    OUDER2_EMAIL = "ouder2_email", "E-mail ouder/verzorger 2"
    UITSTROOMPROFIEL = "uitstroomprofiel", "Uitstroomprofiel"
    MBO_OPLEIDING = "mbo_opleiding", "Mbo-opleiding"
    MBO_CREBO = "mbo_crebo", "Crebonummer"
    MBO_NIVEAU = "mbo_niveau", "Mbo-niveau"
    MBO_LEERWEG = "mbo_leerweg", "Leerweg (bol/bbl)"

    @property
    def lower_label(self) -> str:
        """The label inside a sentence: 'Bijgewerkt via import: klas of groep, mentor of slb'er'."""
        return self.label[0].lower() + self.label[1:]


F = ImportField

REQUIRED_FIELDS: frozenset[ImportField] = frozenset({F.LEERLINGNUMMER, F.ROEPNAAM, F.ACHTERNAAM})

# Guardian fields: position in the pupil's list (0 = ouder 1) and the Guardian attribute.
GUARDIAN_FIELDS: dict[ImportField, tuple[int, str]] = {
    F.OUDER1_NAAM: (0, "name"),
    F.OUDER1_RELATIE: (0, "relation"),
    F.OUDER1_TELEFOON: (0, "phone"),
    F.OUDER1_EMAIL: (0, "email"),
    F.OUDER2_NAAM: (1, "name"),
    F.OUDER2_RELATIE: (1, "relation"),
    F.OUDER2_TELEFOON: (1, "phone"),
    F.OUDER2_EMAIL: (1, "email"),
}
GUARDIAN_NAME_FIELD: dict[int, ImportField] = {0: F.OUDER1_NAAM, 1: F.OUDER2_NAAM}
PUPIL_FIELDS: tuple[ImportField, ...] = tuple(f for f in ImportField if f not in GUARDIAN_FIELDS)

# The same limits as the database columns: a longer cell is almost always a column mix-up.
MAX_LENGTH: dict[ImportField, int] = {
    F.LEERLINGNUMMER: 40,
    F.ROEPNAAM: 100,
    F.TUSSENVOEGSEL: 40,
    F.ACHTERNAAM: 150,
    F.GEBOORTEDATUM: 40,
    F.KLAS: 40,
    F.MENTOR: 150,
    F.WOONGEMEENTE: 100,
    F.TELEFOON: 40,
    F.EMAIL: 200,
    F.OUDER1_NAAM: 200,
    F.OUDER1_RELATIE: 60,
    F.OUDER1_TELEFOON: 40,
    F.OUDER1_EMAIL: 200,
    F.OUDER2_NAAM: 200,
    F.OUDER2_RELATIE: 60,
    F.OUDER2_TELEFOON: 40,
    F.OUDER2_EMAIL: 200,
    F.UITSTROOMPROFIEL: 60,
    F.MBO_OPLEIDING: 200,
    F.MBO_CREBO: 10,
    F.MBO_NIVEAU: 30,
    F.MBO_LEERWEG: 30,
}

# "het leerlingnummer", "de roepnaam": the field inside a sentence that tells what to fill in.
_THE: dict[ImportField, str] = {
    F.LEERLINGNUMMER: "het leerlingnummer",
    F.ROEPNAAM: "de roepnaam",
    F.ACHTERNAAM: "de achternaam",
}

# Column headings seen in exports of Magister, Somtoday, Eduarte and hand-made lists. Compared
# after squashing (lower case, letters and digits only), in this order of preference.
_GUARDIAN_WORDS = ("ouder", "verzorger", "ouder/verzorger", "ouderverzorger", "contactpersoon")
_GUARDIAN_ATTR_WORDS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "volledige naam", ""),
    "relation": ("relatie", "relatie tot leerling", "soort", "rol"),
    "phone": ("telefoon", "telefoonnummer", "mobiel", "tel", "telefoon mobiel"),
    "email": ("e-mail", "email", "e-mailadres", "mail"),
}


def _guardian_aliases(position: int, attribute: str) -> tuple[str, ...]:
    n = position + 1
    aliases: list[str] = []
    for attr in _GUARDIAN_ATTR_WORDS[attribute]:
        for who in _GUARDIAN_WORDS:
            if attr:
                aliases += [f"{attr} {who} {n}", f"{who} {n} {attr}", f"{attr} {n}e {who}"]
            else:
                aliases.append(f"{who} {n}")
    return tuple(aliases)


HEADER_ALIASES: dict[ImportField, tuple[str, ...]] = {
    F.LEERLINGNUMMER: (
        "leerlingnummer",
        "stamnummer",
        "llnr",
        "ll.nr",
        "leerlingnr",
        "studentnummer",
        "studentnr",
        "deelnemernummer",
        "deelnemernr",
        "stamnr",
    ),
    F.ROEPNAAM: (
        "roepnaam",
        "voornaam",
        "roepnaam leerling",
        "voornaam leerling",
        "roepnaam student",
        "voornamen",
    ),
    F.TUSSENVOEGSEL: (
        "tussenvoegsel",
        "tussenvoegsels",
        "voorvoegsel",
        "voorvoegsels",
        "tussenv",
        "tussenvoegsel leerling",
    ),
    F.ACHTERNAAM: (
        "achternaam",
        "familienaam",
        "achternaam leerling",
        "achternaam student",
        "geslachtsnaam",
        "naam",
    ),
    F.GEBOORTEDATUM: (
        "geboortedatum",
        "geb. datum",
        "geboren",
        "geb.datum",
        "gebdat",
        "geboortedat",
        "geboortedatum leerling",
        "geboren op",
    ),
    F.KLAS: ("klas", "stamgroep", "groep", "basisgroep", "stamklas", "klas/groep", "klas leerling"),
    F.MENTOR: (
        "mentor",
        "mentoren",
        "slb",
        "slb'er",
        "studieloopbaanbegeleider",
        "mentor/slb",
        "coach",
        "mentor(en)",
    ),
    F.WOONGEMEENTE: ("woongemeente", "woonplaats", "gemeente", "plaats", "woonplaats leerling"),
    F.TELEFOON: (
        "telefoon",
        "mobiel",
        "telefoonnummer",
        "06-nummer",
        "mobiel nummer",
        "mobielnummer",
        "telefoon leerling",
        "mobiel leerling",
        "telefoonnummer leerling",
        "tel",
        "telnr",
        "tel.nr",
    ),
    F.EMAIL: (
        "e-mail",
        "email",
        "e-mailadres",
        "emailadres",
        "e-mail leerling",
        "email leerling",
        "e-mailadres leerling",
        "mail",
    ),
    F.UITSTROOMPROFIEL: ("uitstroomprofiel", "profiel", "uitstroomprofiel opp", "uitstroom"),
    F.MBO_OPLEIDING: (
        "opleiding",
        "mbo-opleiding",
        "opleidingsnaam",
        "naam opleiding",
        "kwalificatie",
    ),
    F.MBO_CREBO: ("crebo", "crebonummer", "crebocode", "crebo-code", "opleidingscode"),
    F.MBO_NIVEAU: ("niveau", "mbo-niveau", "opleidingsniveau", "kwalificatieniveau"),
    F.MBO_LEERWEG: ("leerweg", "bol/bbl", "leerweg bol/bbl"),
    **{field: _guardian_aliases(*where) for field, where in GUARDIAN_FIELDS.items()},
}


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file. `row` is the row number the user sees in Excel (the
    header is row 1); `column` is the file's own header text. Both None for the whole file."""

    row: int | None
    column: str | None
    message: str

    @property
    def line(self) -> str:
        """'rij 4, kolom 'Geboortedatum': …', as a command prints it."""
        where = ", ".join(
            part
            for part in (
                f"rij {self.row}" if self.row is not None else "",
                f"kolom '{self.column}'" if self.column else "",
            )
            if part
        )
        return f"{where + ': ' if where else ''}{self.message}"


def squash(text: str) -> str:
    """Headers match regardless of case, spaces, dots, dashes, underscores and slashes."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def guess_mapping(headers: Sequence[str]) -> dict[ImportField, int]:
    """Field -> column index for every header that is a known name; each column used once."""
    squashed = [squash(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[ImportField, int] = {}
    for field in ImportField:
        for alias in HEADER_ALIASES[field]:
            wanted = squash(alias)
            found = next(
                (i for i, h in enumerate(squashed) if h == wanted and i not in taken), None
            )
            if found is not None:
                mapping[field] = found
                taken.add(found)
                break
    return mapping


def find_header_row(rows: Sequence[Sequence[str]], look_at: int = 10) -> int | None:
    """Index of the header row. Some exports put a title line above the headers, so the first
    of the first few non-empty rows that names at least two known columns wins."""
    non_empty = [i for i, row in enumerate(rows[:50]) if any(cell.strip() for cell in row)]
    for index in non_empty[:look_at]:
        if len(guess_mapping(rows[index])) >= 2:
            return index
    return non_empty[0] if non_empty else None


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA': the name Excel shows above a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_name(headers: Sequence[str], index: int) -> str:
    if 0 <= index < len(headers) and headers[index].strip():
        return headers[index].strip()
    return f"kolom {column_letter(index)}"


def mapping_problems(
    mapping: Mapping[ImportField, int], headers: Sequence[str]
) -> list[ImportProblem]:
    """What is wrong with the chosen columns, before any row is looked at."""
    problems: list[ImportProblem] = []
    for field in ImportField:
        if field in REQUIRED_FIELDS and field not in mapping:
            what = _THE[field]
            problems.append(
                ImportProblem(
                    None,
                    None,
                    f"Er is geen kolom voor {what}. Kies bij '{field.label}' de kolom met "
                    f"{what}. Staat die niet in het bestand, voeg dan een kolom "
                    f"'{field.label}' toe.",
                )
            )
    for field, index in mapping.items():
        if not 0 <= index < len(headers):
            problems.append(
                ImportProblem(
                    None,
                    None,
                    f"De kolom die bij '{field.label}' is gekozen staat niet in het bestand. "
                    "Kies die kolom opnieuw.",
                )
            )
    by_column: dict[int, list[ImportField]] = {}
    for field, index in mapping.items():
        by_column.setdefault(index, []).append(field)
    for index, fields in sorted(by_column.items()):
        if len(fields) > 1 and 0 <= index < len(headers):
            names = " en ".join(f"'{f.label}'" for f in fields)
            problems.append(
                ImportProblem(
                    None,
                    header_name(headers, index),
                    f"Deze kolom is gekozen voor {names}. Kies voor elk gegeven een eigen kolom.",
                )
            )
    problems += _competing_columns(mapping, headers)
    for field, (position, attribute) in GUARDIAN_FIELDS.items():
        name_field = GUARDIAN_NAME_FIELD[position]
        if attribute != "name" and field in mapping and name_field not in mapping:
            problems.append(
                ImportProblem(
                    None,
                    None,
                    f"Er is een kolom gekozen voor '{field.label}', maar niet voor "
                    f"'{name_field.label}'. Kies ook de kolom met de naam, of zet "
                    f"'{field.label}' op niet importeren.",
                )
            )
    return problems


_LEERLINGNUMMER_NAMES = frozenset(squash(a) for a in HEADER_ALIASES[F.LEERLINGNUMMER])


def _competing_columns(
    mapping: Mapping[ImportField, int], headers: Sequence[str]
) -> list[ImportProblem]:
    """A column left out beside the chosen one while it has the same name ('E-mail' twice), or
    for the leerlingnummer any of its names ('Stamnummer' beside 'Leerlingnummer'): which one
    holds the data cannot be told, and taking the wrong leerlingnummer makes every pupil new
    on the next import. Other fields keep their order of preference (Achternaam before Naam)."""
    squashed = [squash(h) for h in headers]
    used = set(mapping.values())
    problems: list[ImportProblem] = []
    for field, chosen in mapping.items():
        if not 0 <= chosen < len(headers) or not squashed[chosen]:
            continue
        twins = {squashed[chosen]}
        if field == F.LEERLINGNUMMER:
            twins |= _LEERLINGNUMMER_NAMES
        others = [i for i, name in enumerate(squashed) if name in twins and i not in used]
        if not others:
            continue
        columns = [
            f"'{header_name(headers, i)}' (kolom {column_letter(i)})"
            for i in sorted([chosen, *others])
        ]
        listed = ", ".join(columns[:-1]) + " en " + columns[-1]
        problems.append(
            ImportProblem(
                None,
                header_name(headers, chosen),
                f"Er zijn {len(columns)} kolommen voor '{field.label}': {listed}. Uitstroom "
                "weet niet welke de goede is. Verwijder de verkeerde kolom uit het bestand of "
                "geef die een andere naam, sla het bestand op en probeer het opnieuw.",
            )
        )
    return problems


# Leerlingnummers are identifiers: a file must give the same text for the same pupil every
# month. Excel turns 86001 into '86001,0' or '8,6002E+04' when it saves a number column as
# CSV, so a cell that is written as a number counts as that whole number. A cell of digits
# only is text and stays as it is: '007123' keeps its zeros.
MAX_LEERLINGNUMMER_DIGITS = 20
_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


def _clean_leerlingnummer(value: str, _today: date) -> tuple[str, str | None]:
    if _DIGITS.fullmatch(value):
        digits = value
    elif _NUMBER.fullmatch(value):
        number = Decimal(value.replace(",", "."))
        if number == 0:
            digits = "0"
        elif number < 0:
            return value, (
                f"'{value}' is geen leerlingnummer: er staat een minteken voor. Vul het "
                "leerlingnummer van deze leerling in, zonder minteken."
            )
        elif number != number.to_integral_value():
            return value, (
                f"'{value}' is geen leerlingnummer: er staan cijfers achter de komma of punt. "
                "Een leerlingnummer is een heel getal, zoals 86001. Verbeter het nummer in het "
                "bestand."
            )
        elif _exponent(number) > 0:
            # '1,23457E+12': Excel saved what a narrow column showed, the last digits are gone.
            return value, (
                f"In dit leerlingnummer ({value}) ontbreken cijfers: Excel heeft het afgerond "
                "opgeslagen. Exporteer de leerlingen opnieuw en importeer dat bestand zonder "
                "het eerst in Excel op te slaan."
            )
        else:
            digits = str(int(number))
    else:
        # Letters or other signs: some schools number pupils 'L1234'. Kept as written.
        return value, None
    if not digits.strip("0"):
        return value, (
            f"'{value}' is geen leerlingnummer. Vul het leerlingnummer van deze leerling in."
        )
    if len(digits) > MAX_LEERLINGNUMMER_DIGITS:
        return value, (
            f"Dit leerlingnummer heeft {len(digits)} cijfers; een leerlingnummer heeft er "
            f"hoogstens {MAX_LEERLINGNUMMER_DIGITS}. Controleer of de gegevens in de goede "
            "kolom staan en verbeter het nummer."
        )
    return digits, None


def _exponent(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def leerlingnummer_key(stored: str) -> str:
    """The leerlingnummer a pupil is matched on. A database may hold numbers saved before
    they were cleaned on import ('86001.0', '86001\u200f'); they still match '86001'. A value
    an import would refuse ('0') matches only itself."""
    value = _tidy(strip_bidi_controls(stored))
    cleaned, problem = _clean_leerlingnummer(value, date.min)
    return value if problem else cleaned


def _dutch_phone(text: str) -> str:
    # Excel stores 0612345678 as the number 612345678. A Dutch number without its leading
    # zero has exactly nine digits, so the zero can be put back safely.
    if len(text) == 9 and text.isdigit():
        return "0" + text
    return text


Cleaner = Callable[[str, date], tuple[str, "str | None"]]


# The caches matter for speed: a cohort repeats the same few profiles and thousands of dates.
@lru_cache(maxsize=8192)
def _clean_date(value: str, today: date) -> tuple[str, str | None]:
    try:
        born = parse_date(value)
    except ValueError as exc:
        return value, str(exc)
    message = check_birth_date(born, today)
    if message:
        return value, f"{message} Verbeter de geboortedatum in het bestand."
    return born.isoformat(), None


def _clean_phone(value: str, _today: date) -> tuple[str, str | None]:
    value = _dutch_phone(value)
    return value, check_phone(value)


def _clean_email(value: str, _today: date) -> tuple[str, str | None]:
    return value, check_email(value)


@lru_cache(maxsize=512)
def _clean_profiel(value: str, _today: date) -> tuple[str, str | None]:
    profiel = Uitstroomprofiel.from_text(value)
    if isinstance(profiel, Uitstroomprofiel):
        return profiel.value, None
    choices = ", ".join(p.label.lower() for p in Uitstroomprofiel)
    return value, (
        f"'{value}' is geen uitstroomprofiel. Gebruik een van deze: {choices}; of laat de cel leeg."
    )


@lru_cache(maxsize=512)
def _clean_niveau(value: str, _today: date) -> tuple[str, str | None]:
    found = Niveau.from_text(value)
    if isinstance(found, Niveau):
        return found.value, None
    core = squash(value)
    for prefix in ("mboniveau", "niveau", "mbo", "n"):
        if core.startswith(prefix):
            core = core.removeprefix(prefix)
            break
    niveau = {
        "1": Niveau.ENTREE,
        "entree": Niveau.ENTREE,
        "2": Niveau.N2,
        "3": Niveau.N3,
        "4": Niveau.N4,
    }.get(core)
    if niveau is None:
        return (
            value,
            f"'{value}' is geen mbo-niveau. Gebruik entree, 1, 2, 3 of 4; of laat de cel leeg.",
        )
    return niveau.value, None


@lru_cache(maxsize=512)
def _clean_leerweg(value: str, _today: date) -> tuple[str, str | None]:
    found = Leerweg.from_text(value)
    if isinstance(found, Leerweg):
        return found.value, None
    # "BOL-VT", "bol deeltijd", "BBL-leerbaan": the first three letters decide.
    leerweg = {"bol": Leerweg.BOL, "bbl": Leerweg.BBL}.get(squash(value)[:3])
    if leerweg is None:
        return value, f"'{value}' is geen leerweg. Gebruik bol of bbl; of laat de cel leeg."
    return leerweg.value, None


def _clean_crebo(value: str, _today: date) -> tuple[str, str | None]:
    if len(value) == 5 and value.isdigit():
        return value, None
    return value, (
        f"'{value}' is geen crebonummer. Een crebonummer heeft 5 cijfers, bijvoorbeeld 25180."
    )


def _as_is(value: str, _today: date) -> tuple[str, str | None]:
    return value, None


_CLEANERS: dict[ImportField, Cleaner] = {
    F.LEERLINGNUMMER: _clean_leerlingnummer,
    F.GEBOORTEDATUM: _clean_date,
    F.TELEFOON: _clean_phone,
    F.OUDER1_TELEFOON: _clean_phone,
    F.OUDER2_TELEFOON: _clean_phone,
    F.EMAIL: _clean_email,
    F.OUDER1_EMAIL: _clean_email,
    F.OUDER2_EMAIL: _clean_email,
    F.UITSTROOMPROFIEL: _clean_profiel,
    F.MBO_NIVEAU: _clean_niveau,
    F.MBO_LEERWEG: _clean_leerweg,
    F.MBO_CREBO: _clean_crebo,
}


# Control characters (a bell, an escape, C1 codes) that copying from other programs leaves
# behind: invisible on screen, and refused later by PDF and Excel writers. Tabs and line breaks
# are not among them; _tidy turns those into spaces.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Unicode's Bidi_Control characters: invisible, they turn the order of the letters around them
# on screen and in PDFs, so a name can show differently from what is stored and searched.
# A name needs none of them; the program lays out right-to-left text itself.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    return text if text.isascii() else _BIDI_CONTROLS.sub("", text)


def _tidy(text: str) -> str:
    value = text.strip()
    if "  " in value or "\n" in value or "\t" in value or "\xa0" in value or "\r" in value:
        return " ".join(value.split())
    return value


def clean_value(field: ImportField, text: str, today: date) -> tuple[str, str | None]:
    """The value as stored (dates as jjjj-mm-dd, choices as their enum value) and a Dutch
    message when the cell cannot be used. An empty cell gives ''."""
    return _clean(field, _CLEANERS.get(field, _as_is), MAX_LENGTH[field], text, today)


def _clean(
    field: ImportField, cleaner: Cleaner, limit: int, text: str, today: date
) -> tuple[str, str | None]:
    value = _tidy(strip_bidi_controls(text))
    if not value:
        if field in REQUIRED_FIELDS:
            return "", f"Deze cel is leeg. Vul {_THE[field]} in."
        return "", None
    if len(value) > limit:
        return value, (
            f"Deze cel is te lang ({len(value)} tekens; voor '{field.label}' passen er "
            f"hoogstens {limit}). Staan de gegevens wel in de goede kolom?"
        )
    if _CONTROL.search(value):
        return value, (
            "In deze cel staat een onzichtbaar stuurteken dat niet in een naam of adres hoort. "
            "Typ de cel in Excel opnieuw, sla het bestand op en probeer het nog eens."
        )
    return cleaner(value, today)


_CHOICES: dict[ImportField, type[LabelledEnum]] = {
    F.UITSTROOMPROFIEL: Uitstroomprofiel,
    F.MBO_NIVEAU: Niveau,
    F.MBO_LEERWEG: Leerweg,
}


def display_value(field: ImportField, value: str) -> str:
    """A stored value as the coordinator reads it: dates as dd-mm-jjjj, choices by label."""
    if not value:
        return ""
    if field == F.GEBOORTEDATUM:
        try:
            return date.fromisoformat(value).strftime("%d-%m-%Y")
        except ValueError:
            return value
    choices = _CHOICES.get(field)
    if choices is not None:
        return next((m.label for m in choices if m.value == value), value)
    return value


_GUARDIAN_NOUN = {"relation": "relatie", "phone": "telefoonnummer", "email": "e-mailadres"}


class RowChecker:
    """Checks the data rows of one file against one mapping. Built once per file: the work
    per row is only what cannot be prepared."""

    def __init__(
        self, mapping: Mapping[ImportField, int], headers: Sequence[str], today: date
    ) -> None:
        self._today = today
        self._columns = [
            (
                field,
                index,
                header_name(headers, index),
                _CLEANERS.get(field, _as_is),
                MAX_LENGTH[field],
            )
            for field, index in mapping.items()
            if index >= 0
        ]
        self._guardians = [
            (
                position,
                name_field,
                header_name(headers, mapping[name_field]),
                [
                    (f, _GUARDIAN_NOUN[attribute])
                    for f, (p, attribute) in GUARDIAN_FIELDS.items()
                    if p == position and attribute != "name" and f in mapping
                ],
            )
            for position, name_field in GUARDIAN_NAME_FIELD.items()
            if name_field in mapping
        ]

    def check(
        self, row: int, cells: Sequence[str]
    ) -> tuple[dict[ImportField, str], list[ImportProblem]]:
        """The stored values of one data row for the mapped fields, and what is wrong."""
        values: dict[ImportField, str] = {}
        problems: list[ImportProblem] = []
        width = len(cells)
        for field, index, column, cleaner, limit in self._columns:
            value, message = _clean(
                field, cleaner, limit, cells[index] if index < width else "", self._today
            )
            values[field] = value
            if message:
                problems.append(ImportProblem(row, column, message))
        for position, name_field, column, others in self._guardians:
            if values[name_field]:
                continue
            given = [noun for f, noun in others if values[f]]
            if given:
                problems.append(
                    ImportProblem(
                        row,
                        column,
                        f"Bij ouder/verzorger {position + 1} staat wel een {given[0]}, maar geen "
                        "naam. Vul de naam in.",
                    )
                )
        return values, problems


def check_row(
    row: int,
    cells: Sequence[str],
    mapping: Mapping[ImportField, int],
    headers: Sequence[str],
    today: date,
) -> tuple[dict[ImportField, str], list[ImportProblem]]:
    """One row on its own; a whole file goes through one RowChecker."""
    return RowChecker(mapping, headers, today).check(row, cells)


def duplicate_problems(numbers: Sequence[tuple[int, str]], column: str) -> list[ImportProblem]:
    """(row, leerlingnummer) pairs -> one problem for every row that repeats an earlier one."""
    first_row: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for row, number in numbers:
        if not number:
            continue
        if number in first_row:
            problems.append(
                ImportProblem(
                    row,
                    column,
                    f"Leerlingnummer {number} staat twee keer in het bestand: in rij "
                    f"{first_row[number]} en in rij {row}. Elk leerlingnummer hoort bij één "
                    "leerling; verwijder de dubbele rij of verbeter het nummer.",
                )
            )
        else:
            first_row[number] = row
    return problems


def summary_text(
    new: int, changed: int, unchanged: int, missing: int, archive_missing: bool = False
) -> str:
    """'12 nieuwe leerlingen, 3 gewijzigd, 30 ongewijzigd; 2 leerlingen staan niet meer in
    dit bestand en blijven bewaard.' (or: 'en worden gearchiveerd')."""
    text = (
        f"{counted(new, 'nieuwe leerling', 'nieuwe leerlingen')}, "
        f"{changed} gewijzigd, {unchanged} ongewijzigd"
    )
    if missing:
        one = missing == 1
        fate = (
            ("wordt gearchiveerd" if one else "worden gearchiveerd")
            if archive_missing
            else ("blijft bewaard" if one else "blijven bewaard")
        )
        text += (
            f"; {counted(missing, 'leerling', 'leerlingen')} "
            f"{'staat' if one else 'staan'} niet meer in dit bestand en {fate}"
        )
    return text + "."
