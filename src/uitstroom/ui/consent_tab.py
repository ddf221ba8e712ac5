"""The consent register of one pupil: for each receiver the basis, who consented and when,
which parts may be shared, and withdrawal; below it the documents made for this pupil.

Recording and withdrawing are stored at once (one service call each), like stages: a consent
is a fact about a conversation that happened, not a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.consent_form import SCAN_MAX_BYTES, ScanFile
from uitstroom.domain.handover import (
    SENSITIVE_SECTIONS,
    Consent,
    Consenter,
    DocumentRecord,
    LegalBasis,
    Organisation,
    Receiver,
    Section,
    age_on,
    required_consenter,
)
from uitstroom.domain.model import Pupil
from uitstroom.services.errors import ServiceError, ValidationError
from uitstroom.ui.forms import (
    ChecksField,
    ChoiceEdit,
    ChoiceField,
    DateField,
    Field,
    FileField,
    FormDialog,
    MessageBanner,
    TextField,
    enum_choices,
    problems_of,
)
from uitstroom.ui.paspoort_tab import selected_row
from uitstroom.ui.record_page import hint_label
from uitstroom.ui.record_table import Column, RecordTableModel, pane_table
from uitstroom.ui.widgets import button_row

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService


def day_text(day: date | None) -> str:
    return f"{day:%d-%m-%Y}" if day else "—"


def sections_text(sections: frozenset[Section]) -> str:
    if not sections:
        return "—"
    if sections == frozenset(Section):
        return "Alle delen"
    return ", ".join(s.label for s in Section if s in sections)


def section_choices() -> tuple[tuple[str, object], ...]:
    return tuple(
        (f"{s.label}  ⚠ gevoelig" if s in SENSITIVE_SECTIONS else s.label, s) for s in Section
    )


def organisation_choices(
    organisations: Sequence[Organisation], receiver: Receiver | None
) -> tuple[tuple[str, object], ...]:
    """'Elke organisatie' plus the organisations of the receiver's kind (all, without one)."""
    from uitstroom.domain.handover import RECEIVER_OF_KIND

    choices: list[tuple[str, object]] = [("Elke organisatie van deze soort", None)]
    for organisation in organisations:
        if receiver is None or RECEIVER_OF_KIND[organisation.kind] is receiver:
            choices.append((organisation.name, organisation.id))
    return tuple(choices)


def who_text(consent: Consent) -> str:
    if consent.basis is LegalBasis.WETTELIJKE_TAAK:
        return "— (wettelijke taak)"
    who = "Leerling" if consent.consenter is Consenter.LEERLING else "Ouder/verzorger"
    who = f"{who}: {consent.consenter_name}" if consent.consenter_name else who
    return f"{who}\nformulier: {consent.scan_name}" if consent.scan_name else who


def consenter_hint(pupil: Pupil, day: date) -> str:
    """'Noa is 15: een ouder of verzorger geeft toestemming.'"""
    if pupil.geboortedatum is None:
        return (
            f"De geboortedatum van {pupil.roepnaam} is niet bekend: een ouder of verzorger "
            "geeft toestemming."
        )
    age = age_on(pupil.geboortedatum, day)
    if required_consenter(pupil.geboortedatum, day) is Consenter.LEERLING:
        return f"{pupil.roepnaam} is {age}: de leerling geeft zelf toestemming."
    return f"{pupil.roepnaam} is {age}: een ouder of verzorger geeft toestemming."


def given_text(consent: Consent) -> str:
    if consent.withdrawn_on is None:
        return day_text(consent.given_on)
    return f"{day_text(consent.given_on)}\ningetrokken {day_text(consent.withdrawn_on)}"


# Narrow columns that wrap: the pupil pane is about 480 pixels wide.
CONSENT_COLUMNS = (
    Column("Ontvanger", lambda c: c.receiver.label, chars=15),
    Column("Grond, wie", lambda c: f"{c.basis.label}\n{who_text(c)}", chars=17),
    Column("Datum", given_text, lambda c: c.given_on, chars=12),
    Column("Delen", lambda c: sections_text(c.sections), chars=16, stretch=True),
)


