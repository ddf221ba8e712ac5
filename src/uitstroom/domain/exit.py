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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from uitstroom.domain.dates import dutch_date
from uitstroom.domain.enums import JaNeeOnbekend, LabelledEnum, Leerweg, Niveau
from uitstroom.domain.handover import Receiver, SchoolHeader, Section
from uitstroom.domain.nazorg import Destination, Leaving
from uitstroom.domain.validation import check_email, check_phone, is_school_address


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
    dropout_reason: str = ""  # the main reason for stopping without a diploma
    # Other reasons that played a part, besides the main one.
    other_dropout_reasons: tuple[str, ...] = ()
    startkwalificatie: JaNeeOnbekend = JaNeeOnbekend.ONBEKEND
    next_step: NextStep | None = None
    next_step_detail: str = ""  # which employer or opleiding
    # Next step work, and the student does not (yet) name the employer: a valid answer.
    employer_unknown: bool = False
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
    # The version it was read at; None: not checked (an import, a new interview).
    version: int | None = None


# The form's labels: every message names a field as the form labels it.
LABEL_HELD_ON = "Datum van het gesprek"
LABEL_LEFT_ON = "Vertrekdatum"
LABEL_REASON = "Reden van vertrek"
LABEL_DROPOUT = "Waarom gestopt?"
LABEL_OTHER_DROPOUT = "Ook meegespeeld"
LABEL_STARTKWALIFICATIE = "Startkwalificatie"
LABEL_NEXT_STEP = "Wat ga je hierna doen?"
LABEL_EMPLOYER = "Bij welk bedrijf?"
LABEL_EMPLOYER_UNKNOWN = "Werkgever nog onbekend"
LABEL_OPLEIDING = "Welke opleiding, waar?"
LABEL_PHONE_AFTER = "Telefoon na school"
LABEL_EMAIL_AFTER = "E-mail na school"
LABEL_SPARE_PHONE = "Telefoon reservecontact"
LABEL_NAZORG = "Mogen we je bellen?"
# What the nazorg file says when the student would not name the employer.
EMPLOYER_NOT_NAMED = "Werkgever nog onbekend"


def finish_problems(interview: ExitInterview, today: date) -> list[str]:
    """What is missing before an interview can be finished, in words the mentor acts on; each
    sentence names the field as the form labels it, in ‘ ’."""
    problems = []
    if interview.held_on is None:
        problems.append(f"Vul ‘{LABEL_HELD_ON}’ in.")
    elif interview.held_on > today:
        problems.append(f"‘{LABEL_HELD_ON}’ ligt in de toekomst. Kies vandaag of eerder.")
    if interview.left_on is None:
        problems.append(f"Vul ‘{LABEL_LEFT_ON}’ in: de laatste schooldag van de student.")
    if interview.reason is None:
        problems.append(f"Kies een ‘{LABEL_REASON}’.")
    elif interview.reason is LeavingReason.UITVAL and not interview.dropout_reason.strip():
        problems.append(f"Kies bij ‘{LABEL_DROPOUT}’ de belangrijkste reden.")
    if interview.next_step is None:
        problems.append(f"Kies bij ‘{LABEL_NEXT_STEP}’ wat de student gaat doen (of ‘Onbekend’).")
    elif interview.next_step is NextStep.WERK and not (
        interview.next_step_detail.strip() or interview.employer_unknown
    ):
        problems.append(
            f"Vul ‘{LABEL_EMPLOYER}’ in, of vink ‘{LABEL_EMPLOYER_UNKNOWN}’ aan als de student "
            "het niet weet of niet wil zeggen."
        )
    elif interview.next_step is NextStep.OPLEIDING and not interview.next_step_detail.strip():
        problems.append(f"Vul ‘{LABEL_OPLEIDING}’ in.")
    if interview.nazorg_agreed is None:
        problems.append(
            f"Vraag of de student nazorggesprekken wil, en kies het antwoord bij ‘{LABEL_NAZORG}’."
        )
    if interview.nazorg_agreed and not (
        interview.phone_after.strip() or interview.email_after.strip()
    ):
        problems.append(
            f"Vul ‘{LABEL_PHONE_AFTER}’ of ‘{LABEL_EMAIL_AFTER}’ in, anders kan niemand bellen."
        )
    if interview.reason is LeavingReason.DIPLOMA and (
        interview.startkwalificatie is JaNeeOnbekend.ONBEKEND
    ):
        problems.append(
            f"Kies bij ‘{LABEL_STARTKWALIFICATIE}’ of het diploma een startkwalificatie is "
            "(niveau 2 of hoger)."
        )
    return problems


