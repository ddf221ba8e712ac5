"""Who is working, and what their role lets them do.

A school on one shared database has several people at work: coordinators (everything), mentors
or SLB'ers (their own pupils: those whose mentor field holds their name) and read-only users
(figures and the list, never support needs or notes). The services are handed an Actor and
check these rules; the window hides what a role may not do.
"""

from __future__ import annotations

from dataclasses import dataclass

from uitstroom.domain.enums import LabelledEnum


class Role(LabelledEnum):
    COORDINATOR = ("coordinator", "Coördinator")
    MENTOR = ("mentor", "Mentor of SLB'er")
    READONLY = ("alleen_lezen", "Alleen lezen")

    @property
    def in_sentence(self) -> str:
        """The label inside a line of text: "mentor of SLB'er", not "mentor of slb'er"."""
        return self.label[:1].lower() + self.label[1:]


def same_name(a: str, b: str) -> bool:
    """Names as typed in a pupil's mentor field: case and spacing do not matter."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class Actor:
    """A person at work. `mentor_name` is how their name is written in the pupils' mentor
    field (often "mw. A. Kramer" where the user is "Anja Kramer"); empty: `name`."""

    name: str
    role: Role = Role.COORDINATOR
    mentor_name: str = ""

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def can_write(self) -> bool:
        return self.role is not Role.READONLY

    @property
    def sees_support_needs(self) -> bool:
        """Support needs, notes and the paspoort's personal sections: not for read-only."""
        return self.role is not Role.READONLY

    @property
    def as_mentor(self) -> str:
        return self.mentor_name.strip() or self.name.strip()

    def sees_pupil(self, mentor: str) -> bool:
        """A mentor sees the pupils whose mentor field holds their name; the others all."""
        if self.role is not Role.MENTOR:
            return True
        return same_name(mentor, self.as_mentor)


def coordinator(name: str) -> Actor:
    """The single user of a laptop database: the coordinator, who may do everything."""
    return Actor(name=name, role=Role.COORDINATOR)


# The laptop's coordinator before the name is known: the services write the name the school
# settings give (or the login) at the moment a change is stored, so a name changed under
# Instellingen goes on the next change without building anything again.
LAPTOP_COORDINATOR = coordinator("")


@dataclass(frozen=True)
class User:
    """One row of the user list the coordinator keeps (Bestand > Gebruikers)."""

    name: str
    login: str
    role: Role = Role.MENTOR
    mentor_name: str = ""
    id: int | None = None
    version: int | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.mentor_name)


def user_problems(users: list[User], me: str) -> list[str]:
    """What is wrong with a user list before it is stored; `me` is the login saving it."""
    problems = []
    logins: dict[str, int] = {}
    for n, user in enumerate(users, start=1):
        if not user.name.strip():
            problems.append(f"Regel {n}: vul de naam in.")
        if not user.login.strip():
            problems.append(f"Regel {n}: vul de inlognaam in.")
        elif user.login.strip().casefold() in logins:
            first = logins[user.login.strip().casefold()]
            problems.append(
                f"Regel {n}: de inlognaam '{user.login.strip()}' staat ook op regel {first}. "
                "Geef iedereen een eigen inlognaam."
            )
        else:
            logins[user.login.strip().casefold()] = n
    if users and not any(u.role is Role.COORDINATOR for u in users):
        problems.append("Zet minstens één coördinator in de lijst.")
    mine = [u for u in users if u.login.strip().casefold() == me.casefold()]
    if users and not any(u.role is Role.COORDINATOR for u in mine):
        problems.append(
            f"U (inlognaam '{me}') moet als coördinator in de lijst blijven staan, anders kunt "
            "u de gebruikers daarna niet meer beheren."
        )
    return problems
