"""Why a database does not open, named so the user looks in the right place.

On a school laptop a database file is damaged more often than it crashes: a sync client
truncates it, a USB stick is pulled out, the disk fills up, a well-meaning IT person edits the
key file. Each of these has its own cause and its own way back, so each has its own message:
a damaged database is not a wrong passphrase, and a full disk is not a damaged key file.
"""

from __future__ import annotations

from enum import StrEnum


class Trouble(StrEnum):
    DATABASE_DAMAGED = "database beschadigd"
    DATABASE_EMPTY = "database leeg"
    DATABASE_MISSING = "database ontbreekt"
    KEYFILE_DAMAGED = "sleutelbestand beschadigd"
    KEYFILE_MISSING = "sleutelbestand ontbreekt"
    OTHER_KEY = "sleutel van een andere database"
    WRONG_PASSPHRASE = "verkeerd herstelwachtwoord"
    DISK_FULL = "schijf vol"
    UNREADABLE = "niet leesbaar"

    @property
    def restorable(self) -> bool:
        """A backup (with the recovery passphrase) is the way back; for a wrong passphrase,
        a full disk or a file the program may not read, the user fixes the cause instead."""
        return self in _RESTORABLE


_RESTORABLE = frozenset(
    {
        Trouble.DATABASE_DAMAGED,
        Trouble.DATABASE_EMPTY,
        Trouble.DATABASE_MISSING,
        Trouble.KEYFILE_DAMAGED,
        Trouble.KEYFILE_MISSING,
        Trouble.OTHER_KEY,
    }
)

_KEPT = "Het beschadigde bestand wordt daarbij niet weggegooid maar apart bewaard."
_BACK = "Zet de nieuwste goede back-up terug; daarvoor is alleen het herstelwachtwoord nodig."


def trouble_message(trouble: Trouble, database: str, keyfile: str, detail: str = "") -> str:
    """The Dutch sentence for the screen and the terminal: what is wrong, and what to do."""
    extra = f" ({detail})" if detail else ""
    if trouble is Trouble.DATABASE_DAMAGED:
        return (
            f"De database {database} is beschadigd: een deel van het bestand is onleesbaar of "
            "veranderd, bijvoorbeeld door een synchronisatieprogramma, een uitgetrokken "
            f"USB-stick of een fout van de schijf{extra}. Uitstroom heeft er niets aan "
            f"veranderd. {_BACK} {_KEPT}"
        )
    if trouble is Trouble.DATABASE_EMPTY:
        return (
            f"De database {database} is leeg (0 bytes): het bestand is beschadigd, bijvoorbeeld "
            "door een synchronisatieprogramma of een volle schijf. Uitstroom maakt hier geen "
            f"nieuwe database van, want dan zouden uw back-ups niet meer opengaan. {_BACK} {_KEPT}"
        )
    if trouble is Trouble.DATABASE_MISSING:
        return (
            f"De database {database} ontbreekt, maar het sleutelbestand {keyfile} staat er nog: "
            f"hier stond dus een database. {_BACK} Wilt u echt met een lege database beginnen, "
            "kies dan een andere bestandsnaam."
        )
    if trouble is Trouble.KEYFILE_DAMAGED:
        return (
            f"Het sleutelbestand {keyfile} is beschadigd{extra}. De database zelf is niet "
            "aangeraakt. In de back-upmap staat een kopie van de sleutel: vul het "
            "herstelwachtwoord in, dan gebruikt Uitstroom die kopie."
        )
    if trouble is Trouble.KEYFILE_MISSING:
        return (
            f"Het sleutelbestand {keyfile} ontbreekt. De database zelf is niet aangeraakt. In "
            "de back-upmap staat een kopie van de sleutel: vul het herstelwachtwoord in, dan "
            "gebruikt Uitstroom die kopie."
        )
    if trouble is Trouble.OTHER_KEY:
        return (
            f"De database {database} gaat niet open met deze sleutel: hij hoort bij een andere "
            f"sleutel (dan hoort {keyfile} bij een andere database), of het begin van het "
            f"bestand is beschadigd. Er is niets veranderd. {_BACK}"
        )
    if trouble is Trouble.WRONG_PASSPHRASE:
        return (
            "Dit herstelwachtwoord klopt niet. Let op hoofdletters en spaties en probeer het "
            "opnieuw; het staat op het herstelblad dat bij de installatie is afgedrukt."
        )
    if trouble is Trouble.DISK_FULL:
        return (
            "De schijf is vol, daardoor kan Uitstroom de database niet openen. Er is niets "
            "veranderd. Maak ruimte vrij (bijvoorbeeld in Downloads of de prullenbak) en start "
            "Uitstroom opnieuw."
        )
    return (
        f"Uitstroom kan {database} niet lezen{extra}. Er is niets veranderd. Controleer of de "
        "schijf of USB-stick aangesloten is en of u dit bestand mag openen, en probeer het "
        "opnieuw."
    )
