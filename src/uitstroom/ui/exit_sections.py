"""The exitgesprek's sections, the answers' texts, and what finishing it will do: the questions the
form asks and the sentences it shows, apart from the widgets that ask them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from uitstroom.domain.enums import JaNeeOnbekend
from uitstroom.domain.exit import (
    HANDOVER_RECEIVERS,
    LABEL_DROPOUT,
    LABEL_EMPLOYER,
    LABEL_EMPLOYER_UNKNOWN,
    LABEL_HELD_ON,
    LABEL_LEFT_ON,
    LABEL_NAZORG,
    LABEL_NEXT_STEP,
    LABEL_OPLEIDING,
    LABEL_OTHER_DROPOUT,
    LABEL_PHONE_AFTER,
    LABEL_REASON,
    LABEL_SPARE_PHONE,
    LABEL_STARTKWALIFICATIE,
    ExitInterview,
    HelpWanted,
    LeavingReason,
    NextStep,
    needs_handover,
    receiver_name,
)
from uitstroom.domain.handover import Receiver
from uitstroom.domain.model import Pupil
from uitstroom.domain.nazorg import signal_to
from uitstroom.ui.forms import (
    CheckField,
    ChecksField,
    ChoiceField,
    DateField,
    Field,
    TextField,
    enum_choices,
)

# Checkbox texts with their mnemonic: every answer reachable with Alt and a letter.
HELP_CHOICES = (
    ("Wer&k vinden", HelpWanted.WERK),
    ("Een opleid&ing vinden", HelpWanted.OPLEIDING),
    ("G&eld en schulden", HelpWanted.GELD),
    ("Wo&nen", HelpWanted.WONEN),
    ("&Zorg en gezondheid", HelpWanted.ZORG),
)
RECEIVER_TEXT = {
    Receiver.DOORSTROOMPUNT: "Doorstroom&punt (jongeren tot 27 jaar)",
    Receiver.GEMEENTE: "&Gemeente, Werk en Inkomen",
}
NAZORG_CHOICES = (
    ("— nog niet gevraagd —", None),
    ("Ja, dat mag", True),
    ("Nee, liever niet", False),
)
NEXT_DETAIL_LABEL = {
    NextStep.WERK: f"&{LABEL_EMPLOYER}",
    NextStep.OPLEIDING: f"&{LABEL_OPLEIDING}",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    explanation: str
    fields: tuple[Field, ...]


def sections(dropout_reasons: Sequence[str]) -> tuple[Section, ...]:
    """The form, in the order of the conversation."""
    return (
        Section(
            "gesprek",
            "1. Het gesprek",
            "De datum van vandaag staat er al. Vul de laatste schooldag van de student in.",
            (
                DateField(name="held_on", label=f"&{LABEL_HELD_ON}"),
                DateField(name="left_on", label=f"&{LABEL_LEFT_ON}"),
                TextField(name="mentor", label="SLB'er", max_length=150),
            ),
        ),
        Section(
            "reden",
            "2. Waarom ga je weg?",
            "Met een diploma, naar een andere opleiding, of gestopt zonder diploma. "
            "Een startkwalificatie is een havo- of vwo-diploma, of een mbo-diploma op "
            "niveau 2 of hoger.",
            (
                ChoiceField(
                    name="reason",
                    label=f"&{LABEL_REASON}",
                    choices=enum_choices(LeavingReason, empty="— kies —"),
                ),
                ChoiceField(
                    name="dropout_reason",
                    label=f"&{LABEL_DROPOUT}",
                    choices=(
                        ("— kies de belangrijkste reden —", ""),
                        *((reason, reason) for reason in dropout_reasons),
                    ),
                    tooltip="De belangrijkste reden. Speelden er meer redenen mee? Vink die "
                    "hieronder aan.",
                ),
                ChecksField(
                    name="other_dropout_reasons",
                    label=LABEL_OTHER_DROPOUT,
                    choices=tuple((reason, reason) for reason in dropout_reasons),
                    tooltip="Andere redenen die ook meespeelden; niets aanvinken mag ook.",
                ),
                ChoiceField(
                    name="startkwalificatie",
                    label=f"&{LABEL_STARTKWALIFICATIE}",
                    choices=enum_choices(JaNeeOnbekend),
                    tooltip="Havo/vwo-diploma of mbo-diploma niveau 2 of hoger. Bij een "
                    "diploma vult het programma dit in uit het niveau van de opleiding.",
                ),
            ),
        ),
        Section(
            "hierna",
            "3. Wat ga je hierna doen?",
            "Werk, een andere opleiding, nog niets, of weet de student het niet? "
            "Wie nog niets heeft, krijgt hulp bij een volgende stap.",
            (
                ChoiceField(
                    name="next_step",
                    label=LABEL_NEXT_STEP.replace("hierna", "&hierna"),
                    choices=enum_choices(NextStep, empty="— kies —"),
                ),
                TextField(
                    name="next_step_detail",
                    label=f"&{LABEL_EMPLOYER}",
                    placeholder="bijv. Bakkerij De Korrel, of ROC Midden Nederland, Zorg",
                    max_length=200,
                ),
                CheckField(
                    name="employer_unknown",
                    label="",
                    text=f"{LABEL_EMPLOYER_UNKNOWN} (de student weet het niet of zegt het "
                    "liever niet)",
                ),
            ),
        ),
        Section(
            "hulp",
            "4. Waar wil je hulp bij?",
            "Vink aan wat de student noemt. Niets aanvinken mag ook.",
            (ChecksField(name="help_wanted", label="Hulp bij", choices=HELP_CHOICES),),
        ),
        Section(
            "contact",
            "5. Hoe kunnen we je bereiken na school?",
            "Controleer samen het nummer en e-mailadres dat de student na school gebruikt "
            "(geen schoolmail). "
            "Een reservecontact is iemand die weet hoe de student te bereiken is als het eigen "
            "nummer niet meer werkt.",
            (
                TextField(
                    name="phone_after",
                    label=f"&{LABEL_PHONE_AFTER}",
                    placeholder="06 12345678",
                    max_length=40,
                ),
                TextField(
                    name="email_after",
                    label="E-&mail na school",
                    placeholder="een eigen adres, geen schoolmail",
                    max_length=200,
                ),
                TextField(name="spare_name", label="Reserve&contact", max_length=200),
                TextField(
                    name="spare_relation",
                    label="Re&latie",
                    placeholder="bijv. moeder, oom, buurvrouw",
                    max_length=60,
                ),
                TextField(name="spare_phone", label=LABEL_SPARE_PHONE, max_length=40),
            ),
        ),
        Section(
            "nazorg",
            "6. Nazorg",
            "Vraag: “Mogen we je de komende tijd bellen om te horen hoe het gaat?” "
            "De school belt dan het komende jaar een paar keer. Zegt de student nee, dan "
            "belt niemand; dat nee wordt vastgelegd.",
            (
                ChoiceField(
                    name="nazorg_agreed",
                    label=LABEL_NAZORG.replace("je", "&je"),
                    choices=NAZORG_CHOICES,
                ),
            ),
        ),
        Section(
            "overdracht",
            "7. Warme overdracht",
            "De student heeft nog geen werk of opleiding. Met toestemming geeft de school de "
            "gegevens door, zodat iemand de student helpt een volgende stap te vinden. Vraag "
            "het de student; onder de 16 beslist een ouder. Geen toestemming: dan krijgt de "
            "instantie alleen een melding, zonder de gegevens.",
            (
                ChecksField(
                    name="handover_consent",
                    label="Toestemming voor",
                    choices=tuple((RECEIVER_TEXT[r], r) for r in HANDOVER_RECEIVERS),
                ),
            ),
        ),
        Section(
            "notitie",
            "8. Notitie",
            "Wat verder belangrijk is voor wie de student later belt. Kort en zakelijk.",
            (TextField(name="note", label="Notitie", multiline=True),),
        ),
    )


def handover_receiver(interview: ExitInterview, pupil: Pupil, today: date) -> Receiver:
    """Where the handover task goes; an unanswered startkwalificatie falls back on what the
    student's record says, as ExitService does."""
    start = interview.startkwalificatie
    if start is JaNeeOnbekend.ONBEKEND:
        start = pupil.startkwalificatie
    return signal_to(pupil.geboortedatum, today, start)


