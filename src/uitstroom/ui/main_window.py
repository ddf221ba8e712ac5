"""The main window: the cohort on the left, one pupil on the right, menus for the rest. Each
area's behaviour lives in its controller (ui/controllers/); views follow one change signal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QTabWidget, QWidget
from shiboken6 import isValid

from uitstroom import APP_NAME
from uitstroom.domain.actor import coordinator
from uitstroom.domain.checklist import Status
from uitstroom.domain.model import PupilRecord, SchoolSettings
from uitstroom.services.errors import ServiceError
from uitstroom.services.identity import author_name
from uitstroom.ui import menus
from uitstroom.ui.app_services import Services
from uitstroom.ui.change import Area, Change, Changes
from uitstroom.ui.cohort_model import CohortModel, ReadRows, summary_from_pupil
from uitstroom.ui.cohort_pane import CohortPane
from uitstroom.ui.controllers.admin import AdminController
from uitstroom.ui.controllers.cohort import CohortController
from uitstroom.ui.controllers.documents import DocumentsController
from uitstroom.ui.controllers.exit import ExitController
from uitstroom.ui.controllers.nazorg import NazorgController
from uitstroom.ui.controllers.privacy import PrivacyController
from uitstroom.ui.desktop import screen_of
from uitstroom.ui.nazorg_view import NazorgView
from uitstroom.ui.pupil_view import PupilView
from uitstroom.ui.record_table import MEASURED_ROWS, fit_columns
from uitstroom.ui.today_view import TodayView
from uitstroom.ui.widgets import AfterFirstPaint, wait_cursor
from uitstroom.ui.words import words_for
from uitstroom.ui.worker import Job, run_behind

if TYPE_CHECKING:
    from uitstroom.ui.manual_dialog import HelpKey

__all__ = ["MainWindow", "Services"]


class MainWindow(QMainWindow):
    # Made by ui/menus.py: the menus and the status bar.
    file_menu: QMenu
    pupil_menu: QMenu
    privacy_menu: QMenu
    exit_separator: QAction
    help_key: HelpKey
    location_label: QLabel
    user_label: QLabel
    last_saved_label: QLabel

    def __init__(
        self,
        services: Services,
        author: str | None = None,
        settings: QSettings | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
        fill_later: bool = False,
    ) -> None:
        """`fill_later` (app.py): the list of all pupils, a page the start does not show, is
        read right after the window is first painted, or at once when something asks for it
        (`model`). With 20,000 pupils that is half a second the window no longer waits for."""
        super().__init__(parent)
        self.services = services
        self.school = services.school.settings()
        self.author = author or services.actor.name or author_name(self.school)
        self.actor = services.actor if services.actor.name else coordinator(self.author)
        self.words = words_for(self.school.school_type)
        self.settings = settings
        self.today = today
        self.changes = Changes(self)
        self.changes.changed.connect(self._on_change)
        self._split_by_hand = False

        # A list longer than its columns are fitted to waits. Until it is read: each (mentor,
        # klas) pair once, for the filters' choices, and the list's first rows, which its
        # columns are fitted to (so the pane beside it keeps its width when the rest comes in).
        # (A user who sees none of them has nothing to wait for.)
        self._waiting: list[tuple[str, str]] | None = None
        self._reading: Job | None = None
        first = None
        if fill_later and services.pupils.count() > MEASURED_ROWS:
            self._waiting = services.pupils.mentors_and_klassen() or None
            first = MEASURED_ROWS if self._waiting else None
        self._model = CohortModel(services.pupils.summaries(first), self.school.school_type, self)
        if self._waiting is None:
            # Every pupil's status once, right after the first paint, and after changes;
            # never per paint. With 20,000 pupils they take a while: the window shows first.
            QTimer.singleShot(0, self, self._refresh_statuses)
        self.detail = PupilView(
            services.pupils,
            self.school.school_type,
            self.author,
            lambda: self.cohort_area.cohort_label(),
            parent=self,
            planning=services.planning,
            today=today,
            handover=services.handover,
            nazorg=services.nazorg,
            exit=services.exit,
        )
        announce = self.changes.announce
        detail = self.detail
        detail.nazorg_changed.connect(
            lambda p: announce(Change.of(Area.NAZORG, pupil=p, source=detail))
        )
        detail.pupil_saved.connect(self.on_pupil_saved)
        detail.pupil_reloaded.connect(self._on_pupil_reloaded)
        detail.dirty_changed.connect(self._on_dirty_changed)
        detail.task_changed.connect(
            lambda p, t: announce(Change.of(Area.TASKS, pupil=p, source=detail, task=t))
        )
        detail.exit_changed.connect(lambda p: announce(Change.of(Area.NAZORG, pupil=p)))
        detail.editor_built.connect(self._share_width)
        # The cohort list and the names tests and the areas reach it by.
        pane = self.cohort = CohortPane(self._model, self.words, detail, self)
        self.proxy, self.table, self.search = pane.proxy, pane.table, pane.search
        self.klas_filter, self.route_filter = pane.klas_filter, pane.route_filter
        self.show_archived, self.count_label = pane.show_archived, pane.count_label
        pane.to_list.triggered.connect(self.focus_list)
        pane.row_chosen.connect(self._on_row_chosen)
        self.cohort_area = CohortController(self)
        pane.pane_changed.connect(self.cohort_area.update_archive_action)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_left_side())
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 480])
        splitter.setChildrenCollapsible(False)
        detail.setMinimumWidth(440)
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_split_by_hand", True))
        self.setCentralWidget(splitter)
        self.documents_area = DocumentsController(self)
        self.nazorg_area = NazorgController(self)
        self.exit_area = ExitController(self)
        self.privacy_area = PrivacyController(self)
        self.window_lock = self.privacy_area.window_lock
        self.admin_area = AdminController(self)
        menus.build_status_bar(self)
        menus.build_menus(self)
        self._apply_words()
        self.cohort.update_count()
        self._update_title()
        self.cohort_area.show_nothing_selected()
        self._on_dirty_changed(False)
        detail.set_actor(self.actor)
        menus.apply_role(self)
        # As large as the screen allows up to 1600x960: a school laptop (1366x768) gets it all.
        self.resize(QSize(1600, 960).boundedTo(screen_of(self).availableGeometry().size()))
        self._share_width()
        if settings is not None:
            geometry = settings.value("main_window/geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
        if self._today_visible():
            # The start screen filled before the window is first shown (indexed queries; see
            # bench/start.py): never an empty Vandaag first.
            self.today_view.reload()
        if self._waiting is not None:
            AfterFirstPaint(self.today_view, self._read_behind)

    @property
    def model(self) -> CohortModel:
        """The list of all pupils; read first when it was still waiting (see `fill_later`)."""
        if self._waiting is not None:
            self.fill_cohort()
        return self._model

    def cohort_is_read(self) -> bool:
        return self._waiting is None

    def has_pupils(self) -> bool:
        """Whether the list has a pupil this user sees, without reading it all."""
        return self._waiting is not None or self._model.rowCount() > 0

    def fill_cohort(self) -> None:
        """The list of all pupils that waited for the first paint, now: the read behind the
        window taken (waited for, when it has not come yet), or else read here; nothing once
        read. (A read that fails leaves it waiting.)"""
        if self._waiting is None:
            return
        # (With 100,000 pupils the list takes seconds to come: asked for at once, it shows.)
        with wait_cursor():
            if self._reading is not None:
                self._reading.finish_now()
            if self._waiting is not None:
                self._take_rows(self._read_now(), self._refresh_statuses)

    def _read_behind(self) -> None:
        """After the first paint: the list that waited, with every pupil's status, read in a
        thread. Read here it held the window still right after it appeared (0.4 s with 20,000
        pupils, 2.7 s with 100,000, issue 17); what is left on the UI thread is the model."""
        if self._waiting is None or self._reading is not None:
            return
        pupils, planning, today = self.services.pupils, self.services.planning, self.today()
        order = self._model.order_to_share()
        self._reading = run_behind(
            lambda: (ReadRows.of(pupils.summaries(), order), planning.statuses(today)),
            self._take_read,
            self._read_failed,
        )

    def _take_read(self, read: tuple[ReadRows, Mapping[int, Status]]) -> None:
        self._reading = None
        # (Read meanwhile, by a reload: that one is newer.)
        if self._waiting is not None and isValid(self):
            rows, statuses = read
            self._take_rows(rows, lambda: self._model.set_statuses(statuses))

    def _read_failed(self, _error: BaseException) -> None:
        """The list stays waiting: the next look at it reads it on the UI thread, and a failure
        then is shown as any other."""
        self._reading = None

    def _take_rows(self, rows: ReadRows, refresh: Callable[[], None]) -> None:
        """The list of all pupils as just read (no longer waiting), with its statuses or all
        planning (`refresh`), its widths and its filters (which also set its count and choose
        the pane's pupil's row)."""
        self._waiting = None
        with self.cohort.quietly():
            self._model.take(rows)
            refresh()
        fit_columns(self.table)
        self._share_width()
        self._refresh_filters()

    def _share_width(self) -> None:
        """The list gets the width its columns need (its next step was cut on a laptop while
        the pane had room to spare), the pane the rest but never less than its pages need. Each
        time the columns are fitted, until the user moves the splitter."""
        if self._split_by_hand:
            return
        needed = self.cohort.width_needed()
        # The layouts of tabs just made first, or the pane's minimum is that of the empty page
        # (and the pane got 2 px less than its tabs need).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        least = self.detail.minimumSizeHint().width() + self.splitter.handleWidth()
        pane = max(least, self.width() - needed)
        self.splitter.setSizes([self.width() - pane, pane])

    # --- building ------------------------------------------------------------------------
    def _build_left_side(self) -> QWidget:
        """Three pages: Vandaag (the start screen), Nazorg and Alle leerlingen."""
        announce = self.changes.announce
        today = self.today_view = TodayView(
            self.services.planning,
            self.today,
            self.settings,
            self,
            nazorg=self.services.nazorg,
            pane_pupil=lambda: self.detail.pupil_id,
        )
        today.pupil_chosen.connect(self.open_pupil_at)
        today.pupil_selected.connect(self._follow_today)
        today.task_changed.connect(
            lambda p, t: announce(Change.of(Area.TASKS, pupil=p, source=today, task=t))
        )
        today.nazorg_chosen.connect(self.show_nazorg_page)
        tabs = self.left_tabs = QTabWidget(self)
        tabs.setDocumentMode(True)
        tabs.addTab(today, "&Vandaag")
        agenda = self.nazorg_view = NazorgView(self.detail.nazorg_context(), self.settings, self)
        agenda.pupil_chosen.connect(self.open_pupil_at)
        agenda.changed.connect(lambda p: announce(Change.of(Area.NAZORG, pupil=p, source=agenda)))
        tabs.addTab(agenda, "Na&zorg")
        tabs.addTab(self.cohort, self.words.all_pupils_tab)
        tabs.currentChanged.connect(self._on_left_tab_changed)
        if not self.has_pupils():
            tabs.setCurrentWidget(self.cohort)
        return tabs

    # --- the pages on the left -----------------------------------------------------------
    def _on_left_tab_changed(self, _index: int) -> None:
        if self.left_tabs.currentWidget() is self.cohort:
            self.fill_cohort()
        if self._today_visible():
            self.today_view.reload_if_stale()
            # The pupil chosen elsewhere is the row chosen here, or no row is.
            if self.detail.pupil_id is not None:
                self.today_view.select_pupil(self.detail.pupil_id)
        if self._nazorg_visible():
            self.nazorg_view.reload_if_stale()

    def show_cohort_page(self) -> None:
        self.fill_cohort()
        self.left_tabs.setCurrentWidget(self.cohort)

    def show_nazorg_page(self) -> None:
        """The week's nazorg calls, with the list ready for Enter."""
        self.left_tabs.setCurrentWidget(self.nazorg_view)
        self.nazorg_view.reload_if_stale()
        self.nazorg_view.focus_list()

    def _today_visible(self) -> bool:
        return self.left_tabs.currentWidget() is self.today_view

    def _nazorg_visible(self) -> bool:
        return self.left_tabs.currentWidget() is self.nazorg_view

    def focus_search(self) -> None:
        self.show_cohort_page()
        self.cohort.focus_search()

    def focus_list(self) -> None:
        self.show_cohort_page()
        self.cohort.focus_list()

    # --- what changed ----------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        """Every view follows what changed; the view that made the change is up to date."""
        areas, source = change.areas, change.source
        if Area.COHORT in areas:
            self.reload_cohort()
        if Area.SCHOOL in areas:
            # A moved last school day, attention window or checklist: dates and statuses.
            self._refresh_planning()
        if Area.TASKS in areas:
            # A tick or an untick: the status column, Vandaag and the open checklist follow.
            with self.cohort.quietly():
                for pupil_id in change.pupil_ids:
                    self._update_status(pupil_id)
            if source is not self.today_view and change.task is not None:
                self.today_view.task_changed_elsewhere(change.task)
        checklist = self.detail.checklist
        refresh_checklist = Area.SCHOOL in areas or (
            Area.TASKS in areas and checklist is not None and checklist.pupil_id in change.pupil_ids
        )
        if checklist is not None and source is not self.detail and refresh_checklist:
            checklist.refresh()
        if Area.NAZORG in areas:
            # Leaving, a call or a signal stored: the agenda, the Vandaag count and the
            # pupil's Nazorg tab follow.
            if source is not self.nazorg_view:
                self.nazorg_view.stale = True
                if self._nazorg_visible():
                    self.nazorg_view.reload()
            if not self.today_view.stale:
                self.today_view.refresh_nazorg()
            if source is not self.detail:
                for pupil_id in change.pupil_ids:
                    self.detail.refresh_nazorg(pupil_id)

    def reload_cohort(self) -> None:
        """Read the whole cohort again (after an import or the demo); once, when it waited."""
        self._take_rows(self._read_now(), self._refresh_planning)

    def _read_now(self) -> ReadRows:
        return ReadRows.of(self.services.pupils.summaries(), self._model.order_to_share())

    def _refresh_filters(self) -> None:
        if self._waiting is not None:
            pairs = self._waiting
            self.today_view.set_choices([p[0] for p in pairs], [p[1] for p in pairs])
            return
        self.cohort.refresh_filters()
        choices = self.model.choices()
        self.today_view.set_choices(choices.mentors, choices.klassen)

    def _refresh_planning(self) -> None:
        """After a change to many pupils: every status again, and Vandaag read again."""
        self._refresh_statuses()
        self.today_view.stale = True
        if self._today_visible():
            self.today_view.reload()

    def _refresh_statuses(self) -> None:
        self.model.set_statuses(self.services.planning.statuses(self.today()))

    def _update_status(self, pupil_id: int) -> None:
        try:
            status = self.services.planning.status_of(pupil_id, self.today())
        except ServiceError:
            return
        self.model.update_status(pupil_id, status)

    def on_pupil_saved(self, record: PupilRecord) -> None:
        with self.cohort.quietly():
            self.model.upsert(summary_from_pupil(record.pupil))
            if record.pupil.id is not None:
                # A new route re-plans the tasks; a new klas or mentor moves the pupil in the
                # Vandaag filters.
                self._update_status(record.pupil.id)
                self.today_view.stale = True
                if self._today_visible():
                    self.today_view.reload()
        self._refresh_filters()
        self.cohort.reselect_open_pupil()
        self.last_saved_label.setText(f"Laatst opgeslagen: {datetime.now():%H:%M}")
        self.cohort_area.update_archive_action()

    def _on_pupil_reloaded(self, record: PupilRecord) -> None:
        with self.cohort.quietly():
            self.model.upsert(summary_from_pupil(record.pupil))
            if record.pupil.id is not None:
                self._update_status(record.pupil.id)
        self.cohort.reselect_open_pupil()

    # --- the pupil in the pane -------------------------------------------------------------
    def _on_row_chosen(self, pupil_id: int) -> None:
        if not self.detail.resolve_unsaved():
            self.cohort.reselect_open_pupil()
            return
        self.detail.open_pupil(pupil_id)
        self.cohort_area.update_archive_action()

    def _follow_today(self, pupil_id: int) -> None:
        """Another row chosen in Vandaag: the pane shows that pupil (it kept showing the one
        opened before, beside another pupil's row)."""
        if not self._today_visible() or pupil_id == self.detail.pupil_id:
            return
        if not self.detail.resolve_unsaved():
            self.today_view.select_pupil(self.detail.pupil_id)
            return
        if self.detail.open_pupil(pupil_id):
            self.cohort.select_pupil(pupil_id)
            self.cohort_area.update_archive_action()

    def open_pupil_at(self, pupil_id: int, tab: str, task_id: int | None = None) -> None:
        """From the Vandaag view: the pupil, at the tab where the work is."""
        if pupil_id != self.detail.pupil_id:
            if not self.detail.resolve_unsaved() or not self.detail.open_pupil(pupil_id):
                return
            self.cohort.select_pupil(pupil_id)
            self.cohort_area.update_archive_action()
        self.detail.show_tab(tab, task_id)
        if tab == "nazorg" and self.detail.nazorg_tab is not None:
            self.detail.nazorg_tab.moment_table.setFocus()

    def _on_dirty_changed(self, dirty: bool) -> None:
        self.cohort_area.save_action.setEnabled(dirty)
        self.setWindowModified(dirty)

    # --- the school ------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.school.name.strip()
        self.setWindowTitle(f"{APP_NAME} — {name}[*]" if name else f"{APP_NAME}[*]")

    def school_changed(self, school: SchoolSettings) -> None:
        self.school = school
        if not self.services.actor.name:
            self.author = author_name(school)
            self.actor = coordinator(self.author)
        self.detail.set_author(self.author)
        self.detail.set_school_type(school.school_type)
        self.model.set_school_type(school.school_type)
        self.window_lock.set_idle_minutes(school.auto_lock_minutes)
        self._update_title()
        self._apply_words()

    def _apply_words(self) -> None:
        """The school's words (ui/words.py) on every label the window owns; the pupil view and
        Vandaag take theirs from the same table."""
        words = self.words = words_for(self.school.school_type)
        self.pupil_menu.setTitle(words.pupil_menu)
        self.cohort_area.new_action.setText(words.new_pupil)
        self.cohort.set_words(words)
        self.left_tabs.setTabText(self.left_tabs.indexOf(self.cohort), words.all_pupils_tab)
        self.today_view.set_words(words)
        fit_columns(self.table)
        self._share_width()
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.exit_area.show_for(words.exit_interviews)
        self.exit_separator.setVisible(words.exit_interviews)
        self._refresh_filters()
        self.cohort.update_count()
        # The exit actions were shown again for an mbo: what the role may not do stays hidden.
        menus.apply_role(self)

    # --- closing -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.detail.resolve_unsaved():
            event.ignore()
            return
        if self.settings is not None:
            self.settings.setValue("main_window/geometry", self.saveGeometry())
        event.accept()
