"""The fictional names, places and texts the demo school is made of: no real person's data."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from uitstroom.domain.enums import (
    JaNeeOnbekend,
    Niveau,
    Route,
    Uitstroomprofiel,
)
from uitstroom.domain.handover import (
    AgreementParty,
    ContactRole,
    OrganisationKind,
    Receiver,
    Section,
)
from uitstroom.domain.schoolyear import SchoolYear

ROEPNAMEN = (
    "Sanne",
    "Daan",
    "Noa",
    "Mohamed",
    "Aylin",
    "Bram",
    "Fleur",
    "Youssef",
    "Zoë",
    "Joël",
    "Chloë",
    "Anouk",
    "Ilias",
    "Rayan",
    "Emma",
    "Luuk",
    "Mila",
    "Sem",
    "Fatima",
    "Kenji",
    "Daniël",
    "Noël",
    "Iris",
    "Esmée",
    "Ömer",
    "Priya",
    "Thijs",
    "Maud",
    "Nadia",
    "Jayden",
    "Ruben",
    "Amira",
    "Lotte",
    "Milan",
    "Siham",
    "Tobias",
    "Ilse",
    "Björn",
    "Aïsha",
    "Renée",
)
ACHTERNAMEN = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Çelik"),
    ("", "Yılmaz"),
    ("El", "Amrani"),
    ("", "Ōtsuka"),
    ("van der", "Meer"),
    ("", "Smit"),
    ("", "Mulder"),
    ("de", "Boer"),
    ("", "Kowalczyk"),
    ("", "Nguyễn"),
    ("", "Bouzid"),
    ("van den", "Berg"),
    ("", "Hendriks"),
    ("", "Öztürk"),
    ("", "Peeters"),
    ("ter", "Horst"),
    ("", "Sánchez"),
    ("", "Dijkstra"),
    ("", "Visser"),
    ("", "Müller"),
    ("", "Ramdin"),
)
GEMEENTEN = ("Utrecht", "Amersfoort", "Nieuwegein", "Zeist", "Houten", "IJsselstein", "Woerden")
MENTOREN = ("mw. A. Kramer", "dhr. P. Lindeman", "mw. S. Öztürk", "dhr. R. de Graaf")
BEDRIJVEN = (
    "Bakkerij Van Houten",
    "Tuincentrum De Linde",
    "Garage Smit & Zn",
    "Hotel De Wereld",
    "Zorgcentrum Het Baken",
    "Supermarkt Plus Lindeboom",
    "Schildersbedrijf Kleur & Co",
    "Logistiek Centrum Midden",
    "Kinderopvang Het Bolletje",
    "Gemeentewerf Zeist",
)
MBO = ("ROC Midden Nederland", "MBO Amersfoort", "Aeres MBO Barneveld")
OPLEIDINGEN = (
    "Medewerker bakkerij",
    "Logistiek medewerker",
    "Helpende zorg en welzijn",
    "Medewerker groene ruimte",
    "Entree assistent dienstverlening",
    "Autotechnicus",
)
AANBIEDERS = ("Zorgboerderij De Hoeve", "Dagcentrum Het Atelier", "Stichting Werkplein")


def ascii_only(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


MBO_OPLEIDINGEN = (
    ("Medewerker bakkerij", "25180", Niveau.N2, "BAK"),
    ("Logistiek medewerker", "25889", Niveau.N2, "LOG"),
    ("Entree assistent dienstverlening", "25258", Niveau.ENTREE, "ENT"),
    ("Verzorgende IG", "25491", Niveau.N3, "VIG"),
    ("Eerste monteur elektrotechniek", "25301", Niveau.N3, "ELT"),
    ("Mediavormgever", "25591", Niveau.N4, "MVG"),
)


DEMO_COORDINATOR = "Marloes Verbeek"


# --- the address book, plans, paspoorten and consents of the demo cohort ---------------------

# Fictional contact persons; (kind, organisation, serves, address, contacts as (name, function)).
DEMO_ADDRESS_BOOK: tuple[
    tuple[OrganisationKind, str, str, str, tuple[tuple[str, str], ...]], ...
] = (
    (
        OrganisationKind.MBO,
        "ROC Midden Nederland",
        "",
        "Voorbeeldlaan 1, Utrecht",
        (
            ("Anouk Brouwer", "Intake entree en niveau 2"),
            ("Yusuf Demir", "Studieloopbaanbegeleider"),
        ),
    ),
    (
        OrganisationKind.MBO,
        "MBO Amersfoort",
        "",
        "Oefenweg 12, Amersfoort",
        (("Ingrid de Wit", "Toelating en intake"),),
    ),
    (
        OrganisationKind.GEMEENTE,
        "Gemeente Utrecht, Werk en Inkomen",
        "Utrecht, Zeist, Woerden",
        "Proefplein 5, Utrecht",
        (("Petra Hoekstra", "Klantmanager jongeren"), ("Rachid Bennani", "Werkcoach")),
    ),
    (
        OrganisationKind.GEMEENTE,
        "Werkplein Lekstroom",
        "Nieuwegein, Houten, IJsselstein, Amersfoort",
        "Schetsstraat 8, Nieuwegein",
        (("Joyce van Leeuwen", "Klantmanager"),),
    ),
    (
        OrganisationKind.DOORSTROOMPUNT,
        "Doorstroompunt regio Utrecht",
        "",
        "",
        (("Sanne Kuipers", "Trajectbegeleider"),),
    ),
    (OrganisationKind.UWV, "UWV Utrecht", "", "", (("Gerard Mol", "Arbeidsdeskundige"),)),
    (
        OrganisationKind.JOBCOACH,
        "Jobcoach Midden",
        "",
        "",
        (("Lieke Verhoef", "Jobcoach"), ("Dennis Ōtsuka", "Jobcoach")),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Bakkerij Van Houten",
        "",
        "Bakkersstraat 3, Houten",
        (("Henk van Houten", "Praktijkopleider"),),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Tuincentrum De Linde",
        "",
        "Lindelaan 40, Zeist",
        (("Els Bos", "Bedrijfsleider"), ("Mehmet Kaya", "Praktijkopleider")),
    ),
    (
        OrganisationKind.WERKGEVER,
        "Logistiek Centrum Midden",
        "",
        "Havenweg 77, Nieuwegein",
        (("Ingrid Smeets", "HR-adviseur"),),
    ),
)

WIE = (
    "Ik ben rustig en behulpzaam. In mijn vrije tijd voetbal ik en help ik mijn oom in de "
    "moestuin.",
    "Ik ben vrolijk en praat graag met mensen. Ik game en ik kook graag voor mijn familie.",
    "Ik ben een doorzetter. Ik fiets veel en ik pas vaak op mijn kleine zusje.",
)
KAN = (
    "Ik werk netjes en precies. Ik kan goed met mijn handen werken en ik ben altijd op tijd.",
    "Ik kan goed samenwerken en ik help klanten graag. Ik kan een kassa bedienen.",
    "Ik kan lang doorwerken en ik zie zelf wat er moet gebeuren.",
)
WIL = {
    Route.DOORLEREN: "Ik wil een mbo-opleiding doen en daarna een vaste baan vinden.",
    Route.ARBEID: "Ik wil na school meteen aan het werk, het liefst bij mijn stagebedrijf.",
    Route.DAGBESTEDING: "Ik wil een fijne plek waar ik elke dag iets nuttigs kan doen.",
    Route.ONBEKEND: "Ik weet het nog niet precies. Ik wil nog een paar dingen uitproberen.",
}
NODIG = (
    "Ik heb uitleg in kleine stappen nodig, en iemand die ik iets kan vragen.",
    "Ik heb een vast rooster nodig. Veranderingen hoor ik graag een dag van tevoren.",
)
KEUZE = (
    "Ik heb gekozen na twee stages en een proefdag. Ik heb het besproken met mijn mentor en "
    "mijn ouders.",
    "Op stage merkte ik dat ik dit werk leuk vind. Mijn praktijkopleider zei dat ik het kan.",
)
AANPAK = (
    "Eén vast aanspreekpunt. Eerst voordoen, dan zelf doen.",
    "Korte opdrachten en een lijstje op papier waar ik kan afvinken wat klaar is.",
)
AANPASSINGEN = (
    "Een rustige werkplek en een koptelefoon als het druk is.",
    "Extra tijd bij toetsen en pauzes op vaste tijden.",
)
GELEERD = (
    "Op tijd beginnen, zelf aan het werk gaan en hulp vragen als ik iets niet weet.",
    "Klanten helpen, de kassa opmaken en netjes werken met voedsel.",
    "Veilig werken met machines en samenwerken in een team.",
)

# Agreements per route: (what, party, task code or "", contact kind or None).
AGREEMENTS: dict[Route, tuple[tuple[str, AgreementParty, str, OrganisationKind | None], ...]] = {
    Route.DOORLEREN: (
        ("Aanmelden bij het mbo", AgreementParty.LEERLING, "aanmelden_mbo", None),
        (
            "Intakegesprek bij het mbo voeren",
            AgreementParty.MBO,
            "intake_mbo",
            OrganisationKind.MBO,
        ),
        ("Paspoort voor Succes samen invullen", AgreementParty.SCHOOL, "paspoort", None),
        ("Toestemming geven voor de overdracht", AgreementParty.OUDER, "toestemming", None),
        (
            "Warme overdracht met de nieuwe school",
            AgreementParty.SCHOOL,
            "warme_overdracht",
            OrganisationKind.MBO,
        ),
    ),
    Route.ARBEID: (
        (
            "Gesprek met het stagebedrijf over een baan",
            AgreementParty.SCHOOL,
            "stagegesprek",
            OrganisationKind.WERKGEVER,
        ),
        (
            "Bespreken in het uitstroomoverleg",
            AgreementParty.GEMEENTE,
            "uitstroomoverleg",
            OrganisationKind.GEMEENTE,
        ),
        (
            "Laatste stage bij een bedrijf met kans op werk",
            AgreementParty.LEERLING,
            "laatste_stage",
            None,
        ),
        (
            "Jobcoach aanvragen voor de eerste maanden",
            AgreementParty.JOBCOACH,
            "",
            OrganisationKind.JOBCOACH,
        ),
    ),
    Route.DAGBESTEDING: (
        ("Kennismaken bij de dagbesteding", AgreementParty.OUDER, "aanbieder_dagbesteding", None),
        ("Paspoort voor Succes samen invullen", AgreementParty.SCHOOL, "paspoort", None),
        (
            "Indicatie aanvragen bij de gemeente",
            AgreementParty.GEMEENTE,
            "",
            OrganisationKind.GEMEENTE,
        ),
    ),
    Route.ONBEKEND: (
        ("Twee proefdagen plannen", AgreementParty.LEERLING, "", None),
        ("Keuzegesprek met ouders en mentor", AgreementParty.SCHOOL, "uitstroomdoel", None),
        (
            "Aanmelden bij het Doorstroompunt als er geen plek is",
            AgreementParty.SCHOOL,
            "",
            OrganisationKind.DOORSTROOMPUNT,
        ),
    ),
}
RECEIVER_OF_ROUTE = {
    Route.DOORLEREN: (Receiver.MBO, OrganisationKind.MBO),
    Route.ARBEID: (Receiver.WERKGEVER, OrganisationKind.WERKGEVER),
    Route.DAGBESTEDING: (Receiver.GEMEENTE, OrganisationKind.GEMEENTE),
    Route.ONBEKEND: (Receiver.GEMEENTE, OrganisationKind.GEMEENTE),
}
ALL_RECEIVERS = frozenset(Section)


def long_text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# One pupil with very long texts: the documents must wrap and break pages cleanly.
LONG_PASPOORT = {
    "wie": long_text(
        "Ik ben iemand die graag dingen met zijn handen maakt. Thuis repareer ik fietsen voor "
        "de hele straat, en als er iets kapot is, vragen mijn buren of ik even wil kijken. "
        "Ik vind het fijn als ik aan het eind van de dag kan zien wat ik gedaan heb.",
        "In mijn vrije tijd zit ik bij de scouting. Daar ben ik sinds dit jaar ook "
        "leiding bij de welpen. Dat vond ik eerst spannend, maar het gaat goed: de kinderen "
        "luisteren naar me en ik bedenk zelf spelletjes voor de opkomst op zaterdag.",
        "Mijn vrienden zeggen dat ik rustig ben en dat je op me kunt rekenen. Mijn moeder "
        "zegt dat ik soms te lang blijf doorwerken en dan vergeet te eten. Daar let ik nu op.",
    ),
    "kan": long_text(
        "Ik kan goed en netjes werken. Op mijn stage in de fietsenwerkplaats mocht ik na een "
        "paar weken zelf banden plakken, remmen afstellen en versnellingen nakijken. De "
        "monteur zei dat ik beter werk dan sommige mensen die er al jaren zijn.",
        "Ik kan goed plannen als ik een lijstje heb. Ik schrijf op wat ik moet doen en streep "
        "het door als het klaar is. Zo vergeet ik niets en weet ik wat er nog moet.",
        "Met rekenen heb ik het diploma niveau 1F gehaald. Lezen gaat goed als de tekst niet "
        "te lang is. Ik kan een werkbon invullen en een bestelling controleren.",
        "Ik kan goed met klanten praten als ik weet wat ik moet zeggen. Aan de balie heb ik "
        "geleerd om vriendelijk te groeten, te vragen wat er is en het op te schrijven.",
    ),
    "wil": long_text(
        "Ik wil de opleiding fietstechnicus doen op niveau 2, het liefst in de bbl, zodat ik "
        "vier dagen kan werken en één dag naar school ga. Het stagebedrijf wil me graag "
        "houden als leerling.",
        "Later wil ik misschien een eigen werkplaats. Daarvoor wil ik ook leren hoe je een "
        "bedrijf runt: inkopen, prijzen bepalen en de boekhouding.",
    ),
    "nodig": long_text(
        "Ik heb duidelijke uitleg nodig, in kleine stappen. Als iemand het één keer voordoet, "
        "kan ik het daarna zelf. Als er te veel tegelijk gezegd wordt, raak ik het overzicht kwijt.",
        "Ik heb een vaste plek nodig en een vast aanspreekpunt. Als mijn rooster verandert, "
        "wil ik dat graag een dag van tevoren weten, dan kan ik me erop voorbereiden.",
        "Bij toetsen heb ik extra tijd nodig en het helpt als ik in een rustig lokaal mag zitten.",
    ),
    "keuze": long_text(
        "In het derde jaar heb ik drie stages gedaan: in een supermarkt, bij een hovenier en "
        "in de fietsenwerkplaats. In de werkplaats voelde ik me meteen op mijn plek.",
        "Met mijn mentor, mijn ouders en de praktijkopleider hebben we besproken wat ik goed "
        "kan en wat ik leuk vind. Samen hebben we gekozen voor de bbl-opleiding.",
        "We hebben ook gekeken naar werken zonder opleiding, maar met een diploma heb ik later "
        "meer keus. Daarom gaan we voor doorleren, met werken erbij.",
    ),
    "aanpak": long_text(
        "Eerst voordoen, dan samen doen, dan zelf doen. Zo leer ik het snelst.",
        "Een lijstje op papier met de taken van de dag. Aan het eind van de dag even kort "
        "terugkijken: wat ging goed, wat kan beter.",
        "Complimenten helpen: als ik hoor dat iets goed gaat, durf ik meer.",
    ),
    "aanpassingen": long_text(
        "Een koptelefoon als het druk en lawaaierig is in de werkplaats.",
        "Extra tijd bij toetsen en de vragen ook op papier.",
        "Pauzes op vaste tijden, zodat ik niet vergeet te eten en te drinken.",
    ),
}
LONG_AGREEMENTS: tuple[tuple[str, AgreementParty, str, OrganisationKind | None], ...] = (
    (
        "Aanmelden bij het mbo voor de opleiding fietstechnicus (bbl)",
        AgreementParty.LEERLING,
        "aanmelden_mbo",
        None,
    ),
    (
        "Intakegesprek bij het mbo voeren, met een ouder erbij",
        AgreementParty.MBO,
        "intake_mbo",
        OrganisationKind.MBO,
    ),
    (
        "Met het stagebedrijf praten over een leerbaan in de bbl",
        AgreementParty.SCHOOL,
        "stagegesprek",
        OrganisationKind.WERKGEVER,
    ),
    (
        "Laatste stage in de fietsenwerkplaats, vier dagen per week",
        AgreementParty.LEERLING,
        "laatste_stage",
        None,
    ),
    (
        "Paspoort voor Succes samen met de leerling en ouders invullen",
        AgreementParty.SCHOOL,
        "paspoort",
        None,
    ),
    (
        "Toestemming geven voor de overdracht aan het mbo en het leerbedrijf",
        AgreementParty.OUDER,
        "toestemming",
        None,
    ),
    (
        "Bespreken in het uitstroomoverleg met de gemeente",
        AgreementParty.GEMEENTE,
        "uitstroomoverleg",
        OrganisationKind.GEMEENTE,
    ),
    (
        "Warme overdracht: gesprek met mentor, leerling en de nieuwe studieloopbaanbegeleider",
        AgreementParty.SCHOOL,
        "warme_overdracht",
        OrganisationKind.MBO,
    ),
    ("Na de zomer een keer bellen hoe het gaat", AgreementParty.SCHOOL, "contact_na_school", None),
)


RECEIVER_ROLE = {
    OrganisationKind.MBO: ContactRole.MBO,
    OrganisationKind.GEMEENTE: ContactRole.GEMEENTE,
    OrganisationKind.WERKGEVER: ContactRole.WERKGEVER,
    OrganisationKind.JOBCOACH: ContactRole.JOBCOACH,
    OrganisationKind.DOORSTROOMPUNT: ContactRole.ANDERS,
    OrganisationKind.UWV: ContactRole.ANDERS,
    OrganisationKind.ANDERS: ContactRole.ANDERS,
}


def demo_pupils(count: int, year: SchoolYear, seed: int = 2026) -> Iterator[dict[str, object]]:
    """Plain dicts of fictional pupils: fast enough for 20,000 rows in a benchmark."""
    rng = random.Random(seed)
    for n in range(count):
        roepnaam = rng.choice(ROEPNAMEN)
        tussenvoegsel, achternaam = rng.choice(ACHTERNAMEN)
        born = date(year.start_year - 17, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))
        profiel = rng.choice(
            (Uitstroomprofiel.ARBEID, Uitstroomprofiel.ARBEID, Uitstroomprofiel.VERVOLGONDERWIJS)
        )
        route = rng.choice(
            (Route.ARBEID, Route.DOORLEREN, Route.DOORLEREN, Route.DAGBESTEDING, Route.ONBEKEND)
            if profiel == Uitstroomprofiel.VERVOLGONDERWIJS
            else (Route.ARBEID, Route.ARBEID, Route.DOORLEREN, Route.DAGBESTEDING, Route.ONBEKEND)
        )
        yield {
            "leerlingnummer": str(100000 + n),
            "roepnaam": roepnaam,
            "tussenvoegsel": tussenvoegsel,
            "achternaam": achternaam,
            "geboortedatum": born,
            "klas": f"PRO4{'ABCD'[n % 4]}",
            "mentor": MENTOREN[n % len(MENTOREN)],
            "woongemeente": rng.choice(GEMEENTEN),
            "telefoon": f"06 {rng.randrange(10000000, 99999999)}",
            "email": f"{ascii_only(roepnaam)}.{n}@leerling.voorbeeldschool.nl",
            "uitstroomprofiel": profiel.value,
            "route": route,
            "rng": rng,
        }


def pupil_insert(
    values: dict[str, object],
    cohort_id: int,
    now: datetime,
    startkwalificatie: JaNeeOnbekend,
    archived: bool,
) -> dict[str, object]:
    """A pupil from demo_pupils (its "rng" and "route" taken out) as a row for a Core insert:
    the columns the ORM would otherwise fill in."""
    return {
        **values,
        "cohort_id": cohort_id,
        "created_at": now,
        "updated_at": now,
        "imported_values": {},
        "mbo_opleiding": "",
        "mbo_crebo": "",
        "startkwalificatie": startkwalificatie.value,
        "ondersteuningsbehoefte": "",
        "archived": archived,
        "version": 1,
    }
