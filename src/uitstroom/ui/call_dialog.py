"""Gesprek vastleggen: one nazorg call, keyboard first.

The dialog opens with the focus on "Bereikt, alles hetzelfde", the default button: from the
agenda that is Enter to open and Enter to save. Otherwise Bereikt (Alt+B) or Niet bereikt
(Alt+N), the channel, the status found, and a note. After the call the dialog asks what the
rules propose: "uit beeld" after three attempts over two weeks, and the warme overdracht when
the young person has no school and no work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.handover import (
    RECEIVER_OF_KIND,
    SENSITIVE_SECTIONS,
    Consent,
    DocumentKind,
    LegalBasis,
    Receiver,
    Section,
)
from uitstroom.domain.nazorg import (
    STATUS_OF_DESTINATION,
    CallRecord,
    CallStatus,
    Channel,
    NazorgFile,
    NazorgMoment,
    Signal,
    SpareContact,
    attempts_since_reached,
    is_alarm,
)
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import (
    ChoiceEdit,
    ChoiceField,
    DateEdit,
    DateField,
    FormDialog,
    MessageBanner,
    NotesEdit,
    enum_choices,
    problems_of,
)

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService
    from uitstroom.services.nazorg import CallResult, NazorgService
    from uitstroom.services.pupils import PupilService


@dataclass(frozen=True)
class NazorgContext:
    """What the nazorg widgets work with; author and today are read when needed (the author
    changes with the school settings, today with the clock)."""

    nazorg: NazorgService
    pupils: PupilService
    handover: HandoverService | None
    author: Callable[[], str]
    today: Callable[[], date]


def day_text(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "—"


def months_text(months: int) -> str:
    return "1 maand" if months == 1 else f"{counted(months, 'maand', 'maanden')}"


def due_text(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"{day_text(due)}, {counted(-days, 'dag', 'dagen')} te laat"
    if days == 0:
        return f"{day_text(due)}, vandaag"
    return day_text(due)


def contact_text(contact: SpareContact) -> str:
    reach = " · ".join(p for p in (contact.phone, contact.email) if p)
    return f"{contact.who}: {contact.name}" + (f" — {reach}" if reach else "")


def expected_status(file: NazorgFile) -> CallStatus:
    """What 'alles hetzelfde' logs: the last status found, or where the pupil went."""
    return file.last_status or STATUS_OF_DESTINATION[file.leaving.destination]


def first_name(file: NazorgFile) -> str:
    return file.name.split(" ")[0] if file.name else "de jongere"


class ChoiceButton(QPushButton):
    """A big checkable button for the first question of the dialog."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setCheckable(True)
        self.setAutoDefault(False)
        self.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self.setStyleSheet("QPushButton:checked { background: #dbe8f5; font-weight: bold; }")


