"""The screens before the window opens: choosing a recovery passphrase for a new database, the
herstelblad, unlocking when the keychain has no key, and encrypting a database from before.

Real encrypted files in tmp_path; the keychain is the in-memory stand-in, or keyring's 'fail'
backend for a computer without one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from factories import make_pupil
from keyring_double import MemoryKeyring
from ui.conftest import TODAY, close_window, services_for
from uitstroom.domain.model import SchoolSettings
from uitstroom.services import vault
from uitstroom.services.database import Database, open_database
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.storage import cipher, migrate
from uitstroom.storage.engine import make_engine, make_session_factory
from uitstroom.storage.keys import keyfile_for
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.unlock import Mode, PassphraseDialog, RecoverySheetDialog, unlock_database

PASSPHRASE = "lantaarn molenwiek Deventer 1848"
SCREENSHOTS = os.environ.get("UITSTROOM_SCREENSHOTS")
# Names that appear nowhere else, so that finding one in a file means a leak.
SECRET_ROEPNAAM = "Quirijntje"
SECRET_ACHTERNAAM = "Blauwvoet-Zandkrab"


def screenshot(widget: QWidget, name: str) -> None:
    """Offscreen pictures for a person to look at: set UITSTROOM_SCREENSHOTS to a folder."""
    QApplication.processEvents()  # pending layout requests first, as a person would see it
    image = widget.grab()
    assert not image.isNull()
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SCREENSHOTS) / f"{name}.png"))


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def type_in(dialog: QWidget, **values: str) -> None:
    for name, text in values.items():
        field = dialog.findChild(QLineEdit, name)
        assert field is not None, name
        field.setText(text)


def quiet(output: str) -> str:
    """The offscreen platform's own notice is not ours; anything else in the terminal is."""
    return "\n".join(
        line for line in output.splitlines() if "propagateSizeHints" not in line and line.strip()
    )


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases the test opened, closed afterwards so their lock files are released."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.close()


def encrypted_database(folder: Path) -> tuple[Path, bytes]:
    """A database set up as the program does it, with one pupil and a school, then closed."""
    path = folder / "uitstroom.db"
    key = vault.set_up(path, PASSPHRASE)
    database = open_database(path, key)
    try:
        SchoolService(database.sessions).save_settings(
            SchoolSettings(name="Praktijkschool De Brug")
        )
        PupilService(database.sessions).create(
            make_pupil(roepnaam=SECRET_ROEPNAAM, tussenvoegsel="", achternaam=SECRET_ACHTERNAAM),
            "2026-2027",
        )
    finally:
        database.close()
    return path, key


# --- a new database -------------------------------------------------------------------------


def test_a_new_database_asks_twice_and_writes_nothing_until_the_passphrase_is_accepted(
    qtbot, tmp_path: Path, dialogs, opened: list[Database], memory_keychain: MemoryKeyring
) -> None:
    folder = tmp_path / "gegevens"
    path = folder / "uitstroom.db"
    pdf = tmp_path / "usb-stick" / "herstelblad.pdf"
    pdf.parent.mkdir()

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog) and dialog.mode is Mode.SET_UP
        assert dialog.windowTitle() == "Uitstroom — Een herstelwachtwoord kiezen"
        screenshot(dialog, "unlock-1-nieuwe-database")
        type_in(dialog, passphrase=PASSPHRASE, repeat=PASSPHRASE.replace("D", "d"))
        dialog.ok_button.click()
        assert dialog.banner.text() == "De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw."
        assert not folder.exists() or files_in(folder) == {}
        type_in(dialog, passphrase="kort", repeat="kort")
        dialog.ok_button.click()
        assert dialog.banner.text() == (
            "Kies een herstelwachtwoord van minstens 12 tekens, bijvoorbeeld vier losse woorden."
        )
        assert not folder.exists() or files_in(folder) == {}
        screenshot(dialog, "unlock-2-nieuwe-database-te-kort")
        type_in(dialog, passphrase=PASSPHRASE, repeat=PASSPHRASE)
        dialog.ok_button.click()

    def keep_the_sheet(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoverySheetDialog)
        assert dialog.findChild(QLabel, "shown_passphrase").text() == PASSPHRASE
        assert not dialog.done_button.isEnabled()
        dialog.reject()  # Esc: the passphrase must be kept, so this does not get past it
        assert dialog.isVisible()
        screenshot(dialog, "unlock-3-herstelblad")
        QTimer.singleShot(0, lambda: dialog.save_pdf(str(pdf)))

    def done(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoverySheetDialog)
        dialog.confirmed.setChecked(True)
        assert dialog.done_button.isEnabled()
        dialog.done_button.click()

    dialogs.then(choose)
    dialogs.then(keep_the_sheet)
    dialogs.click("OK")  # "Herstelblad opgeslagen"
    dialogs.then(done)
    database = unlock_database(str(path))
    assert database is not None
    opened.append(database)

    assert dialogs.seen == [
        "Uitstroom — Een herstelwachtwoord kiezen",
        "Uitstroom — Herstelblad bewaren",
        "Het herstelblad staat in "
        f"{pdf}.\n\nDruk het af, leg het op een veilige plek en verwijder het bestand daarna, "
        "zodat het niet op deze computer blijft staan.",
        "Uitstroom — Herstelblad bewaren",
    ]
    assert database.path == path.resolve()
    assert keyfile_for(path).exists()
    assert not cipher.is_plaintext_sqlite(path)
    assert list(memory_keychain.secrets)  # the key is in the keychain
    assert vault.unlock(path) == database.key
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert PASSPHRASE in text.replace("\n", " ")
    assert "Herstelblad voor de Uitstroom-database" in text
    if SCREENSHOTS and shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(pdf), str(Path(SCREENSHOTS) / "herstelblad-pdf")],
            check=True,
        )


