"""The first start on an empty database, the school details, and opening a bad database."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtWidgets import QComboBox

from uitstroom.app import run_gui
from uitstroom.domain.enums import SchoolType, Uitstroomprofiel
from uitstroom.services.database import Database
from uitstroom.services.demo import DEMO_LEAVERS
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.first_run import FirstRunChoice, FirstRunDialog
from uitstroom.ui.main_window import MainWindow


def test_the_first_run_offers_three_ways_in(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    titles = [b.text().replace("&", "") for b in dialog.buttons.values()]
    assert titles == [
        "Begin met een lege database",
        "Probeer het met een voorbeeldcohort",
        "Importeer een export uit de leerlingadministratie",
    ]
    assert all(b.description() for b in dialog.buttons.values())


def test_the_demo_cohort_from_the_first_run(
    empty_window: MainWindow, database: Database, dialogs
) -> None:
    assert empty_window.cohort_area.needs_first_run()
    assert empty_window.count_label.text() == "0 leerlingen"
    dialogs.click("Probeer het met een voorbeeldcohort")
    empty_window.cohort_area.offer_first_run()
    assert dialogs.seen == ["Welkom bij Uitstroom"]
    assert empty_window.count_label.text() == "48 leerlingen"
    assert "De Horizon (voorbeeldschool)" in empty_window.windowTitle()
    # and last year's leavers, archived from the table but followed in nazorg
    assert PupilService(database.sessions).count() == 48 + DEMO_LEAVERS
    assert len(NazorgService(database.sessions).files()) == DEMO_LEAVERS
    assert not empty_window.cohort_area.needs_first_run()


def test_an_empty_start_asks_for_the_school(
    empty_window: MainWindow, database: Database, dialogs
) -> None:
    def choose_empty(dialog) -> None:
        dialog.choose(FirstRunChoice.EMPTY)

    def fill_school(dialog) -> None:
        dialogs.fill(dialog, name="Praktijkschool De Brug", coordinator_email="geen-adres")
        dialog.accept()
        assert "geen e-mailadres" in dialog.banner.text()
        dialogs.fill(dialog, coordinator_name="Anna de Wit", coordinator_email="a.dewit@debrug.nl")
        combo = dialog.findChild(QComboBox, "school_type")
        combo.setCurrentIndex(combo.findText(SchoolType.VSO.label))
        dialog.accept()

    dialogs.then(choose_empty)
    dialogs.then(fill_school)
    empty_window.cohort_area.offer_first_run()
    assert dialogs.seen == ["Welkom bij Uitstroom", "Schoolgegevens"]
    settings = SchoolService(database.sessions).settings()
    assert (settings.name, settings.school_type) == ("Praktijkschool De Brug", SchoolType.VSO)
    assert empty_window.windowTitle().replace("[*]", "") == "Uitstroom — Praktijkschool De Brug"
    # A vso school offers the vso profiles for a new pupil.
    empty_window.cohort_area.new_pupil()
    profiel = empty_window.detail.findChild(QComboBox, "uitstroomprofiel")
    labels = [profiel.itemText(i) for i in range(profiel.count())]
    assert labels == ["Nog niet gekozen"] + [
        p.label
        for p in (
            Uitstroomprofiel.VERVOLGONDERWIJS,
            Uitstroomprofiel.ARBEIDSMARKTGERICHT,
            Uitstroomprofiel.DAGBESTEDING,
            Uitstroomprofiel.ONBEKEND,
        )
    ]


def test_an_mbo_school_edits_the_opleiding_instead_of_a_profile(
    window: MainWindow, demo_database: Database, dialogs
) -> None:
    def make_mbo(dialog) -> None:
        combo = dialog.findChild(QComboBox, "school_type")
        combo.setCurrentIndex(combo.findText(SchoolType.MBO.label))
        dialog.accept()

    dialogs.then(make_mbo)
    assert window.admin_area.edit_school()
    detail = window.detail
    window.cohort_area.new_pupil()
    assert not detail.findChild(QComboBox, "uitstroomprofiel").isVisibleTo(detail)
    assert detail.findChild(QComboBox, "mbo_niveau").isVisibleTo(detail)
    assert window.proxy.headerData(3, window.table.horizontalHeader().orientation()) == "Opleiding"


def test_a_database_that_cannot_be_opened_is_explained(qtbot, tmp_path: Path, dialogs) -> None:
    dialogs.click("OK")
    assert run_gui(str(tmp_path)) == 1
    assert "is een map, geen databasebestand" in dialogs.seen[0]
    # What the start froze out of the collector's passes is let go of: no window came.
    assert gc.get_freeze_count() == 0


def test_choosing_import_asks_for_the_school_then_opens_the_import(
    empty_window: MainWindow, dialogs
) -> None:
    def fill_school(dialog) -> None:
        dialogs.fill(dialog, name="Praktijkschool De Brug")
        dialog.accept()

    dialogs.then(lambda dialog: dialog.choose(FirstRunChoice.IMPORT))
    dialogs.then(fill_school)
    dialogs.then(lambda dialog: dialog.close())
    empty_window.cohort_area.offer_first_run()
    assert dialogs.seen[:2] == ["Welkom bij Uitstroom", "Schoolgegevens"]
    assert dialogs.seen[2].startswith(("Leerlingen importeren", "Importeren kan"))


def test_enter_on_the_first_run_picks_the_empty_start(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.buttons[FirstRunChoice.EMPTY].isDefault()
