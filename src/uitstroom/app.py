"""Wiring: database -> services -> QApplication -> MainWindow."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from uitstroom import APP_NAME, APP_ORG, __version__
from uitstroom.services.exit import ExitService
from uitstroom.services.handover import HandoverService
from uitstroom.services.identity import author_name
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.backup_dialog import start_up
from uitstroom.ui.main_window import MainWindow, Services
from uitstroom.ui.pdf_preview import remove_temp_files
from uitstroom.ui.unlock import unlock_database

DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)


def install_dutch(app: QApplication) -> None:
    """Dutch dates and numbers, and Qt's own texts (Annuleren, Ja, Nee) in Dutch when shipped."""
    QLocale.setDefault(DUTCH)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(DUTCH, "qtbase", "_", folder):
        app.installTranslator(translator)


def run_gui(database: str, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ORG)
    app.setApplicationVersion(__version__)
    install_dutch(app)
    db = unlock_database(database)
    if db is None:
        return 1
    try:
        school = SchoolService(db.sessions)
        services = Services(
            school=school,
            pupils=PupilService(db.sessions),
            sessions=db.sessions,
            location=db.location,
            database=db,
            planning=PlanningService(db.sessions),
            handover=HandoverService(db.sessions),
            nazorg=NazorgService(db.sessions),
            exit=ExitService(db.sessions),
        )
        # Copies opened in the PDF reader hold personal data: gone when the program closes.
        app.aboutToQuit.connect(remove_temp_files)
        window = MainWindow(services, author_name(school.settings()), QSettings())
        window.show()
        if db.backup_before_update is not None:
            window.statusBar().showMessage(
                f"De database is bijgewerkt; eerst is een kopie gemaakt: {db.backup_before_update}",
                15000,
            )
        QTimer.singleShot(0, window.offer_first_run)
        # After the first paint: the warning about a risky folder and the backup of the day.
        QTimer.singleShot(0, lambda: start_up(window, db))
        return app.exec()
    finally:
        db.close()
