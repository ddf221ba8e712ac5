"""The exitgesprek's figures, the school's reasons for stopping and the summary for the student,
on screen, on a real encrypted database of an mbo school with a year of finished interviews."""

from __future__ import annotations

import html
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCharts import QBarCategoryAxis, QChartView
from PySide6.QtWidgets import QFileDialog, QLabel, QTableWidget

from conftest import Dialogs, button_with_text
from factories import fixed_clock, make_pupil
from uitstroom.domain.actor import coordinator
from uitstroom.domain.enums import JaNeeOnbekend, Leerweg, Niveau, SchoolType
from uitstroom.domain.exit import DEFAULT_DROPOUT_REASONS, ExitInterview, LeavingReason, NextStep
from uitstroom.domain.model import SchoolSettings
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.exit import ExitService
from uitstroom.services.handover import data_version_of
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.dropout_reasons import DropoutReasonsDialog
from uitstroom.ui.exit_figures import OTHERS, ExitFiguresDialog, top_groups
from uitstroom.ui.exit_summary import show_exit_summary, summary_preview

TODAY = date(2027, 3, 3)
NOW = datetime(2027, 3, 3, 10, 0)
ACTOR = "Joris de Vries"
SMALL_OPLEIDINGEN = [f"Opleiding {letter}" for letter in "ABCDEFGHIJ"]


def add_student(database: Database, n: int, opleiding: str, niveau: Niveau, **changes) -> int:
    values = {
        "leerlingnummer": f"30{n:04d}",
        "roepnaam": f"Student{n}",
        "tussenvoegsel": "",
        "achternaam": "Çelik" if n == 0 else f"Achternaam{n}",
        "geboortedatum": date(2005, 4, 1),
        "klas": "",
        "mbo_opleiding": opleiding,
        "mbo_crebo": "25180",
        "mbo_niveau": niveau,
        "mbo_leerweg": Leerweg.BOL,
    }
    pupil = make_pupil(**(values | changes))
    record = PupilService(database.sessions, clock=fixed_clock(NOW)).create(pupil, "2026-2027")
    assert record.pupil.id is not None
    return record.pupil.id


def interview(
    reason: LeavingReason,
    next_step: NextStep,
    held_on: date = date(2027, 3, 1),
    dropout: str = "",
    nazorg: bool = True,
) -> ExitInterview:
    return ExitInterview(
        held_on=held_on,
        left_on=held_on,
        reason=reason,
        dropout_reason=dropout,
        startkwalificatie=JaNeeOnbekend.JA,
        next_step=next_step,
        next_step_detail={
            NextStep.WERK: "Bakkerij Öztürk",
            NextStep.OPLEIDING: "Kok niveau 3, ROC Utrecht",
        }.get(next_step, ""),
        phone_after="06 12 34 56 78",
        nazorg_agreed=nazorg,
        mentor=ACTOR,
    )


def build_year(database: Database) -> ExitService:
    """An mbo school's year: Kok (12: six with a diploma, six stopped for their health),
    Medewerker bakkerij (7 moved to another opleiding), ten opleidingen with one student each,
    one concept (not counted) and one interview of the year before."""
    SchoolService(database.sessions).save_settings(
        SchoolSettings(
            name="ROC Midden",
            school_type=SchoolType.MBO,
            coordinator_name="Fatima El Amrani",
            coordinator_phone="030 765 43 21",
            coordinator_email="nazorg@rocmidden.nl",
        )
    )
    service = ExitService(database.sessions, clock=fixed_clock(NOW))
    n = 0

    def finish(opleiding: str, niveau: Niveau, done: ExitInterview) -> int:
        nonlocal n
        pupil_id = add_student(database, n, opleiding, niveau)
        n += 1
        service.finish(pupil_id, done)
        return pupil_id

    for k in range(12):
        if k < 6:
            done = interview(LeavingReason.DIPLOMA, NextStep.WERK)
        else:
            step = NextStep.WERK if k < 8 else NextStep.OPLEIDING
            done = interview(LeavingReason.UITVAL, step, dropout="Gezondheid")
        finish("Kok", Niveau.N2, done)
    for _ in range(7):
        finish(
            "Medewerker bakkerij", Niveau.N2, interview(LeavingReason.OVERSTAP, NextStep.OPLEIDING)
        )
    for name in SMALL_OPLEIDINGEN:
        finish(name, Niveau.N3, interview(LeavingReason.DIPLOMA, NextStep.WERK))
    finish("Kok", Niveau.N2, interview(LeavingReason.DIPLOMA, NextStep.WERK, date(2026, 5, 1)))
    concept = add_student(database, 99, "Kok", Niveau.N2)
    service.save_concept(concept, interview(LeavingReason.DIPLOMA, NextStep.WERK))
    return service


@pytest.fixture
def exits(database: Database) -> ExitService:
    return build_year(database)


