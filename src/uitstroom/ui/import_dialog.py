"""The cohort import in three steps: choose the file, check the columns, see what changes.

Reading, checking and writing run off the UI thread (ui/worker.py); the dialog only shows
frozen results from ImportService and never holds a database session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.importing import (
    REQUIRED_FIELDS,
    ImportField,
    ImportProblem,
    column_letter,
    guess_mapping,
    header_name,
    mapping_problems,
)
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.services.importing import (
    MISSING_REASON,
    ImportFileError,
    ImportPreview,
    ImportService,
    ImportTable,
)
from uitstroom.ui.import_parts import (
    CHANGE_COLUMNS,
    FIELD_GROUPS,
    PROBLEM_COLUMNS,
    SHORT_LABELS,
    Banner,
    F,
    TextTableModel,
    cell_text,
    change_text,
    kept_text,
    table_view,
    with_mnemonics,
)
from uitstroom.ui.record_table import Column, RecordTableModel
from uitstroom.ui.widgets import button_row, scroll_page
from uitstroom.ui.worker import run_with_progress

log = logging.getLogger(__name__)

NOT_IMPORTED = "— niet importeren —"
NOTHING_IMPORTED = "Er is niets geïmporteerd. Verbeter het bestand en probeer het opnieuw."
SAMPLE_ROWS = 5
# More problems than this means a wrong file or wrong columns; the first ones say enough.
SHOWN_PROBLEMS = 500
STEP_TITLES = ("Bestand kiezen", "Kolommen controleren", "Controleren en importeren")


class ImportDialog(QDialog):
    """Import or re-import the cohort from a CSV or XLSX export."""

    imported = Signal(int)
    # After every background step (read, check, import), also when it failed or was
    # cancelled: tests and callers wait for it.
    work_finished = Signal()

    FILE, MAPPING, PREVIEW = range(3)

    def __init__(
        self,
        service: ImportService,
        cohort_label: str,
        parent: QWidget | None = None,
        path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._cohort_label = cohort_label
        self._table: ImportTable | None = None
        self._preview: ImportPreview | None = None
        self._done = False
        self.busy = False
        self._combos: dict[ImportField, QComboBox] = {}

        self.setWindowTitle("Leerlingen importeren")
        self.setSizeGripEnabled(True)
        self.resize(1000, 720)

        self.step_label = QLabel()
        title_font = QFont(self.step_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.step_label.setFont(title_font)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_file_page())
        self.pages.addWidget(self._build_mapping_page())
        self.pages.addWidget(self._build_preview_page())

        self.back_button = QPushButton("&Terug")
        self.next_button = QPushButton("&Volgende")
        self.import_button = QPushButton("&Importeren")
        self.close_button = QPushButton("&Sluiten")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        buttons = button_row(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show_page(self.FILE)

        if path is not None:
            self.path_edit.setText(str(path))
            QTimer.singleShot(0, self.go_next)

    # --- step 1: the file ----------------------------------------------------------------
    def _build_file_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            f"<p>Haal de leerlingen van schooljaar <b>{self._cohort_label}</b> binnen uit een "
            "export van de leerlingadministratie: <b>Magister</b>, <b>Somtoday</b>, "
            "<b>Eduarte</b> of een vergelijkbaar systeem.</p>"
            "<p>Geschikt zijn een <b>CSV-bestand</b> (.csv, gescheiden door puntkomma's, "
            "komma's of tabs) en een <b>Excel-werkmap</b> (.xlsx). De eerste regel bevat de "
            "kolomnamen, zoals Leerlingnummer, Roepnaam en Achternaam; elke regel daaronder is "
            "één leerling. Een oud Excel-bestand (.xls) slaat u eerst op als .xlsx.</p>"
            "<p>Staat een leerling al in Uitstroom, dan wordt hij bijgewerkt op leerlingnummer. "
            "Wat u met de hand hebt gewijzigd blijft staan, en leerlingen die niet in het bestand "
            "staan blijven bewaard. U ziet eerst wat er verandert; er wordt pas iets opgeslagen "
            "als u op Importeren drukt.</p>"
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Kies een .csv- of .xlsx-bestand")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(self._path_changed)
        file_label = QLabel("Bestan&d:")
        file_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton("&Bladeren…")
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(file_label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.file_banner = Banner()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.file_banner)
        layout.addStretch(1)
        return page

    def browse(self) -> None:
        start = self.path_edit.text().strip() or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Export van de leerlingadministratie kiezen",
            start,
            "Leerlingbestanden (*.csv *.xlsx *.txt);;Alle bestanden (*)",
        )
        if chosen:
            self.path_edit.setText(chosen)
            self.go_next()

    def _path_changed(self) -> None:
        self.file_banner.clear()
        self._update_buttons()

    def _read_file(self) -> None:
        path = Path(self.path_edit.text().strip().strip('"'))
        self._run(
            "Bestand lezen…",
            lambda progress: self._service.read(path, progress),
            self._file_read,
            self.file_banner,
        )

    def _file_read(self, table: ImportTable) -> None:
        self._table = table
        self._preview = None
        self._fill_mapping(table)
        self._show_page(self.MAPPING)

    # --- step 2: the columns -------------------------------------------------------------
    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        self.file_summary = QLabel()
        self.file_summary.setWordWrap(True)
        explain = QLabel(
            "Kies bij elk gegeven de kolom uit het bestand waar het in staat. Uitstroom heeft ze "
            "al zo goed mogelijk ingevuld; controleer ze even. Gegevens met * zijn verplicht. "
            "Wat op ‘niet importeren’ staat, blijft in Uitstroom zoals het is."
        )
        explain.setWordWrap(True)

        fields = QWidget()
        grid = QGridLayout(fields)
        grid.setContentsMargins(0, 0, 0, 0)
        texts = [
            SHORT_LABELS.get(field, field.label) + (" *" if field in REQUIRED_FIELDS else "")
            for _title, group in FIELD_GROUPS
            for field in group
        ]
        # Terug, Volgende and Sluiten keep their letters.
        labels = iter(with_mnemonics(texts, {"t", "v", "s"}))
        boxes = []
        for title, group in FIELD_GROUPS:
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field in group:
                combo = QComboBox()
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                combo.setMinimumContentsLength(12)
                combo.setAccessibleName(field.label)
                combo.currentIndexChanged.connect(self._mapping_changed)
                self._combos[field] = combo
                label = QLabel(next(labels) + ":")
                label.setBuddy(combo)
                if field in REQUIRED_FIELDS:
                    bold = QFont(label.font())
                    bold.setBold(True)
                    label.setFont(bold)
                form.addRow(label, combo)
            boxes.append(box)
        for column, box in enumerate(boxes):
            grid.addWidget(box, 0, column, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(column, 1)
        scroll = scroll_page(None, fields)

        sample_label = QLabel("De eerste rijen van het bestand:")
        self.sample_model = RecordTableModel(())
        self.sample_view = table_view(self.sample_model)
        self.sample_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.sample_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.sample_view.setAccessibleName("Voorbeeld van het bestand")
        self.mapping_banner = Banner()

        layout = QVBoxLayout(page)
        layout.addWidget(self.file_summary)
        layout.addWidget(explain)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.mapping_banner)
        layout.addWidget(sample_label)
        layout.addWidget(self.sample_view)
        return page

    def _fill_mapping(self, table: ImportTable) -> None:
        guessed = guess_mapping(table.headers)
        names = [header_name(table.headers, i) for i in range(len(table.headers))]
        # The column letter only where two columns carry the same name.
        choices = [
            (f"{name} (kolom {column_letter(i)})" if names.count(name) > 1 else name, i)
            for i, name in enumerate(names)
        ]
        for field, combo in self._combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IMPORTED, -1)
            for text, index in choices:
                combo.addItem(text, index)
            combo.setCurrentIndex(combo.findData(guessed.get(field, -1)))
            combo.blockSignals(False)
        rows = sum(1 for row in table.rows if any(row))
        self.file_summary.setText(
            f"<b>{table.source.name}</b>: {table.description}; {rows} "
            f"{'rij' if rows == 1 else 'rijen'} met gegevens."
        )
        sample = [row for row in table.rows if any(row)][:SAMPLE_ROWS]
        self.sample_model = RecordTableModel(
            tuple(
                Column(header_name(table.headers, i), partial(cell_text, index=i), chars=14)
                for i in range(len(table.headers))
            ),
            sample,
            self,
        )
        self.sample_view.setModel(self.sample_model)
        self.sample_view.resizeColumnsToContents()
        widest = 30 * self.sample_view.fontMetrics().averageCharWidth()
        for i in range(len(table.headers)):
            self.sample_view.setColumnWidth(i, min(self.sample_view.columnWidth(i) + 8, widest))
        height = self.sample_view.horizontalHeader().sizeHint().height()
        height += self.sample_view.verticalHeader().defaultSectionSize() * max(len(sample), 1)
        self.sample_view.setFixedHeight(
            height + self.sample_view.horizontalScrollBar().sizeHint().height() + 4
        )
        self.mapping_banner.clear()

    def mapping(self) -> dict[ImportField, int]:
        """What the user chose: field -> column index, for the mapped fields only."""
        chosen = {field: combo.currentData() for field, combo in self._combos.items()}
        return {field: index for field, index in chosen.items() if index is not None and index >= 0}

    def set_mapping(self, field: ImportField, header: str | None) -> None:
        """Choose a column by its header text; None means 'niet importeren'."""
        combo = self._combos[field]
        if header is None:
            combo.setCurrentIndex(0)
            return
        assert self._table is not None
        combo.setCurrentIndex(combo.findData(self._table.headers.index(header)))

    def _mapping_changed(self) -> None:
        self.mapping_banner.clear()

    def _check_mapping(self) -> None:
        assert self._table is not None
        problems = mapping_problems(self.mapping(), self._table.headers)
        if problems:
            self.mapping_banner.show_message(
                "error", "\n".join(problem.message for problem in problems)
            )
            return
        table, mapping = self._table, self.mapping()
        self._run(
            "Bestand controleren…",
            lambda progress: self._service.check(table, self._cohort_label, mapping, progress),
            self._previewed,
            self.mapping_banner,
        )

    # --- step 3: the preview -------------------------------------------------------------
    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        bigger = QFont(self.summary_label.font())
        bigger.setPointSizeF(bigger.pointSizeF() * 1.1)
        self.summary_label.setFont(bigger)
        self.preview_banner = Banner()
        self.list_label = QLabel()
        self.problem_model = TextTableModel(PROBLEM_COLUMNS)
        self.problem_view = table_view(self.problem_model, wrap=True)
        self.problem_view.setAccessibleName("Problemen in het bestand")
        self.change_model = TextTableModel(CHANGE_COLUMNS)
        self.change_view = table_view(self.change_model)
        self.change_view.setAccessibleName("Wat er verandert")
        self.change_view.selectionModel().currentRowChanged.connect(self._show_change_detail)
        # The whole text of the chosen row, also for keyboard users who get no tooltip.
        self.change_detail = QLabel()
        self.change_detail.setWordWrap(True)
        self.change_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.change_detail.setAccessibleName("Details van de gekozen leerling")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.problem_view)
        self.lists.addWidget(self.change_view)
        # Pupils the file no longer has stay, unless the coordinator chooses to archive them.
        self.archive_missing = QCheckBox()
        self.archive_missing.setObjectName("archive_missing")
        self.archive_missing.toggled.connect(self._archive_choice_changed)
        self.archive_missing.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.preview_banner)
        layout.addWidget(self.list_label)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.change_detail)
        layout.addWidget(self.archive_missing)
        return page

    def _archive_choice_changed(self) -> None:
        if self._preview is not None and not self._preview.problems:
            self._show_preview(self._preview)

    def _show_change_detail(self, current: Any, _previous: Any = None) -> None:
        if not current.isValid() or self.lists.currentWidget() is not self.change_view:
            self.change_detail.clear()
            return
        name, changes, kept = self.change_model.row_at(current.row())
        text = f"<b>{escape(name)}</b><br>Wat verandert: {escape(changes)}"
        if kept:
            text += f"<br>Blijft staan (met de hand gewijzigd): {escape(kept)}"
        self.change_detail.setText(text)

    def _previewed(self, preview: ImportPreview) -> None:
        self._preview = preview
        self._show_preview(preview)
        self._show_page(self.PREVIEW)

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview_banner.clear()
        if preview.problems:
            self._show_problems(preview.problems)
            return
        archive = self.archive_missing.isChecked()
        summary = preview.summary_with(archive_missing=archive)
        self.summary_label.setText(f"Schooljaar {preview.cohort_label}: {summary}")
        order = {"gewijzigd": 0, "ongewijzigd": 1, "nieuw": 2}
        rows = [
            (f"{c.name} ({c.leerlingnummer})", change_text(c, preview.cohort_label), kept_text(c))
            for c in sorted(preview.changes, key=lambda c: order[c.kind])
            if c.kind != "ongewijzigd" or c.kept
        ]
        fate = f"wordt gearchiveerd ({MISSING_REASON})" if archive else "blijft bewaard"
        rows += [(name, f"Staat niet in dit bestand; {fate}", "") for name in preview.missing]
        count = counted(len(preview.missing), "leerling", "leerlingen")
        self.archive_missing.setText(
            f"De {count} die niet in dit bestand "
            f"{'staat' if len(preview.missing) == 1 else 'staan'} &archiveren "
            f"(reden: {MISSING_REASON})"
        )
        self.archive_missing.setVisible(bool(preview.missing) and not self._done)
        self.lists.setCurrentWidget(self.change_view)
        self.list_label.setBuddy(self.change_view)
        self.change_model.set_rows(rows)
        self.change_detail.clear()
        if rows:
            self.change_view.setCurrentIndex(self.change_model.index(0, 0))
        self.list_label.setText(
            "&Wat er verandert:"
            if rows
            else "Er verandert niets: alle leerlingen zijn al bijgewerkt."
        )

    def _show_problems(self, problems: Sequence[ImportProblem]) -> None:
        count = len(problems)
        self.summary_label.setText(f"Het bestand heeft {counted(count, 'probleem', 'problemen')}.")
        self.preview_banner.show_message("error", NOTHING_IMPORTED)
        shown = list(problems[:SHOWN_PROBLEMS])
        self.problem_model.set_rows(shown)
        self.problem_view.resizeRowsToContents()
        more = f" (de eerste {SHOWN_PROBLEMS})" if count > SHOWN_PROBLEMS else ""
        self.list_label.setText(f"&Problemen{more}: verbeter ze in het bestand.")
        self.lists.setCurrentWidget(self.problem_view)
        self.list_label.setBuddy(self.problem_view)
        self.change_detail.clear()

    def start_import(self) -> None:
        preview = self._preview
        if preview is None or not preview.ok or self._done:
            return
        archive = self.archive_missing.isChecked() and bool(preview.missing_ids)
        self._run(
            "Leerlingen importeren…",
            lambda progress: self._service.apply(preview, progress, archive_missing=archive),
            self._applied,
            self.preview_banner,
            on_refused=self._apply_refused,
        )

    def _applied(self, written: int) -> None:
        assert self._preview is not None
        self._done = True
        archived = ""
        if self.archive_missing.isChecked() and self._preview.missing_ids:
            count = counted(len(self._preview.missing_ids), "leerling", "leerlingen")
            archived = f" {count} gearchiveerd ({MISSING_REASON})."
        self.archive_missing.setEnabled(False)
        self.preview_banner.show_message(
            "success",
            f"Klaar: {counted(written, 'leerling', 'leerlingen')} opgeslagen "
            f"in schooljaar {self._preview.cohort_label}.{archived} Sluit dit venster om ze "
            "in het overzicht te zien.",
        )
        self._update_buttons()
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.imported.emit(written)

    def _apply_refused(self, error: ServiceError) -> None:
        """The file or the database changed since the preview: nothing was written."""
        if isinstance(error, ImportFileError) and error.problems:
            self._show_problems(error.problems)
        else:
            self.preview_banner.show_message("error", str(error))
        self._preview = None
        self._update_buttons()

    # --- moving between the steps --------------------------------------------------------
    def go_next(self) -> None:
        if self.busy:
            return
        page = self.pages.currentIndex()
        if page == self.FILE and self.path_edit.text().strip():
            self._read_file()
        elif page == self.MAPPING and self._table is not None:
            self._check_mapping()

    def go_back(self) -> None:
        if self.busy:
            return
        page = self.pages.currentIndex()
        if page > self.FILE:
            self._show_page(page - 1)

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.step_label.setText(f"Stap {page + 1} van 3: {STEP_TITLES[page]}")
        if page != self.PREVIEW:
            self._done = False
        self._update_buttons()
        focus: QWidget | None = {
            self.FILE: self.path_edit,
            self.MAPPING: self._combos[F.LEERLINGNUMMER],
            self.PREVIEW: self.import_button if self._can_import() else self.lists.currentWidget(),
        }[page]
        if focus is not None:
            focus.setFocus()

    def _can_import(self) -> bool:
        return (
            self.pages.currentIndex() == self.PREVIEW
            and self._preview is not None
            and self._preview.ok
            and not self._done
            and not self.busy
        )

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        self.back_button.setEnabled(page > self.FILE and not self.busy and not self._done)
        self.next_button.setVisible(page != self.PREVIEW)
        self.next_button.setEnabled(
            not self.busy and (page != self.FILE or bool(self.path_edit.text().strip()))
        )
        self.import_button.setVisible(page == self.PREVIEW)
        self.import_button.setEnabled(self._can_import())
        self.close_button.setEnabled(not self.busy)
        default = {
            self.FILE: self.next_button,
            self.MAPPING: self.next_button,
            self.PREVIEW: self.import_button if self._can_import() else self.close_button,
        }[page]
        default.setDefault(True)

    # --- background work -----------------------------------------------------------------
    def _run(
        self,
        title: str,
        work: Callable[[Callable[[int, int], bool]], Any],
        on_done: Callable[[Any], None],
        banner: Banner,
        on_refused: Callable[[ServiceError], None] | None = None,
    ) -> None:
        banner.clear()
        self._set_busy(True)

        def done(result: Any) -> None:
            self._set_busy(False)
            try:
                on_done(result)
            finally:
                self.work_finished.emit()

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            try:
                if on_refused is not None and isinstance(error, ServiceError):
                    on_refused(error)
                elif isinstance(error, ServiceError):
                    banner.show_message("error", str(error))
                else:
                    log.error("Import mislukt", exc_info=error)
                    banner.show_message(
                        "error",
                        f"Er ging iets onverwachts mis ({type(error).__name__}: {error}). "
                        "Er is niets geïmporteerd. Probeer het opnieuw.",
                    )
            finally:
                self.work_finished.emit()

        def cancelled() -> None:
            self._set_busy(False)
            banner.show_message("error", "Afgebroken. Er is niets geïmporteerd.")
            self.work_finished.emit()

        run_with_progress(self, title, work, done, failed, cancelled)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.pages.setEnabled(not busy)
        self._update_buttons()

    # --- closing -------------------------------------------------------------------------
    def reject(self) -> None:
        if self.busy:
            return  # the progress dialog's Annuleren stops the work first
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
