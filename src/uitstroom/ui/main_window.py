"""The main window: the cohort on the left, one pupil on the right, menus for the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom import APP_NAME
from uitstroom.domain.actor import Actor, Role, coordinator
from uitstroom.domain.audit import ChainAnchor
from uitstroom.domain.enums import Route
from uitstroom.domain.handover import DocumentKind
from uitstroom.domain.model import Pupil, PupilRecord, PupilSummary, SchoolSettings
from uitstroom.domain.plural import counted
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.paths import choose_server, chosen_server
from uitstroom.services.database import Database
from uitstroom.services.errors import ServiceError
from uitstroom.services.identity import author_name
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.users import ChangeMark, ChangeService
from uitstroom.ui import rights
from uitstroom.ui.cohort_model import (
    ROW_ROLE,
    CohortFilter,
    CohortModel,
    CohortProxy,
    fit_columns,
    record_table,
    summary_from_pupil,
)
from uitstroom.ui.first_run import FirstRunChoice, FirstRunDialog
from uitstroom.ui.forms import problems_of
from uitstroom.ui.lock import WindowLock
from uitstroom.ui.pupil_view import PupilView
from uitstroom.ui.today_view import TodayView
from uitstroom.ui.words import words_for
from uitstroom.ui.worker import run_with_progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from uitstroom.domain.checklist import Task
    from uitstroom.services.exit import ExitService
    from uitstroom.services.handover import HandoverService
    from uitstroom.services.nazorg import NazorgService
    from uitstroom.services.planning import PlanningService
    from uitstroom.services.retention import PurgeResult, RetentionService
    from uitstroom.ui.nazorg_view import NazorgView


@dataclass(frozen=True)
class Services:
    """What the window works with. `sessions` is only handed on to services built on demand
    (import, export, demo); the window itself never opens a session."""

    school: SchoolService
    pupils: PupilService
    sessions: sessionmaker[Session]
    location: str
    # The open database (its file, key and backup folder), for backups and restore.
    database: Database | None = None
    # Checklists, statuses and the Vandaag view; None leaves them out (older tests, tools).
    planning: PlanningService | None = None
    # Sociale kaart, transitieplan, paspoort, consent and documents; None leaves them out.
    handover: HandoverService | None = None
    # Leaving, the nazorg calls, signals and outcome figures; None leaves them out.
    nazorg: NazorgService | None = None
    # The mbo exitgesprek and its work list; None leaves them out.
    exit: ExitService | None = None
    # Who is working (domain.actor), the same actor the services above were given. None: the
    # single coordinator of a laptop database.
    actor: Actor | None = None


# How often the window asks the database whether someone else changed something.
REFRESH_MS = 5000


ALL = None


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        author: str | None = None,
        settings: QSettings | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._school = services.school.settings()
        self._author = author or (
            services.actor.name if services.actor is not None else author_name(self._school)
        )
        self._actor = services.actor or coordinator(self._author)
        self._words = words_for(self._school.school_type)
        self.exit = services.exit
        self._settings = settings
        self._today = today
        # While the table is being refiltered, re-sorted or reloaded, the current row may move
        # or vanish; that is not the user choosing another pupil.
        self._quiet = False
        # The pupil a search or filter took out of the pane, to bring back when it shows again.
        self._hidden_pupil: int | None = None

        self.model = CohortModel(services.pupils.summaries(), self._school.school_type, self)
        self.planning = services.planning
        if self.planning is not None:
            # Every pupil's status once, right after the first paint, and after changes; never
            # per paint. With 20,000 pupils they take a while: the window shows first.
            QTimer.singleShot(0, self, self._refresh_statuses)
        self.proxy = CohortProxy(self.model, self)
        self.detail = PupilView(
            services.pupils,
            self._school.school_type,
            self._author,
            self.cohort_label,
            parent=self,
            planning=self.planning,
            today=today,
            handover=services.handover,
            nazorg=services.nazorg,
            exit=services.exit,
        )
        self.handover = services.handover
        self.nazorg = services.nazorg
        self.detail.nazorg_changed.connect(lambda p: self._on_nazorg_changed(p, "tab"))
        self.detail.pupil_saved.connect(self._on_pupil_saved)
        self.detail.pupil_reloaded.connect(self._on_pupil_reloaded)
        self.detail.dirty_changed.connect(self._on_dirty_changed)
        self.detail.task_changed.connect(lambda p, t: self._on_task_changed(p, t, "checklist"))
        self.detail.exit_changed.connect(self._on_exit_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_left_side())
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(440)
        self.splitter = splitter
        self._split_by_hand = False
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_split_by_hand", True))
        self.setCentralWidget(splitter)
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        self._apply_words()
        self._refresh_filters()
        self._update_count()
        self._update_title()
        self._show_nothing_selected()
        self._on_dirty_changed(False)
        self.detail.set_actor(self._actor)
        self._apply_role()
        # Others on the same database: a cheap marker, read every few seconds.
        self._changes = ChangeService(services.sessions)
        first = self._changes.mark()
        self._last_mark = first.counter if first is not None else 0
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.poll_changes)
        self.refresh_timer.start()
        # As large as the screen allows up to 1600x960: a school laptop (1366x768) gets it all.
        screen = self.screen()
        self.resize(QSize(1600, 960).boundedTo(screen.availableGeometry().size()))
        self._share_width()
        if settings is not None:
            geometry = settings.value("main_window/geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
        if self.today_view is not None and self._today_visible():
            # The start screen filled before the window is first shown (indexed queries; see
            # bench/start.py): never an empty Vandaag first.
            self.today_view.reload()

    def _share_width(self) -> None:
        """The list gets the width its columns need (its next step was cut on a laptop while
        the pane had room to spare), the pane the rest but never less than its pages need. Each
        time the columns are fitted, until the user moves the splitter."""
        if self._split_by_hand:
            return
        table = self.table
        needed = (
            table.horizontalHeader().length()
            + table.verticalScrollBar().sizeHint().width()
            + 2 * table.frameWidth()
            + 24  # the list's margins and the splitter's handle
        )
        least = self.detail.minimumSizeHint().width() + self.splitter.handleWidth()
        pane = max(least, self.width() - needed)
        self.splitter.setSizes([self.width() - pane, pane])

    # --- building ------------------------------------------------------------------------
    def _build_left_side(self) -> QWidget:
        """With checklists: two pages, Vandaag (the start screen) and Alle leerlingen."""
        cohort = self._build_cohort_side()
        self.today_view: TodayView | None = None
        self.nazorg_view: NazorgView | None = None
        self.left_tabs: QTabWidget | None = None
        if self.planning is None:
            return cohort
        self.today_view = TodayView(
            self.planning,
            self._author,
            self._today,
            self._settings,
            self,
            nazorg=self.nazorg,
            pane_pupil=lambda: self.detail.pupil_id,
        )
        self.today_view.pupil_chosen.connect(self.open_pupil_at)
        self.today_view.pupil_selected.connect(self._follow_today)
        self.today_view.task_changed.connect(lambda p, t: self._on_task_changed(p, t, "today"))
        self.today_view.nazorg_chosen.connect(self.show_nazorg_page)
        tabs = self.left_tabs = QTabWidget(self)
        tabs.setDocumentMode(True)
        tabs.addTab(self.today_view, "&Vandaag")
        if self.nazorg is not None:
            from uitstroom.ui.nazorg_view import NazorgView

            self.nazorg_view = NazorgView(self.detail.nazorg_context(), self._settings, self)
            self.nazorg_view.pupil_chosen.connect(self.open_pupil_at)
            self.nazorg_view.changed.connect(lambda p: self._on_nazorg_changed(p, "agenda"))
            tabs.addTab(self.nazorg_view, "Na&zorg")
        tabs.addTab(cohort, self._words.all_pupils_tab)
        self._cohort_page = cohort
        tabs.currentChanged.connect(self._on_left_tab_changed)
        if not self.model.rowCount():
            tabs.setCurrentWidget(cohort)
        return tabs

    def _on_left_tab_changed(self, _index: int) -> None:
        if self.today_view is not None and self._today_visible():
            self.today_view.reload_if_stale()
            # The pupil chosen elsewhere is the row chosen here, or no row is.
            if self.detail.pupil_id is not None:
                self.today_view.select_pupil(self.detail.pupil_id)
        if self.nazorg_view is not None and self._nazorg_visible():
            self.nazorg_view.reload_if_stale()

    def show_cohort_page(self) -> None:
        if self.left_tabs is not None:
            self.left_tabs.setCurrentIndex(self.left_tabs.count() - 1)

    def show_nazorg_page(self) -> None:
        """The week's nazorg calls, with the list ready for Enter."""
        if self.left_tabs is None or self.nazorg_view is None:
            return
        self.left_tabs.setCurrentWidget(self.nazorg_view)
        self.nazorg_view.reload_if_stale()
        self.nazorg_view.focus_list()

    def _nazorg_visible(self) -> bool:
        return self.left_tabs is not None and self.left_tabs.currentWidget() is self.nazorg_view

    def _on_nazorg_changed(self, pupil_id: int, origin: str) -> None:
        """Leaving, a call or a signal stored: the agenda, the Vandaag count and the pupil's
        Nazorg tab follow."""
        if self.nazorg_view is not None and origin != "agenda":
            self.nazorg_view.stale = True
            if self._nazorg_visible():
                self.nazorg_view.reload()
        if self.today_view is not None and not self.today_view.stale:
            self.today_view.refresh_nazorg()
        if origin != "tab":
            self.detail.refresh_nazorg(pupil_id)

    def _build_cohort_side(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(8, 8, 4, 8)

        self.search = QLineEdit(side)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Zoek op naam, leerlingnummer, klas of mentor  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_chosen)
        clear = QAction(self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        # From the search field straight into the list: Down or Enter.
        to_list = QAction(self.search)
        to_list.setShortcuts([QKeySequence(Qt.Key.Key_Down), QKeySequence(Qt.Key.Key_Return)])
        to_list.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        to_list.triggered.connect(self.focus_list)
        self.search.addAction(to_list)
        layout.addWidget(self.search)

        self.klas_filter = QComboBox(side)
        self.route_filter = QComboBox(side)
        self.profiel_filter = QComboBox(side)
        self.route_filter.addItem("Alle routes", ALL)
        for route in Route:
            self.route_filter.addItem(route.label, route.value)
        self.show_archived = QCheckBox(self._words.show_archived, side)
        filters = QHBoxLayout()
        self.filter_labels: list[QLabel] = []
        for text, combo in (
            (self._words.klas_filter, self.klas_filter),
            ("Ro&ute", self.route_filter),
            (self._words.profiel_filter, self.profiel_filter),
        ):
            label = QLabel(text, side)
            self.filter_labels.append(label)
            label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filter_chosen)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addWidget(self.show_archived)
        filters.addStretch(1)
        self.show_archived.toggled.connect(self._filter_chosen)
        layout.addLayout(filters)

        # Two lines a row: the next step wraps in its column instead of being cut.
        self.table = record_table(self.proxy, side, "cohort", lines=2)
        # Ctrl+click and Shift+click choose several pupils for a batch of documents.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.activated.connect(lambda _index: self.detail.focus_first_field())
        layout.addWidget(self.table, 1)

        self.count_label = QLabel(side)
        self.count_label.setObjectName("count")
        layout.addWidget(self.count_label)
        return side

    def _build_actions(self) -> None:
        def action(
            text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None
        ) -> QAction:
            made = QAction(text, self)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
            made.triggered.connect(lambda _checked=False: slot())
            return made

        standard = QKeySequence.StandardKey
        self.import_action = action("&Importeren…", self.import_file, "Ctrl+I")
        self.export_action = action("&Exporteren…", self.export_file, "Ctrl+E")
        self.settings_action = action("&Schoolgegevens…", self.edit_school)
        self.users_action = action("Gebruikers en ro&llen…", self.edit_users)
        self.quit_action = action("&Afsluiten", self.close, QKeySequence(standard.Quit))
        self.server_action = action("&Verbinden met de schoolserver…", self.connect_to_server)
        self.local_action = action(
            "&Terug naar de database op deze computer", self.back_to_this_computer
        )
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.new_action = action(self._words.new_pupil, self.new_pupil, QKeySequence(standard.New))
        self.save_action = action("&Opslaan", self.detail.save, QKeySequence(standard.Save))
        self.search_action = action("&Zoeken", self.focus_search, QKeySequence(standard.Find))
        self.archive_action = action("&Archiveren", self.toggle_archived, "Ctrl+Shift+A")
        self.about_action = action("&Over Uitstroom", self.show_about)
        # help: Handleiding (F1, at the page of the screen in front), Handleiding als PDF…
        self.manual_action = action("&Handleiding", self.show_manual, "F1")
        self.manual_pdf_action = action("Handleiding als &PDF…", self.save_manual_pdf)
        # letters and figures: Brieven…, Cohort in cijfers…
        self.letters_action = action("&Brieven…", self.make_letters)
        self.figures_action = action("C&ohort in cijfers…", self.show_figures)
        self.templates_action = action("&Checklist aanpassen…", self.edit_templates)
        self.ics_action = action("A&genda exporteren (.ics)…", self.export_calendar)
        for made in (self.templates_action, self.ics_action):
            made.setEnabled(self._services.planning is not None)
        self.backups_action = action("&Back-ups…", self.show_backups)
        database = self._services.database
        self.backups_action.setEnabled(database is not None and database.path is not None)
        for made in (self.new_action, self.save_action, self.search_action):
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        # documents and the sociale kaart
        self.transitieplan_action = action(
            "&Transitieplan maken…", lambda: self.make_document(DocumentKind.TRANSITIEPLAN)
        )
        self.paspoort_action = action(
            "&Paspoort maken…", lambda: self.make_document(DocumentKind.PASPOORT)
        )
        self.overdracht_action = action(
            "O&verdracht maken…", lambda: self.make_document(DocumentKind.OVERDRACHT)
        )
        self.batch_action = action("&Documenten voor een klas of selectie…", self.make_batch)
        # consent on paper: the form for one pupil or a klas, the signed form recorded
        self.consent_form_action = action("Toestemmings&formulier…", self.print_consent_form)
        self.klas_forms_action = action(
            "Toestemmingsformulieren voor een kla&s…", self.print_klas_forms
        )
        self.signed_form_action = action("Getekend formulier vastle&ggen…", self.record_signed_form)
        self.consent_form_actions = (
            self.consent_form_action,
            self.klas_forms_action,
            self.signed_form_action,
        )
        # nazorg: Uitstroom vastleggen…, Uitstroom voor een hele klas…, Resultaten nazorg…
        self.leaving_action = action("&Uitstroom vastleggen…", self.record_leaving)
        self.klas_leaving_action = action(
            "Uitstroom voor een hele &klas…", self.record_klas_leaving
        )
        self.outcomes_action = action("&Resultaten nazorg…", self.show_outcomes)
        self.nazorg_ics_action = action("&Nazorgagenda exporteren (.ics)…", self.export_nazorg_ics)
        self.nazorg_actions = (
            self.leaving_action,
            self.klas_leaving_action,
            self.outcomes_action,
            self.nazorg_ics_action,
        )
        for made in self.nazorg_actions:
            made.setEnabled(self.nazorg is not None)
        # the mbo exitgesprek: for the student on screen, and the SLB'er's work list
        self.exit_action = action("E&xitgesprek…", self.open_exit_interview, "Ctrl+G")
        self.exit_list_action = action("Exitgesprekken per S&LB'er…", self.show_exit_worklist)
        self.exit_figures_action = action("Cijfers e&xitgesprekken…", self.show_exit_figures)
        self.dropout_reasons_action = action("Redenen van &uitval…", self.edit_dropout_reasons)
        self.exit_actions = (
            self.exit_action,
            self.exit_list_action,
            self.exit_figures_action,
            self.dropout_reasons_action,
        )
        self.address_book_action = action("Sociale &kaart…", self.show_address_book)
        self.overleg_action = action("Uitstroomoverleg met de ge&meente…", self.show_overleg)
        self.document_actions = (
            self.transitieplan_action,
            self.paspoort_action,
            self.overdracht_action,
        )
        for made in (
            *self.document_actions,
            self.batch_action,
            self.address_book_action,
            self.letters_action,
            self.overleg_action,
            *self.consent_form_actions,
        ):
            made.setEnabled(self.handover is not None)

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = self.file_menu = menus.addMenu("&Bestand")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        # backups: Back-ups…
        file_menu.addAction(self.backups_action)
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.users_action)
        # checklists: Checklist aanpassen…, Agenda exporteren (.ics)…
        file_menu.addAction(self.templates_action)
        file_menu.addAction(self.ics_action)
        # handover: Sociale kaart…
        file_menu.addAction(self.address_book_action)
        file_menu.addAction(self.overleg_action)
        # nazorg: Resultaten nazorg…, Nazorgagenda exporteren (.ics)…
        file_menu.addAction(self.outcomes_action)
        file_menu.addAction(self.figures_action)
        file_menu.addAction(self.nazorg_ics_action)
        # the mbo exitgesprek: Cijfers exitgesprekken…, Redenen van uitval…
        file_menu.addAction(self.exit_figures_action)
        file_menu.addAction(self.dropout_reasons_action)
        file_menu.addSeparator()
        # the school's server: Verbinden met de schoolserver…, Terug naar deze computer
        file_menu.addAction(self.server_action)
        file_menu.addAction(self.local_action)
        file_menu.aboutToShow.connect(
            lambda: self.local_action.setVisible(chosen_server() is not None)
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        pupil_menu = self.pupil_menu = menus.addMenu(self._words.pupil_menu)
        pupil_menu.addAction(self.new_action)
        pupil_menu.addAction(self.save_action)
        pupil_menu.addSeparator()
        pupil_menu.addAction(self.search_action)
        pupil_menu.addSeparator()
        pupil_menu.addAction(self.archive_action)
        # documents: Transitieplan / Paspoort / Overdracht maken…, batch
        pupil_menu.addSeparator()
        for made in self.document_actions:
            pupil_menu.addAction(made)
        pupil_menu.addAction(self.batch_action)
        pupil_menu.addAction(self.letters_action)
        # consent on paper: Toestemmingsformulier…, … voor een klas…, Getekend formulier…
        pupil_menu.addSeparator()
        for made in self.consent_form_actions:
            pupil_menu.addAction(made)
        if self.handover is not None:
            documents = QMenu(self)
            for made in self.document_actions:
                documents.addAction(made)
            self.detail.set_document_menu(documents)
        # nazorg: Uitstroom vastleggen…, Uitstroom voor een hele klas…
        pupil_menu.addSeparator()
        pupil_menu.addAction(self.leaving_action)
        pupil_menu.addAction(self.klas_leaving_action)
        # the mbo exitgesprek: Exitgesprek…, Exitgesprekken per SLB'er…
        self.exit_separator = pupil_menu.addSeparator()
        for made in (self.exit_action, self.exit_list_action):
            pupil_menu.addAction(made)
        # the pupil's rights: Inzage-export…, Wissen op verzoek…
        pupil_menu.addSeparator()
        self.inzage_action = pupil_menu.addAction("&Inzage-export…")
        self.inzage_action.triggered.connect(lambda _checked=False: self.export_inzage())
        self.erase_action = pupil_menu.addAction("&Wissen op verzoek…")
        self.erase_action.triggered.connect(lambda _checked=False: self.erase_on_request())
        pupil_menu.aboutToShow.connect(self._update_rights_actions)
        # Alt+P is the Paspoort tab.
        self.privacy_menu = menus.addMenu("Privac&y")
        # audit trail: Logboek…; retention: Bewaartermijnen en opschonen…
        self.audit_action = self.privacy_menu.addAction("&Logboek…")
        self.audit_action.triggered.connect(lambda _checked=False: self.show_audit_trail())
        self.retention_action = self.privacy_menu.addAction("&Bewaartermijnen en opschonen…")
        self.retention_action.triggered.connect(lambda _checked=False: self.show_retention())
        # lock: Vergrendelen (Ctrl+L), Herstelwachtwoord wijzigen…
        self.window_lock = WindowLock(
            self,
            self._services.database,
            self._school.auto_lock_minutes,
            school_name=lambda: self._school.name,
            has_unsaved=self.detail.is_dirty,
        )
        self.privacy_menu.addSeparator()
        self.privacy_menu.addAction(self.window_lock.lock_action)
        self.privacy_menu.addAction(self.window_lock.change_passphrase_action)
        self.privacy_menu.addAction(self.window_lock.change_day_password_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self.manual_pdf_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        # F1 in a dialog opens the manual at that dialog's page.
        from uitstroom.ui.manual_dialog import HelpKey

        self.help_key = HelpKey(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.help_key)

    def _build_status_bar(self) -> None:
        self.location_label = QLabel(f"Database: {self._services.location}", self)
        self.location_label.setToolTip(self._services.location)
        self.last_saved_label = QLabel("", self)
        bar = self.statusBar()
        bar.addWidget(self.location_label, 1)
        self.user_label = QLabel(self)
        self.user_label.setObjectName("user")
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.last_saved_label)

    # --- the list ------------------------------------------------------------------------
    def cohort_label(self) -> str:
        """New and imported pupils join the newest cohort, or this school year's."""
        cohorts = self._services.pupils.cohorts()
        if cohorts:
            return max(cohorts, key=lambda c: c.label).label
        return SchoolYear.of(self._today()).label

    def current_filter(self) -> CohortFilter:
        route = self.route_filter.currentData()
        return CohortFilter(
            text=self.search.text(),
            klas=self.klas_filter.currentData(),
            route=Route(route) if route else None,
            profiel=self.profiel_filter.currentData(),
            show_archived=self.show_archived.isChecked(),
        )

    def _apply_filter(self) -> None:
        with self._quietly():
            self.proxy.set_filter(self.current_filter())
        self._reselect_open_pupil()
        self._update_count()

    def _filter_chosen(self) -> None:
        """A search or filter the user chose: a pupil it hides leaves the right pane too, which
        showed a pupil no longer in the list, and comes back when the list shows it again (the
        search cleared) while nobody else was opened. One with unsaved changes stays."""
        self._apply_filter()
        if self.detail.is_open:
            self._hidden_pupil = None  # someone else was opened meanwhile
        elif self._hidden_pupil is not None:
            if self.select_pupil(self._hidden_pupil) and self.detail.open_pupil(self._hidden_pupil):
                self._hidden_pupil = None
                self._update_archive_action()
            return
        record = self.detail.record
        pupil_id = self.detail.pupil_id
        if (
            record is None
            or pupil_id is None
            or self.detail.is_dirty()
            or self.table.currentIndex().isValid()
        ):
            return
        self._hidden_pupil = pupil_id
        self.detail.show_empty(
            f"{record.pupil.name} valt buiten de zoekopdracht of het filter.\n\n"
            f"Kies links een {self._words.pupil} om de gegevens te zien."
        )
        self._update_archive_action()

    def _refresh_filters(self) -> None:
        """Klas and profiel choices come from the pupils; a choice still present stays chosen."""
        with self._quietly():
            for combo, everything, values in (
                (self.klas_filter, f"Alle {self._words.klassen}", self.model.klassen()),
                (self.profiel_filter, f"Alle {self._words.profielen}", self.model.profielen()),
            ):
                current = combo.currentData()
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(everything, ALL)
                for value in values:
                    combo.addItem(value or f"(zonder {self._words.klas})", value)
                found = combo.findData(current) if current is not None else 0
                combo.setCurrentIndex(max(found, 0))
                combo.blockSignals(False)
        if self.today_view is not None:
            self.today_view.set_choices(
                [row.mentor for row in self.model.rows], self.model.klassen()
            )
        self._apply_filter()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.in_scope_count()
        if shown == total:
            self.count_label.setText(self._words.count(total))
        else:
            self.count_label.setText(f"{shown} van {self._words.count(total)}")

    def reload_cohort(self) -> None:
        """Read the whole cohort again (after an import or the demo)."""
        with self._quietly():
            self.model.set_rows(self._services.pupils.summaries())
            self._refresh_planning()
        fit_columns(self.table)
        self._share_width()
        self._refresh_filters()
        self._reselect_open_pupil()

    def _refresh_planning(self) -> None:
        """After a change to many pupils (import, demo, restore, templates): every status
        again, and the Vandaag list read again."""
        if self.planning is None:
            return
        self._refresh_statuses()
        if self.today_view is not None:
            self.today_view.stale = True
            if self.left_tabs is not None and self.left_tabs.currentWidget() is self.today_view:
                self.today_view.reload()

    def _refresh_statuses(self) -> None:
        if self.planning is not None:
            self.model.set_statuses(self.planning.statuses(self._today()))

    def select_pupil(self, pupil_id: int | None) -> bool:
        """Make a pupil the table's current row without it counting as the user's choice."""
        row = None if pupil_id is None else self.model.row_of(pupil_id)
        index = QModelIndex()
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        with self._quietly():
            selection = self.table.selectionModel()
            if index.isValid():
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
            else:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        return index.isValid()

    def _reselect_open_pupil(self) -> None:
        self.select_pupil(self.detail.pupil_id)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        summary = current.data(ROW_ROLE)
        if summary is None or summary.id == self.detail.pupil_id:
            return
        if not self.detail.resolve_unsaved():
            self._reselect_open_pupil()
            return
        self.detail.open_pupil(summary.id)
        self._update_archive_action()

    def _show_nothing_selected(self) -> None:
        if self.model.rowCount() == 0:
            self.detail.show_empty(
                f"Er staan nog geen {self._words.pupils} in.\n\nImporteer een export uit de "
                f"{self._words.pupil}administratie (Ctrl+I) of voeg een {self._words.pupil} "
                "toe (Ctrl+N)."
            )
        else:
            self.detail.show_empty(
                f"Kies links een {self._words.pupil} om de gegevens te zien.\n\n"
                f"Zoeken: Ctrl+F  ·  Nieuwe {self._words.pupil}: Ctrl+N"
            )
        self._update_archive_action()

    # --- after changes -------------------------------------------------------------------
    def _on_pupil_saved(self, record: PupilRecord) -> None:
        with self._quietly():
            self.model.upsert(summary_from_pupil(record.pupil))
            if self.planning is not None and record.pupil.id is not None:
                # A new route re-plans the tasks; a new klas or mentor moves the pupil in the
                # Vandaag filters.
                self._update_status(record.pupil.id)
                if self.today_view is not None:
                    self.today_view.stale = True
                    if self._today_visible():
                        self.today_view.reload()
        self._refresh_filters()
        self._reselect_open_pupil()
        self.last_saved_label.setText(f"Laatst opgeslagen: {datetime.now():%H:%M}")
        self._update_archive_action()

    def _today_visible(self) -> bool:
        return self.left_tabs is not None and self.left_tabs.currentWidget() is self.today_view

    def _update_status(self, pupil_id: int) -> None:
        assert self.planning is not None
        try:
            status = self.planning.status_of(pupil_id, self._today())
        except ServiceError:
            return
        self.model.update_status(pupil_id, status)

    def _on_task_changed(self, pupil_id: int, task: Task, origin: str) -> None:
        """A tick or an untick, here or in the pupil's checklist: the status column, the
        Vandaag list and the open checklist follow at once."""
        with self._quietly():
            self._update_status(pupil_id)
        if origin != "today" and self.today_view is not None:
            self.today_view.task_changed_elsewhere(task)
        checklist = self.detail.checklist
        if origin != "checklist" and checklist is not None and checklist.pupil_id == pupil_id:
            checklist.refresh()

    def _follow_today(self, pupil_id: int) -> None:
        """Another row chosen in Vandaag: the pane shows that pupil (it kept showing the one
        opened before, beside another pupil's row)."""
        if not self._today_visible() or pupil_id == self.detail.pupil_id:
            return
        if not self.detail.resolve_unsaved():
            assert self.today_view is not None
            self.today_view.select_pupil(self.detail.pupil_id)
            return
        if self.detail.open_pupil(pupil_id):
            self.select_pupil(pupil_id)
            self._update_archive_action()

    def open_pupil_at(self, pupil_id: int, tab: str, task_id: int | None = None) -> None:
        """From the Vandaag view: the pupil, at the tab where the work is."""
        if pupil_id != self.detail.pupil_id:
            if not self.detail.resolve_unsaved():
                return
            if not self.detail.open_pupil(pupil_id):
                return
            self.select_pupil(pupil_id)
            self._update_archive_action()
        self.detail.show_tab(tab, task_id)
        if tab == "nazorg" and self.detail.nazorg_tab is not None:
            self.detail.nazorg_tab.moment_table.setFocus()

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.save_action.setEnabled(dirty)
        self.setWindowModified(dirty)

    def _update_title(self) -> None:
        name = self._school.name.strip()
        self.setWindowTitle(f"{APP_NAME} — {name}[*]" if name else f"{APP_NAME}[*]")

    def _update_archive_action(self) -> None:
        record = self.detail.record
        known = record is not None and record.pupil.id is not None
        self.archive_action.setEnabled(known)
        archived = known and record is not None and record.pupil.archived
        self.archive_action.setText("&Terugzetten" if archived else "&Archiveren")

    def _school_changed(self, school: SchoolSettings) -> None:
        self._school = school
        if self._services.actor is None:
            self._author = author_name(school)
            self._actor = coordinator(self._author)
        self.detail.set_author(self._author)
        if self.today_view is not None:
            self.today_view.set_author(self._author)
        self.detail.set_school_type(school.school_type)
        self.model.set_school_type(school.school_type)
        self.window_lock.set_idle_minutes(school.auto_lock_minutes)
        self._update_title()
        self._apply_words()

    def _apply_words(self) -> None:
        """The school's words (ui/words.py) on every label the window owns; the pupil view and
        Vandaag take theirs from the same table."""
        school_type = self._school.school_type
        words = self._words = words_for(school_type)
        self.pupil_menu.setTitle(words.pupil_menu)
        self.new_action.setText(words.new_pupil)
        self.show_archived.setText(words.show_archived)
        self.filter_labels[0].setText(words.klas_filter)
        self.filter_labels[2].setText(words.profiel_filter)
        self.search.setPlaceholderText(
            f"Zoek op naam, {words.number}, {words.klas} of {words.mentor}  (Ctrl+F)"
        )
        if self.left_tabs is not None:
            self.left_tabs.setTabText(
                self.left_tabs.indexOf(self._cohort_page), words.all_pupils_tab
            )
        if self.today_view is not None:
            self.today_view.set_words(words)
        fit_columns(self.table)
        self._share_width()
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        # The exitgesprek is the mbo's: pro and vso never see it.
        for made in self.exit_actions:
            made.setVisible(words.exit_interviews)
            made.setEnabled(self.exit is not None)
        self.exit_separator.setVisible(words.exit_interviews)
        self._refresh_filters()
        self._update_count()
        # The exit actions were shown again for an mbo: what the role may not do stays hidden.
        self._apply_role()

    # --- actions -------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.show_cohort_page()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_list(self) -> None:
        self.show_cohort_page()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def new_pupil(self) -> None:
        if not self.detail.resolve_unsaved():
            return
        self.select_pupil(None)
        self.detail.start_new()
        self._update_archive_action()

    def toggle_archived(self) -> None:
        record = self.detail.record
        if record is None or record.pupil.id is None or not self.detail.resolve_unsaved():
            return
        # Asking may have saved or discarded edits: archive what the view holds now.
        pupil = (self.detail.record or record).pupil
        try:
            saved = self._services.pupils.save(
                replace(pupil, archived=not pupil.archived), self._author
            )
        except ServiceError as exc:
            QMessageBox.warning(self, "Archiveren", "\n".join(problems_of(exc)))
            return
        self.detail.show_record(saved)
        self._on_pupil_saved(saved)
        name = saved.pupil.name
        if saved.pupil.archived:
            message = f"{name} is gearchiveerd."
            if not self.show_archived.isChecked():
                message += " Vink ‘Toon gearchiveerde leerlingen’ aan om de leerling terug te zien."
        else:
            message = f"{name} staat weer bij de actieve leerlingen."
        self.statusBar().showMessage(message, 8000)

    def edit_school(self, intro: str = "") -> bool:
        from uitstroom.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self._services.school,
            self._school,
            intro,
            self,
            planning=self.planning,
            author=self._author,
        )
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return False
        self._school_changed(dialog.saved)
        # A moved last school day or attention window changes dates and statuses.
        self._refresh_planning()
        if self.detail.checklist is not None:
            self.detail.checklist.refresh()
        return True

    def import_file(self) -> None:
        from uitstroom.services.backups import import_backup

        if not self.detail.resolve_unsaved():
            return
        try:
            from uitstroom.services.importing import ImportService
            from uitstroom.ui.import_dialog import ImportDialog
        except ImportError:
            QMessageBox.information(
                self,
                "Importeren",
                "Importeren kan in deze versie van Uitstroom nog niet. "
                "Gebruik voorlopig de opdracht ‘uitstroom import BESTAND’.",
            )
            return
        database = self._services.database
        before_write = import_backup(database) if database is not None else None
        dialog = ImportDialog(
            ImportService(
                self._services.sessions, before_write=before_write, actor=self._services.actor
            ),
            self.cohort_label(),
            self._author,
            self,
        )
        dialog.imported.connect(self._after_import)
        dialog.exec()

    def _after_import(self, *_args: object) -> None:
        self.reload_cohort()
        if self.detail.pupil_id is not None:
            self.detail.open_pupil(self.detail.pupil_id)
        elif not self.detail.is_open:
            self._show_nothing_selected()

    def export_file(self) -> None:
        try:
            from uitstroom.services.export import export_pupils
        except ImportError:
            QMessageBox.information(
                self, "Exporteren", "Exporteren kan in deze versie van Uitstroom nog niet."
            )
            return
        suggestion = str(Path.home() / f"leerlingen-{self.cohort_label()}.xlsx")
        path, chosen_filter = QFileDialog.getSaveFileName(
            self,
            "Leerlingen exporteren",
            suggestion,
            "Excel-werkmap (*.xlsx);;CSV, gescheiden door puntkomma’s (*.csv)",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".xlsx")
        sessions = self._services.sessions

        def done(count: int) -> None:
            self.statusBar().showMessage(
                f"{counted(count, 'leerling', 'leerlingen')} geëxporteerd naar {target}.", 10000
            )

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self, "Exporteren is niet gelukt", str(error))

        # A cohort of thousands takes a second or more: off the UI thread, like the import.
        run_with_progress(
            self,
            "Leerlingen exporteren…",
            lambda _progress: export_pupils(sessions, target, user=self._services.actor),
            on_done=done,
            on_error=failed,
        )

    def edit_templates(self) -> None:
        if self.planning is None:
            return
        from uitstroom.ui.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.planning, self._author, self._today(), self)
        if dialog.exec() == TemplatesDialog.DialogCode.Accepted:
            # Saving re-planned every pupil's open tasks.
            self._refresh_planning()
            if self.detail.checklist is not None:
                self.detail.checklist.refresh()
            self.statusBar().showMessage(
                "De checklist is opgeslagen; de open taken van alle leerlingen zijn bijgewerkt.",
                10000,
            )

    def export_calendar(self) -> None:
        if self.planning is None:
            return
        from uitstroom.ui.calendar_export import export_calendar

        written = export_calendar(
            self,
            self.planning,
            self._today(),
            [row.mentor for row in self.model.rows if not row.archived],
            self.model.klassen(),
        )
        if written is not None:
            self.statusBar().showMessage(
                f"Agenda opgeslagen: {written}. Open het bestand in Outlook of Google Agenda.",
                10000,
            )

    def show_audit_trail(self) -> None:
        from uitstroom.services.audit import AuditService
        from uitstroom.ui.audit_dialog import show_audit_trail

        show_audit_trail(
            self,
            AuditService(self._services.sessions, self._services.actor, self._backup_anchors()),
        )

    def _backup_anchors(self) -> Callable[[], list[ChainAnchor]] | None:
        """The audit heads the backups recorded, for "Keten controleren" (a file only)."""
        from uitstroom.services.backups import anchors as backup_anchors

        database = self._services.database
        if database is None or database.path is None or database.backup_dir is None:
            return None
        path, folder = database.path, database.backup_dir
        return lambda: backup_anchors(path, folder)

    def show_backups(self) -> None:
        from uitstroom.ui.backup_dialog import BackupDialog

        database = self._services.database
        if database is None or database.path is None:
            return
        dialog = BackupDialog(database, self, before_restore=self.detail.resolve_unsaved)
        dialog.restored.connect(lambda _result: self.reload_after_restore())
        dialog.exec()

    def reload_after_restore(self) -> None:
        """The services now read the restored file (same Database, new engine): show it."""
        self._school_changed(self._services.school.settings())
        self.reload_cohort()
        pupil_id = self.detail.pupil_id
        if pupil_id is not None and self.model.row_of(pupil_id) is not None:
            self.detail.open_pupil(pupil_id)
        else:
            self.select_pupil(None)
            self._show_nothing_selected()
        self.last_saved_label.setText("")
        self.statusBar().showMessage("De back-up is teruggezet.", 10000)

    def show_about(self) -> None:
        from uitstroom.ui.about_dialog import AboutDialog

        AboutDialog(self._services, self).exec()

    # --- help, letters and figures ------------------------------------------------------------
    def manual_topic(self) -> str:
        """The manual page for what the window shows: the pupil tab in use when the focus is
        on the pupil, else the tab on the left."""
        from uitstroom.ui.manual_dialog import topic_of

        focus = QApplication.focusWidget()
        if focus is not None and self.detail.isAncestorOf(focus):
            return topic_of(self.detail.tabs.currentWidget())
        if self.left_tabs is None or self.left_tabs.currentWidget() is self._cohort_page:
            return "lijst"
        return topic_of(self.left_tabs.currentWidget())

    def show_manual(self) -> None:
        from uitstroom.ui.manual_dialog import show_manual

        self.manual = show_manual(self.manual_topic(), self)

    def save_manual_pdf(self) -> None:
        from uitstroom.services.manual import write_manual

        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Handleiding opslaan",
            str(Path.home() / "Handleiding Uitstroom.pdf"),
            "PDF-bestand (*.pdf)",
        )
        if not chosen:
            return
        try:
            write_manual(Path(chosen), self._school.name)
        except ServiceError as exc:
            QMessageBox.warning(self, "Handleiding", "\n".join(problems_of(exc)))
            return
        self.statusBar().showMessage(f"Opgeslagen: {chosen}", 10000)

    def make_letters(self) -> None:
        from uitstroom.services.letters import LetterService
        from uitstroom.ui.letters_dialog import LettersDialog

        handover = self.handover
        if handover is None:
            return
        LettersDialog(
            LetterService(self._services.sessions, actor=self._services.actor),
            self.model.klassen(),
            handover.pupil_ids,
            self.selected_summaries(),
            self._today(),
            self._author,
            parent=self,
        ).exec()

    def show_figures(self) -> None:
        from uitstroom.services.figures import FiguresService
        from uitstroom.ui.figures_dialog import FiguresDialog

        service = FiguresService(self._services.sessions, actor=self._services.actor)
        cohorts = [cohort.label for cohort in self._services.pupils.cohorts()]
        FiguresDialog(service, cohorts, self._today, parent=self).exec()

    # --- documents and the sociale kaart --------------------------------------------------
    def make_document(self, kind: DocumentKind) -> None:
        """One pupil's document in the preview; what is stored is what goes out, so unsaved
        edits are settled first."""
        handover = self.handover
        if handover is None or not self.detail.resolve_unsaved():
            return
        pupil = self._saved_pupil()
        if pupil is None:
            return
        from uitstroom.ui import document_actions

        today = self._today()
        recipient = made = None
        try:
            if kind is DocumentKind.OVERDRACHT:
                asked = document_actions.ask_recipient(self, handover, pupil, today)
                if asked is None:
                    return
                recipient, made = asked
            dialog = document_actions.preview_document(
                self, handover, kind, pupil, self._author, today, recipient, made
            )
        except ServiceError as exc:
            QMessageBox.warning(self, kind.label, "\n".join(problems_of(exc)))
            return
        dialog.exec()
        self.detail.refresh_documents()
        if dialog.saved_to is not None:
            self.statusBar().showMessage(f"Opgeslagen: {dialog.saved_to}", 10000)

    def selected_summaries(self) -> list[PupilSummary]:
        rows = self.table.selectionModel().selectedRows()
        return [self.proxy.summary_at(index.row()) for index in rows]

    def make_batch(self) -> None:
        handover = self.handover
        if handover is None or not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.document_actions import BatchDialog, run_batch

        dialog = BatchDialog(handover, self.model.klassen(), self.selected_summaries(), parent=self)
        if dialog.exec() != BatchDialog.DialogCode.Accepted or dialog.choice is None:
            return

        def finished(summary: str) -> None:
            self.detail.refresh_documents()
            self.statusBar().showMessage(summary.splitlines()[0], 10000)

        run_batch(self, handover, dialog.choice, self._author, self._today(), finished)

    def show_overleg(self) -> None:
        if self.handover is None:
            return
        from uitstroom.services.overleg import OverlegService
        from uitstroom.ui.overleg_dialog import OverlegDialog

        OverlegDialog(
            self.handover.alongside(OverlegService), self._author, self._today, self
        ).exec()
        # Decisions added agreements and tasks: statuses, Vandaag and the open plan again.
        self.reload_cohort()
        self.detail.reload_plan()

    def print_consent_form(self) -> None:
        handover = self.handover
        if handover is None or not self.detail.resolve_unsaved():
            return
        pupil = self._saved_pupil()
        if pupil is None:
            return
        from uitstroom.ui.consent_forms import print_consent_form

        print_consent_form(self, handover, pupil, self._author, self._today())

    def print_klas_forms(self) -> None:
        if self.handover is None:
            return
        from uitstroom.ui.consent_forms import print_klas_forms

        print_klas_forms(
            self,
            self.handover,
            self.model.klassen(),
            self._author,
            self._today(),
            lambda message: self.statusBar().showMessage(message.splitlines()[0], 10000),
        )

    def record_signed_form(self) -> None:
        """The consent tab of the pupil on screen, with the dialog for the signed form."""
        pupil = self._saved_pupil()
        if pupil is None or pupil.id is None or self.detail.consent is None:
            return
        self.open_pupil_at(pupil.id, "toestemming")
        self.detail.consent.record_signed_form()

    def show_address_book(self) -> None:
        if self.handover is None:
            return
        from uitstroom.ui.address_book import AddressBookDialog

        dialog = AddressBookDialog(self.handover, self._author, self._today, self)
        dialog.exec()
        if dialog.changed:
            self.detail.reload_plan()
            if dialog.last_message:
                self.statusBar().showMessage(dialog.last_message, 10000)

    # --- nazorg --------------------------------------------------------------------------
    def record_leaving(self) -> None:
        if self.nazorg is None or not self.detail.resolve_unsaved():
            return
        if self._saved_pupil() is not None:
            self.detail.record_leaving()

    def record_klas_leaving(self) -> None:
        if self.nazorg is None or not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.leaving_dialog import KlasLeavingDialog

        today = self._today()
        dialog = KlasLeavingDialog(
            self.nazorg,
            self._services.pupils.pupils(),
            self._author,
            today,
            self._last_school_day(today),
            self,
        )
        current = self.detail.record
        if current is not None and current.pupil.klas:
            found = dialog.klas.findData(current.pupil.klas)
            if found >= 0:
                dialog.klas.setCurrentIndex(found)
        if dialog.exec() != KlasLeavingDialog.DialogCode.Accepted:
            return
        self.statusBar().showMessage(
            f"Uitstroom vastgelegd voor {counted(dialog.count, 'leerling', 'leerlingen')}; het nazorgplan is gemaakt.",
            10000,
        )
        if self.nazorg_view is not None:
            self.nazorg_view.stale = True
        if self.today_view is not None:
            self.today_view.refresh_nazorg()
        if self.detail.pupil_id is not None:
            self.detail.refresh_nazorg(self.detail.pupil_id)

    def _last_school_day(self, today: date) -> date:
        """The school's last school day this year, when known; else today."""
        if self.planning is None:
            return today
        try:
            last = getattr(self.planning.calendar(), "last_school_day", None)
        except ServiceError:
            return today
        return last if isinstance(last, date) else today

    def show_outcomes(self) -> None:
        if self.nazorg is None:
            return
        from uitstroom.ui.outcomes_view import OutcomesDialog

        OutcomesDialog(self.nazorg, self._author, self._today(), self).exec()

    def export_nazorg_ics(self) -> None:
        if self.nazorg_view is not None:
            self.nazorg_view.export_ics()

    # --- the school's server -------------------------------------------------------------
    def connect_to_server(self) -> None:
        """Connect once to check the address and password (kept in the keychain when asked);
        the next start opens the server. A running window keeps its database: what is on
        screen belongs to it, and nothing half-saved moves along."""
        from uitstroom.services.connection import ServerAddress
        from uitstroom.ui.server_dialog import ServerDialog

        current = chosen_server()
        dialog = ServerDialog(ServerAddress.from_url(current) if current else None, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.address is None:
            return
        if dialog.database is not None:
            dialog.database.close()
        choose_server(dialog.address.url())
        QMessageBox.information(
            self,
            "Schoolserver gekozen",
            f"Vanaf de volgende start werkt Uitstroom met {dialog.address.description}. "
            "Sluit Uitstroom en start het opnieuw. De database op deze computer blijft bewaard; "
            "met Bestand → Terug naar de database op deze computer gaat u er weer naar terug.",
        )

    def back_to_this_computer(self) -> None:
        choose_server(None)
        QMessageBox.information(
            self,
            "Database op deze computer",
            "Vanaf de volgende start werkt Uitstroom weer met de database op deze computer. "
            "Sluit Uitstroom en start het opnieuw.",
        )

    # --- the mbo exitgesprek --------------------------------------------------------------
    def open_exit_interview(self) -> None:
        """The exitgesprek of the student on screen; unsaved edits are settled first, so the
        form starts from the stored contact details."""
        if self.exit is None or not self.detail.resolve_unsaved():
            return
        if self._saved_pupil() is not None:
            self.detail.open_exit_interview()

    def show_exit_worklist(self) -> None:
        if self.exit is None or not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.exit_worklist import ExitWorklistDialog

        current = self.detail.record
        dialog = ExitWorklistDialog(
            self.exit,
            self._services.pupils,
            self._author,
            self._today,
            self,
            mentor=current.pupil.mentor if current is not None else None,
            settings=self._settings,
        )
        dialog.exit_changed.connect(self._on_exit_changed)
        dialog.exec()

    def show_exit_figures(self) -> None:
        if self.exit is None:
            return
        from uitstroom.ui.exit_figures import ExitFiguresDialog

        ExitFiguresDialog(self.exit, self._author, self._today(), self).exec()

    def edit_dropout_reasons(self) -> None:
        if self.exit is None:
            return
        from uitstroom.ui.dropout_reasons import DropoutReasonsDialog

        DropoutReasonsDialog(self.exit, self._author, self).exec()

    def _on_exit_changed(self, pupil_id: int) -> None:
        """A finished interview set the leaving data and maybe planned calls and a signal."""
        self._on_nazorg_changed(pupil_id, "exit")

    # --- privacy -------------------------------------------------------------------------
    def _retention(self) -> RetentionService:
        from uitstroom.services.retention import RetentionService, purge_backup

        db = self._services.database

        def now() -> datetime:
            return datetime.combine(self._today(), datetime.now().time())

        backup = purge_backup(db) if db is not None else None
        return RetentionService(
            self._services.sessions, backup=backup, clock=now, actor=self._services.actor
        )

    def offer_purge(self) -> None:
        # The coordinator's: the list names every pupil whose data is due to go.
        from uitstroom.ui.retention_dialog import offer_purge

        if not self._actor.is_coordinator:
            return
        offer_purge(
            self,
            self._retention(),
            self._author,
            self._today(),
            self._settings,
            self._services.location,
            self._after_purge,
        )

    def show_retention(self) -> None:
        from uitstroom.ui.retention_dialog import RetentionDialog

        if not self.detail.resolve_unsaved():
            return
        dialog = RetentionDialog(self._retention(), self._author, self._today(), parent=self)
        dialog.purged.connect(self._after_purge)
        dialog.exec()

    def _after_purge(self, result: PurgeResult) -> None:
        self.after_records_removed()
        self.statusBar().showMessage(result.summary, 10000)

    def _saved_pupil(self) -> Pupil | None:
        record = self.detail.record
        if record is None or record.pupil.id is None:
            self.statusBar().showMessage("Kies eerst een leerling in de lijst.", 6000)
            return None
        return record.pupil

    def _update_rights_actions(self) -> None:
        record = self.detail.record
        known = record is not None and record.pupil.id is not None
        self.exit_action.setEnabled(known and self.exit is not None)
        self.inzage_action.setEnabled(known)
        self.erase_action.setEnabled(known)
        for made in (*self.document_actions, self.consent_form_action, self.signed_form_action):
            made.setEnabled(known and self.handover is not None)
        self.leaving_action.setEnabled(known and self.nazorg is not None)

    def export_inzage(self) -> None:
        # The inzage shows what is stored: unsaved edits are saved or discarded first.
        from uitstroom.services.rights import RightsService

        if not self.detail.resolve_unsaved():
            return
        pupil = self._saved_pupil()
        if pupil is not None:
            rights.export_inzage(
                self,
                RightsService(self._services.sessions, actor=self._services.actor),
                pupil,
                self._author,
            )

    def erase_on_request(self) -> None:
        from uitstroom.services.rights import RightsService

        if not self.detail.resolve_unsaved():
            return
        pupil = self._saved_pupil()
        if pupil is None:
            return
        service = RightsService(self._services.sessions, actor=self._services.actor)
        if rights.erase_on_request(self, service, pupil, self._author) is None:
            return
        self.after_records_removed()
        self.statusBar().showMessage(
            f"{pupil.name} is gewist. Het logboek en de tellingen zonder naam blijven.", 10000
        )

    def after_records_removed(self) -> None:
        """After a purge or an erasure: the list read again; a pupil on screen that is gone
        makes way, one that stays is read again (its notes may be gone)."""
        self.reload_cohort()
        pupil_id = self.detail.pupil_id
        if pupil_id is not None and self.model.row_of(pupil_id) is None:
            self._show_nothing_selected()
        elif pupil_id is not None:
            self.detail.open_pupil(pupil_id)

    # --- first run -----------------------------------------------------------------------
    def needs_first_run(self) -> bool:
        return self.model.rowCount() == 0 and not self._school.is_configured

    def offer_first_run(self) -> None:
        """An empty database and no school yet: offer an empty start, the demo or an import."""
        if not self.needs_first_run():
            # Not a first run: the monthly retention check takes its place at start-up.
            self.offer_purge()
            return
        dialog = FirstRunDialog(self)
        dialog.exec()
        if dialog.choice == FirstRunChoice.DEMO:
            self.load_demo_cohort()
        elif dialog.choice == FirstRunChoice.EMPTY:
            self.edit_school("Welkom! Vul eerst de gegevens van uw school in.")
        elif dialog.choice == FirstRunChoice.IMPORT:
            self.edit_school(
                "Vul eerst de gegevens van uw school in; daarna kiest u het bestand om te "
                "importeren."
            )
            self.import_file()

    def load_demo_cohort(self) -> None:
        # With last year's leavers, so the Nazorg agenda and the figures have something to show.
        from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort

        count = insert_demo_cohort(
            self._services.sessions, today=self._today(), leavers=DEMO_LEAVERS
        )
        self._school_changed(self._services.school.settings())
        self.reload_cohort()
        self._show_nothing_selected()
        self.statusBar().showMessage(
            f"Voorbeeldcohort aangemaakt: {count} verzonnen leerlingen bij een verzonnen school, "
            f"en {DEMO_LEAVERS} oud-leerlingen van vorig jaar in de nazorg.",
            10000,
        )

    # --- several people at once ------------------------------------------------------------
    def _apply_role(self) -> None:
        """Hide what the role may not do; the services refuse it anyway (NotAllowed)."""
        actor = self._actor
        coordinator_only = (
            self.import_action,
            self.export_action,
            self.settings_action,
            self.users_action,
            self.templates_action,
            self.backups_action,
            self.new_action,
            self.archive_action,
            self.klas_leaving_action,
            self.inzage_action,
            self.erase_action,
            self.audit_action,
            self.retention_action,
        )
        for made in coordinator_only:
            made.setVisible(actor.is_coordinator)
        writing = (
            self.save_action,
            self.leaving_action,
            self.batch_action,
            self.address_book_action,
            self.letters_action,
            *self.document_actions,
            *self.exit_actions,
        )
        for made in writing:
            if not actor.can_write:
                made.setVisible(False)
        self.user_label.setText(f"{actor.name} · {actor.role.in_sentence}")
        self.user_label.setToolTip(
            {
                Role.COORDINATOR: "U mag alles in Uitstroom.",
                Role.MENTOR: f"U ziet en wijzigt de leerlingen met mentor {actor.as_mentor}.",
                Role.READONLY: "U kunt kijken en cijfers bekijken; ondersteuningsbehoefte en "
                "notities ziet u niet.",
            }[actor.role]
        )

    def edit_users(self) -> None:
        from uitstroom.services.users import UserService
        from uitstroom.ui.users_dialog import UsersDialog

        service = UserService(self._services.sessions, actor=self._services.actor)
        UsersDialog(service, self._author, self).exec()

    def poll_changes(self) -> bool:
        """Someone else changed data: read the lists again (and the open pupil when it is not
        being edited), keeping what was chosen. True when the window was refreshed."""
        if QApplication.activeModalWidget() is not None or self.window_lock.is_locked:
            return False
        mark = self._changes.mark()
        if mark is None or mark.counter == self._last_mark:
            return False
        self._last_mark = mark.counter
        self.refresh_from_others(mark)
        return True

    def refresh_from_others(self, mark: ChangeMark | None = None) -> None:
        selection = self.table.selectionModel()
        chosen = [
            index.data(ROW_ROLE).id
            for index in selection.selectedRows()
            if index.data(ROW_ROLE) is not None
        ]
        scrolled = self.table.verticalScrollBar().value()
        self.reload_cohort()
        with self._quietly():
            for pupil_id in chosen:
                row = self.model.row_of(pupil_id)
                if row is None or pupil_id == self.detail.pupil_id:
                    continue
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(
                        index,
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        self.table.verticalScrollBar().setValue(scrolled)
        if self.nazorg_view is not None:
            self.nazorg_view.stale = True
            if self._nazorg_visible():
                self.nazorg_view.reload()
        self._refresh_open_pupil()
        if mark is not None and mark.changed_by and mark.changed_by != self._author:
            when = f" om {mark.changed_at:%H:%M}" if mark.changed_at is not None else ""
            self.statusBar().showMessage(
                f"Bijgewerkt: {mark.changed_by} heeft{when} iets gewijzigd.", 8000
            )

    def _refresh_open_pupil(self) -> None:
        """The pupil on screen, read again when someone else changed it and nothing is being
        typed; while typing, Opslaan will tell about the change instead."""
        record = self.detail.record
        if record is None or record.pupil.id is None or self.detail.is_dirty():
            return
        try:
            fresh = self._services.pupils.record(record.pupil.id)
        except ServiceError as exc:
            self.detail.show_empty(str(exc))
            return
        if fresh.pupil.version != record.pupil.version or fresh.timeline != record.timeline:
            self.detail.reload_from_database()

    def _on_pupil_reloaded(self, record: PupilRecord) -> None:
        with self._quietly():
            self.model.upsert(summary_from_pupil(record.pupil))
            if self.planning is not None and record.pupil.id is not None:
                self._update_status(record.pupil.id)
        self._reselect_open_pupil()

    # --- closing -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.detail.resolve_unsaved():
            event.ignore()
            return
        if self._settings is not None:
            self._settings.setValue("main_window/geometry", self.saveGeometry())
        event.accept()

    # --- helpers -------------------------------------------------------------------------
    @contextmanager
    def _quietly(self) -> Iterator[None]:
        before = self._quiet
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = before
