"""The privacy screens as a coordinator uses them: the log, the retention purge, inzage and
erasure, on a real encrypted database, with real widgets off screen."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from uitstroom.domain.audit import AuditAction
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.storage import cipher
from uitstroom.ui.audit_dialog import BROKEN, AuditDialog
from uitstroom.ui.main_window import MainWindow
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
    window._services.pupils.save(replace(record.pupil, klas="PRO4X"), "Marloes Verbeek")

    dialog = AuditDialog(AuditService(demo_database.sessions), window)
    qtbot.addWidget(dialog)
    rows = shown(dialog)
    assert rows[0][2:] == ("Gegevens gewijzigd", str(pupil_id), "velden: klas")
    assert rows[1][2:] == (
        "Ondersteuningsbehoefte en notities bekeken",
        str(pupil_id),
        "detailweergave",
    )
    assert rows[0][1].endswith(" / Marloes Verbeek")
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
    qtbot.waitUntil(lambda: running_jobs() == 0 and dialog.result.isVisible())
    assert dialog.result.text().startswith("✓ Het logboek is compleet: 2 regels")


def test_keten_controleren_names_the_lines_an_attacker_changed(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    open_first_pupil(qtbot, window)
    record = window.detail.record
    assert record is not None
    window._services.pupils.save(replace(record.pupil, klas="PRO4X"), "Marloes Verbeek")
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
    qtbot.waitUntil(lambda: running_jobs() == 0 and dialog.result.isVisible())
    text = dialog.result.text()
    assert "Deze regels kloppen niet: 3." in text
    assert "• Regel 3 is achteraf veranderd." in text
    assert "beveiliging" in text
    broken_row = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).id == 3)
    assert dialog.model.index(broken_row, 0).data(Qt.ItemDataRole.BackgroundRole) == BROKEN


def test_the_privacy_menu_opens_the_log(qtbot, window: MainWindow, dialogs) -> None:
    dialogs.then(lambda dialog: dialog.reject())
    assert window.audit_action in window.privacy_menu.actions()
    window.audit_action.trigger()
    assert dialogs.seen == ["Logboek"]
    assert QApplication.activeModalWidget() is None
