"""Verbinden met de schoolserver: where the school's PostgreSQL database is, the password (kept in
the keychain when asked), a test that changes nothing, and a Dutch sentence for what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.services.connection import (
    DEFAULT_DATABASE,
    DEFAULT_PORT,
    ConnectionCheck,
    ServerAddress,
    check_connection,
    choose_school_certificate,
    forget_password,
    password_for,
    remember_password,
    school_certificate,
    tls_problem,
)
from uitstroom.services.database import Database, open_database
from uitstroom.ui.forms import MessageBanner
from uitstroom.ui.widgets import add_labelled_rows
from uitstroom.ui.worker import run_with_progress

# (label, libpq sslmode). The last one is allowed on this computer only (services.connection).
TLS_CHOICES = (
    ("Verplicht, en het certificaat van de server controleren", "verify-full"),
    ("Niet nodig: de server draait op deze computer", ""),
)

OK_STYLE = (
    "QLabel { background: #e8f5e9; color: #1b5e20; border: 1px solid #b7dfb9;"
    " border-left: 4px solid #2e7d32; border-radius: 3px; padding: 8px 10px; }"
)

Opener = Callable[[str, str | None], Database]


def _open(url: str, password: str | None) -> Database:
    return open_database(url, password=password)


class ServerDialog(QDialog):
    """After exec() == Accepted, `database` is the open server database and `address` where it
    is. `opener` opens it (the program's open_database; tests may pass their own)."""

    def __init__(
        self,
        address: ServerAddress | None = None,
        problem: str = "",
        parent: QWidget | None = None,
        opener: Opener = _open,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verbinden met de schoolserver")
        self.setMinimumWidth(560)
        self.database: Database | None = None
        self.address: ServerAddress | None = None
        self._opener = opener
        self._busy = False
        self._options: tuple[tuple[str, str], ...] = ()

        layout = QVBoxLayout(self)
        heading = QLabel("Verbinden met de schoolserver", self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        intro = QLabel(
            "Werkt uw school met één gedeelde database, dan staat die op een PostgreSQL-server. "
            "De gegevens hieronder krijgt u van de beheerder van die server. Het wachtwoord "
            "bewaart Uitstroom alleen in de sleutelbos van deze computer, als u dat aanvinkt.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.host = self._line(form, "&Server:", "host", "bijvoorbeeld db.school.nl")
        self.port = QSpinBox(self)
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self._add(form, "&Poort:", self.port)
        self.database_name = self._line(form, "&Database:", "database", "")
        self.database_name.setText(DEFAULT_DATABASE)
        self.user = self._line(form, "&Gebruikersnaam:", "user", "")
        self.password = self._line(form, "&Wachtwoord:", "password", "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.tls = QComboBox(self)
        self.tls.setObjectName("tls")
        for label, mode in TLS_CHOICES:
            self.tls.addItem(label, mode)
        self._add(form, "&Versleuteling (TLS):", self.tls)
        certificate_row = QHBoxLayout()
        self.certificate = QLabel(self)
        self.certificate.setObjectName("certificate_state")
        self.certificate.setWordWrap(True)
        self.certificate_button = QPushButton("&Certificaat van de schoolserver…", self)
        self.certificate_button.setObjectName("certificate")
        self.certificate_button.setAutoDefault(False)
        self.certificate_button.clicked.connect(self.choose_certificate)
        certificate_row.addWidget(self.certificate_button)
        certificate_row.addWidget(self.certificate, 1)
        form.addRow("", certificate_row)
        self._show_certificate()
        layout.addLayout(form)
        self.remember = QCheckBox("Wachtwoord &onthouden in de sleutelbos van deze computer", self)
        self.remember.setObjectName("remember")
        self.remember.setChecked(True)
        layout.addWidget(self.remember)

        self.test_button = QPushButton("Verbinding &testen", self)
        self.test_button.setObjectName("test")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        layout.addWidget(self.test_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.result_line = MessageBanner(self)
        self.result_line.setObjectName("result")
        self._problem_style = self.result_line.styleSheet()
        layout.addWidget(self.result_line)

        buttons = QDialogButtonBox(self)
        self.connect_button = buttons.addButton(
            "&Verbinden", QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton("&Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.try_connect)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

        if address is not None:
            self.fill(address)
        if problem:
            self._show(problem, ok=False)
        first_empty = next(
            (e for e in (self.host, self.user, self.password) if not e.text()), self.password
        )
        first_empty.setFocus()

    # --- building --------------------------------------------------------------------------
    def _add(self, form: QFormLayout, text: str, editor: QWidget) -> None:
        add_labelled_rows(form, self, [(text, editor)])

    def _line(self, form: QFormLayout, text: str, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        self._add(form, text, edit)
        return edit

    def fill(self, address: ServerAddress) -> None:
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database_name.setText(address.database)
        self.user.setText(address.user)
        # Another computer: TLS with the certificate checked, always.
        mode = "" if address.is_local and address.sslmode != "verify-full" else "verify-full"
        self.tls.setCurrentIndex(max(self.tls.findData(mode), 0))
        self._options = address.options

    def _show_certificate(self) -> None:
        self.certificate.setText(
            "De school heeft een eigen certificaat gekozen."
            if school_certificate()
            else "Nu: de certificaten die deze computer vertrouwt."
        )

    def choose_certificate(self, source: str | None = None) -> None:
        """The school's own CA file (a .pem or .crt from the ICT department)."""
        if source is None:
            source, _ = QFileDialog.getOpenFileName(
                self,
                "Certificaat van de schoolserver",
                "",
                "Certificaten (*.pem *.crt *.cer);;Alle bestanden (*)",
            )
        if not source:
            return
        try:
            choose_school_certificate(Path(source))
        except (OSError, ValueError) as exc:
            self._show(str(exc), ok=False)
            return
        self._show_certificate()

    # --- reading ---------------------------------------------------------------------------
    def current_address(self) -> ServerAddress:
        address = ServerAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database_name.text().strip(),
            user=self.user.text().strip(),
            sslmode=str(self.tls.currentData() or ""),
            options=self._options,
        )
        if not address.sslmode and not address.is_local:
            # "Niet nodig" chosen for another computer: said so, not quietly made safe.
            return ServerAddress(**{**vars(address), "sslmode": "disable"})
        return address

    def _problems(self, address: ServerAddress) -> list[str]:
        missing = [
            label
            for label, value in (
                ("de server", address.host),
                ("de database", address.database),
                ("de gebruikersnaam", address.user),
            )
            if not value
        ]
        if missing:
            return [f"Vul {' en '.join(missing)} in."]
        refused = tls_problem(address)
        return [refused] if refused else []

    def _password(self, address: ServerAddress) -> str | None:
        return self.password.text() or password_for(address)

    def _show(self, message: str, ok: bool) -> None:
        self.result_line.setText(message)
        self.result_line.setProperty("ok", ok)
        self.result_line.setStyleSheet(OK_STYLE if ok else self._problem_style)
        self.result_line.show()
        self.adjustSize()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.test_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)

    # --- the two buttons -------------------------------------------------------------------
    def test_connection(self) -> None:
        address = self.current_address()
        problems = self._problems(address)
        if problems:
            self._show(problems[0], ok=False)
            return
        password = self._password(address)
        self._set_busy(True)

        def done(check: ConnectionCheck) -> None:
            self._set_busy(False)
            self._show(check.message, check.ok)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self._show(str(exc), ok=False)

        run_with_progress(
            self,
            "Verbinding testen…",
            lambda _progress: check_connection(address, password),
            done,
            on_error=failed,
        )

    def try_connect(self) -> None:
        if self._busy:
            return
        address = self.current_address()
        problems = self._problems(address)
        if problems:
            self._show(problems[0], ok=False)
            return
        typed = self.password.text() or None
        self._set_busy(True)

        def done(database: Database) -> None:
            self._set_busy(False)
            if typed and self.remember.isChecked():
                remember_password(address, typed)
            elif not self.remember.isChecked():
                forget_password(address)
            self.database = database
            self.address = address
            self.accept()

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self._show(str(exc), ok=False)
            self.password.selectAll()
            self.password.setFocus()

        run_with_progress(
            self,
            "Verbinden met de schoolserver…",
            lambda _progress: self._opener(address.url(), typed),
            done,
            on_error=failed,
        )
