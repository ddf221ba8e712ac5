"""The cohort: new pupils, archiving, import and export, the first run and the demo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from uitstroom.domain.plural import counted
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.errors import ServiceError
from uitstroom.ui.change import Area, Change
from uitstroom.ui.controllers.base import Controller
from uitstroom.ui.first_run import FirstRunChoice, FirstRunDialog
from uitstroom.ui.forms import problems_of
from uitstroom.ui.worker import run_with_progress

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow


class CohortController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        action = self.action
        standard = QKeySequence.StandardKey
        self.import_action = action("&Importeren…", self.import_file, "Ctrl+I")
        self.export_action = action("&Exporteren…", self.export_file, "Ctrl+E")
        self.new_action = action(window.words.new_pupil, self.new_pupil, QKeySequence(standard.New))
        self.save_action = action("&Opslaan", window.detail.save, QKeySequence(standard.Save))
        self.search_action = action("&Zoeken", window.focus_search, QKeySequence(standard.Find))
        self.archive_action = action("&Archiveren", self.toggle_archived, "Ctrl+Shift+A")
        for made in (self.new_action, self.save_action, self.search_action):
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def cohort_label(self) -> str:
        """New and imported pupils join the newest cohort, or this school year's."""
        cohorts = self.services.pupils.cohorts()
        if cohorts:
            return max(cohorts, key=lambda c: c.label).label
        return SchoolYear.of(self.today()).label

    def update_archive_action(self) -> None:
        record = self.detail.record
        known = record is not None and record.pupil.id is not None
        self.archive_action.setEnabled(known)
        archived = known and record is not None and record.pupil.archived
        self.archive_action.setText("&Terugzetten" if archived else "&Archiveren")

    def show_nothing_selected(self) -> None:
        words = self.window.words
        if not self.window.has_pupils():
            self.detail.show_empty(
                f"Er staan nog geen {words.pupils} in.\n\nImporteer een export uit de "
                f"{words.pupil}administratie (Ctrl+I) of voeg een {words.pupil} toe (Ctrl+N)."
            )
        else:
            self.detail.show_empty(
                f"Kies links een {words.pupil} om de gegevens te zien.\n\n"
                f"Zoeken: Ctrl+F  ·  Nieuwe {words.pupil}: Ctrl+N"
            )
        self.update_archive_action()

    def new_pupil(self) -> None:
        if not self.detail.resolve_unsaved():
            return
        self.window.cohort.select_pupil(None)
        self.detail.start_new()
        self.update_archive_action()

    def toggle_archived(self) -> None:
        record = self.detail.record
        if record is None or record.pupil.id is None or not self.detail.resolve_unsaved():
            return
        # Asking may have saved or discarded edits: archive what the view holds now.
        pupil = (self.detail.record or record).pupil
        try:
            saved = self.services.pupils.save(replace(pupil, archived=not pupil.archived))
        except ServiceError as exc:
            QMessageBox.warning(self.window, "Archiveren", "\n".join(problems_of(exc)))
            return
        self.detail.show_record(saved)
        self.window.on_pupil_saved(saved)
        name = saved.pupil.name
        if saved.pupil.archived:
            message = f"{name} is gearchiveerd."
            if not self.window.cohort.show_archived.isChecked():
                message += " Vink ‘Toon gearchiveerde leerlingen’ aan om de leerling terug te zien."
        else:
            message = f"{name} staat weer bij de actieve leerlingen."
        self.tell(message, 8000)

    def import_file(self) -> None:
        from uitstroom.services.backups import import_backup

        if not self.detail.resolve_unsaved():
            return
        try:
            from uitstroom.services.importing import ImportService
            from uitstroom.ui.import_dialog import ImportDialog
        except ImportError:
            QMessageBox.information(
                self.window,
                "Importeren",
                "Importeren kan in deze versie van Uitstroom nog niet. "
                "Gebruik voorlopig de opdracht ‘uitstroom import BESTAND’.",
            )
            return
        services = self.services
        database = services.database
        before_write = import_backup(database) if database is not None else None
        dialog = ImportDialog(
            ImportService(services.sessions, before_write=before_write, actor=services.actor),
            self.cohort_label(),
            self.window,
        )
        dialog.imported.connect(self._after_import)
        dialog.exec()

    def _after_import(self, *_args: object) -> None:
        self.window.changes.announce(Change.of(Area.COHORT))
        if self.detail.pupil_id is not None:
            self.detail.open_pupil(self.detail.pupil_id)
        elif not self.detail.is_open:
            self.show_nothing_selected()

    def export_file(self) -> None:
        try:
            from uitstroom.services.export import export_pupils
        except ImportError:
            QMessageBox.information(
                self.window, "Exporteren", "Exporteren kan in deze versie van Uitstroom nog niet."
            )
            return
        suggestion = str(Path.home() / f"leerlingen-{self.cohort_label()}.xlsx")
        path, chosen_filter = QFileDialog.getSaveFileName(
            self.window,
            "Leerlingen exporteren",
            suggestion,
            "Excel-werkmap (*.xlsx);;CSV, gescheiden door puntkomma’s (*.csv)",
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".xlsx")
        sessions = self.services.sessions

        def done(count: int) -> None:
            self.tell(f"{counted(count, 'leerling', 'leerlingen')} geëxporteerd naar {target}.")

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self.window, "Exporteren is niet gelukt", str(error))

        # A cohort of thousands takes a second or more: off the UI thread, like the import.
        run_with_progress(
            self.window,
            "Leerlingen exporteren…",
            lambda _progress: export_pupils(sessions, target, user=self.services.actor),
            on_done=done,
            on_error=failed,
        )

    # --- first run -----------------------------------------------------------------------
    def needs_first_run(self) -> bool:
        return not self.window.has_pupils() and not self.window.school.is_configured

    def offer_first_run(self) -> None:
        """An empty database and no school yet: offer an empty start, the demo or an import."""
        if not self.needs_first_run():
            # Not a first run: the monthly retention check takes its place at start-up.
            self.window.privacy_area.offer_purge()
            return
        dialog = FirstRunDialog(self.window)
        dialog.exec()
        school = self.window.admin_area
        if dialog.choice == FirstRunChoice.DEMO:
            self.load_demo_cohort()
        elif dialog.choice == FirstRunChoice.EMPTY:
            school.edit_school("Welkom! Vul eerst de gegevens van uw school in.")
        elif dialog.choice == FirstRunChoice.IMPORT:
            school.edit_school(
                "Vul eerst de gegevens van uw school in; daarna kiest u het bestand om te "
                "importeren."
            )
            self.import_file()

    def load_demo_cohort(self) -> None:
        # With last year's leavers, so the Nazorg agenda and the figures have something to show.
        from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort

        count = insert_demo_cohort(self.services.sessions, today=self.today(), leavers=DEMO_LEAVERS)
        self.window.school_changed(self.services.school.settings())
        self.window.changes.announce(Change.of(Area.COHORT))
        self.show_nothing_selected()
        self.tell(
            f"Voorbeeldcohort aangemaakt: {count} verzonnen leerlingen bij een verzonnen school, "
            f"en {DEMO_LEAVERS} oud-leerlingen van vorig jaar in de nazorg."
        )
