"""The mbo exitgesprek: for the student on screen, the SLB'er's work list and the figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from uitstroom.ui.change import Area, Change
from uitstroom.ui.controllers.base import Controller

if TYPE_CHECKING:
    from uitstroom.ui.main_window import MainWindow


class ExitController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        action = self.action
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

    def show_for(self, mbo: bool) -> None:
        """The exitgesprek is the mbo's: pro and vso never see it."""
        for made in self.exit_actions:
            made.setVisible(mbo)

    def open_exit_interview(self) -> None:
        """The exitgesprek of the student on screen; unsaved edits are settled first, so the
        form starts from the stored contact details."""
        self.for_stored_pupil(self.detail.open_exit_interview)

    def show_exit_worklist(self) -> None:
        if not self.detail.resolve_unsaved():
            return
        from uitstroom.ui.exit_worklist import ExitWorklistDialog

        current = self.detail.record
        dialog = ExitWorklistDialog(
            self.services.exit,
            self.services.pupils,
            self.window.today,
            self.window,
            mentor=current.pupil.mentor if current is not None else None,
            settings=self.window.settings,
        )
        # A finished interview set the leaving data and maybe planned calls and a signal.
        dialog.exit_changed.connect(
            lambda pupil_id: self.window.changes.announce(Change.of(Area.NAZORG, pupil=pupil_id))
        )
        dialog.exec()

    def show_exit_figures(self) -> None:
        from uitstroom.ui.exit_figures import ExitFiguresDialog

        ExitFiguresDialog(self.services.exit, self.today(), self.window).exec()

    def edit_dropout_reasons(self) -> None:
        from uitstroom.ui.dropout_reasons import DropoutReasonsDialog

        DropoutReasonsDialog(self.services.exit, self.window).exec()
