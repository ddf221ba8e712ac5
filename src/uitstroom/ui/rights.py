"""Leerling → Inzage-export and Wissen op verzoek: the pupil's rights, from the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.model import Pupil
from uitstroom.services.errors import ServiceError
from uitstroom.services.rights import Erased, InzageFiles, RightsService
from uitstroom.ui.forms import MessageBanner, problems_of
from uitstroom.ui.worker import run_with_progress


def export_inzage(parent: QWidget, service: RightsService, pupil: Pupil) -> None:
    """Ask for a folder, then write the PDF and the JSON there, off the UI thread."""
    assert pupil.id is not None
    folder = QFileDialog.getExistingDirectory(
        parent, f"Map kiezen voor de inzage van {pupil.name}", str(Path.home())
    )
    if not folder:
        return
    pupil_id = pupil.id

    def done(files: InzageFiles) -> None:
        QMessageBox.information(
            parent,
            "Inzage-export",
            f"De inzage van {pupil.name} staat in {files.pdf.parent}:\n\n"
            f"• {files.pdf.name}: om te lezen of te printen\n"
            f"• {files.json.name}: dezelfde gegevens voor een computer\n\n"
            "Deze bestanden bevatten alle gegevens, ook de ondersteuningsbehoefte en de "
            "notities. Geef ze alleen aan de leerling of de ouders, en verwijder ze van deze "
            "computer als ze zijn overhandigd.",
        )

    def failed(error: BaseException) -> None:
        message = "\n".join(problems_of(error)) if isinstance(error, ServiceError) else str(error)
        QMessageBox.warning(parent, "Inzage-export is niet gelukt", message)

    run_with_progress(
        parent,
        "Inzage maken…",
        lambda _progress: service.export_inzage(pupil_id, Path(folder)),
        on_done=done,
        on_error=failed,
    )


class EraseDialog(QDialog):
    """Names the pupil, says what goes and what stays, and asks to type the leerlingnummer:
    a click alone is too little for something that cannot be undone."""

    def __init__(self, pupil: Pupil, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pupil = pupil
        self.setWindowTitle("Wissen op verzoek")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        who = pupil.name
        where = ", ".join(
            part
            for part in (
                f"klas {pupil.klas}" if pupil.klas else "",
                f"leerlingnummer {pupil.leerlingnummer}",
                f"cohort {pupil.cohort_label}" if pupil.cohort_label else "",
            )
            if part
        )
        title = QLabel(f"<b>{_html(who)} wissen?</b><br>{_html(where)}", self)
        title.setObjectName("who")
        title.setStyleSheet("font-size: 12pt;")
        layout.addWidget(title)
        text = QLabel(
            f"Alles over {who} gaat weg: de gegevens, de ouders en verzorgers, de route, de "
            "stages, de ondersteuningsbehoefte en alle notities. Dit kan niet ongedaan worden "
            "gemaakt.\n\n"
            "Wat blijft: het logboek, waarin de leerling alleen een intern nummer is, en "
            "tellingen per cohort zonder naam (zoals hoeveel leerlingen naar werk gingen).\n\n"
            "In de back-ups staat de leerling nog tot die na ongeveer vijf weken zijn "
            "vervangen. Willen de ouders eerst een overzicht? Maak dan eerst een "
            "inzage-export.",
            self,
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        prompt = QLabel(
            f"Typ het &leerlingnummer <b>{_html(pupil.leerlingnummer)}</b> om te bevestigen:", self
        )
        self.confirmation = QLineEdit(self)
        self.confirmation.setObjectName("confirmation")
        prompt.setBuddy(self.confirmation)
        layout.addWidget(prompt)
        layout.addWidget(self.confirmation)
        buttons = QDialogButtonBox(self)
        self.erase_button = QPushButton("Definitief &wissen", self)
        self.erase_button.setEnabled(False)
        self.erase_button.setAutoDefault(False)
        self.erase_button.setStyleSheet(
            "QPushButton:enabled { background: #c62828; color: white; border: 1px solid #8e1b1b;"
            " border-radius: 3px; }"
        )
        self.erase_button.setMinimumWidth(
            self.erase_button.fontMetrics().horizontalAdvance("Definitief wissen") + 40
        )
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.confirmation.textChanged.connect(self._typed)
        self.confirmation.setFocus()

    def _typed(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip() == self._pupil.leerlingnummer)

    @property
    def typed(self) -> str:
        return self.confirmation.text()


def erase_on_request(parent: QWidget, service: RightsService, pupil: Pupil) -> Erased | None:
    """The confirmation, then the erasure. None when the user cancelled or it failed."""
    assert pupil.id is not None
    dialog = EraseDialog(pupil, parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            return service.erase(pupil.id, dialog.typed)
        except ServiceError as exc:
            dialog.banner.show_problems(problems_of(exc))
    return None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