def startkwalificatie_of(reason: LeavingReason | None, niveau: Niveau | None) -> JaNeeOnbekend:
    """What follows from the opleiding: a diploma of niveau 2 or higher is a startkwalificatie,
    an entree diploma is not. Without a diploma nothing follows (the student may have one from
    before, a havo diploma say): ONBEKEND, to ask."""
    if reason is not LeavingReason.DIPLOMA or niveau is None:
        return JaNeeOnbekend.ONBEKEND
    return JaNeeOnbekend.NEE if niveau is Niveau.ENTREE else JaNeeOnbekend.JA


def with_startkwalificatie(interview: ExitInterview, niveau: Niveau | None) -> ExitInterview:
    """The interview with startkwalificatie filled in where it follows and was not answered."""
    if interview.startkwalificatie is not JaNeeOnbekend.ONBEKEND:
        return interview
    return replace(interview, startkwalificatie=startkwalificatie_of(interview.reason, niveau))


def dropout_reasons_of(interview: ExitInterview) -> tuple[str, ...]:
    """The main reason first, then the others, each once."""
    if interview.reason is not LeavingReason.UITVAL:
        return ()
    found = (interview.dropout_reason, *interview.other_dropout_reasons)
    return tuple(dict.fromkeys(r.strip() for r in found if r.strip()))


def receiver_name(receiver: Receiver) -> str:
    """A handover receiver in a sentence, with its article: 'het Doorstroompunt', 'de
    gemeente (Werk en Inkomen)'."""
    if receiver is Receiver.DOORSTROOMPUNT:
        return "het Doorstroompunt"
    if receiver is Receiver.GEMEENTE:
        return "de gemeente (Werk en Inkomen)"
    return f"de {receiver.label.lower()}"


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


# --- interviews recorded elsewhere: the columns of an exit import -----------------------------

# The parts of the Paspoort a student's consent in the interview covers: who they are, what they
# want, their diplomas and how to reach them. Nothing about health or support needs.
EXIT_CONSENT_SECTIONS = frozenset({Section.WIE, Section.WIL, Section.DIPLOMAS, Section.CONTACT})


class ExitField(LabelledEnum):
    """A column of an exit import; the label is the header the school's template uses."""

    STUDENTNUMMER = "studentnummer", "Studentnummer"
    STATUS = "status", "Status"
    HELD_ON = "held_on", "Datum gesprek"
    LEFT_ON = "left_on", "Datum vertrek"
    REASON = "reason", "Reden van vertrek"
    DROPOUT_REASON = "dropout_reason", "Reden uitval"
    STARTKWALIFICATIE = "startkwalificatie", "Startkwalificatie"
    NEXT_STEP = "next_step", "Vervolg"
    NEXT_STEP_DETAIL = "next_step_detail", "Vervolg toelichting"
    HELP_WANTED = "help_wanted", "Hulp gewenst"
    PHONE_AFTER = "phone_after", "Telefoon na school"
    EMAIL_AFTER = "email_after", "E-mail na school"
    SPARE_NAME = "spare_name", "Reservecontact naam"
    SPARE_RELATION = "spare_relation", "Reservecontact relatie"
    SPARE_PHONE = "spare_phone", "Reservecontact telefoon"
    NAZORG = "nazorg", "Nazorg gewenst"
    CONSENT_DOORSTROOMPUNT = "consent_doorstroompunt", "Toestemming Doorstroompunt"
    CONSENT_GEMEENTE = "consent_gemeente", "Toestemming gemeente"
    MENTOR = "mentor", "SLB'er"
    NOTE = "note", "Notitie"


