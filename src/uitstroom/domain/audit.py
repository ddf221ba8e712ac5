"""The audit trail as a hash chain: each entry seals the one before it, so a removed or changed
entry breaks every hash after it. No personal data goes into an entry's text; pupils are named
by their internal number only, so an erased pupil leaves no name behind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from uitstroom.domain.enums import LabelledEnum

GENESIS = "0" * 64

# Opening the same pupil again within this time counts as the same view: clicking through the
# list must not bury the other lines under hundreds of views.
VIEW_LOG_INTERVAL = timedelta(minutes=10)


class AuditAction(LabelledEnum):
    VIEWED_SUPPORT = "bekeken_ondersteuning", "Ondersteuningsbehoefte en notities bekeken"
    EDITED = "gewijzigd", "Gegevens gewijzigd"
    CREATED = "toegevoegd", "Leerling toegevoegd"
    IMPORTED = "geimporteerd", "Import"
    EXPORTED = "geexporteerd", "Export"
    DOCUMENT = "document", "Document gemaakt"
    HANDOVER = "overdracht", "Overdracht"
    CONSENT = "toestemming", "Toestemming vastgelegd of ingetrokken"
    ADDRESS_BOOK = "adresboek", "Adresboek gewijzigd"
    PURGED = "opgeschoond", "Bewaartermijn verlopen: verwijderd"
    ERASED = "gewist", "Gewist op verzoek"
    INZAGE = "inzage", "Inzage-export gemaakt"
    BACKUP = "backup", "Back-up"
    RESTORED = "hersteld", "Back-up teruggezet"
    UNLOCKED = "ontgrendeld", "Database geopend"
    KEY_CHANGED = "sleutel", "Herstelwachtwoord gewijzigd"
    SETTINGS = "instellingen", "Instellingen gewijzigd"
    NAZORG = "nazorg", "Nazorg: vertrek, gesprek of signaal vastgelegd"
    EXIT = "exitgesprek", "Exitgesprek opgeslagen, afgerond of heropend"
    # A change that was not stored: someone else changed the same data first, or the role of
    # the user does not allow it. The detail says which.
    REFUSED = "geweigerd", "Wijziging niet opgeslagen"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    os_user: str
    actor: str
    action: AuditAction
    pupil_id: int | None
    detail: str
    previous_hash: str = GENESIS
    hash: str = ""
    id: int | None = None

    def canonical(self) -> bytes:
        body = {
            "at": self.at.isoformat(timespec="microseconds"),
            "os_user": self.os_user,
            "actor": self.actor,
            "action": self.action.value,
            "pupil_id": self.pupil_id,
            "detail": self.detail,
            "previous": self.previous_hash,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


def seal(entry: AuditEntry, previous_hash: str) -> AuditEntry:
    linked = replace(entry, previous_hash=previous_hash)
    return replace(linked, hash=hashlib.sha256(linked.canonical()).hexdigest())


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    message: str


def verify_chain(entries: Iterable[AuditEntry]) -> list[ChainBreak]:
    """Entries in id order; [] means the chain is whole."""
    breaks: list[ChainBreak] = []
    expected_previous = GENESIS
    for entry in entries:
        if entry.previous_hash != expected_previous:
            breaks.append(
                ChainBreak(
                    entry.id, f"Regel {entry.id}: de regel ervoor ontbreekt of is veranderd."
                )
            )
        if hashlib.sha256(entry.canonical()).hexdigest() != entry.hash:
            breaks.append(ChainBreak(entry.id, f"Regel {entry.id} is achteraf veranderd."))
        expected_previous = entry.hash
    return breaks


def view_is_new(last_logged: datetime | None, now: datetime) -> bool:
    """Whether a view at `now` gets its own line, given the last logged view (same pupil, same
    person). A clock set back counts as new: better a line too many than one too few."""
    return last_logged is None or not last_logged <= now < last_logged + VIEW_LOG_INTERVAL


# --- the chain's head, kept outside the database ----------------------------------------------
# Anyone with the data key can cut lines off the end of the chain, or rebuild the whole chain
# with new hashes: inside the database it would still be whole. Each backup (and inzage export)
# therefore records how long the chain was and its last hash. A chain that is shorter now than
# an anchor says, or whose line at that length has another hash, was cut or rebuilt.
@dataclass(frozen=True)
class ChainAnchor:
    lines: int
    last_hash: str
    made_at: datetime
    source: str  # the file that recorded it, for the message


def chain_head(hashes: Sequence[str]) -> tuple[int, str]:
    """Length and last hash of a chain (GENESIS for an empty one)."""
    return len(hashes), hashes[-1] if hashes else GENESIS


def anchor_breaks(
    hashes: Sequence[str], anchors: Iterable[ChainAnchor], restored_at: datetime | None = None
) -> tuple[list[str], int]:
    """What the anchors say about the live chain (its hashes in id order): Dutch sentences for
    every anchor it contradicts, and how many anchors agreed. An anchor from before the last
    restore is not held against the chain: a restored older backup is legitimately shorter."""
    problems: list[str] = []
    agreed = 0
    for anchor in sorted(anchors, key=lambda a: a.made_at):
        if restored_at is not None and anchor.made_at <= restored_at:
            continue
        when = f"{anchor.made_at:%d-%m-%Y %H:%M}"
        if len(hashes) < anchor.lines:
            problems.append(
                f"Het logboek heeft nu {len(hashes)} regels, maar de back-up van {when} "
                f"({anchor.source}) legde er {anchor.lines} vast: er zijn regels aan het eind "
                "weggehaald."
            )
        elif chain_head(hashes[: anchor.lines]) != (anchor.lines, anchor.last_hash):
            problems.append(
                f"Regel {anchor.lines} van het logboek is anders dan de back-up van {when} "
                f"({anchor.source}) vastlegde: het logboek is opnieuw opgebouwd."
            )
        else:
            agreed += 1
    return problems, agreed
