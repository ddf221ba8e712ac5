"""What every area's controller shares: the window it serves and a way to make actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from uitstroom.domain.model import Pupil

if TYPE_CHECKING:
    from uitstroom.domain.actor import Actor
    from uitstroom.ui.app_services import Services
    from uitstroom.ui.main_window import MainWindow
    from uitstroom.ui.pupil_view import PupilView


class Controller:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.services: Services = window.services

    @property
    def detail(self) -> PupilView:
        return self.window.detail

    @property
    def author(self) -> str:
        return self.window.author

    @property
    def actor(self) -> Actor:
        return self.window.actor

    def today(self) -> date:
        return self.window.today()

    def action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str | None = None
    ) -> QAction:
        made = QAction(text, self.window)
        if shortcut is not None:
            made.setShortcut(QKeySequence(shortcut))
        made.triggered.connect(lambda _checked=False: slot())
        return made

    def tell(self, message: str, ms: int = 10000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def saved_pupil(self) -> Pupil | None:
        """The pupil on screen when stored; else a hint in the status bar."""
        record = self.detail.record
        if record is None or record.pupil.id is None:
            self.tell("Kies eerst een leerling in de lijst.", 6000)
            return None
        return record.pupil

    def for_stored_pupil(self, act: Callable[[], object]) -> None:
        """`act` on the pupil on screen once unsaved edits are settled and it is stored."""
        if self.detail.resolve_unsaved() and self.saved_pupil() is not None:
            act()
