from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can act on; str(error) is a Dutch sentence for the screen."""


class ValidationError(ServiceError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class ConflictError(ServiceError):
    pass


class NotFoundError(ServiceError):
    pass


# A pupil that is not there any more (another window, a purge or an erasure removed it).
GONE = "Deze leerling bestaat niet meer. Misschien is hij verwijderd of gewist."
