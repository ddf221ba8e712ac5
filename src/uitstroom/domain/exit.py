"""The mbo exitgesprek: the conversation a mentor (SLB'er) holds with every student who leaves.

- Every leaver gets one, with or without a diploma; entree, bol niveau 2 and early leavers
  come first (Wet van school naar duurzaam werk).
- It can be saved half-done and finished later; finishing needs the answers below.
- A finished interview sets the leaving data for nazorg. A student who agrees gets the mbo
  nazorg calls (one year); a refusal is recorded and no calls are planned.
- A student without a next step gets exactly one handover task to the Doorstroompunt (no
  startkwalificatie, under 27) or the gemeente, under the consent rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from uitstroom.domain.enums import JaNeeOnbekend, LabelledEnum, Leerweg, Niveau
from uitstroom.domain.handover import Receiver, SchoolHeader
from uitstroom.domain.nazorg import Destination


class LeavingReason(LabelledEnum):
    DIPLOMA = "diploma", "Diploma behaald"
    OVERSTAP = "overstap", "Overstap naar een andere opleiding"
    UITVAL = "uitval", "Gestopt zonder diploma"


# The school can edit this list (school_settings.dropout_reasons); these are the defaults.
DEFAULT_DROPOUT_REASONS = (
    "Opleiding past niet bij de student",
    "Persoonlijke omstandigheden",
    "Gezondheid",
    "Werk gevonden",
    "Studieresultaten",
    "Geldzaken",
    "Verhuizing",
    "Anders",
)


class NextStep(LabelledEnum):
    WERK = "werk", "Werk"
    OPLEIDING = "opleiding", "Een andere opleiding"
    NOG_NIETS = "nog_niets", "Nog niets"
    ONBEKEND = "onbekend", "Onbekend"


class HelpWanted(LabelledEnum):
    WERK = "werk", "Werk vinden"
    OPLEIDING = "opleiding", "Een opleiding vinden"
    GELD = "geld", "Geld en schulden"
    WONEN = "wonen", "Wonen"
    ZORG = "zorg", "Zorg en gezondheid"


class InterviewState(LabelledEnum):
    CONCEPT = "concept", "Nog niet af"
    AFGEROND = "afgerond", "Afgerond"


# Who may receive a warm handover after the interview.
HANDOVER_RECEIVERS = (Receiver.DOORSTROOMPUNT, Receiver.GEMEENTE)


@dataclass(frozen=True)
class ExitInterview:
    """One student's exitgesprek; every field may be empty while it is a concept."""

    held_on: date | None = None
    left_on: date | None = None
    reason: LeavingReason | None = None
    dropout_reason: str = ""
    startkwalificatie: JaNeeOnbekend = JaNeeOnbekend.ONBEKEND
    next_step: NextStep | None = None
    next_step_detail: str = ""  # which employer or opleiding
    help_wanted: frozenset[HelpWanted] = frozenset()
    phone_after: str = ""
    email_after: str = ""
    spare_name: str = ""
    spare_relation: str = ""
    spare_phone: str = ""
    nazorg_agreed: bool | None = None
    # Receivers the student (or a parent below 16) consented to for a warm handover.
    handover_consent: frozenset[Receiver] = frozenset()
    mentor: str = ""
    note: str = ""
    state: InterviewState = InterviewState.CONCEPT
    id: int | None = None


def finish_problems(interview: ExitInterview, today: date) -> list[str]:
    """What is missing before an interview can be finished, in words the mentor acts on."""
    problems = []
    if interview.held_on is None:
        problems.append("Vul de datum van het gesprek in.")
    elif interview.held_on > today:
        problems.append("De datum van het gesprek ligt in de toekomst. Kies vandaag of eerder.")
    if interview.left_on is None:
        problems.append("Vul de datum in waarop de student de school verlaat.")
    if interview.reason is None:
        problems.append("Kies de reden van vertrek.")
    elif interview.reason is LeavingReason.UITVAL and not interview.dropout_reason.strip():
        problems.append("Kies waarom de student stopt zonder diploma.")
    if interview.next_step is None:
        problems.append("Kies wat de student hierna gaat doen (of 'Onbekend').")
    if interview.nazorg_agreed is None:
        problems.append("Vraag of de student nazorggesprekken wil, en vul het antwoord in.")
    if interview.nazorg_agreed and not (
        interview.phone_after.strip() or interview.email_after.strip()
    ):
        problems.append(
            "Vul een telefoonnummer of e-mailadres in voor na school, anders kan niemand bellen."
        )
    if interview.reason is LeavingReason.DIPLOMA and (
        interview.startkwalificatie is JaNeeOnbekend.ONBEKEND
    ):
        problems.append("Vul in of het diploma een startkwalificatie is (niveau 2 of hoger).")
    return problems


def needs_handover(interview: ExitInterview) -> bool:
    """A student without a next step is handed over warmly."""
    return interview.next_step in (NextStep.NOG_NIETS, NextStep.ONBEKEND)


def destination_of(interview: ExitInterview) -> Destination:
    return {
        NextStep.WERK: Destination.WERK,
        NextStep.OPLEIDING: Destination.MBO,
        NextStep.NOG_NIETS: Destination.GEEN,
        NextStep.ONBEKEND: Destination.ONBEKEND,
        None: Destination.ONBEKEND,
    }[interview.next_step]


def priority(niveau: Niveau | None, leerweg: Leerweg | None, reason: LeavingReason | None) -> bool:
    """Entree, bol niveau 2 and early leavers come first in the law's mbo nazorg."""
    bol_2 = niveau is Niveau.N2 and leerweg is Leerweg.BOL
    return niveau is Niveau.ENTREE or bol_2 or reason is LeavingReason.UITVAL


# --- the finished data objects for the printed summary and the figures -----------------------


@dataclass(frozen=True)
class ExitSummaryDoc:
    """The printed summary the student takes home; plain texts, already in the student's words."""

    school: SchoolHeader
    student_name: str
    opleiding: str
    crebo: str
    niveau: str  # the label: "Niveau 2", "Entree"; "" when unknown
    leerweg: str  # "BOL" / "BBL"; "" when unknown
    held_on: date | None
    mentor: str
    reason_text: str  # "Gestopt zonder diploma: Gezondheid"
    next_step_text: str  # "Werk: Bakkerij De Korrel"
    help_wanted: tuple[str, ...]  # labels of HelpWanted
    contact_after: str  # "06-12345678, noa@example.nl"
    nazorg_agreed: bool | None
    handover_receivers: tuple[str, ...]  # labels of Receiver the student agreed to
    what_next: tuple[str, ...]  # plain sentences: "We bellen je rond 1 oktober 2027."
    made_on: date


@dataclass(frozen=True)
class ExitFigures:
    """Finished interviews of one school year (of held_on), counted per opleiding and niveau.

    Reason labels are LeavingReason labels, with uitval split out by dropout reason as
    "Gestopt zonder diploma: <reason>"; next-step labels are NextStep labels.
    """

    year: str  # "2026-2027"
    interviews: int
    by_opleiding: dict[str, dict[str, int]]  # opleiding -> reason label -> count
    next_by_opleiding: dict[str, dict[str, int]]  # opleiding -> next-step label -> count
    by_niveau: dict[str, dict[str, int]]  # niveau label -> reason label -> count
    next_by_niveau: dict[str, dict[str, int]]  # niveau label -> next-step label -> count
