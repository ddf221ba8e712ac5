"""Opening the database file: one program at a time, the right key, nothing changed otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import make_database
from uitstroom.services.database import DatabaseInUse, DatabaseOpenError, open_database
from uitstroom.storage.keys import new_data_key


def test_a_second_program_on_the_same_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    first = make_database(tmp_path)
    with pytest.raises(DatabaseInUse, match="al geopend met deze database"):
        open_database(first.path, first.key)
    first.close()
    again = open_database(first.path, first.key)  # closed: the lock is free again
    again.close()


def test_the_wrong_key_is_refused_and_the_file_is_unchanged(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    db.close()
    before = db.path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="andere sleutel"):
        open_database(db.path, new_data_key())
    assert db.path.read_bytes() == before
    reopened = open_database(db.path, db.key)  # a refused attempt leaves no stale lock
    reopened.close()


def test_a_folder_is_no_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is een map"):
        open_database(tmp_path, new_data_key())
