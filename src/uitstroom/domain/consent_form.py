"""The toestemmingsformulier: the paper a pupil or parent signs to say which parts of the
Paspoort voor Succes the school may share with one receiver. Printed per pupil and receiver,
or for a whole klas at once; the signed form comes back and is recorded in the consent
register with the same boxes (and, if the school wants, a scan of it).

The words are B1: short sentences, no law numbers in the text a parent reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from uitstroom.domain.handover import (
    SENSITIVE_SECTIONS,
    Consenter,
    PupilHeader,
    Receiver,
    SchoolHeader,
    Section,
    required_consenter,
)

# What each part holds, in the words a parent reads next to its tick box.
SECTION_EXPLAINED: dict[Section, str] = {
    Section.WIE: "Wie de leerling is: wat hij of zij leuk vindt en wat anderen over hem of haar "
    "zeggen.",
    Section.KAN: "Waar de leerling goed in is en wat hij of zij op school en stage leerde.",
    Section.WIL: "Welk werk of welke opleiding de leerling na school wil.",
    Section.NODIG: "Wat de leerling nodig heeft om het goed te doen, en waar de nieuwe plek "
    "rekening mee moet houden.",
    Section.KEUZE: "Hoe de keuze voor werk of opleiding is gemaakt.",
    Section.AANPAK: "Wat goed werkt bij de leerling, en aanpassingen die helpen.",
    Section.STAGES: "Waar de leerling stage liep en wat hij of zij daar leerde.",
    Section.DIPLOMAS: "Diploma's, certificaten en praktijkverklaringen.",
    Section.CONTACT: "Adres, telefoonnummer en e-mail van de leerling en de ouders.",
    Section.ONDERSTEUNING: "Welke extra hulp de leerling op school kreeg (uit het "
    "ontwikkelingsperspectiefplan).",
}

# The legal words, said plainly: what consent is, that no is allowed, and how to take it back.
CONSENT_RULES: tuple[str, ...] = (
    "U kiest zelf wat de school mag delen. Zet een kruisje bij elk deel dat de school mag "
    "geven. Zonder kruisje deelt de school dat deel niet.",
    "U mag ook nee zeggen. Dat heeft geen gevolgen voor de begeleiding op school.",
    "De school deelt alleen met de ontvanger hierboven, en alleen om de overstap na school "
    "goed te laten verlopen.",
    "U kunt uw toestemming altijd weer intrekken. Zeg het tegen de school. Vanaf die dag deelt "
    "de school niets meer. Wat al gedeeld is, kan de school niet terughalen.",
    "U mag altijd vragen welke gegevens de school van de leerling heeft, en wat er is gedeeld.",
)


@dataclass(frozen=True)
class ConsentFormDoc:
    """One form: who it is about, for which receiver, who signs (by the rule on the day it is
    printed), the names to print on the signature lines."""

    school: SchoolHeader
    pupil: PupilHeader
    receiver: Receiver
    organisation: str  # "" for any organisation of the receiver's kind
    signer: Consenter
    signer_names: tuple[str, ...]
    made_on: date
    # Parts already allowed for this receiver, shown so nobody signs twice without knowing.
    already: frozenset[Section] = frozenset()


# A scan of one signed form: a phone photo or a scanner's PDF is well under this.
SCAN_MAX_BYTES = 10_000_000
SCAN_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class ScanFile:
    """The signed form as scanned: kept in the encrypted database with its consent."""

    name: str
    data: bytes


def scan_problems(scan: ScanFile) -> list[str]:
    problems = []
    if not scan.name.casefold().endswith(SCAN_SUFFIXES):
        problems.append("Kies een scan als PDF, PNG of JPG.")
    if not scan.data:
        problems.append("Het gekozen bestand is leeg. Scan het formulier opnieuw.")
    elif len(scan.data) > SCAN_MAX_BYTES:
        problems.append("De scan is groter dan 10 MB. Scan het formulier in zwart-wit of kleiner.")
    return problems


def signer_for(birth: date | None, day: date) -> Consenter:
    """The pupil from 16, a parent below (domain.handover.required_consenter)."""
    return required_consenter(birth, day)


def receiver_words(receiver: Receiver, organisation: str) -> str:
    """'Mbo-instelling: ROC Midden' or 'Gemeente, Werk en Inkomen'."""
    return f"{receiver.label}: {organisation}" if organisation else receiver.label


def is_sensitive(section: Section) -> bool:
    return section in SENSITIVE_SECTIONS
