"""Mbo mode: with school type MBO the program speaks of studenten, opleidingen and SLB'ers and
shows crebo, niveau and leerweg; pro keeps its leerlingen, klassen and mentoren."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox

from uitstroom.domain.checklist import DEFAULT_TEMPLATES, MBO_TEMPLATES
from uitstroom.domain.enums import SchoolType
from uitstroom.services.database import Database
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.today_view import ROW_ROLE
from uitstroom.ui.words import WORDS


def headers(window: MainWindow) -> list[str]:
    model = window.proxy
    return [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]


def group_titles(window: MainWindow) -> list[str]:
    return [box.title() for box in window.detail.findChildren(QGroupBox)]


def test_an_mbo_school_speaks_of_studenten_and_shows_the_opleiding(
    mbo_window: MainWindow,
) -> None:
    window = mbo_window
    assert headers(window)[:4] == ["Student", "Studentnummer", "SLB'er", "Opleiding"]
    assert {"Crebo", "Niveau", "Leerweg"} <= set(headers(window))
    assert "Klas" not in headers(window) and "Uitstroomprofiel" not in headers(window)
    assert window.pupil_menu.title().replace("&", "") == "Student"
    assert window.count_label.text() == "6 studenten"
    assert window.left_tabs is not None
    assert "Alle studenten" in [
        window.left_tabs.tabText(n).replace("&", "") for n in range(window.left_tabs.count())
    ]
    assert window.today_view is not None
    today = window.today_view.model
    assert today.headerData(0, Qt.Orientation.Horizontal) == "Student"
    assert window.today_view.mentor_filter.itemText(0) == "Alle SLB'ers"
    # What an SLB'er sees in a row: the opleiding, its crebo, niveau and leerweg.
    row = window.model.row_of(window.model.rows[0].id)
    assert row is not None
    shown = [window.model.index(row, n).data() for n in range(window.model.columnCount())]
    assert any(text in shown for text in ("2", "3", "Entree"))
    assert any(text in shown for text in ("BOL", "BBL"))


def test_the_pupil_view_says_student_and_slber(mbo_window: MainWindow) -> None:
    window = mbo_window
    first = window.model.rows[0]
    assert window.detail.open_pupil(first.id)
    assert "Studentnummer" in window.detail.subtitle.text()
    assert first.mbo_opleiding in window.detail.subtitle.text()
    assert "Student" in group_titles(window) and "Leerling" not in group_titles(window)
    labels = [label.text() for label in window.detail.findChildren(type(window.count_label))]
    assert "SLB'er" in labels and "Mentor" not in labels
    assert window.detail.exit_button.isVisibleTo(window.detail)
    window.cohort_area.new_pupil()
    assert window.detail.title.text() == "Nieuwe student"


def test_a_pro_school_keeps_its_leerlingen(window: MainWindow) -> None:
    assert headers(window)[:3] == ["Naam", "Leerlingnummer", "Klas"]
    assert "Uitstroomprofiel" in headers(window) and "Crebo" not in headers(window)
    assert window.pupil_menu.title().replace("&", "") == "Leerling"
    assert window.count_label.text() == "48 leerlingen"
    assert window.today_view is not None
    assert window.today_view.model.headerData(0, Qt.Orientation.Horizontal) == "Leerling"
    # The exitgesprek is the mbo's: a pro coordinator never sees it.
    assert not window.exit_area.exit_action.isVisible()
    window.detail.open_pupil(window.model.rows[0].id)
    assert not window.detail.exit_button.isVisibleTo(window.detail)


def test_switching_the_school_type_in_schoolgegevens_changes_the_words(
    window: MainWindow, demo_database: Database, dialogs
) -> None:
    def make_mbo(dialog) -> None:
        combo = dialog.findChild(QComboBox, "school_type")
        combo.setCurrentIndex(combo.findText(SchoolType.MBO.label))
        dialog.accept()

    dialogs.then(make_mbo)
    assert window.admin_area.edit_school()
    assert headers(window)[0] == "Student"
    assert window.pupil_menu.title().replace("&", "") == "Student"
    assert window.count_label.text() == "48 studenten"
    assert window.exit_area.exit_action.isVisible()


def test_every_school_type_has_its_words() -> None:
    assert set(WORDS) == set(SchoolType)
    for words in WORDS.values():
        assert words.count(1).startswith("1 ") and words.count(2).endswith(words.pupils)


PRO_ONLY = {"paspoort", "uitstroomoverleg", "opp_evaluatie", "uitstroomdoel"}


def test_vandaag_lists_the_mbo_checklist_in_the_mbo_words(mbo_window: MainWindow) -> None:
    today = mbo_window.today_view
    assert today is not None
    model = today.model
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
        if model.index(r, 0).data(ROW_ROLE) is not None
    ]
    assert rows, "the six students have open tasks on 15 March"
    whats = {row[4] for row in rows if not row[4].startswith("Nog geen route")}
    assert whats, "the transitieplan is due in December"
    # Every task is one of the mbo's own, none of the pro school's (Paspoort, OPP, ...).
    assert whats <= {t.open_text for t in MBO_TEMPLATES}
    assert not whats & {t.open_text for t in DEFAULT_TEMPLATES if t.code in PRO_ONLY}
    assert "Leerling" not in {row[3] for row in rows}
    assert "bij het mbo" not in today.advice.text()


def test_the_mbo_opens_its_exit_figures_and_reasons_from_the_bestand_menu(
    mbo_window: MainWindow, dialogs
) -> None:
    window = mbo_window
    file_menu = window.menuBar().actions()[0].menu()
    assert window.exit_area.exit_figures_action in file_menu.actions()
    assert window.exit_area.dropout_reasons_action.isVisible()
    seen: list[str] = []
    dialogs.then(lambda d: (seen.append(d.windowTitle()), d.reject()))
    window.exit_area.exit_figures_action.trigger()
    dialogs.then(lambda d: (seen.append(d.windowTitle()), d.reject()))
    window.exit_area.dropout_reasons_action.trigger()
    assert seen == ["Cijfers exitgesprekken", "Redenen van uitval"]


def test_a_pro_school_has_no_exit_figures(window: MainWindow) -> None:
    assert not window.exit_area.exit_figures_action.isVisible()
    assert not window.exit_area.dropout_reasons_action.isVisible()
