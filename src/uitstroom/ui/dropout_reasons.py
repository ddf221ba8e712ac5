"""Redenen van uitval aanpassen: the school's own list of reasons a student stops without a
diploma, as the exitgesprek offers them. Rename, add, remove, reorder, or go back to the
standard list. Interviews already held keep the reason as it was written then."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.exit import DEFAULT_DROPOUT_REASONS
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import MessageBanner, problems_of
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService

NEW_REASON = "Nieuwe reden"


def reason_problems(reasons: Sequence[str]) -> list[str]:
    """What the mentor must fix before the list can be saved; the service checks again."""
    problems = []
    if not reasons:
        problems.append("Houd minstens één reden over, bijvoorbeeld ‘Anders’.")
    seen: set[str] = set()
    for reason in reasons:
        key = reason.casefold()
        if key in seen:
            problems.append(f"‘{reason}’ staat er twee keer in. Haal er één weg.")
        seen.add(key)
    return problems


class DropoutReasonsDialog(QDialog):
    def __init__(self, exit_service: ExitService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redenen van uitval")
        self._service = exit_service
        self.saved = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Bij het exitgesprek van een student die stopt zonder diploma kiest de SLB’er een "
            "van deze redenen. Pas de lijst aan aan uw school: dubbelklik op een reden om de "
            "tekst te veranderen. Gesprekken die al gehouden zijn, houden hun reden.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        middle = QHBoxLayout()
        self.list = QListWidget(self)
        self.list.setObjectName("reasons")
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.list.setAccessibleName("Redenen van uitval")
        self.list.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        middle.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = push_button(self, "&Toevoegen", self.add_reason)
        self.remove_button = push_button(self, "&Verwijderen", self.remove_reason)
        self.up_button = push_button(
            self, "Omh&oog", lambda: self.move_reason(-1), "Eén plaats omhoog (Alt+Omhoog)"
        )
        self.down_button = push_button(
            self, "Omla&ag", lambda: self.move_reason(1), "Eén plaats omlaag (Alt+Omlaag)"
        )
        self.default_button = push_button(
            self,
            "&Standaardlijst",
            self.restore_defaults,
            "Terug naar de lijst waarmee Uitstroom begint",
        )
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            side.addWidget(button)
        side.addStretch(1)
        self.default_button.setAutoDefault(False)
        side.addWidget(self.default_button)
        middle.addLayout(side)
        layout.addLayout(middle, 1)
        QShortcut(QKeySequence("Alt+Up"), self, lambda: self.move_reason(-1))
        QShortcut(QKeySequence("Alt+Down"), self, lambda: self.move_reason(1))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.remove_reason)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("Op&slaan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.set_reasons(exit_service.dropout_reasons())
        self.list.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()
        self.resize(560, 440)

    # --- the list ------------------------------------------------------------------------------
    def reasons(self) -> list[str]:
        texts = (self.list.item(row).text().strip() for row in range(self.list.count()))
        return [" ".join(text.split()) for text in texts if text]

    def set_reasons(self, reasons: Sequence[str]) -> None:
        self.list.clear()
        for reason in reasons:
            self.list.addItem(self._item(reason))
        if self.list.count():
            self.list.setCurrentRow(0)

    def _item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def add_reason(self) -> None:
        item = self._item(NEW_REASON)
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        self.list.editItem(item)

    def remove_reason(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
        self._update_buttons()

    def move_reason(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def restore_defaults(self) -> None:
        self.set_reasons(DEFAULT_DROPOUT_REASONS)
        self.banner.clear_message()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        reasons = self.reasons()
        problems = reason_problems(reasons)
        if problems:
            self.banner.show_problems(problems)
            return
        try:
            self._service.save_dropout_reasons(reasons)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self.saved = True
        self.accept()
