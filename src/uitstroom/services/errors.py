from __future__ import annotations

from uitstroom.domain.damage import Trouble


class ServiceError(Exception):
    """A problem the user can act on; str(error) is a Dutch sentence for the screen."""


class Unopenable(ServiceError):
    """The database does not open. `trouble` names the cause where it is one of domain.damage's
    (a damaged file, a damaged key file, a wrong passphrase, a full disk ...): the window and
    the command line offer a backup for the ones a backup cures."""

    def __init__(self, message: str, trouble: Trouble | None = None) -> None:
        super().__init__(message)
        self.trouble = trouble


class ValidationError(ServiceError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ConflictError(ServiceError):
    pass


class NotAllowed(ServiceError):
    """The user's role does not allow this (domain.actor); nothing was read or written."""


class NotFoundError(ServiceError):
    pass


# A pupil that is not there any more (another window, a purge or an erasure removed it).
GONE = "Deze leerling bestaat niet meer. Misschien is hij verwijderd of gewist."


def conflict_message(editor: str, me: str, what: str = "deze leerling") -> str:
    """Two people edited the same data: the second learns who came first and what to do."""
    if editor.strip() and editor.strip().casefold() != me.strip().casefold():
        first = f"Iemand anders ({editor.strip()}) heeft {what} net gewijzigd."
    else:
        first = f"{what[0].upper()}{what[1:]} is intussen ergens anders gewijzigd."
    return (
        f"{first} Uw wijziging is niet opgeslagen. Bekijk eerst de nieuwste gegevens en voer "
        "uw wijziging daarna nog eens in."
    )
