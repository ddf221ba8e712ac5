"""One pupil in detail: Gegevens, Route, Stages and Tijdlijn, with one Opslaan for the record.

The view holds the last record it loaded and compares the forms with it, so 'niet opgeslagen'
means something really differs. Stages and notes are stored at once through their own service
calls; the pupil's own fields wait for Opslaan (Ctrl+S).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.actor import Actor, Role
from uitstroom.domain.enums import (
    Route,
    SchoolType,
)
from uitstroom.domain.model import (
    Pupil,
    PupilRecord,
    RouteDetails,
)
from uitstroom.services.errors import ConflictError, ServiceError, ValidationError
from uitstroom.services.pupils import PupilService
from uitstroom.ui.call_dialog import NazorgContext
from uitstroom.ui.checklist_tab import ChecklistTab
from uitstroom.ui.consent_tab import ConsentTab
from uitstroom.ui.forms import (
    FormDialog,
    FormError,
    MessageBanner,
    TextField,
    ask_to_save,
    problems_of,
    values_of_forms,
)
from uitstroom.ui.nazorg_tab import NazorgTab
from uitstroom.ui.paspoort_tab import PaspoortTab
from uitstroom.ui.pupil_fields import (
    MBO_PROFIEL_FIELDS,
    blank_pupil,
    oldest_first,
    profiel_choices,
    typed_changes,
    values_of,
)
from uitstroom.ui.pupil_forms import GegevensPage, RoutePage
from uitstroom.ui.pupil_pages import PaneHooks, StagesPage, TimelinePage
from uitstroom.ui.side_tabs import side_tabs
from uitstroom.ui.transitieplan_tab import TransitieplanTab
from uitstroom.ui.widgets import AfterFirstPaint, button_row, done_label, push_button
from uitstroom.ui.words import Words, cap, words_for

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService
    from uitstroom.services.handover import HandoverService
    from uitstroom.services.nazorg import NazorgService
    from uitstroom.services.planning import PlanningService

Clock = Callable[[], datetime]

# What _build_editor makes. Asked for before the editor exists, one of these builds it
# (PupilView.__getattr__).
EDITOR_PARTS = frozenset(
    {
        "title",
        "subtitle",
        "unsaved_marker",
        "saved_label",
        "exit_button",
        "banner",
        "tabs",
        "gegevens",
        "route_page",
        "stages",
        "timeline",
        "checklist",
        "transitieplan",
        "paspoort",
        "consent",
        "nazorg_tab",
        "revert_button",
        "save_button",
        "documents_button",
    }
)


class PupilView(QWidget):
    """Signals: pupil_saved(PupilRecord) after any successful write, dirty_changed(bool),
    task_changed(pupil_id, Task) after a tick in the Checklist tab, nazorg_changed(pupil_id)
    after leaving, a call or a signal was stored in the Nazorg tab, exit_changed(pupil_id)
    after an exitgesprek was finished (leaving data, calls, a handover task)."""

    pupil_saved = Signal(object)
    # Read again because someone else had changed it (a conflict, or the window's refresh).
    pupil_reloaded = Signal(object)
    dirty_changed = Signal(bool)
    task_changed = Signal(int, object)
    nazorg_changed = Signal(int)
    exit_changed = Signal(int)
    # The editor was made: the pane may need more room now (its tabs have a minimum width).
    editor_built = Signal()

    # The editor's tabs (None: that service is not given); made with the editor.
    checklist: ChecklistTab | None
    transitieplan: TransitieplanTab | None
    paspoort: PaspoortTab | None
    consent: ConsentTab | None
    nazorg_tab: NazorgTab | None

    def __init__(
        self,
        pupils: PupilService,
        school_type: SchoolType,
        author: str,
        cohort_label: Callable[[], str],
        clock: Clock = datetime.now,
        parent: QWidget | None = None,
        planning: PlanningService | None = None,
        today: Callable[[], date] = date.today,
        handover: HandoverService | None = None,
        nazorg: NazorgService | None = None,
        exit: ExitService | None = None,
    ) -> None:
        super().__init__(parent)
        self._pupils = pupils
        self._exit = exit
        self._words = words_for(school_type)
        self._nazorg = nazorg
        self._planning = planning
        self._handover = handover
        self._today = today
        self._author = author
        self._cohort_label = cohort_label
        self._clock = clock
        self._school_type = school_type
        self._record: PupilRecord | None = None
        self._dirty = False
        self._banner_about_input = False
        self._actor: Actor | None = None
        self._document_menu: QMenu | None = None
        # The editor (the pupil's tabs) is made when first needed, or once the window is on
        # screen, a step per turn of the event loop (_build_in_turns): 130 ms of widgets the
        # start screen does not show. Between two steps its parts are kept aside (_held).
        self._editor: QWidget | None = None
        self._building = False
        self._steps: Generator[None, None, QWidget] | None = None
        self._held: dict[str, object] = {}

        self._pages = QStackedWidget(self)
        self._empty = QLabel(self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setStyleSheet("QLabel { color: #555; font-size: 11pt; padding: 24px; }")
        self._pages.addWidget(self._empty)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)
        self.show_empty("Kies links een leerling om de gegevens te zien.")
        # Made right after the pane is first painted, so the window shows without waiting
        # for it, and a pupil opened a moment later does not wait either.
        AfterFirstPaint(self._empty, self._build_in_turns)

    def __getattr__(self, name: str) -> object:
        """Only for a name not found the usual way: a part of the editor asked for before the
        editor was made, or between two of its steps, makes it (a pupil opened, a tab chosen
        from the menu, a test)."""
        parts = self.__dict__
        if name in EDITOR_PARTS and "_pages" in parts and not parts.get("_building"):
            self.build_editor()
            return parts[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def build_editor(self) -> None:
        """Make the editor (what is left to make of it), with what was set while it did not
        exist (school type, role, document menu); nothing when it is there already."""
        if self._editor is not None or self._building:
            return
        while not self._build_step():
            pass
        self._editor_made()

    def _build_in_turns(self) -> None:
        """The editor a step (a tab or two) per turn of the event loop, so the window answers in
        between: made at once it held the window still for 130 ms right after it appeared
        (issue 17). Whatever asks for a part of it meanwhile has the rest made at once."""
        if self._editor is not None or self._building:
            return
        if self._build_step():
            self._editor_made()
        else:
            # 1 ms, not 0: a zero timer is a posted event, run before the window's input and
            # timers get their turn.
            QTimer.singleShot(1, self, self._build_in_turns)

    def _build_step(self) -> bool:
        """One step of making the editor; True once it is made. Between steps its parts are
        kept aside, so nothing that runs in between finds half an editor: it finds none, and
        asking for a part makes the rest (__getattr__)."""
        if self._steps is None:
            self._steps = self._build_editor()
        parts = vars(self)
        parts.update(self._held)
        self._held = {}
        self._building = True
        try:
            next(self._steps)
        except StopIteration as made:
            self._steps = None
            self._editor = made.value
            return True
        except BaseException:
            # Made again from the start when next asked for: no part of this one is kept.
            self._steps = None
            for name in EDITOR_PARTS:
                parts.pop(name, None)
            raise
        finally:
            self._building = False
        self._held = {name: parts.pop(name) for name in EDITOR_PARTS if name in parts}
        return False

    def _editor_made(self) -> None:
        assert self._editor is not None
        self._pages.addWidget(self._editor)
        self._apply_school_type()
        # The menu first: the role may hide its button again (a read-only user makes no PDF).
        if self._document_menu is not None:
            self._apply_document_menu(self._document_menu)
        if self._actor is not None:
            self._apply_actor(self._actor)
        self._show_dirty(self._dirty)
        self.editor_built.emit()

    # --- building ------------------------------------------------------------------------
    def _build_editor(self) -> Generator[None, None, QWidget]:
        # Hidden until it is whole (the window may be shown meanwhile); the pane's child, so it
        # goes with the pane even when that is closed halfway.
        page = QWidget(self)
        page.hide()
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
        self.saved_label = done_label(page)
        # Long names and messages wrap instead of pushing the splitter aside.
        for label in (self.title, self.subtitle):
            label.setWordWrap(True)
        # The mbo's exitgesprek with a leaving student, next to the name: mbo mode only.
        self.exit_button = QPushButton("E&xitgesprek…", page)
        self.exit_button.setObjectName("exit_button")
        self.exit_button.setToolTip(
            "Het gesprek met een student die vertrekt: reden, wat nu, nazorg (Ctrl+G)"
        )
        self.exit_button.clicked.connect(self.open_exit_interview)
        self.exit_button.hide()
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.unsaved_marker)
        heading.addWidget(self.saved_label)
        heading.addWidget(self.exit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(heading)
        layout.addWidget(self.subtitle)

        self.banner = MessageBanner(page)
        layout.addWidget(self.banner)

        self.tabs = side_tabs(page)
        yield from self._build_pages(self.tabs)
        self.checklist = self.transitieplan = self.paspoort = self.consent = None
        self.nazorg_tab = None
        yield
        if self._planning is not None:
            self.checklist = ChecklistTab(self._planning, self._today, page)
            self.checklist.task_changed.connect(self.task_changed)
            self.tabs.addTab(self.checklist, "&Checklist")
            yield
        if self._handover is not None:
            self.transitieplan = TransitieplanTab(self._handover, self._planning)
            self.transitieplan.edited.connect(self._update_dirty)
            self.tabs.addTab(self.transitieplan, "Tra&nsitieplan")
            yield
            self.paspoort = PaspoortTab(self._handover)
            self.paspoort.edited.connect(self._update_dirty)
            self.tabs.addTab(self.paspoort, "&Paspoort")
            yield
            self.consent = ConsentTab(self._handover, self._today)
            self.tabs.addTab(self.consent, "To&estemming")
            yield
        if self._nazorg is not None:
            self.nazorg_tab = NazorgTab(self.nazorg_context(), page)
            self.nazorg_tab.changed.connect(self.nazorg_changed)
            self.tabs.addTab(self.nazorg_tab, "Nazorg")
            yield
        layout.addWidget(self.tabs, 1)

        self.revert_button = push_button(page, "Wijzigingen ongedaan &maken", self.revert)
        self.save_button = QPushButton("&Opslaan", page)
        self.save_button.setToolTip("Opslaan (Ctrl+S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        # Filled by the window with the document actions of the Leerling menu.
        self.documents_button = QPushButton("PD&F maken", page)
        self.documents_button.setToolTip(
            "Transitieplan, Paspoort voor Succes of overdracht als PDF, met voorbeeld"
        )
        self.documents_button.hide()
        buttons = button_row(self.documents_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        return page

    def _build_pages(self, tabs: QTabWidget) -> Generator[None, None, None]:
        """Gegevens and Route are saved with Opslaan; the stages and the timeline are stored
        on their own, each by its page. Each a tab as soon as it is made (so a child of the
        editor's page, even between two steps)."""
        self.gegevens = GegevensPage()
        self.gegevens.edited.connect(self._update_dirty)
        tabs.addTab(self.gegevens, "&Gegevens")
        yield
        self.route_page = RoutePage()
        self.route_page.edited.connect(self._update_dirty)
        tabs.addTab(self.route_page, "&Route")

        pane = PaneHooks(self._pupils, lambda: self._record, self._show_problems)
        self.stages = StagesPage(pane, self._stage_stored)
        self.timeline = TimelinePage(pane, self._note_stored)
        self.timeline.note_edit.textChanged.connect(self._update_dirty)
        tabs.addTab(self.stages, "S&tages")
        tabs.addTab(self.timeline, "T&ijdlijn")

    def _stage_stored(self, record: PupilRecord) -> None:
        self._lists_changed(record)
        self.tabs.setCurrentWidget(self.stages)

    def _note_stored(self, record: PupilRecord) -> None:
        self.banner.clear_message()
        self._lists_changed(record)

    # --- state ---------------------------------------------------------------------------
    @property
    def pupil_id(self) -> int | None:
        return None if self._record is None else self._record.pupil.id

    @property
    def record(self) -> PupilRecord | None:
        return self._record

    @property
    def editor_ready(self) -> bool:
        """Whether the pupil's tabs are made (right after the window's first paint)."""
        return self._editor is not None

    @property
    def is_open(self) -> bool:
        return self._record is not None

    def set_author(self, author: str) -> None:
        """The name a logged nazorg call is "by" (the school settings may rename the user)."""
        self._author = author

    def nazorg_context(self) -> NazorgContext:
        assert self._nazorg is not None
        return NazorgContext(
            self._nazorg,
            self._pupils,
            self._handover,
            author=lambda: self._author,
            today=self._today,
        )

    def set_document_menu(self, menu: QMenu) -> None:
        self._document_menu = menu
        if self._editor is not None:
            self._apply_document_menu(menu)

    def _apply_document_menu(self, menu: QMenu) -> None:
        self.documents_button.setMenu(menu)
        self.documents_button.show()

    def _handover_tabs(self) -> list[PaspoortTab | TransitieplanTab]:
        return [tab for tab in (self.transitieplan, self.paspoort) if tab is not None]

    def show_tab(self, name: str, task_id: int | None = None) -> None:
        """Open at 'route' or 'checklist' (from the Vandaag view), with a task chosen."""
        if name == "checklist" and self.checklist is not None:
            self.tabs.setCurrentWidget(self.checklist)
            if task_id is not None:
                self.checklist.select_task(task_id)
        elif name == "route":
            self.tabs.setCurrentIndex(1)
            self.route_page.form.editor("route").setFocus()
        else:
            tab = {
                "transitieplan": self.transitieplan,
                "paspoort": self.paspoort,
                "toestemming": self.consent,
                "nazorg": self.nazorg_tab,
            }.get(name)
            if tab is not None:
                self.tabs.setCurrentWidget(tab)

    def set_school_type(self, school_type: SchoolType) -> None:
        self._school_type = school_type
        self._words = words_for(school_type)
        if self._editor is not None:
            self._apply_school_type()

    def _apply_school_type(self) -> None:
        school_type = self._school_type
        self._apply_words(words_for(school_type))
        self.gegevens.profiel_form.set_choices("uitstroomprofiel", profiel_choices(school_type))
        is_mbo = school_type == SchoolType.MBO
        self.gegevens.profiel_form.set_row_visible("uitstroomprofiel", not is_mbo)
        for name in MBO_PROFIEL_FIELDS:
            self.gegevens.profiel_form.set_row_visible(name, is_mbo)

    def _apply_words(self, words: Words) -> None:
        """Leerling or student, klas or groep, mentor or SLB'er: from the one table of words."""
        self._words = words
        self.gegevens.boxes["pupil"].setTitle(cap(words.pupil))
        self.gegevens.boxes["profiel"].setTitle(words.profiel_box)
        self.gegevens.leerling_form.set_label("leerlingnummer", cap(words.number))
        self.gegevens.leerling_form.set_label("klas", words.klas_field)
        self.gegevens.leerling_form.set_label("mentor", cap(words.mentor))
        self.gegevens.privacy_label.setText(
            "Schrijf alleen op wat nodig is voor de begeleiding, "
            f"en deel het alleen met toestemming van de {words.pupil} (en ouders)."
        )
        self.exit_button.setVisible(words.exit_interviews and self._exit is not None)
        if self._record is not None:
            self._show_heading()

    def is_dirty(self) -> bool:
        if self._record is None:
            return False
        if self.timeline.typed().strip():
            return True
        if any(tab.is_dirty() for tab in self._handover_tabs()):
            return True
        try:
            return self._pupil_from_forms() != self._record.pupil
        except FormError:
            return True

    def describe(self) -> str:
        """How the unsaved-changes question names what was changed."""
        if self._record is None or self._record.pupil.id is None:
            return f"de nieuwe {self._words.pupil}"
        return f"de gegevens van {self._record.pupil.name}"

    # --- opening and closing -------------------------------------------------------------
    def show_empty(self, message: str) -> None:
        """Nothing open. Callers ask resolve_unsaved() first."""
        self._record = None
        self._empty.setText(message)
        self._pages.setCurrentIndex(0)
        self._set_dirty(False)

    def show_record(self, record: PupilRecord) -> None:
        """Show a record just read or stored elsewhere. Callers ask resolve_unsaved() first."""
        self._load(record)

    def open_pupil(self, pupil_id: int) -> bool:
        try:
            # Through open(): the view shows support needs and notes, which the trail records.
            record = self._pupils.open(pupil_id)
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
        self.gegevens.leerling_form.editor(
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
        """`keep_note` (after a save): what was typed in the note and in the plan and paspoort
        tabs stays; otherwise they are read again."""
        self._record = record
        pupil = record.pupil
        for form in self.gegevens.forms:
            form.set_values(values_of(pupil, form.names))
        self.gegevens.guardians.set_field_value(pupil.guardians)
        self.route_page.form.set_values(values_of(pupil.route, self.route_page.form.names))
        self.route_page.show_details(pupil.route.route)
        self._show_lists(record)
        if not keep_note:
            self.timeline.set_typed("")
            self._load_handover_tabs(pupil)
        elif self.consent is not None and self.consent.pupil_id != pupil.id:
            self._load_handover_tabs(pupil)
        self.banner.clear_message()
        self.saved_label.clear()
        self._show_heading()
        self._pages.setCurrentIndex(1)
        self._update_dirty()

    def _show_lists(self, record: PupilRecord) -> None:
        self.stages.show_record(record)
        self.route_page.history_model.set_rows(oldest_first(record.route_history))
        self.timeline.show_record(record)
        # A route change re-plans the tasks: the checklist is read again after every load.
        if self.checklist is not None:
            self.checklist.show_pupil(record.pupil.id)

    def _load_handover_tabs(self, pupil: Pupil) -> None:
        if self.transitieplan is not None:
            self.transitieplan.show_pupil(pupil.id, pupil.woongemeente)
        if self.paspoort is not None:
            self.paspoort.show_pupil(pupil.id, pupil.name)
        if self.consent is not None:
            self.consent.show_pupil(pupil)
        if self.nazorg_tab is not None:
            self.nazorg_tab.show_pupil(pupil)

    def record_leaving(self) -> None:
        """Uitstroom vastleggen… from the menu: at the Nazorg tab, for the pupil on screen."""
        if self.nazorg_tab is None or self.nazorg_tab.pupil_id is None:
            return
        self.tabs.setCurrentWidget(self.nazorg_tab)
        self.nazorg_tab.record_leaving()

    def open_exit_interview(self) -> None:
        """The exitgesprek of the student on screen, as a dialog over the view."""
        record = self._record
        if self._exit is None or record is None or record.pupil.id is None:
            return
        from uitstroom.ui.exit_form import open_exit_form

        if open_exit_form(self._exit, record.pupil, self._today, self):
            self.exit_changed.emit(record.pupil.id)
            self.refresh_nazorg(record.pupil.id)

    def refresh_nazorg(self, pupil_id: int) -> None:
        if self.nazorg_tab is not None and self.nazorg_tab.pupil_id == pupil_id:
            self.nazorg_tab.refresh()

    def refresh_documents(self) -> None:
        """After a document was made: the register in the Toestemming tab shows it."""
        if self.consent is not None:
            self.consent.refresh()

    def reload_plan(self) -> None:
        """After the sociale kaart changed: names and moved contacts, unless being edited."""
        if self.transitieplan is not None and not self.transitieplan.is_dirty():
            self.transitieplan.show_pupil(self.pupil_id, self._woongemeente())

    def _woongemeente(self) -> str:
        return "" if self._record is None else self._record.pupil.woongemeente

    def _show_heading(self) -> None:
        assert self._record is not None
        pupil = self._record.pupil
        if pupil.id is None:
            self.title.setText(f"Nieuwe {self._words.pupil}")
            self.subtitle.setText(
                f"Komt in cohort {pupil.cohort_label}" if pupil.cohort_label else ""
            )
            return
        self.title.setText(pupil.name)
        words = self._words
        parts = [f"{cap(words.number)} {pupil.leerlingnummer}"]
        # The mbo student is known by the opleiding; the pro pupil by the klas.
        for shown, value in words.heading_parts(pupil):
            parts.append(f"{shown} {value}" if shown else value)
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
        values = values_of_forms((*self.gegevens.forms, self.route_page.form))
        route = RouteDetails(**{name: values.pop(name) for name in self.route_page.form.names})
        return replace(
            self._record.pupil,
            guardians=self.gegevens.guardians.field_value(),
            route=route,
            **values,
        )

    def _update_dirty(self) -> None:
        # A message about what was typed goes once the user changes it; one about the record
        # itself (changed elsewhere, gone) stays until it is read again.
        if self._banner_about_input:
            self.banner.clear_message()
            self._banner_about_input = False
        self._set_dirty(self.is_dirty())

    def _show_problems(self, problems: Sequence[str], about_input: bool) -> None:
        self.banner.show_problems(problems)
        self._banner_about_input = about_input

    def _set_dirty(self, dirty: bool) -> None:
        if self._editor is not None:
            self._show_dirty(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def _show_dirty(self, dirty: bool) -> None:
        self.unsaved_marker.setVisible(dirty)
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.saved_label.clear()

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
            for form in (*self.gegevens.forms, self.route_page.form):
                form.highlight_problems()
            self._show_problems(exc.problems, about_input=True)
            return False
        old = self._record.pupil
        record = self._record
        try:
            if old.id is None:
                record = self._pupils.create(pupil, self._cohort_label())
            elif pupil != old:
                reason = ""
                if pupil.route.route != old.route.route:
                    asked = self.ask_route_reason(old.route.route, pupil.route.route)
                    if asked is None:
                        return False
                    reason = asked
                record = self._pupils.save(pupil, route_reason=reason)
        except ConflictError as exc:
            self.show_conflict(str(exc), typed_changes(old, pupil))
            return False
        except ServiceError as exc:
            self._show_problems(problems_of(exc), about_input=isinstance(exc, ValidationError))
            return False
        if record is not self._record:
            self._load(record, keep_note=True)
            self._announce_saved(record)
        if not self._save_handover_tabs(announce=record is self._record):
            return False
        if self.timeline.typed().strip():
            return self.timeline.add_note()
        return True

    def _save_handover_tabs(self, announce: bool) -> bool:
        """The plan and the paspoort, each in one service call; a refusal shows at the tab."""
        saved = False
        for tab in self._handover_tabs():
            if not tab.is_dirty():
                continue
            try:
                tab.save()
            except ServiceError as exc:
                self.tabs.setCurrentWidget(tab)
                self._show_problems(problems_of(exc), about_input=isinstance(exc, ValidationError))
                self._set_dirty(True)
                return False
            saved = True
        if saved:
            self._update_dirty()
            if announce and self._record is not None:
                self._announce_saved(self._record)
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

    def show_conflict(self, message: str, typed: str) -> None:
        """Someone else saved this pupil first: say so, keep what was typed where the user can
        read it, and show the pupil as it is stored now."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Tegelijk gewijzigd",
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("conflict_message")
        box.setInformativeText(
            "Na OK ziet u de leerling zoals die nu is opgeslagen. Wat u had ingevuld, staat "
            "onder ‘Details weergeven’: voer het nog eens in en klik op Opslaan."
        )
        if typed:
            box.setDetailedText(f"Wat u had ingevuld:\n{typed}")
        box.exec()
        self.reload_from_database()

    def reload_from_database(self) -> bool:
        """Read the open pupil again as stored now (a note being typed stays)."""
        if self._record is None or self._record.pupil.id is None:
            return False
        note = self.timeline.typed()
        if not self.open_pupil(self._record.pupil.id):
            return False
        if note:
            self.timeline.note_edit.setPlainText(note)
        if self._record is not None:
            self.pupil_reloaded.emit(self._record)
        return True

    def set_actor(self, actor: Actor) -> None:
        """What the role may do here (domain.actor): read-only users see no support needs and
        change nothing; a mentor cannot move a pupil to another mentor."""
        self._actor = actor
        if self._editor is not None:
            self._apply_actor(actor)

    def _apply_actor(self, actor: Actor) -> None:
        writes = actor.can_write
        self.gegevens.boxes["Ondersteuningsbehoefte · bijzonder persoonsgegeven"].setVisible(
            actor.sees_support_needs
        )
        for form in (*self.gegevens.forms, self.route_page.form):
            form.setEnabled(writes)
        self.gegevens.guardians.setEnabled(writes)
        self.gegevens.leerling_form.editor("mentor").setEnabled(actor.role is Role.COORDINATOR)
        for widget in (self.save_button, self.revert_button, self.documents_button):
            widget.setVisible(writes)
        self.stages.set_writable(writes)
        self.timeline.set_writable(writes)
        for tab in (
            self.checklist,
            self.transitieplan,
            self.paspoort,
            self.consent,
            self.nazorg_tab,
        ):
            if tab is not None:
                tab.setEnabled(writes)
        if not writes:
            self.exit_button.hide()

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