def test_cancelling_the_set_up_leaves_no_file_behind(qtbot, tmp_path: Path, dialogs) -> None:
    path = tmp_path / "uitstroom.db"
    dialogs.click("Annuleren")
    assert unlock_database(str(path)) is None
    assert files_in(tmp_path) == {}


# --- unlocking ------------------------------------------------------------------------------


def test_without_a_keychain_the_passphrase_opens_and_a_wrong_one_changes_nothing(
    qtbot, tmp_path: Path, dialogs, opened: list[Database], capfd
) -> None:
    path, key = encrypted_database(tmp_path)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        before = files_in(tmp_path)
        capfd.readouterr()

        def ask(dialog: QWidget) -> None:
            assert isinstance(dialog, PassphraseDialog) and dialog.mode is Mode.UNLOCK
            assert dialog.repeat is None
            screenshot(dialog, "unlock-4-herstelwachtwoord-nodig")
            for wrong in ("lantaarn molenwiek deventer 1848", "", "x" * 200):
                type_in(dialog, passphrase=wrong)
                dialog.ok_button.click()
                assert dialog.isVisible()
                assert dialog.banner.text().startswith("Dit herstelwachtwoord klopt niet.")
                assert files_in(tmp_path) == before
            screenshot(dialog, "unlock-5-verkeerd-wachtwoord")
            type_in(dialog, passphrase=PASSPHRASE)
            dialog.ok_button.click()

        dialogs.then(ask)
        database = unlock_database(str(path))
        assert quiet(capfd.readouterr().err) == ""
    finally:
        keyring.set_keyring(previous)
    assert database is not None
    opened.append(database)
    assert database.key == key

    # The right passphrase opens the window, with the pupil in it.
    window = MainWindow(services_for(database), today=lambda: TODAY)
    try:
        window.show()
        qtbot.waitExposed(window)
        assert window.count_label.text() == "1 leerling"
        assert window.proxy.index(0, 0).data() == f"{SECRET_ROEPNAAM} {SECRET_ACHTERNAAM}"
        assert "Praktijkschool De Brug" in window.windowTitle()
    finally:
        close_window(window)


def test_a_lost_keychain_entry_is_restored_after_the_passphrase(
    qtbot, tmp_path: Path, dialogs, opened: list[Database], memory_keychain: MemoryKeyring
) -> None:
    path, key = encrypted_database(tmp_path)
    memory_keychain.secrets.clear()  # a new laptop profile

    def ask(dialog: QWidget) -> None:
        type_in(dialog, passphrase=PASSPHRASE)
        dialog.ok_button.click()

    dialogs.then(ask)
    first = unlock_database(str(path))
    assert first is not None and first.key == key
    first.close()
    # The next start opens without a question: the key is back in the keychain.
    second = unlock_database(str(path))
    assert second is not None and second.key == key
    opened.append(second)
    assert dialogs.seen == ["Uitstroom — Herstelwachtwoord nodig"]