def consequences(interview: ExitInterview, pupil: Pupil, today: date) -> list[str]:
    """What finishing will do, in plain sentences; the same rules ExitService follows."""
    lines = []
    if interview.left_on is not None:
        lines.append(
            f"De vertrekdatum ({interview.left_on:%d-%m-%Y}) en wat de student gaat "
            "doen, gaan naar de nazorg."
        )
    if interview.nazorg_agreed is True:
        lines.append("De nazorggesprekken voor het komende jaar worden ingepland.")
    elif interview.nazorg_agreed is False:
        lines.append("Er worden geen nazorggesprekken ingepland; het nee wordt vastgelegd.")
    else:
        lines.append("Vraag nog of de school mag bellen (nazorg).")
    if interview.next_step is None:
        lines.append("Kies nog wat de student hierna gaat doen.")
    elif needs_handover(interview):
        receiver = handover_receiver(interview, pupil, today)
        agreed = receiver in interview.handover_consent
        lines.append(
            f"Er komt één overdrachtstaak: melden bij {receiver_name(receiver)}"
            + (", met de gegevens (toestemming gegeven)." if agreed else ", zonder gegevens.")
        )
    else:
        lines.append("Geen overdracht nodig: de student heeft een volgende stap.")
    return lines


def finished_lines(interview: ExitInterview, pupil: Pupil, today: date) -> list[str]:
    """After Afronden: what was done, in the past tense."""
    lines = ["Het gesprek is vastgelegd; de vertrekdatum en de bestemming staan in de nazorg."]
    if interview.nazorg_agreed:
        lines.append("De nazorggesprekken staan in de nazorgagenda.")
    else:
        lines.append("Er zijn geen nazorggesprekken gepland; het nee is vastgelegd.")
    if needs_handover(interview):
        receiver = handover_receiver(interview, pupil, today)
        lines.append(
            f"Er staat één overdrachtstaak klaar: melden bij {receiver_name(receiver)}. "
            "U vindt die in de Nazorg-tab van de student."
        )
    return lines
