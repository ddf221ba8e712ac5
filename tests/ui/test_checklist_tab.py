"""A pupil's Checklist tab, Checklist aanpassen, the calendar export and the school calendar
settings, on the demo cohort on 20 March of the final year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from conftest import close_window, open_window
from uitstroom.services.database import Database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.templates_dialog import TemplatesDialog, when_text

MARCH_20 = date(2027, 3, 20)


@pytest.fixture
def march_window(qtbot, database: Database) -> Iterator[MainWindow]:
    insert_demo_cohort(database.sessions, today=MARCH_20)
    opened = open_window(qtbot, database, today=MARCH_20)
    yield opened
    close_window(opened)


def open_late_pupil(qtbot, window: MainWindow) -> int:
    item = window.today_view.selected_item()
    window.open_pupil_at(item.pupil_id, "checklist", item.task.id)
    return item.pupil_id


def test_the_checklist_ticks_and_unticks_from_the_keyboard(qtbot, march_window) -> None:
    pupil_id = open_late_pupil(qtbot, march_window)
    checklist = march_window.detail.checklist
    qtmodels = (checklist.open_model, checklist.done_model)
    open_before = checklist.open_model.rowCount()
    done_before = checklist.done_model.rowCount()
    assert checklist.open_box.title() == f"Open ({open_before})"
    assert checklist.marker.label.text() == "Te laat"
    chosen = checklist.open_table.currentIndex().data(Qt.ItemDataRole.UserRole + 1)
    checklist.open_table.setFocus()
    qtbot.keyClick(checklist.open_table, Qt.Key.Key_Space)
    assert checklist.open_model.rowCount() == open_before - 1
    assert checklist.done_model.rowCount() == done_before + 1
    done = next(t for t in checklist.done_model.rows if t.id == chosen.id)
    assert done.done_on == MARCH_20 and done.done_by
    # The Vandaag list and the status column follow the tick made here.
    assert not march_window.today_view.model.item_index(chosen.id).isValid()
    row = march_window.model.row_of(pupil_id)
    assert (
        march_window.model.index(row, 5).data()
        == march_window.services.planning.status_of(pupil_id, MARCH_20).level.label
    )
    assert checklist.select_task(chosen.id)
    qtbot.keyClick(checklist.done_table, Qt.Key.Key_Space)
    assert checklist.open_model.rowCount() == open_before
    assert all(m.rowCount() >= 0 for m in qtmodels)


def test_the_task_models_pass_the_qt_model_tester(qtmodeltester, qtbot, march_window) -> None:
    open_late_pupil(qtbot, march_window)
    checklist = march_window.detail.checklist
    qtmodeltester.check(checklist.open_model)
    qtmodeltester.check(checklist.done_model)


def test_switching_a_task_off_takes_it_out_of_every_checklist(qtbot, march_window) -> None:
    planning = march_window.services.planning
    dialog = TemplatesDialog(planning, MARCH_20, march_window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    codes = [t.code for t in dialog.model.rows]
    row = codes.index("paspoort")
    dialog.table.setCurrentIndex(dialog.model.index(row, 0))
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert dialog.model.index(row, 0).data() == "uit"
    dialog.accept()
    assert not next(t for t in planning.templates() if t.code == "paspoort").active
    pupil_id = open_late_pupil(qtbot, march_window)
    assert all(t.code != "paspoort" or t.done for t in planning.tasks(pupil_id))


def test_dates_are_said_in_words() -> None:
    from uitstroom.domain.checklist import DEFAULT_TEMPLATES

    by_code = {t.code: t for t in DEFAULT_TEMPLATES}
    assert when_text(by_code["aanmelden_mbo"]) == "op 1 april"
    assert when_text(by_code["paspoort"]) == "6 weken vóór laatste schooldag"


def test_the_calendar_export_writes_an_ics_for_one_klas(
    qtbot, march_window, dialogs, monkeypatch, tmp_path: Path
) -> None:
    target = tmp_path / "agenda"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )

    def choose_klas(dialog) -> None:
        combo = dialog.form.editor("scope")
        combo.setCurrentIndex(combo.findText("Klas: PRO4A"))
        dialog.accept()

    dialogs.then(choose_klas)
    march_window.admin_area.export_calendar()
    written = target.with_suffix(".ics")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "(PRO4A)" in text and "(PRO4B)" not in text
    assert "Agenda opgeslagen" in march_window.statusBar().currentMessage()
