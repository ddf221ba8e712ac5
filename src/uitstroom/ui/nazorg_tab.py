"""The Nazorg tab of one pupil: where they went, the plan of calls (moved with a reason), the
calls made, the signals with the warme overdracht, spare contacts, and closing the file.

Every action is stored at once through one service call, like the consent register: a call or
a move is a fact, not a draft. `changed(pupil_id)` tells the window to update the agenda.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.model import Pupil
from uitstroom.domain.nazorg import (
    CallRecord,
    FileState,
    NazorgFile,
    NazorgMoment,
    call_correctable,
)
from uitstroom.domain.nazorg import Signal as NazorgSignal
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.ui.call_dialog import (
    CallDialog,
    NazorgContext,
    contact_text,
    day_text,
    months_text,
    receiver_words,
    record_sent,
    warm_handover,
)
from uitstroom.ui.forms import (
    DateField,
    FormDialog,
    MessageBanner,
    NumberField,
    TextField,
    confirm,
    problems_of,
)
from uitstroom.ui.leaving_dialog import destination_text, record_leaving
from uitstroom.ui.paspoort_tab import selected_row
from uitstroom.ui.record_page import hint_label
from uitstroom.ui.record_table import Column, RecordTableModel, record_table
from uitstroom.ui.widgets import button_row, scroll_page


def moment_state(moment: NazorgMoment) -> str:
    if moment.done_on is not None:
        return f"gedaan {day_text(moment.done_on)}"
    return "open"


def planned_text(moment: NazorgMoment) -> str:
    if moment.due == moment.original_due:
        return day_text(moment.due)
    reason = f": {moment.moved_reason}" if moment.moved_reason else ""
    return f"{day_text(moment.due)}\n(was {day_text(moment.original_due)}{reason})"


MOMENT_COLUMNS = (
    Column("Na", lambda m: months_text(m.months), lambda m: m.months, chars=12),
    Column("Gepland", planned_text, lambda m: m.due, chars=22, stretch=True),
    Column("Gedaan", moment_state, lambda m: m.done_on, chars=16),
)


def call_result_text(call: CallRecord) -> str:
    if not call.reached:
        return f"Niet bereikt: {call.status.label}" if call.status else "Niet bereikt"
    parts = [call.status.label if call.status else "Bereikt"]
    if call.same_place:
        parts.append("zelfde plek")
    if call.wants_help:
        parts.append("wil hulp")
    return ", ".join(parts)


CALL_COLUMNS = (
    Column("Datum", lambda c: day_text(c.on), lambda c: c.on, chars=11),
    Column("Via", lambda c: c.channel.label, chars=10),
    Column(
        "Uitkomst",
        lambda c: call_result_text(c) + (f"\n{c.note}" if c.note else ""),
        chars=24,
        stretch=True,
    ),
)


def signal_sent_text(signal: NazorgSignal) -> str:
    if signal.sent_on is None:
        return "nog melden"
    return f"gemeld {day_text(signal.sent_on)}" + (f"\n{signal.sent_to}" if signal.sent_to else "")


SIGNAL_COLUMNS = (
    Column("Sinds", lambda s: day_text(s.created_on), lambda s: s.created_on, chars=11),
    Column("Status", lambda s: s.status.label, chars=14),
    Column("Melden bij", lambda s: s.receiver.label, chars=17, stretch=True),
    Column("Gemeld", signal_sent_text, lambda s: s.sent_on, chars=12),
)


def wrapping_table(model: RecordTableModel, parent: QWidget, name: str) -> Any:
    table = record_table(model, parent, name, wrap=True)
    table.verticalHeader().setSectionResizeMode(table.verticalHeader().ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def fit_height(table: Any) -> None:
    """A short list shows all its rows and no empty space below them (the tab scrolls)."""
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(r) for r in range(table.model().rowCount()))
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + max(rows, table.verticalHeader().defaultSectionSize()) + 4)


class NazorgTab(QWidget):
    changed = Signal(int)

    def __init__(self, context: NazorgContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._pupil: Pupil | None = None
        self.file: NazorgFile | None = None

        content = QWidget()
        layout = QVBoxLayout(content)
        self.banner = MessageBanner(content)
        layout.addWidget(self.banner)

        self.leaving_box = QGroupBox("Uitstroom", content)
        inner = QVBoxLayout(self.leaving_box)
        self.leaving_label = QLabel(self.leaving_box)
        self.leaving_label.setObjectName("leaving_text")
        self.leaving_label.setWordWrap(True)
        self.leave_button = QPushButton("&Uitstroom vastleggen…", self.leaving_box)
        self.leave_button.clicked.connect(self.record_leaving)
        inner.addWidget(self.leaving_label)
        row = button_row(self.leave_button)
        inner.addLayout(row)
        layout.addWidget(self.leaving_box)

        self.plan_box = QGroupBox("Plan van de nazorggesprekken", content)
        inner = QVBoxLayout(self.plan_box)
        self.moment_model = RecordTableModel(
            MOMENT_COLUMNS, parent=self, muted=lambda m: m.done_on is not None
        )
        self.moment_table = wrapping_table(self.moment_model, self.plan_box, "moments")
        self.moment_table.activated.connect(lambda _index: self.log_call())
        self.call_button = QPushButton("&Gesprek vastleggen…", self.plan_box)
        self.call_button.clicked.connect(self.log_call)
        self.move_button = QPushButton("&Verzetten…", self.plan_box)
        self.move_button.setToolTip("Een andere datum voor het gekozen gesprek, met een reden")
        self.move_button.clicked.connect(self.move_moment)
        self.snooze_button = QPushButton("Uit&stellen…", self.plan_box)
        self.snooze_button.setToolTip("Het gekozen gesprek een paar dagen later, met een reden")
        self.snooze_button.clicked.connect(self.snooze_moment)
        row = QHBoxLayout()
        for button in (self.call_button, self.move_button, self.snooze_button):
            row.addWidget(button)
        row.addStretch(1)
        inner.addLayout(row)
        inner.addWidget(self.moment_table)
        self.moment_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        layout.addWidget(self.plan_box)

        self.signal_box = QGroupBox("Signalen: geen school en geen werk", content)
        inner = QVBoxLayout(self.signal_box)
        self.signal_hint = hint_label("", self.signal_box)
        inner.addWidget(self.signal_hint)
        self.signal_model = RecordTableModel(
            SIGNAL_COLUMNS, parent=self, muted=lambda s: s.sent_on is not None
        )
        self.signal_table = wrapping_table(self.signal_model, self.signal_box, "signals")
        self.handover_button = QPushButton("&Warme overdracht maken…", self.signal_box)
        self.handover_button.clicked.connect(self.make_warm_handover)
        self.sent_button = QPushButton("Ge&meld op…", self.signal_box)
        self.sent_button.clicked.connect(self.mark_sent)
        self.signal_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        row = button_row(self.handover_button, self.sent_button)
        inner.addLayout(row)
        inner.addWidget(self.signal_table)
        layout.addWidget(self.signal_box)

        self.calls_box = QGroupBox("Gesprekken", content)
        inner = QVBoxLayout(self.calls_box)
        self.call_model = RecordTableModel(CALL_COLUMNS, parent=self)
        self.call_table = wrapping_table(self.call_model, self.calls_box, "calls")
        # Only a call logged today can be taken back: the buttons say so in their name.
        self.correct_button = QPushButton("Gesprek van van&daag corrigeren…", self.calls_box)
        self.correct_button.clicked.connect(self.correct_call)
        self.withdraw_button = QPushButton("Gesprek van vandaag intre&kken…", self.calls_box)
        self.withdraw_button.clicked.connect(self.withdraw_call)
        self.call_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        # One above the other: side by side they made the pane too wide for a laptop.
        for button in (self.correct_button, self.withdraw_button):
            row = button_row(button)
            inner.addLayout(row)
        inner.addWidget(self.call_table)
        layout.addWidget(self.calls_box)

        self.contacts_box = QGroupBox("Reservecontacten", content)
        inner = QVBoxLayout(self.contacts_box)
        self.contacts_label = QLabel(self.contacts_box)
        self.contacts_label.setObjectName("spare_contacts")
        self.contacts_label.setWordWrap(True)
        inner.addWidget(self.contacts_label)
        layout.addWidget(self.contacts_box)

        self.state_box = QGroupBox("Dossier", content)
        inner = QVBoxLayout(self.state_box)
        self.state_label = QLabel(self.state_box)
        self.state_label.setObjectName("file_state")
        self.state_label.setWordWrap(True)
        self.waakvlam = QCheckBox("Wa&akvlam: na het plan eens per jaar contact", self.state_box)
        self.waakvlam.setToolTip(
            "Voor wie kwetsbaar is: ook na het laatste gesprek van het plan eens per jaar bellen."
        )
        self.waakvlam.setObjectName("waakvlam")
        self.waakvlam.clicked.connect(self.toggle_waakvlam)
        self.close_button = QPushButton("Dossier a&fsluiten…", self.state_box)
        self.close_button.clicked.connect(lambda: self.close_file(FileState.CLOSED))
        self.hand_over_button = QPushButton("&Overgedragen…", self.state_box)
        self.hand_over_button.setToolTip("De nazorg is overgenomen door een andere organisatie")
        self.hand_over_button.clicked.connect(lambda: self.close_file(FileState.HANDED_OVER))
        inner.addWidget(self.state_label)
        inner.addWidget(self.waakvlam)
        row = button_row(self.close_button, self.hand_over_button)
        inner.addLayout(row)
        layout.addWidget(self.state_box)
        layout.addStretch(1)

        scroll = scroll_page(self)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.show_pupil(None)

    # --- showing -------------------------------------------------------------------------
    @property
    def pupil_id(self) -> int | None:
        return None if self._pupil is None else self._pupil.id

    def show_pupil(self, pupil: Pupil | None) -> None:
        self._pupil = pupil if pupil is not None and pupil.id is not None else None
        self.banner.clear_message()
        self.refresh()

    def refresh(self) -> None:
        pupil_id = self.pupil_id
        try:
            self.file = None if pupil_id is None else self._context.nazorg.file(pupil_id)
        except ServiceError as exc:
            self.file = None
            self.banner.show_problems(problems_of(exc))
        file = self.file
        for box in (self.plan_box, self.calls_box, self.contacts_box, self.state_box):
            box.setVisible(file is not None)
        self.leave_button.setEnabled(pupil_id is not None)
        if file is None:
            self.signal_box.hide()
            self.leaving_label.setText(
                "Sla de nieuwe leerling eerst op."
                if pupil_id is None
                else "De uitstroom is nog niet vastgelegd. Leg de uitstroomdatum en de "
                "bestemming vast; daarna maakt Uitstroom het plan voor de nazorggesprekken."
            )
            self.leave_button.setText("&Uitstroom vastleggen…")
            for model in (self.moment_model, self.call_model, self.signal_model):
                model.set_rows([])
            self._update_buttons()
            return
        self.leave_button.setText("&Uitstroom wijzigen…")
        self.leaving_label.setText(
            f"Uitgestroomd op {day_text(file.leaving.left_on)}. "
            f"Bestemming: {destination_text(file.leaving)}."
            + (f"\n{file.leaving.note}" if file.leaving.note else "")
        )
        self.moment_model.set_rows(sorted(file.moments, key=lambda m: m.due))
        self.call_model.set_rows(sorted(file.calls, key=lambda c: c.on, reverse=True))
        self.calls_box.setTitle(f"Gesprekken ({len(file.calls)})")
        self.signal_model.set_rows(sorted(file.signals, key=lambda s: s.created_on, reverse=True))
        self.signal_box.setVisible(bool(file.signals))
        open_signals = [s for s in file.signals if s.sent_on is None]
        if open_signals:
            self.signal_hint.setText(
                f"Nog te melden bij {receiver_words(open_signals[0].receiver)}. Maak een warme "
                "overdracht en leg vast wanneer u gemeld hebt."
            )
            self.signal_hint.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")
        else:
            self.signal_hint.setText("Alle signalen zijn gemeld.")
            self.signal_hint.setStyleSheet("QLabel { color: #555; }")
        for table in (self.moment_table, self.signal_table, self.call_table):
            fit_height(table)
        self.contacts_label.setText(
            "\n".join(contact_text(c) for c in file.spare_contacts)
            or "Geen reservecontacten bekend."
        )
        self.state_label.setText(self._state_text(file))
        self.waakvlam.setChecked(file.waakvlam)
        self._select_next_open()
        self._update_buttons()

    def _state_text(self, file: NazorgFile) -> str:
        if file.state is FileState.OPEN:
            left = [m for m in file.moments if m.done_on is None]
            return f"{file.state.label}: nog {len(left)} van de {counted(len(file.moments), 'gesprek', 'gesprekken')}."
        return f"{file.state.label} op {day_text(file.closed_on)}."

    def _select_next_open(self) -> None:
        for row, moment in enumerate(self.moment_model.rows):
            if moment.done_on is None:
                self.moment_table.selectRow(row)
                return

    def selected_moment(self) -> NazorgMoment | None:
        chosen = selected_row(self.moment_table)
        return chosen if isinstance(chosen, NazorgMoment) else None

    def selected_call(self) -> CallRecord | None:
        """The chosen call when it can still be corrected, or else the one call logged today."""
        today = self._context.today()
        chosen = selected_row(self.call_table)
        if isinstance(chosen, CallRecord):
            return chosen if call_correctable(chosen, today) else None
        fixable = [c for c in self.call_model.rows if call_correctable(c, today)]
        return fixable[0] if len(fixable) == 1 else None

    def selected_signal(self) -> NazorgSignal | None:
        chosen = selected_row(self.signal_table)
        if isinstance(chosen, NazorgSignal):
            return chosen
        open_signals = [s for s in self.signal_model.rows if s.sent_on is None]
        return open_signals[0] if open_signals else None

    def _update_buttons(self) -> None:
        file = self.file
        is_open = file is not None and file.state is FileState.OPEN
        moment = self.selected_moment()
        open_moment = is_open and moment is not None and moment.done_on is None
        self.call_button.setEnabled(is_open)
        self.move_button.setEnabled(open_moment)
        self.snooze_button.setEnabled(open_moment)
        correctable = self.selected_call() is not None
        self.correct_button.setEnabled(correctable)
        self.withdraw_button.setEnabled(correctable)
        signal = self.selected_signal()
        self.handover_button.setEnabled(signal is not None and self._context.handover is not None)
        self.sent_button.setEnabled(signal is not None and signal.sent_on is None)
        for widget in (self.close_button, self.hand_over_button, self.waakvlam):
            widget.setEnabled(is_open)

    # --- actions -------------------------------------------------------------------------
    def _done(self) -> None:
        self.refresh()
        if self.pupil_id is not None:
            self.changed.emit(self.pupil_id)

    def _act(self, work: Any) -> bool:
        try:
            work()
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return False
        self.banner.clear_message()
        self._done()
        return True

    def record_leaving(self) -> None:
        if self._pupil is None:
            return
        context = self._context
        if record_leaving(self, context.nazorg, self._pupil, context.today()):
            self._done()

    def log_call(self) -> None:
        file = self.file
        if file is None or file.state is not FileState.OPEN:
            return
        moment = self.selected_moment()
        moment_id = moment.id if moment is not None and moment.done_on is None else None
        dialog = CallDialog(self._context, file, moment_id, self)
        dialog.exec()
        if dialog.call_result is not None:
            self._done()

    def correct_call(self) -> None:
        file, wrong = self.file, self.selected_call()
        if file is None or wrong is None:
            return
        dialog = CallDialog(self._context, file, parent=self, correcting=wrong)
        dialog.exec()
        if dialog.call_result is not None:
            self._done()

    def withdraw_call(self) -> None:
        wrong = self.selected_call()
        if wrong is None or wrong.id is None:
            return
        call_id = wrong.id
        context = self._context
        dialog = FormDialog(
            "Gesprek intrekken",
            (
                TextField(
                    name="reason",
                    label="Reden",
                    placeholder="bijv. bij de verkeerde leerling vastgelegd",
                    max_length=300,
                ),
            ),
            {},
            intro=(
                f"Het gesprek van {day_text(wrong.on)} ({call_result_text(wrong)}) telt dan "
                "niet meer mee, ook niet als poging. In het logboek blijft staan dat u het "
                "introk, en waarom."
            ),
            accept_text="Intrekken",
            check=lambda v: [] if v["reason"] else ["Schrijf kort op waarom."],
            submit=lambda v: context.nazorg.withdraw_call(call_id, v["reason"]),
            parent=self,
        )
        if dialog.exec() == FormDialog.DialogCode.Accepted:
            self._done()

    def _reason_dialog(self, title: str, intro: str, first: Any, values: dict[str, Any]) -> Any:
        return FormDialog(
            title,
            (
                first,
                TextField(
                    name="reason",
                    label="Reden",
                    placeholder="bijv. zit tot half maart in een opleiding buiten de stad",
                    max_length=300,
                ),
            ),
            values,
            intro=intro,
            accept_text=title,
            check=lambda v: [] if v["reason"] else ["Schrijf kort op waarom."],
            parent=self,
        )

    def move_moment(self) -> None:
        moment = self.selected_moment()
        if moment is None or moment.id is None:
            return
        moment_id = moment.id
        dialog = self._reason_dialog(
            "Verzetten",
            f"Het gesprek na {months_text(moment.months)} staat gepland op "
            f"{day_text(moment.due)}. Kies een andere datum en schrijf op waarom.",
            DateField(name="due", label="Nieuwe datum"),
            {"due": moment.due},
        )
        first = dialog.form.editor("due")
        first.setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        due = dialog.values["due"] or moment.due
        context = self._context
        self._act(lambda: context.nazorg.move_moment(moment_id, due, dialog.values["reason"]))

    def snooze_moment(self) -> None:
        moment = self.selected_moment()
        if moment is None or moment.id is None:
            return
        moment_id = moment.id
        dialog = self._reason_dialog(
            "Uitstellen",
            f"Het gesprek na {months_text(moment.months)} een paar dagen later "
            f"(nu {day_text(moment.due)}).",
            NumberField(name="days", label="Dagen later", minimum=1, maximum=90, suffix=" dagen"),
            {"days": 7},
        )
        dialog.form.editor("reason").setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        days = int(dialog.values["days"] or 7)
        context = self._context
        self._act(lambda: context.nazorg.snooze(moment_id, days, dialog.values["reason"]))

    def make_warm_handover(self) -> None:
        file = self.file
        signal = self.selected_signal()
        if file is None or signal is None:
            return
        warm_handover(self, self._context, file.pupil_id, signal)
        self._done()

    def mark_sent(self) -> None:
        signal = self.selected_signal()
        if signal is None:
            return
        if record_sent(self, self._context, signal) is not None:
            self._done()

    def toggle_waakvlam(self, on: bool) -> None:
        file = self.file
        if file is None:
            return
        context = self._context
        if not self._act(lambda: context.nazorg.set_waakvlam(file.pupil_id, on)):
            self.waakvlam.setChecked(not on)

    def close_file(self, state: FileState) -> None:
        file = self.file
        if file is None:
            return
        if state is FileState.HANDED_OVER:
            text = (
                f"De nazorg voor {file.name} is overgenomen door een andere organisatie? De open "
                "gesprekken vervallen; wat er is vastgelegd blijft bewaard."
            )
            yes = "Overgedragen"
        else:
            text = (
                f"Het nazorgdossier van {file.name} afsluiten? De open gesprekken vervallen; wat "
                "er is vastgelegd blijft bewaard."
            )
            yes = "Afsluiten"
        if not confirm(self, "Dossier " + yes.lower(), text, yes):
            return
        context = self._context
        self._act(lambda: context.nazorg.close_file(file.pupil_id, state, on=context.today()))
