"""'Verbinden met de schoolserver' on a real PostgreSQL server: the fields by keyboard, a test that
says what it found, the TLS rule, the password into the keychain only when asked, and the
dialog the start-up shows when a server address has no password yet."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from keyring_double import MemoryKeyring
from pg import Cluster
from uitstroom.paths import default_database
from uitstroom.services.connection import ServerAddress
from uitstroom.services.database import Database
from uitstroom.storage import migrate
from uitstroom.ui import worker
from uitstroom.ui.server_dialog import ServerDialog
from uitstroom.ui.unlock import unlock_database

MENTOR, SECRET = "coordinator_verbeek", "Lantaarn-molenwiek-1848"
SCREENSHOTS = os.environ.get("UITSTROOM_SCREENSHOTS")


@pytest.fixture
def server_database(postgres_server: Cluster) -> Iterator[ServerAddress]:
    postgres_server.create_role(MENTOR, SECRET)
    name = postgres_server.create_database(owner=MENTOR)
    yield ServerAddress(host="127.0.0.1", port=postgres_server.port, database=name, user=MENTOR)
    postgres_server.drop_database(name)


@pytest.fixture
def dialog(qtbot) -> ServerDialog:
    made = ServerDialog()
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    return made


def type_address(dialog: ServerDialog, address: ServerAddress, password: str = "") -> None:
    dialog.fill(address)
    dialog.password.setText(password)


def result_of(qtbot, dialog: ServerDialog) -> str:
    qtbot.waitUntil(lambda: worker.running_jobs() == 0, timeout=30000)
    return dialog.result_line.text() if dialog.result_line.isVisible() else ""


def test_every_field_has_a_label_with_a_key_and_tab_goes_through_them_in_order(
    qtbot, dialog: ServerDialog
) -> None:
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    fields = [dialog.host, dialog.port, dialog.database_name, dialog.user, dialog.password]
    assert set(fields) | {dialog.tls} <= buddies
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    assert all("&" in text for text in labels), labels
    assert dialog.focusWidget() is dialog.host  # an empty dialog starts at the server
    order: list[QWidget] = []
    for _ in range(8):
        order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    names = [w.objectName() for w in order]
    assert names[:8] == [
        "host",
        "port",
        "database",
        "user",
        "password",
        "tls",
        "certificate",
        "remember",
    ]
    assert isinstance(dialog.findChild(QCheckBox, "remember"), QCheckBox)
    assert dialog.connect_button.isDefault()  # Enter connects


def test_a_server_elsewhere_without_tls_is_refused_in_the_dialog(dialog: ServerDialog) -> None:
    type_address(dialog, ServerAddress(host="db.school.invalid", user="m.kramer"), "geheim")
    tls = dialog.findChild(QComboBox, "tls")
    assert tls.currentData() == "verify-full"  # another computer: TLS is chosen already
    tls.setCurrentIndex(tls.findData(""))
    dialog.connect_button.click()
    assert dialog.result_line.isVisible()
    assert dialog.result_line.text().startswith("Uitstroom verbindt alleen versleuteld (TLS)")
    assert dialog.isVisible() and dialog.database is None


def test_missing_fields_are_named(dialog: ServerDialog) -> None:
    dialog.test_button.click()
    assert dialog.result_line.text() == "Vul de server en de gebruikersnaam in."


def test_testing_says_what_is_wrong_then_what_it_found(
    qtbot, dialog: ServerDialog, server_database: ServerAddress
) -> None:
    type_address(dialog, server_database, "fout")
    dialog.test_button.click()
    assert result_of(qtbot, dialog).startswith(
        f"De server accepteert het wachtwoord van {MENTOR} niet."
    )
    assert dialog.result_line.property("ok") is False
    dialog.password.setText(SECRET)
    dialog.test_button.click()
    found = result_of(qtbot, dialog)
    assert found.startswith("Verbinding gelukt (PostgreSQL ")
    assert "De database is nog leeg" in found and dialog.result_line.property("ok") is True
    wrong_name = ServerAddress(
        host="127.0.0.1", port=server_database.port, database="bestaat_niet", user=MENTOR
    )
    type_address(dialog, wrong_name, SECRET)
    dialog.test_button.click()
    assert "geen database met de naam bestaat_niet" in result_of(qtbot, dialog)


def test_connecting_opens_the_database_and_keeps_the_password_only_when_asked(
    qtbot, dialog: ServerDialog, server_database: ServerAddress, memory_keychain: MemoryKeyring
) -> None:
    type_address(dialog, server_database, SECRET)
    dialog.remember.setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        dialog.connect_button.click()
    assert isinstance(dialog.database, Database)
    try:
        assert migrate.current_revision(dialog.database.engine) == migrate.head_revision(
            dialog.database.engine
        )
        assert SECRET not in dialog.database.location
    finally:
        dialog.database.close()
    assert memory_keychain.secrets == {}

    again = ServerDialog(server_database)
    qtbot.addWidget(again)
    again.password.setText(SECRET)
    assert again.remember.isChecked()
    with qtbot.waitSignal(again.accepted, timeout=30000):
        again.connect_button.click()
    assert again.database is not None
    again.database.close()
    assert memory_keychain.secrets == {("Uitstroom-server", server_database.account): SECRET}


def test_start_up_with_a_server_address_asks_for_the_password_once(
    qtbot, dialogs, server_database: ServerAddress, memory_keychain: MemoryKeyring
) -> None:
    seen_problem: list[str] = []

    def answer(dialog: QWidget) -> None:
        seen_problem.append(dialog.findChild(QLabel, "result").text())
        dialog.findChild(QLineEdit, "password").setText(SECRET)
        dialog.connect_button.click()

    dialogs.then(answer)
    db = unlock_database(server_database.url())
    assert db is not None
    db.close()
    assert dialogs.seen == ["Verbinden met de schoolserver"]
    assert seen_problem[0].startswith(f"De server accepteert het wachtwoord van {MENTOR} niet.")
    # The next start goes straight in: the password is in the keychain.
    again = unlock_database(server_database.url())
    assert again is not None
    again.close()


def test_the_dialog_as_a_person_sees_it(qtbot, dialog: ServerDialog) -> None:
    type_address(
        dialog,
        ServerAddress(host="db.dehorizon.example", database="uitstroom", user="m.verbeek"),
        "geheim-wachtwoord",
    )
    dialog._show(
        "Verbinding gelukt (PostgreSQL 15.18, uitstroom op db.dehorizon.example). "
        "De database is nog leeg: Uitstroom richt hem in bij het verbinden.",
        ok=True,
    )
    QApplication.processEvents()
    image = dialog.grab()
    assert not image.isNull() and image.width() >= 560
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SCREENSHOTS) / "server-dialog.png"))


def test_the_window_remembers_the_server_for_the_next_start_and_goes_back(
    qtbot, window, dialogs, server_database: ServerAddress, monkeypatch
) -> None:
    monkeypatch.delenv("UITSTROOM_DB", raising=False)
    seen: list[str] = []

    def connect(dialog: QWidget) -> None:
        assert isinstance(dialog, ServerDialog)
        type_address(dialog, server_database, SECRET)
        dialog.connect_button.click()

    dialogs.then(connect)
    dialogs.then(lambda box: (seen.append(box.text()), box.accept()))
    window.admin_area.server_action.trigger()
    assert "Vanaf de volgende start werkt Uitstroom met" in seen[0]
    assert default_database() == server_database.url()
    assert SECRET not in default_database()
    window.file_menu.aboutToShow.emit()
    assert window.admin_area.local_action.isVisible()

    dialogs.click("OK")
    window.admin_area.local_action.trigger()
    assert default_database().endswith("uitstroom.db")
    window.file_menu.aboutToShow.emit()
    assert not window.admin_area.local_action.isVisible()


def test_the_schools_certificate_is_chosen_in_the_dialog_and_kept_on_this_computer(
    dialog: ServerDialog, tmp_path
) -> None:
    from uitstroom.services.connection import school_certificate

    state = dialog.findChild(QLabel, "certificate_state")
    assert state.text() == "Nu: de certificaten die deze computer vertrouwt."
    wrong = tmp_path / "leesmij.txt"
    wrong.write_text("geen certificaat", encoding="utf-8")
    dialog.choose_certificate(str(wrong))
    assert "is geen certificaat" in dialog.result_line.text() and school_certificate() is None
    pem = tmp_path / "school-ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    dialog.choose_certificate(str(pem))
    assert state.text() == "De school heeft een eigen certificaat gekozen."
    kept = school_certificate()
    assert kept is not None and kept.read_bytes() == pem.read_bytes()
