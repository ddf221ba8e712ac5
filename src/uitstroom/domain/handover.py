"""The transitieplan, the Paspoort voor Succes, the address book (sociale kaart) and the consent
register that every handover needs.

The rules in plain words:
- A pupil of 16 or older consents for themself; below 16 a parent or verzorger consents for
  them (AVG art. 8 with the Dutch age of 16, UAVG art. 5).
- A handover to a receiver needs a basis recorded for that receiver: consent, or a legal task
  (the school must signal the Doorstroompunt about a young person without startkwalificatie).
- Consent covers named parts of the Paspoort only; an overdracht holds those parts and no other.
- Withdrawn consent no longer counts from the day it was withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from uitstroom.domain.enums import LabelledEnum

ADULT_FOR_CONSENT = 16


class Receiver(LabelledEnum):
    """Who a document is handed to."""

    MBO = "mbo", "Mbo-instelling"
    GEMEENTE = "gemeente", "Gemeente, Werk en Inkomen"
    WERKGEVER = "werkgever", "Werkgever of leerbedrijf"
    JOBCOACH = "jobcoach", "Jobcoach"
    DOORSTROOMPUNT = "doorstroompunt", "Doorstroompunt"
    ANDERS = "anders", "Andere ontvanger"


class OrganisationKind(LabelledEnum):
    """The kinds of organisation in the address book."""

    MBO = "mbo", "Mbo-instelling"
    GEMEENTE = "gemeente", "Gemeente (Werk en Inkomen)"
    DOORSTROOMPUNT = "doorstroompunt", "Doorstroompunt"
    UWV = "uwv", "UWV"
    JOBCOACH = "jobcoach", "Jobcoachorganisatie"
    WERKGEVER = "werkgever", "Werkgever of leerbedrijf"
    ANDERS = "anders", "Andere organisatie"


# The receiver a handover to an organisation of this kind is for.
RECEIVER_OF_KIND = {
    OrganisationKind.MBO: Receiver.MBO,
    OrganisationKind.GEMEENTE: Receiver.GEMEENTE,
    OrganisationKind.DOORSTROOMPUNT: Receiver.DOORSTROOMPUNT,
    OrganisationKind.UWV: Receiver.ANDERS,
    OrganisationKind.JOBCOACH: Receiver.JOBCOACH,
    OrganisationKind.WERKGEVER: Receiver.WERKGEVER,
    OrganisationKind.ANDERS: Receiver.ANDERS,
}


class LegalBasis(LabelledEnum):
    TOESTEMMING = "toestemming", "Toestemming"
    WETTELIJKE_TAAK = "wettelijke_taak", "Wettelijke taak"


class Consenter(LabelledEnum):
    LEERLING = "leerling", "De leerling zelf (16 jaar of ouder)"
    OUDER = "ouder", "Ouder of verzorger (leerling jonger dan 16)"


class Section(LabelledEnum):
    """The parts of the Paspoort voor Succes that can be shared, in the order of the document.
    The label is the heading a parent reads."""

    WIE = "wie", "Wie ben je?"
    KAN = "kan", "Wat kan je?"
    WIL = "wil", "Wat wil je?"
    NODIG = "nodig", "Wat heb je nodig?"
    KEUZE = "keuze", "Hoe de keuze is gemaakt"
    AANPAK = "aanpak", "Wat helpt: aanpak en aanpassingen die werken"
    STAGES = "stages", "Stages en wat je hebt geleerd"
    DIPLOMAS = "diplomas", "Diploma's, certificaten en praktijkverklaringen"
    CONTACT = "contact", "Contactgegevens van de leerling en ouders"
    ONDERSTEUNING = "ondersteuning", "Ondersteuningsbehoefte (uit het OPP)"


# Parts that describe health or special needs: shown with a warning where consent is recorded.
SENSITIVE_SECTIONS = frozenset({Section.NODIG, Section.AANPAK, Section.ONDERSTEUNING})
# The paspoort's texts that belong to those parts: a read-only user never sees them.
SENSITIVE_PASPOORT_FIELDS = ("nodig", "aanpak", "aanpassingen")


class DocumentKind(LabelledEnum):
    TRANSITIEPLAN = "transitieplan", "Transitieplan"
    PASPOORT = "paspoort", "Paspoort voor Succes"
    OVERDRACHT = "overdracht", "Overdracht"


class AgreementParty(LabelledEnum):
    """Who does what in an agreement of the transitieplan."""

    LEERLING = "leerling", "Leerling"
    OUDER = "ouder", "Ouder/verzorger"
    SCHOOL = "school", "School"
    MBO = "mbo", "Mbo"
    GEMEENTE = "gemeente", "Gemeente"
    WERKGEVER = "werkgever", "Werkgever"
    JOBCOACH = "jobcoach", "Jobcoach"


class ContactRole(LabelledEnum):
    """The role of a contact person in one pupil's plan."""

    SCHOOL = "school", "School"
    MBO = "mbo", "Mbo"
    GEMEENTE = "gemeente", "Gemeente"
    WERKGEVER = "werkgever", "Werkgever"
    JOBCOACH = "jobcoach", "Jobcoach"
    ANDERS = "anders", "Anders"


