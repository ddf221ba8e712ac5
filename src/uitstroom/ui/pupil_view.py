"""One pupil in detail: Gegevens, Route, Stages and Tijdlijn, with one Opslaan for the record.

The view holds the last record it loaded and compares the forms with it, so 'niet opgeslagen'
means something really differs. Stages and notes are stored at once through their own service
calls; the pupil's own fields wait for Opslaan (Ctrl+S).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

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
    TimelineKind,
)
from uitstroom.domain.model import (
    Guardian,
    Pupil,
    PupilRecord,
    RouteChange,
    RouteDetails,
    Stage,
    TimelineEntry,
)
from uitstroom.services.errors import ServiceError
from uitstroom.services.pupils import PupilService
from uitstroom.ui.cohort_model import ROW_ROLE, Column, RecordTableModel, fit_columns
from uitstroom.ui.forms import (
    CheckField,
    ChecksField,
    ChoiceField,
    DateField,
    Field,
    Form,
    FormDialog,
    FormError,
    MessageBanner,
    NumberField,
    TextField,
    ask_to_save,
    confirm,
    enum_choices,
    problems_of,
)

Clock = Callable[[], datetime]

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
        label="",
        text="Gearchiveerd: niet meer in de lijst met actieve leerlingen",
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


def align_labels(forms: Sequence[Form]) -> None:
    """Forms in separate group boxes get one label width, so their fields line up."""
    width = max((form.label_width() for form in forms), default=0)
    for form in forms:
        form.set_label_width(width)


def record_table(model: RecordTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setStyleSheet("QTableView::item { padding: 3px 4px; }")
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    fit_columns(table)
    # Rows follow their wrapped text; these lists hold a few dozen entries at most.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


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
        self._add_button = QPushButton("Ouder/verzorger toe&voegen", self)
        self._add_button.clicked.connect(lambda: self._add(None, focus=True, notify=True))
        row = QHBoxLayout()
        row.addWidget(self._add_button)
        row.addStretch(1)
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


# --- the view --------------------------------------------------------------------------------
class PupilView(QWidget):
    """Signals: pupil_saved(PupilRecord) after any successful write, dirty_changed(bool)."""

    pupil_saved = Signal(object)
    dirty_changed = Signal(bool)

    def __init__(
        self,
        pupils: PupilService,
        school_type: SchoolType,
        author: str,
        cohort_label: Callable[[], str],
        clock: Clock = datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pupils = pupils
        self._author = author
        self._cohort_label = cohort_label
        self._clock = clock
        self._school_type = school_type
        self._record: PupilRecord | None = None
        self._dirty = False

        self._pages = QStackedWidget(self)
        self._empty = QLabel(self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setStyleSheet("QLabel { color: #555; font-size: 11pt; padding: 24px; }")
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._build_editor())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)
        self.set_school_type(school_type)
        self.show_empty("Kies links een leerling om de gegevens te zien.")

    # --- building ------------------------------------------------------------------------
    def _build_editor(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 8, 8)

        self.title = QLabel(page)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(page)
        self.subtitle.setStyleSheet("QLabel { color: #555; }")
        self.unsaved_marker = QLabel("● Niet opgeslagen", page)
        self.unsaved_marker.setStyleSheet("QLabel { color: #a35200; font-weight: bold; }")
        self.saved_label = QLabel(page)
        self.saved_label.setStyleSheet("QLabel { color: #2e6b34; }")
        heading = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        heading.addLayout(names, 1)
        heading.addWidget(self.unsaved_marker, 0, Qt.AlignmentFlag.AlignTop)
        heading.addWidget(self.saved_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)

        self.banner = MessageBanner(page)
        layout.addWidget(self.banner)

        self.tabs = QTabWidget(page)
        self.tabs.addTab(self._build_gegevens(), "&Gegevens")
        self.tabs.addTab(self._build_route(), "&Route")
        self.tabs.addTab(self._build_stages(), "&Stages")
        self.tabs.addTab(self._build_timeline(), "T&ijdlijn")
        layout.addWidget(self.tabs, 1)

        self.revert_button = QPushButton("Wijzigingen ongedaan &maken", page)
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton("&Opslaan", page)
        self.save_button.setToolTip("Opslaan (Ctrl+S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        return page

    def _build_gegevens(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        self._leerling_form = Form(LEERLING_FIELDS)
        self._contact_form = Form(CONTACT_FIELDS)
        self._guardians = GuardiansEdit()
        self._guardians.setObjectName("guardians")
        self._profiel_form = Form(PROFIEL_FIELDS)
        self._ondersteuning_form = Form(ONDERSTEUNING_FIELDS)
        self._archief_form = Form(ARCHIEF_FIELDS)
        privacy = QLabel(
            "Bijzonder persoonsgegeven. Schrijf alleen op wat nodig is voor de begeleiding, "
            "en deel het alleen met toestemming van de leerling (en ouders)."
        )
        privacy.setWordWrap(True)
        privacy.setStyleSheet("QLabel { color: #6b3f00; }")
        sections: list[tuple[str, list[QWidget]]] = [
            ("Leerling", [self._leerling_form]),
            ("Contact", [self._contact_form]),
            ("Ouders/verzorgers", [self._guardians]),
            ("Uitstroomprofiel", [self._profiel_form]),
            ("Ondersteuningsbehoefte 🔒", [privacy, self._ondersteuning_form]),
            ("Archief", [self._archief_form]),
        ]
        for title, widgets in sections:
            box = QGroupBox(title, content)
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget)
            layout.addWidget(box)
        layout.addStretch(1)
        self._pupil_forms = (
            self._leerling_form,
            self._contact_form,
            self._profiel_form,
            self._ondersteuning_form,
            self._archief_form,
        )
        for form in self._pupil_forms:
            form.edited.connect(self._update_dirty)
        self._guardians.edited.connect(self._update_dirty)
        align_labels([self._leerling_form, self._contact_form, self._profiel_form])
        self._guardians.set_label_width(self._leerling_form.label_width())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_route(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        box = QGroupBox("Route na school", content)
        self._route_form = Form(ROUTE_FIELDS, box)
        self._route_form.edited.connect(self._on_route_edited)
        QVBoxLayout(box).addWidget(self._route_form)
        layout.addWidget(box)
        history_box = QGroupBox("Routewijzigingen", content)
        hint = QLabel(
            "Elke wijziging van de route blijft hier bewaard, met de reden: zo is ook de "
            "bijstelling in december of januari later terug te zien.",
            history_box,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("QLabel { color: #555; }")
        self.history_model = RecordTableModel(HISTORY_COLUMNS, parent=self)
        self.history_table = record_table(self.history_model, history_box)
        self.history_table.setMinimumHeight(140)
        inner = QVBoxLayout(history_box)
        inner.addWidget(hint)
        inner.addWidget(self.history_table)
        layout.addWidget(history_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_stages(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.stage_model = RecordTableModel(STAGE_COLUMNS, parent=self)
        self.stage_table = record_table(self.stage_model, page)
        self.stage_table.activated.connect(lambda _index: self.edit_stage())
        delete = QAction("Stage verwijderen", self.stage_table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_stage)
        self.stage_table.addAction(delete)
        self.add_stage_button = QPushButton("Stage &toevoegen…", page)
        self.add_stage_button.clicked.connect(self.add_stage)
        self.edit_stage_button = QPushButton("Stage &wijzigen…", page)
        self.edit_stage_button.clicked.connect(self.edit_stage)
        self.delete_stage_button = QPushButton("Stage &verwijderen…", page)
        self.delete_stage_button.clicked.connect(self.delete_stage)
        buttons = QHBoxLayout()
        for button in (self.add_stage_button, self.edit_stage_button, self.delete_stage_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.stages_placeholder = QLabel(
            "Sla de nieuwe leerling eerst op; daarna kunt u stages toevoegen.", page
        )
        self.stages_placeholder.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(self.stages_placeholder)
        layout.addLayout(buttons)
        layout.addWidget(self.stage_table, 1)
        self.stage_table.selectionModel().selectionChanged.connect(self._update_stage_buttons)
        return page

    def _build_timeline(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.note_edit = QPlainTextEdit(page)
        self.note_edit.setObjectName("note")
        self.note_edit.setPlaceholderText(
            "Schrijf een notitie, bijvoorbeeld over een gesprek, telefoontje of afspraak…"
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.note_edit.textChanged.connect(self._update_dirty)
        self.add_note_button = QPushButton("Notitie &toevoegen", page)
        self.add_note_button.setToolTip("Notitie toevoegen (Ctrl+Enter)")
        self.add_note_button.clicked.connect(self.add_note)
        add_note = QAction(self.note_edit)
        add_note.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        add_note.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        add_note.triggered.connect(self.add_note)
        self.note_edit.addAction(add_note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_note_button)
        self.timeline_model = RecordTableModel(
            TIMELINE_COLUMNS, parent=self, muted=lambda t: t.kind == TimelineKind.GEBEURTENIS
        )
        self.timeline_table = record_table(self.timeline_model, page)
        self.timeline_placeholder = QLabel(
            "Sla de nieuwe leerling eerst op; daarna kunt u notities maken.", page
        )
        self.timeline_placeholder.setStyleSheet("QLabel { color: #555; }")
        layout.addWidget(self.timeline_placeholder)
        layout.addWidget(self.note_edit)
        layout.addLayout(row)
        layout.addWidget(self.timeline_table, 1)
        return page

    # --- state ---------------------------------------------------------------------------
    @property
    def pupil_id(self) -> int | None:
        return None if self._record is None else self._record.pupil.id

    @property
    def record(self) -> PupilRecord | None:
        return self._record

    @property
    def is_open(self) -> bool:
        return self._record is not None

    def set_author(self, author: str) -> None:
        self._author = author

    def set_school_type(self, school_type: SchoolType) -> None:
        self._school_type = school_type
        self._profiel_form.set_choices("uitstroomprofiel", profiel_choices(school_type))
        is_mbo = school_type == SchoolType.MBO
        self._profiel_form.set_row_visible("uitstroomprofiel", not is_mbo)
        for name in MBO_PROFIEL_FIELDS:
            self._profiel_form.set_row_visible(name, is_mbo)

    def is_dirty(self) -> bool:
        if self._record is None:
            return False
        if self.note_edit.toPlainText().strip():
            return True
        try:
            return self._pupil_from_forms() != self._record.pupil
        except FormError:
            return True

    def describe(self) -> str:
        """How the unsaved-changes question names what was changed."""
        if self._record is None or self._record.pupil.id is None:
            return "de nieuwe leerling"
        return f"de gegevens van {self._record.pupil.name}"

    # --- opening and closing -------------------------------------------------------------
    def show_empty(self, message: str) -> None:
        """Nothing open. Callers ask resolve_unsaved() first."""
        self._record = None
        self._empty.setText(message)
        self._pages.setCurrentIndex(0)
        self._set_dirty(False)

    def open_pupil(self, pupil_id: int) -> bool:
        try:
            record = self._pupils.record(pupil_id)
        except ServiceError as exc:
            self.show_empty(str(exc))
            return False
        self._load(record)
        return True

    def start_new(self) -> None:
        self._load(PupilRecord(pupil=blank_pupil(self._cohort_label())))
        self.tabs.setCurrentIndex(0)
        self.focus_first_field()

    def focus_first_field(self) -> None:
        self.tabs.setCurrentIndex(0)
        self._leerling_form.editor(
            "leerlingnummer" if self.pupil_id is None else "roepnaam"
        ).setFocus()

    def resolve_unsaved(self) -> bool:
        """Before the view is replaced: True when nothing is lost (saved, discarded or clean);
        False when the user chose Annuleren or saving failed."""
        if not self.is_dirty():
            return True
        answer = ask_to_save(self, self.describe())
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._discard()
            return True
        return False

    def _load(self, record: PupilRecord, keep_note: bool = False) -> None:
        self._record = record
        pupil = record.pupil
        for form in self._pupil_forms:
            form.set_values(values_of(pupil, form.names))
        self._guardians.set_field_value(pupil.guardians)
        self._route_form.set_values(values_of(pupil.route, self._route_form.names))
        self._show_route_details(pupil.route.route)
        self._show_lists(record)
        if not keep_note:
            self.note_edit.blockSignals(True)
            self.note_edit.clear()
            self.note_edit.blockSignals(False)
        self.banner.clear_message()
        self.saved_label.clear()
        self._show_heading()
        self._pages.setCurrentIndex(1)
        self._update_dirty()

    def _show_lists(self, record: PupilRecord) -> None:
        saved = record.pupil.id is not None
        self.stage_model.set_rows(record.stages)
        self.history_model.set_rows(oldest_first(record.route_history))
        self.timeline_model.set_rows(newest_first(record.timeline))
        for widget in (
            self.stage_table,
            self.add_stage_button,
            self.note_edit,
            self.add_note_button,
            self.timeline_table,
        ):
            widget.setEnabled(saved)
        self.stages_placeholder.setVisible(not saved)
        self.timeline_placeholder.setVisible(not saved)
        self._update_stage_buttons()

    def _show_heading(self) -> None:
        assert self._record is not None
        pupil = self._record.pupil
        if pupil.id is None:
            self.title.setText("Nieuwe leerling")
            self.subtitle.setText(
                f"Komt in cohort {pupil.cohort_label}" if pupil.cohort_label else ""
            )
            return
        self.title.setText(pupil.name)
        parts = [f"Leerlingnummer {pupil.leerlingnummer}"]
        if pupil.klas:
            parts.append(f"klas {pupil.klas}")
        if pupil.cohort_label:
            parts.append(f"cohort {pupil.cohort_label}")
        if pupil.archived:
            parts.append("gearchiveerd")
        self.subtitle.setText(" · ".join(parts))

    def _discard(self) -> None:
        if self._record is not None:
            self._load(self._record)

    def revert(self) -> None:
        """Wijzigingen ongedaan maken: read the pupil again, as it is stored now."""
        if self._record is None:
            return
        if self._record.pupil.id is None:
            self._load(self._record)
        else:
            self.open_pupil(self._record.pupil.id)

    # --- reading the forms ---------------------------------------------------------------
    def _pupil_from_forms(self) -> Pupil:
        assert self._record is not None
        values: dict[str, Any] = {}
        problems: list[str] = []
        for form in (*self._pupil_forms, self._route_form):
            try:
                values.update(form.values())
            except FormError as exc:
                problems += exc.problems
        if problems:
            raise FormError(problems)
        route = RouteDetails(**{name: values.pop(name) for name in self._route_form.names})
        return replace(
            self._record.pupil, guardians=self._guardians.field_value(), route=route, **values
        )

    def _update_dirty(self) -> None:
        self._set_dirty(self.is_dirty())

    def _set_dirty(self, dirty: bool) -> None:
        self.unsaved_marker.setVisible(dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.saved_label.clear()
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _on_route_edited(self) -> None:
        route = self._route_form.editor("route")
        self._show_route_details(route.field_value())  # type: ignore[attr-defined]
        self._update_dirty()

    def _show_route_details(self, route: Route) -> None:
        # Details of another route stay in the form (and in the database), only hidden: a
        # pupil who switches back finds them again.
        shown = DETAILS_PER_ROUTE.get(route, ())
        for name in ROUTE_DETAIL_NAMES:
            self._route_form.set_row_visible(name, name in shown)

    # --- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the pupil (and a note typed but not yet added). Errors stay on screen next to
        the form and nothing typed is lost."""
        if self._record is None:
            return True
        self.banner.clear_message()
        try:
            pupil = self._pupil_from_forms()
        except FormError as exc:
            self.banner.show_problems(exc.problems)
            return False
        old = self._record.pupil
        record = self._record
        try:
            if old.id is None:
                record = self._pupils.create(pupil, self._cohort_label(), self._author)
            elif pupil != old:
                reason = ""
                if pupil.route.route != old.route.route:
                    asked = self.ask_route_reason(old.route.route, pupil.route.route)
                    if asked is None:
                        return False
                    reason = asked
                record = self._pupils.save(pupil, self._author, route_reason=reason)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return False
        if record is not self._record:
            self._load(record, keep_note=True)
            self._announce_saved(record)
        if self.note_edit.toPlainText().strip():
            return self.add_note()
        return True

    def ask_route_reason(self, old: Route, new: Route) -> str | None:
        dialog = FormDialog(
            "Route wijzigen",
            (
                TextField(
                    name="reason",
                    label="Reden",
                    multiline=True,
                    placeholder="bijv. bijgesteld na het gesprek met ouders in januari",
                ),
            ),
            intro=(
                f"De route verandert van ‘{old.label}’ naar ‘{new.label}’. Schrijf kort op "
                "waarom; dit blijft zichtbaar in de routewijzigingen."
            ),
            accept_text="Route wijzigen en opslaan",
            check=lambda v: [] if v["reason"] else ["Schrijf kort op waarom de route verandert."],
            parent=self,
        )
        if dialog.exec() != FormDialog.DialogCode.Accepted:
            return None
        return str(dialog.values["reason"])

    def _announce_saved(self, record: PupilRecord) -> None:
        self.saved_label.setText(f"✓ Opgeslagen om {self._clock():%H:%M}")
        self.pupil_saved.emit(record)

    def _lists_changed(self, record: PupilRecord) -> None:
        """Stages and notes were stored on their own: show them, keep the pupil being edited
        (its version too, so a change made elsewhere is still noticed on Opslaan)."""
        assert self._record is not None
        self._record = replace(record, pupil=self._record.pupil)
        self._show_lists(self._record)
        self._announce_saved(self._record)
        self._update_dirty()

    # --- stages --------------------------------------------------------------------------
    def selected_stage(self) -> Stage | None:
        index = self.stage_table.currentIndex()
        if not index.isValid() or not self.stage_table.selectionModel().hasSelection():
            return None
        return index.data(ROW_ROLE)

    def _update_stage_buttons(self) -> None:
        chosen = self.pupil_id is not None and self.selected_stage() is not None
        self.edit_stage_button.setEnabled(chosen)
        self.delete_stage_button.setEnabled(chosen)

    def add_stage(self) -> None:
        self._edit_stage(None)

    def edit_stage(self) -> None:
        stage = self.selected_stage()
        if stage is not None:
            self._edit_stage(stage)

    def _edit_stage(self, stage: Stage | None) -> None:
        pupil_id = self.pupil_id
        if pupil_id is None:
            return
        stage_id = None if stage is None else stage.id
        dialog = FormDialog(
            "Stage toevoegen" if stage is None else "Stage wijzigen",
            STAGE_FIELDS,
            values_of(stage or Stage(leerbedrijf=""), [f.name for f in STAGE_FIELDS]),
            intro="" if stage else f"Een nieuwe stage voor {self._record.pupil.name}.",  # type: ignore[union-attr]
            submit=lambda v: self._pupils.save_stage(
                pupil_id, Stage(id=stage_id, **v), self._author
            ),
            parent=self,
        )
        dialog.form.first_editor().setFocus()  # type: ignore[union-attr]
        if dialog.exec() == FormDialog.DialogCode.Accepted:
            self._lists_changed(dialog.result_value)  # type: ignore[arg-type]
            self.tabs.setCurrentIndex(2)

    def delete_stage(self) -> None:
        stage = self.selected_stage()
        pupil_id = self.pupil_id
        if stage is None or stage.id is None or pupil_id is None:
            return
        if not confirm(
            self,
            "Stage verwijderen",
            f"De stage bij {stage.leerbedrijf} verwijderen? Dit kan niet ongedaan worden gemaakt.",
            "Verwijderen",
        ):
            return
        try:
            record = self._pupils.delete_stage(pupil_id, stage.id, self._author)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return
        self._lists_changed(record)

    # --- timeline ------------------------------------------------------------------------
    def add_note(self) -> bool:
        pupil_id = self.pupil_id
        if pupil_id is None:
            return False
        try:
            record = self._pupils.add_note(pupil_id, self.note_edit.toPlainText(), self._author)
        except ServiceError as exc:
            self.banner.show_problems(problems_of(exc))
            return False
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.blockSignals(False)
        self.banner.clear_message()
        self._lists_changed(record)
        return True


def newest_first(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda t: (t.at, t.id or 0), reverse=True)


def oldest_first(changes: Sequence[RouteChange]) -> list[RouteChange]:
    return sorted(changes, key=lambda c: (c.changed_on, c.id or 0))