def made_at_text(record: DocumentRecord) -> str:
    try:
        from datetime import datetime

        return f"{datetime.fromisoformat(record.made_at):%d-%m-%Y %H:%M}"
    except ValueError:
        return record.made_at


def receiver_text(record: DocumentRecord) -> str:
    parts = [record.receiver.label if record.receiver else "", record.organisation]
    return ": ".join(p for p in parts if p)


DOCUMENT_COLUMNS = (
    Column(
        "Document",
        lambda d: f"{d.kind.label}\nvoor {receiver_text(d)}" if receiver_text(d) else d.kind.label,
        chars=18,
        stretch=True,
    ),
    Column(
        "Gemaakt", lambda d: f"{made_at_text(d)}\ndoor {d.made_by}", lambda d: d.made_at, chars=17
    ),
    Column("Versie", lambda d: d.data_version or "—", chars=17),
)


class ConsentDialog(FormDialog):
    """Toestemming vastleggen: one generic form, plus a line that says who must consent for
    the chosen date, and the consenter's fields hidden for a legal task."""

    def __init__(
        self,
        pupil: Pupil,
        organisations: Sequence[Organisation],
        today: date,
        submit: Callable[[dict[str, Any]], object],
        parent: QWidget | None = None,
        signed_form: bool = False,
    ) -> None:
        self._pupil = pupil
        self._organisations = organisations
        self._today = today
        fields: tuple[Field, ...] = (
            ChoiceField(name="receiver", label="Ontvanger", choices=enum_choices(Receiver)),
            ChoiceField(
                name="organisation_id",
                label="Organisatie",
                choices=organisation_choices(organisations, Receiver.MBO),
                tooltip="Leeg laten geldt voor elke organisatie van deze soort.",
            ),
            ChoiceField(name="basis", label="Grond", choices=enum_choices(LegalBasis)),
            ChoiceField(
                name="consenter", label="Wie gaf toestemming", choices=enum_choices(Consenter)
            ),
            TextField(name="consenter_name", label="Naam", max_length=200),
            DateField(name="given_on", label="Datum"),
            ChecksField(name="sections", label="Mag gedeeld worden", choices=section_choices()),
            TextField(
                name="note",
                label="Notitie",
                multiline=True,
                placeholder="bijv. besproken in het gesprek over het transitieplan",
            ),
        )
        if signed_form:
            fields += (
                FileField(
                    name="scan",
                    label="Scan (mag leeg)",
                    file_filter="Scan (*.pdf *.png *.jpg *.jpeg)",
                    max_bytes=SCAN_MAX_BYTES,
                    tooltip="De scan of foto van het getekende formulier; wordt versleuteld bewaard.",
                ),
            )
        wanted = required_consenter(pupil.geboortedatum, today)
        super().__init__(
            "Getekend formulier vastleggen" if signed_form else "Toestemming vastleggen",
            fields,
            {
                "receiver": Receiver.MBO,
                "basis": LegalBasis.TOESTEMMING,
                "consenter": wanted,
                "consenter_name": self._name_for(wanted),
                "given_on": today,
                # From paper: only the boxes ticked on the form, nothing ticked beforehand.
                "sections": frozenset()
                if signed_form
                else frozenset(s for s in Section if s not in SENSITIVE_SECTIONS),
            },
            intro=(
                f"Neem over wat op het getekende formulier van {pupil.name} staat: de "
                "ontvanger, wie tekende en op welke datum, en de delen met een kruisje."
                if signed_form
                else f"Met wie mogen gegevens van {pupil.name} gedeeld worden, en welke? "
                "Delen met ⚠ gaan over gezondheid of ondersteuning: vraag daar apart naar."
            ),
            accept_text="Vastleggen",
            submit=submit,
            parent=parent,
        )
        self.hint = QLabel(self)
        self.hint.setObjectName("consenter_hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("QLabel { color: #1d4f7a; font-weight: bold; }")
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.form), self.hint)
        self.setMinimumWidth(660)
        self._receiver_edit = self.form.editor("receiver")
        self._consenter_edit = self.form.editor("consenter")
        assert isinstance(self._receiver_edit, ChoiceEdit)
        assert isinstance(self._consenter_edit, ChoiceEdit)
        self._receiver_edit.edited.connect(self._receiver_changed)
        self._consenter_edit.edited.connect(self._consenter_changed)
        self.form.edited.connect(self._update)
        self._last_consenter = wanted
        self._update()
        self._receiver_edit.setFocus()

    def _value(self, name: str) -> Any:
        """What a field holds now; None while a date cannot be read yet."""
        try:
            return self.form.editor(name).field_value()  # type: ignore[attr-defined]
        except ValueError:
            return None

    def _name_for(self, consenter: Consenter) -> str:
        if consenter is Consenter.LEERLING:
            return self._pupil.name
        guardians = self._pupil.guardians
        return guardians[0].name if guardians else ""

    def _receiver_changed(self) -> None:
        receiver = self._value("receiver")
        self.form.set_choices(
            "organisation_id",
            organisation_choices(
                self._organisations, receiver if isinstance(receiver, Receiver) else None
            ),
        )

    def _consenter_changed(self) -> None:
        """A name filled in for the other consenter follows the choice, a typed one stays."""
        name_edit = self.form.editor("consenter_name")
        chosen = self._value("consenter")
        typed = self._value("consenter_name")
        if isinstance(chosen, Consenter) and typed in ("", self._name_for(self._last_consenter)):
            name_edit.set_field_value(self._name_for(chosen))  # type: ignore[attr-defined]
            self._last_consenter = chosen

    def _update(self) -> None:
        legal = self._value("basis") is LegalBasis.WETTELIJKE_TAAK
        for name in ("consenter", "consenter_name"):
            self.form.set_row_visible(name, not legal)
        given = self._value("given_on") or self._today
        self.hint.setText(
            "Bij een wettelijke taak is geen toestemming nodig; leg wel vast welke delen "
            "gedeeld worden."
            if legal
            else consenter_hint(self._pupil, given)
        )


