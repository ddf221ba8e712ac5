"""When the database does not open: what is wrong, in plain Dutch, and the way back.

Shown at start-up instead of a dead end. A damaged, empty or missing database, or a damaged or
missing key file, is cured by a backup: the dialog names the newest good one, asks only for the
recovery passphrase when the keychain does not have the key, puts the backup in place and keeps
the file that did not open aside. A wrong passphrase or a full disk is not cured by a backup;
for those the message says what to do and the dialog only closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.damage import Trouble
from uitstroom.services.backups import (
    DAMAGED_REASON,
    PassphraseNeeded,
    Recovered,
    list_backups,
    recover,
)
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import MessageBanner, heading

TITLES = {
    Trouble.DATABASE_DAMAGED: "De database is beschadigd",
    Trouble.DATABASE_EMPTY: "De database is leeg",
    Trouble.DATABASE_MISSING: "De database ontbreekt",
    Trouble.KEYFILE_DAMAGED: "Het sleutelbestand is beschadigd",
    Trouble.KEYFILE_MISSING: "Het sleutelbestand ontbreekt",
    Trouble.OTHER_KEY: "De database gaat niet open met deze sleutel",
}


class RecoveryDialog(QDialog):
    """Accepted once a backup is in place (`recovered` says which); rejected when the user
    closes it, with nothing changed."""

    def __init__(
        self,
        path: Path,
        backup_dir: Path,
        trouble: Trouble,
        message: str,
        parent: QWidget | None = None,
        passphrase: str = "",
    ) -> None:
        super().__init__(parent)
        self._path = path
        self._backup_dir = backup_dir
        self.recovered: Recovered | None = None
        self.setWindowTitle("Uitstroom — database herstellen")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(TITLES.get(trouble, "De database gaat niet open"), self))
        text = QLabel(message, self)
        text.setObjectName("message")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.newest = QLabel(self._newest_text(), self)
        self.newest.setObjectName("newest")
        self.newest.setWordWrap(True)
        layout.addWidget(self.newest)
        where = QLabel(f"Database: {path}", self)
        where.setWordWrap(True)
        where.setStyleSheet("color: #52606d;")
        layout.addWidget(where)

        label = QLabel("&Herstelwachtwoord (alleen nodig als de computer de sleutel niet heeft):")
        label.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setText(passphrase)  # typed a moment ago in the unlock dialog
        label.setBuddy(self.passphrase)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)

        self.banner = MessageBanner(self)
        self.banner.setObjectName("problem")
        layout.addWidget(self.banner)

        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("&Nieuwste goede back-up terugzetten", self)
        self.other_button = QPushButton("&Andere back-up kiezen…", self)
        close = QPushButton("&Sluiten", self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(lambda: self.restore(None))
        self.other_button.clicked.connect(self.choose_other)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.restore_button.setFocus()

    def _newest_text(self) -> str:
        backups = [
            info
            for info in list_backups(self._path, self._backup_dir)
            if info.reason != DAMAGED_REASON
        ]
        if not backups:
            return (
                f"In {self._backup_dir} staan geen back-ups. Staan ze ergens anders (een "
                "USB-stick, de schijf van school)? Kies dan Andere back-up kiezen."
            )
        return (
            f"De nieuwste back-up is van {backups[0].description}. Is die niet in orde, dan "
            "neemt Uitstroom de back-up daarvoor."
        )

    def choose_other(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self, "Back-up kiezen", str(self._backup_dir), "Back-ups van Uitstroom (*.db)"
            )
        if path:
            self.restore(Path(path))

    def restore(self, source: Path | None) -> None:
        passphrase = self.passphrase.text() or None
        try:
            self.recovered = recover(self._path, self._backup_dir, passphrase, source)
        except PassphraseNeeded:
            self.banner.show_problems(
                ["De sleutel staat niet op deze computer. Vul het herstelwachtwoord in."]
            )
            self.passphrase.setFocus()
            self.adjustSize()
            return
        except ServiceError as exc:
            self.banner.show_problems([str(exc)])
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            self.adjustSize()
            return
        self.accept()
