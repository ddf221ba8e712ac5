"""The cohort list on the left: the search, the filters, the table and the count."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import Route
from uitstroom.domain.model import PupilSummary
from uitstroom.ui.cohort_model import CohortFilter, CohortModel, CohortProxy
from uitstroom.ui.pupil_view import PupilView
from uitstroom.ui.record_table import ROW_ROLE, record_table
from uitstroom.ui.words import Words

ALL = None


class CohortPane(QWidget):
    # The user chose another row (never while the list is refiltered, re-sorted or reloaded).
    row_chosen = Signal(int)
    # A search or filter hid or brought back the pupil in the pane.
    pane_changed = Signal()

    def __init__(
        self, model: CohortModel, words: Words, detail: PupilView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = CohortProxy(model, self)
        self._words = words
        self._detail = detail
        # While the table is being refiltered, re-sorted or reloaded, the current row may move
        # or vanish; that is not the user choosing another pupil.
        self.quiet = False
        # The pupil a search or filter took out of the pane, to bring back when it shows again.
        self._hidden_pupil: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Zoek op naam, leerlingnummer, klas of mentor  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_chosen)
        clear = QAction(self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        # From the search field straight into the list: Down or Enter.
        self.to_list = QAction(self.search)
        self.to_list.setShortcuts([QKeySequence(Qt.Key.Key_Down), QKeySequence(Qt.Key.Key_Return)])
        self.to_list.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.search.addAction(self.to_list)
        layout.addWidget(self.search)

        self.klas_filter = QComboBox(self)
        self.route_filter = QComboBox(self)
        self.profiel_filter = QComboBox(self)
        self.route_filter.addItem("Alle routes", ALL)
        for route in Route:
            self.route_filter.addItem(route.label, route.value)
        self.show_archived = QCheckBox(words.show_archived, self)
        filters = QHBoxLayout()
        self.filter_labels: list[QLabel] = []
        for text, combo in (
            (words.klas_filter, self.klas_filter),
            ("Ro&ute", self.route_filter),
            (words.profiel_filter, self.profiel_filter),
        ):
            label = QLabel(text, self)
            self.filter_labels.append(label)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filter_chosen)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addWidget(self.show_archived)
        filters.addStretch(1)
        self.show_archived.toggled.connect(self._filter_chosen)
        layout.addLayout(filters)

        # Two lines a row: the next step wraps in its column instead of being cut.
        # Fitted by the window once the school's words are on the headers (once, not twice).
        self.table = record_table(self.proxy, self, "cohort", lines=2, fit=False)
        # Ctrl+click and Shift+click choose several pupils for a batch of documents.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.activated.connect(lambda _index: detail.focus_first_field())
        layout.addWidget(self.table, 1)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        layout.addWidget(self.count_label)

    @contextmanager
    def quietly(self) -> Iterator[None]:
        before = self.quiet
        self.quiet = True
        try:
            yield
        finally:
            self.quiet = before

    def set_words(self, words: Words) -> None:
        self._words = words
        self.show_archived.setText(words.show_archived)
        self.filter_labels[0].setText(words.klas_filter)
        self.filter_labels[2].setText(words.profiel_filter)
        self.search.setPlaceholderText(
            f"Zoek op naam, {words.number}, {words.klas} of {words.mentor}  (Ctrl+F)"
        )

    def current_filter(self) -> CohortFilter:
        route = self.route_filter.currentData()
        return CohortFilter(
            text=self.search.text(),
            klas=self.klas_filter.currentData(),
            route=Route(route) if route else None,
            profiel=self.profiel_filter.currentData(),
            show_archived=self.show_archived.isChecked(),
        )

    def _apply_filter(self) -> None:
        with self.quietly():
            self.proxy.set_filter(self.current_filter())
        self.reselect_open_pupil()
        self.update_count()

    def _filter_chosen(self) -> None:
        """A search or filter the user chose: a pupil it hides leaves the right pane too, which
        showed a pupil no longer in the list, and comes back when the list shows it again (the
        search cleared) while nobody else was opened. One with unsaved changes stays."""
        self._apply_filter()
        detail = self._detail
        if detail.is_open:
            self._hidden_pupil = None  # someone else was opened meanwhile
        elif self._hidden_pupil is not None:
            if self.select_pupil(self._hidden_pupil) and detail.open_pupil(self._hidden_pupil):
                self._hidden_pupil = None
                self.pane_changed.emit()
            return
        record = detail.record
        pupil_id = detail.pupil_id
        if (
            record is None
            or pupil_id is None
            or detail.is_dirty()
            or self.table.currentIndex().isValid()
        ):
            return
        self._hidden_pupil = pupil_id
        detail.show_empty(
            f"{record.pupil.name} valt buiten de zoekopdracht of het filter.\n\n"
            f"Kies links een {self._words.pupil} om de gegevens te zien."
        )
        self.pane_changed.emit()

    def refresh_filters(self) -> None:
        """Klas and profiel choices come from the pupils; a choice still present stays chosen."""
        with self.quietly():
            for combo, everything, values in (
                (self.klas_filter, f"Alle {self._words.klassen}", self.model.klassen()),
                (self.profiel_filter, f"Alle {self._words.profielen}", self.model.profielen()),
            ):
                current = combo.currentData()
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(everything, ALL)
                for value in values:
                    combo.addItem(value or f"(zonder {self._words.klas})", value)
                found = combo.findData(current) if current is not None else 0
                combo.setCurrentIndex(max(found, 0))
                combo.blockSignals(False)
        self._apply_filter()

    def update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.in_scope_count()
        if shown == total:
            self.count_label.setText(self._words.count(total))
        else:
            self.count_label.setText(f"{shown} van {self._words.count(total)}")

    def select_pupil(self, pupil_id: int | None) -> bool:
        """Make a pupil the table's current row without it counting as the user's choice."""
        row = None if pupil_id is None else self.model.row_of(pupil_id)
        index = QModelIndex()
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        with self.quietly():
            selection = self.table.selectionModel()
            if index.isValid():
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
            else:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        return index.isValid()

    def reselect_open_pupil(self) -> None:
        self.select_pupil(self._detail.pupil_id)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.quiet or not current.isValid():
            return
        summary = current.data(ROW_ROLE)
        if summary is not None and summary.id != self._detail.pupil_id:
            self.row_chosen.emit(summary.id)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def width_needed(self) -> int:
        """The width the list's columns need, with its scroll bar, margins and the splitter's
        handle."""
        table = self.table
        return (
            table.horizontalHeader().length()
            + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth()
            + 24  # the list's margins and the splitter's handle
        )

    def selected_summaries(self) -> list[PupilSummary]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.summary_at(index.row()) for index in rows]

    def keep_selection(self, reload: Callable[[], None]) -> None:
        """Read the list again (someone else changed it), keeping the chosen rows and the
        scrolled place."""
        selection = self.table.selectionModel()
        chosen = [
            index.data(ROW_ROLE).id
            for index in selection.selectedRows()
            if index.data(ROW_ROLE) is not None
        ]
        scrolled = self.table.verticalScrollBar().value()
        reload()
        with self.quietly():
            for pupil_id in chosen:
                row = self.model.row_of(pupil_id)
                if row is None or pupil_id == self._detail.pupil_id:
                    continue
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(
                        index,
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        self.table.verticalScrollBar().setValue(scrolled)