def table_texts(dialog: ExitFiguresDialog) -> list[list[list[str]]]:
    tables = dialog.tables_page.widget().findChildren(QTableWidget, "figures")
    return [
        [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
        for t in tables
    ]


def headers(dialog: ExitFiguresDialog, index: int) -> list[str]:
    table = dialog.tables_page.widget().findChildren(QTableWidget, "figures")[index]
    return [
        table.horizontalHeaderItem(c).text().replace("\n", " ") for c in range(table.columnCount())
    ]


def bar_names(dialog: ExitFiguresDialog) -> list[list[str]]:
    views = dialog.charts_page.widget().findChildren(QChartView)
    names = []
    for view in views:
        axes = [a for a in view.chart().axes() if isinstance(a, QBarCategoryAxis)]
        names.append([html.unescape(n) for n in reversed(axes[0].categories())])
    return names


# --- figures -----------------------------------------------------------------------------------
def test_the_figures_show_this_years_interviews_per_opleiding_with_small_numbers_hidden(
    qtbot, exits: ExitService
) -> None:
    dialog = ExitFiguresDialog(exits, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.year.currentData() == "2026-2027"
    assert dialog.count_label.text() == "29 afgeronde exitgesprekken"

    reasons, steps = bar_names(dialog)
    # The biggest opleidingen first; the ten with one student each get no bar of their own
    # (it would show what one student did), but one together.
    assert reasons == ["Kok (12)", "Medewerker bakkerij (7)", f"{OTHERS} (10)"]
    assert steps == reasons
    explanations = [
        label.text() for label in dialog.charts_page.widget().findChildren(QLabel, "explanation")
    ]
    assert len(explanations) == 3
    assert "29 exitgesprekken afgerond" in explanations[1]
    assert "12 studenten gingen met een diploma van school" not in explanations[1]
    assert "16 studenten gingen met een diploma van school" in explanations[1]
    assert "7 stapten over" in explanations[1] and "6 stopten zonder diploma" in explanations[1]
    assert "‘Gezondheid’ (6)" in explanations[1]
    assert "de 10 andere opleidingen staan samen onder ‘Overige opleidingen’" in explanations[1]
    assert "minder dan 5 naar een andere opleiding" not in explanations[2]

    kinds, dropouts, next_steps = table_texts(dialog)
    assert headers(dialog, 0) == [
        "",
        "Diploma behaald",
        "Overstap naar een andere opleiding",
        "Gestopt zonder diploma",
        "Totaal",
    ]
    # Every opleiding in the table, alphabetically; only Kok stopped without a diploma.
    assert [row[0] for row in kinds] == sorted(["Kok", "Medewerker bakkerij", *SMALL_OPLEIDINGEN])
    assert [row[0] for row in dropouts] == ["Kok"]
    assert "Gezondheid" in headers(dialog, 1)
    kok = next(row for row in kinds if row[0] == "Kok")
    assert kok[-1] == "12"
    cells = [cell for table in (kinds, dropouts, next_steps) for row in table for cell in row[1:]]
    assert "<5" in cells
    # Small numbers hidden ('<5'), with a partner where a total would give them away ('x');
    # a zero is a zero.
    assert all(cell in ("<5", "x", "0") or int(cell) >= 5 for cell in cells)
    small = next(row for row in kinds if row[0] == "Opleiding A")
    assert set(small[1:-1]) <= {"<5", "x", "0"} and "<5" in small[1:-1] and small[-1] == "<5"


def test_per_niveau_and_another_year(qtbot, exits: ExitService) -> None:
    dialog = ExitFiguresDialog(exits, TODAY)
    qtbot.addWidget(dialog)
    dialog.split.setCurrentIndex(dialog.split.findData("niveau"))
    reasons, _steps = bar_names(dialog)
    assert reasons == ["Niveau 2 (19)", "Niveau 3 (10)"]
    kinds, _dropouts, _next = table_texts(dialog)
    assert [row[0] for row in kinds] == ["Niveau 2", "Niveau 3"]

    dialog.year.setCurrentIndex(dialog.year.findData("2025-2026"))
    assert dialog.count_label.text() == "1 afgerond exitgesprek"
    dialog.year.setCurrentIndex(dialog.year.findData("2024-2025"))
    assert dialog.empty.isVisibleTo(dialog) and not dialog.tabs.isVisibleTo(dialog)
    assert "In schooljaar 2024-2025 is nog geen exitgesprek afgerond." in dialog.empty.text()
    assert not dialog.export_button.isEnabled()


def test_the_export_is_anonymous_and_says_where_it_went(
    qtbot, exits: ExitService, tmp_path: Path, monkeypatch, dialogs: Dialogs
) -> None:
    target = tmp_path / "cijfers"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog = ExitFiguresDialog(exits, TODAY, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialogs.click("OK")
    button_with_text(dialog, "Exporteren naar Excel…").click()
    assert dialogs.seen and "cijfers.xlsx" in dialogs.seen[0]
    workbook = load_workbook(tmp_path / "cijfers.xlsx")
    text = " ".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    assert "Kok" in text and "Çelik" not in text and "300000" not in text


# --- dropout reasons ---------------------------------------------------------------------------
def test_the_school_edits_its_reasons_for_stopping(qtbot, exits: ExitService) -> None:
    dialog = DropoutReasonsDialog(exits)
    qtbot.addWidget(dialog)
    assert dialog.reasons() == list(DEFAULT_DROPOUT_REASONS)
    assert not dialog.up_button.isEnabled()

    dialog.list.setCurrentRow(dialog.reasons().index("Verhuizing"))
    dialog.remove_button.click()
    dialog.add_button.click()
    dialog.list.currentItem().setText("  Zwangerschap  ")
    dialog.up_button.click()  # above 'Anders', which stays last
    dialog.list.setCurrentRow(0)
    dialog.list.currentItem().setText("Opleiding past niet")
    dialog.save_button.click()

    assert dialog.saved
    expected = [
        "Opleiding past niet",
        "Persoonlijke omstandigheden",
        "Gezondheid",
        "Werk gevonden",
        "Studieresultaten",
        "Geldzaken",
        "Zwangerschap",
        "Anders",
    ]
    assert list(exits.dropout_reasons()) == expected
    again = DropoutReasonsDialog(exits)
    qtbot.addWidget(again)
    assert again.reasons() == expected


def test_a_reason_twice_or_an_empty_list_is_refused_and_the_standard_list_comes_back(
    qtbot, exits: ExitService
) -> None:
    dialog = DropoutReasonsDialog(exits)
    qtbot.addWidget(dialog)
    dialog.add_button.click()
    dialog.list.currentItem().setText("gezondheid")
    dialog.save_button.click()
    assert not dialog.saved
    assert "‘gezondheid’ staat er twee keer in" in dialog.banner.text()
    while dialog.list.count():
        dialog.list.setCurrentRow(0)
        dialog.remove_button.click()
    dialog.save_button.click()
    assert not dialog.saved and "minstens één reden" in dialog.banner.text()
    dialog.default_button.click()
    assert dialog.reasons() == list(DEFAULT_DROPOUT_REASONS)
    assert dialog.banner.isHidden()
    dialog.save_button.click()
    assert dialog.saved and exits.dropout_reasons() == DEFAULT_DROPOUT_REASONS


# --- the summary for the student --------------------------------------------------------------
def test_the_summary_opens_in_the_preview_and_saves_as_pdf(
    qtbot, exits: ExitService, database: Database, tmp_path: Path, monkeypatch
) -> None:
    student = add_student(database, 500, "Kok", Niveau.N2, roepnaam="Zoë", achternaam="Ōtsuka")
    refused = interview(LeavingReason.UITVAL, NextStep.NOG_NIETS, dropout="Geldzaken", nazorg=False)
    exits.finish(student, refused)

    sanne = exits.alongside(ExitService, coordinator("Sanne de Wit"))
    dialog = summary_preview(None, sanne, student, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Samenvatting exitgesprek — Zoë Ōtsuka"
    assert dialog.document.pageCount() == 1
    target = tmp_path / "samenvatting.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_as()
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert "Je exitgesprek: Zoë Ōtsuka" in text
    assert "Gestopt zonder diploma: Geldzaken" in text
    assert "Je wilt niet gebeld worden door school." in text
    assert "Pagina 1 van 1" in text
    # A document with personal data left the program: the audit trail says who saved it.
    logged = [
        (e.actor, e.detail)
        for e in AuditService(database.sessions).entries()
        if e.pupil_id == student and "samenvatting" in e.detail
    ]
    version = data_version_of(exits.summary_doc(student, TODAY))
    assert logged == [
        ("Sanne de Wit", f"samenvatting exitgesprek opgeslagen, gegevensversie {version}")
    ]
    assert target.read_bytes() == dialog.pdf  # the bytes shown are the bytes saved


def test_without_an_interview_the_summary_says_so(
    qtbot, exits: ExitService, database: Database, dialogs: Dialogs
) -> None:
    student = add_student(database, 501, "Kok", Niveau.N2)
    dialogs.click("OK")
    show_exit_summary(None, exits, student, TODAY)
    assert dialogs.seen == ["Deze student heeft nog geen exitgesprek."]


def test_a_school_with_many_opleidingen_gets_eight_bars_and_the_rest_together() -> None:
    groups = {f"Opleiding {n}": {"Diploma behaald": 20 - n} for n in range(14)}
    groups["Klein"] = {"Diploma behaald": 2}
    bars = top_groups(groups, "opleiding")
    assert list(bars.shown) == [*(f"Opleiding {n}" for n in range(8)), OTHERS]
    assert bars.grouped == 7 and bars.shown[OTHERS] == {"Diploma behaald": sum(range(7, 13)) + 2}
    tiny = top_groups(
        {"Kok": {"Werk": 9}, "Klein": {"Werk": 2}, "Kleiner": {"Werk": 1}}, "opleiding"
    )
    assert list(tiny.shown) == ["Kok"] and tiny.left_out == 2
