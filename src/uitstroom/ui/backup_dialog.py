"""Bestand → Back-ups…: the list of backups, a backup made now, and a restore with a clear
confirmation. Also the start-up work: the daily backup (quietly, in the background) and the
calm warning when the database lies in a synchronised folder or on a network share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from uitstroom.domain.durability import BackupReason, moment_text
from uitstroom.services.backups import (
    BackupInfo,
    RestoreResult,
    backup_before,
    daily_backup,
    list_backups,
    restore_backup,
)
from uitstroom.services.database import Database, verify_pages
from uitstroom.services.durability import location_warning_for
from uitstroom.services.errors import Unopenable
from uitstroom.ui.record_table import Column, RecordTableModel
from uitstroom.ui.widgets import push_button
from uitstroom.ui.worker import run_with_progress

INTRO = (
    "Uitstroom maakt zelf back-ups: elke dag bij het starten, en vóór elke import, update en "
    "opschoning. Een back-up is versleuteld met dezelfde sleutel als de database. Bewaard "
    "blijven: alle back-ups van vandaag, één per dag van de laatste 7 dagen en één per week "
    "van de 4 weken daarvoor."
)

COLUMNS = (
    Column("Gemaakt op", lambda b: moment_text(b.made_at), lambda b: b.made_at, chars=24),
    Column("Reden", lambda b: b.reason_label, chars=14),
    Column("Grootte", lambda b: b.size_text, lambda b: b.size, chars=9, stretch=True),
)


def restore_question(description: str, made_at: datetime | None) -> tuple[str, str]:
    """The confirmation: what is restored, what happens, in that order, and what is lost."""
    since = (
        f"Wat er na {moment_text(made_at)} is ingevoerd of gewijzigd"
        if made_at is not None
        else "Wat er sinds die back-up is ingevoerd of gewijzigd"
    )
    what = f"van {description}" if made_at is not None else description
    return (
        f"De back-up {what} terugzetten?",
        "Wat er gebeurt:\n"
        "1. Uitstroom controleert eerst of de back-up in orde is.\n"
        "2. De database zoals hij nu is, wordt bewaard als back-up ‘voor herstel’.\n"
        "3. Daarna komt de back-up op de plaats van de database.\n\n"
        f"{since}, staat daarna niet meer in Uitstroom. Het staat wel in de bewaarde "
        "back-up ‘voor herstel’; die kunt u later weer terugzetten.",
    )


class BackupDialog(QDialog):
    """`before_restore` lets the window settle unsaved edits first (False stops the restore).
    `restored` is emitted after a restore: the same Database object now holds the restored
    file, so the window only has to read everything again."""

    restored = Signal(object)  # RestoreResult

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        before_restore: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        assert database.path is not None and database.backup_dir is not None
        self._database = database
        self._path: Path = database.path
        self._folder: Path = database.backup_dir
        self._before_restore = before_restore or (lambda: True)
        self.busy = False
        self.setWindowTitle("Back-ups")
        self.setMinimumSize(560, 420)
        self.resize(720, 520)

        layout = QVBoxLayout(self)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        folder_row = QHBoxLayout()
        folder = QLabel(f"Map: {self._folder}", self)
        folder.setObjectName("folder")
        folder.setWordWrap(True)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setStyleSheet("color: #52606d;")
        folder_row.addWidget(folder, 1)
        self.open_folder_button = push_button(self, "Map &openen", self.open_folder)
        folder_row.addWidget(self.open_folder_button)
        layout.addLayout(folder_row)

        self.list_label = QLabel("&Back-ups, de nieuwste bovenaan:", self)
        layout.addWidget(self.list_label)
        self.model = RecordTableModel(COLUMNS, (), self)
        self.table = QTableView(self)
        self.table.setObjectName("backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        # A few dozen rows at most (the rotation sees to that): measuring them is cheap.
        for n in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.list_label.setBuddy(self.table)
        layout.addWidget(self.table, 1)

        from uitstroom.ui.import_parts import Banner

        self.banner = Banner(self)
        layout.addWidget(self.banner)

        buttons = QHBoxLayout()
        self.backup_button = push_button(self, "&Nu een back-up maken", self.make_backup_now)
        self.restore_button = push_button(self, "&Terugzetten…", self.restore_selected)
        self.other_button = push_button(
            self, "&Ander bestand terugzetten…", self.restore_other_file
        )
        self.close_button = push_button(self, "&Sluiten", self.reject)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        for button in (self.backup_button, self.restore_button, self.other_button):
            button.setAutoDefault(False)
        self.close_button.setDefault(True)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.reload()
        self.table.setFocus()

    # --- the list ------------------------------------------------------------------------
    def reload(self, select: Path | None = None) -> None:
        backups = list_backups(self._path, self._folder)
        self.model.set_rows(backups)
        rows = [b.path for b in backups]
        row = rows.index(select) if select in rows else 0
        if backups:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.list_label.setText("&Back-ups, de nieuwste bovenaan:")
        else:
            self.list_label.setText("&Back-ups: er zijn er nog geen. Maak er nu een.")
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        idle = not self.busy
        self.backup_button.setEnabled(idle)
        self.restore_button.setEnabled(idle and self.selected() is not None)
        self.other_button.setEnabled(idle)
        self.close_button.setEnabled(idle)

    def open_folder(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))

    # --- making one ----------------------------------------------------------------------
    def make_backup_now(self) -> None:
        if self.busy:
            return
        database = self._database

        def done(made: Path) -> None:
            self._set_busy(False)
            self.reload(select=made)
            info = self.selected()
            when = moment_text(info.made_at) if info is not None else made.name
            self.banner.show_message(
                "success", f"Back-up gemaakt en gecontroleerd: {when}. Hij staat bovenaan."
            )

        self._set_busy(True)
        self.banner.clear()
        run_with_progress(
            self,
            "Back-up maken…",
            lambda _progress: backup_before(database, BackupReason.HANDMATIG),
            on_done=done,
            on_error=self._failed,
        )

    # --- restoring -----------------------------------------------------------------------
    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.restore(chosen.path, chosen.description, chosen.made_at)

    def restore_other_file(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self,
                "Back-up kiezen",
                str(self._folder),
                "Back-ups van Uitstroom (*.db);;Alle bestanden (*)",
            )
        if path:
            self.restore(Path(path), Path(path).name, None)

    def restore(self, source: Path, description: str, made_at: datetime | None) -> None:
        if self.busy or not self._before_restore():
            return
        question, details = restore_question(description, made_at)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Back-up terugzetten")
        box.setText(question)
        box.setInformativeText(details)
        # Wide enough that the three steps read as three lines, not as a narrow column.
        box.setStyleSheet(
            "QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 480px; }"
        )
        go = box.addButton("&Terugzetten", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("&Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not go:
            return
        database = self._database

        def done(result: RestoreResult) -> None:
            self._set_busy(False)
            self.reload(select=result.restored.path if result.restored else None)
            self.banner.show_message("success", restored_message(result))
            self.restored.emit(result)

        self._set_busy(True)
        self.banner.clear()
        run_with_progress(
            self,
            "Back-up terugzetten…",
            lambda _progress: restore_backup(database, source),
            on_done=done,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        chosen = self.selected()
        self.reload(select=chosen.path if chosen is not None else None)
        self.banner.show_message("error", str(error) or type(error).__name__)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    def reject(self) -> None:
        if not self.busy:  # the work finishes first; it cannot be stopped halfway
            super().reject()


def restored_message(result: RestoreResult) -> str:
    what = result.restored.description if result.restored else result.source.name
    text = f"Teruggezet: de back-up van {what}."
    if result.upgraded:
        text += " Hij kwam van een oudere versie van Uitstroom en is bijgewerkt."
    return (
        f"{text} De database zoals hij was, is bewaard als back-up ‘voor herstel’ van "
        f"{moment_text(result.kept_at)}; die staat bovenaan in de lijst."
    )


# --- at start-up ------------------------------------------------------------------------------
class NoticeBar(QToolBar):
    """A calm strip under the menu bar: something to know, not an error. 'Begrepen' hides it."""

    _STYLE: ClassVar[str] = (
        "QToolBar#notice { background: #fff8e1; border: none; border-bottom: 1px solid #f0c36d;"
        " padding: 4px 8px; } QToolBar#notice QLabel { color: #5c4400; }"
    )

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__("Melding", parent)
        self.setObjectName("notice")
        self.setMovable(False)
        self.setFloatable(False)
        self.setStyleSheet(self._STYLE)
        self.toggleViewAction().setVisible(False)
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(4, 2, 4, 2)
        icon = QLabel(row)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(20, 20)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(icon)
        self.text = QLabel(text, row)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.dismiss = push_button(row, "Be&grepen", self.hide)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.addWidget(row)
        self._row, self._icon = row, icon
        self.setAccessibleName("Let op")
        self.setAccessibleDescription(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A tool bar lays out without height-for-width: give the wrapped text its real height.
        super().resizeEvent(event)
        spare = self._icon.sizeHint().width() + self.dismiss.sizeHint().width() + 64
        lines = self.text.heightForWidth(max(200, event.size().width() - spare))
        self._row.setFixedHeight(max(lines, self.dismiss.sizeHint().height()) + 8)


def show_location_warning(window: QMainWindow, database: Database | None) -> NoticeBar | None:
    if database is None or database.path is None:
        return None
    warning = location_warning_for(database.path)
    if warning is None:
        return None
    bar = NoticeBar(warning, window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


class _DailyBackup(QThread):
    def __init__(self, database: Database) -> None:
        super().__init__()
        self._database = database
        self.made: Path | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            # Every page against its HMAC first (services.database.verify_pages): too slow for
            # the start itself with a large school (0.3 s per 75 MB), cheap here. A damaged
            # file is named before the day goes on, and never copied into a backup.
            database = self._database
            if database.path is not None and database.key is not None:
                verify_pages(database.path, database.key)
            self.made = daily_backup(self._database)
        except BaseException as exc:  # reported on the UI thread
            self.error = exc


class DailyBackup(QObject):
    """The backup of the day, made quietly in the background: the window stays usable, the
    status bar says when it is done, and a failure is told in a message box."""

    finished = Signal()
    _running: ClassVar[set[DailyBackup]] = set()

    def __init__(self, window: QMainWindow, database: Database) -> None:
        super().__init__()
        self._window = window
        self._thread = _DailyBackup(database)
        self._thread.finished.connect(self._done)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._thread.wait)

    def start(self, after_ms: int = 0) -> None:
        DailyBackup._running.add(self)
        QTimer.singleShot(after_ms, self._thread.start)

    @Slot()
    def _done(self) -> None:
        thread = self._thread
        thread.wait()
        window = self._window
        if isValid(window):
            if isinstance(thread.error, Unopenable) and thread.error.trouble is not None:
                self._damaged(window, thread.error)
            elif thread.error is not None:
                QMessageBox.warning(
                    window,
                    "Back-up van vandaag",
                    f"De back-up van vandaag is niet gelukt. {thread.error}",
                )
            elif thread.made is not None:
                window.statusBar().showMessage(
                    "De back-up van vandaag is gemaakt en gecontroleerd.", 8000
                )
        self.finished.emit()
        QTimer.singleShot(0, lambda: DailyBackup._running.discard(self))

    @staticmethod
    def _damaged(window: QMainWindow, error: Unopenable) -> None:
        """Damage found while the window is open: said at once, with the way back one click
        away (the backups dialog, newest backup first)."""
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("De database is beschadigd")
        box.setText(str(error))
        box.setInformativeText(
            "Werk niet verder in deze database: wat u nu invoert, kan verloren gaan. Kies "
            "Back-ups openen en zet de nieuwste goede back-up terug."
        )
        restore = box.addButton("&Back-ups openen", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        show = getattr(window, "show_backups", None)
        if box.clickedButton() is restore and callable(show):
            show()


# The backup of the day waits until the window has settled: the first search and the first
# pupil opened should not share the disk and the processor with a copy of the database.
DAILY_BACKUP_AFTER_MS = 3000


def start_up(
    window: QMainWindow, database: Database | None, backup_after_ms: int = DAILY_BACKUP_AFTER_MS
) -> DailyBackup | None:
    """Once the window is on screen: the location warning, then the backup of the day."""
    show_location_warning(window, database)
    if database is None or database.path is None:
        return None
    job = DailyBackup(window, database)
    job.start(backup_after_ms)
    return job
