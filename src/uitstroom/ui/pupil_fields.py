"""What the pupil detail view shows: the field lists of each tab, the columns of its lists,
which route details belong to which route, and the editor for ouders/verzorgers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from uitstroom.domain.enums import (
    PROFIELEN_PER_SCHOOLTYPE,
    AanmeldStatus,
    ContractSoort,
    Instrument,
    JaNeeOnbekend,
    Leerweg,
    Niveau,
    Perspectief,
    Route,
    SchoolType,
)
from uitstroom.domain.model import Guardian, Pupil, RouteChange, Stage, TimelineEntry
from uitstroom.services.pupils import FIELD_LABELS, changed_fields
from uitstroom.ui.forms import (
    CheckField,
    ChecksField,
    ChoiceField,
    DateField,
    Field,
    Form,
    NumberField,
    TextField,
    enum_choices,
)
from uitstroom.ui.record_table import Column
from uitstroom.ui.widgets import button_row, push_button

# --- Gegevens --------------------------------------------------------------------------------
LEERLING_FIELDS: tuple[Field, ...] = (
    TextField(name="leerlingnummer", label="Leerlingnummer", max_length=40),
    TextField(name="roepnaam", label="Roepnaam", max_length=100),
    TextField(
        name="tussenvoegsel", label="Tussenvoegsel", placeholder="bijv. van der", max_length=40
    ),
    TextField(name="achternaam", label="Achternaam", max_length=150),
    DateField(name="geboortedatum", label="Geboortedatum"),
    TextField(name="klas", label="Klas/groep", max_length=40),
    TextField(name="mentor", label="Mentor", max_length=150),
)
CONTACT_FIELDS: tuple[Field, ...] = (
    TextField(name="telefoon", label="Telefoon", placeholder="06 12345678", max_length=40),
    TextField(name="email", label="E-mail", max_length=200),
    TextField(name="woongemeente", label="Woongemeente", max_length=100),
)
GUARDIAN_FIELDS: tuple[Field, ...] = (
    TextField(name="name", label="Naam", max_length=200),
    TextField(
        name="relation", label="Relatie", placeholder="bijv. moeder, vader, voogd", max_length=60
    ),
    TextField(name="phone", label="Telefoon", max_length=40),
    TextField(name="email", label="E-mail", max_length=200),
)
PROFIEL_FIELDS: tuple[Field, ...] = (
    ChoiceField(name="uitstroomprofiel", label="Uitstroomprofiel"),
    TextField(name="mbo_opleiding", label="Opleiding", max_length=200),
    TextField(name="mbo_crebo", label="Crebo", max_length=10),
    ChoiceField(name="mbo_niveau", label="Niveau", choices=enum_choices(Niveau, empty="—")),
    ChoiceField(name="mbo_leerweg", label="Leerweg", choices=enum_choices(Leerweg, empty="—")),
    ChoiceField(
        name="startkwalificatie",
        label="Startkwalificatie",
        choices=enum_choices(JaNeeOnbekend),
        tooltip="Havo/vwo-diploma of mbo niveau 2 of hoger.",
    ),
)
MBO_PROFIEL_FIELDS = ("mbo_opleiding", "mbo_crebo", "mbo_niveau", "mbo_leerweg")
ONDERSTEUNING_FIELDS: tuple[Field, ...] = (
    TextField(
        name="ondersteuningsbehoefte",
        label="",
        multiline=True,
        placeholder="Wat heeft deze leerling nodig? Welke aanpassingen werken?",
    ),
)
ARCHIEF_FIELDS: tuple[Field, ...] = (
    CheckField(
        name="archived",
        label="Archief",
        # Short: the pane is narrow on a laptop, and a check box's text does not wrap.
        text="Gearchiveerd (niet in de lijst)",
    ),
)

# --- Route -----------------------------------------------------------------------------------
ROUTE_FIELDS: tuple[Field, ...] = (
    ChoiceField(name="route", label="Route", choices=enum_choices(Route)),
    TextField(
        name="mbo_instelling", label="Mbo-instelling", placeholder="bijv. ROC Midden Nederland"
    ),
    TextField(name="opleiding", label="Opleiding"),
    ChoiceField(name="niveau", label="Niveau", choices=enum_choices(Niveau, empty="—")),
    ChoiceField(name="leerweg", label="Leerweg", choices=enum_choices(Leerweg, empty="—")),
    ChoiceField(name="aanmeldstatus", label="Aanmelding", choices=enum_choices(AanmeldStatus)),
    DateField(
        name="aanmelddatum",
        label="Aangemeld op",
        tooltip="Wie uiterlijk op 1 april is aangemeld, heeft toelatingsrecht (niveau 2 tot en met 4).",
    ),
    TextField(name="werkgever", label="Werkgever"),
    TextField(name="functie", label="Functie"),
    ChoiceField(name="contract", label="Contract", choices=enum_choices(ContractSoort)),
    ChecksField(name="instrumenten", label="Instrumenten", choices=enum_choices(Instrument)),
    TextField(name="aanbieder", label="Aanbieder dagbesteding"),
    TextField(
        name="toelichting",
        label="Toelichting",
        multiline=True,
        placeholder="Afspraken, contactpersonen, wat nog moet gebeuren",
    ),
)
DETAILS_PER_ROUTE: dict[Route, tuple[str, ...]] = {
    Route.ONBEKEND: (),
    Route.DOORLEREN: (
        "mbo_instelling",
        "opleiding",
        "niveau",
        "leerweg",
        "aanmeldstatus",
        "aanmelddatum",
    ),
    Route.ARBEID: ("werkgever", "functie", "contract", "instrumenten"),
    Route.DAGBESTEDING: ("aanbieder",),
}
ROUTE_DETAIL_NAMES = tuple(name for names in DETAILS_PER_ROUTE.values() for name in names)

# --- Stages ----------------------------------------------------------------------------------
STAGE_FIELDS: tuple[Field, ...] = (
    TextField(name="leerbedrijf", label="Leerbedrijf", max_length=200),
    TextField(name="contactpersoon", label="Contactpersoon", max_length=200),
    TextField(name="contact_telefoon", label="Telefoon contactpersoon", max_length=40),
    TextField(name="contact_email", label="E-mail contactpersoon", max_length=200),
    DateField(name="start", label="Begindatum"),
    DateField(name="end", label="Einddatum"),
    NumberField(name="dagen_per_week", label="Dagen per week", minimum=1, maximum=5),
    ChoiceField(name="sbb_erkend", label="SBB-erkend", choices=enum_choices(JaNeeOnbekend)),
    ChoiceField(
        name="perspectief",
        label="Perspectief",
        choices=enum_choices(Perspectief),
        tooltip="Kan deze stage een baan of bbl-plaats worden? Bespreek het vóór 1 april.",
    ),
    TextField(
        name="geleerd",
        label="Wat heeft de leerling hier geleerd?",
        multiline=True,
        placeholder="In de woorden van de leerling; dit komt in het Paspoort voor Succes.",
    ),
    TextField(name="toelichting", label="Toelichting", multiline=True),
)


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "—"


def _period(stage: Stage) -> str:
    if stage.start is None and stage.end is None:
        return "—"
    return f"van {_day(stage.start)}\ntot {_day(stage.end)}"


STAGE_COLUMNS = (
    Column("Leerbedrijf", lambda s: s.leerbedrijf, chars=16, stretch=True),
    Column("Periode", _period, lambda s: s.start, chars=16),
    Column("Perspectief", lambda s: s.perspectief.label, chars=20),
)
HISTORY_COLUMNS = (
    Column(
        "Datum, door",
        lambda c: f"{_day(c.changed_on)}\n{c.changed_by}",
        lambda c: c.changed_on,
        chars=14,
    ),
    Column("Wijziging", lambda c: f"{c.old_route.label} → {c.new_route.label}", chars=26),
    Column("Reden", lambda c: c.reason or "—", chars=16, stretch=True),
)
TIMELINE_COLUMNS = (
    Column(
        "Wanneer, door", lambda t: f"{t.at:%d-%m-%Y %H:%M}\n{t.author}", lambda t: t.at, chars=18
    ),
    Column("Wat", lambda t: t.text, chars=30, stretch=True),
)


def profiel_choices(school_type: SchoolType) -> tuple[tuple[str, object], ...]:
    return enum_choices(PROFIELEN_PER_SCHOOLTYPE[school_type], empty="Nog niet gekozen")


def blank_pupil(cohort_label: str = "") -> Pupil:
    return Pupil(leerlingnummer="", roepnaam="", achternaam="", cohort_label=cohort_label)


def values_of(record: object, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


# --- guardians -------------------------------------------------------------------------------
class GuardiansEdit(QWidget):
    """One small form per ouder/verzorger; as many as the family has."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[_GuardianEntry] = []
        self._label_width = 0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._add_button = push_button(
            self, "Ouder/verzorger toe&voegen", lambda: self._add(None, focus=True, notify=True)
        )
        row = button_row(self._add_button)
        self._layout.addLayout(row)
        self.set_field_value(())

    @property
    def forms(self) -> list[Form]:
        return [entry.form for entry in self._entries]

    def set_label_width(self, width: int) -> None:
        self._label_width = width
        for entry in self._entries:
            entry.form.set_label_width(width)

    def field_value(self) -> tuple[Guardian, ...]:
        guardians = []
        for entry in self._entries:
            values = entry.form.values()
            if any(values.values()):
                guardians.append(Guardian(id=entry.guardian_id, **values))
        return tuple(guardians)

    def set_field_value(self, value: Sequence[Guardian]) -> None:
        for entry in self._entries:
            self._drop(entry)
        self._entries = []
        for guardian in value or (None,):
            self._add(guardian, focus=False, notify=False)

    def _add(self, guardian: Guardian | None, focus: bool, notify: bool) -> None:
        entry = _GuardianEntry(guardian, self)
        entry.form.set_label_width(self._label_width)
        entry.form.edited.connect(self.edited)
        entry.remove_button.clicked.connect(lambda: self._remove(entry))
        self._layout.insertWidget(len(self._entries), entry)
        self._entries.append(entry)
        self._renumber()
        if focus:
            first = entry.form.first_editor()
            if first is not None:
                first.setFocus()
        if notify:
            self.edited.emit()

    def _remove(self, entry: _GuardianEntry) -> None:
        self._entries.remove(entry)
        self._drop(entry)
        self._renumber()
        self._add_button.setFocus()
        self.edited.emit()

    def _drop(self, entry: _GuardianEntry) -> None:
        self._layout.removeWidget(entry)
        entry.hide()
        entry.setParent(None)
        entry.deleteLater()

    def _renumber(self) -> None:
        for number, entry in enumerate(self._entries, start=1):
            entry.set_number(number)


