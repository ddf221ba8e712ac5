"""Getting the data key before the window opens: set-up of a new database, the conversion of an
old unencrypted one, and unlocking when the keychain has no key (also used by the auto-lock)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.audit import AuditAction
from uitstroom.domain.damage import Trouble
from uitstroom.paths import PASSPHRASE_ENV, backup_dir_for
from uitstroom.services import audit, vault
from uitstroom.services.backups import list_backups
from uitstroom.services.connection import ServerAddress, ServerProblem
from uitstroom.services.database import (
    Database,
    DatabaseOpenError,
    ServerRefused,
    open_database,
)
from uitstroom.services.errors import ServiceError, Unopenable
from uitstroom.services.files import FileWriteError
from uitstroom.ui.forms import MessageBanner, heading
from uitstroom.ui.recovery_dialog import RecoveryDialog
from uitstroom.ui.server_dialog import ServerDialog
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    # reportlab on first use: only a new database or a new passphrase makes a herstelblad.
    from uitstroom.services.vault import RecoverySheet


class Mode(Enum):
    SET_UP = "nieuw"
    ENCRYPT = "versleutelen"
    UNLOCK = "ontgrendelen"
    DAY = "dagwachtwoord"


TEXTS = {
    Mode.SET_UP: (
        "Een herstelwachtwoord kiezen",
        "Uitstroom bewaart de leerlinggegevens versleuteld. Raakt deze laptop kwijt, dan kan "
        "niemand ze lezen.\n\nKies een herstelwachtwoord. U hebt het alleen nodig als de "
        "computer de sleutel kwijt is, bijvoorbeeld op een nieuwe laptop. Kies minstens "
        f"{vault.MIN_PASSPHRASE} tekens, bijvoorbeeld vier losse woorden. Hierna kunt u een "
        "herstelblad bewaren. Het blad gaat in een afgesloten kast; voor elke dag kiest u "
        "daarna uw eigen dagwachtwoord.",
        "Database aanmaken",
    ),
    Mode.ENCRYPT: (
        "De database versleutelen",
        "Deze database is gemaakt met een oudere versie van Uitstroom en is nog niet "
        "versleuteld. Uitstroom versleutelt hem nu; daarna is er geen onversleutelde kopie "
        "meer.\n\nKies een herstelwachtwoord van minstens "
        f"{vault.MIN_PASSPHRASE} tekens. U hebt het nodig als de computer de sleutel kwijt is. "
        "Hierna kunt u een herstelblad bewaren.",
        "Versleutelen",
    ),
    Mode.UNLOCK: (
        "Herstelwachtwoord nodig",
        "De sleutel van deze database staat niet in de sleutelbos van deze computer. Dat "
        "gebeurt op een nieuwe laptop of na een wijziging aan het systeem.\n\nVul het "
        "herstelwachtwoord in. Het staat op het herstelblad dat bij de installatie is bewaard.",
        "Openen",
    ),
    Mode.DAY: (
        "Uw dagwachtwoord",
        "De sleutel van deze database staat niet in de sleutelbos van deze computer. Vul uw "
        "dagwachtwoord in om de database te openen.\n\nDagwachtwoord vergeten? Dan werkt het "
        "herstelwachtwoord van het herstelblad ook.",
        "Openen",
    ),
}


def add_passphrase_field(
    layout: QVBoxLayout, parent: QWidget, label_text: str, name: str
) -> QLineEdit:
    """A labelled field whose text stays hidden, as every passphrase field in Uitstroom."""
    label = QLabel(label_text, parent)
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    label.setBuddy(edit)
    layout.addWidget(label)
    layout.addWidget(edit)
    return edit


def add_show_typing(
    layout: QVBoxLayout, parent: QWidget, fields: Callable[[], Iterable[QLineEdit]]
) -> QCheckBox:
    """'Toon wat ik typ': one checkbox shows or hides what is typed in the passphrase fields."""
    box = QCheckBox("&Toon wat ik typ", parent)

    def show(visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        for edit in fields():
            edit.setEchoMode(mode)

    box.toggled.connect(show)
    layout.addWidget(box)
    return box


class PassphraseDialog(QDialog):
    """One dialog for three situations. `attempt` turns the passphrase into a result or raises
    a ServiceError whose Dutch message is shown in the dialog; nothing is written on failure."""

    def __init__(
        self,
        mode: Mode,
        location: str,
        attempt: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mode = mode
        self.result_value: object = None
        self._attempt = attempt
        title, explanation, ok_text = TEXTS[mode]
        self.setWindowTitle(f"Uitstroom — {title}")
        self.setMinimumWidth(520)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, self))
        text = QLabel(explanation, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        where = QLabel(f"Database: {location}", self)
        where.setWordWrap(True)
        where.setStyleSheet("color: #52606d;")
        layout.addWidget(where)

        label = "&Dagwachtwoord:" if mode is Mode.DAY else "&Herstelwachtwoord:"
        self.passphrase = add_passphrase_field(layout, self, label, "passphrase")
        self.repeat: QLineEdit | None = None
        if mode not in (Mode.UNLOCK, Mode.DAY):
            self.repeat = add_passphrase_field(layout, self, "&Nog een keer:", "repeat")
        self.show_text = add_show_typing(
            layout, self, lambda: [e for e in (self.passphrase, self.repeat) if e is not None]
        )

        self.banner = MessageBanner(self)
        self.banner.setObjectName("problem")
        layout.addWidget(self.banner)

        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("&Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def _show_problem(self, message: str) -> None:
        self.banner.show_problems([message])
        # Grow with the message: a dialog does not, and would squeeze its wrapped texts.
        self.adjustSize()

    def try_accept(self) -> None:
        text = self.passphrase.text()
        if self.repeat is not None and self.repeat.text() != text:
            self._show_problem("De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw.")
            self.repeat.selectAll()
            self.repeat.setFocus()
            return
        try:
            self.result_value = self._attempt(text)
        except ServiceError as exc:
            self._show_problem(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.accept()


class RecoverySheetDialog(QDialog):
    """Right after set-up: the passphrase once more, and the herstelblad to keep safe."""

    def __init__(self, sheet: RecoverySheet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sheet = sheet
        self.saved_to: Path | None = None
        self.setWindowTitle("Uitstroom — Herstelblad bewaren")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Bewaar het herstelwachtwoord op papier op een veilige plek, zoals de kluis van de "
            "school. Schrijf het over, of sla het herstelblad op een USB-stick op, druk het af "
            "en verwijder het bestand daarna.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        shown = QLabel(sheet.passphrase, self)
        shown.setObjectName("shown_passphrase")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(shown.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        shown.setFont(font)
        shown.setStyleSheet("border: 2px solid #1d4e89; padding: 10px; background: #eef3f9;")
        layout.addWidget(shown)
        save = push_button(self, "Herstelblad &opslaan als PDF…", self.save_pdf)
        layout.addWidget(save)
        self.confirmed = QCheckBox(
            "Ik heb het herstelwachtwoord veilig &bewaard (opgeschreven of afgedrukt).", self
        )
        layout.addWidget(self.confirmed)
        buttons = QDialogButtonBox(self)
        self.done_button = buttons.addButton("&Verder", QDialogButtonBox.ButtonRole.AcceptRole)
        self.done_button.setEnabled(False)
        self.confirmed.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self.accept)
        layout.addWidget(buttons)

    def save_pdf(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Herstelblad opslaan", "herstelblad-uitstroom.pdf", "PDF (*.pdf)"
            )
        if not path:
            return
        target = Path(path)
        try:
            vault.save_recovery_sheet(self._sheet, target)
        except FileWriteError as exc:
            QMessageBox.warning(self, "Opslaan is niet gelukt", str(exc))
            return
        self.saved_to = target
        QMessageBox.information(
            self,
            "Herstelblad opgeslagen",
            f"Het herstelblad staat in {target}.\n\nDruk het af, leg het op een veilige plek en "
            "verwijder het bestand daarna, zodat het niet op deze computer blijft staan.",
        )

    def reject(self) -> None:  # Esc: the passphrase must be kept, so only "Verder" leaves
        if self.confirmed.isChecked():
            super().reject()


def passphrase_from_env() -> str | None:
    """For scripts and tests, as with the headless commands: never ask when a file names it."""
    name = os.environ.get(PASSPHRASE_ENV)
    if not name:
        return None
    try:
        return Path(name).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError:
        return None


def unlock_database(database: str, parent: QWidget | None = None) -> Database | None:
    """The key from the keychain, else from the user; then the database opened. None when the
    user cancelled. A database that does not open for a reason a backup cures (damaged, empty,
    gone, its key file damaged) leads to the recovery dialog instead of a dead end; other
    errors are shown and give None too."""
    if "://" in database:
        return open_server_database(database, parent)
    path = Path(database).expanduser().resolve()
    typed = ""
    try:
        return _unlock_file(path, parent)
    except _NeedsRecovery as needs:
        error, typed = needs.error, needs.passphrase
    except Unopenable as refused:
        error = refused
    if error.trouble is None or not _offer_recovery(path, error):
        QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(error))
        return None
    dialog = RecoveryDialog(path, vault.backups_of(path), error.trouble, str(error), parent, typed)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.recovered is None:
        return None
    try:
        # The key that opened the backup opens the database now: no passphrase asked again.
        return open_database(path, dialog.recovered.key, backup_dir_for(str(path)))
    except ServiceError as exc:
        QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
        return None


class _NeedsRecovery(Exception):
    """Out of the passphrase dialog: the database needs a backup, and the passphrase that was
    just typed goes along so the recovery dialog does not ask for it again."""

    def __init__(self, error: Unopenable, passphrase: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.passphrase = passphrase


def _offer_recovery(path: Path, error: Unopenable) -> bool:
    """The recovery dialog for what a backup cures. A key file that is gone with no backup
    beside it is told in a message (its words say where the key file may be): there is
    nothing here to restore."""
    if error.trouble is None or not error.trouble.restorable:
        return False
    if error.trouble in (Trouble.KEYFILE_MISSING, Trouble.KEYFILE_DAMAGED):
        return bool(list_backups(path, vault.backups_of(path)))
    return True


def _unlock_file(path: Path, parent: QWidget | None) -> Database | None:
    """As unlock_database for a file; raises Unopenable for the recovery dialog to take."""
    try:
        vault.finish_interrupted_creation(path)
        vault.finish_interrupted_conversion(path)
        state = vault.state_of(path)
    except Unopenable:
        raise
    except ServiceError as exc:
        QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
        return None
    scripted = passphrase_from_env()
    location = str(path)
    found: list[_NeedsRecovery] = []

    def ask(mode: Mode, attempt: Callable[[str], bytes]) -> bytes | None:
        if scripted is not None:
            try:
                return attempt(scripted)
            except Unopenable as exc:
                if exc.trouble is not None and exc.trouble.restorable:
                    raise
                QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
                return None
            except ServiceError as exc:
                QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
                return None

        def leaving_for_recovery(passphrase: str) -> bytes:
            try:
                return attempt(passphrase)
            except Unopenable as exc:
                if exc.trouble is None or not exc.trouble.restorable:
                    raise
                # Not the passphrase: the dialog closes, recovery opens with it filled in.
                found.append(_NeedsRecovery(exc, passphrase))
                return b""

        dialog = PassphraseDialog(mode, location, leaving_for_recovery, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if found:
            raise found[0]
        if not accepted:
            return None
        return dialog.result_value  # type: ignore[return-value]

    # A passphrase chosen here (new database, or an old one encrypted now) goes on a herstelblad.
    passphrase_used: list[str] = []
    unlocked_by_passphrase = False

    def choosing(make_key: Callable[[Path, str], bytes]) -> Callable[[str], bytes]:
        def attempt(passphrase: str) -> bytes:
            key = make_key(path, passphrase)
            passphrase_used.append(passphrase)
            return key

        return attempt

    if state is vault.DatabaseState.NEW:
        key = ask(Mode.SET_UP, choosing(vault.set_up))
    elif state is vault.DatabaseState.PLAINTEXT:
        key = ask(Mode.ENCRYPT, choosing(vault.encrypt_in_place))
    else:
        try:
            key = vault.unlock(path)
        except vault.PassphraseRequired:
            if vault.has_day_password(path) and scripted is None:
                key = ask(
                    Mode.DAY, lambda secret: vault.unlock_with_secret(path, secret, datetime.now())
                )
            else:
                key = ask(Mode.UNLOCK, lambda passphrase: vault.unlock(path, passphrase))
            unlocked_by_passphrase = key is not None
        except Unopenable:
            raise
        except ServiceError as exc:
            QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
            return None
    if key is None:
        return None
    if passphrase_used and scripted is None:
        RecoverySheetDialog(vault.recovery_sheet(path, passphrase_used[-1]), parent).exec()
    db = open_database(path, key, backup_dir_for(location))
    if unlocked_by_passphrase:
        # The keychain had no key: a new laptop, a new profile, or a changed keychain. Worth
        # a line in the trail; an ordinary start is not.
        audit.record(db.sessions, None, AuditAction.UNLOCKED, "met het herstelwachtwoord")
    return db


def open_server_database(url: str, parent: QWidget | None = None) -> Database | None:
    """The school's server: straight in when the keychain has the password; otherwise (or when
    the address, password or TLS is not right) the connection dialog, with the problem shown."""
    try:
        return open_database(url)
    except ServerRefused as exc:
        if exc.problem is ServerProblem.NEWER_SCHEMA:  # nothing to fix in the dialog
            QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
            return None
        problem = str(exc)
    except DatabaseOpenError as exc:
        QMessageBox.critical(parent, "Uitstroom kan de database niet openen", str(exc))
        return None
    dialog = ServerDialog(ServerAddress.from_url(url), problem, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.database
