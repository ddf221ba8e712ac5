"""The school: its settings, users and roles, checklists, backups, the school's server, help,
and noticing what others changed in a shared database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from uitstroom.paths import choose_server, chosen_server
from uitstroom.services.errors import ServiceError
from uitstroom.services.users import ChangeMark, ChangeService
from uitstroom.ui.change import Area, Change
from uitstroom.ui.controllers.base import Controller
from uitstroom.ui.forms import problems_of

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow

# How often the window asks the database whether someone else changed something.
REFRESH_MS = 5000


class AdminController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        action = self.action
        standard = QKeySequence.StandardKey
        self.settings_action = action("&Schoolgegevens…", self.edit_school)
        self.users_action = action("Gebruikers en ro&llen…", self.edit_users)
        self.quit_action = action("&Afsluiten", window.close, QKeySequence(standard.Quit))
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.server_action = action("&Verbinden met de schoolserver…", self.connect_to_server)
        self.local_action = action(
            "&Terug naar de database op deze computer", self.back_to_this_computer
        )
        self.about_action = action("&Over Uitstroom", self.show_about)
        # help: Handleiding (F1, at the page of the screen in front), Handleiding als PDF…
        self.manual_action = action("&Handleiding", self.show_manual, "F1")
        self.manual_pdf_action = action("Handleiding als &PDF…", self.save_manual_pdf)
        self.templates_action = action("&Checklist aanpassen…", self.edit_templates)
        self.ics_action = action("A&genda exporteren (.ics)…", self.export_calendar)
        self.backups_action = action("&Back-ups…", self.show_backups)
        database = self.services.database
        self.backups_action.setEnabled(database is not None and database.path is not None)
        # Others on the same database: a cheap marker, read every few seconds.
        self._changes = ChangeService(self.services.sessions)
        first = self._changes.mark()
        self._last_mark = first.counter if first is not None else 0
        self.refresh_timer = QTimer(window)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.poll_changes)
        self.refresh_timer.start()

    def edit_school(self, intro: str = "") -> bool:
        from uitstroom.ui.settings_dialog import SettingsDialog

        window = self.window
        dialog = SettingsDialog(
            self.services.school,
            window.school,
            intro,
            window,
            planning=self.services.planning,
        )
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return False
        window.school_changed(dialog.saved)
        # A moved last school day or attention window changes dates and statuses.
        window.changes.announce(Change.of(Area.SCHOOL))
        return True

    def edit_users(self) -> None:
        from uitstroom.services.users import UserService
        from uitstroom.ui.users_dialog import UsersDialog

        service = UserService(self.services.sessions, actor=self.services.actor)
        UsersDialog(service, self.window).exec()

    def edit_templates(self) -> None:
        from uitstroom.ui.templates_dialog import TemplatesDialog

        dialog = TemplatesDialog(self.services.planning, self.today(), self.window)
        if dialog.exec() == TemplatesDialog.DialogCode.Accepted:
            # Saving re-planned every pupil's open tasks.
            self.window.changes.announce(Change.of(Area.SCHOOL))
            self.tell(
                "De checklist is opgeslagen; de open taken van alle leerlingen zijn bijgewerkt."
            )

    def export_calendar(self) -> None:
        from uitstroom.ui.calendar_export import export_calendar

        model = self.window.model
        written = export_calendar(
            self.window,
            self.services.planning,
            self.today(),
            [row.mentor for row in model.rows if not row.archived],
            model.klassen(),
        )
        if written is not None:
            self.tell(
                f"Agenda opgeslagen: {written}. Open het bestand in Outlook of Google Agenda."
            )

    def show_backups(self) -> None:
        from uitstroom.ui.backup_dialog import BackupDialog

        database = self.services.database
        if database is None or database.path is None:
            return
        dialog = BackupDialog(database, self.window, before_restore=self.detail.resolve_unsaved)
        dialog.restored.connect(lambda _result: self.reload_after_restore())
        dialog.exec()

    def reload_after_restore(self) -> None:
        """The services now read the restored file (same Database, new engine): show it."""
        window = self.window
        window.school_changed(self.services.school.settings())
        window.reload_cohort()
        pupil_id = self.detail.pupil_id
        if pupil_id is not None and window.model.row_of(pupil_id) is not None:
            self.detail.open_pupil(pupil_id)
        else:
            window.cohort.select_pupil(None)
            window.cohort_area.show_nothing_selected()
        window.last_saved_label.setText("")
        self.tell("De back-up is teruggezet.")

    # --- the school's server -------------------------------------------------------------
    def connect_to_server(self) -> None:
        """Connect once to check the address and password (kept in the keychain when asked);
        the next start opens the server. A running window keeps its database: what is on
        screen belongs to it, and nothing half-saved moves along."""
        from uitstroom.services.connection import ServerAddress
        from uitstroom.ui.server_dialog import ServerDialog

        current = chosen_server()
        dialog = ServerDialog(
            ServerAddress.from_url(current) if current else None, parent=self.window
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.address is None:
            return
        if dialog.database is not None:
            dialog.database.close()
        choose_server(dialog.address.url())
        QMessageBox.information(
            self.window,
            "Schoolserver gekozen",
            f"Vanaf de volgende start werkt Uitstroom met {dialog.address.description}. "
            "Sluit Uitstroom en start het opnieuw. De database op deze computer blijft bewaard; "
            "met Bestand → Terug naar de database op deze computer gaat u er weer naar terug.",
        )

    def back_to_this_computer(self) -> None:
        choose_server(None)
        QMessageBox.information(
            self.window,
            "Database op deze computer",
            "Vanaf de volgende start werkt Uitstroom weer met de database op deze computer. "
            "Sluit Uitstroom en start het opnieuw.",
        )

    # --- help ------------------------------------------------------------------------------
    def show_about(self) -> None:
        from uitstroom.ui.about_dialog import AboutDialog

        AboutDialog(self.services, self.window).exec()

    def show_manual(self) -> None:
        from uitstroom.ui.manual_dialog import show_manual

        self.manual = show_manual(self.manual_topic(), self.window)

    def save_manual_pdf(self) -> None:
        from uitstroom.services.manual import write_manual

        chosen, _ = QFileDialog.getSaveFileName(
            self.window,
            "Handleiding opslaan",
            str(Path.home() / "Handleiding Uitstroom.pdf"),
            "PDF-bestand (*.pdf)",
        )
        if not chosen:
            return
        try:
            write_manual(Path(chosen), self.window.school.name)
        except ServiceError as exc:
            QMessageBox.warning(self.window, "Handleiding", "\n".join(problems_of(exc)))
            return
        self.tell(f"Opgeslagen: {chosen}")

    def manual_topic(self) -> str:
        """The manual page for what the window shows: the pupil tab in use when the focus is
        on the pupil, else the tab on the left."""
        from uitstroom.ui.manual_dialog import topic_of

        focus = QApplication.focusWidget()
        if focus is not None and self.detail.isAncestorOf(focus):
            return topic_of(self.detail.tabs.currentWidget())
        if self.window.left_tabs.currentWidget() is self.window.cohort:
            return "lijst"
        return topic_of(self.window.left_tabs.currentWidget())

    def refresh_open_pupil(self) -> None:
        """The pupil on screen, read again when someone else changed it and nothing is being
        typed; while typing, Opslaan will tell about the change instead."""
        record = self.detail.record
        if record is None or record.pupil.id is None or self.detail.is_dirty():
            return
        try:
            fresh = self.services.pupils.record(record.pupil.id)
        except ServiceError as exc:
            self.detail.show_empty(str(exc))
            return
        if fresh.pupil.version != record.pupil.version or fresh.timeline != record.timeline:
            self.detail.reload_from_database()

    # --- several people at once ------------------------------------------------------------
    def poll_changes(self) -> bool:
        """Someone else changed data: read the lists again (and the open pupil when it is not
        being edited), keeping what was chosen. True when the window was refreshed."""
        if QApplication.activeModalWidget() is not None or self.window.window_lock.is_locked:
            return False
        mark = self._changes.mark()
        if mark is None or mark.counter == self._last_mark:
            return False
        self._last_mark = mark.counter
        self.refresh_from_others(mark)
        return True

    def refresh_from_others(self, mark: ChangeMark | None = None) -> None:
        window = self.window
        window.cohort.keep_selection(window.reload_cohort)
        window.changes.announce(Change.of(Area.NAZORG))
        self.refresh_open_pupil()
        if mark is not None and mark.changed_by and mark.changed_by != self.author:
            when = f" om {mark.changed_at:%H:%M}" if mark.changed_at is not None else ""
            self.tell(f"Bijgewerkt: {mark.changed_by} heeft{when} iets gewijzigd.", 8000)
