"""The pupil's transitieplan: the goals for the last year, the agreements (wie doet wat
wanneer, linked to a checklist task where one matches) and the contact persons per role,
picked from the sociale kaart instead of typed again.

Like the Paspoort tab, edits wait for the pupil view's Opslaan (Ctrl+S).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.handover import (
    GUIDING_QUESTIONS,
    Agreement,
    AgreementParty,
    ContactRole,
    Organisation,
    PlanContact,
    Transitieplan,
)
from uitstroom.ui.forms import (
    ChoiceField,
    DateField,
    FormDialog,
    NotesEdit,
    TextField,
    enum_choices,
)
from uitstroom.ui.paspoort_tab import selected_row
from uitstroom.ui.record_page import RecordPage, hint_label
from uitstroom.ui.record_table import Column, RecordTableModel, pane_table
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService
    from uitstroom.services.planning import PlanningService

Choices = tuple[tuple[str, object], ...]


class ContactNames:
    """Contact ids in words: 'Sanne de Wit (ROC Midden)'; a contact who left says so."""

    def __init__(self, organisations: Sequence[Organisation] = ()) -> None:
        self._names: dict[int, str] = {}
        for organisation in organisations:
            for contact in organisation.contacts:
                if contact.id is None:
                    continue
                left = " · vertrokken" if not contact.active else ""
                self._names[contact.id] = f"{contact.name} ({organisation.name}){left}"

    def __call__(self, contact_id: int | None) -> str:
        if contact_id is None:
            return "—"
        return self._names.get(contact_id, "onbekende contactpersoon")


class TransitieplanTab(RecordPage[Transitieplan]):
    """Signal: edited() on every user edit."""

    def __init__(
        self,
        handover: HandoverService,
        planning: PlanningService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            handover,
            Transitieplan(),
            "Sla de nieuwe leerling eerst op; daarna kunt u het transitieplan maken.",
            parent,
        )
        self._planning = planning
        self._woongemeente = ""
        self._names = ContactNames()
        self._tasks: dict[str, str] = {}
        content, layout = self.content, self.form

        goals_box = QGroupBox("Doelen voor het laatste schooljaar", content)
        inner = QVBoxLayout(goals_box)
        question = hint_label(GUIDING_QUESTIONS["goals"], goals_box)
        self.goals = NotesEdit("", goals_box)
        self.goals.setObjectName("goals")
        self.goals.setAccessibleName("Doelen")
        self.goals.edited.connect(self.edited)
        question.setBuddy(self.goals)
        inner.addWidget(question)
        inner.addWidget(self.goals)
        layout.addWidget(goals_box)

        box = QGroupBox("Afspraken: wie doet wat, wanneer", content)
        inner = QVBoxLayout(box)
        self.agreement_model = RecordTableModel(self._agreement_columns(), parent=self)
        self.agreement_table = pane_table(self.agreement_model, box, "agreements")
        self.agreement_table.activated.connect(lambda _index: self.edit_agreement())
        self._on_delete(self.agreement_table, self.remove_agreement)
        self.add_agreement_button = push_button(
            box, "Toe&voegen…", self.add_agreement, "Afspraak toevoegen"
        )
        self.edit_agreement_button = push_button(box, "Wij&zigen…", self.edit_agreement)
        self.remove_agreement_button = push_button(box, "&Weghalen", self.remove_agreement)
        self.up_button = push_button(
            box,
            "Omhoog",
            lambda: self.move_agreement(-1),
            "Afspraak een plaats omhoog (Ctrl+Omhoog)",
        )
        self.down_button = push_button(
            box,
            "Omlaag",
            lambda: self.move_agreement(1),
            "Afspraak een plaats omlaag (Ctrl+Omlaag)",
        )
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            move = QAction(self.agreement_table)
            move.setShortcut(QKeySequence(keys))
            move.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            move.triggered.connect(lambda _checked=False, s=step: self.move_agreement(s))
            self.agreement_table.addAction(move)
        # Room for five or six agreements of three lines; the tab scrolls, not this list.
        self.agreement_table.setMinimumHeight(self.fontMetrics().height() * 26)
        inner.addWidget(self.agreement_table)
        # Two rows of buttons: in one row the pane on a laptop cut off 'Omlaag'.
        inner.addLayout(
            self._row(
                self.add_agreement_button, self.edit_agreement_button, self.remove_agreement_button
            )
        )
        inner.addLayout(self._row(self.up_button, self.down_button))
        layout.addWidget(box)

        box = QGroupBox("Contactpersonen", content)
        inner = QVBoxLayout(box)
        inner.addWidget(
            hint_label(
                "Kies de contactpersonen uit de sociale kaart (menu Bestand). Vertrekt iemand, "
                "dan zet de sociale kaart de open afspraken over naar de opvolger.",
                box,
            )
        )
        self.contact_model = RecordTableModel(
            (
                Column("Rol", lambda c: c.role.label, chars=12),
                Column(
                    "Contactpersoon", lambda c: self._names(c.contact_id), chars=30, stretch=True
                ),
            ),
            parent=self,
        )
        self.contact_table = pane_table(self.contact_model, box, "plan_contacts")
        self._on_delete(self.contact_table, self.remove_contact)
        self.contact_table.setMinimumHeight(self.fontMetrics().height() * 6)
        self.contact_table.setMaximumHeight(self.fontMetrics().height() * 10)
        self.add_contact_button = push_button(box, "Contactpersoon &kiezen…", self.add_contact)
        self.remove_contact_button = push_button(
            box, "Weghalen", self.remove_contact, "Contactpersoon weghalen"
        )
        inner.addWidget(self.contact_table)
        inner.addLayout(self._row(self.add_contact_button, self.remove_contact_button))
        layout.addWidget(box)
        for table in (self.agreement_table, self.contact_table):
            table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.finish_page()

    # --- building ------------------------------------------------------------------------
    def _agreement_columns(self) -> tuple[Column, ...]:
        def when(a: Agreement) -> str:
            return f"{a.due:%d-%m-%Y}" if a.due else "—"

        def what(a: Agreement) -> str:
            task = self._tasks.get(a.task_code) if a.task_code else None
            return f"{a.what}\nTaak: {task}" if task else a.what

        def who(a: Agreement) -> str:
            contact = self._names(a.contact_id) if a.contact_id is not None else ""
            return f"{a.party.label}\n{contact}" if contact else a.party.label

        # Four columns, the contact person under the party: five left 'Wat' a word wide in
        # the pane on a laptop, and the contact person past the right edge.
        return (
            Column("", lambda a: "✓" if a.done else "", chars=2),
            Column("Wat", what, chars=26, stretch=True),
            Column("Wie", who, chars=12),
            Column("Wanneer", when, lambda a: a.due, chars=11),
        )

    @staticmethod
    def _on_delete(table: QTableView, slot: object) -> None:
        delete = QAction("Weghalen", table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(slot)
        table.addAction(delete)

    @staticmethod
    def _row(*buttons: QPushButton | None) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            if button is None:
                row.addSpacing(12)
            else:
                row.addWidget(button)
        row.addStretch(1)
        return row

    # --- loading -------------------------------------------------------------------------
    def show_pupil(self, pupil_id: int | None, woongemeente: str = "") -> None:
        self._woongemeente = woongemeente
        self._open(pupil_id)

    def _load(self, pupil_id: int) -> Transitieplan:
        self._names = ContactNames(self._handover.organisations())
        self._tasks = (
            {t.code: t.title for t in self._planning.tasks(pupil_id)}
            if self._planning is not None
            else {}
        )
        return self._handover.transitieplan(pupil_id)

    def _store(self, pupil_id: int, record: Transitieplan) -> Transitieplan:
        return self._handover.save_transitieplan(pupil_id, record)

    def _fill(self, plan: Transitieplan) -> None:
        self.goals.blockSignals(True)
        self.goals.set_field_value(plan.goals)
        self.goals.blockSignals(False)
        self.agreement_model.set_rows(plan.agreements)
        self.contact_model.set_rows(plan.contacts)

    # --- state ---------------------------------------------------------------------------
    def plan(self) -> Transitieplan:
        return replace(
            self._loaded,
            goals=self.goals.field_value(),
            agreements=tuple(self.agreement_model.rows),
            contacts=tuple(self.contact_model.rows),
        )

    def current(self) -> Transitieplan:
        return self.plan()

    def first_editor(self) -> QWidget:
        return self.goals

    # --- choices -------------------------------------------------------------------------
    def contact_choices(self, keep: int | None = None) -> Choices:
        """Active contacts, the gemeente teams serving the pupil's woongemeente first; the
        contact already chosen stays in the list even if they left."""
        pairs = self._handover.contacts_for(woongemeente=self._woongemeente)
        choices: list[tuple[str, object]] = [("— geen —", None)]
        ids = set()
        for organisation, contact in pairs:
            ids.add(contact.id)
            role = organisation.kind.label
            choices.append((f"{contact.name} ({organisation.name}, {role})", contact.id))
        if keep is not None and keep not in ids:
            choices.append((self._names(keep), keep))
        return tuple(choices)

    def task_choices(self) -> Choices:
        tasks = sorted(self._tasks.items(), key=lambda item: item[1])
        return (("— geen —", ""), *((title, code) for code, title in tasks))

    # --- agreements ----------------------------------------------------------------------
    def selected_agreement(self) -> Agreement | None:
        chosen = selected_row(self.agreement_table)
        return chosen if isinstance(chosen, Agreement) else None

    def add_agreement(self) -> None:
        self._edit_agreement(None)

    def edit_agreement(self) -> None:
        chosen = self.selected_agreement()
        if chosen is not None:
            self._edit_agreement(chosen)

    def _edit_agreement(self, agreement: Agreement | None) -> None:
        start = agreement or Agreement(what="", party=AgreementParty.LEERLING)
        fields = (
            TextField(name="what", label="Wat", placeholder="bijv. Open dag ROC bezoeken"),
            ChoiceField(name="party", label="Wie", choices=enum_choices(AgreementParty)),
            DateField(name="due", label="Wanneer"),
            ChoiceField(
                name="contact_id",
                label="Contactpersoon",
                choices=self.contact_choices(start.contact_id),
            ),
            ChoiceField(
                name="task_code",
                label="Gekoppelde taak",
                choices=self.task_choices(),
                tooltip="Is de taak in de checklist afgevinkt, dan staat de afspraak als gedaan.",
            ),
        )
        dialog = FormDialog(
            "Afspraak" + (" wijzigen" if agreement else " toevoegen"),
            fields,
            {
                "what": start.what,
                "party": start.party,
                "due": start.due,
                "contact_id": start.contact_id,
                "task_code": start.task_code,
            },
            intro="Wordt bewaard met Opslaan (Ctrl+S), samen met de rest van het plan.",
            accept_text="OK",
            check=lambda v: [] if v["what"] else ["Schrijf op wat er moet gebeuren."],
            parent=self,
        )
        dialog.form.editor("what").setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        made = replace(start, **dialog.values)
        rows = list(self.agreement_model.rows)
        if agreement is None:
            rows.append(made)
        else:
            rows[rows.index(agreement)] = made
        self._set_agreements(rows, rows.index(made))

    def remove_agreement(self) -> None:
        chosen = self.selected_agreement()
        if chosen is None:
            return
        rows = list(self.agreement_model.rows)
        at = rows.index(chosen)
        del rows[at]
        self._set_agreements(rows, min(at, len(rows) - 1))

    def move_agreement(self, step: int) -> None:
        chosen = self.selected_agreement()
        if chosen is None:
            return
        rows = list(self.agreement_model.rows)
        at = rows.index(chosen)
        to = at + step
        if not 0 <= to < len(rows):
            return
        rows[at], rows[to] = rows[to], rows[at]
        self._set_agreements(rows, to)

    def _set_agreements(self, rows: list[Agreement], current: int) -> None:
        self.agreement_model.set_rows(rows)
        if 0 <= current < len(rows):
            self.agreement_table.setCurrentIndex(self.agreement_model.index(current, 1))
        self.agreement_table.setFocus()
        self._update_buttons()
        self.edited.emit()

    # --- contacts ------------------------------------------------------------------------
    def add_contact(self) -> None:
        dialog = FormDialog(
            "Contactpersoon kiezen",
            (
                ChoiceField(name="role", label="Rol", choices=enum_choices(ContactRole)),
                ChoiceField(
                    name="contact_id", label="Contactpersoon", choices=self.contact_choices()
                ),
            ),
            intro=(
                "Staat de contactpersoon er niet bij? Voeg die eerst toe in de sociale kaart "
                "(menu Bestand)."
            ),
            accept_text="OK",
            check=lambda v: [] if v["contact_id"] else ["Kies een contactpersoon."],
            parent=self,
        )
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        rows = [*self.contact_model.rows, PlanContact(**dialog.values)]
        self.contact_model.set_rows(rows)
        self._update_buttons()
        self.edited.emit()

    def remove_contact(self) -> None:
        chosen = selected_row(self.contact_table)
        if chosen is None:
            return
        self.contact_model.set_rows([c for c in self.contact_model.rows if c is not chosen])
        self._update_buttons()
        self.edited.emit()

    def _update_buttons(self) -> None:
        agreement = self.selected_agreement()
        rows = self.agreement_model.rows
        at = rows.index(agreement) if agreement is not None else -1
        self.edit_agreement_button.setEnabled(agreement is not None)
        self.remove_agreement_button.setEnabled(agreement is not None)
        self.up_button.setEnabled(at > 0)
        self.down_button.setEnabled(0 <= at < len(rows) - 1)
        self.remove_contact_button.setEnabled(selected_row(self.contact_table) is not None)
