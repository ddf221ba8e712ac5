"""Uitstroom vastleggen: the uitstroomdatum and where the pupil actually went, for one pupil (also
in the middle of the year) or for a whole klas at the end of the year.

The fields shown follow the destination: werk asks for the employer, the contract and the
instruments; mbo for the instelling, opleiding, niveau and leerweg. Details of another
destination stay in the form, only hidden, so switching back finds them again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import (
    ContractSoort,
    Instrument,
    Leerweg,
    Niveau,
)
from uitstroom.domain.model import Pupil
from uitstroom.domain.nazorg import Destination, Leaving, leaving_from_route
from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError, ValidationError
from uitstroom.ui.forms import (
    ChecksField,
    ChoiceEdit,
    ChoiceField,
    DateEdit,
    DateField,
    Field,
    FormDialog,
    FormError,
    MessageBanner,
    TextField,
    enum_choices,
    problems_of,
)
from uitstroom.ui.record_table import natural_key
from uitstroom.ui.widgets import push_button

if TYPE_CHECKING:
    from uitstroom.services.nazorg import NazorgService


LEAVING_FIELDS: tuple[Field, ...] = (
    DateField(name="left_on", label="Uitstroomdatum", tooltip="De laatste schooldag."),
    ChoiceField(name="destination", label="Bestemming", choices=enum_choices(Destination)),
    TextField(name="employer", label="Werkgever", max_length=200),
    ChoiceField(name="contract", label="Contract", choices=enum_choices(ContractSoort)),
    ChecksField(name="instruments", label="Met", choices=enum_choices(Instrument)),
    TextField(name="mbo_instelling", label="Mbo-instelling", max_length=200),
    TextField(name="opleiding", label="Opleiding", max_length=200),
    ChoiceField(name="niveau", label="Niveau", choices=enum_choices(Niveau, empty="—")),
    ChoiceField(name="leerweg", label="Leerweg", choices=enum_choices(Leerweg, empty="—")),
    TextField(
        name="note",
        label="Toelichting",
        multiline=True,
        placeholder="bijv. dagbesteding bij De Boerderij, drie dagen per week",
    ),
)
DETAIL_NAMES = (
    "employer",
    "contract",
    "instruments",
    "mbo_instelling",
    "opleiding",
    "niveau",
    "leerweg",
)
DETAILS_PER_DESTINATION: Mapping[Destination, tuple[str, ...]] = {
    Destination.WERK: ("employer", "contract", "instruments"),
    Destination.BESCHUT_WERK: ("employer", "instruments"),
    Destination.MBO: ("mbo_instelling", "opleiding", "niveau", "leerweg"),
}


def guess_leaving(pupil: Pupil, left_on: date) -> Leaving:
    """What the route after school says, as the service guesses it for a whole klas."""
    return leaving_from_route(pupil.route, left_on)


def leaving_values(leaving: Leaving) -> dict[str, Any]:
    return {name: getattr(leaving, name) for name in (f.name for f in LEAVING_FIELDS)}


def leaving_from(values: Mapping[str, Any]) -> Leaving:
    if values.get("left_on") is None:
        raise ValidationError(["Vul de uitstroomdatum in."])
    return Leaving(
        left_on=values["left_on"],
        destination=values["destination"],
        employer=values["employer"],
        contract=values["contract"],
        instruments=frozenset(values["instruments"]),
        mbo_instelling=values["mbo_instelling"],
        opleiding=values["opleiding"],
        niveau=values["niveau"],
        leerweg=values["leerweg"],
        note=values["note"],
    )


def destination_text(leaving: Leaving) -> str:
    """'Werk: Bakkerij Jansen (Tijdelijk contract)', 'Mbo: ROC Horizon, Kok (Entree)'."""
    label = leaving.destination.label
    if leaving.destination in (Destination.WERK, Destination.BESCHUT_WERK) and leaving.employer:
        extra = (
            f" ({leaving.contract.label})" if leaving.contract is not ContractSoort.ONBEKEND else ""
        )
        return f"{label}: {leaving.employer}{extra}"
    if leaving.destination is Destination.MBO:
        where = ", ".join(p for p in (leaving.mbo_instelling, leaving.opleiding) if p)
        level = f" ({leaving.niveau.label})" if leaving.niveau else ""
        return f"{label}: {where}{level}" if where else label
    if leaving.note and leaving.destination is Destination.DAGBESTEDING:
        return f"{label}: {leaving.note.splitlines()[0]}"
    return label


class LeavingDialog(FormDialog):
    """Uitstroom vastleggen for one pupil; `submit` stores through the service."""

    def __init__(
        self,
        pupil_name: str,
        values: Leaving,
        submit: Callable[[dict[str, Any]], object],
        again: bool = False,
        parent: QWidget | None = None,
        with_date: bool = True,
    ) -> None:
        intro = (
            f"Wanneer verliet {pupil_name} de school, en waar ging hij of zij heen? Uit de "
            "uitstroomdatum maakt Uitstroom het plan voor de nazorggesprekken."
        )
        if again:
            intro += (
                " De uitstroom is al vastgelegd: wijzigt u de datum, dan schuiven de open "
                "gesprekken mee. Gevoerde gesprekken blijven staan."
            )
        super().__init__(
            "Uitstroom vastleggen",
            LEAVING_FIELDS,
            leaving_values(values),
            intro=intro,
            accept_text="Vastleggen",
            submit=submit,
            parent=parent,
        )
        self.setMinimumWidth(560)
        self.form.set_row_visible("left_on", with_date)
        destination = self.form.editor("destination")
        assert isinstance(destination, ChoiceEdit)
        self._destination = destination
        destination.edited.connect(self._follow_destination)
        self._follow_destination()
        first = self.form.editor("left_on" if with_date else "destination")
        first.setFocus()

    def _follow_destination(self) -> None:
        chosen = self._destination.field_value()
        shown = DETAILS_PER_DESTINATION.get(chosen, ()) if isinstance(chosen, Destination) else ()
        for name in DETAIL_NAMES:
            self.form.set_row_visible(name, name in shown)
        self.adjustSize()


def record_leaving(
    parent: QWidget,
    nazorg: NazorgService,
    pupil: Pupil,
    today: date,
) -> bool:
    """Uitstroom vastleggen… for one pupil: pre-filled with what is recorded, or with what the
    route says. True when something was stored."""
    assert pupil.id is not None
    pupil_id = pupil.id
    existing = nazorg.file(pupil_id)
    values = existing.leaving if existing is not None else guess_leaving(pupil, today)

    def submit(values: dict[str, Any]) -> object:
        return nazorg.record_leaving(pupil_id, leaving_from(values))

    dialog = LeavingDialog(pupil.name, values, submit, again=existing is not None, parent=parent)
    return dialog.exec() == FormDialog.DialogCode.Accepted


# --- a whole klas ----------------------------------------------------------------------------
ROUTE_GUESS = "volgens de route"


class KlasLeavingDialog(QDialog):
    """Uitstroom voor een hele klas…: the klas, the date, and per pupil the destination that the
    route suggests; change a row's destination, or its details with Details… (Enter)."""

    def __init__(
        self,
        nazorg: NazorgService,
        pupils: Sequence[Pupil],
        today: date,
        left_on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Uitstroom voor een hele klas")
        self.setMinimumSize(760, 520)
        self._nazorg = nazorg
        self._today = today
        recorded = {file.pupil_id for file in nazorg.files()}
        self._all = [p for p in pupils if not p.archived and p.id is not None]
        self._recorded = recorded
        # Per pupil: the destination chosen in this dialog; absent means the route's guess.
        self._chosen: dict[int, Leaving] = {}
        self.count = 0

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Aan het eind van het schooljaar: leg voor de hele klas tegelijk vast dat de "
            "leerlingen de school verlaten. De bestemming staat al ingevuld zoals de route na "
            "school zegt; pas aan wat anders liep. Leerlingen van wie de uitstroom al is "
            "vastgelegd, blijven zoals ze zijn.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = MessageBanner(self)
        layout.addWidget(self.banner)

        top = QHBoxLayout()
        self.klas = QComboBox(self)
        self.klas.setObjectName("klas")
        klassen = sorted({p.klas for p in self._all if p.klas}, key=natural_key)
        for klas in klassen:
            self.klas.addItem(klas, klas)
        klas_label = QLabel("&Klas", self)
        klas_label.setBuddy(self.klas)
        self.left_on = DateEdit(self)
        self.left_on.setObjectName("left_on")
        self.left_on.set_field_value(left_on)
        date_label = QLabel("&Uitstroomdatum", self)
        date_label.setBuddy(self.left_on)
        top.addWidget(klas_label)
        top.addWidget(self.klas)
        top.addSpacing(12)
        top.addWidget(date_label)
        top.addWidget(self.left_on)
        top.addStretch(1)
        layout.addLayout(top)

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("klas_pupils")
        self.table.setHorizontalHeaderLabels(["Leerling", "Bestemming", "Waar"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        char = self.fontMetrics().averageCharWidth()
        header.resizeSection(0, 26 * char)
        header.resizeSection(1, 32 * char)
        self.table.setWordWrap(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.edit_details())
        layout.addWidget(self.table, 1)

        self.details_button = push_button(
            self,
            "&Details…",
            self.edit_details,
            "Bestemming en gegevens van de gekozen leerling (Enter)",
        )
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.details_button)
        row.addWidget(self.summary, 1)
        layout.addLayout(row)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Uitstroom vastleggen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.klas.currentIndexChanged.connect(self._fill)
        self.left_on.edited.connect(self._fill)
        self._fill()
        self.table.setFocus()

    def _date(self) -> date | None:
        try:
            return self.left_on.field_value()
        except ValueError:
            return None

    def pupils_of_klas(self) -> list[Pupil]:
        klas = self.klas.currentData()
        return sorted(
            (p for p in self._all if p.klas == klas),
            key=lambda p: (p.id in self._recorded, natural_key(p.achternaam), p.roepnaam),
        )

    def leaving_of(self, pupil: Pupil) -> Leaving:
        left_on = self._date() or self._today
        assert pupil.id is not None
        chosen = self._chosen.get(pupil.id)
        if chosen is not None:
            return replace(chosen, left_on=left_on)
        return guess_leaving(pupil, left_on)

    def _fill(self) -> None:
        current = self.table.currentRow()
        pupils = self.pupils_of_klas()
        self.table.setRowCount(len(pupils))
        todo = 0
        for row, pupil in enumerate(pupils):
            done = pupil.id in self._recorded
            leaving = self.leaving_of(pupil)
            label = leaving.destination.label
            if done:
                label = "al vastgelegd"
            elif pupil.id not in self._chosen:
                label = f"{label} ({ROUTE_GUESS})"
            where = "" if done else destination_text(leaving).partition(": ")[2]
            for column, text in enumerate((pupil.name, label, where)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, pupil)
                if done:
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
            todo += 0 if done else 1
        if pupils:
            self.table.setCurrentCell(max(0, min(current, len(pupils) - 1)), 0)
        self.count = todo
        self.summary.setText(
            f"{todo} van de {counted(len(pupils), 'leerling', 'leerlingen')} krijgen een uitstroomdatum."
            if pupils
            else "Er zitten geen leerlingen in deze klas."
        )
        self.ok_button.setEnabled(todo > 0)

    def selected_pupil(self) -> Pupil | None:
        item = self.table.item(self.table.currentRow(), 0)
        pupil = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return pupil if isinstance(pupil, Pupil) and pupil.id not in self._recorded else None

    def edit_details(self) -> None:
        pupil = self.selected_pupil()
        if pupil is None or pupil.id is None:
            return
        pupil_id = pupil.id
        dialog = LeavingDialog(
            pupil.name,
            self.leaving_of(pupil),
            submit=lambda values: leaving_from({**values, "left_on": self._date() or self._today}),
            parent=self,
            with_date=False,
        )
        if dialog.exec() == FormDialog.DialogCode.Accepted:
            assert isinstance(dialog.result_value, Leaving)
            self._chosen[pupil_id] = dialog.result_value
            self._fill()

    def accept(self) -> None:
        left_on = self._date()
        if left_on is None:
            self.banner.show_problems(["Vul de uitstroomdatum in als dd-mm-jjjj."])
            return
        klas = self.klas.currentData()
        chosen = {
            pupil.id: self.leaving_of(pupil)
            for pupil in self.pupils_of_klas()
            if pupil.id is not None and pupil.id in self._chosen
        }
        try:
            self.count = self._nazorg.record_leaving_for_klas(
                klas, left_on, destinations=chosen or None
            )
        except (ServiceError, FormError) as exc:
            problems = exc.problems if isinstance(exc, FormError) else problems_of(exc)
            self.banner.show_problems(problems)
            return
        super().accept()
