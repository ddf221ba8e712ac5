"""The uitstroomoverleg with the gemeente: about half a year before leaving, every pupil with
profile werk is discussed with the gemeente's klantmanager or jobcoach (sometimes UWV), and
instruments are decided (doelgroepregister/Banenafspraak, loonkostensubsidie, jobcoach,
no-riskpolis, loonwaarde).

Only pupils whose consent or legal basis allows sharing with that gemeente are named on the
bespreeklijst; the others are counted ("bespreken zonder naam"). What is decided per pupil
becomes an agreement in the transitieplan and a checklist task, under one task code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from uitstroom.domain.checklist import DECIDED_TASK_PREFIX, Owner
from uitstroom.domain.enums import Instrument, Route, Uitstroomprofiel
from uitstroom.domain.handover import AgreementParty, SchoolHeader

# The task code of an agreement made in an overleg: "overleg-<decision id>". A replan after a
# route change keeps these tasks: they come from a decision, not from the route's checklist.
TASK_PREFIX = DECIDED_TASK_PREFIX
DEADLINE_NAME = "Afspraak uit het uitstroomoverleg"
NO_CONSENT = "geen toestemming: bespreken zonder naam"

OWNER_OF_PARTY = {
    AgreementParty.LEERLING: Owner.LEERLING,
    AgreementParty.OUDER: Owner.OUDER,
    AgreementParty.SCHOOL: Owner.SCHOOL,
    AgreementParty.MBO: Owner.MBO,
    AgreementParty.GEMEENTE: Owner.GEMEENTE,
    AgreementParty.WERKGEVER: Owner.WERKGEVER,
    AgreementParty.JOBCOACH: Owner.SCHOOL,
}


def discussed(profiel: Uitstroomprofiel | None, route: Route) -> bool:
    """Every pupil with profile werk (vso: arbeidsmarktgericht), and anyone on route arbeid."""
    return profiel in (Uitstroomprofiel.ARBEID, Uitstroomprofiel.ARBEIDSMARKTGERICHT) or (
        route is Route.ARBEID
    )


def open_question(
    instruments: Iterable[Instrument], has_stage: bool, has_contact: bool, route: Route
) -> str:
    """What the meeting should answer for this pupil, from what the file still lacks."""
    if route is not Route.ARBEID:
        return "Past route arbeid, of is een opleiding of dagbesteding beter?"
    if not has_stage:
        return "Welke werkplek of stage past, en wie zoekt die?"
    if not tuple(instruments):
        return "Welke instrumenten zijn nodig om het werk mogelijk te maken?"
    if not has_contact:
        return "Wie is de vaste contactpersoon bij de gemeente?"
    return "Zijn de voorgestelde instrumenten aangevraagd, en door wie?"


@dataclass(frozen=True)
class BespreekRow:
    """One named pupil on the bespreeklijst."""

    pupil_id: int
    name: str
    klas: str
    profiel: str
    route: str
    stage: str  # "Bakkerij Van Dam (tot 30 juni 2027)" or ""
    instruments: tuple[Instrument, ...]
    contact: str  # the gemeente's contact person for this pupil, or ""
    question: str


@dataclass(frozen=True)
class Bespreeklijst:
    school: SchoolHeader
    gemeente: str
    contacts: tuple[str, ...]  # the gemeente's people: "Petra Hoekstra, klantmanager jongeren"
    rows: tuple[BespreekRow, ...]
    unnamed: int  # pupils to discuss without a name: no basis to share with this gemeente
    made_on: date
    held_on: date | None = None


@dataclass(frozen=True)
class Decision:
    """What was decided for one pupil: the instrument (if any), what, who follows up, by when."""

    pupil_id: int
    what: str
    party: AgreementParty
    due: date | None
    instrument: Instrument | None = None
    task_code: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Overleg:
    organisation_id: int
    gemeente: str
    held_on: date
    present: str = ""
    decisions: tuple[Decision, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class VerslagLine:
    name: str
    klas: str
    instrument: str
    what: str
    who: str
    due: date | None


@dataclass(frozen=True)
class Verslag:
    school: SchoolHeader
    gemeente: str
    held_on: date
    present: str
    lines: tuple[VerslagLine, ...]
    not_decided: int  # named pupils on the list with no decision recorded
    unnamed: int
    made_on: date


def decision_problems(decision: Decision, held_on: date) -> list[str]:
    problems = []
    if decision.instrument is None and not decision.what.strip():
        problems.append("Kies een instrument of schrijf op wat er is afgesproken.")
    if decision.due is None:
        problems.append("Vul in wanneer het klaar moet zijn.")
    elif decision.due < held_on:
        problems.append("De datum ligt voor het overleg. Kies een datum erna.")
    return problems


def agreement_text(decision: Decision, gemeente: str) -> str:
    """The line in the transitieplan: what, with the instrument first."""
    parts = []
    if decision.instrument is not None:
        parts.append(decision.instrument.label)
    if decision.what.strip():
        parts.append(decision.what.strip())
    return f"{': '.join(parts)} (uitstroomoverleg {gemeente})"
