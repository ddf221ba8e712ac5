"""Bestand → Back-ups…: what a coordinator sees, makes and puts back; and the start-up work."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from sqlalchemy import event

from factories import dump, fixed_clock, make_database
from uitstroom.domain.durability import BackupReason
from uitstroom.services.backups import backup_before, list_backups
from uitstroom.services.database import Database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.durability import DISK_FULL
from uitstroom.services.pupils import PupilService
from uitstroom.ui.app_services import Services
from uitstroom.ui.backup_dialog import BackupDialog, NoticeBar, start_up
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.worker import running_jobs

# A restore adds its own line to the restored database's audit trail; compare the rest.
# The trail, and the change marker every line of it moves.
NO_AUDIT = ("audit_event", "change_marker")

TODAY = date(2026, 11, 23)


def close_window(window: MainWindow) -> None:
    window.detail.show_empty("")  # nothing unsaved, so closing asks nothing
    window.close()
    window.deleteLater()


def services_with_database(db: Database) -> Services:
    return Services.build(db.sessions, db.location, database=db, clock=fixed_clock())


def window_on(qtbot, db: Database) -> MainWindow:
    window = MainWindow(services_with_database(db), today=lambda: TODAY)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def school(tmp_path: Path) -> Iterator[Database]:
    db = make_database(tmp_path)
    insert_demo_cohort(db.sessions, today=TODAY)
    yield db
    db.close()


@pytest.fixture
def window(qtbot, school: Database) -> Iterator[MainWindow]:
    opened = window_on(qtbot, school)
    yield opened
    close_window(opened)


def open_dialog(qtbot, window: MainWindow, db: Database) -> BackupDialog:
    dialog = BackupDialog(db, window, before_restore=window.detail.resolve_unsaved)
    dialog.restored.connect(lambda _result: window.admin_area.reload_after_restore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def wait_idle(qtbot, dialog: BackupDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy and running_jobs() == 0, timeout=20000)


def shown_rows(dialog: BackupDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def names(window: MainWindow) -> set[str]:
    return {window.model.row_at(row).achternaam for row in range(window.model.rowCount())}


def test_the_list_shows_the_backups_newest_first_in_dutch(
    qtbot, qtmodeltester, window: MainWindow, school: Database
) -> None:
    moment = fixed_clock()()
    backup_before(school, BackupReason.DAGELIJKS, moment - timedelta(days=1))
    backup_before(school, BackupReason.VOOR_IMPORT, moment)
    dialog = open_dialog(qtbot, window, school)
    qtmodeltester.check(dialog.model)
    rows = shown_rows(dialog)
    assert [row[:2] for row in rows] == [
        ("23 november 2026, 09:30", "voor import"),
        ("22 november 2026, 09:30", "dagelijks"),
    ]
    assert all(row[2].endswith("kB") for row in rows)
    assert str(school.backup_dir) in dialog.findChild(type(dialog.list_label), "folder").text()
    assert dialog.table.currentIndex().row() == 0
    assert dialog.restore_button.isEnabled()


def test_the_menu_opens_the_dialog_and_every_button_has_a_key(
    qtbot, window: MainWindow, dialogs
) -> None:
    assert window.admin_area.backups_action in window.file_menu.actions()
    assert window.admin_area.backups_action.isEnabled()
    dialogs.click("Sluiten")
    window.admin_area.backups_action.trigger()
    assert dialogs.seen == ["Back-ups"]
    dialog = BackupDialog(window.services.database, window)  # type: ignore[arg-type]
    for button in (
        dialog.backup_button,
        dialog.restore_button,
        dialog.other_button,
        dialog.close_button,
        dialog.open_folder_button,
    ):
        assert "&" in button.text(), button.text()
    assert dialog.list_label.buddy() is dialog.table


def test_without_a_database_file_the_menu_item_is_off(qtbot, empty_window: MainWindow) -> None:
    assert not empty_window.admin_area.backups_action.isEnabled()


def test_a_backup_made_now_appears_on_top(qtbot, window: MainWindow, school: Database) -> None:
    dialog = open_dialog(qtbot, window, school)
    assert dialog.model.rowCount() == 0
    assert "nog geen" in dialog.list_label.text()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert dialog.model.rowCount() == 1
    assert shown_rows(dialog)[0][1] == "handmatig"
    assert dialog.banner.kind == "success"
    assert dialog.banner.text.text().startswith("Back-up gemaakt en gecontroleerd")


def test_restoring_asks_first_then_shows_the_restored_cohort(
    qtbot, window: MainWindow, school: Database, dialogs
) -> None:
    backup = backup_before(school, BackupReason.DAGELIJKS)
    held = dump(backup, school.key, exclude=NO_AUDIT)
    service = PupilService(school.sessions)
    first = window.model.row_at(0)
    pupil = service.record(first.id).pupil
    service.save(replace(pupil, achternaam="Later-Gewijzigd"))
    window.reload_cohort()
    assert "Later-Gewijzigd" in names(window)

    dialog = open_dialog(qtbot, window, school)
    dialogs.click("Annuleren")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert "Later-Gewijzigd" in names(window)  # cancelled: nothing happened

    dialogs.click("Terugzetten")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)

    question = dialogs.seen[-1]
    assert "terugzetten?" in question
    assert "bewaard als back-up ‘voor herstel’" in question
    assert "Daarna komt de back-up op de plaats van de database" in question
    assert dump(school, exclude=NO_AUDIT) == held
    assert "Later-Gewijzigd" not in names(window)
    assert pupil.achternaam in names(window)
    assert dialog.banner.kind == "success"
    assert dialog.banner.text.text().startswith("Teruggezet: de back-up van")
    assert [row[1] for row in shown_rows(dialog)] == ["voor herstel", "dagelijks"]
    assert window.statusBar().currentMessage() == "De back-up is teruggezet."
    # The window's own services now read the restored file.
    assert window.services.pupils.record(first.id).pupil.achternaam == pupil.achternaam


def test_a_damaged_file_is_refused_in_the_dialog_and_nothing_changes(
    qtbot, window: MainWindow, school: Database, dialogs, tmp_path: Path
) -> None:
    good = backup_before(school, BackupReason.HANDMATIG)
    damaged = tmp_path / "beschadigd.db"
    data = bytearray(good.read_bytes())
    data[10000:10100] = bytes(100)
    damaged.write_bytes(bytes(data))
    before = dump(school)
    shown_before = names(window)
    dialog = open_dialog(qtbot, window, school)
    dialogs.click("Terugzetten")
    dialog.restore_other_file(str(damaged))
    wait_idle(qtbot, dialog)
    assert dialog.banner.kind == "error"
    assert "beschadigd.db is beschadigd en wordt niet teruggezet" in dialog.banner.text.text()
    assert "Er is niets veranderd" in dialog.banner.text.text()
    assert dump(school) == before
    assert names(window) == shown_before
    assert len(list_backups(school.path, school.backup_dir)) == 1  # no 'voor herstel' copy


def test_start_up_makes_the_daily_backup_quietly_and_warns_about_a_synced_folder(
    qtbot, tmp_path: Path
) -> None:
    db = make_database(tmp_path / "OneDrive - De Horizon")
    window = window_on(qtbot, db)
    try:
        job = start_up(window, db, backup_after_ms=0)
        assert job is not None
        with qtbot.waitSignal(job.finished, timeout=20000):
            pass
        bar = window.findChild(NoticeBar)
        assert bar is not None and bar.isVisible()
        assert "map die OneDrive synchroniseert" in bar.text.text()
        assert [b.reason for b in list_backups(db.path, db.backup_dir)] == ["dagelijks"]
        assert "back-up van vandaag is gemaakt" in window.statusBar().currentMessage()
        qtbot.mouseClick(bar.dismiss, Qt.MouseButton.LeftButton)
        assert not bar.isVisible()
        assert start_up(window, db, 0) is not None  # a second start the same day: no new backup
        qtbot.waitUntil(lambda: not job._running, timeout=20000)
        assert len(list_backups(db.path, db.backup_dir)) == 1
    finally:
        close_window(window)
        db.close()


def test_a_full_disk_while_saving_shows_the_message_and_keeps_what_was_saved(
    qtbot, window: MainWindow, school: Database
) -> None:
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.pupil_id is not None)
    last_saved = dump(school)

    def no_room(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(school.engine, "connect", no_room)
    school.engine.dispose()
    try:
        field = window.detail.findChild(QPlainTextEdit, "ondersteuningsbehoefte")
        assert field is not None
        field.setPlainText("Werkt het best met korte, duidelijke opdrachten. " * 2000)
        assert not window.detail.save()
        assert window.detail.banner.isVisible()
        assert window.detail.banner.text() == DISK_FULL
        assert window.detail.unsaved_marker.isVisible()  # what was typed is still there
        assert window.last_saved_label.text() == ""
    finally:
        event.remove(school.engine, "connect", no_room)
        school.engine.dispose()
    assert dump(school) == last_saved
    window.detail.show_empty("")
