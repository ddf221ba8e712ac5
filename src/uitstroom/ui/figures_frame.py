"""The frame both figure windows share (the exitgesprekken of an mbo year, the nazorg results of
a cohort): what to show at the top, how many and an export button beside it, charts and tables
on two tabs, a text when there is nothing to show yet, Sluiten at the bottom."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.small_numbers import HOW_SMALL_NUMBERS_ARE_HIDDEN
from uitstroom.services.errors import ServiceError
from uitstroom.services.files import error_text
from uitstroom.ui.widgets import button_row_right, push_button, scroll_page


class FiguresDialog(QDialog):
    """Build the choices with `choice`, then the rest with `finish_frame`."""

    def __init__(
        self, title: str, width: int, height: int, folder: Path | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(width, height)
        self._folder = folder or Path.home()
        self._layout = QVBoxLayout(self)
        self._top = QHBoxLayout()

    def choice(self, text: str, name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
        """A drop-down at the top with its label (`text` holds the Alt-letter)."""
        if self._top.count():
            self._top.addSpacing(12)
        combo = QComboBox(self)
        combo.setObjectName(name)
        for shown, value in items:
            combo.addItem(shown, value)
        label = QLabel(text, self)
        label.setBuddy(combo)
        self._top.addWidget(label)
        self._top.addWidget(combo)
        return combo

    def finish_frame(self, export_tip: str, empty_text: str = "") -> None:
        self.count_label = QLabel(self)
        self._top.addSpacing(12)
        self._top.addWidget(self.count_label, 1)
        self.export_button = push_button(self, "&Exporteren naar Excel…", self.export, export_tip)
        self._top.addWidget(self.export_button)
        self._layout.addLayout(self._top)
        self.tabs = QTabWidget(self)
        self.charts_page = scroll_page(self)
        self.tables_page = scroll_page(self)
        self.tabs.addTab(self.charts_page, "&Grafieken")
        self.tabs.addTab(self.tables_page, "&Tabellen")
        self._layout.addWidget(self.tabs, 1)
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.empty, 1)
        close = QPushButton("Sluiten", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        self._layout.addLayout(button_row_right(close))

    def export(self) -> None:
        raise NotImplementedError

    def export_workbook(
        self, title: str, file_name: str, write: Callable[[Path], None], done: str
    ) -> None:
        """Ask where (an .xlsx, `file_name` suggested), write it, and say so or say why not."""
        suggestion = self._folder / file_name
        path, _ = QFileDialog.getSaveFileName(
            self, title, str(suggestion), "Excel-werkmap (*.xlsx)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        try:
            write(target)
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, "Exporteren is niet gelukt", error_text(exc))
            return
        QMessageBox.information(
            self,
            done,
            f"Opgeslagen: {target}\n\nHet bestand bevat geen namen. {HOW_SMALL_NUMBERS_ARE_HIDDEN}",
        )
