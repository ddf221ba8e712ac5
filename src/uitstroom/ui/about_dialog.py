"""Over Uitstroom: the version, where the database and its backups are, and a diagnosis for the
helpdesk that holds no personal data (versions, folders with the home folder as ~, counts)."""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom import APP_NAME, __version__
from uitstroom.domain.plural import counted
from uitstroom.paths import backup_dir_for, resource
from uitstroom.services import software, vault
from uitstroom.services.backups import list_backups
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.widgets import button_row, push_button

if TYPE_CHECKING:
    from uitstroom.ui.app_services import Services

LICENCE = "EUPL-1.2"
CREDENTIALS = re.compile(r"//[^/@]*@")


def tilde(path: Path | str, home: Path | None = None) -> str:
    """The user's home folder as ~: a folder name often is the user's own name."""
    text = str(path)
    home_text = str(home or Path.home()).rstrip("/\\")
    if home_text and (text == home_text or text.startswith((home_text + "/", home_text + "\\"))):
        return "~" + text[len(home_text) :]
    return text


def public_location(location: str, home: Path | None = None) -> str:
    """A file as ~/…; a server address without its user name and password."""
    if "://" in location:
        return CREDENTIALS.sub("//…@", location)
    return tilde(location, home)


@dataclass(frozen=True)
class Diagnosis:
    """What the helpdesk needs to know, and nothing about pupils: no names, no school name."""

    lines: Sequence[tuple[str, str]]

    def text(self) -> str:
        width = max(len(label) for label, _ in self.lines)
        body = "\n".join(f"{label + ':':<{width + 1}} {value}" for label, value in self.lines)
        return f"{APP_NAME} — diagnose\n{body}\n"


def _qt_translation() -> str:
    translated = QCoreApplication.translate("QPlatformTheme", "Cancel")
    return "Nederlands" if translated == "Annuleren" else f"niet geladen ({translated})"


def _software_lines() -> list[tuple[str, str]]:
    frozen = "geïnstalleerd programma" if getattr(sys, "frozen", False) else "vanuit broncode"
    app = QGuiApplication.instance()
    return [
        ("Versie", f"{__version__} ({frozen})"),
        ("Besturingssysteem", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("OS-versie", platform.version()),
        ("Python", platform.python_version()),
        (
            "Qt",
            f"{qVersion()}, PySide6 {pyside_version}, platform "
            f"{app.platformName() if isinstance(app, QGuiApplication) else '-'}",
        ),
        ("Qt-teksten", _qt_translation()),
        ("Database-software", software.database_software()),
        ("Bibliotheken", software.libraries()),
        ("Sleutelbos", "bruikbaar" if vault.keychain_available() else "niet bruikbaar"),
    ]


def backup_folder(services: Services) -> Path | None:
    database = services.database
    if database is not None and database.backup_dir is not None:
        return database.backup_dir
    return backup_dir_for(services.location)


def _database_lines(services: Services, home: Path | None) -> list[tuple[str, str]]:
    lines = [("Database", public_location(services.location, home))]
    path = Path(services.location) if "://" not in services.location else None
    if path is not None and path.exists():
        lines.append(("Grootte", f"{path.stat().st_size / 1_000_000:.1f} MB"))
    database = services.database
    if database is not None:
        current, head = database.schema()
        lines.append(("Schema", f"{current} (nieuwste in deze versie: {head})"))
    folder = backup_folder(services)
    if folder is not None:
        lines.append(("Back-upmap", tilde(folder, home)))
        if path is not None:
            backups = list_backups(path, folder)
            newest = max((b.made_at for b in backups), default=None)
            lines.append(
                (
                    "Back-ups",
                    f"{len(backups)}, nieuwste {newest:%Y-%m-%d %H:%M}" if newest else "nog geen",
                )
            )
    school = SchoolService(services.sessions).settings()
    pupils = PupilService(services.sessions)
    lines.append(("Schooltype", school.school_type.value))
    cohorts = len(pupils.cohorts())
    lines.append(
        (
            "Aantallen",
            f"{counted(pupils.count(), 'leerling', 'leerlingen')}, {cohorts} cohort{'en' if cohorts != 1 else ''}",
        )
    )
    return lines


def diagnose(
    services: Services, home: Path | None = None, now: datetime | None = None
) -> Diagnosis:
    moment = now or datetime.now()
    return Diagnosis(
        [
            ("Gemaakt", f"{moment:%Y-%m-%d %H:%M}"),
            *_software_lines(),
            *_database_lines(services, home),
        ]
    )


class AboutDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Over {APP_NAME}")
        self._services = services
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        icon = QLabel(self)
        icon.setPixmap(QIcon(str(resource("icons", "uitstroom.png"))).pixmap(56, 56))
        header.addWidget(icon)
        self.version_label = QLabel(f"<h2>{APP_NAME} {__version__}</h2>", self)
        self.version_label.setObjectName("version")
        header.addWidget(self.version_label, 1)
        layout.addLayout(header)
        intro = QLabel(
            "De laatstejaars in één overzicht: route na school, stages, overdracht en nazorg. "
            "Voor stage- en uitstroomcoördinatoren in pro, vso en mbo.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.database_label = self._selectable(services.location, "database")
        form.addRow("Database:", self.database_label)
        folder = backup_folder(services)
        self.backups_label = self._selectable(
            str(folder) if folder is not None else "op de databaseserver (geen map)", "backups"
        )
        form.addRow("Back-ups:", self.backups_label)
        form.addRow("Licentie:", QLabel(f"{LICENCE} (vrije software)", self))
        layout.addLayout(form)

        self.note = QLabel(
            "Hulp nodig? Klik op ‘Diagnose kopiëren’ en plak de tekst in uw bericht aan de "
            "helpdesk. Er staan geen namen of andere gegevens van leerlingen in.",
            self,
        )
        self.note.setWordWrap(True)
        self.note.setObjectName("note")
        layout.addWidget(self.note)

        self.copy_button = push_button(self, "&Diagnose kopiëren", self.copy_diagnosis)
        self.open_button = QPushButton("Back-upmap &openen", self)
        self.open_button.setEnabled(folder is not None and folder.exists())
        self.open_button.clicked.connect(self.open_backup_folder)
        self.close_button = push_button(self, "&Sluiten", self.accept)
        self.close_button.setDefault(True)
        buttons = button_row(self.copy_button, self.open_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)
        self.close_button.setFocus()

    def _selectable(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        return label

    def copy_diagnosis(self) -> str:
        text = diagnose(self._services).text()
        QGuiApplication.clipboard().setText(text)
        self.note.setText(
            "De diagnose staat op het klembord. Plak hem in uw bericht aan de helpdesk "
            "(Ctrl+V). Er staan geen gegevens van leerlingen in."
        )
        return text

    def open_backup_folder(self) -> None:
        folder = backup_folder(self._services)
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