EXIT_REQUIRED = frozenset({ExitField.STUDENTNUMMER, ExitField.HELD_ON})

EXIT_HEADER_ALIASES: dict[ExitField, tuple[str, ...]] = {
    ExitField.STUDENTNUMMER: (
        "studentnummer",
        "studentnr",
        "leerlingnummer",
        "deelnemernummer",
        "deelnemernr",
        "stamnummer",
        "llnr",
    ),
    ExitField.STATUS: ("status", "status gesprek", "afgerond"),
    ExitField.HELD_ON: ("datum gesprek", "gesprek op", "datum exitgesprek", "gespreksdatum"),
    ExitField.LEFT_ON: (
        "datum vertrek",
        "vertrekdatum",
        "uitstroomdatum",
        "uitschrijfdatum",
        "datum uitschrijving",
        "einddatum",
    ),
    ExitField.REASON: ("reden van vertrek", "reden vertrek", "reden", "vertrekreden"),
    ExitField.DROPOUT_REASON: ("reden uitval", "uitvalreden", "reden zonder diploma"),
    ExitField.STARTKWALIFICATIE: ("startkwalificatie", "skw", "startkwalificatie behaald"),
    ExitField.NEXT_STEP: ("vervolg", "vervolgstap", "bestemming", "na school"),
    ExitField.NEXT_STEP_DETAIL: (
        "vervolg toelichting",
        "toelichting vervolg",
        "werkgever of opleiding",
        "waar",
    ),
    ExitField.HELP_WANTED: ("hulp gewenst", "hulp", "hulpvraag", "wil hulp bij"),
    ExitField.PHONE_AFTER: ("telefoon na school", "telefoon", "mobiel", "telefoonnummer"),
    ExitField.EMAIL_AFTER: ("e-mail na school", "e-mail", "email", "e-mailadres"),
    ExitField.SPARE_NAME: ("reservecontact naam", "reservecontact", "contactpersoon"),
    ExitField.SPARE_RELATION: ("reservecontact relatie", "relatie reservecontact", "relatie"),
    ExitField.SPARE_PHONE: ("reservecontact telefoon", "telefoon reservecontact"),
    ExitField.NAZORG: ("nazorg gewenst", "nazorg", "nazorggesprekken", "wil nazorg"),
    ExitField.CONSENT_DOORSTROOMPUNT: (
        "toestemming doorstroompunt",
        "doorstroompunt",
        "warme overdracht doorstroompunt",
    ),
    ExitField.CONSENT_GEMEENTE: ("toestemming gemeente", "gemeente", "warme overdracht gemeente"),
    ExitField.MENTOR: ("slb'er", "slber", "slb", "studieloopbaanbegeleider", "mentor"),
    ExitField.NOTE: ("notitie", "opmerking", "opmerkingen", "toelichting"),
}