class _GuardianEntry(QWidget):
    def __init__(self, guardian: Guardian | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.guardian_id = guardian.id if guardian else None
        self.heading = QLabel(self)
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.remove_button = QPushButton("Verwijderen", self)
        self.remove_button.setToolTip("Deze ouder/verzorger weghalen (definitief na Opslaan)")
        self.form = Form(GUARDIAN_FIELDS, self)
        if guardian is not None:
            self.form.set_values(values_of(guardian, self.form.names))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        layout.addLayout(top)
        layout.addWidget(self.form)

    def set_number(self, number: int) -> None:
        self.heading.setText(f"Ouder/verzorger {number}")
        for name in self.form.names:
            self.form.editor(name).setObjectName(f"guardian{number}_{name}")


def newest_first(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda t: (t.at, t.id or 0), reverse=True)


def oldest_first(changes: Sequence[RouteChange]) -> list[RouteChange]:
    return sorted(changes, key=lambda c: (c.changed_on, c.id or 0))


def typed_changes(old: Pupil, typed: Pupil) -> str:
    """What the user had changed, one field a line, to type in again after a conflict."""
    lines = []
    for name in changed_fields(old, replace(typed, cohort_label=old.cohort_label)):
        value = getattr(typed, name)
        if name == "route":
            shown = value.route.label
        elif name == "guardians":
            shown = "; ".join(g.name for g in value) or "(leeg)"
        elif isinstance(value, date):
            shown = f"{value:%d-%m-%Y}"
        elif isinstance(value, bool):
            shown = "ja" if value else "nee"
        elif hasattr(value, "label"):
            shown = value.label
        else:
            shown = str(value) if value not in (None, "") else "(leeg)"
        lines.append(f"{FIELD_LABELS[name]}: {shown}")
    return "\n".join(lines)
