"""The words of the domain, each with the Dutch label a coordinator reads."""

from __future__ import annotations

import re
from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Dutch label for the screen and documents."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        # label has a default only so that a lookup by value, Kind("pro"), type-checks.
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_text(cls, text: str) -> LabelledEnum | None:
        """Match a value or label, ignoring case, spaces and dashes; None when nothing fits."""
        wanted = _squash(text)
        for member in cls:
            if wanted in (_squash(member.value), _squash(member.label)):
                return member
        return None


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class SchoolType(LabelledEnum):
    PRO = "pro", "Praktijkonderwijs (pro)"
    VSO = "vso", "Voortgezet speciaal onderwijs (vso)"
    MBO = "mbo", "Mbo"


class Uitstroomprofiel(LabelledEnum):
    """The OPP's uitstroomprofiel. Pro knows arbeid and vervolgonderwijs; vso adds dagbesteding."""

    ARBEID = "arbeid", "Arbeid"
    ARBEIDSMARKTGERICHT = "arbeidsmarktgericht", "Arbeidsmarktgericht"
    VERVOLGONDERWIJS = "vervolgonderwijs", "Vervolgonderwijs"
    DAGBESTEDING = "dagbesteding", "Dagbesteding"
    ONBEKEND = "onbekend", "Onbekend"


PROFIELEN_PER_SCHOOLTYPE: dict[SchoolType, tuple[Uitstroomprofiel, ...]] = {
    SchoolType.PRO: (Uitstroomprofiel.ARBEID, Uitstroomprofiel.VERVOLGONDERWIJS),
    SchoolType.VSO: (
        Uitstroomprofiel.VERVOLGONDERWIJS,
        Uitstroomprofiel.ARBEIDSMARKTGERICHT,
        Uitstroomprofiel.DAGBESTEDING,
        Uitstroomprofiel.ONBEKEND,
    ),
    SchoolType.MBO: (),
}


class Route(LabelledEnum):
    ONBEKEND = "onbekend", "Nog onbekend"
    ARBEID = "arbeid", "Route arbeid"
    DOORLEREN = "doorleren", "Doorleren"
    DAGBESTEDING = "dagbesteding", "Dagbesteding"


def flat_label(label: str) -> str:
    """'Bbl (werkend leren)' -> 'Bbl: werkend leren', for a text that is itself in brackets:
    a document never has brackets inside brackets."""
    return re.sub(r"\s*\(([^()]*)\)", r": \1", label)


class Niveau(LabelledEnum):
    ENTREE = "entree", "Entree (niveau 1)"
    N2 = "2", "Niveau 2"
    N3 = "3", "Niveau 3"
    N4 = "4", "Niveau 4"


class Leerweg(LabelledEnum):
    BOL = "bol", "Bol (school)"
    BBL = "bbl", "Bbl (werkend leren)"


class JaNeeOnbekend(LabelledEnum):
    JA = "ja", "Ja"
    NEE = "nee", "Nee"
    ONBEKEND = "onbekend", "Onbekend"


class AanmeldStatus(LabelledEnum):
    NIET_AANGEMELD = "niet_aangemeld", "Nog niet aangemeld"
    AANGEMELD = "aangemeld", "Aangemeld"
    INTAKE_GEPLAND = "intake_gepland", "Intake gepland"
    TOEGELATEN = "toegelaten", "Toegelaten"
    AFGEWEZEN = "afgewezen", "Afgewezen"


class ContractSoort(LabelledEnum):
    ONBEKEND = "onbekend", "Nog onbekend"
    BEPAALDE_TIJD = "bepaalde_tijd", "Tijdelijk contract"
    ONBEPAALDE_TIJD = "onbepaalde_tijd", "Vast contract"
    BBL = "bbl", "Bbl-leerbaan"
    BESCHUT_WERK = "beschut_werk", "Beschut werk"
    PROEFPLAATSING = "proefplaatsing", "Proefplaatsing"
    UITZEND = "uitzend", "Uitzendwerk"


class Instrument(LabelledEnum):
    """What gemeente or UWV can use to make work possible."""

    DOELGROEPREGISTER = "doelgroepregister", "Doelgroepregister (Banenafspraak)"
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", "Loonkostensubsidie"
    JOBCOACH = "jobcoach", "Jobcoach"
    NO_RISKPOLIS = "no_riskpolis", "No-riskpolis"
    LOONWAARDEMETING = "loonwaardemeting", "Loonwaardemeting"


class Perspectief(LabelledEnum):
    """Can the stage become a job or a bbl place? Asked before 1 April."""

    ONBEKEND = "onbekend", "Nog niet besproken"
    BAAN = "baan", "Kan een baan worden"
    BBL = "bbl", "Kan een bbl-plaats worden"
    GEEN = "geen", "Geen vervolg mogelijk"


class TimelineKind(LabelledEnum):
    NOTITIE = "notitie", "Notitie"
    GEBEURTENIS = "gebeurtenis", "Gebeurtenis"
