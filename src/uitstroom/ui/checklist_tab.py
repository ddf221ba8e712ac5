"""A pupil's checklist: the status on top, the open tasks, and what is done, by whom and when.

Ticking is stored at once (one service call), like stages and notes: it never waits for the
pupil's Opslaan. Space ticks the chosen open task, or opens the chosen finished one again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.checklist import Level, Task
from uitstroom.services.errors import ServiceError
from uitstroom.ui.attention_model import short_day
from uitstroom.ui.record_table import (
    ROW_ROLE,
    Column,
    RecordTableModel,
    pane_table,
    text_key,
)
from uitstroom.ui.status import StatusMarker, marker_icon, text_colour
from uitstroom.ui.widgets import button_row, push_button

if TYPE_CHECKING:
    from uitstroom.services.planning import PlanningService


def done_when_and_by(task: Task) -> str:
    """'vr 18 september, Marloes Verbeek'; the day alone when no name was kept."""
    day = short_day(task.done_on)
    return f"{day}, {task.done_by}" if task.done_by else day


class ChecklistTab(QWidget):
    """Signal: task_changed(pupil_id, Task) after a tick or an untick."""

    task_changed = Signal(int, object)

    def __init__(
        self,
        planning: PlanningService,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._planning = planning
        self._today = today
        self._pupil_id: int | None = None
        self._attention_days = 14

        layout = QVBoxLayout(self)
        self.marker = StatusMarker(self)
        layout.addWidget(self.marker)
        self.placeholder = QLabel(
            "Sla de nieuwe leerling eerst op; daarna komt hier de checklist van de route.", self
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(self.placeholder)

        self.open_model = RecordTableModel(self._open_columns(), parent=self)
        self.done_model = RecordTableModel(self._done_columns(), parent=self)
        self.open_table = pane_table(self.open_model, self)
        self.open_table.setObjectName("open_tasks")
        self.done_table = pane_table(self.done_model, self)
        self.done_table.setObjectName("done_tasks")
        self.open_box = QGroupBox("Open", self)
        QVBoxLayout(self.open_box).addWidget(self.open_table)
        self.done_box = QGroupBox("Afgerond", self)
        QVBoxLayout(self.done_box).addWidget(self.done_table)
        layout.addWidget(self.open_box, 3)
        layout.addWidget(self.done_box, 2)

        self.tick_button = push_button(
            self,
            "Afvinken als ge&daan",
            self.tick_selected,
            "De gekozen open taak is gedaan (spatie)",
        )
        self.untick_button = push_button(
            self,
            "&Weer openzetten",
            self.untick_selected,
            "De gekozen afgeronde taak staat toch nog open (spatie)",
        )
        buttons = button_row(self.tick_button, self.untick_button)
        layout.addLayout(buttons)
        for table, slot in (
            (self.open_table, self.tick_selected),
            (self.done_table, self.untick_selected),
        ):
            action = QAction(table)
            action.setShortcut(QKeySequence(Qt.Key.Key_Space))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            table.addAction(action)
            table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    # --- columns -------------------------------------------------------------------------
    def _level(self, task: Task) -> Level | None:
        days = (task.due - self._today()).days
        if days < 0:
            return Level.TE_LAAT
        if days <= self._attention_days:
            return Level.AANDACHT
        return None

    def _open_columns(self) -> tuple[Column, ...]:
        return (
            Column("Taak", lambda t: t.title, lambda t: text_key(t.title), chars=30, stretch=True),
            Column("Wie", lambda t: t.owner.label, chars=11),
            Column(
                "Uiterlijk",
                lambda t: short_day(t.due),
                lambda t: t.due,
                chars=14,
                decoration=lambda t: None if (lv := self._level(t)) is None else marker_icon(lv),
                foreground=lambda t: None if (lv := self._level(t)) is None else text_colour(lv),
                tooltip=lambda t: None if (lv := self._level(t)) is None else lv.label,
            ),
        )

    def _done_columns(self) -> tuple[Column, ...]:
        return (
            Column("Taak", lambda t: t.title, lambda t: text_key(t.title), chars=30, stretch=True),
            Column("Wie", lambda t: t.owner.label, chars=11),
            # When and by whom in one column: four columns left the task two words wide.
            Column("Afgerond", done_when_and_by, lambda t: t.done_on, chars=16),
        )

    # --- loading -------------------------------------------------------------------------
    @property
    def pupil_id(self) -> int | None:
        return self._pupil_id

    def show_pupil(self, pupil_id: int | None, select_task: int | None = None) -> None:
        self._pupil_id = pupil_id
        saved = pupil_id is not None
        self.placeholder.setVisible(not saved)
        for widget in (self.marker, self.open_box, self.done_box):
            widget.setVisible(saved)
        if pupil_id is None:
            self.open_model.set_rows([])
            self.done_model.set_rows([])
            self.marker.set_status(None)
            self._update_buttons()
            return
        today = self._today()
        self._attention_days = self._planning.calendar().settings.attention_days
        tasks = self._planning.tasks(pupil_id)
        open_tasks = sorted((t for t in tasks if not t.done), key=lambda t: (t.due, t.code))
        done = sorted((t for t in tasks if t.done), key=lambda t: (t.done_on or today, t.code))
        self.open_model.set_rows(open_tasks)
        self.done_model.set_rows(done)
        self.open_box.setTitle(f"Open ({len(open_tasks)})")
        self.done_box.setTitle(f"Afgerond ({len(done)})")
        try:
            self.marker.set_status(self._planning.status_of(pupil_id, today))
        except ServiceError as exc:
            self.marker.set_status(None)
            self.marker.reason.setText(str(exc))
        if select_task is not None:
            self.select_task(select_task)
        self._update_buttons()

    def refresh(self) -> None:
        self.show_pupil(self._pupil_id)

    def select_task(self, task_id: int) -> bool:
        for table, model in (
            (self.open_table, self.open_model),
            (self.done_table, self.done_model),
        ):
            for row, task in enumerate(model.rows):
                if task.id == task_id:
                    table.setCurrentIndex(model.index(row, 0))
                    table.setFocus(Qt.FocusReason.OtherFocusReason)
                    return True
        return False

    # --- ticking -------------------------------------------------------------------------
    @staticmethod
    def _selected(table: QTableView) -> Task | None:
        index = table.currentIndex()
        if not index.isValid() or not table.selectionModel().hasSelection():
            return None
        return index.data(ROW_ROLE)

    def _update_buttons(self) -> None:
        self.tick_button.setEnabled(self._selected(self.open_table) is not None)
        self.untick_button.setEnabled(self._selected(self.done_table) is not None)

    def tick_selected(self) -> None:
        task = self._selected(self.open_table)
        if task is None or task.id is None or self._pupil_id is None:
            return
        row, task_id = self.open_table.currentIndex().row(), task.id
        self._change(lambda: self._planning.tick(task_id, on=self._today()))
        # On to the next open task, so a row of tasks can be ticked with Space, Space, Space.
        if self.open_model.rowCount():
            self.open_table.setCurrentIndex(
                self.open_model.index(min(row, self.open_model.rowCount() - 1), 0)
            )
            self.open_table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()

    def untick_selected(self) -> None:
        task = self._selected(self.done_table)
        if task is None or task.id is None or self._pupil_id is None:
            return
        task_id = task.id
        changed = self._change(lambda: self._planning.untick(task_id))
        if changed is not None and changed.id is not None:
            self.select_task(changed.id)
        self._update_buttons()

    def _change(self, call: Callable[[], Task]) -> Task | None:
        pupil_id = self._pupil_id
        assert pupil_id is not None
        try:
            changed = call()
        except ServiceError as exc:
            self.refresh()
            self.marker.reason.setText(str(exc))
            return None
        self.show_pupil(pupil_id)
        self.task_changed.emit(pupil_id, changed)
        return changed
