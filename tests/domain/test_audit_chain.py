from dataclasses import replace
from datetime import datetime, timedelta

from uitstroom.domain.audit import GENESIS, AuditAction, AuditEntry, seal, verify_chain


def chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous = GENESIS
    for n in range(length):
        entry = seal(
            AuditEntry(
                at=datetime(2026, 11, 23, 9, 0) + timedelta(minutes=n),
                os_user="mverbeek",
                actor="Marloes Verbeek",
                action=AuditAction.EDITED,
                pupil_id=n,
                detail="klas",
                id=n + 1,
            ),
            previous,
        )
        entries.append(entry)
        previous = entry.hash
    return entries


def test_a_whole_chain_verifies() -> None:
    assert verify_chain(chain(20)) == []


def test_an_edited_entry_is_reported() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], detail="route")
    (broken,) = verify_chain(entries)
    assert broken.entry_id == 3 and "achteraf veranderd" in broken.message


def test_a_removed_entry_is_reported() -> None:
    entries = chain(5)
    del entries[1]
    breaks = verify_chain(entries)
    assert [b.entry_id for b in breaks] == [3]
    assert "ontbreekt" in breaks[0].message
