"""The pupil's Paspoort voor Succes: one editor per part, with its guiding question above it in
plain Dutch, and the diploma's, certificaten and praktijkverklaringen as a small list.

Edits wait for the pupil view's Opslaan (Ctrl+S), like the pupil's own fields: the tab says
whether it differs from what is stored, and `save()` stores it in one service call.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.handover import GUIDING_QUESTIONS, Credential, CredentialKind, Paspoort
from uitstroom.ui.forms import (
    ChoiceField,
    DateField,
    FormDialog,
    NotesEdit,
    TextField,
    enum_choices,
)
from uitstroom.ui.pupil_fields import values_of
from uitstroom.ui.record_page import RecordPage, hint_label
from uitstroom.ui.record_table import ROW_ROLE, Column, RecordTableModel, record_table
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService

# The parts in the order of the document, with the heading a pupil and parent read.
PARTS: tuple[tuple[str, str], ...] = (
    ("wie", "Wie ben je?"),
    ("kan", "Wat kan je?"),
    ("wil", "Wat wil je?"),
    ("nodig", "Wat heb je nodig?"),
    ("keuze", "Hoe is de keuze gemaakt?"),
    ("aanpak", "Welke aanpak werkt?"),
    ("aanpassingen", "Welke aanpassingen werken?"),
)
# Health and support needs: shared only with consent for these parts.
SENSITIVE_PARTS = frozenset({"nodig", "aanpak", "aanpassingen"})

CREDENTIAL_FIELDS = (
    ChoiceField(name="kind", label="Soort", choices=enum_choices(CredentialKind)),
    TextField(
        name="name",
        label="Naam",
        placeholder="bijv. Branchecertificaat Logistiek, VCA basis",
        max_length=200,
    ),
    DateField(name="issued_on", label="Behaald op"),
    TextField(name="issuer", label="Uitgegeven door", placeholder="bijv. SVA, school"),
)
CREDENTIAL_COLUMNS = (
    Column("Soort", lambda c: c.kind.label, chars=16),
    Column("Naam", lambda c: c.name, chars=24, stretch=True),
    Column(
        "Behaald op",
        lambda c: f"{c.issued_on:%d-%m-%Y}" if c.issued_on else "—",
        lambda c: c.issued_on,
        chars=11,
    ),
    Column("Door", lambda c: c.issuer or "—", chars=14),
)


class PaspoortTab(RecordPage[Paspoort]):
    """Signal: edited() on every user edit (the pupil view re-checks its dirty state)."""

    def __init__(self, handover: HandoverService, parent: QWidget | None = None) -> None:
        super().__init__(
            handover,
            Paspoort(),
            "Sla de nieuwe leerling eerst op; daarna kunt u het paspoort invullen.",
            parent,
        )
        self._pupil_name = ""
        content, layout = self.content, self.form
        self.intro = hint_label(
            "Het Paspoort voor Succes is van de leerling. Vul het samen met de leerling en de "
            "ouders in, in de woorden van de leerling. Stages en wat de leerling daar leerde "
            "staan in de tab Stages.",
            content,
        )
        layout.addWidget(self.intro)
        self.editors: dict[str, NotesEdit] = {}
        for name, heading in PARTS:
            box = QGroupBox(heading, content)
            inner = QVBoxLayout(box)
            question = hint_label(GUIDING_QUESTIONS[name], box)
            inner.addWidget(question)
            if name in SENSITIVE_PARTS:
                warning = QLabel("Gevoelig: alleen delen met toestemming voor dit deel.", box)
                warning.setWordWrap(True)
                warning.setStyleSheet("QLabel { color: #6b3f00; }")
                inner.addWidget(warning)
            editor = NotesEdit("", box)
            editor.setObjectName(name)
            editor.setAccessibleName(heading)
            editor.edited.connect(self.edited)
            question.setBuddy(editor)
            inner.addWidget(editor)
            self.editors[name] = editor
            layout.addWidget(box)

        box = QGroupBox("Diploma’s, certificaten en praktijkverklaringen", content)
        inner = QVBoxLayout(box)
        self.credential_model = RecordTableModel(CREDENTIAL_COLUMNS, parent=self)
        self.credential_table = record_table(self.credential_model, box, "credentials")
        self.credential_table.setMinimumHeight(self.fontMetrics().height() * 7)
        self.credential_table.activated.connect(lambda _index: self.edit_credential())
        delete = QAction("Verwijderen", self.credential_table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_credential)
        self.credential_table.addAction(delete)
        # Short, as the stage buttons: the box says what is added, and the pane is narrow.
        self.add_credential_button = push_button(
            box, "Toe&voegen…", self.add_credential, "Diploma of certificaat toevoegen"
        )
        self.edit_credential_button = push_button(box, "Wij&zigen…", self.edit_credential)
        self.remove_credential_button = push_button(box, "&Weghalen", self.remove_credential)
        row = QHBoxLayout()
        for button in (
            self.add_credential_button,
            self.edit_credential_button,
            self.remove_credential_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        inner.addWidget(self.credential_table)
        inner.addLayout(row)
        layout.addWidget(box)
        self.credential_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.finish_page()

    # --- loading -------------------------------------------------------------------------
    def show_pupil(self, pupil_id: int | None, pupil_name: str = "") -> None:
        self._pupil_name = pupil_name
        self._open(pupil_id)

    def _load(self, pupil_id: int) -> Paspoort:
        return self._handover.paspoort(pupil_id)

    def _store(self, pupil_id: int, record: Paspoort) -> Paspoort:
        return self._handover.save_paspoort(pupil_id, record)

    def _fill(self, paspoort: Paspoort) -> None:
        for name, editor in self.editors.items():
            editor.blockSignals(True)
            editor.set_field_value(getattr(paspoort, name))
            editor.blockSignals(False)
        self.credential_model.set_rows(paspoort.credentials)

    # --- state ---------------------------------------------------------------------------
    def paspoort(self) -> Paspoort:
        texts = {name: editor.field_value() for name, editor in self.editors.items()}
        rows = tuple(self.credential_model.rows)
        return replace(self._loaded, credentials=rows, **cast(dict[str, Any], texts))

    def current(self) -> Paspoort:
        return self.paspoort()

    def first_editor(self) -> QWidget:
        return self.editors["wie"]

    # --- credentials ---------------------------------------------------------------------
    def selected_credential(self) -> Credential | None:
        found = selected_row(self.credential_table)
        return found if isinstance(found, Credential) else None

    def _update_buttons(self) -> None:
        chosen = self.selected_credential() is not None
        self.edit_credential_button.setEnabled(chosen)
        self.remove_credential_button.setEnabled(chosen)

    def add_credential(self) -> None:
        self._edit_credential(None)

    def edit_credential(self) -> None:
        chosen = self.selected_credential()
        if chosen is not None:
            self._edit_credential(chosen)

    def _edit_credential(self, credential: Credential | None) -> None:
        start = credential or Credential(kind=CredentialKind.DIPLOMA, name="")
        dialog = FormDialog(
            "Diploma of certificaat" + (" wijzigen" if credential else " toevoegen"),
            CREDENTIAL_FIELDS,
            values_of(start, [f.name for f in CREDENTIAL_FIELDS]),
            intro="Wordt bewaard met Opslaan (Ctrl+S), samen met de rest van het paspoort.",
            accept_text="OK",
            check=lambda v: [] if v["name"] else ["Vul de naam van het diploma of certificaat in."],
            parent=self,
        )
        dialog.form.editor("name").setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        made = Credential(id=start.id, **dialog.values)
        rows = list(self.credential_model.rows)
        if credential is None:
            rows.append(made)
        else:
            rows[rows.index(credential)] = made
        self.credential_model.set_rows(rows)
        self.credential_table.setCurrentIndex(self.credential_model.index(rows.index(made), 0))
        self._update_buttons()
        self.edited.emit()

    def remove_credential(self) -> None:
        chosen = self.selected_credential()
        if chosen is None:
            return
        rows = [c for c in self.credential_model.rows if c is not chosen]
        self.credential_model.set_rows(rows)
        self._update_buttons()
        self.edited.emit()


def selected_row(table: QTableView) -> object:
    index = table.currentIndex()
    if not index.isValid() or not table.selectionModel().hasSelection():
        return None
    return index.data(ROW_ROLE)
