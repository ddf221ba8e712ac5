"""Uitstroomoverleg met de gemeente: choose the gemeente and the day, print the bespreeklijst,
hold the meeting pupil by pupil from the keyboard, and print the verslag afterwards.

In the meeting the list of named pupils has the focus: Up and Down (or PageUp/PageDown from
anywhere) walk it, Tab reaches the decision, Ctrl+Enter records it and goes to the next pupil.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import Instrument
from uitstroom.domain.handover import AgreementParty
from uitstroom.domain.overleg import NO_CONSENT, Bespreeklijst, BespreekRow, Decision, Overleg
from uitstroom.services.errors import ServiceError
from uitstroom.services.overleg import OverlegService
from uitstroom.ui.forms import (
    ChoiceEdit,
    DateEdit,
    MessageBanner,
    TextEdit,
    enum_choices,
    problems_of,
)
from uitstroom.ui.pdf_preview import PdfPreviewDialog
from uitstroom.ui.widgets import add_labelled_rows, done_label, push_button

TITLE = "Uitstroomoverleg met de gemeente"


class OverlegDialog(QDialog):
    def __init__(
        self,
        service: OverlegService,
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._today = today
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Ongeveer een half jaar voor het vertrek bespreekt u met de gemeente elke leerling "
            "met profiel werk. Op de bespreeklijst staan alleen leerlingen met toestemming om "
            "met deze gemeente te delen; de anderen bespreekt u zonder naam.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.gemeente = ChoiceEdit(tuple((name, i) for i, name in service.gemeenten()), self)
        self.gemeente.setObjectName("gemeente")
        self.held_on = DateEdit(self)
        self.held_on.setObjectName("held_on")
        self.held_on.set_field_value(today())
        self.present = TextEdit("bijv. Petra Hoekstra (klantmanager), Rachid Bennani", 300, self)
        self.present.setObjectName("present")
        add_labelled_rows(
            form,
            self,
            (
                ("&Gemeente", self.gemeente),
                ("&Datum van het overleg", self.held_on),
                ("&Aanwezig", self.present),
            ),
        )
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.list_button = push_button(self, "&Bespreeklijst (PDF)…", self.show_bespreeklijst)
        self.meeting_button = push_button(self, "Overleg &voeren…", self.hold_meeting)
        self.verslag_button = push_button(self, "Ve&rslag (PDF)…", self.show_verslag)
        for button in (self.list_button, self.meeting_button, self.verslag_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        if not service.gemeenten():
            self.banner.show_problems(
                [
                    "Er staat nog geen gemeente in de sociale kaart. Voeg de gemeente (Werk en "
                    "Inkomen) toe via Bestand › Sociale kaart."
                ]
            )
            for button in (self.list_button, self.meeting_button, self.verslag_button):
                button.setEnabled(False)

    # --- what is chosen ---------------------------------------------------------------------
    def _choice(self) -> tuple[int, date] | None:
        organisation_id = self.gemeente.field_value()
        try:
            held_on = self.held_on.field_value()
        except ValueError as exc:
            self.banner.show_problems([f"Datum: {exc}"])
            return None
        if not isinstance(organisation_id, int) or held_on is None:
            self.banner.show_problems(["Kies de gemeente en de datum van het overleg."])
            return None
        self.banner.clear_message()
        return organisation_id, held_on

    def _name(self) -> str:
        return self.gemeente.currentText()

    # --- actions ------------------------------------------------------------------------------
    def show_bespreeklijst(self) -> PdfPreviewDialog | None:
        chosen = self._choice()
        if chosen is None:
            return None
        organisation_id, held_on = chosen
        service, today = self._service, self._today()
        try:
            lijst = service.bespreeklijst(organisation_id, today, held_on)
            pdf = service.render_bespreeklijst(organisation_id, today, held_on)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return None
        preview = PdfPreviewDialog(
            f"Bespreeklijst — {lijst.gemeente}",
            pdf,
            f"Bespreeklijst {lijst.gemeente} {held_on.isoformat()}.pdf",
            lambda target: service.write_bespreeklijst(organisation_id, target, today, held_on),
            lambda: service.log_bespreeklijst(lijst),
            parent=self,
        )
        preview.exec()
        return preview

    def hold_meeting(self) -> None:
        chosen = self._choice()
        if chosen is None:
            return
        organisation_id, held_on = chosen
        try:
            overleg = self._service.start(organisation_id, held_on, self.present.field_value())
            lijst = self._service.bespreeklijst(organisation_id, self._today(), held_on)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        MeetingDialog(self._service, overleg, lijst, self).exec()

    def show_verslag(self) -> None:
        chosen = self._choice()
        if chosen is None:
            return
        organisation_id, held_on = chosen
        try:
            found = [o for o in self._service.overleggen(organisation_id) if o.held_on == held_on]
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        if not found or found[0].id is None:
            self.banner.show_problems(
                [
                    f"Op {held_on:%d-%m-%Y} is nog geen overleg met {self._name()} gevoerd. "
                    "Kies de datum van het overleg, of voer eerst het overleg."
                ]
            )
            return
        overleg_id = found[0].id
        service, today = self._service, self._today()
        pdf = service.render_verslag(overleg_id, today)

        def save(target: Path) -> object:
            return service.write_verslag(overleg_id, target, today)

        PdfPreviewDialog(
            f"Verslag — {self._name()}",
            pdf,
            f"Verslag uitstroomoverleg {self._name()} {held_on.isoformat()}.pdf",
            save,
            lambda: None,
            parent=self,
        ).exec()


class MeetingDialog(QDialog):
    """The meeting: one pupil at a time; what is decided is stored at once."""

    def __init__(
        self,
        service: OverlegService,
        overleg: Overleg,
        lijst: Bespreeklijst,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert overleg.id is not None
        self._service = service
        self._overleg_id = overleg.id
        self._held_on = overleg.held_on
        self._rows = list(lijst.rows)
        self.decisions: list[Decision] = list(overleg.decisions)
        self.setWindowTitle(f"Overleg met {lijst.gemeente} — {overleg.held_on:%d-%m-%Y}")
        self.resize(1000, 620)
        layout = QHBoxLayout(self)

        left = QVBoxLayout()
        self.pupils = QListWidget(self)
        self.pupils.setObjectName("pupils")
        left_label = QLabel("&Leerlingen", self)
        left_label.setBuddy(self.pupils)
        left.addWidget(left_label)
        left.addWidget(self.pupils, 1)
        unnamed = QLabel(
            f"Zonder naam: {lijst.unnamed} ({NO_CONSENT})" if lijst.unnamed else "", self
        )
        unnamed.setObjectName("unnamed")
        unnamed.setWordWrap(True)
        left.addWidget(unnamed)
        layout.addLayout(left, 2)

        right = QVBoxLayout()
        self.banner = MessageBanner(self)
        right.addWidget(self.banner)
        self.header = QLabel(self)
        self.header.setObjectName("header")
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.header.setFont(font)
        right.addWidget(self.header)
        self.details = QLabel(self)
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        right.addWidget(self.details)
        box = QGroupBox("Wat is besloten?", self)
        form = QFormLayout(box)
        self.instrument = ChoiceEdit(enum_choices(Instrument, "Geen instrument"), box)
        self.instrument.setObjectName("instrument")
        self.what = TextEdit("bijv. aanvraag indienen bij UWV", 300, box)
        self.what.setObjectName("what")
        self.party = ChoiceEdit(enum_choices(AgreementParty), box)
        self.party.setObjectName("party")
        self.due = DateEdit(box)
        self.due.setObjectName("due")
        add_labelled_rows(
            form,
            box,
            (
                ("&Instrument", self.instrument),
                ("Afs&praak", self.what),
                ("&Wie pakt het op", self.party),
                ("Wann&eer klaar", self.due),
            ),
        )
        right.addWidget(box)
        self.done_label = done_label(self, "done")
        right.addWidget(self.done_label)
        buttons = QHBoxLayout()
        self.previous_button = push_button(self, "V&orige  (PgUp)", lambda: self.step_pupil(-1))
        self.next_button = push_button(self, "Volge&nde  (PgDn)", lambda: self.step_pupil(1))
        self.save_button = QPushButton("&Vastleggen en verder  (Ctrl+Enter)", self)
        self.save_button.setObjectName("save_decision")
        self.save_button.clicked.connect(self.record)
        self.close_button = push_button(self, "&Klaar", self.accept)
        for button in (self.previous_button, self.next_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        right.addStretch(1)
        right.addLayout(buttons)
        layout.addLayout(right, 3)

        for keys, slot in (
            (("Ctrl+Return", "Ctrl+Enter"), self.record),
            (("PgDown",), lambda: self.step_pupil(1)),
            (("PgUp",), lambda: self.step_pupil(-1)),
        ):
            shortcut = QAction(self)
            shortcut.setShortcuts([QKeySequence(k) for k in keys])
            shortcut.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.triggered.connect(slot)
            self.addAction(shortcut)

        for row in self._rows:
            self.pupils.addItem(QListWidgetItem(self._item_text(row), self.pupils))
        self.pupils.currentRowChanged.connect(self._show)
        # In the list too, PageDown and PageUp go one pupil on or back, not a page.
        self.pupils.installEventFilter(self)
        if self._rows:
            self.pupils.setCurrentRow(0)
        else:
            self.header.setText("Geen leerlingen om met naam te bespreken")
            self.save_button.setEnabled(False)
        self.pupils.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.pupils
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = Qt.Key(event.key())
            step = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}.get(key)
            if step is not None:
                self.step_pupil(step)
                return True
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if control and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.record()
                return True
        return super().eventFilter(watched, event)

    def current(self) -> BespreekRow | None:
        index = self.pupils.currentRow()
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def _item_text(self, row: BespreekRow) -> str:
        done = any(d.pupil_id == row.pupil_id for d in self.decisions)
        return f"{'✓ ' if done else ''}{row.name} ({row.klas})"

    def _show(self, index: int) -> None:
        row = self.current()
        self.banner.clear_message()
        if row is None:
            return
        self.header.setText(f"{index + 1} van {len(self._rows)}: {row.name}")
        instruments = ", ".join(i.label for i in row.instruments) or "nog geen"
        self.details.setText(
            "\n".join(
                (
                    f"Klas {row.klas} · profiel {row.profiel or 'onbekend'} · {row.route}",
                    f"Stage: {row.stage or 'geen stage'}",
                    f"Voorgestelde instrumenten: {instruments}",
                    f"Contact bij de gemeente: {row.contact or 'nog niemand'}",
                    f"Open vraag: {row.question}",
                )
            )
        )
        self.instrument.set_field_value(row.instruments[0] if row.instruments else None)
        self.what.set_field_value("")
        self.party.set_field_value(AgreementParty.GEMEENTE)
        self.due.set_field_value(None)
        made = [d for d in self.decisions if d.pupil_id == row.pupil_id]
        self.done_label.setText(
            "Al besloten: " + "; ".join(_decision_text(d) for d in made) if made else ""
        )

    def step_pupil(self, step: int) -> None:
        index = self.pupils.currentRow() + step
        if 0 <= index < len(self._rows):
            self.pupils.setCurrentRow(index)

    def record(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            due = self.due.field_value()
        except ValueError as exc:
            self.banner.show_problems([f"Wanneer klaar: {exc}"])
            self.due.setFocus()
            return
        instrument = self.instrument.field_value()
        party = self.party.field_value()
        decision = Decision(
            pupil_id=row.pupil_id,
            what=self.what.field_value(),
            party=party if isinstance(party, AgreementParty) else AgreementParty.SCHOOL,
            due=due,
            instrument=instrument if isinstance(instrument, Instrument) else None,
        )
        try:
            stored = self._service.decide(self._overleg_id, decision)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self.decisions.append(stored)
        index = self.pupils.currentRow()
        item = self.pupils.item(index)
        item.setText(self._item_text(row))
        if index + 1 < len(self._rows):
            self.pupils.setCurrentRow(index + 1)
        else:
            self._show(index)
            self.done_label.setText(
                self.done_label.text() + "\nDit was de laatste leerling. Kies Klaar (Alt+K)."
            )
        self.pupils.setFocus()


def _decision_text(decision: Decision) -> str:
    what = ": ".join(
        part
        for part in (decision.instrument.label if decision.instrument else "", decision.what)
        if part
    )
    when = f" vóór {decision.due:%d-%m-%Y}" if decision.due else ""
    return f"{what} ({decision.party.label}{when})"
