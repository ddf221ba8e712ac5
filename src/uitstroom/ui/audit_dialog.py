"""Privacy → Logboek: who did what when, newest first, with a search and a check of the chain."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.audit import AuditAction, AuditEntry
from uitstroom.services.audit import AuditService, ChainReport
from uitstroom.ui.record_table import Column, RecordTableModel, fold, record_table
from uitstroom.ui.worker import run_with_progress

Index = QModelIndex | QPersistentModelIndex
BROKEN = QColor("#fdecea")
BROKEN_TEXT = QColor("#7f1d1d")

AUDIT_COLUMNS = (
    Column("Wanneer", lambda e: f"{e.at:%d-%m-%Y %H:%M}", lambda e: (e.at, e.id), chars=19),
    Column("Wie (login / naam)", lambda e: f"{e.os_user} / {e.actor}", chars=26),
    Column("Wat", lambda e: e.action.label, chars=47),
    Column(
        "Leerling-nummer (intern)",
        lambda e: "" if e.pupil_id is None else str(e.pupil_id),
        lambda e: e.pupil_id,
        chars=24,
    ),
    Column("Toelichting", lambda e: e.detail, chars=30, stretch=True),
)


def search_text(entry: AuditEntry) -> str:
    return fold(
        "\x1f".join(
            (
                f"{entry.at:%d-%m-%Y %H:%M}",
                entry.os_user,
                entry.actor,
                entry.action.label,
                "" if entry.pupil_id is None else str(entry.pupil_id),
                entry.detail,
            )
        )
    )


class AuditModel(RecordTableModel):
    """The lines of the trail; lines the check found broken are shown in red."""

    def __init__(self, entries: list[AuditEntry], parent: QObject | None = None) -> None:
        super().__init__(AUDIT_COLUMNS, entries, parent)
        self.broken: set[int] = set()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            # Long details and labels stay readable in a narrow column.
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        if index.isValid() and self.row_at(index.row()).id in self.broken:
            if role == Qt.ItemDataRole.BackgroundRole:
                return BROKEN
            if role == Qt.ItemDataRole.ForegroundRole:
                return BROKEN_TEXT
        return super().data(index, role)

    def mark_broken(self, ids: set[int]) -> None:
        self.broken = ids
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )


class AuditProxy(QSortFilterProxyModel):
    """Search text and one kind of action; sorting is left to the source model."""

    def __init__(self, source: AuditModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._text = ""
        self._action: AuditAction | None = None
        self._search: dict[int | None, str] = {}
        self.setSourceModel(source)
        source.modelReset.connect(self._index_rows)
        self._index_rows()

    def _index_rows(self) -> None:
        self._search = {entry.id: search_text(entry) for entry in self._source.rows}

    def set_filter(self, text: str, action: AuditAction | None) -> None:
        self.beginFilterChange()
        self._text = fold(text.strip())
        self._action = action
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        entry = self._source.row_at(source_row)
        if self._action is not None and entry.action is not self._action:
            return False
        return not self._text or self._text in self._search.get(entry.id, "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)


class AuditDialog(QDialog):
    def __init__(self, service: AuditService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.setWindowTitle("Logboek")
        self.resize(1180, 640)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Wie heeft wat gedaan in Uitstroom, het nieuwste bovenaan. Een leerling staat hier "
            "alleen met een intern nummer, nooit met naam of gegevens. Regels kunnen niet "
            "worden veranderd of verwijderd; ‘Keten controleren’ laat zien of dat zo is "
            "gebleven.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Zoek op datum, wie, wat, nummer of toelichting")
        self.search.setClearButtonEnabled(True)
        self.action_filter = QComboBox(self)
        self.action_filter.addItem("Alles", None)
        for action in AuditAction:
            self.action_filter.addItem(action.label, action.value)
        filters = QHBoxLayout()
        for text, widget in (("&Zoeken", self.search), ("&Soort", self.action_filter)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.search else 0)
        layout.addLayout(filters)

        self.model = AuditModel(service.entries(newest_first=True), self)
        self.proxy = AuditProxy(self.model, self)
        self.table = record_table(self.proxy, self, "audit")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)

        self.result_line = QLabel(self)
        self.result_line.setObjectName("result")
        self.result_line.setWordWrap(True)
        self.result_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_line.hide()
        layout.addWidget(self.result_line)

        buttons = QDialogButtonBox(self)
        self.check_button = QPushButton("&Keten controleren", self)
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check_chain)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("S&luiten", QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.search.textChanged.connect(self._apply_filter)
        self.action_filter.currentIndexChanged.connect(self._apply_filter)
        self._update_count()
        self.search.setFocus()

    def _apply_filter(self) -> None:
        value = self.action_filter.currentData()
        self.proxy.set_filter(self.search.text(), None if value is None else AuditAction(value))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "regel" if total == 1 else "regels"
        self.count_label.setText(
            f"{total} {noun}" if shown == total else f"{shown} van {total} {noun}"
        )

    def check_chain(self) -> None:
        self.check_button.setEnabled(False)
        run_with_progress(
            self,
            "Logboek controleren…",
            lambda _progress: self._service.check(),
            on_done=self.show_report,
            on_error=self._check_failed,
        )

    def _check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self._show_result(False, f"De controle is niet gelukt: {error}")

    def show_report(self, report: ChainReport) -> None:
        self.check_button.setEnabled(True)
        text = report.summary
        if report.breaks:
            text += "\n" + "\n".join(f"• {b.message}" for b in report.breaks)
        self.model.mark_broken({b.entry_id for b in report.breaks if b.entry_id is not None})
        self._show_result(report.whole, text)

    def _show_result(self, whole: bool, text: str) -> None:
        self.result_line.setText(("✓ " if whole else "") + text)
        if whole:
            style = "background: #e8f5e9; color: #1b5e20; border-left: 4px solid #2e7d32;"
        else:
            style = "background: #fdecea; color: #7f1d1d; border-left: 4px solid #c62828;"
        self.result_line.setStyleSheet(
            f"QLabel {{ {style} padding: 8px 10px; border-radius: 3px; }}"
        )
        self.result_line.show()


def show_audit_trail(parent: QWidget, service: AuditService) -> None:
    AuditDialog(service, parent).exec()
