"""Over Uitstroom: in the Help menu (F1 opens the handleiding), shows the version, the database
and the backup folder, and copies a diagnosis without anything about pupils in it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QWidget

from conftest import button_with_text, services_for
from uitstroom import __version__
from uitstroom.services.backups import daily_backup
from uitstroom.services.database import Database
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.about_dialog import AboutDialog, diagnose, public_location, tilde
from uitstroom.ui.main_window import MainWindow


def label(dialog: QWidget, name: str) -> str:
    found = dialog.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def test_help_over_uitstroom_shows_version_database_and_backups(
    qtbot, window: MainWindow, dialogs
) -> None:
    seen: dict[str, str] = {}

    def read_and_close(dialog: QWidget) -> None:
        seen.update({name: label(dialog, name) for name in ("version", "database", "backups")})
        button_with_text(dialog, "Sluiten").click()

    dialogs.then(read_and_close)
    window.admin_area.about_action.trigger()
    qtbot.waitUntil(lambda: bool(seen))
    assert dialogs.seen == ["Over Uitstroom"]
    assert f"Uitstroom {__version__}" in seen["version"]
    location = window.services.location
    assert seen["database"] == location
    assert seen["backups"] == str(Path(location).parent / "backups")


def test_the_help_menu_holds_the_manual_on_f1_and_the_about_box(window: MainWindow) -> None:
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert "&Help" in menus
    items = [a.text() for a in menus["&Help"].actions() if not a.isSeparator()]
    assert items == ["&Handleiding", "Handleiding als &PDF…", "&Over Uitstroom"]
    assert window.admin_area.manual_action.shortcut().toString() == "F1"
    assert window.admin_area.about_action.shortcut().isEmpty()


def test_the_copied_diagnosis_names_versions_and_counts_but_no_pupil(
    qtbot, demo_database: Database
) -> None:
    daily_backup(demo_database)
    services = dataclasses.replace(services_for(demo_database), database=demo_database)
    dialog = AboutDialog(services)
    qtbot.addWidget(dialog)
    QApplication.clipboard().clear()

    button_with_text(dialog, "Diagnose kopiëren").click()

    text = QApplication.clipboard().text()
    assert text.startswith("Uitstroom — diagnose\n")
    assert re.search(rf"^Versie: +{re.escape(__version__)} ", text, re.MULTILINE)
    for part in ("Python:", "Qt:", "SQLite ", "SQLCipher ", "Besturingssysteem:", "Schema:"):
        assert part in text
    assert "48 leerlingen, 1 cohort\n" in text
    assert re.search(r"^Back-ups: +1, nieuwste \d{4}-\d\d-\d\d", text, re.MULTILINE)
    assert "klembord" in label(dialog, "note")

    school = SchoolService(demo_database.sessions).settings()
    assert school.name and school.name not in text
    for pupil in PupilService(demo_database.sessions).pupils():
        assert pupil.name not in text
        assert pupil.achternaam.lower() not in text.lower(), pupil.achternaam
        assert pupil.leerlingnummer not in text
        for guardian in pupil.guardians:
            assert guardian.name not in text


def test_the_home_folder_is_shown_as_a_tilde(demo_database: Database) -> None:
    location = Path(demo_database.location)
    home = location.parent.parent
    services = dataclasses.replace(services_for(demo_database), database=demo_database)
    text = diagnose(services, home=home).text()
    assert f"~/{location.parent.name}/{location.name}" in text
    assert str(home) not in text
    assert tilde(home / "a" / "b.db", home) == "~/a/b.db"
    assert tilde("/elders/b.db", home) == "/elders/b.db"


def test_a_server_address_loses_its_user_name_and_password() -> None:
    address = "postgresql://jvandijk:Geheim123@school-server:5432/uitstroom"
    assert public_location(address) == "postgresql://…@school-server:5432/uitstroom"
