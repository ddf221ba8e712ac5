"""Two pages of the pupil pane that keep their own lists: the stages and the timeline (notes).

Each owns its widgets and what its buttons do; the pane gives it the service, the open record,
who is working, and what to do when something was stored (the way Vorta's tabs own their
behaviour). Both are stored on their own, not with Opslaan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import TimelineKind
from uitstroom.domain.model import PupilRecord, Stage
from uitstroom.services.errors import ServiceError, ValidationError
from uitstroom.services.pupils import PupilService
from uitstroom.ui.forms import FormDialog, confirm, problems_of
from uitstroom.ui.pupil_fields import (
    STAGE_COLUMNS,
    STAGE_FIELDS,
    TIMELINE_COLUMNS,
    newest_first,
    values_of,
)
from uitstroom.ui.record_table import ROW_ROLE, RecordTableModel, pane_table
from uitstroom.ui.widgets import button_row_right, push_button

Record = Callable[[], PupilRecord | None]
Stored = Callable[[PupilRecord], None]
Problems = Callable[[Sequence[str], bool], None]  # the lines, and whether they are about input


@dataclass(frozen=True)
class PaneHooks:
    """What a page needs of the pupil pane: the service, the open record and where problems
    are shown (the service knows who is working)."""

    pupils: PupilService
    record: Record
    problems: Problems

    def pupil_id(self) -> int | None:
        found = self.record()
        return None if found is None else found.pupil.id


def placeholder(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("QLabel { color: #555; }")
    label.setWordWrap(True)
    return label


class StagesPage(QWidget):
    def __init__(self, pane: PaneHooks, stored: Stored, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pane, self._stored = pane, stored
        self.model = RecordTableModel(STAGE_COLUMNS, parent=self)
        self.table = pane_table(self.model, self)
        self.table.activated.connect(lambda _index: self.edit())
        delete = QAction("Stage verwijderen", self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete)
        self.table.addAction(delete)
        self.add_button = push_button(self, "&Toevoegen…", self.add, "Stage toevoegen")
        self.edit_button = push_button(self, "&Wijzigen…", self.edit, "Stage wijzigen")
        self.delete_button = push_button(self, "&Verwijderen…", self.delete, "Stage verwijderen")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.placeholder = placeholder(
            "Sla de nieuwe leerling eerst op; daarna kunt u stages toevoegen.", self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)

    def show_record(self, record: PupilRecord) -> None:
        saved = record.pupil.id is not None
        self.model.set_rows(record.stages)
        for widget in (self.table, self.add_button):
            widget.setEnabled(saved)
        self.placeholder.setVisible(not saved)
        self.update_buttons()

    def set_writable(self, writes: bool) -> None:
        for button in (self.add_button, self.edit_button, self.delete_button):
            button.setVisible(writes)

    def selected(self) -> Stage | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        found = index.data(ROW_ROLE)
        return found if isinstance(found, Stage) else None

    def update_buttons(self) -> None:
        chosen = self._pane.pupil_id() is not None and self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def add(self) -> None:
        self._edit(None)

    def edit(self) -> None:
        stage = self.selected()
        if stage is not None:
            self._edit(stage)

    def _edit(self, stage: Stage | None) -> None:
        record = self._pane.record()
        if record is None or record.pupil.id is None:
            return
        pupil_id = record.pupil.id
        stage_id = None if stage is None else stage.id
        # The version it was read at: a change made by someone else in between is refused.
        version = None if stage is None else stage.version
        dialog = FormDialog(
            "Stage toevoegen" if stage is None else "Stage wijzigen",
            STAGE_FIELDS,
            values_of(stage or Stage(leerbedrijf=""), [f.name for f in STAGE_FIELDS]),
            intro="" if stage else f"Een nieuwe stage voor {record.pupil.name}.",
            submit=lambda v: self._pane.pupils.save_stage(
                pupil_id, Stage(id=stage_id, version=version, **v)
            ),
            parent=self,
        )
        first = dialog.form.first_editor()
        if first is not None:
            first.setFocus()
        if dialog.exec() == FormDialog.DialogCode.Accepted:
            assert isinstance(dialog.result_value, PupilRecord)
            self._stored(dialog.result_value)

    def delete(self) -> None:
        stage = self.selected()
        pupil_id = self._pane.pupil_id()
        if stage is None or stage.id is None or pupil_id is None:
            return
        if not confirm(
            self,
            "Stage verwijderen",
            f"De stage bij {stage.leerbedrijf} verwijderen? Dit kan niet ongedaan worden gemaakt.",
            "Verwijderen",
        ):
            return
        try:
            changed = self._pane.pupils.delete_stage(pupil_id, stage.id)
        except ServiceError as exc:
            self._pane.problems(problems_of(exc), False)
            return
        self._stored(changed)


class TimelinePage(QWidget):
    def __init__(self, pane: PaneHooks, stored: Stored, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pane, self._stored = pane, stored
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("note")
        self.note_edit.setPlaceholderText(
            "Schrijf een notitie, bijvoorbeeld over een gesprek, telefoontje of afspraak…"
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.add_button = push_button(
            self, "Notitie &toevoegen", self.add_note, "Notitie toevoegen (Ctrl+Enter)"
        )
        add_note = QAction(self.note_edit)
        add_note.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        add_note.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        add_note.triggered.connect(self.add_note)
        self.note_edit.addAction(add_note)
        row = button_row_right(self.add_button)
        self.model = RecordTableModel(
            TIMELINE_COLUMNS, parent=self, muted=lambda t: t.kind == TimelineKind.GEBEURTENIS
        )
        self.table = pane_table(self.model, self)
        self.placeholder = placeholder(
            "Sla de nieuwe leerling eerst op; daarna kunt u notities maken.", self
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.note_edit)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def show_record(self, record: PupilRecord) -> None:
        saved = record.pupil.id is not None
        self.model.set_rows(newest_first(record.timeline))
        for widget in (self.note_edit, self.add_button, self.table):
            widget.setEnabled(saved)
        self.placeholder.setVisible(not saved)

    def set_writable(self, writes: bool) -> None:
        for widget in (self.note_edit, self.add_button):
            widget.setVisible(writes)

    def typed(self) -> str:
        return self.note_edit.toPlainText()

    def set_typed(self, text: str) -> None:
        """The note being typed, set without counting as an edit (blockSignals)."""
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(text)
        self.note_edit.blockSignals(False)

    def add_note(self) -> bool:
        pupil_id = self._pane.pupil_id()
        if pupil_id is None:
            return False
        try:
            changed = self._pane.pupils.add_note(pupil_id, self.typed())
        except ServiceError as exc:
            self._pane.problems(problems_of(exc), isinstance(exc, ValidationError))
            return False
        self.set_typed("")
        self._stored(changed)
        return True
