"""Wiring: database -> services -> QApplication -> MainWindow."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from uitstroom import APP_NAME, APP_ORG, __version__
from uitstroom.domain.actor import LAPTOP_COORDINATOR
from uitstroom.paths import resource
from uitstroom.services import backups, vault  # noqa: F401 (see below)
from uitstroom.services.database import Database
from uitstroom.services.identity import author_name
from uitstroom.services.speed import start_made_lasting
from uitstroom.services.users import UserService

# isort: split
# Qt after the layers below the window. Once imported, PySide6 reads the source of every
# Python module imported after it, to see whether it uses PySide6 (PYSIDE-2029): SQLAlchemy,
# the models and the services imported first are not read, which saves the start some time and
# about 20 MB of source text kept in memory (linecache). `backups` and `vault` are here for
# that only: the unlock and backup dialogs use them.
from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from uitstroom.ui.app_services import Services
from uitstroom.ui.desktop import prepare_application
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.unlock import passphrase_from_env, unlock_database

# Set by bench/frozen_start.py: report when the window is on screen, then quit.
STARTUP_PROBE_ENV = "UITSTROOM_STARTUP_PROBE"
DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)


def qt_translation_folders() -> list[Path]:
    """Where Qt's own translations are: Qt's configured folder when run from source, and in the
    program PyInstaller built the copy beside PySide6 (installers/bundle.py puts it there)."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled is not None:
        folders.append(Path(bundled) / "PySide6" / "Qt" / "translations")
    return folders


# Qt 6's file dialog asks for '&Look in:' and 'Files of &type:' (with an Alt-letter), while
# qtbase_nl.qm only has them without one, so every file dialog showed them in English.
QT_WORDS_MISSING_IN_DUTCH = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestands&type:",
}


class QtDutch(QTranslator):
    """Qt's own Dutch file, with the words it lacks."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "", when neither has the text: Qt then asks the next translator or keeps
        # the source text, where an empty text would blank every untranslated label.
        return QT_WORDS_MISSING_IN_DUTCH.get((context, source)) or (
            super().translate(context, source, disambiguation, n) or None
        )


def install_dutch(app: QApplication) -> QTranslator | None:
    """Dutch dates and numbers, and Qt's own texts (Annuleren, Ja, Nee) in Dutch when shipped.
    Returns the installed translator (its filePath() says which file), or None."""
    QLocale.setDefault(DUTCH)
    for folder in qt_translation_folders():
        translator = QtDutch(app)
        if translator.load(DUTCH, "qtbase", "_", str(folder)):
            app.installTranslator(translator)
            return translator
        translator.deleteLater()
    return None


def _report_startup(app: QApplication, window: MainWindow, probe: str) -> None:
    """bench/frozen_start.py: the moment the window is painted with its rows, then quit.
    A probe ending in .png also saves a picture of the window there."""
    window.repaint()
    app.processEvents()
    shown = time.time()
    if probe.endswith(".png"):
        window.grab().save(probe)
    print(f"startup-probe shown={shown:.6f} rows={window.model.rowCount()}", flush=True)
    window.close()
    app.quit()


def _start_up(window: MainWindow, db: Database) -> None:
    # The backup dialog and its services on first use: after Vandaag is on screen.
    from uitstroom.ui.backup_dialog import start_up

    start_up(window, db)


def _remove_stale_previews() -> None:
    from uitstroom.ui.preview_folders import remove_stale_preview_folders

    remove_stale_preview_folders()


def run_gui(database: str, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource("icons", "uitstroom.png"))))
    # Linux desktops match the window to uitstroom.desktop by this name.
    app.setDesktopFileName("uitstroom")
    install_dutch(app)
    prepare_application(app)
    # On again before anything waits for the user or a backup, with what the imports made
    # frozen first (or the first passes after would walk all of it).
    with start_made_lasting():
        return _open_window(app, database)


def _open_window(app: QApplication, database: str) -> int:
    db = unlock_database(database)
    if db is None:
        return 1
    try:
        # Who is working: with a user list, the person it names for this login (their role
        # decides what the services allow); without one, the laptop's coordinator.
        working = UserService(db.sessions).who_is_working()
        users = UserService(db.sessions).users()
        actor = working.actor if users else LAPTOP_COORDINATOR
        services = Services.build(db.sessions, db.location, database=db, actor=actor)
        author = actor.name or author_name(services.school.settings())
        window = MainWindow(services, author, QSettings(), fill_later=True)
        window.show()
        if not working.listed:
            QMessageBox.information(
                window,
                "Alleen kijken",
                f"U (inlognaam ‘{working.login}’) staat niet in de lijst met gebruikers van "
                "deze database. U kunt daarom alleen kijken. Vraag de coördinator om u toe te "
                "voegen (Bestand > Gebruikers en rollen).",
            )
        if db.backup_before_update is not None:
            window.statusBar().showMessage(
                f"De database is bijgewerkt; eerst is een kopie gemaakt: {db.backup_before_update}",
                15000,
            )

        def first_questions() -> None:
            # The user's own dagwachtwoord first (a script or a measured start has none to
            # give), then the first-run choices; one after the other, never two at once.
            if passphrase_from_env() is None and not os.environ.get(STARTUP_PROBE_ENV):
                window.window_lock.offer_day_password()
            window.cohort_area.offer_first_run()

        QTimer.singleShot(0, first_questions)
        # Copies a crashed run left for the PDF reader hold personal data too; removed after
        # the first paint.
        QTimer.singleShot(0, _remove_stale_previews)
        # After the first paint: the warning about a risky folder and the backup of the day.
        QTimer.singleShot(0, lambda: _start_up(window, db))
        probe = os.environ.get(STARTUP_PROBE_ENV)
        if probe:
            QTimer.singleShot(0, lambda: _report_startup(app, window, probe))
        # What the start made (modules, the window, the services) lives as long as the window:
        # out of the collector's full passes, each of which walked it all (60 ms, right after
        # the window appeared; issue 17). There is no garbage in it to miss: a full pass at that
        # moment found none.
        gc.freeze()
        return app.exec()
    finally:
        db.close()
