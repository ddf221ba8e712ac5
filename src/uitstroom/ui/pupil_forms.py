"""The two pages of the pupil pane that are forms saved with Opslaan: Gegevens and Route.

Each page builds its forms and says when they were edited (`edited`); the pane reads and fills
them, tracks whether anything is unsaved and stores the pupil.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from uitstroom.domain.enums import Route
from uitstroom.ui.forms import ChoiceEdit, Form
from uitstroom.ui.pupil_fields import (
    ARCHIEF_FIELDS,
    CONTACT_FIELDS,
    DETAILS_PER_ROUTE,
    HISTORY_COLUMNS,
    LEERLING_FIELDS,
    ONDERSTEUNING_FIELDS,
    PROFIEL_FIELDS,
    ROUTE_DETAIL_NAMES,
    ROUTE_FIELDS,
    GuardiansEdit,
)
from uitstroom.ui.record_table import RecordTableModel, pane_table

SUPPORT_BOX = "Ondersteuningsbehoefte · bijzonder persoonsgegeven"


def align_labels(forms: Sequence[Form]) -> None:
    """Forms in separate group boxes get one label width, so their fields line up."""
    width = max((form.label_width() for form in forms), default=0)
    for form in forms:
        form.set_label_width(width)


class _ScrollPage(QScrollArea):
    """A page that scrolls as a whole, without a frame."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.setWidget(self.content)


class GegevensPage(_ScrollPage):
    """The pupil, contact, parents, profile, support needs and archive, each in a box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self.content)
        self.leerling_form = Form(LEERLING_FIELDS)
        self.contact_form = Form(CONTACT_FIELDS)
        self.guardians = GuardiansEdit()
        self.guardians.setObjectName("guardians")
        self.profiel_form = Form(PROFIEL_FIELDS)
        self.ondersteuning_form = Form(ONDERSTEUNING_FIELDS)
        self.archief_form = Form(ARCHIEF_FIELDS)
        self.privacy_label = QLabel(
            "Schrijf alleen op wat nodig is voor de begeleiding, "
            "en deel het alleen met toestemming van de leerling (en ouders)."
        )
        self.privacy_label.setWordWrap(True)
        self.privacy_label.setStyleSheet("QLabel { color: #6b3f00; }")
        sections: list[tuple[str, list[QWidget]]] = [
            ("pupil", [self.leerling_form]),
            ("Contact", [self.contact_form]),
            ("Ouders/verzorgers", [self.guardians]),
            ("profiel", [self.profiel_form]),
            (SUPPORT_BOX, [self.privacy_label, self.ondersteuning_form]),
            ("Archief", [self.archief_form]),
        ]
        self.boxes: dict[str, QGroupBox] = {}
        for title, widgets in sections:
            box = QGroupBox(title, self.content)
            self.boxes[title] = box
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget)
            layout.addWidget(box)
        layout.addStretch(1)
        self.forms = (
            self.leerling_form,
            self.contact_form,
            self.profiel_form,
            self.ondersteuning_form,
            self.archief_form,
        )
        for form in self.forms:
            form.edited.connect(self.edited)
        self.guardians.edited.connect(self.edited)
        align_labels([self.leerling_form, self.contact_form, self.profiel_form])
        self.guardians.set_label_width(self.leerling_form.label_width())


class RoutePage(_ScrollPage):
    """The route after school with only its own details shown, and the route's history."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self.content)
        box = QGroupBox("Route na school", self.content)
        self.form = Form(ROUTE_FIELDS, box)
        self.form.edited.connect(self._route_edited)
        # As for a pupil without a route: the details of every route at once made the page,
        # and so the pane, wider than any pupil needs.
        self.show_details(Route.ONBEKEND)
        QVBoxLayout(box).addWidget(self.form)
        layout.addWidget(box)
        history_box = QGroupBox("Routewijzigingen", self.content)
        hint = QLabel(
            "Elke wijziging van de route blijft hier bewaard, met de reden: zo is ook de "
            "bijstelling in december of januari later terug te zien.",
            history_box,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("QLabel { color: #555; }")
        self.history_model = RecordTableModel(HISTORY_COLUMNS, parent=self)
        self.history_table = pane_table(self.history_model, history_box)
        self.history_table.setMinimumHeight(140)
        inner = QVBoxLayout(history_box)
        inner.addWidget(hint)
        inner.addWidget(self.history_table)
        layout.addWidget(history_box, 1)

    def _route_edited(self) -> None:
        route = self.form.editor("route")
        assert isinstance(route, ChoiceEdit)
        chosen = route.field_value()
        self.show_details(chosen if isinstance(chosen, Route) else Route.ONBEKEND)
        self.edited.emit()

    def show_details(self, route: Route) -> None:
        # Details of another route stay in the form (and in the database), only hidden: a
        # pupil who switches back finds them again.
        shown = DETAILS_PER_ROUTE.get(route, ())
        for name in ROUTE_DETAIL_NAMES:
            self.form.set_row_visible(name, name in shown)