class CallDialog(QDialog):
    """After exec(): `result` holds the CallResult of the last call stored (None if none).
    With `correcting`, the dialog shows that call (logged today by mistake) and stores what
    really happened in its place, with the reason for the audit trail."""

    def __init__(
        self,
        context: NazorgContext,
        file: NazorgFile,
        moment_id: int | None = None,
        parent: QWidget | None = None,
        correcting: CallRecord | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._file = file
        self._correcting = correcting
        self._moment_id = correcting.moment_id if correcting is not None else moment_id
        self.call_result: CallResult | None = None
        verb = "corrigeren" if correcting is not None else "vastleggen"
        self.setWindowTitle(f"Gesprek {verb} — {file.name}")
        self.setMinimumWidth(600)
        today = context.today()
        moment = self._moment()

        layout = QVBoxLayout(self)
        title = QLabel(f"Nazorggesprek met {file.name}", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        about = QLabel(self._about_text(moment, today), self)
        about.setObjectName("call_about")
        about.setWordWrap(True)
        about.setStyleSheet("QLabel { color: #444; }")
        layout.addWidget(about)

        contacts = QGroupBox("Reservecontacten, als de jongere zelf niet opneemt", self)
        inner = QVBoxLayout(contacts)
        lines = [contact_text(c) for c in file.spare_contacts] or [
            "Geen reservecontacten bekend. Vul ouders of een werkgever aan bij Gegevens of Route."
        ]
        self.contacts_label = QLabel("\n".join(lines), contacts)
        self.contacts_label.setObjectName("spare_contacts")
        self.contacts_label.setWordWrap(True)
        self.contacts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.contacts_label)
        layout.addWidget(contacts)

        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        expected = expected_status(file)
        self.same_button = QPushButton("Bereikt, alles hetzelfde  (Ctrl+Enter)", self)
        self.same_button.setObjectName("same_as_last")
        self.same_button.setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        big = QFont(self.same_button.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.1)
        self.same_button.setFont(big)
        self.same_button.setDefault(True)
        self.same_button.clicked.connect(self.save_same_as_last)
        same_hint = QLabel(
            f"Legt vast: bereikt, nog steeds {expected.label.lower()}, op dezelfde plek.", self
        )
        same_hint.setStyleSheet("QLabel { color: #555; }")
        same_hint.setWordWrap(True)
        layout.addWidget(self.same_button)
        layout.addWidget(same_hint)
        same = QAction(self)
        same.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        same.triggered.connect(self.save_same_as_last)
        self.addAction(same)

        other = QGroupBox("Of vul het gesprek in", self)
        form = QFormLayout(other)
        self.reached_button = ChoiceButton("&Bereikt", other)
        self.reached_button.setObjectName("reached")
        self.not_reached_button = ChoiceButton("&Niet bereikt", other)
        self.not_reached_button.setObjectName("not_reached")
        self._choice = QButtonGroup(self)
        self._choice.setExclusive(False)
        self._choice.addButton(self.reached_button)
        self._choice.addButton(self.not_reached_button)
        self.reached_button.clicked.connect(lambda: self._choose(True))
        self.not_reached_button.clicked.connect(lambda: self._choose(False))
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.reached_button, 1)
        choice_row.addWidget(self.not_reached_button, 1)
        form.addRow(choice_row)

        self.channel = ChoiceEdit(enum_choices(Channel), other)
        self.channel.setObjectName("channel")
        self.on_date = DateEdit(other)
        self.on_date.setObjectName("on")
        self.on_date.set_field_value(today)
        channel_row = QHBoxLayout()
        channel_row.addWidget(self.channel, 1)
        date_label = QLabel("&Datum", other)
        date_label.setBuddy(self.on_date)
        channel_row.addSpacing(12)
        channel_row.addWidget(date_label)
        channel_row.addWidget(self.on_date)
        channel_label = QLabel("&Kanaal", other)
        channel_label.setBuddy(self.channel)
        form.addRow(channel_label, channel_row)

        self.status = ChoiceEdit(enum_choices(CallStatus), other)
        self.status.setObjectName("status")
        self.status.set_field_value(expected)
        status_label = QLabel("S&tatus", other)
        status_label.setBuddy(self.status)
        form.addRow(status_label, self.status)
        self.same_place = QCheckBox("Zelfde &plek als vorige keer", other)
        self.same_place.setObjectName("same_place")
        self.same_place.setChecked(True)
        self.wants_help = QCheckBox("Wil &hulp van school of een andere organisatie", other)
        self.wants_help.setObjectName("wants_help")
        form.addRow("", self.same_place)
        form.addRow("", self.wants_help)
        self.note = NotesEdit("Wat vertelde de jongere, of wie heeft u gesproken?", other)
        self.note.setObjectName("note")
        note_label = QLabel("N&otitie", other)
        note_label.setBuddy(self.note)
        form.addRow(note_label, self.note)
        self.status.edited.connect(self._update)
        self.reason = QLineEdit(other)
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText("bijv. verkeerde leerling aangeklikt")
        reason_label = QLabel("&Waarom corrigeert u?", other)
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        reason_label.setVisible(correcting is not None)
        self.reason.setVisible(correcting is not None)
        layout.addWidget(other)

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("Op&slaan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save_call")
        cancel = buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAutoDefault(False)
        cancel.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._reached: bool | None = None
        self._update()
        self.same_button.setFocus()
        if correcting is not None:
            self._show_call(correcting)
            for widget in (self.same_button, same_hint):
                widget.hide()
            same.setEnabled(False)

    def _show_call(self, call: CallRecord) -> None:
        """The call as it was logged, to change what was wrong in it."""
        self.channel.set_field_value(call.channel)
        self.on_date.set_field_value(call.on)
        if call.status is not None:
            self.status.set_field_value(call.status)
        self.same_place.setChecked(bool(call.same_place))
        self.wants_help.setChecked(bool(call.wants_help))
        self.note.set_field_value(call.note)
        self._choose(call.reached)

    # --- texts ---------------------------------------------------------------------------
    def _moment(self) -> NazorgMoment | None:
        for moment in self._file.moments:
            if moment.id is not None and moment.id == self._moment_id:
                return moment
        return None

    def _about_text(self, moment: NazorgMoment | None, today: date) -> str:
        file = self._file
        parts = []
        if moment is not None:
            parts.append(
                f"Gesprek na {months_text(moment.months)}, gepland {due_text(moment.due, today)}."
            )
        reached = [c for c in file.calls if c.reached and c.status is not None]
        if reached:
            last = max(reached, key=lambda c: c.on)
            assert last.status is not None
            parts.append(f"Vorige keer ({day_text(last.on)}): {last.status.label}.")
        else:
            parts.append(f"Bij uitstroom: {file.leaving.destination.label}.")
        attempts = attempts_since_reached(file.calls)
        if attempts:
            times = "1 poging" if len(attempts) == 1 else f"{len(attempts)} pogingen"
            parts.append(f"{times} zonder contact sinds {day_text(attempts[0])}.")
        return " ".join(parts)

    # --- choosing ------------------------------------------------------------------------
    def _choose(self, reached: bool) -> None:
        self._reached = reached
        self.reached_button.setChecked(reached)
        self.not_reached_button.setChecked(not reached)
        # From now on Enter saves what is filled in, not "alles hetzelfde".
        self.same_button.setDefault(False)
        self.save_button.setDefault(True)
        self._update()
        (self.status if reached else self.channel).setFocus()

    def _update(self) -> None:
        reached = self._reached is not False
        for widget in (self.status, self.same_place, self.wants_help):
            widget.setEnabled(reached)
        status = self.status.field_value()
        self.same_place.setVisible(status is not CallStatus.UIT_BEELD)

    # --- saving --------------------------------------------------------------------------
    def save_same_as_last(self) -> None:
        channel = self.channel.field_value()
        assert isinstance(channel, Channel)
        context = self._context
        self._store(
            lambda: context.nazorg.same_as_last(self._file.pupil_id, self._moment_id, channel)
        )

    def save(self) -> None:
        if self._reached is None:
            self.banner.show_problems(
                ["Kies eerst of u de jongere hebt bereikt (Alt+B) of niet (Alt+N)."]
            )
            self.reached_button.setFocus()
            return
        try:
            on = self.on_date.field_value()
        except ValueError as exc:
            self.banner.show_problems([f"Datum: {exc}"])
            return
        if on is None:
            self.banner.show_problems(["Vul de datum van het gesprek in."])
            return
        reached = self._reached
        status = self.status.field_value() if reached else None
        channel = self.channel.field_value()
        assert isinstance(channel, Channel)
        call = CallRecord(
            on=on,
            reached=reached,
            channel=channel,
            status=status if isinstance(status, CallStatus) else None,
            same_place=self.same_place.isChecked() if reached else None,
            wants_help=self.wants_help.isChecked() if reached else None,
            note=self.note.field_value(),
            by=self._context.author(),
            moment_id=self._moment_id,
        )
        context = self._context
        correcting = self._correcting
        if correcting is not None and correcting.id is not None:
            call_id, reason = correcting.id, self.reason.text()
            self._store(lambda: context.nazorg.correct_call(call_id, call, reason))
            return
        self._store(lambda: context.nazorg.log_call(self._file.pupil_id, call))

    def _store(self, work: Callable[[], CallResult]) -> None:
        try:
            result = work()
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self.call_result = result
        self.hide()
        self._follow_up(result)
        self.accept()

    def _follow_up(self, result: CallResult) -> None:
        """What the rules propose after the call: uit beeld, then the alarm's overdracht."""
        parent = self.parentWidget() or self
        asked = result.propose_uit_beeld and result.signal is None
        if asked and ask_uit_beeld(parent, result.file):
            channel = self.channel.field_value()
            assert isinstance(channel, Channel)
            marked = log_uit_beeld(parent, self._context, result.file, channel)
            if marked is not None:
                result = marked
                self.call_result = marked
        if result.signal is not None:
            offer_warm_handover(parent, self._context, result.file, result.signal)