class ConsentTab(QWidget):
    """Every change is stored at once; `refresh()` reads the register again (after a
    document was made elsewhere, say)."""

    def __init__(
        self,
        handover: HandoverService,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._handover = handover
        self._today = today
        self._pupil: Pupil | None = None

        layout = QVBoxLayout(self)
        self.placeholder = hint_label(
            "Sla de nieuwe leerling eerst op; daarna kunt u toestemming vastleggen.", self
        )
        layout.addWidget(self.placeholder)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        self.consent_box = QGroupBox("Toestemming en wettelijke grond", self)
        inner = QVBoxLayout(self.consent_box)
        inner.addWidget(
            hint_label(
                "Een overdracht bevat alleen de delen waarvoor hier toestemming of een "
                "wettelijke grond staat. Vanaf 16 jaar geeft de leerling zelf toestemming.",
                self.consent_box,
            )
        )
        self.consent_model = RecordTableModel(
            CONSENT_COLUMNS, parent=self, muted=lambda c: c.withdrawn_on is not None
        )
        self.consent_table = pane_table(self.consent_model, self.consent_box, "consents")
        self.record_button = QPushButton("Toestemming &vastleggen…", self.consent_box)
        self.record_button.clicked.connect(self.record_consent)
        self.withdraw_button = QPushButton("&Intrekken…", self.consent_box)
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        # Consent on paper: print the form, record the signed one (with its scan).
        self.form_button = QPushButton("Formulier &afdrukken…", self.consent_box)
        self.form_button.clicked.connect(self.print_form)
        # Short for the narrow pane; the tooltip and the dialog say it in full.
        self.signed_button = QPushButton("Geteken&d terug…", self.consent_box)
        self.signed_button.setToolTip("Getekend formulier vastleggen, met de scan")
        self.signed_button.clicked.connect(self.record_signed_form)
        self.consent_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        row = button_row(self.record_button, self.withdraw_button)
        inner.addLayout(row)
        paper = button_row(self.form_button, self.signed_button)
        inner.addLayout(paper)
        inner.addWidget(self.consent_table)
        layout.addWidget(self.consent_box, 3)

        self.documents_box = QGroupBox("Gemaakte documenten", self)
        inner = QVBoxLayout(self.documents_box)
        self.document_model = RecordTableModel(DOCUMENT_COLUMNS, parent=self)
        self.document_table = pane_table(self.document_model, self.documents_box, "documents")
        inner.addWidget(self.document_table)
        layout.addWidget(self.documents_box, 2)
        self.show_pupil(None)

    @property
    def pupil_id(self) -> int | None:
        return None if self._pupil is None else self._pupil.id

    def show_pupil(self, pupil: Pupil | None) -> None:
        self._pupil = pupil if pupil is not None and pupil.id is not None else None
        known = self._pupil is not None
        self.placeholder.setVisible(not known)
        self.consent_box.setVisible(known)
        self.documents_box.setVisible(known)
        self.banner.clear_message()
        self.refresh()

    def refresh(self) -> None:
        pupil_id = self.pupil_id
        if pupil_id is None:
            self.consent_model.set_rows([])
            self.document_model.set_rows([])
        else:
            self.consent_model.set_rows(self._handover.consents(pupil_id))
            records = self._handover.documents_made(pupil_id)
            self.document_model.set_rows(records)
            self.documents_box.setTitle(f"Gemaakte documenten ({len(records)})")
        self._update_buttons()

    def selected_consent(self) -> Consent | None:
        chosen = selected_row(self.consent_table)
        return chosen if isinstance(chosen, Consent) else None

    def _update_buttons(self) -> None:
        chosen = self.selected_consent()
        self.withdraw_button.setEnabled(chosen is not None and chosen.withdrawn_on is None)

    def consent_dialog(self, signed_form: bool = False) -> ConsentDialog | None:
        pupil = self._pupil
        if pupil is None or pupil.id is None:
            return None
        pupil_id = pupil.id

        def submit(values: dict[str, Any]) -> Consent:
            legal = values["basis"] is LegalBasis.WETTELIJKE_TAAK
            if values["given_on"] is None:
                raise ValidationError(["Vul de datum in waarop toestemming is gegeven."])
            consent = Consent(
                receiver=values["receiver"],
                basis=values["basis"],
                sections=frozenset(values["sections"]),
                given_on=values["given_on"],
                consenter=None if legal else values["consenter"],
                consenter_name="" if legal else values["consenter_name"],
                organisation_id=values["organisation_id"],
                note=values["note"],
            )
            chosen = values.get("scan")
            scan = ScanFile(*chosen) if chosen is not None else None
            return self._handover.record_consent(pupil_id, consent, scan)

        dialog = ConsentDialog(
            pupil, self._handover.organisations(), self._today(), submit, self, signed_form
        )
        dialog.accepted.connect(self.refresh)
        return dialog

    def record_consent(self) -> None:
        dialog = self.consent_dialog()
        if dialog is not None:
            dialog.exec()

    def record_signed_form(self) -> None:
        dialog = self.consent_dialog(signed_form=True)
        if dialog is not None:
            dialog.exec()

    def print_form(self) -> None:
        if self._pupil is None:
            return
        from uitstroom.ui.consent_forms import print_consent_form

        print_consent_form(self, self._handover, self._pupil, self._today())
        self.refresh()

    def withdraw_consent(self) -> None:
        chosen = self.selected_consent()
        if chosen is None or chosen.id is None:
            return
        consent_id = chosen.id
        dialog = FormDialog(
            "Toestemming intrekken",
            (DateField(name="on", label="Ingetrokken op"),),
            {"on": self._today()},
            intro=(
                f"De toestemming voor {chosen.receiver.label} ({who_text(chosen)}, "
                f"{day_text(chosen.given_on)}) intrekken? Vanaf deze datum worden deze gegevens "
                "niet meer gedeeld. Wat al gedeeld is, blijft in het overzicht van documenten."
            ),
            accept_text="Intrekken",
            check=lambda v: [] if v["on"] else ["Vul de datum van intrekken in."],
            submit=lambda v: self._handover.withdraw_consent(consent_id, v["on"]),
            parent=self,
        )
        if dialog.exec() == FormDialog.DialogCode.Accepted:
            self.refresh()

    def show_error(self, error: ServiceError) -> None:
        self.banner.show_problems(problems_of(error))
