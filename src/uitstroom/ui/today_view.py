"""Vandaag: the start screen. What is late, what is due in the next two weeks, the 1 April
countdown and pupils without a route, most urgent on top; tick a task off from the list.

The items come from PlanningService.attention() once (at start-up, after a change elsewhere);
a tick takes one row out of the model instead of asking the service again, so the list keeps
up with a coordinator working through it, also with 20,000 pupils.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.attention import (
    AttentionItem,
    Group,
    countdown_text,
    sort_key,
    summary_counts,
)
from uitstroom.domain.checklist import Task
from uitstroom.domain.dates import dutch_weekday_date
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.ui.attention_model import ITEM_COLUMNS, AttentionModel, plural
from uitstroom.ui.record_table import ROW_ROLE, natural_key
from uitstroom.ui.widgets import button_row, done_label, empty_label, push_button
from uitstroom.ui.words import LEERLING_WORDS, Words, cap

if TYPE_CHECKING:
    from uitstroom.services.nazorg import NazorgService
    from uitstroom.services.planning import PlanningService


class TodayView(QWidget):
    """Signals: pupil_chosen(pupil_id, tab, task_id) when the user opens an item;
    pupil_selected(pupil_id) when the chosen row moves to another item (the pane beside it
    follows, so it never shows another pupil than the chosen row); task_changed(pupil_id,
    Task) after a tick or an untick here; nazorg_chosen() when the user asks for the week's
    nazorg calls.

    `pane_pupil` says which pupil the pane beside the list shows: after a reload or a filter
    the list chooses that pupil's row (or none) instead of the first row."""

    pupil_chosen = Signal(int, str, object)
    pupil_selected = Signal(int)
    task_changed = Signal(int, object)
    nazorg_chosen = Signal()

    def __init__(
        self,
        planning: PlanningService,
        today: Callable[[], date] = date.today,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        nazorg: NazorgService | None = None,
        pane_pupil: Callable[[], int | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._planning = planning
        self._pane_pupil = pane_pupil
        self._quiet = False
        self._nazorg = nazorg
        self._today = today
        self._settings = settings
        self._all: list[AttentionItem] = []
        self._countdown = ""
        self._april: date | None = None
        # The last tick, for Ongedaan maken: the pupil, the task and the rows it took away.
        self._last_tick: tuple[int, Task, list[AttentionItem]] | None = None
        self.stale = True
        self._words = LEERLING_WORDS

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        self.heading = QLabel(self)
        self.heading.setObjectName("today_heading")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.advice = QLabel(self)
        self.advice.setObjectName("today_advice")
        self.advice.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.advice)
        # Nazorg lives in its own view; here only how many calls wait this week, one key away.
        self.nazorg_button = QPushButton(self)
        self.nazorg_button.setObjectName("today_nazorg")
        self.nazorg_button.setFlat(True)
        self.nazorg_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.nazorg_button.setStyleSheet(
            "QPushButton { text-align: left; color: #1d4f7a; padding: 4px 2px; }"
        )
        self.nazorg_button.setToolTip("Naar de nazorggesprekken van deze week (Alt+W)")
        self.nazorg_button.clicked.connect(self.nazorg_chosen)
        self.nazorg_button.hide()
        layout.addWidget(self.nazorg_button)

        self.mentor_filter = QComboBox(self)
        self.mentor_filter.setObjectName("today_mentor")
        self.klas_filter = QComboBox(self)
        self.klas_filter.setObjectName("today_klas")
        filters = QHBoxLayout()
        self._filter_labels: list[QLabel] = []
        for text, combo in (
            (self._words.my_pupils_filter, self.mentor_filter),
            (self._words.klas_filter, self.klas_filter),
        ):
            label = QLabel(text, self)
            self._filter_labels.append(label)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._on_filter_changed)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)
        layout.addLayout(filters)

        self.model = AttentionModel(self)
        self.tree = QTableView(self)
        self.tree.setObjectName("today")
        self.tree.setModel(self.model)
        self.tree.setShowGrid(False)
        self.tree.setWordWrap(False)
        self.tree.setTabKeyNavigation(False)
        vertical = self.tree.verticalHeader()
        vertical.hide()
        # Fixed row heights: measuring 27,000 rows for their contents is slow.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.tree.fontMetrics().height() + 8)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAccessibleName("Wat er vandaag aandacht nodig heeft")
        header = self.tree.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        char = self.tree.fontMetrics().averageCharWidth()
        for n, column in enumerate(ITEM_COLUMNS):
            header.resizeSection(n, column.chars * char + 16)
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Interactive)
        self.tree.activated.connect(self._open_index)
        self.tree.selectionModel().currentRowChanged.connect(self._on_current_changed)
        tick = QAction("Afvinken", self.tree)
        tick.setShortcut(QKeySequence(Qt.Key.Key_Space))
        tick.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        tick.triggered.connect(self.tick_selected)
        self.tree.addAction(tick)
        self.undo_action = QAction("Ongedaan maken", self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.undo_action.triggered.connect(self.undo_tick)
        self.addAction(self.undo_action)

        self.empty = empty_label(self, "today_empty")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.tree)
        self.pages.addWidget(self.empty)
        layout.addWidget(self.pages, 1)

        self.feedback = done_label(self, "today_feedback", hidden=True)
        layout.addWidget(self.feedback)

        self.tick_button = push_button(
            self, "A&fvinken", self.tick_selected, "De gekozen taak is gedaan (spatie)"
        )
        self.undo_button = push_button(
            self, "O&ngedaan maken", self.undo_tick, "Het afvinken terugdraaien (Ctrl+Z)"
        )
        self.open_button = QPushButton(self)
        self._name_open_button()
        self.open_button.clicked.connect(lambda: self._open_index(self.tree.currentIndex()))
        buttons = button_row(self.tick_button, self.undo_button)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        # The mentor chosen last time ('mijn leerlingen'), chosen again as soon as the choices
        # name them; the user's own choice from then on.
        remembered = settings.value("today/mentor") if settings is not None else None
        self._mentor_wanted: str | None = remembered if isinstance(remembered, str) else None
        self.set_choices([], [])
        self._update_buttons()

    # --- loading -------------------------------------------------------------------------

    def set_words(self, words: Words) -> None:
        """Leerlingen or studenten, mentor or SLB'er: the school's words (ui/words.py)."""
        self._words = words
        self.model.words = words
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ITEM_COLUMNS) - 1)
        self._filter_labels[0].setText(words.my_pupils_filter)
        self._filter_labels[1].setText(words.klas_filter)
        self._name_open_button()
        self.set_choices(
            [self.mentor_filter.itemData(n) for n in range(1, self.mentor_filter.count())],
            [self.klas_filter.itemData(n) for n in range(1, self.klas_filter.count())],
        )
        if not self.stale:
            self._describe(self.model.items())

    def _name_open_button(self) -> None:
        self.open_button.setText(f"{cap(self._words.pupil)} &tonen")
        self.open_button.setToolTip(f"De {self._words.pupil} openen bij de juiste tab (Enter)")

    def set_choices(self, mentors: Sequence[str], klassen: Sequence[str]) -> None:
        """The filter's choices, from the cohort; a choice still present stays chosen (and the
        mentor is remembered between sessions: 'mijn leerlingen')."""
        if mentors and self._mentor_wanted not in mentors:
            self._mentor_wanted = None  # no longer anyone's mentor: all mentors from now on
        for combo, everything, values, current in (
            (self.mentor_filter, f"Alle {self._words.mentors}", mentors, self._mentor_wanted),
            (
                self.klas_filter,
                f"Alle {self._words.klassen}",
                klassen,
                self.klas_filter.currentData(),
            ),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for value in sorted({v for v in values if v}, key=natural_key):
                combo.addItem(value, value)
            found = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        if not self.stale:
            self._show(keep=self._selected_key())

    def reload(self) -> None:
        """Ask the service again (at start-up, after changes made elsewhere)."""
        today = self._today()
        self._all = self._planning.attention(today)
        school_calendar = self._planning.calendar()
        self._countdown = countdown_text(today, school_calendar)
        self._april = school_calendar.aanmeld_deadline
        self._last_tick = None
        self.stale = False
        self._show(keep=self._selected_key())
        self.refresh_nazorg()

    def refresh_nazorg(self) -> None:
        """'Nazorg deze week: 4 gesprekken, 1 te laat', for the mentor chosen here."""
        if self._nazorg is None:
            return
        try:
            items = self._nazorg.agenda(self._today(), self.mentor_filter.currentData())
        except ServiceError:
            items = []
        if not items:
            self.nazorg_button.hide()
            return
        late = sum(1 for item in items if item.overdue)
        text = f"Nazorg deze &week: {plural(len(items), 'gesprek', 'gesprekken')}"
        if late:
            text += f", waarvan {late} te laat"
        self.nazorg_button.setText(text + "  →")
        self.nazorg_button.show()

    def _countdown_days(self) -> int | None:
        """Days to 1 April from 1 January on; None outside the countdown."""
        today = self._today()
        april = self._april
        if april is None or not date(april.year, 1, 1) <= today <= april:
            return None
        return (april - today).days

    def reload_if_stale(self) -> None:
        if self.stale:
            self.reload()

    def _show(self, keep: tuple[int | None, int | None] | None = None, lead: bool = False) -> None:
        """The items for the filters chosen. The row chosen is `keep` when it is still there
        and is the pane's pupil's; otherwise the pane's pupil's first row, or none. With
        `lead` (Ongedaan maken: the row the user brought back) `keep` wins and the pane
        follows it."""
        mentor = self.mentor_filter.currentData()
        klas = self.klas_filter.currentData()
        items = [
            item
            for item in self._all
            if (mentor is None or item.mentor == mentor) and (klas is None or item.klas == klas)
        ]
        pane = self._pane_pupil()
        self._quiet = True
        try:
            self.model.set_items(items, self._countdown, self._today())
            self.tree.clearSpans()
            for row in self.model.heading_rows():
                self.tree.setSpan(row, 0, 1, len(ITEM_COLUMNS))
            self._describe(items)
            if keep is not None and (lead or pane is None or keep[1] == pane):
                kept = self._select(*keep)
            else:
                kept = False
            if kept:
                pass
            elif pane is not None:
                self.select_pupil(pane)
            else:
                self._select_first()
        finally:
            self._quiet = False
        chosen = self.selected_item()
        if lead and chosen is not None and pane is not None and chosen.pupil_id != pane:
            self.pupil_selected.emit(chosen.pupil_id)
        self._update_buttons()

    def select_pupil(self, pupil_id: int | None) -> bool:
        """Choose the pupil's first row, without it counting as the user's choice; with no row
        for the pupil, choose none (the pane shows a pupil this list does not hold)."""
        quiet, self._quiet = self._quiet, True
        try:
            for row in range(self.model.rowCount()):
                index = self.model.index(row, 0)
                item = self.model.data(index, ROW_ROLE)
                if item is not None and item.pupil_id == pupil_id:
                    self.tree.setCurrentIndex(index)
                    self._reveal()
                    return True
            self.tree.selectionModel().clear()
            return False
        finally:
            self._quiet = quiet
            self._update_buttons()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        item = self.model.data(current.siblingAtColumn(0), ROW_ROLE)
        if item is not None:
            self.pupil_selected.emit(item.pupil_id)

    def _describe(self, items: Sequence[AttentionItem]) -> None:
        today = self._today()
        self.heading.setText(f"Vandaag, {dutch_weekday_date(today)}")
        filtered = self.mentor_filter.currentData() or self.klas_filter.currentData()
        pupils = self._words.pupils
        if not items:
            self.empty.setText(
                f"Voor deze keuze hoeft er vandaag niets. Deze {pupils} liggen op schema."
                if filtered
                else f"Vandaag hoeft er niets. Alle {pupils} liggen op schema."
            )
            self.advice.setText("")
            self.advice.hide()
            self.pages.setCurrentWidget(self.empty)
            return
        self.pages.setCurrentWidget(self.tree)
        self.advice.show()
        self.advice.setText(advice_text(items, self._countdown_days(), self._words))

    # --- selection -----------------------------------------------------------------------
    def selected_item(self) -> AttentionItem | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(index.siblingAtColumn(0), ROW_ROLE)

    def _selected_key(self) -> tuple[int | None, int | None] | None:
        item = self.selected_item()
        if item is None:
            return None
        return (item.task_id, item.pupil_id)

    def _select(self, task_id: int | None, pupil_id: int | None) -> bool:
        index = self.model.item_index(task_id, pupil_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self._reveal()
        return True

    def _off_headings(self) -> None:
        """After a row went, the current row may be a group's heading: on to its first item."""
        index = self.tree.currentIndex()
        if not index.isValid() or self.model.data(index, ROW_ROLE) is not None:
            return
        below = index.siblingAtRow(index.row() + 1)
        above = index.siblingAtRow(index.row() - 1)
        for candidate in (below, above):
            if candidate.isValid() and self.model.data(candidate, ROW_ROLE) is not None:
                self.tree.setCurrentIndex(candidate.siblingAtColumn(0))
                return

    def _reveal(self) -> None:
        """The current item in view, with its group's heading when it is the group's first."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        heading = index.siblingAtRow(index.row() - 1)
        if heading.isValid() and self.model.data(heading, ROW_ROLE) is None:
            self.tree.scrollTo(heading)
        self.tree.scrollTo(index)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The list lays itself out only once shown; reveal the chosen row after that.
        QTimer.singleShot(0, self._reveal)

    def _select_first(self) -> None:
        if self.model.rowCount() > 1:
            self.tree.setCurrentIndex(self.model.index(1, 0))
            self.tree.scrollToTop()

    def _say(self, text: str) -> None:
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.tick_button.setEnabled(item is not None and item.task_id is not None)
        self.open_button.setEnabled(item is not None)
        self.undo_button.setEnabled(self._last_tick is not None)
        self.undo_action.setEnabled(self._last_tick is not None)

    def _on_filter_changed(self) -> None:
        self._mentor_wanted = self.mentor_filter.currentData()
        if self._settings is not None:
            self._settings.setValue("today/mentor", self.mentor_filter.currentData() or "")
        if not self.stale:
            self._show(keep=self._selected_key())
            self.refresh_nazorg()

    # --- actions -------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        item = self.model.data(index.siblingAtColumn(0), ROW_ROLE) if index.isValid() else None
        if item is None:
            return
        if item.task_id is None:
            self.pupil_chosen.emit(item.pupil_id, "route", None)
        else:
            self.pupil_chosen.emit(item.pupil_id, "checklist", item.task_id)

    def tick_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.task_id is None:
            return
        try:
            task = self._planning.tick(item.task_id, on=self._today())
        except ServiceError as exc:
            self._say(str(exc))
            self.reload()
            return
        removed = self.model.remove_task(item.task_id)
        for gone in removed:
            self._all.remove(gone)
        self._last_tick = (item.pupil_id, task, removed)
        self._off_headings()
        self._say(f"‘{task.title}’ is afgevinkt voor {item.name}. Ongedaan maken: Ctrl+Z.")
        if not self.model.items():
            self._describe([])
        else:
            self.advice.setText(advice_text(self.model.items(), self._countdown_days()))
        self._update_buttons()
        self.task_changed.emit(item.pupil_id, task)

    def undo_tick(self) -> None:
        if self._last_tick is None:
            return
        pupil_id, ticked, removed = self._last_tick
        assert ticked.id is not None
        try:
            task = self._planning.untick(ticked.id)
        except ServiceError as exc:
            self._say(str(exc))
            self.reload()
            return
        self._last_tick = None
        self._all = sorted([*self._all, *removed], key=sort_key)
        self._show(keep=(ticked.id, pupil_id), lead=True)
        self._say(f"‘{task.title}’ staat weer open.")
        self.task_changed.emit(pupil_id, task)

    def task_changed_elsewhere(self, task: Task) -> None:
        """A task ticked in a pupil's checklist leaves this list at once; anything else (an
        untick, a new route) makes the list read again the next time it is shown."""
        if task.done and task.id is not None and not self.stale:
            quiet, self._quiet = self._quiet, True
            try:
                self.model.remove_task(task.id)
            finally:
                self._quiet = quiet
            self._all = [i for i in self._all if i.task_id != task.id]
            self._describe(self.model.items())
            # The row that went was the pane's pupil's: not on to someone else's row.
            pane = self._pane_pupil()
            if pane is not None:
                self.select_pupil(pane)
        else:
            self.stale = True
        self._last_tick = None
        self._update_buttons()


def advice_text(
    items: Sequence[AttentionItem], april_days: int | None, words: Words = LEERLING_WORDS
) -> str:
    """What to do first, in plain words: what is late, who has no route, what 1 April still
    asks, and then the coming two weeks."""
    counts = summary_counts(items)
    late = counts[Group.OVERDUE]
    soon = counts[Group.SOON]
    no_route = counts[Group.NO_ROUTE]
    parts: list[str] = []
    if late:
        parts.append(
            f"Begin met {plural(late, 'taak die', 'taken die')} te laat "
            f"{'is' if late == 1 else 'zijn'}."
        )
    if no_route:
        parts.append(
            f"{plural(no_route, f'{words.pupil} heeft', f'{words.pupils} hebben')} nog geen "
            + (
                f"route: kies die samen met de {words.pupil}."
                if words.exit_interviews
                else f"route: kies die samen met {words.pupil} en ouders."
            )
        )
    if april_days is not None:
        codes = [i.code for i in items if i.group is not Group.OVERDUE]
        register = codes.count("aanmelden_mbo")
        talk = codes.count("stagegesprek")
        when = (
            "1 april is vandaag"
            if april_days == 0
            else "1 april is morgen"
            if april_days == 1
            else f"1 april is over {counted(april_days, 'dag', 'dagen')}"
        )
        # The mbo's students register for a next opleiding and talk about work after it.
        mbo = words.exit_interviews
        missing = []
        if register:
            missing.append(
                f"{plural(register, f'{words.pupil} is', f'{words.pupils} zijn')} nog niet "
                + ("aangemeld voor de vervolgopleiding" if mbo else "aangemeld bij het mbo")
            )
        if talk:
            missing.append(
                f"met het leerbedrijf van {plural(talk, words.pupil, words.pupils)} is het gesprek "
                + (
                    "over werk na de opleiding nog niet gevoerd"
                    if mbo
                    else "over een baan of bbl-plaats nog niet gevoerd"
                )
            )
        if missing:
            parts.append(f"{when}: {' en '.join(missing)}.")
    if soon:
        lead = "Daarna" if parts else "Niets is te laat. Begin met"
        parts.append(f"{lead} {plural(soon, 'taak', 'taken')} voor de komende twee weken.")
    # One point per line: a coordinator between two lessons reads the first line and acts.
    return "\n".join(parts)