def ask_uit_beeld(parent: QWidget, file: NazorgFile) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Uit beeld?")
    box.setText(f"Drie pogingen in twee weken zonder contact. Staat {first_name(file)} uit beeld?")
    box.setInformativeText(
        "Als u ‘Ja, uit beeld’ kiest, legt Uitstroom dat vast en maakt een melding voor het "
        "Doorstroompunt of de gemeente. Probeer eerst nog de reservecontacten als die er zijn."
    )
    yes = box.addButton("Ja, uit beeld", QMessageBox.ButtonRole.YesRole)
    no = box.addButton("Nee, nog niet", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def log_uit_beeld(
    parent: QWidget, context: NazorgContext, file: NazorgFile, channel: Channel
) -> CallResult | None:
    try:
        return context.nazorg.confirm_uit_beeld(file.pupil_id, channel)
    except ServiceError as exc:
        QMessageBox.warning(parent, "Uit beeld", "\n".join(problems_of(exc)))
        return None


def alarm_text(file: NazorgFile, signal: Signal) -> str:
    name = first_name(file)
    if signal.status is CallStatus.UIT_BEELD:
        what = f"{name} is uit beeld"
    else:
        what = f"{name} heeft geen school en geen werk ({signal.status.label.lower()})"
    return f"{what}. Meld dit bij {receiver_words(signal.receiver)}."


def receiver_words(receiver: Receiver) -> str:
    if receiver is Receiver.DOORSTROOMPUNT:
        return "het Doorstroompunt (jongeren onder de 27 zonder startkwalificatie)"
    if receiver is Receiver.GEMEENTE:
        return "de gemeente, Werk en Inkomen"
    return receiver.label


def offer_warm_handover(
    parent: QWidget, context: NazorgContext, file: NazorgFile, signal: Signal
) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Melden")
    box.setText(alarm_text(file, signal))
    box.setInformativeText(
        "Een warme overdracht: u stuurt een overdracht en belt of mailt erbij, zodat iemand "
        "de jongere verder helpt. De melding staat ook in de tab Nazorg."
    )
    make = box.addButton("Warme overdracht maken…", QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(make)
    box.setEscapeButton(later)
    box.exec()
    if box.clickedButton() is not make:
        return False
    return warm_handover(parent, context, file.pupil_id, signal)


def legal_sections() -> frozenset[Section]:
    return frozenset(s for s in Section if s not in SENSITIVE_SECTIONS)


def ensure_basis(
    parent: QWidget, context: NazorgContext, pupil_id: int, receiver: Receiver, name: str
) -> bool:
    """A basis for the overdracht: there, or (Doorstroompunt) the legal task recorded now."""
    handover = context.handover
    assert handover is not None
    today = context.today()
    if any(c.receiver is receiver and c.valid_on(today) for c in handover.consents(pupil_id)):
        return True
    if receiver is not Receiver.DOORSTROOMPUNT:
        QMessageBox.information(
            parent,
            "Eerst toestemming",
            f"Voor {receiver.label} is nog geen toestemming vastgelegd. Vraag {name} om "
            "toestemming en leg die vast in de tab Toestemming; maak daarna de overdracht. "
            "Melden mag wel: bel of mail de gemeente, en leg vast wanneer (Gemeld op…).",
        )
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Grond voor de overdracht")
    box.setText("Voor het Doorstroompunt is nog geen grond vastgelegd.")
    box.setInformativeText(
        "Een school meldt een jongere onder de 27 zonder startkwalificatie en zonder school of "
        "werk bij het Doorstroompunt (RMC). Dat is een wettelijke taak: er is geen toestemming "
        "voor nodig. Gevoelige delen (gezondheid, ondersteuning) gaan niet mee. "
        "Deze grond nu vastleggen?"
    )
    record = box.addButton("Wettelijke taak vastleggen", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(record)
    box.setEscapeButton(cancel)
    box.exec()
    if box.clickedButton() is not record:
        return False
    try:
        handover.record_consent(
            pupil_id,
            Consent(
                receiver=Receiver.DOORSTROOMPUNT,
                basis=LegalBasis.WETTELIJKE_TAAK,
                sections=legal_sections(),
                given_on=today,
                note="Melding vanuit de nazorg: geen school en geen werk.",
            ),
        )
    except ServiceError as exc:
        QMessageBox.warning(parent, "Grond vastleggen", "\n".join(problems_of(exc)))
        return False
    return True


def organisation_choices_for(
    context: NazorgContext, receiver: Receiver
) -> tuple[tuple[str, object], ...]:
    assert context.handover is not None
    found = [
        (o.name, o.id)
        for o in context.handover.organisations()
        if RECEIVER_OF_KIND[o.kind] is receiver
    ]
    return (*found, ("Geen organisatie uit de sociale kaart", None))


def warm_handover(parent: QWidget, context: NazorgContext, pupil_id: int, signal: Signal) -> bool:
    """The overdracht for the signal's receiver in the preview, then the record of sending."""
    if context.handover is None:
        return False
    from uitstroom.ui import document_actions

    handover = context.handover
    try:
        pupil = context.pupils.record(pupil_id).pupil
    except ServiceError as exc:
        QMessageBox.warning(parent, "Warme overdracht", str(exc))
        return False
    if not ensure_basis(parent, context, pupil_id, signal.receiver, pupil.roepnaam):
        return False
    choices = organisation_choices_for(context, signal.receiver)
    organisation_id = choices[0][1]
    names = {value: label for label, value in choices}
    recipient = document_actions.Recipient(
        signal.receiver,
        organisation_id if isinstance(organisation_id, int) else None,
        names.get(organisation_id, "") if organisation_id is not None else "",
    )
    try:
        dialog = document_actions.preview_document(
            parent,
            handover,
            DocumentKind.OVERDRACHT,
            pupil,
            context.today(),
            recipient,
        )
    except ServiceError as exc:
        QMessageBox.warning(parent, "Warme overdracht", "\n".join(problems_of(exc)))
        return False
    dialog.exec()
    if signal.sent_on is None and signal.id is not None:
        record_sent(parent, context, signal)
    return True


def record_sent(parent: QWidget, context: NazorgContext, signal: Signal) -> Signal | None:
    """Gemeld op…: when, and to which organisation the signal went."""
    if signal.id is None:
        return None
    signal_id = signal.id
    choices: tuple[tuple[str, object], ...] = (("Geen organisatie uit de sociale kaart", None),)
    if context.handover is not None:
        choices = organisation_choices_for(context, signal.receiver)

    def submit(values: dict[str, Any]) -> Signal:
        return context.nazorg.mark_signal_sent(
            signal_id, values["organisation_id"], values["sent_on"]
        )

    dialog = FormDialog(
        "Gemeld op",
        (
            DateField(name="sent_on", label="Gemeld op"),
            ChoiceField(name="organisation_id", label="Bij", choices=choices),
        ),
        {"sent_on": context.today()},
        intro=(
            f"Wanneer is de melding gedaan bij {receiver_words(signal.receiver)}? Zo is later "
            "terug te zien dat de jongere is doorverwezen."
        ),
        accept_text="Vastleggen",
        check=lambda v: [] if v["sent_on"] else ["Vul de datum van de melding in."],
        submit=submit,
        parent=parent,
    )
    if dialog.exec() != FormDialog.DialogCode.Accepted:
        return None
    sent = dialog.result_value
    return sent if isinstance(sent, Signal) else None


def status_is_alarm(status: CallStatus | None) -> bool:
    return status is not None and is_alarm(status)
