"""Checklist aanpassen: the school's task templates per route. Switch a task off, move its date,
add the school's own tasks, or go back to the standard list. Saving re-plans every pupil's
open tasks; finished tasks stay as they are."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.calendar import Anchor, SchoolCalendar
from uitstroom.domain.checklist import Owner, TaskTemplate, dutch_day
from uitstroom.domain.enums import Route
from uitstroom.services.errors import ServiceError
from uitstroom.ui.forms import (
    CheckField,
    ChecksField,
    ChoiceField,
    Field,
    FormDialog,
    MessageBanner,
    NumberField,
    TextField,
    confirm,
    enum_choices,
    problems_of,
)
from uitstroom.ui.record_table import ROW_ROLE, Column, RecordTableModel, pane_table
from uitstroom.ui.widgets import button_row, push_button

if TYPE_CHECKING:
    from uitstroom.services.planning import PlanningService

ROUTES = (Route.ARBEID, Route.DOORLEREN, Route.DAGBESTEDING)
ANCHOR_ORDER = {anchor: n for n, anchor in enumerate(Anchor)}


def when_text(template: TaskTemplate) -> str:
    """'6 weken vóór de laatste schooldag', 'op 1 april', '61 dagen na begin van het schooljaar'."""
    days = template.offset_days
    anchor = template.anchor.label
    if days == 0:
        return f"op {anchor}"
    amount = abs(days)
    unit = (
        f"{amount // 7} {'week' if amount == 7 else 'weken'}"
        if amount % 7 == 0
        else f"{amount} {'dag' if amount == 1 else 'dagen'}"
    )
    return f"{unit} {'vóór' if days < 0 else 'na'} {anchor}"


def routes_text(template: TaskTemplate) -> str:
    if template.routes is None:
        return "Iedereen"
    return ", ".join(r.label for r in ROUTES if r in template.routes) or "Niemand"


def template_columns(school_calendar: SchoolCalendar) -> tuple[Column, ...]:
    return (
        Column("Aan", lambda t: "✓ aan" if t.active else "uit", lambda t: not t.active, chars=6),
        Column("Taak", lambda t: t.title, chars=28, stretch=True),
        Column("Voor", routes_text, chars=14),
        Column("Wie", lambda t: t.owner.label, chars=14),
        Column(
            "Wanneer",
            when_text,
            lambda t: (ANCHOR_ORDER[t.anchor], t.offset_days),
            chars=34,
        ),
        Column(
            "Dit jaar",
            lambda t: dutch_day(t.due(school_calendar)),
            lambda t: t.due(school_calendar),
            chars=13,
        ),
    )


def template_fields(custom: bool) -> tuple[Field, ...]:
    fields: list[Field] = [
        CheckField(name="active", label="", text="Deze taak staat aan"),
        TextField(name="title", label="Taak", max_length=200),
        ChoiceField(name="owner", label="Wie doet het", choices=enum_choices(Owner)),
        ChoiceField(name="anchor", label="Datum vanaf", choices=enum_choices(Anchor)),
        NumberField(
            name="offset_days",
            label="Dagen erna",
            minimum=-365,
            maximum=365,
            suffix=" dagen",
            tooltip="Een negatief getal is vóór die datum: -42 is zes weken ervoor.",
        ),
    ]
    if custom:
        fields.append(
            ChecksField(
                name="routes",
                label="Voor de route",
                choices=tuple((r.label, r) for r in ROUTES),
                tooltip="Niets aangevinkt: voor iedereen.",
            )
        )
    return tuple(fields)


def own_code(title: str, taken: set[str]) -> str:
    base = "eigen-" + (re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:30] or "taak")
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


class TemplatesDialog(QDialog):
    def __init__(
        self,
        planning: PlanningService,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Checklist aanpassen")
        self.setMinimumSize(980, 560)
        self._planning = planning
        self._templates: list[TaskTemplate] = planning.templates()
        self._calendar = planning.calendar()

        layout = QVBoxLayout(self)
        intro = QLabel(
            "De taken die elke leerling in het laatste jaar krijgt, per route. Zet een taak uit, "
            "verschuif de datum of voeg een eigen taak toe. Bij Opslaan worden de open taken van "
            "alle leerlingen bijgewerkt; wat al is afgevinkt, blijft staan.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        self.route_filter = QComboBox(self)
        self.route_filter.addItem("Alle routes", None)
        for route in ROUTES:
            self.route_filter.addItem(route.label, route)
        self.route_filter.currentIndexChanged.connect(self._show)
        label = QLabel("&Route", self)
        label.setBuddy(self.route_filter)
        row = button_row(label, self.route_filter)
        layout.addLayout(row)

        self.model = RecordTableModel(
            template_columns(self._calendar), parent=self, muted=lambda t: not t.active
        )
        self.table = pane_table(self.model, self, lines=1)  # a wide dialog
        self.table.setObjectName("templates")
        self.table.activated.connect(lambda _index: self.edit_selected())
        toggle = QAction(self.table)
        toggle.setShortcut(QKeySequence(Qt.Key.Key_Space))
        toggle.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        toggle.triggered.connect(self.toggle_selected)
        self.table.addAction(toggle)
        layout.addWidget(self.table, 1)

        edit = push_button(
            self, "&Wijzigen…", self.edit_selected, "De gekozen taak wijzigen (Enter)"
        )
        toggle_button = push_button(
            self, "Aan/&uit", self.toggle_selected, "De gekozen taak aan- of uitzetten (spatie)"
        )
        add = push_button(self, "&Eigen taak toevoegen…", self.add_own)
        reset = push_button(self, "&Standaard terugzetten…", self.reset)
        buttons = QHBoxLayout()
        for button in (edit, toggle_button, add):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(reset)
        layout.addLayout(buttons)

        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Opslaan")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self._show()

    @property
    def templates(self) -> list[TaskTemplate]:
        return list(self._templates)

    def _show(self, keep: str | None = None) -> None:
        route = self.route_filter.currentData()
        rows = [
            t for t in self._templates if route is None or t.routes is None or route in t.routes
        ]
        rows.sort(key=lambda t: (t.due(self._calendar), t.title.casefold()))
        self.model.set_rows(rows)
        for n, template in enumerate(rows):
            if template.code == keep:
                self.table.setCurrentIndex(self.model.index(n, 0))
                return
        if rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def selected(self) -> TaskTemplate | None:
        index = self.table.currentIndex()
        return None if not index.isValid() else index.data(ROW_ROLE)

    def _replace(self, old: TaskTemplate, new: TaskTemplate) -> None:
        self._templates = [new if t.code == old.code else t for t in self._templates]
        self._show(keep=new.code)

    def toggle_selected(self) -> None:
        template = self.selected()
        if template is not None:
            self._replace(template, replace(template, active=not template.active))

    def edit_selected(self) -> None:
        template = self.selected()
        if template is None:
            return
        values = self._ask("Taak wijzigen", template, template.custom)
        if values is not None:
            self._replace(template, self._with_values(template, values))

    def add_own(self) -> None:
        blank = TaskTemplate(
            code="",
            title="",
            open_text="",
            deadline_name="de datum",
            owner=Owner.SCHOOL,
            anchor=Anchor.LAST_SCHOOL_DAY,
            offset_days=-14,
            custom=True,
        )
        values = self._ask("Eigen taak toevoegen", blank, True)
        if values is None:
            return
        code = own_code(values["title"], {t.code for t in self._templates})
        added = self._with_values(replace(blank, code=code), values)
        self._templates.append(added)
        self.route_filter.setCurrentIndex(0)
        self._show(keep=added.code)

    def _ask(self, title: str, template: TaskTemplate, custom: bool) -> dict[str, Any] | None:
        values: dict[str, Any] = {
            "active": template.active,
            "title": template.title,
            "owner": template.owner,
            "anchor": template.anchor,
            "offset_days": template.offset_days,
            "routes": template.routes or frozenset(),
        }
        dialog = FormDialog(
            title,
            template_fields(custom),
            values,
            intro="Een negatief aantal dagen ligt vóór de gekozen datum.",
            accept_text="OK",
            check=lambda v: [] if v["title"] else ["Schrijf op wat er moet gebeuren."],
            parent=self,
        )
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return None
        return dialog.values

    @staticmethod
    def _with_values(template: TaskTemplate, values: dict[str, Any]) -> TaskTemplate:
        changed = replace(
            template,
            active=bool(values["active"]),
            title=str(values["title"]),
            owner=values["owner"],
            anchor=values["anchor"],
            offset_days=values["offset_days"] or 0,
        )
        if template.custom:
            routes = frozenset(values.get("routes") or ())
            changed = replace(
                changed,
                routes=routes or None,
                # The school's own task reads the same in the status column as the standard ones.
                open_text=f"Nog niet gedaan: {changed.title}",
            )
        return changed

    def reset(self) -> None:
        if not confirm(
            self,
            "Standaard terugzetten",
            "De standaardchecklist terugzetten? Eigen taken en gewijzigde data verdwijnen; "
            "de open taken van alle leerlingen worden bijgewerkt. Afgevinkte taken blijven.",
            "Terugzetten",
        ):
            return
        try:
            self._planning.reset_templates()
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        super().accept()

    def accept(self) -> None:
        try:
            self._planning.save_templates(self._templates)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        super().accept()
