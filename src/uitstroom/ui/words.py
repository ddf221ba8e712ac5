"""The words the program speaks, per school type: one table instead of if/else in every view.

Pro and vso speak of leerlingen, klassen and mentoren; the mbo of studenten, opleidingen and
SLB'ers (studieloopbaanbegeleiders). The data underneath is the same: a pupil's `klas` is the
mbo student's group, `mentor` the SLB'er, `mbo_opleiding` the opleiding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from uitstroom.domain.enums import LabelledEnum, SchoolType


def cap(word: str) -> str:
    """'leerling' -> 'Leerling'; "SLB'er" stays as it is."""
    return word[:1].upper() + word[1:]


@dataclass(frozen=True)
class Words:
    """Words as they stand in a sentence; `cap()` makes a heading of them."""

    pupil: str  # "leerling"
    pupils: str  # "leerlingen"
    number: str  # "leerlingnummer"
    klas: str  # "klas": the group a pupil is in
    klassen: str  # "klassen"
    mentor: str  # "mentor"
    mentors: str  # "mentoren"
    profiel: str  # what the pupil is heading for: "uitstroomprofiel", "opleiding"
    profielen: str
    name_column: str  # the cohort table's first column
    # Which cohort table columns this school sees, by the keys in cohort_model.cohort_columns.
    columns: tuple[str, ...]
    # Labels with their mnemonic ('&'): each spelled out, so no two clash.
    pupil_menu: str
    all_pupils_tab: str
    my_pupils_filter: str
    klas_filter: str
    profiel_filter: str
    show_archived: str
    new_pupil: str
    # The pupil view's Gegevens: the group-box titles and the labels that differ.
    klas_field: str
    profiel_box: str
    # The pupil view's subtitle after the number: (prefix, Pupil attribute) when filled in.
    heading: tuple[tuple[str, str], ...]
    # The exitgesprek with every leaver is the mbo's; pro and vso record leaving in Nazorg.
    exit_interviews: bool

    def count(self, number: int) -> str:
        """'1 leerling', '48 studenten'."""
        return f"{number} {self.plural(number)}"

    def plural(self, number: int) -> str:
        return self.pupil if number == 1 else self.pupils

    def heading_parts(self, pupil: Any) -> list[tuple[str, str]]:
        """('klas', 'PRO4A'), or the mbo's ('', 'Verzorgende IG'), ('crebo', '25491'), ..."""
        parts = []
        for prefix, name in self.heading:
            value = getattr(pupil, name)
            if value is None or value == "":
                continue
            parts.append((prefix, value.label if isinstance(value, LabelledEnum) else str(value)))
        return parts


LEERLING_WORDS = Words(
    pupil="leerling",
    pupils="leerlingen",
    number="leerlingnummer",
    klas="klas",
    klassen="klassen",
    mentor="mentor",
    mentors="mentoren",
    profiel="uitstroomprofiel",
    profielen="profielen",
    name_column="Naam",
    columns=("naam", "nummer", "klas", "profiel", "route", "status", "volgende"),
    pupil_menu="&Leerling",
    all_pupils_tab="&Alle leerlingen",
    my_pupils_filter="Mijn leerlingen, m&entor",
    klas_filter="&Klas",
    profiel_filter="&Profiel",
    show_archived="Toon gearchiveer&de leerlingen",
    new_pupil="&Nieuwe leerling",
    klas_field="Klas/groep",
    profiel_box="Uitstroomprofiel",
    heading=(("klas", "klas"),),
    exit_interviews=False,
)

STUDENT_WORDS = Words(
    pupil="student",
    pupils="studenten",
    number="studentnummer",
    klas="groep",
    klassen="groepen",
    mentor="SLB'er",
    mentors="SLB'ers",
    profiel="opleiding",
    profielen="opleidingen",
    name_column="Student",
    # The SLB'er instead of the groep: an SLB'er works through their own students.
    columns=(
        "naam",
        "nummer",
        "mentor",
        "profiel",
        "crebo",
        "niveau",
        "leerweg",
        "status",
        "volgende",
    ),
    pupil_menu="&Student",
    all_pupils_tab="&Alle studenten",
    my_pupils_filter="Mijn studenten, SLB'&er",
    klas_filter="&Groep",
    profiel_filter="O&pleiding",
    show_archived="Toon gearchiveer&de studenten",
    new_pupil="&Nieuwe student",
    klas_field="Groep",
    profiel_box="Opleiding",
    heading=(
        ("", "mbo_opleiding"),
        ("crebo", "mbo_crebo"),
        ("", "mbo_niveau"),
        ("", "mbo_leerweg"),
    ),
    exit_interviews=True,
)

WORDS: dict[SchoolType, Words] = {
    SchoolType.PRO: LEERLING_WORDS,
    SchoolType.VSO: LEERLING_WORDS,
    SchoolType.MBO: STUDENT_WORDS,
}


def words_for(school_type: SchoolType) -> Words:
    return WORDS[school_type]
