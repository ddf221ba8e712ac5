"""Which database a start opens: --db, then UITSTROOM_DB, then the school server chosen in the
window, then the file in the user data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from uitstroom.paths import (
    DB_ENV,
    DB_FILENAME,
    choose_server,
    chosen_server,
    data_dir,
    default_database,
)

SERVER = "postgresql://m.verbeek@db.dehorizon.example:5432/uitstroom?sslmode=verify-full"


def test_without_a_choice_the_file_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    assert chosen_server() is None
    assert default_database() == str(data_dir() / DB_FILENAME)


def test_a_chosen_server_is_opened_at_the_next_start_until_the_user_goes_back(
    monkeypatch: pytest.MonkeyPatch, own_config_folder: Path
) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    choose_server(SERVER)
    assert default_database() == SERVER
    # Only the address is kept; the password stays in the keychain.
    stored = next(own_config_folder.rglob("schoolserver.txt")).read_text(encoding="utf-8")
    assert stored.strip() == SERVER
    choose_server(None)
    assert default_database() == str(data_dir() / DB_FILENAME)


def test_the_environment_wins_over_the_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    choose_server(SERVER)
    monkeypatch.setenv(DB_ENV, "/srv/school/uitstroom.db")
    assert default_database() == "/srv/school/uitstroom.db"


def test_a_damaged_choice_is_ignored(
    own_config_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    choose_server(SERVER)
    next(own_config_folder.rglob("schoolserver.txt")).write_text("\x00garbage", encoding="utf-8")
    assert default_database() == str(data_dir() / DB_FILENAME)
