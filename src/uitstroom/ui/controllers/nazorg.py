"""Leaving, the nazorg calls, the outcome figures and the cohort in figures."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.ui.change import Area, Change
from uitstroom.ui.controllers.base import Controller

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow


class NazorgController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        action = self.action
        self.figures_action = action("C&ohort in cijfers…", self.show_figures)
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

    def record_leaving(self) -> None:
        self.for_stored_pupil(self.detail.record_leaving)

    def record_klas_leaving(self) -> None:
        if not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.leaving_dialog import KlasLeavingDialog

        today = self.today()
        dialog = KlasLeavingDialog(
            self.services.nazorg,
            self.services.pupils.pupils(),
            today,
            self._last_school_day(today),
            self.window,
        )
        current = self.detail.record
        if current is not None and current.pupil.klas:
            found = dialog.klas.findData(current.pupil.klas)
            if found >= 0:
                dialog.klas.setCurrentIndex(found)
        if dialog.exec() != KlasLeavingDialog.DialogCode.Accepted:
            return
        self.tell(
            f"Uitstroom vastgelegd voor {counted(dialog.count, 'leerling', 'leerlingen')}; het nazorgplan is gemaakt."
        )
        self.window.changes.announce(Change.of(Area.NAZORG, pupil=self.detail.pupil_id))

    def _last_school_day(self, today: date) -> date:
        """The school's last school day this year, when known; else today."""
        try:
            last = getattr(self.services.planning.calendar(), "last_school_day", None)
        except ServiceError:
            return today
        return last if isinstance(last, date) else today

    def show_outcomes(self) -> None:
        from uitstroom.ui.outcomes_view import OutcomesDialog

        OutcomesDialog(self.services.nazorg, self.today(), self.window).exec()

    def export_nazorg_ics(self) -> None:
        if self.window.nazorg_view is not None:
            self.window.nazorg_view.export_ics()

    def show_figures(self) -> None:
        from uitstroom.services.figures import FiguresService
        from uitstroom.ui.figures_dialog import FiguresDialog

        services = self.services
        service = FiguresService(services.sessions, actor=services.actor)
        cohorts = [cohort.label for cohort in services.pupils.cohorts()]
        FiguresDialog(service, cohorts, self.window.today, parent=self.window).exec()
