"""Nazorg: the calls due this week and the overdue ones, in the order domain.nazorg.agenda gives
(overdue first, then by date and name), per mentor.

Keyboard: the list has the focus, Enter opens the call dialog on the chosen call, and after
saving the next call is chosen, so a week's calls are worked through without the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.dates import SHORT_WEEKDAYS, late_or_near
from uitstroom.domain.nazorg import AgendaItem, week_end
from uitstroom.services.errors import ServiceError
from uitstroom.services.files import error_text, write_atomically
from uitstroom.ui.call_dialog import CallDialog, NazorgContext, day_text, months_text
from uitstroom.ui.forms import problems_of
from uitstroom.ui.record_table import (
    ROW_ROLE,
    Column,
    RecordTableModel,
    fit_columns,
    record_table,
)
from uitstroom.ui.widgets import button_row, done_label, empty_label, push_button

LATE = QColor("#a31515")


def when_text(item: AgendaItem, today: date) -> str:
    near = late_or_near(item.due, today)
    return near or f"{SHORT_WEEKDAYS[item.due.weekday()]} {item.due:%d-%m}"


def attempts_text(item: AgendaItem) -> str:
    if not item.attempts:
        return ""
    return "1 poging" if item.attempts == 1 else f"{item.attempts} pogingen"


def agenda_columns(today: Callable[[], date]) -> tuple[Column, ...]:
    return (
        Column("Jongere", lambda i: i.name, chars=20),
        Column(
            "Wanneer",
            lambda i: when_text(i, today()),
            lambda i: i.due,
            chars=18,
            foreground=lambda i: LATE if i.overdue else None,
            tooltip=lambda i: f"Gepland op {day_text(i.due)}",
        ),
        Column("Gesprek", lambda i: f"na {months_text(i.months)}", lambda i: i.months, chars=13),
        Column(
            "Laatst gehoord",
            lambda i: i.last_status.label if i.last_status else "—",
            chars=17,
        ),
        Column("Zonder contact", attempts_text, lambda i: i.attempts, chars=16),
        Column("Mentor", lambda i: i.mentor, chars=14, stretch=True),
    )


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def agenda_summary(items: Sequence[AgendaItem], today: date) -> str:
    late = sum(1 for i in items if i.overdue)
    parts = [plural(len(items), "gesprek", "gesprekken")]
    if late:
        parts.append(f"waarvan {late} te laat")
    return (
        ", ".join(parts) + f" tot en met zondag {day_text(week_end(today))}. "
        "Enter: gesprek vastleggen; daarna staat de volgende klaar."
    )


class NazorgView(QWidget):
    """Signals: pupil_chosen(pupil_id, tab, None) for Leerling tonen; changed(pupil_id)
    after a call was stored here."""

    pupil_chosen = Signal(int, str, object)
    changed = Signal(int)

    def __init__(
        self,
        context: NazorgContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._settings = settings
        self.stale = True

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        self.heading = QLabel("Nazorg deze week", self)
        self.heading.setObjectName("nazorg_heading")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.advice = QLabel(self)
        self.advice.setObjectName("nazorg_advice")
        self.advice.setWordWrap(True)
        self.signals_label = QLabel(self)
        self.signals_label.setObjectName("nazorg_signals")
        self.signals_label.setWordWrap(True)
        self.signals_label.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")
        layout.addWidget(self.heading)
        layout.addWidget(self.advice)
        layout.addWidget(self.signals_label)

        self.mentor_filter = QComboBox(self)
        self.mentor_filter.setObjectName("nazorg_mentor")
        self.mentor_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        mentor_label = QLabel("Mijn leerlingen, m&entor", self)
        mentor_label.setBuddy(self.mentor_filter)
        self.mentor_filter.currentIndexChanged.connect(self._on_filter_changed)
        filters = button_row(mentor_label, self.mentor_filter)
        layout.addLayout(filters)

        self.model = RecordTableModel(agenda_columns(context.today), parent=self)
        self.table = record_table(self.model, self, "agenda")
        self.table.setAccessibleName("Nazorggesprekken deze week")
        self.table.activated.connect(lambda _index: self.log_call())
        self.empty = empty_label(self, "nazorg_empty")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)

        self.feedback = done_label(self, "nazorg_feedback", hidden=True)
        layout.addWidget(self.feedback)

        self.call_button = push_button(
            self, "Gesprek vastleggen…", self.log_call, "Het gekozen gesprek vastleggen (Enter)"
        )
        self.open_button = push_button(
            self, "Leerling &tonen", self.open_selected, "De leerling openen bij de tab Nazorg"
        )
        self.ics_button = push_button(
            self,
            "Agenda e&xporteren (.ics)…",
            self.export_ics,
            "De nazorggesprekken als afspraken voor Outlook of Google Agenda",
        )
        buttons = button_row(self.call_button, self.open_button)
        buttons.addWidget(self.ics_button)
        layout.addLayout(buttons)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self._fill_mentors()
        self._update_buttons()

    # --- loading -------------------------------------------------------------------------
    def _fill_mentors(self) -> None:
        remembered = self._settings.value("nazorg/mentor") if self._settings is not None else None
        current = self.mentor_filter.currentData() if self.mentor_filter.count() else remembered
        try:
            mentors = self._context.nazorg.mentors()
        except ServiceError:
            mentors = []
        self.mentor_filter.blockSignals(True)
        self.mentor_filter.clear()
        self.mentor_filter.addItem("Alle mentoren", None)
        for mentor in mentors:
            self.mentor_filter.addItem(mentor, mentor)
        found = self.mentor_filter.findData(current) if current else 0
        self.mentor_filter.setCurrentIndex(max(found, 0))
        self.mentor_filter.blockSignals(False)

    def reload(self, keep_row: int | None = None) -> None:
        today = self._context.today()
        self._fill_mentors()
        items = self._context.nazorg.agenda(today, self.mentor_filter.currentData())
        self.model.set_rows(items)
        # Widths from the rows now shown: 'na 3 maanden' was cut when measured empty.
        fit_columns(self.table)
        self.stale = False
        self.heading.setText(f"Nazorg deze week, tot en met zondag {day_text(week_end(today))}")
        if items:
            self.pages.setCurrentWidget(self.table)
            self.advice.setText(agenda_summary(items, today))
            row = 0 if keep_row is None else max(0, min(keep_row, len(items) - 1))
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.advice.setText("")
            self.pages.setCurrentWidget(self.empty)
            self.empty.setText(
                "Deze week staan er geen nazorggesprekken gepland, en niets is te laat."
            )
        self._show_signals()
        self._update_buttons()

    def reload_if_stale(self) -> None:
        if self.stale:
            self.reload()

    def _show_signals(self) -> None:
        try:
            pending = self._context.nazorg.signals(open_only=True)
        except ServiceError:
            pending = []
        if not pending:
            self.signals_label.hide()
            return
        names = ", ".join(f"{file.name} ({signal.receiver.label})" for file, signal in pending[:3])
        more = f" en {len(pending) - 3} meer" if len(pending) > 3 else ""
        count = plural(len(pending), "melding", "meldingen")
        self.signals_label.setText(f"Nog te melden, {count}: {names}{more}.")
        self.signals_label.show()

    def _on_filter_changed(self) -> None:
        if self._settings is not None:
            self._settings.setValue("nazorg/mentor", self.mentor_filter.currentData() or "")
        self.reload()

    def focus_list(self) -> None:
        if self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not self.table.currentIndex().isValid():
                self.table.setCurrentIndex(self.model.index(0, 0))

    # --- selection -----------------------------------------------------------------------
    def selected_item(self) -> AgendaItem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        item = self.model.data(index.siblingAtColumn(0), ROW_ROLE)
        return item if isinstance(item, AgendaItem) else None

    def _update_buttons(self) -> None:
        chosen = self.selected_item() is not None
        self.call_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def _say(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))

    # --- actions -------------------------------------------------------------------------
    def log_call(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        row = self.table.currentIndex().row()
        try:
            file = self._context.nazorg.file(item.pupil_id)
        except ServiceError as exc:
            self._say("\n".join(problems_of(exc)))
            return
        if file is None:
            self.reload(keep_row=row)
            return
        dialog = CallDialog(self._context, file, item.moment_id, self)
        dialog.exec()
        result = dialog.call_result
        if result is None:
            self.table.setFocus()
            return
        # A reached call takes the item off the list and the next one moves up into its row;
        # a call that reached no one leaves it (one attempt more): the next one is a row down.
        still_there = any(m.id == item.moment_id and m.done_on is None for m in result.file.moments)
        self.reload(keep_row=row + 1 if still_there else row)
        reached = result.file.calls and max(result.file.calls, key=lambda c: c.id or 0).reached
        self._say(
            f"Vastgelegd voor {item.name}: "
            + ("bereikt." if reached else "niet bereikt, de poging telt mee.")
        )
        self.table.setFocus()
        self.changed.emit(item.pupil_id)

    def open_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.pupil_chosen.emit(item.pupil_id, "nazorg", None)

    def export_ics(self) -> None:
        mentor = self.mentor_filter.currentData()
        stem = "nazorg-agenda" if not mentor else f"nazorg-agenda-{safe_stem(mentor)}"
        path, _ = QFileDialog.getSaveFileName(
            self, "Nazorgagenda opslaan", str(Path.home() / f"{stem}.ics"), "Agenda (*.ics)"
        )
        if not path:
            return
        written = write_ics(self, self._context, Path(path), mentor)
        if written is not None:
            self._say(
                f"Agenda opgeslagen: {written}. Open het bestand in Outlook of Google Agenda."
            )


def safe_stem(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-") or "mentor"


def write_ics(
    parent: QWidget, context: NazorgContext, target: Path, mentor: str | None
) -> Path | None:
    if target.suffix.lower() != ".ics":
        target = target.with_suffix(".ics")
    try:
        data = context.nazorg.ics(context.today(), mentor=mentor)
        write_atomically(target, lambda stream: stream.write(data))
    except (ServiceError, OSError) as exc:
        QMessageBox.warning(parent, "Agenda exporteren is niet gelukt", error_text(exc))
        return None
    return target
