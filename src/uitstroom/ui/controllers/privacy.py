"""The pupil's rights (inzage, erasure), the logboek, retention and the window lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from uitstroom.ui import rights
from uitstroom.ui.controllers.base import Controller
from uitstroom.ui.lock import WindowLock

if TYPE_CHECKING:
    from uitstroom.domain.audit import ChainAnchor
    from uitstroom.services.retention import PurgeResult, RetentionService
    from uitstroom.ui.main_window import MainWindow


class PrivacyController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        # the pupil's rights: Inzage-export…, Wissen op verzoek…
        self.inzage_action = self.action("&Inzage-export…", self.export_inzage)
        self.erase_action = self.action("&Wissen op verzoek…", self.erase_on_request)
        # audit trail: Logboek…; retention: Bewaartermijnen en opschonen…
        self.audit_action = self.action("&Logboek…", self.show_audit_trail)
        self.retention_action = self.action("&Bewaartermijnen en opschonen…", self.show_retention)
        # lock: Vergrendelen (Ctrl+L), Herstelwachtwoord wijzigen…
        self.window_lock = WindowLock(
            window,
            self.services.database,
            window.school.auto_lock_minutes,
            school_name=lambda: window.school.name,
            has_unsaved=window.detail.is_dirty,
        )

    def retention(self) -> RetentionService:
        from uitstroom.services.retention import RetentionService, purge_backup

        db = self.services.database

        def now() -> datetime:
            return datetime.combine(self.today(), datetime.now().time())

        backup = purge_backup(db) if db is not None else None
        return RetentionService(
            self.services.sessions, backup=backup, clock=now, actor=self.services.actor
        )

    def offer_purge(self) -> None:
        # The coordinator's: the list names every pupil whose data is due to go.
        from uitstroom.ui.retention_dialog import offer_purge

        if not self.actor.is_coordinator:
            return
        offer_purge(
            self.window,
            self.retention(),
            self.today(),
            self.window.settings,
            self.services.location,
            self.after_purge,
        )

    def show_retention(self) -> None:
        from uitstroom.ui.retention_dialog import RetentionDialog

        if not self.detail.resolve_unsaved():
            return
        dialog = RetentionDialog(self.retention(), self.today(), parent=self.window)
        dialog.purged.connect(self.after_purge)
        dialog.exec()

    def after_purge(self, result: PurgeResult) -> None:
        self.after_records_removed()
        self.tell(result.summary)

    def show_audit_trail(self) -> None:
        from uitstroom.services.audit import AuditService
        from uitstroom.ui.audit_dialog import show_audit_trail

        show_audit_trail(
            self.window,
            AuditService(
                self.services.sessions,
                actor=self.services.actor,
                anchors=self._backup_anchors(),
            ),
        )

    def _backup_anchors(self) -> Callable[[], list[ChainAnchor]] | None:
        """The audit heads the backups recorded, for "Keten controleren" (a file only)."""
        from uitstroom.services.backups import anchors as backup_anchors

        database = self.services.database
        if database is None or database.path is None or database.backup_dir is None:
            return None
        path, folder = database.path, database.backup_dir
        return lambda: backup_anchors(path, folder)

    def export_inzage(self) -> None:
        # The inzage shows what is stored: unsaved edits are saved or discarded first.
        from uitstroom.services.rights import RightsService

        if not self.detail.resolve_unsaved():
            return
        pupil = self.saved_pupil()
        if pupil is not None:
            rights.export_inzage(
                self.window,
                RightsService(self.services.sessions, actor=self.services.actor),
                pupil,
            )

    def erase_on_request(self) -> None:
        from uitstroom.services.rights import RightsService

        if not self.detail.resolve_unsaved():
            return
        pupil = self.saved_pupil()
        if pupil is None:
            return
        service = RightsService(self.services.sessions, actor=self.services.actor)
        if rights.erase_on_request(self.window, service, pupil) is None:
            return
        self.after_records_removed()
        self.tell(f"{pupil.name} is gewist. Het logboek en de tellingen zonder naam blijven.")

    def after_records_removed(self) -> None:
        """After a purge or an erasure: the list read again; a pupil on screen that is gone
        makes way, one that stays is read again (its notes may be gone)."""
        self.window.reload_cohort()
        pupil_id = self.detail.pupil_id
        if pupil_id is not None and self.window.model.row_of(pupil_id) is None:
            self.window.cohort_area.show_nothing_selected()
        elif pupil_id is not None:
            self.detail.open_pupil(pupil_id)
