"""The SLB'er's work list: their students with the state of each exitgesprek; Enter opens it.

Students the law puts first (entree, bol niveau 2) stand on top, then by name. The list is
read once when it opens and one row is read again after a form closes: a large mbo has
thousands of leavers, and a mentor works through their own few dozen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import Leerweg, Niveau
from uitstroom.domain.exit import InterviewState, priority
from uitstroom.services.errors import ServiceError
from uitstroom.ui.cohort_model import short_niveau
from uitstroom.ui.exit_form import open_exit_form
from uitstroom.ui.record_table import (
    ROW_ROLE,
    Column,
    RecordTableModel,
    fit_columns,
    natural_key,
    record_table,
    text_key,
)
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService
    from uitstroom.services.pupils import PupilService


@dataclass(frozen=True)
class WorkRow:
    pupil_id: int
    name: str
    state: InterviewState | None
    opleiding: str = ""
    niveau: Niveau | None = None
    leerweg: Leerweg | None = None
    mentor: str = ""

    @property
    def first(self) -> bool:
        """Entree and bol niveau 2 come first (Wet van school naar duurzaam werk)."""
        return priority(self.niveau, self.leerweg, None)


STATE_TEXT = {
    None: "Nog niet begonnen",
    InterviewState.CONCEPT: "Begonnen, nog niet af",
    InterviewState.AFGEROND: "Afgerond",
}
STATE_ORDER = {None: 1, InterviewState.CONCEPT: 0, InterviewState.AFGEROND: 2}
STATE_COLOUR = {
    InterviewState.CONCEPT: QColor("#a35200"),
    InterviewState.AFGEROND: QColor("#2e6b34"),
}

WORK_COLUMNS = (
    Column(
        "Voorrang",
        lambda r: "Eerst" if r.first else "",
        lambda r: not r.first,
        chars=9,
        tooltip=lambda r: (
            "Entree of bol niveau 2: de wet zet deze studenten voorop" if r.first else None
        ),
    ),
    Column("Naam", lambda r: r.name, lambda r: text_key(r.name), chars=24),
    Column("Opleiding", lambda r: r.opleiding, chars=22, stretch=True),
    Column(
        "Niveau",
        lambda r: short_niveau(r.niveau),
        lambda r: natural_key(short_niveau(r.niveau)),
        chars=7,
    ),
    Column(
        "Exitgesprek",
        lambda r: STATE_TEXT[r.state],
        lambda r: STATE_ORDER[r.state],
        chars=20,
        foreground=lambda r: STATE_COLOUR.get(r.state),
    ),
)


class ExitWorklistDialog(QDialog):
    """Signals: exit_changed(pupil_id) after an interview was finished from the list."""

    exit_changed = Signal(int)

    def __init__(
        self,
        exit_service: ExitService,
        pupils: PupilService,
        today: Callable[[], date],
        parent: QWidget | None = None,
        mentor: str | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._exit = exit_service
        self._pupils = pupils
        self._today = today
        self._settings = settings
        self.setWindowTitle("Exitgesprekken per SLB'er")
        self.setObjectName("exit_worklist")
        summaries = {s.id: s for s in pupils.summaries()}
        self._summaries = summaries

        intro = QLabel(
            "Kies uw naam: dan ziet u uw studenten en hoe ver elk exitgesprek is. "
            "Enter opent het gesprek.",
            self,
        )
        intro.setWordWrap(True)
        self.mentor_filter = QComboBox(self)
        self.mentor_filter.setObjectName("exit_mentor")
        self.mentor_filter.addItem("Alle SLB'ers", None)
        for name in sorted({s.mentor for s in summaries.values() if s.mentor}, key=str.casefold):
            self.mentor_filter.addItem(name, name)
        remembered = settings.value("exit/mentor") if settings is not None else None
        wanted = mentor or remembered
        found = self.mentor_filter.findData(wanted) if wanted else -1
        self.mentor_filter.setCurrentIndex(max(found, 0))
        mentor_label = QLabel("&SLB'er", self)
        mentor_label.setBuddy(self.mentor_filter)
        self.hide_done = QCheckBox("&Afgeronde gesprekken verbergen", self)
        filters = QHBoxLayout()
        filters.addWidget(mentor_label)
        filters.addWidget(self.mentor_filter)
        filters.addSpacing(12)
        filters.addWidget(self.hide_done)
        filters.addStretch(1)

        self.model = RecordTableModel(WORK_COLUMNS, (), self)
        self.table = record_table(self.model, self, "exit_students")
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("exit_count")

        self.open_button = push_button(
            self,
            "Exitgesprek &openen",
            self.open_selected,
            "Het gesprek van de gekozen student (Enter)",
        )
        # Enter in the list opens through `activated`; a default button would open it twice.
        self.open_button.setAutoDefault(False)
        close = QPushButton("Sluiten", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(820, 560)

        self.mentor_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.hide_done.toggled.connect(lambda _on: self.reload())
        self.reload()
        self.table.setFocus()

    def _on_filter_changed(self) -> None:
        if self._settings is not None:
            self._settings.setValue("exit/mentor", self.mentor_filter.currentData() or "")
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        try:
            found = self._exit.open_students(self.mentor_filter.currentData())
        except ServiceError as exc:
            self.count_label.setText(str(exc))
            return
        rows = [self._row(pupil_id, name, state) for pupil_id, name, state in found]
        done = sum(1 for r in rows if r.state is InterviewState.AFGEROND)
        busy = sum(1 for r in rows if r.state is InterviewState.CONCEPT)
        if self.hide_done.isChecked():
            rows = [r for r in rows if r.state is not InterviewState.AFGEROND]
        self.model.set_rows(rows)
        self.model.sort(0, Qt.SortOrder.AscendingOrder)
        # Widths from the rows now shown: 'Nog niet begonnen' was cut when measured empty.
        fit_columns(self.table)
        total = len(found)
        self.count_label.setText(
            f"{total} {'student' if total == 1 else 'studenten'} · {done} afgerond · "
            f"{busy} nog niet af"
        )
        self._select(keep)

    def _row(self, pupil_id: int, name: str, state: InterviewState | None) -> WorkRow:
        summary = self._summaries.get(pupil_id)
        if summary is None:
            return WorkRow(pupil_id, name, state)
        return WorkRow(
            pupil_id,
            name,
            state,
            opleiding=summary.mbo_opleiding,
            niveau=summary.mbo_niveau,
            leerweg=summary.mbo_leerweg,
            mentor=summary.mentor,
        )

    def _select(self, pupil_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            if pupil_id is None or self.model.row_at(row).pupil_id == pupil_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def selected(self) -> WorkRow | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else index.data(ROW_ROLE)

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            pupil = self._pupils.record(row.pupil_id).pupil
        except ServiceError as exc:
            self.count_label.setText(str(exc))
            return
        if open_exit_form(self._exit, pupil, self._today, self):
            self.exit_changed.emit(row.pupil_id)
        self.reload(keep=row.pupil_id)
        self.table.setFocus()