class CredentialKind(LabelledEnum):
    DIPLOMA = "diploma", "Diploma"
    CERTIFICAAT = "certificaat", "Certificaat"
    PRAKTIJKVERKLARING = "praktijkverklaring", "Praktijkverklaring"


# --- the address book ----------------------------------------------------------------------


@dataclass(frozen=True)
class ContactPerson:
    name: str
    function: str = ""
    phone: str = ""
    email: str = ""
    left_on: date | None = None
    replaced_by_id: int | None = None
    organisation_id: int | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.left_on is None


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: OrganisationKind
    # For a gemeente: the woongemeenten its Werk en Inkomen team serves, comma separated.
    serves: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    note: str = ""
    contacts: tuple[ContactPerson, ...] = ()
    id: int | None = None

    def serves_gemeente(self, woongemeente: str) -> bool:
        wanted = woongemeente.strip().casefold()
        names = {part.strip().casefold() for part in (self.serves or self.name).split(",")}
        return bool(wanted) and wanted in names


# --- one pupil's plan and paspoort -----------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """One row of 'wie doet wat wanneer'. task_code links it to the checklist task it
    matches (so ticking the task shows it done in the plan)."""

    what: str
    party: AgreementParty
    due: date | None = None
    contact_id: int | None = None
    task_code: str = ""
    done: bool = False
    id: int | None = None


@dataclass(frozen=True)
class PlanContact:
    role: ContactRole
    contact_id: int
    id: int | None = None


@dataclass(frozen=True)
class Transitieplan:
    goals: str = ""
    agreements: tuple[Agreement, ...] = ()
    contacts: tuple[PlanContact, ...] = ()
    updated_on: date | None = None
    updated_by: str = ""
    # The version it was read at (0: there was none yet); None: not checked on saving.
    version: int | None = None


@dataclass(frozen=True)
class Credential:
    kind: CredentialKind
    name: str
    issued_on: date | None = None
    issuer: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Paspoort:
    """The pupil's own handover document, written with pupil and parents."""

    wie: str = ""
    kan: str = ""
    wil: str = ""
    nodig: str = ""
    keuze: str = ""
    aanpak: str = ""
    aanpassingen: str = ""
    credentials: tuple[Credential, ...] = ()
    updated_on: date | None = None
    updated_by: str = ""
    # The version it was read at (0: there was none yet); None: not checked on saving.
    version: int | None = None


# Guiding questions shown beside each editor, in plain Dutch (B1).
GUIDING_QUESTIONS: dict[str, str] = {
    "wie": "Hoe zou je jezelf beschrijven? Wat vind je leuk, wat doe je in je vrije tijd? "
    "Wat zeggen anderen over jou?",
    "kan": "Waar ben je goed in? Wat heb je geleerd op school en op stage? "
    "Welk werk doe je graag en goed?",
    "wil": "Wat wil je na school gaan doen? Welke opleiding of welk werk past bij jou? "
    "Wat wil je nog leren?",
    "nodig": "Wat heb je nodig om het goed te doen? Wie of wat helpt je daarbij? "
    "Waar moet je nieuwe school of werkgever rekening mee houden?",
    "keuze": "Hoe heb je deze keuze gemaakt? Met wie heb je erover gepraat? "
    "Welke stages of proefdagen hielpen daarbij?",
    "aanpak": "Wat werkt goed bij jou? Bijvoorbeeld: uitleg in kleine stappen, "
    "vaste tijden, één vast aanspreekpunt.",
    "aanpassingen": "Welke aanpassingen helpen je? Bijvoorbeeld: een rustige werkplek, "
    "extra tijd, een koptelefoon.",
    "goals": "Wat wil de leerling dit laatste schooljaar bereiken? Schrijf elk doel op een "
    "eigen regel.",
}


# --- consent ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """A recorded basis for handing over to one receiver (optionally one organisation)."""

    receiver: Receiver
    basis: LegalBasis
    sections: frozenset[Section]
    given_on: date
    consenter: Consenter | None = None  # None for a legal task
    consenter_name: str = ""
    organisation_id: int | None = None
    withdrawn_on: date | None = None
    note: str = ""
    id: int | None = None
    # The file name of the signed form's scan kept with it, "" when there is none.
    scan_name: str = ""

    def valid_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


