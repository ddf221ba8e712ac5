"""Starting the window on a damaged database: the cause in plain Dutch and the way back in one
dialog (issue 14). The user needs the recovery passphrase and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QLabel

from factories import TEST_PASSPHRASE, make_pupil
from uitstroom.domain.damage import Trouble
from uitstroom.services import vault
from uitstroom.services.backups import backup_before
from uitstroom.services.database import open_database
from uitstroom.services.pupils import PupilService
from uitstroom.ui.recovery_dialog import RecoveryDialog
from uitstroom.ui.unlock import unlock_database


def damaged_school(tmp_path: Path) -> Path:
    path = tmp_path / "school" / "uitstroom.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    PupilService(db.sessions).create(make_pupil(), "2026-2027")
    backup_before(db, "dagelijks")
    db.close()
    os.truncate(path, path.stat().st_size - 700)  # a sync client stopped halfway
    return path


def test_the_window_offers_the_newest_backup_and_opens_after_it(
    qtbot, tmp_path: Path, dialogs, memory_keychain
) -> None:
    path = damaged_school(tmp_path)
    damaged = path.read_bytes()
    memory_keychain.secrets.clear()
    seen: dict[str, str] = {}

    def answer(dialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["message"] = dialog.findChild(QLabel, "message").text()
        seen["newest"] = dialog.findChild(QLabel, "newest").text()
        dialogs.fill(dialog, passphrase=TEST_PASSPHRASE)
        dialog.restore_button.click()

    dialogs.then(answer)
    db = unlock_database(str(path))
    assert db is not None
    try:
        assert PupilService(db.sessions).count() == 1
    finally:
        db.close()
    assert "is beschadigd" in seen["message"]
    assert "De nieuwste back-up is van" in seen["newest"]
    kept = list((path.parent / "backups").glob("*-beschadigd.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_without_the_passphrase_the_dialog_asks_for_it_and_changes_nothing(
    qtbot, tmp_path: Path, memory_keychain
) -> None:
    path = damaged_school(tmp_path)
    before = path.read_bytes()
    memory_keychain.secrets.clear()
    dialog = RecoveryDialog(
        path, path.parent / "backups", Trouble.DATABASE_DAMAGED, "De database is beschadigd."
    )
    qtbot.addWidget(dialog)
    dialog.restore_button.click()
    assert dialog.banner.isVisible() or "herstelwachtwoord" in dialog.banner.text()
    assert "Vul het herstelwachtwoord in" in dialog.banner.text()
    dialog.passphrase.setText("niet het goede wachtwoord")
    dialog.restore_button.click()
    assert "klopt niet" in dialog.banner.text()
    assert path.read_bytes() == before
    assert dialog.result() == 0


def test_damage_found_in_the_background_is_told_and_no_backup_is_made_of_it(
    qtbot, tmp_path: Path, dialogs
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from uitstroom.ui.backup_dialog import start_up

    path = tmp_path / "school" / "uitstroom.db"
    key = vault.set_up(path, TEST_PASSPHRASE)
    db = open_database(path, key)
    for n in range(40):
        PupilService(db.sessions).create(make_pupil(leerlingnummer=str(500000 + n)), "2026-2027")
    db.close()
    data = bytearray(path.read_bytes())
    data[len(data) - 3000] ^= 2  # a page the start screen does not read
    path.write_bytes(bytes(data))
    db = open_database(path, key)  # the quick checks at start pass
    window = QMainWindow()
    qtbot.addWidget(window)
    try:
        dialogs.click("Later")
        job = start_up(window, db, backup_after_ms=0)
        assert job is not None
        with qtbot.waitSignal(job.finished, timeout=30_000):
            pass
        qtbot.waitUntil(lambda: bool(dialogs.seen), timeout=10_000)
    finally:
        db.close()
    assert "is beschadigd" in dialogs.seen[0]
    assert "Werk niet verder in deze database" in dialogs.seen[0]
    assert not list((path.parent / "backups").glob("*-dagelijks.db"))