def test_cancelling_the_passphrase_opens_nothing(
    qtbot, tmp_path: Path, dialogs, memory_keychain: MemoryKeyring
) -> None:
    path, _key = encrypted_database(tmp_path)
    memory_keychain.secrets.clear()
    before = files_in(tmp_path)
    dialogs.click("Annuleren")
    assert unlock_database(str(path)) is None
    assert files_in(tmp_path) == before


def test_a_missing_key_file_is_explained(
    qtbot, tmp_path: Path, dialogs, memory_keychain: MemoryKeyring
) -> None:
    path, _key = encrypted_database(tmp_path)
    keyfile_for(path).unlink()
    dialogs.click("OK")
    assert unlock_database(str(path)) is None
    assert "hoort een sleutelbestand (uitstroom.db.sleutel), maar dat ontbreekt" in dialogs.seen[0]


# --- a database from before encryption ------------------------------------------------------


def plaintext_database(path: Path) -> None:
    """A database as the earlier versions left it: plain SQLite, with a WAL."""
    engine = make_engine(path)
    migrate.upgrade(engine)
    PupilService(make_session_factory(engine)).create(
        make_pupil(
            roepnaam=SECRET_ROEPNAAM,
            achternaam=SECRET_ACHTERNAAM,
            ondersteuningsbehoefte="Heeft baat bij een vaste werkplek bij het raam.",
        ),
        "2026-2027",
    )
    engine.dispose()


def test_an_old_unencrypted_database_is_encrypted_after_the_passphrase(
    qtbot, tmp_path: Path, dialogs, opened: list[Database]
) -> None:
    folder = tmp_path / "gegevens"
    folder.mkdir()
    path = folder / "uitstroom.db"
    plaintext_database(path)
    assert cipher.is_plaintext_sqlite(path)
    assert any(SECRET_ACHTERNAAM.encode() in data for data in files_in(folder).values())

    def encrypt(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog) and dialog.mode is Mode.ENCRYPT
        screenshot(dialog, "unlock-6-oude-database-versleutelen")
        type_in(dialog, passphrase=PASSPHRASE, repeat="iets anders dan dat")
        dialog.ok_button.click()
        assert "niet gelijk" in dialog.banner.text()
        assert cipher.is_plaintext_sqlite(path)  # nothing converted yet
        type_in(dialog, passphrase=PASSPHRASE, repeat=PASSPHRASE)
        dialog.ok_button.click()

    def sheet(dialog: QWidget) -> None:
        assert dialog.findChild(QLabel, "shown_passphrase").text() == PASSPHRASE
        dialog.confirmed.setChecked(True)
        dialog.done_button.click()

    dialogs.then(encrypt)
    dialogs.then(sheet)
    database = unlock_database(str(path))
    assert database is not None
    opened.append(database)
    assert dialogs.seen == [
        "Uitstroom — De database versleutelen",
        "Uitstroom — Herstelblad bewaren",
    ]

    record = PupilService(database.sessions).find_by_leerlingnummer("200001")
    assert record is not None
    assert record.pupil.achternaam == SECRET_ACHTERNAAM
    assert record.pupil.ondersteuningsbehoefte.startswith("Heeft baat")
    # No plaintext left: not in the file, its WAL, a leftover copy, or anywhere in the folder.
    leftovers = sorted(name for name in files_in(folder) if "versleuteld" in name)
    assert leftovers == []
    for name, data in files_in(folder).items():
        for secret in (SECRET_ROEPNAAM, SECRET_ACHTERNAAM, "vaste werkplek"):
            assert secret.encode() not in data, name
    assert not cipher.is_plaintext_sqlite(path)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM pupil").fetchall()


def test_the_passphrase_dialogs_are_keyboard_reachable(qtbot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(Mode.SET_UP, str(tmp_path / "x.db"), lambda _text: b"")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.ok_button.isDefault()
    labels = {label.text(): label.buddy() for label in dialog.findChildren(QLabel)}
    assert labels["&Herstelwachtwoord:"] is dialog.passphrase
    assert labels["&Nog een keer:"] is dialog.repeat
    assert dialog.show_text.text() == "&Toon wat ik typ"