EXIT_MAX_LENGTH: dict[ExitField, int] = {
    ExitField.STUDENTNUMMER: 40,
    ExitField.DROPOUT_REASON: 200,
    ExitField.NEXT_STEP_DETAIL: 300,
    ExitField.PHONE_AFTER: 40,
    ExitField.EMAIL_AFTER: 200,
    ExitField.SPARE_NAME: 200,
    ExitField.SPARE_RELATION: 100,
    ExitField.SPARE_PHONE: 40,
    ExitField.MENTOR: 200,
    ExitField.NOTE: 4000,
}


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def guess_exit_mapping(headers: Sequence[str]) -> dict[ExitField, int]:
    """Field -> column index for every header that is a known name; each column used once.
    Exact names first, so 'Telefoon reservecontact' never lands on 'Telefoon na school'."""
    squashed = [_squash(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[ExitField, int] = {}
    for rank in range(max(len(a) for a in EXIT_HEADER_ALIASES.values())):
        for field in ExitField:
            aliases = EXIT_HEADER_ALIASES[field]
            if field in mapping or rank >= len(aliases):
                continue
            wanted = _squash(aliases[rank])
            found = next(
                (i for i, h in enumerate(squashed) if h == wanted and i not in taken), None
            )
            if found is not None:
                mapping[field] = found
                taken.add(found)
    return mapping


_YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
_NO = {"nee", "n", "no", "0", "false", "onwaar"}
_REASONS = {
    "diploma": LeavingReason.DIPLOMA,
    "diplomabehaald": LeavingReason.DIPLOMA,
    "geslaagd": LeavingReason.DIPLOMA,
    "overstap": LeavingReason.OVERSTAP,
    "uitval": LeavingReason.UITVAL,
    "voortijdig": LeavingReason.UITVAL,
    "zonderdiploma": LeavingReason.UITVAL,
}
_NEXT_STEPS = {
    "werk": NextStep.WERK,
    "opleiding": NextStep.OPLEIDING,
    "studie": NextStep.OPLEIDING,
    "andereopleiding": NextStep.OPLEIDING,
    "nogniets": NextStep.NOG_NIETS,
    "niets": NextStep.NOG_NIETS,
    "geen": NextStep.NOG_NIETS,
    "onbekend": NextStep.ONBEKEND,
}


def parse_yes_no(text: str) -> bool | None:
    """'ja'/'nee' and their usual spellings; None for an empty cell. ValueError otherwise."""
    core = _squash(text)
    if not core:
        return None
    if core in _YES:
        return True
    if core in _NO:
        return False
    raise ValueError(f"'{text.strip()}' is geen ja of nee. Schrijf ja of nee, of laat de cel leeg.")


def parse_reason(text: str) -> LeavingReason | None:
    if not text.strip():
        return None
    found = LeavingReason.from_text(text) or _REASONS.get(_squash(text))
    if isinstance(found, LeavingReason):
        return found
    raise ValueError(
        f"'{text.strip()}' is geen reden van vertrek. Gebruik diploma, overstap of uitval."
    )


def parse_next_step(text: str) -> NextStep | None:
    if not text.strip():
        return None
    found = NextStep.from_text(text) or _NEXT_STEPS.get(_squash(text))
    if isinstance(found, NextStep):
        return found
    raise ValueError(
        f"'{text.strip()}' is geen vervolg. Gebruik werk, opleiding, nog niets of onbekend."
    )


def parse_help(text: str) -> frozenset[HelpWanted]:
    """'werk, wonen' or 'geen'. ValueError names the part that is not a kind of help."""
    found: set[HelpWanted] = set()
    for part in text.replace(";", ",").replace("/", ",").split(","):
        core = _squash(part)
        if not core or core in ("geen", "nee", "niets"):
            continue
        match = HelpWanted.from_text(part) or next(
            (h for h in HelpWanted if core.startswith(_squash(h.value))), None
        )
        if not isinstance(match, HelpWanted):
            choices = ", ".join(h.value for h in HelpWanted)
            raise ValueError(
                f"'{part.strip()}' is geen soort hulp. Gebruik {choices} of geen, "
                "gescheiden door komma's."
            )
        found.add(match)
    return frozenset(found)


def parse_startkwalificatie(text: str) -> JaNeeOnbekend:
    if not text.strip():
        return JaNeeOnbekend.ONBEKEND
    found = JaNeeOnbekend.from_text(text)
    if isinstance(found, JaNeeOnbekend):
        return found
    answer = parse_yes_no(text)
    return JaNeeOnbekend.JA if answer else JaNeeOnbekend.NEE


def parse_state(text: str) -> InterviewState:
    """An empty status means finished: interviews recorded elsewhere are usually done."""
    core = _squash(text)
    if not core or core in _YES or core in ("afgerond", "klaar", "af"):
        return InterviewState.AFGEROND
    if core in _NO or core in ("concept", "nietaf", "nognietaf", "open"):
        return InterviewState.CONCEPT
    raise ValueError(
        f"'{text.strip()}' is geen status. Schrijf afgerond of concept, of laat de cel leeg "
        "(dan telt het gesprek als afgerond)."
    )


# finish_problems' sentences, by the column an import reports them in: the first field label
# a sentence names.
_FINISH_FIELDS = (
    (LABEL_HELD_ON, ExitField.HELD_ON),
    (LABEL_LEFT_ON, ExitField.LEFT_ON),
    (LABEL_REASON, ExitField.REASON),
    (LABEL_DROPOUT, ExitField.DROPOUT_REASON),
    (LABEL_NEXT_STEP, ExitField.NEXT_STEP),
    (LABEL_EMPLOYER, ExitField.NEXT_STEP_DETAIL),
    (LABEL_OPLEIDING, ExitField.NEXT_STEP_DETAIL),
    (LABEL_NAZORG, ExitField.NAZORG),
    (LABEL_PHONE_AFTER, ExitField.PHONE_AFTER),
    (LABEL_SPARE_PHONE, ExitField.SPARE_PHONE),
    (LABEL_STARTKWALIFICATIE, ExitField.STARTKWALIFICATIE),
    (LABEL_EMAIL_AFTER, ExitField.EMAIL_AFTER),
)


def field_of_problem(message: str) -> ExitField | None:
    """The column a sentence of finish_problems is about, for an import's problem list: the
    field it names first."""
    places = [(message.find(f"‘{label}’"), n) for n, (label, _) in enumerate(_FINISH_FIELDS)]
    first = min(((at, n) for at, n in places if at >= 0), default=None)
    return _FINISH_FIELDS[first[1]][1] if first is not None else None


MAX_DROPOUT_REASON = 200
SCHOOL_ADDRESS = (
    "Bij ‘E-mail na school’ staat een adres van school. Dat werkt niet meer als de student "
    "van school gaat. Vraag een eigen e-mailadres, of laat het leeg."
)


# --- what an interview may hold, and what it says ---------------------------------------------


def concept_problems(
    interview: ExitInterview, today: date, school_domains: tuple[str, ...] = ()
) -> list[str]:
    """Values a concept may not hold: a date in the future, a broken phone or e-mail, the
    school's own address as the e-mail after school."""
    problems = []
    if interview.held_on is not None and interview.held_on > today:
        problems.append(f"‘{LABEL_HELD_ON}’ ligt in de toekomst. Kies vandaag of eerder.")
    if interview.left_on is not None and interview.left_on > today + timedelta(days=366):
        problems.append(f"‘{LABEL_LEFT_ON}’ ligt meer dan een jaar vooruit. Kies een andere datum.")
    for label, text in (
        (LABEL_PHONE_AFTER, interview.phone_after),
        (LABEL_SPARE_PHONE, interview.spare_phone),
    ):
        message = check_phone(text)
        if message:
            problems.append(f"‘{label}’: {message}")
    message = check_email(interview.email_after)
    if message:
        problems.append(f"‘{LABEL_EMAIL_AFTER}’: {message}")
    elif is_school_address(interview.email_after, school_domains):
        problems.append(SCHOOL_ADDRESS)
    reasons = (interview.dropout_reason, *interview.other_dropout_reasons)
    if any(len(reason) > MAX_DROPOUT_REASON for reason in reasons):
        problems.append(
            f"Een reden bij ‘{LABEL_DROPOUT}’ is te lang (hoogstens {MAX_DROPOUT_REASON} tekens)."
        )
    return problems


def dropout_reason_problems(reasons: Sequence[str]) -> list[str]:
    problems = []
    if not [r for r in reasons if r]:
        problems.append("Houd minstens één reden over.")
    if any(not r for r in reasons):
        problems.append("Een reden mag niet leeg zijn. Vul hem in of haal de regel weg.")
    if any(len(r) > MAX_DROPOUT_REASON for r in reasons):
        problems.append(f"Een reden mag hoogstens {MAX_DROPOUT_REASON} tekens hebben.")
    seen = [r.casefold() for r in reasons if r]
    if len(set(seen)) != len(seen):
        problems.append("Elke reden mag maar één keer voorkomen.")
    return problems


def leaving_of(interview: ExitInterview) -> Leaving:
    """The leaving data nazorg needs, from the interview (left_on must be filled in)."""
    assert interview.left_on is not None
    destination = destination_of(interview)
    detail = interview.next_step_detail.strip()
    if destination is Destination.WERK and not detail and interview.employer_unknown:
        detail = EMPLOYER_NOT_NAMED
    return Leaving(
        interview.left_on,
        destination,
        employer=detail if destination is Destination.WERK else "",
        opleiding=detail if destination is Destination.MBO else "",
        note=f"Uit het exitgesprek van {dutch_date(interview.held_on)}.",
    )


def reason_text(interview: ExitInterview) -> str:
    if interview.reason is None:
        return ""
    reasons = dropout_reasons_of(interview)
    if reasons:
        text = f"{interview.reason.label}: {reasons[0]}"
        return f"{text} (ook: {', '.join(reasons[1:])})" if reasons[1:] else text
    return interview.reason.label


def next_step_text(interview: ExitInterview) -> str:
    if interview.next_step is None:
        return ""
    detail = interview.next_step_detail.strip()
    if not detail and interview.employer_unknown and interview.next_step is NextStep.WERK:
        detail = EMPLOYER_NOT_NAMED.lower()
    return f"{interview.next_step.label}: {detail}" if detail else interview.next_step.label


def what_next(
    interview: ExitInterview, call_dates: Sequence[date], receiver: Receiver
) -> tuple[str, ...]:
    """Plain sentences for the student: the calls, the handover, the help asked for."""
    sentences: list[str] = []
    if interview.nazorg_agreed and call_dates:
        dates = ", ".join(dutch_date(d) for d in call_dates[:-1])
        last = dutch_date(call_dates[-1])
        when = f"rond {dates} en {last}" if dates else f"rond {last}"
        sentences.append(f"School belt je {when} om te horen hoe het met je gaat. Neem gerust op!")
    elif interview.nazorg_agreed is False:
        sentences.append(
            "Je wilt niet gebeld worden door school. Bedenk je je? Bel of mail school, dan "
            "bellen we je alsnog."
        )
    if needs_handover(interview):
        chosen = [r for r in HANDOVER_RECEIVERS if r in interview.handover_consent]
        if chosen:
            who = " en ".join(receiver_name(r) for r in chosen)
            sentences.append(
                f"Je hebt nog geen werk of opleiding. School vertelt dat aan {who}, zodat ze "
                "je kunnen helpen. Zij nemen contact met je op."
            )
        else:
            sentences.append(
                f"Je hebt nog geen werk of opleiding. {sentence_start(receiver_name(receiver))} "
                "kan je helpen zoeken. School helpt je om contact te leggen."
            )
    if interview.help_wanted:
        kinds = ", ".join(h.label.lower() for h in HelpWanted if h in interview.help_wanted)
        sentences.append(f"Je wilt hulp bij: {kinds}. Je SLB'er helpt je op weg.")
    return tuple(sentences)


def sentence_start(text: str) -> str:
    """'het Doorstroompunt' -> 'Het Doorstroompunt' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]
