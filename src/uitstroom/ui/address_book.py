"""Bestand → Sociale kaart…: the organisations the school works with, by kind, and their
contact persons. Plans and handovers pick from here instead of retyping; when someone leaves,
'Vertrokken…' moves their open work to a successor so the list survives staff changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.handover import ContactPerson, Organisation, OrganisationKind
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import (
    ChoiceEdit,
    ChoiceField,
    DateField,
    FormDialog,
    TextField,
    confirm,
    enum_choices,
    problems_of,
)
from uitstroom.ui.pupil_fields import values_of
from uitstroom.ui.widgets import done_label, push_button

if TYPE_CHECKING:
    from uitstroom.services.handover import HandoverService

ORGANISATION_FIELDS = (
    ChoiceField(name="kind", label="Soort", choices=enum_choices(OrganisationKind)),
    TextField(name="name", label="Naam", placeholder="bijv. ROC Midden Nederland", max_length=200),
    TextField(
        name="serves",
        label="Voor woongemeenten",
        placeholder="bij een gemeente: bijv. Utrecht, Nieuwegein, IJsselstein",
        tooltip="Het team Werk en Inkomen dat deze woongemeenten bedient, staat bij hun "
        "leerlingen bovenaan.",
    ),
    TextField(name="address", label="Adres", max_length=300),
    TextField(name="phone", label="Telefoon", max_length=40),
    TextField(name="email", label="E-mail", max_length=200),
    TextField(name="note", label="Notitie", multiline=True),
)
CONTACT_FIELDS = (
    TextField(name="name", label="Naam", max_length=200),
    TextField(name="function", label="Functie", placeholder="bijv. intakecoördinator"),
    TextField(name="phone", label="Telefoon", max_length=40),
    TextField(name="email", label="E-mail", max_length=200),
)
NEW = "new"


def moved_text(count: int, successor: str) -> str:
    """'12 afspraken en contacten zijn overgezet naar Sanne de Wit.'"""
    if count == 0:
        return "Er waren geen open afspraken of contacten om over te zetten."
    if count == 1:
        return f"1 afspraak of contact is overgezet naar {successor}."
    return f"{count} afspraken en contacten zijn overgezet naar {successor}."


class AddressBookDialog(QDialog):
    """Signal-free: the caller reads plans again after the dialog closes (`changed`)."""

    def __init__(
        self,
        handover: HandoverService,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sociale kaart")
        self._handover = handover
        self._today = today
        self.changed = False
        self.last_message = ""
        self._organisations: list[Organisation] = []

        layout = QVBoxLayout(self)
        intro = QLabel(
            "De organisaties waar de school mee samenwerkt, met hun contactpersonen. In het "
            "transitieplan en bij de overdracht kiest u contactpersonen uit deze lijst.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("address_book")
        self.tree.setHeaderLabels(["Naam", "Functie", "Telefoon", "E-mail"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        char = self.fontMetrics().averageCharWidth()
        for column, chars in ((1, 30), (2, 14), (3, 28)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, chars * char + 16)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemActivated.connect(lambda *_: self.edit_selected())
        layout.addWidget(self.tree, 1)
        self.show_left = QCheckBox("Toon ook &vertrokken contactpersonen", self)
        self.show_left.toggled.connect(lambda _on: self.reload())
        self.message = done_label(self, "message")
        layout.addWidget(self.show_left)
        layout.addWidget(self.message)

        self.add_organisation_button = push_button(
            self, "&Organisatie toevoegen…", self.add_organisation
        )
        self.add_contact_button = push_button(self, "&Contactpersoon toevoegen…", self.add_contact)
        self.edit_button = push_button(self, "&Wijzigen…", self.edit_selected)
        self.left_button = push_button(
            self,
            "Ve&rtrokken…",
            self.contact_left,
            "Deze contactpersoon werkt er niet meer: zet de open afspraken over naar een opvolger",
        )
        self.delete_button = push_button(
            self, "Organisatie v&erwijderen…", self.delete_organisation
        )
        self.close_button = push_button(self, "&Sluiten", self.accept)
        row = QHBoxLayout()
        for button in (
            self.add_organisation_button,
            self.add_contact_button,
            self.edit_button,
            self.left_button,
            self.delete_button,
        ):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.resize(1040, 640)
        self.reload()
        self.tree.setFocus()

    # --- the list ------------------------------------------------------------------------
    def reload(self, select: tuple[str, int] | None = None) -> None:
        if select is None:
            select = self._selected_key()
        self._organisations = self._handover.organisations()
        self.tree.clear()
        by_kind: dict[OrganisationKind, list[Organisation]] = {}
        for organisation in self._organisations:
            by_kind.setdefault(organisation.kind, []).append(organisation)
        bold = QFont(self.font())
        bold.setBold(True)
        grey = QBrush(QColor("#6b6b6b"))
        chosen: QTreeWidgetItem | None = None
        for kind in OrganisationKind:
            if kind not in by_kind:
                continue
            group = QTreeWidgetItem(self.tree, [f"{kind.label} ({len(by_kind[kind])})"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFirstColumnSpanned(True)
            for organisation in by_kind[kind]:
                place = f" · voor {organisation.serves}" if organisation.serves else ""
                item = QTreeWidgetItem(
                    group,
                    [f"{organisation.name}{place}", "", organisation.phone, organisation.email],
                )
                item.setData(0, Qt.ItemDataRole.UserRole, ("organisation", organisation.id))
                details = [organisation.name + place, organisation.address, organisation.note]
                item.setToolTip(0, "\n".join(d for d in details if d))
                if ("organisation", organisation.id) == select:
                    chosen = item
                for contact in organisation.contacts:
                    if not contact.active and not self.show_left.isChecked():
                        continue
                    name = contact.name
                    if not contact.active:
                        name += f" · vertrokken {contact.left_on:%d-%m-%Y}"
                    child = QTreeWidgetItem(
                        item, [name, contact.function, contact.phone, contact.email]
                    )
                    child.setData(0, Qt.ItemDataRole.UserRole, ("contact", contact.id))
                    child.setToolTip(1, contact.function)
                    if not contact.active:
                        for column in range(4):
                            child.setForeground(column, grey)
                    if ("contact", contact.id) == select:
                        chosen = child
        self.tree.expandAll()
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        if not self._organisations:
            empty = QTreeWidgetItem(
                self.tree,
                ["Nog geen organisaties. Begin met ‘Organisatie toevoegen…’."],
            )
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setFirstColumnSpanned(True)
        self._update_buttons()

    def _selected_key(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def selected_organisation(self) -> Organisation | None:
        key = self._selected_key()
        if key is None:
            return None
        for organisation in self._organisations:
            if key == ("organisation", organisation.id) or (
                key[0] == "contact" and any(c.id == key[1] for c in organisation.contacts)
            ):
                return organisation
        return None

    def selected_contact(self) -> ContactPerson | None:
        key = self._selected_key()
        organisation = self.selected_organisation()
        if key is None or key[0] != "contact" or organisation is None:
            return None
        return next((c for c in organisation.contacts if c.id == key[1]), None)

    def select(self, kind: str, item_id: int) -> bool:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == (kind, item_id):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            found.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _update_buttons(self) -> None:
        organisation = self.selected_organisation()
        contact = self.selected_contact()
        self.add_contact_button.setEnabled(organisation is not None)
        self.edit_button.setEnabled(organisation is not None)
        self.left_button.setEnabled(contact is not None and contact.active)
        self.delete_button.setEnabled(organisation is not None and contact is None)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.last_message = text

    # --- organisations -------------------------------------------------------------------
    def add_organisation(self) -> None:
        self._edit_organisation(Organisation(name="", kind=OrganisationKind.MBO))

    def edit_selected(self) -> None:
        contact = self.selected_contact()
        organisation = self.selected_organisation()
        if contact is not None and organisation is not None:
            self._edit_contact(organisation, contact)
        elif organisation is not None:
            self._edit_organisation(organisation)

    def _edit_organisation(self, organisation: Organisation) -> None:
        def submit(values: dict[str, Any]) -> Organisation:
            return self._handover.save_organisation(replace(organisation, **values))

        dialog = FormDialog(
            "Organisatie toevoegen" if organisation.id is None else "Organisatie wijzigen",
            ORGANISATION_FIELDS,
            values_of(organisation, [f.name for f in ORGANISATION_FIELDS]),
            submit=submit,
            check=lambda v: [] if v["name"] else ["Vul de naam van de organisatie in."],
            parent=self,
        )
        dialog.form.editor("name").setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        saved = dialog.result_value
        assert isinstance(saved, Organisation)
        self.changed = True
        self._say(f"{saved.name} is opgeslagen.")
        self.reload(("organisation", saved.id) if saved.id is not None else None)

    def delete_organisation(self) -> None:
        organisation = self.selected_organisation()
        if organisation is None or organisation.id is None:
            return
        if not confirm(
            self,
            "Organisatie verwijderen",
            f"{organisation.name} en de contactpersonen verwijderen uit de sociale kaart?",
            "Verwijderen",
        ):
            return
        try:
            self._handover.delete_organisation(organisation.id)
        except ServiceError as exc:
            QMessageBox.information(self, "Organisatie verwijderen", "\n".join(problems_of(exc)))
            return
        self.changed = True
        self._say(f"{organisation.name} is verwijderd.")
        self.reload()

    # --- contacts ------------------------------------------------------------------------
    def add_contact(self) -> None:
        organisation = self.selected_organisation()
        if organisation is not None and organisation.id is not None:
            self._edit_contact(
                organisation, ContactPerson(name="", organisation_id=organisation.id)
            )

    def _edit_contact(self, organisation: Organisation, contact: ContactPerson) -> None:
        def submit(values: dict[str, Any]) -> ContactPerson:
            made = replace(contact, organisation_id=organisation.id, **values)
            return self._handover.save_contact(made)

        dialog = FormDialog(
            "Contactpersoon toevoegen" if contact.id is None else "Contactpersoon wijzigen",
            CONTACT_FIELDS,
            values_of(contact, [f.name for f in CONTACT_FIELDS]),
            intro=f"Bij {organisation.name}.",
            submit=submit,
            check=lambda v: [] if v["name"] else ["Vul de naam van de contactpersoon in."],
            parent=self,
        )
        dialog.form.editor("name").setFocus()
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        saved = dialog.result_value
        assert isinstance(saved, ContactPerson)
        self.changed = True
        self._say(f"{saved.name} is opgeslagen.")
        self.reload(("contact", saved.id) if saved.id is not None else None)

    def left_dialog(self) -> LeftDialog | None:
        contact = self.selected_contact()
        organisation = self.selected_organisation()
        if contact is None or organisation is None or contact.id is None:
            return None
        return LeftDialog(self._handover, organisation, contact, self._today(), self)

    def contact_left(self) -> None:
        dialog = self.left_dialog()
        if dialog is None or dialog.exec() != FormDialog.DialogCode.Accepted:
            return
        self.changed = True
        self._say(dialog.summary)
        self.reload(("contact", dialog.successor_id) if dialog.successor_id else None)


class LeftDialog(FormDialog):
    """Vertrokken…: the date, and the successor from the same organisation or a new one."""

    def __init__(
        self,
        handover: HandoverService,
        organisation: Organisation,
        contact: ContactPerson,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        self._handover = handover
        self._organisation = organisation
        self._contact = contact
        self.summary = ""
        self.successor_id: int | None = None
        self._made: ContactPerson | None = None
        others = [c for c in organisation.contacts if c.active and c.id != contact.id]
        choices: tuple[tuple[str, object], ...] = (
            *((c.name + (f", {c.function}" if c.function else ""), c.id) for c in others),
            ("Een nieuwe contactpersoon…", NEW),
            ("Geen opvolger", None),
        )
        fields = (
            DateField(name="left_on", label="Vertrokken op"),
            ChoiceField(name="successor", label="Opvolger", choices=choices),
            TextField(name="new_name", label="Naam opvolger", max_length=200),
            TextField(name="new_function", label="Functie"),
            TextField(name="new_phone", label="Telefoon", max_length=40),
            TextField(name="new_email", label="E-mail", max_length=200),
        )
        super().__init__(
            f"{contact.name} is vertrokken",
            fields,
            {"left_on": today, "successor": choices[0][1]},
            intro=(
                f"{contact.name} werkt niet meer bij {organisation.name}. De open afspraken en "
                "de contactpersoon in de plannen van de huidige leerlingen gaan naar de "
                "opvolger. Afgeronde afspraken en oude documenten blijven zoals ze waren."
            ),
            accept_text="Overzetten",
            check=self._check,
            submit=self._submit,
            parent=parent,
        )
        successor = self.form.editor("successor")
        assert isinstance(successor, ChoiceEdit)
        successor.edited.connect(self._show_new_fields)
        self._show_new_fields()

    def _show_new_fields(self) -> None:
        new = self.form.editor("successor").field_value() == NEW  # type: ignore[attr-defined]
        for name in ("new_name", "new_function", "new_phone", "new_email"):
            self.form.set_row_visible(name, new)

    def _check(self, values: dict[str, Any]) -> list[str]:
        problems = []
        if values["left_on"] is None:
            problems.append("Vul de datum in waarop de contactpersoon is vertrokken.")
        if values["successor"] == NEW and not values["new_name"]:
            problems.append("Vul de naam van de opvolger in.")
        return problems

    def _submit(self, values: dict[str, Any]) -> int:
        successor = values["successor"]
        name = ""
        if successor == NEW and self._made is not None:
            # A retry after a refusal: the successor typed before is already stored.
            successor, name = self._made.id, self._made.name
        elif successor == NEW:
            made = self._made = self._handover.save_contact(
                ContactPerson(
                    name=values["new_name"],
                    function=values["new_function"],
                    phone=values["new_phone"],
                    email=values["new_email"],
                    organisation_id=self._organisation.id,
                ),
            )
            successor, name = made.id, made.name
        elif successor is not None:
            name = next(c.name for c in self._organisation.contacts if c.id == successor)
        assert self._contact.id is not None
        moved = self._handover.contact_left(self._contact.id, values["left_on"], successor)
        self.successor_id = successor
        self.summary = (
            moved_text(moved, name)
            if successor is not None
            else f"{self._contact.name} staat als vertrokken; er is geen opvolger gekozen."
        )
        return moved
