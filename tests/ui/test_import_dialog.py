"""The import dialog as a coordinator uses it: choose a file, check the columns, read what
changes, import. The work runs in a thread; the tests wait for the dialog's `work_finished`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from factories import dump, fixed_clock
from import_files import HEADERS, pupil_rows, write_csv, write_xlsx
from uitstroom.domain.importing import ImportField, guess_mapping
from uitstroom.services.database import Database
from uitstroom.services.importing import ImportCancelled, ImportService
from uitstroom.services.pupils import PupilService
from uitstroom.ui.import_dialog import NOTHING_IMPORTED, ImportDialog
from uitstroom.ui.worker import run_with_progress

COHORT = "2026-2027"


@pytest.fixture
def dialog(qtbot, database: Database) -> Iterator[ImportDialog]:
    opened = ImportDialog(ImportService(database.sessions, clock=fixed_clock()), COHORT)
    qtbot.addWidget(opened)
    opened.show()
    yield opened


def choose_file(qtbot, dialog: ImportDialog, path: Path) -> None:
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(path))
    press_next(qtbot, dialog)


def press_next(qtbot, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.work_finished, timeout=20_000):
        dialog.next_button.click()


def database_file(db: Database) -> Path:
    db.engine.dispose()
    return Path(db.engine.url.database or "")


def test_a_bad_file_shows_every_problem_and_imports_nothing(
    qtbot, dialog: ImportDialog, database: Database, tmp_path: Path
) -> None:
    rows = pupil_rows(6)
    rows[2][4] = "31-02-2010"
    rows[4][0] = rows[0][0]
    path = write_csv(tmp_path / "export-magister.csv", rows)
    before = dump(database)

    choose_file(qtbot, dialog, path)
    assert dialog.pages.currentIndex() == ImportDialog.MAPPING
    assert "export-magister.csv" in dialog.file_summary.text()
    assert "gescheiden door puntkomma's" in dialog.file_summary.text()
    assert dialog.mapping() == guess_mapping(HEADERS)
    assert dialog.sample_model.rowCount() == 5

    press_next(qtbot, dialog)
    assert dialog.pages.currentIndex() == ImportDialog.PREVIEW
    shown = [
        (p.row, p.column, p.message[:40])
        for p in (dialog.problem_model.row_at(i) for i in range(dialog.problem_model.rowCount()))
    ]
    assert shown == [
        (4, "Geboortedatum", "De datum '31-02-2010' bestaat niet. Cont"),
        (6, "Leerlingnummer", "Leerlingnummer 300001 staat twee keer in"),
    ]
    assert dialog.lists.currentWidget() is dialog.problem_view
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_banner.isVisible()
    assert dialog.preview_banner.text.text() == NOTHING_IMPORTED
    assert dialog.summary_label.text() == "Het bestand heeft 2 problemen."
    dialog.start_import()  # even when called directly, nothing happens
    assert dump(database) == before


def test_a_good_file_is_imported_and_the_pupils_are_in_the_database(
    qtbot, demo_database: Database, tmp_path: Path
) -> None:
    pupils = PupilService(demo_database.sessions)
    known = pupils.summaries()[0]
    rows = pupil_rows(2)
    rows.append(
        [known.leerlingnummer, known.roepnaam, known.tussenvoegsel, known.achternaam, "", "PRO4X"]
        + [""] * 4
    )
    path = write_xlsx(tmp_path / "export-somtoday.xlsx", rows)
    dialog = ImportDialog(
        ImportService(demo_database.sessions, clock=fixed_clock()), COHORT, path=path
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.work_finished, timeout=20_000):
        dialog.show()  # a path given up front is read straight away
    assert dialog.pages.currentIndex() == ImportDialog.MAPPING

    press_next(qtbot, dialog)
    assert dialog.summary_label.text().startswith(
        "Schooljaar 2026-2027: 2 nieuwe leerlingen, 0 gewijzigd, 1 ongewijzigd; 47 leerlingen "
        "staan niet meer in dit bestand en blijven bewaard."
    )
    first = dialog.change_model.row_at(0)
    assert first[0] == f"{known.name} ({known.leerlingnummer})"
    assert first[1] == "Geen wijziging"
    assert f"klas of groep: {known.klas} (in het bestand: PRO4X)" in first[2]
    assert "klas of groep" in dialog.change_detail.text()
    assert dialog.import_button.isEnabled()
    assert not dialog.preview_banner.isVisible()

    with qtbot.waitSignal(dialog.imported, timeout=20_000) as imported:
        dialog.import_button.click()
    assert imported.args == [2]
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.preview_banner.kind == "success"
    assert "Klaar: 2 leerlingen opgeslagen" in dialog.preview_banner.text.text()
    assert not dialog.import_button.isEnabled()
    assert pupils.find_by_leerlingnummer("300001") is not None
    assert pupils.find_by_leerlingnummer("300002") is not None
    kept = pupils.find_by_leerlingnummer(known.leerlingnummer)
    assert kept is not None and kept.pupil.klas == known.klas
    assert pupils.count() == 50


def test_pupils_missing_from_the_file_are_named_and_archived_only_when_ticked(
    qtbot, database: Database, tmp_path: Path
) -> None:
    service = ImportService(database.sessions, clock=fixed_clock())
    rows = pupil_rows(3)
    first = write_csv(tmp_path / "oktober.csv", rows)
    table = service.read(first)
    service.apply(service.check(table, COHORT))
    second = write_csv(tmp_path / "november.csv", rows[:2])
    dialog = ImportDialog(service, COHORT, path=second)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.work_finished, timeout=20_000):
        dialog.show()
    press_next(qtbot, dialog)
    missing = "Noa van der Meer (300003)"
    assert "1 leerling staat niet meer in dit bestand" in dialog.summary_label.text()
    box = dialog.archive_missing
    assert box.isVisible() and not box.isChecked()
    assert box.text() == (
        "De 1 leerling die niet in dit bestand staat &archiveren (reden: niet meer in de export)"
    )
    last = dialog.change_model.row_at(dialog.change_model.rowCount() - 1)
    assert last[:2] == (missing, "Staat niet in dit bestand; blijft bewaard")
    box.setChecked(True)
    last = dialog.change_model.row_at(dialog.change_model.rowCount() - 1)
    assert last[1] == "Staat niet in dit bestand; wordt gearchiveerd (niet meer in de export)"
    assert dialog.summary_label.text().endswith(
        "staat niet meer in dit bestand en wordt gearchiveerd."
    )
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.busy)
    assert "1 leerling gearchiveerd (niet meer in de export)." in dialog.preview_banner.text.text()
    record = PupilService(database.sessions).find_by_leerlingnummer("300003")
    assert record is not None and record.pupil.archived


def test_a_required_column_left_out_keeps_the_user_on_the_columns(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    choose_file(qtbot, dialog, write_csv(tmp_path / "export.csv", pupil_rows(2)))
    dialog.set_mapping(ImportField.ACHTERNAAM, None)
    dialog.next_button.click()
    assert not dialog.busy
    assert dialog.pages.currentIndex() == ImportDialog.MAPPING
    assert dialog.mapping_banner.isVisible()
    assert "Er is geen kolom voor de achternaam" in dialog.mapping_banner.text.text()
    dialog.set_mapping(ImportField.ACHTERNAAM, "Achternaam")
    assert not dialog.mapping_banner.isVisible()


def test_a_file_that_cannot_be_read_is_explained_on_the_first_step(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 8)
    choose_file(qtbot, dialog, path)
    assert dialog.pages.currentIndex() == ImportDialog.FILE
    assert dialog.file_banner.isVisible()
    assert dialog.file_banner.text.text().startswith("Dit bestand is geen CSV- of Excel-bestand")
    assert dialog.next_button.isEnabled()


def test_going_back_and_choosing_another_file(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    bad = pupil_rows(2)
    bad[1][3] = ""
    choose_file(qtbot, dialog, write_csv(tmp_path / "fout.csv", bad))
    press_next(qtbot, dialog)
    assert not dialog.import_button.isEnabled()
    dialog.back_button.click()
    dialog.back_button.click()
    assert dialog.pages.currentIndex() == ImportDialog.FILE
    choose_file(qtbot, dialog, write_csv(tmp_path / "goed.csv", pupil_rows(2)))
    press_next(qtbot, dialog)
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.isDefault()


def test_every_control_is_reachable_by_keyboard(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    choose_file(qtbot, dialog, write_csv(tmp_path / "export.csv", pupil_rows(2)))
    for button in dialog.findChildren(QPushButton):
        assert "&" in button.text(), button.text()
    page = dialog.pages.widget(ImportDialog.MAPPING)
    buddies = {label.buddy(): label.text() for label in page.findChildren(QLabel) if label.buddy()}
    combos = page.findChildren(QComboBox)
    assert len(combos) == len(ImportField)
    assert all(combo in buddies for combo in combos)
    assert all("&" in text for text in buddies.values())
    keys = [text[text.index("&") + 1].casefold() for text in buddies.values()]
    # 23 labels cannot all have their own letter; Alt+letter cycles through those that share.
    assert len(set(keys)) >= 18
    assert not {"t", "v", "s"} & set(keys)  # Terug, Volgende, Sluiten


def test_the_lists_pass_the_qt_model_tester(
    qtbot, qtmodeltester, dialog: ImportDialog, tmp_path: Path
) -> None:
    rows = pupil_rows(4)
    rows[1][4] = "2009-13-01"
    choose_file(qtbot, dialog, write_csv(tmp_path / "fout.csv", rows))
    qtmodeltester.check(dialog.sample_model)
    press_next(qtbot, dialog)
    qtmodeltester.check(dialog.problem_model)
    rows[1][4] = "2009-12-01"
    dialog.back_button.click()
    dialog.back_button.click()
    choose_file(qtbot, dialog, write_csv(tmp_path / "goed.csv", rows))
    press_next(qtbot, dialog)
    qtmodeltester.check(dialog.change_model)


# --- the background runner ---------------------------------------------------------------------


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_work_runs_off_the_ui_thread_and_the_result_arrives_on_it(qtbot, parent: QWidget) -> None:
    ui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    seen: list[tuple[bool, object]] = []

    def work(progress) -> str:
        assert progress(1, 2)
        return "klaar" if QThread.currentThread() is not ui_thread else "op de UI-thread"

    run_with_progress(
        parent,
        "Bezig…",
        work,
        lambda result: seen.append((QThread.currentThread() is ui_thread, result)),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [(True, "klaar")]


def test_an_error_is_handed_to_on_error(qtbot, parent: QWidget) -> None:
    errors: list[BaseException] = []

    def work(_progress) -> None:
        raise ValueError("kapot")

    run_with_progress(parent, "Bezig…", work, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert [str(e) for e in errors] == ["kapot"]


def test_annuleren_stops_the_work(qtbot, parent: QWidget) -> None:
    started = threading.Event()
    outcome: list[str] = []

    def work(progress) -> None:
        started.set()
        done = 0
        while progress(done, 1_000_000):
            done += 1
            threading.Event().wait(0.001)
        raise ImportCancelled()

    run_with_progress(
        parent,
        "Leerlingen importeren…",
        work,
        lambda _r: outcome.append("klaar"),
        lambda e: outcome.append(f"fout: {e}"),
        lambda: outcome.append("afgebroken"),
    )
    assert started.wait(5)
    progress_dialog = parent.findChild(QProgressDialog)
    assert progress_dialog is not None
    qtbot.waitUntil(progress_dialog.isVisible, timeout=5_000)
    cancel = [b for b in progress_dialog.findChildren(QPushButton) if b.text() == "&Annuleren"]
    assert cancel
    cancel[0].click()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5_000)
    assert outcome == ["afgebroken"]


def test_a_second_leerlingnummer_column_keeps_the_user_on_the_columns(
    qtbot, dialog: ImportDialog, tmp_path: Path
) -> None:
    rows = [[*row, f"9{row[0]}"] for row in pupil_rows(2)]
    path = write_csv(tmp_path / "export.csv", rows, headers=(*HEADERS, "Stamnummer"))
    choose_file(qtbot, dialog, path)
    dialog.next_button.click()
    assert not dialog.busy
    assert dialog.pages.currentIndex() == ImportDialog.MAPPING
    assert dialog.mapping_banner.isVisible()
    assert (
        "Er zijn 2 kolommen voor 'Leerlingnummer': 'Leerlingnummer' (kolom A) en 'Stamnummer' "
        "(kolom K)" in dialog.mapping_banner.text.text()
    )
    # Choosing the other column does not help: the file must say which one is right.
    dialog.set_mapping(ImportField.LEERLINGNUMMER, "Stamnummer")
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == ImportDialog.MAPPING
    assert "Verwijder de verkeerde kolom" in dialog.mapping_banner.text.text()


def test_alt_b_is_bladeren_and_the_file_field_has_its_own_letter(
    qtbot, dialog: ImportDialog, monkeypatch, tmp_path: Path
) -> None:
    asked: list[str] = []

    def choose(*args: object) -> tuple[str, str]:
        asked.append(str(args[1]))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)  # Qt's own dialog, not ours
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.browse_button.setFocus()
    qtbot.keyClick(dialog.browse_button, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.path_edit
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: asked == ["Export van de leerlingadministratie kiezen"])
    assert dialog.path_edit.text() == ""  # nothing typed into the field
