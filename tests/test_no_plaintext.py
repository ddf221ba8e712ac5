"""A stolen laptop reveals nothing: after a coordinator's ordinary work on 100 pupils, no name,
support need or note is readable in the database file, its WAL, the backups or the temp folder.

The pupils get names found nowhere else, with diacritics so that UTF-8, UTF-16 and Windows-1252
spell them differently; every file is searched for every spelling. The import's own CSV is the
coordinator's plaintext file and lies outside the folders that are searched."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from factories import TEST_PASSPHRASE, fixed_clock, make_pupil
from import_files import write_csv
from uitstroom.domain.model import Guardian
from uitstroom.services import vault
from uitstroom.services.backups import import_backup, make_backup
from uitstroom.services.database import Database, open_database
from uitstroom.services.importing import ImportService
from uitstroom.services.pupils import PupilService

COUNT = 100
BY_HAND = 40  # typed in one by one; the other 60 come from an import
AUTHOR = "Marloes Verbeek"
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "cp1252")


def secrets_of(n: int) -> dict[str, str]:
    return {
        "roepnaam": f"Xylofoonïa{n:03d}",
        "achternaam": f"Qwertzbäch-{n:03d}",
        "ouder": f"Brombeertjé{n:03d}",
        "ondersteuning": f"Zweefvliegangst{n:03d}",
        "notitie": f"Kwispelstaartgesprek{n:03d}",
    }


def spellings(words: list[str]) -> dict[bytes, str]:
    found: dict[bytes, str] = {}
    for word in words:
        for encoding in ENCODINGS:
            found[word.encode(encoding)] = f"{word} ({encoding})"
    return found


def leaks(data: bytes, patterns: dict[bytes, str]) -> list[str]:
    return [label for pattern, label in patterns.items() if pattern in data]


def every_file(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (p for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Everything that asks for a temporary file gets one in here, so it can be searched."""
    folder = tmp_path / "temp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_hundred_pupils_leave_no_readable_name_anywhere(
    tmp_path: Path, temp_folder: Path
) -> None:
    data_folder = tmp_path / "gegevens"
    path = data_folder / "uitstroom.db"
    source = tmp_path / "bron"  # the coordinator's own export, outside the searched folders
    source.mkdir()
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        do_the_work(db, source)
        backup = make_backup(
            path, db.key or b"", data_folder / "backups", "test", datetime(2026, 11, 23, 12)
        )
        # One more note after the backup: the WAL holds the newest pages, not yet checkpointed.
        pupils = PupilService(db.sessions, clock=fixed_clock())
        last = pupils.find_by_leerlingnummer(f"{900000 + COUNT - 1}")
        assert last is not None and last.pupil.id is not None
        pupils.add_note(last.pupil.id, f"Nog een {secrets_of(COUNT - 1)['notitie']}.")
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0

        words = [word for n in range(COUNT) for word in secrets_of(n).values()]
        patterns = spellings(words)
        # The search does find the names where they are plaintext: in the source CSV, and in
        # UTF-16 as Windows keeps text.
        csv_text = (source / "export.csv").read_bytes()
        assert len(leaks(csv_text, patterns)) == 3 * (COUNT - BY_HAND)  # names, parent: UTF-8
        assert leaks(secrets_of(7)["achternaam"].encode("utf-16-le"), patterns) == [
            "Qwertzbäch-007 (utf-16-le)"
        ]

        searched = list(every_file(data_folder, temp_folder))
        names = {p.name for p in searched}
        assert {"uitstroom.db", "uitstroom.db-wal", "uitstroom.db.sleutel"} <= names
        assert backup in searched
        assert len([p for p in searched if p.parent.name == "backups"]) >= 2  # import + test
        for file in searched:
            assert leaks(file.read_bytes(), patterns) == [], file

        for file in [path, *(p for p in searched if p.parent.name == "backups")]:
            with pytest.raises(sqlite3.DatabaseError):
                sqlite3.connect(file).execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        db.close()


def do_the_work(db: Database, source: Path) -> None:
    """What a coordinator does in a school year: pupils by hand, an import, support needs,
    notes, and opening the detail view (which the audit trail records)."""
    pupils = PupilService(db.sessions, clock=fixed_clock())
    for n in range(BY_HAND):
        words = secrets_of(n)
        record = pupils.create(
            make_pupil(
                leerlingnummer=f"{900000 + n}",
                roepnaam=words["roepnaam"],
                tussenvoegsel="",
                achternaam=words["achternaam"],
                guardians=(Guardian(name=words["ouder"], relation="moeder", phone="06 1234567"),),
            ),
            "2026-2027",
        )
        assert record.pupil.id is not None

    rows = [
        [
            f"{900000 + n}",
            secrets_of(n)["roepnaam"],
            "",
            secrets_of(n)["achternaam"],
            "14-05-2009",
            "PRO4A",
            "mw. A. Kramer",
            "Utrecht",
            secrets_of(n)["ouder"],
            "06 12345678",
        ]
        for n in range(BY_HAND, COUNT)
    ]
    importer = ImportService(db.sessions, clock=fixed_clock(), before_write=import_backup(db))
    table = importer.read(write_csv(source / "export.csv", rows))
    preview = importer.check(table, "2026-2027")
    assert preview.problems == ()
    assert importer.apply(preview) == COUNT - BY_HAND

    for n in range(COUNT):
        words = secrets_of(n)
        found = pupils.find_by_leerlingnummer(f"{900000 + n}")
        assert found is not None and found.pupil.id is not None
        pupils.open(found.pupil.id)
        support = f"{words['ondersteuning']}: een vaste, rustige werkplek bij het raam."
        saved = pupils.save(replace(found.pupil, ondersteuningsbehoefte=support))
        assert saved.pupil.ondersteuningsbehoefte == support
        pupils.add_note(found.pupil.id, f"{words['notitie']} met moeder en mentor.")
    assert pupils.count() == COUNT
