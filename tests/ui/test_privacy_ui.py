"""The privacy screens as a coordinator uses them: the log, the retention purge, inzage and
erasure, on a real encrypted database, with real widgets off screen."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from conftest import TODAY, button_with_text, close_window, services_for
from factories import dump, fixed_clock, make_pupil
from uitstroom.domain.actor import Actor, Role
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.retention import RetentionCategory
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.pupils import PupilService
from uitstroom.storage import cipher
from uitstroom.ui.audit_dialog import BROKEN, AuditDialog
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.retention_dialog import RetentionDialog, offer_purge
from uitstroom.ui.rights import EraseDialog
from uitstroom.ui.worker import running_jobs


def open_first_pupil(qtbot, window: MainWindow) -> int:
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.pupil_id is not None)
    pupil_id = window.detail.pupil_id
    assert pupil_id is not None
    return pupil_id


def shown(dialog: AuditDialog) -> list[tuple[str, ...]]:
    proxy = dialog.proxy
    return [
        tuple(proxy.index(row, column).data() for column in range(proxy.columnCount()))
        for row in range(proxy.rowCount())
    ]


# --- the log -----------------------------------------------------------------------------------


def test_opening_and_editing_a_pupil_shows_up_in_the_log_newest_first(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    pupil_id = open_first_pupil(qtbot, window)
    record = window.detail.record
    assert record is not None
    window.services.pupils.save(replace(record.pupil, klas="PRO4X"))

    dialog = AuditDialog(AuditService(demo_database.sessions), window)
    qtbot.addWidget(dialog)
    rows = shown(dialog)
    # This pupil's lines, newest first (the demo school's own set-up is stamped with the real
    # time, the pupil's with the test's fixed clock, so other lines may sort above them).
    mine = [row for row in rows if row[3] == str(pupil_id)]
    assert mine[0][2:] == ("Gegevens gewijzigd", str(pupil_id), "velden: klas")
    assert mine[1][2:] == (
        "Ondersteuningsbehoefte en notities bekeken",
        str(pupil_id),
        "detailweergave",
    )
    assert mine[0][1].endswith(" / Marloes Verbeek")
    assert dialog.model.headerData(3, Qt.Orientation.Horizontal) == "Leerling-nummer (intern)"
    assert dialog.count_label.text() == f"{len(rows)} regels"
    # No name of any pupil anywhere in the log.
    names = {s.achternaam for s in window.model.rows}
    assert not any(name in cell for row in rows for cell in row for name in names)


def test_the_search_and_the_kind_narrow_the_log(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    open_first_pupil(qtbot, window)
    dialog = AuditDialog(AuditService(demo_database.sessions), window)
    qtbot.addWidget(dialog)
    total = dialog.model.rowCount()
    qtbot.keyClicks(dialog.search, "BEKEKEN")
    assert [row[2] for row in shown(dialog)] == ["Ondersteuningsbehoefte en notities bekeken"]
    assert dialog.count_label.text() == f"1 van {total} regels"
    dialog.search.clear()
    dialog.action_filter.setCurrentIndex(dialog.action_filter.findData(AuditAction.SETTINGS.value))
    assert {row[2] for row in shown(dialog)} == {"Instellingen gewijzigd"}


def test_the_log_model_passes_the_qt_model_tester(
    qtbot, qtmodeltester, demo_database: Database
) -> None:
    dialog = AuditDialog(AuditService(demo_database.sessions))
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)


def test_keten_controleren_says_the_log_is_whole(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    open_first_pupil(qtbot, window)
    dialog = AuditDialog(AuditService(demo_database.sessions), window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: running_jobs() == 0 and dialog.result_line.isVisible())
    # Opening the pupil, and the demo school's two decisions in its uitstroomoverleg.
    assert dialog.result_line.text().startswith("✓ Het logboek is compleet: 4 regels")


def test_keten_controleren_names_the_lines_an_attacker_changed(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    open_first_pupil(qtbot, window)
    record = window.detail.record
    assert record is not None
    window.services.pupils.save(replace(record.pupil, klas="PRO4X"))
    connection = cipher.connect(demo_database.path, demo_database.key)
    connection.execute("DROP TRIGGER audit_event_no_update")
    connection.execute("UPDATE audit_event SET detail = 'velden: mentor' WHERE id = 3")
    connection.commit()
    connection.close()

    dialog = AuditDialog(AuditService(demo_database.sessions), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.search, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: running_jobs() == 0 and dialog.result_line.isVisible())
    text = dialog.result_line.text()
    assert "Deze regels kloppen niet: 3." in text
    assert "• Regel 3 is achteraf veranderd." in text
    assert "beveiliging" in text
    broken_row = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).id == 3)
    assert dialog.model.index(broken_row, 0).data(Qt.ItemDataRole.BackgroundRole) == BROKEN


def test_the_privacy_menu_opens_the_log(qtbot, window: MainWindow, dialogs) -> None:
    dialogs.then(lambda dialog: dialog.reject())
    assert window.privacy_area.audit_action in window.privacy_menu.actions()
    window.privacy_area.audit_action.trigger()
    assert dialogs.seen == ["Logboek"]
    assert QApplication.activeModalWidget() is None


# --- retention ---------------------------------------------------------------------------------

OLD_COHORT = "2019-2020"  # nazorg ended 31 July 2022; kept until 31 July 2024


def add_old_pupils(db: Database) -> list[int]:
    pupils = PupilService(db.sessions, clock=fixed_clock())
    made = []
    for number, roepnaam in (("900001", "Noël"), ("900002", "Aylin")):
        record = pupils.create(
            make_pupil(
                leerlingnummer=number, roepnaam=roepnaam, tussenvoegsel="", achternaam="Oud"
            ),
            OLD_COHORT,
        )
        pupils.add_note(record.pupil.id, "Notitie van lang geleden.")
        made.append(record.pupil.id)
    return made


def window_with_backups(qtbot, db: Database, settings: QSettings | None = None) -> MainWindow:
    services = replace(services_for(db), database=db)
    window = MainWindow(services, settings=settings, today=lambda: TODAY)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_at_start_up_expired_pupils_are_shown_and_later_postpones_a_week(
    qtbot, demo_database: Database, dialogs, tmp_path
) -> None:
    add_old_pupils(demo_database)
    settings = QSettings(str(tmp_path / "instellingen.ini"), QSettings.Format.IniFormat)
    window = window_with_backups(qtbot, demo_database, settings)
    before = dump(demo_database)
    seen: list[list[str]] = []

    def look_then_later(dialog) -> None:
        assert isinstance(dialog, RetentionDialog)
        seen.extend(
            [dialog.model.index(r, c).data() for c in range(5)]
            for r in range(dialog.model.rowCount())
        )
        button_with_text(dialog, "Later").click()

    dialogs.then(look_then_later)
    window.cohort_area.offer_first_run()
    assert dialogs.seen == ["Bewaartermijnen en opschonen"]
    assert seen == [
        [
            "Aylin Oud",
            "900002",
            OLD_COHORT,
            "Alle gegevens: de leerling wordt verwijderd",
            "01-08-2024",
        ],
        [
            "Noël Oud",
            "900001",
            OLD_COHORT,
            "Alle gegevens: de leerling wordt verwijderd",
            "01-08-2024",
        ],
    ]
    assert dump(demo_database) == before  # postponing writes nothing to the database
    # Asked again after a week, not before.
    service = window.privacy_area.retention()
    assert not offer_purge(
        window, service, TODAY + timedelta(days=6), settings, window.services.location, print
    )
    close_window(window)


def test_nothing_expired_means_no_question_and_no_write(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    before = dump(demo_database)
    assert not offer_purge(window, window.privacy_area.retention(), TODAY, None, "x", print)
    assert dump(demo_database) == before


def test_purging_from_the_menu_backs_up_and_removes_the_pupils(
    qtbot, demo_database: Database, dialogs
) -> None:
    old = add_old_pupils(demo_database)
    window = window_with_backups(qtbot, demo_database)
    assert window.privacy_area.retention_action in window.privacy_menu.actions()
    window.cohort.select_pupil(old[0])
    window.detail.open_pupil(old[0])
    dialog = RetentionDialog(window.privacy_area.retention(), TODAY, parent=window)
    qtbot.addWidget(dialog)
    dialog.purged.connect(window.privacy_area.after_purge)
    dialog.show()
    assert dialog.summary.text() == "Opschonen: 2 leerlingen verwijderen."

    dialogs.click("Opschonen")
    dialog.purge_button.click()
    qtbot.waitUntil(lambda: running_jobs() == 0 and dialog.result_line.isVisible(), timeout=10_000)
    assert dialogs.seen[0].startswith("Opschonen: 2 leerlingen verwijderen.")
    assert dialog.result_line.text() == "✓ Opgeschoond: 2 leerlingen verwijderd."
    assert dialog.model.rowCount() == 0 and not dialog.purge_button.isEnabled()
    assert window.model.row_of(old[0]) is None and window.count_label.text() == "48 leerlingen"
    assert not window.detail.is_open  # the pupil on screen is gone, so is the view of it
    assert window.statusBar().currentMessage() == "Opgeschoond: 2 leerlingen verwijderd."
    assert list(demo_database.backup_dir.glob("*-voor-opschonen.db"))
    close_window(window)


def test_changed_periods_must_be_saved_before_purging(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    add_old_pupils(demo_database)
    dialog = RetentionDialog(window.privacy_area.retention(), TODAY, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.purge_button.isEnabled()
    dialog.period_edits[RetentionCategory.LEERLINGGEGEVENS].setValue(60)
    assert not dialog.purge_button.isEnabled() and dialog.save_periods_button.isEnabled()
    dialog.save_periods_button.click()
    # Kept five years after nazorg: nothing of the whole record is due; the notes still are.
    assert [dialog.model.index(r, 3).data() for r in range(dialog.model.rowCount())] == [
        "1 notitie op de tijdlijn",
        "1 notitie op de tijdlijn",
    ]
    assert dialog.purge_button.isEnabled()
    assert AuditService(demo_database.sessions).entries()[0].detail == (
        "bewaartermijnen: leerlinggegevens 24 -> 60 maanden"
    )


# --- the pupil's rights ------------------------------------------------------------------------


def test_inzage_export_writes_pdf_and_json_to_the_chosen_folder(
    qtbot, window: MainWindow, dialogs, tmp_path, monkeypatch
) -> None:
    pupil_id = open_first_pupil(qtbot, window)
    record = window.detail.record
    assert record is not None
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path))
    dialogs.click("OK")
    window.privacy_area.inzage_action.trigger()
    qtbot.waitUntil(lambda: running_jobs() == 0 and bool(dialogs.seen), timeout=10_000)
    (pdf,) = tmp_path.glob("inzage-*.pdf")
    assert pdf.name.startswith(f"inzage-{record.pupil.leerlingnummer}-")
    assert len(list(tmp_path.glob("inzage-*.json"))) == 1
    assert f"De inzage van {record.pupil.name} staat in {tmp_path}" in dialogs.seen[0]
    assert "verwijder ze van deze computer" in dialogs.seen[0]
    last = AuditService(window.services.sessions).entries()[0]
    assert (last.action, last.pupil_id) == (AuditAction.INZAGE, pupil_id)


def test_erasing_asks_to_type_the_leerlingnummer_then_removes_the_pupil(
    qtbot, window: MainWindow, demo_database: Database, dialogs
) -> None:
    pupil_id = open_first_pupil(qtbot, window)
    record = window.detail.record
    assert record is not None
    number, name = record.pupil.leerlingnummer, record.pupil.name

    def confirm_by_typing(dialog) -> None:
        assert isinstance(dialog, EraseDialog)
        assert name in dialog.findChild(QLabel, "who").text()
        assert not dialog.erase_button.isEnabled()
        qtbot.keyClicks(dialog.confirmation, number[:-1])
        assert not dialog.erase_button.isEnabled()
        qtbot.keyClicks(dialog.confirmation, number[-1])
        assert dialog.erase_button.isEnabled()
        dialog.erase_button.click()

    dialogs.then(confirm_by_typing)
    window.privacy_area.erase_action.trigger()
    assert dialogs.seen == ["Wissen op verzoek"]
    assert window.model.row_of(pupil_id) is None
    assert window.count_label.text() == "47 leerlingen"
    assert not window.detail.is_open
    assert window.statusBar().currentMessage().startswith(f"{name} is gewist.")
    last = AuditService(demo_database.sessions).entries()[0]
    assert (last.action, last.pupil_id) == (AuditAction.ERASED, pupil_id)


def test_cancelling_the_erasure_changes_nothing(
    qtbot, window: MainWindow, demo_database: Database, dialogs
) -> None:
    pupil_id = open_first_pupil(qtbot, window)
    before = dump(demo_database)
    dialogs.click("Annuleren")
    window.privacy_area.erase_action.trigger()
    assert dump(demo_database) == before
    assert window.detail.pupil_id == pupil_id


def test_the_rights_need_an_open_pupil(qtbot, window: MainWindow) -> None:
    window.pupil_menu.aboutToShow.emit()
    assert (
        not window.privacy_area.inzage_action.isEnabled()
        and not window.privacy_area.erase_action.isEnabled()
    )
    window.privacy_area.erase_on_request()  # reached some other way: a hint, no dialog
    assert window.statusBar().currentMessage() == "Kies eerst een leerling in de lijst."
    open_first_pupil(qtbot, window)
    window.pupil_menu.aboutToShow.emit()
    assert (
        window.privacy_area.inzage_action.isEnabled()
        and window.privacy_area.erase_action.isEnabled()
    )


def test_at_start_up_a_mentor_or_reader_is_not_shown_whose_data_is_due(
    qtbot, demo_database: Database
) -> None:
    """The retention check names every pupil due to go: the coordinator's alone."""
    add_old_pupils(demo_database)
    shown: list[str] = []

    def close_any_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            shown.append(dialog.windowTitle())
            dialog.close()

    closer = QTimer()
    closer.timeout.connect(close_any_dialog)
    closer.start(20)
    try:
        for actor in (
            Actor("Anja Kramer", Role.MENTOR, mentor_name="mw. A. Kramer"),
            Actor("Kees Visser", Role.READONLY),
        ):
            services = replace(services_for(demo_database, actor=actor), database=demo_database)
            window = MainWindow(services, today=lambda: TODAY)
            window.show()
            qtbot.waitExposed(window)
            try:
                window.cohort_area.offer_first_run()
                qtbot.wait(50)
            finally:
                close_window(window)
    finally:
        closer.stop()
    assert shown == []
