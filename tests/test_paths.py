"""Which database a start opens: --db, then UITSTROOM_DB, then the school server chosen in the
window, then the file in the user data folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from uitstroom.paths import (
    DB_ENV,
    DB_FILENAME,
    choose_server,
    chosen_server,
    data_dir,
    default_database,
    site_server_files,
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


@pytest.fixture
def preset_by_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """IT's file for every user of the computer (on Linux in XDG_CONFIG_DIRS, /etc/xdg)."""
    site = tmp_path / "site"
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{tmp_path / 'leeg'}:{site}")
    monkeypatch.delenv(DB_ENV, raising=False)
    preset = site / "Uitstroom" / "schoolserver.txt"
    preset.parent.mkdir(parents=True)
    preset.write_text(SCHOOL + "\n", encoding="utf-8")
    return preset


SCHOOL = "postgresql://db.dehorizon.example:5432/uitstroom?sslmode=verify-full"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the site folder is moved with XDG on Linux"
)
def test_a_server_pre_set_by_it_is_opened_until_the_user_chooses(preset_by_it: Path) -> None:
    assert site_server_files()[-1] == preset_by_it
    assert default_database() == SCHOOL
    choose_server(SERVER)
    assert default_database() == SERVER
    # Back to this computer stays back, although IT's file is still there.
    choose_server(None)
    assert default_database() == str(data_dir() / DB_FILENAME)
    assert chosen_server() is None
    assert preset_by_it.read_text(encoding="utf-8").strip() == SCHOOL
    # Choosing the server again in the window works as before.
    choose_server(SCHOOL)
    assert default_database() == SCHOOL
