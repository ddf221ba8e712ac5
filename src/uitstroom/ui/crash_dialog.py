"""What the user sees when something goes wrong that the program did not expect: a calm
message instead of a window that vanishes, with *Diagnose kopiëren* for the helpdesk."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from uitstroom.logbook import diagnosis

TITLE = "Er ging iets mis"
TEXT = (
    "Er ging iets mis dat Uitstroom niet verwachtte. Wat u al had opgeslagen, is bewaard.\n\n"
    "U kunt verder werken. Controleer wel of uw laatste wijziging er staat. Gebeurt dit "
    "vaker? Kies Diagnose kopiëren en plak de tekst in een e-mail aan de helpdesk of "
    "de ICT-afdeling. Er staan geen namen van leerlingen in."
)


class CrashDialog(QMessageBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(TITLE)
        self.setText(TEXT)
        self.copy_button = self.addButton("&Diagnose kopiëren", QMessageBox.ButtonRole.ActionRole)
        self.close_button = self.addButton("&Verder werken", QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.close_button)
        self.setEscapeButton(self.close_button)
        # Copying does not close the message: the user can still read it.
        self.copy_button.clicked.disconnect()
        self.copy_button.clicked.connect(self.copy_diagnosis)

    def copy_diagnosis(self) -> None:
        QApplication.clipboard().setText(diagnosis())
        self.copy_button.setText("Gekopieerd")


_showing = False


def show_crash(_error: BaseException) -> bool:
    """The excepthook's dialog, one at a time: False when there is no window to show it in
    (an error while it shows is only logged)."""
    global _showing
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    if _showing:
        return True
    _showing = True
    try:
        # Over the window in use; not over one that is closing (a closed preview, deleted
        # later): the message would go with it, unseen.
        window = app.activeWindow()
        CrashDialog(window if window is not None and window.isVisible() else None).exec()
    finally:
        _showing = False
    return True
