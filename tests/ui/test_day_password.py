"""The dagwachtwoord (issue 15, item 7): the lock screen asks the user's own secret, not the
recovery passphrase that belongs in a locked cabinet; the recovery passphrase stays the way
back, wrong tries wait, and a laptop without keychain opens with it too."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import test_lock
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel

from factories import TEST_PASSPHRASE
from uitstroom.documents.recovery_sheet import render_recovery_sheet
from uitstroom.services import vault
from uitstroom.services.database import Database
from uitstroom.services.vault import recovery_sheet
from uitstroom.storage import keys
from uitstroom.ui.secret_dialog import ChangeSecretDialog
from uitstroom.ui.unlock import PassphraseDialog, unlock_database

DAY = "708214"
# The lock tests' database (a key file with the recovery passphrase) and window.
db = test_lock.db
window = test_lock.window


def test_the_dagwachtwoord_and_the_recovery_passphrase_both_unlock(db: Database) -> None:
    assert db.path is not None and db.key is not None
    now = datetime(2027, 4, 1, 8, 0)
    vault.set_day_password(db.path, db.key, DAY)
    assert vault.unlock_with_secret(db.path, DAY, now) == db.key
    assert vault.unlock_with_secret(db.path, TEST_PASSPHRASE, now) == db.key
    # The data key is wrapped under the dagwachtwoord, not stored in the clear.
    assert db.key.hex() not in keys.daykey_for(db.path).read_text(encoding="utf-8")
    with pytest.raises(vault.UnlockError, match="Kies een pincode"):
        vault.set_day_password(db.path, db.key, "123456")


def test_wrong_tries_wait_and_a_right_one_resets_the_count(db: Database) -> None:
    assert db.path is not None and db.key is not None
    vault.set_day_password(db.path, db.key, DAY)
    now = datetime(2027, 3, 31, 23, 59, 0)
    for attempt in range(5):
        with pytest.raises(vault.UnlockError, match="klopt niet"):
            vault.unlock_with_secret(db.path, f"99999{attempt}", now)
    with pytest.raises(vault.TooManyTries, match="over 25 seconden"):
        vault.unlock_with_secret(db.path, DAY, now + timedelta(seconds=5))
    # After the wait the right one is taken, and the count starts again.
    assert vault.unlock_with_secret(db.path, DAY, now + timedelta(seconds=31)) == db.key
    assert keys.read_daykey(db.path).failures == 0  # type: ignore[union-attr]


def test_the_lock_screen_asks_the_dagwachtwoord_once_it_is_set(qtbot, window) -> None:
    database = window.services.database
    vault.set_day_password(database.path, database.key, DAY)
    window.window_lock.lock()
    panel = window.window_lock.panel
    texts = [label.text() for label in panel.findChildren(QLabel)]
    assert "&Dagwachtwoord:" in texts
    assert any("Vul uw dagwachtwoord in" in text for text in texts)
    panel.passphrase.setText(DAY)
    panel.try_unlock()
    assert not window.window_lock.is_locked


def test_forgotten_dagwachtwoord_the_recovery_passphrase_unlocks(qtbot, window) -> None:
    database = window.services.database
    vault.set_day_password(database.path, database.key, DAY)
    window.window_lock.lock()
    panel = window.window_lock.panel
    panel.passphrase.setText("geen idee meer")
    panel.try_unlock()
    assert window.window_lock.is_locked
    assert "herstelwachtwoord ook" in panel.banner.text()
    panel.passphrase.setText(TEST_PASSPHRASE)
    panel.try_unlock()
    assert not window.window_lock.is_locked


def test_choosing_the_first_dagwachtwoord_in_its_dialog(qtbot, db: Database) -> None:
    assert db.path is not None and db.key is not None
    path, key = db.path, db.key
    from uitstroom.domain.daypass import day_password_problem
    from uitstroom.ui.secret_dialog import FIRST_DAY_TEXTS

    dialog = ChangeSecretDialog(
        lambda _current, new: vault.set_day_password(path, key, new),
        FIRST_DAY_TEXTS,
        day_password_problem,
    )
    qtbot.addWidget(dialog)
    assert "current" not in dialog.fields
    dialog.fields["new"].setText("1234")
    dialog.fields["repeat"].setText("1234")
    dialog.try_accept()
    assert "minstens 6 cijfers" in dialog.banner.text()
    assert not vault.has_day_password(path)
    dialog.fields["new"].setText(DAY)
    dialog.fields["repeat"].setText(DAY)
    dialog.try_accept()
    assert vault.has_day_password(path)


def test_without_keychain_the_window_opens_with_the_dagwachtwoord(
    qtbot, tmp_path: Path, dialogs, memory_keychain
) -> None:
    path = tmp_path / "school.db"
    key = vault.set_up(path, TEST_PASSPHRASE)
    from uitstroom.services.database import open_database

    open_database(path, key).close()
    vault.set_day_password(path, key, DAY)
    memory_keychain.secrets.clear()
    seen: list[str] = []

    def answer(dialog) -> None:
        assert isinstance(dialog, PassphraseDialog)
        seen.append(dialog.windowTitle())
        dialog.passphrase.setText(DAY)
        dialog.try_accept()

    dialogs.then(answer)
    opened = unlock_database(str(path))
    assert opened is not None
    opened.close()
    assert seen == ["Uitstroom — Uw dagwachtwoord"]


def test_the_herstelblad_says_the_dagwachtwoord_is_for_every_day(tmp_path: Path) -> None:
    path = tmp_path / "school.db"
    vault.set_up(path, TEST_PASSPHRASE)
    out = io.BytesIO()
    render_recovery_sheet(recovery_sheet(path, TEST_PASSPHRASE, "De Linde"), out)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert "dagwachtwoord" in text and "vergeten" in text