def age_on(birth: date, day: date) -> int:
    """Whole years on `day`; someone born on 29 February turns a year older on 1 March in
    common years (as Dutch law counts it)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def required_consenter(birth: date | None, day: date) -> Consenter:
    """Who must consent on `day`: the pupil from 16, a parent below. Without a birth date the
    safe choice is a parent."""
    if birth is not None and age_on(birth, day) >= ADULT_FOR_CONSENT:
        return Consenter.LEERLING
    return Consenter.OUDER


def consent_problems(consent: Consent, birth: date | None, today: date) -> list[str]:
    """What is wrong with a consent about to be recorded, in words the coordinator acts on."""
    problems = []
    if not consent.sections:
        problems.append("Kies welke delen gedeeld mogen worden.")
    if consent.given_on > today:
        problems.append("De datum van de toestemming ligt in de toekomst. Kies vandaag of eerder.")
    if consent.withdrawn_on is not None and consent.withdrawn_on < consent.given_on:
        problems.append("De datum van intrekken ligt voor de datum van de toestemming.")
    if consent.basis is LegalBasis.TOESTEMMING:
        wanted = required_consenter(birth, consent.given_on)
        if consent.consenter is None:
            problems.append("Vul in wie toestemming gaf: de leerling of een ouder/verzorger.")
        elif consent.consenter is not wanted:
            if wanted is Consenter.OUDER:
                problems.append(
                    "De leerling was toen jonger dan 16: een ouder of verzorger geeft toestemming."
                )
            else:
                problems.append(
                    "De leerling was toen 16 of ouder en geeft zelf toestemming. "
                    "Vraag het de leerling."
                )
        if not consent.consenter_name.strip():
            problems.append("Vul de naam in van wie toestemming gaf.")
    return problems


def allowed_sections(
    consents: Iterable[Consent],
    receiver: Receiver,
    organisation_id: int | None,
    day: date,
) -> frozenset[Section] | None:
    """The parts that may go to `receiver` (at `organisation_id`) on `day`: the union over the
    valid consents for that receiver, either for that organisation or for any organisation of
    its kind (organisation_id None). None when there is no basis at all: refuse."""
    found: set[Section] = set()
    basis = False
    for consent in consents:
        if consent.receiver is not receiver or not consent.valid_on(day):
            continue
        if consent.organisation_id is not None and consent.organisation_id != organisation_id:
            continue
        basis = True
        found |= consent.sections
    return frozenset(found) if basis else None


def no_basis_message(receiver: Receiver, pupil_name: str) -> str:
    return (
        f"Er is geen toestemming of wettelijke grond vastgelegd om gegevens van {pupil_name} "
        f"te delen met: {receiver.label}. Leg eerst vast wie toestemming gaf, op welke datum "
        "en welke delen gedeeld mogen worden (tab Toestemming)."
    )


# --- the finished data objects the documents render -----------------------------------------


@dataclass(frozen=True)
class SchoolHeader:
    name: str
    logo_png: bytes | None = field(default=None, repr=False)
    coordinator_name: str = ""
    coordinator_phone: str = ""
    coordinator_email: str = ""
    # How long the school stays in touch after leaving: two years for pro/vso, one for mbo.
    nazorg_years: int = 2
    # The letterhead: the school's own address and contacts.
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""

    @property
    def contact_lines(self) -> tuple[str, ...]:
        return contact_lines(self.address, self.phone, self.email, self.website)


def contact_lines(address: str, phone: str, email: str, website: str) -> tuple[str, ...]:
    """The school's address and contacts as printed at the top right of every page: the
    address on one line, then phone and e-mail, then the website."""
    one_line = ", ".join(line.strip() for line in address.splitlines() if line.strip())
    reach = "  ·  ".join(part for part in (phone.strip(), email.strip()) if part)
    return tuple(line for line in (one_line, reach, website.strip()) if line)


@dataclass(frozen=True)
class PersonLine:
    """A contact as printed: role, name, organisation, phone, e-mail."""

    role: str
    name: str
    organisation: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class AgreementLine:
    what: str
    who: str
    when: date | None
    done: bool = False


@dataclass(frozen=True)
class StageLine:
    company: str
    start: date | None
    end: date | None
    learned: str = ""


@dataclass(frozen=True)
class PupilHeader:
    name: str
    birth: date | None
    klas: str
    route: str  # the route's label, with opleiding or werkgever when known
    cohort: str
    woongemeente: str = ""


@dataclass(frozen=True)
class TransitieplanDoc:
    school: SchoolHeader
    pupil: PupilHeader
    goals: tuple[str, ...]
    agreements: tuple[AgreementLine, ...]
    contacts: tuple[PersonLine, ...]
    guardians: tuple[str, ...]
    made_on: date


@dataclass(frozen=True)
class PaspoortDoc:
    """Also the overdracht: `sections` are the parts included (every part for the Paspoort
    itself), `receiver` says for whom an overdracht is."""

    school: SchoolHeader
    pupil: PupilHeader
    sections: tuple[Section, ...]
    texts: dict[Section, str]
    stages: tuple[StageLine, ...]
    credentials: tuple[Credential, ...]
    contacts: tuple[PersonLine, ...]
    nazorg_contact: PersonLine | None
    made_on: date
    receiver: str = ""  # "Mbo-instelling: ROC Midden" for an overdracht; "" for the Paspoort
    consent_line: str = ""  # "Toestemming van Noa Jansen op 3 maart 2027" on an overdracht
    # An overdracht leaves out a part that has content but no consent for this receiver.
    withheld: bool = False


@dataclass(frozen=True)
class DocumentRecord:
    """One line of the register of documents made."""

    kind: DocumentKind
    made_at: str  # ISO timestamp
    made_by: str
    receiver: Receiver | None
    organisation: str
    sections: frozenset[Section]
    data_version: str
    id: int | None = None
