"""The window locks itself when the coordinator walks away, and on Ctrl+L: no names on screen
until the recovery passphrase is typed; unsaved edits are still there afterwards, unsaved."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from factories import TEST_PASSPHRASE
from ui.conftest import TODAY, close_window, services_for
from uitstroom.services import vault
from uitstroom.services.database import Database, open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.errors import ValidationError
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.ui.lock import LOCKED_TITLE, LockDialog, LockPanel
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.settings_dialog import SettingsDialog

SCREENSHOTS = os.environ.get("UITSTROOM_SCREENSHOTS")


def screenshot(widget: QWidget, name: str) -> None:
    """Offscreen pictures for a person to look at: set UITSTROOM_SCREENSHOTS to a folder."""
    QApplication.processEvents()  # pending layout requests first, as a person would see it
    image = widget.grab()
    assert not image.isNull()
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SCREENSHOTS) / f"{name}.png"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A database as the program makes it: a key file with the recovery passphrase beside it."""
    path = tmp_path / "uitstroom.db"
    database = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    insert_demo_cohort(database.sessions, today=TODAY)
    yield database
    database.close()


@pytest.fixture
def window(qtbot, db: Database) -> Iterator[MainWindow]:
    opened = MainWindow(replace(services_for(db), database=db), today=lambda: TODAY)
    opened.show()
    qtbot.waitExposed(opened)
    opened.activateWindow()
    yield opened
    if opened.window_lock.is_locked:
        opened.window_lock.panel.passphrase.setText(TEST_PASSPHRASE)  # type: ignore[union-attr]
        opened.window_lock.panel.try_unlock()  # type: ignore[union-attr]
    close_window(opened)


def names(db: Database) -> list[str]:
    found: list[str] = []
    for summary in PupilService(db.sessions).summaries():
        found += [summary.name, summary.roepnaam, summary.achternaam, summary.leerlingnummer]
    return found


def shown_text(root: QWidget) -> str:
    """Every text a person could read in a window and the widgets visible in it."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    texts.append(str(model.index(row, column).data() or ""))
    return "\n".join(texts)


def open_first_pupil(qtbot, window: MainWindow) -> int:
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.detail.pupil_id is not None)
    pupil_id = window.detail.pupil_id
    assert pupil_id is not None
    return pupil_id


def klas_field(window: MainWindow) -> QLineEdit:
    found = window.detail.findChild(QLineEdit, "klas")
    assert found is not None
    return found


def panel_of(window: MainWindow) -> LockPanel:
    panel = window.window_lock.panel
    assert panel is not None
    return panel


def file_bytes(db: Database) -> dict[str, bytes]:
    assert db.path is not None
    return {p.name: p.read_bytes() for p in db.path.parent.iterdir() if p.is_file()}


def test_ctrl_l_hides_every_name_and_the_passphrase_brings_back_the_unsaved_edit(
    qtbot, window: MainWindow, db: Database
) -> None:
    pupil_id = open_first_pupil(qtbot, window)
    stored_klas = PupilService(db.sessions).record(pupil_id).pupil.klas
    klas_field(window).setFocus()
    klas_field(window).selectAll()
    qtbot.keyClicks(klas_field(window), "PRO4Z")
    assert window.detail.is_dirty()
    everyone = names(db)
    assert any(name in shown_text(window) for name in everyone)  # the check can see names

    qtbot.keyClick(klas_field(window), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.window_lock.is_locked
    assert window.windowTitle() == LOCKED_TITLE
    assert window.centralWidget() is panel_of(window)
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    text = shown_text(window)
    assert "Uitstroom is vergrendeld" in text
    assert [name for name in everyone if name in text] == []
    assert QApplication.focusWidget() is panel_of(window).passphrase
    screenshot(window, "lock-1-vergrendeld")

    # While locked the window's shortcuts do nothing: no new pupil, no search, no import.
    qtbot.keyClick(panel_of(window).passphrase, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.window_lock.is_locked
    assert window.detail.pupil_id == pupil_id

    before = file_bytes(db)
    qtbot.keyClicks(panel_of(window).passphrase, "niet het goede wachtwoord")
    qtbot.keyClick(panel_of(window).passphrase, Qt.Key.Key_Return)
    assert window.window_lock.is_locked
    assert "Dit herstelwachtwoord klopt niet" in panel_of(window).banner.text()
    assert panel_of(window).banner.isVisible()
    assert file_bytes(db) == before
    screenshot(window, "lock-2-verkeerd-wachtwoord")

    panel = panel_of(window)
    panel.passphrase.setText(TEST_PASSPHRASE)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert not window.window_lock.is_locked
    assert window.windowTitle().replace("[*]", "") == "Uitstroom — De Horizon (voorbeeldschool)"
    assert window.centralWidget() is window.splitter
    assert window.menuBar().isVisible() and window.statusBar().isVisible()
    assert klas_field(window).text() == "PRO4Z"
    assert window.detail.is_dirty() and window.isWindowModified()
    assert PupilService(db.sessions).record(pupil_id).pupil.klas == stored_klas
    assert panel.passphrase.text() == ""  # nothing of the passphrase stays in the widget


def test_idle_time_locks_the_window_and_any_input_starts_the_count_again(
    qtbot, window: MainWindow
) -> None:
    now = [1_000_000.0]
    watcher = window.window_lock.watcher
    watcher.clock = lambda: now[0]
    watcher.start()
    assert watcher.timeout == 10 * 60  # the default from Schoolgegevens

    now[0] += 9 * 60
    watcher.check()
    assert not window.window_lock.is_locked
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # the coordinator is still there
    now[0] += 9 * 60
    watcher.check()
    assert not window.window_lock.is_locked
    qtbot.mouseMove(window.table, QPoint(20, 20))
    now[0] += 9 * 60
    watcher.check()
    assert not window.window_lock.is_locked
    now[0] += 60
    watcher.check()
    assert window.window_lock.is_locked
    assert watcher.active is False  # no counting while locked


def test_the_idle_lock_fires_by_itself(qtbot, window: MainWindow) -> None:
    window.window_lock.watcher.set_timeout(0.3)
    qtbot.waitUntil(lambda: window.window_lock.is_locked, timeout=5000)
    assert window.windowTitle() == LOCKED_TITLE


def test_a_clock_set_back_does_not_lock_and_a_long_sleep_does(qtbot, window: MainWindow) -> None:
    now = [1_000_000.0]
    watcher = window.window_lock.watcher
    watcher.clock = lambda: now[0]
    watcher.start()
    now[0] -= 3600
    watcher.check()
    assert not window.window_lock.is_locked
    now[0] += 8 * 3600  # the lid was closed all night: the wall clock counts that time
    watcher.check()
    assert window.window_lock.is_locked


def test_the_idle_time_is_set_in_schoolgegevens_and_nooit_switches_it_off(
    qtbot, window: MainWindow, db: Database, dialogs
) -> None:
    def never(dialog: QWidget) -> None:
        spin = dialog.findChild(QSpinBox, "auto_lock_minutes")
        assert spin.value() == 10 and spin.text() == "10 minuten"
        spin.setValue(spin.minimum())
        assert spin.text() == "nooit"
        screenshot(dialog, "lock-5-schoolgegevens-nooit")
        dialog.accept()

    dialogs.then(never)
    assert window.admin_area.edit_school()
    assert SchoolService(db.sessions).settings().auto_lock_minutes == 0
    assert not window.window_lock.watcher.active

    def five(dialog: QWidget) -> None:
        dialog.findChild(QSpinBox, "auto_lock_minutes").setValue(5)
        dialog.accept()

    dialogs.then(five)
    assert window.admin_area.edit_school()
    assert SchoolService(db.sessions).settings().auto_lock_minutes == 5
    assert window.window_lock.watcher.active
    assert window.window_lock.watcher.timeout == 5 * 60


def test_a_negative_idle_time_is_refused_by_the_service(db: Database) -> None:
    school = SchoolService(db.sessions)
    with pytest.raises(ValidationError, match="0 \\(nooit\\) of 1 tot 240 minuten"):
        school.save_settings(replace(school.settings(), auto_lock_minutes=-1))


def cover_of(dialog: QWidget) -> QWidget:
    cover = dialog.findChild(QWidget, "lock_cover")
    assert cover is not None and cover.isVisible()
    return cover


def covers_everything(dialog: QWidget) -> bool:
    cover = cover_of(dialog)
    corners = [QPoint(2, 2), QPoint(dialog.width() - 3, dialog.height() - 3)]
    points = [*corners, QPoint(dialog.width() // 2, dialog.height() // 2)]
    for point in points:
        hit = dialog.childAt(point)
        if hit is not cover and (hit is None or hit.parentWidget() is not cover):
            return False
    return cover.geometry() == dialog.rect()


def test_a_dialog_open_at_lock_time_is_covered_and_the_passphrase_asked_on_top(
    qtbot, window: MainWindow, dialogs
) -> None:
    seen: dict[str, object] = {}

    def while_editing_the_school(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        name = dialog.findChild(QLineEdit, "name")
        name.setText("De Horizon, nog niet opgeslagen")
        window.window_lock.lock()
        assert covers_everything(dialog)
        assert not dialog.isEnabled()
        assert dialog.windowTitle() == LOCKED_TITLE
        lock_dialog = window.window_lock.dialog
        assert isinstance(lock_dialog, LockDialog)
        assert QApplication.activeModalWidget() is lock_dialog
        lock_dialog.reject()  # Esc does not get anyone past the lock
        assert lock_dialog.isVisible()
        lock_dialog.panel.passphrase.setText("fout fout fout fout")
        lock_dialog.panel.try_unlock()
        assert "klopt niet" in lock_dialog.panel.banner.text()
        screenshot(lock_dialog, "lock-3-vergrendeld-boven-dialoog")
        screenshot(dialog, "lock-4-dialoog-afgedekt")
        lock_dialog.panel.passphrase.setText(TEST_PASSPHRASE)
        lock_dialog.panel.try_unlock()
        seen["unlocked"] = not window.window_lock.is_locked
        seen["restored"] = (dialog.windowTitle(), dialog.isEnabled(), name.text())
        seen["modal"] = QApplication.activeModalWidget() is dialog
        dialog.reject()

    dialogs.then(while_editing_the_school)
    window.admin_area.edit_school()
    assert seen == {
        "unlocked": True,
        "restored": ("Schoolgegevens", True, "De Horizon, nog niet opgeslagen"),
        "modal": True,
    }


def test_a_message_that_opens_while_locked_is_covered_too(qtbot, window: MainWindow) -> None:
    window.window_lock.lock()
    checked: dict[str, object] = {}

    def message_arrives() -> None:
        # As when an export finishes in the background while the coordinator is away.
        QMessageBox.information(window, "Export klaar", "48 leerlingen geëxporteerd.")

    def while_the_message_is_open() -> None:
        box = QApplication.activeModalWidget()
        lock_dialog = window.window_lock.dialog
        message = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        )
        checked["covered"] = covers_everything(message) and not message.isEnabled()
        checked["on top"] = box is lock_dialog and lock_dialog is not None
        assert lock_dialog is not None
        lock_dialog.panel.passphrase.setText(TEST_PASSPHRASE)
        lock_dialog.panel.try_unlock()
        checked["message back"] = message.isEnabled() and message.windowTitle() == "Export klaar"
        message.accept()

    QTimer.singleShot(0, message_arrives)
    QTimer.singleShot(300, while_the_message_is_open)
    qtbot.waitUntil(lambda: "message back" in checked, timeout=5000)
    assert checked == {"covered": True, "on top": True, "message back": True}
    assert not window.window_lock.is_locked


def test_a_locked_window_with_unsaved_edits_stays_open(qtbot, window: MainWindow) -> None:
    open_first_pupil(qtbot, window)
    klas_field(window).setText("PRO4Y")
    assert window.detail.is_dirty()
    window.window_lock.lock()
    assert not window.close()
    assert window.isVisible() and window.window_lock.is_locked


def test_a_locked_window_without_edits_may_close(qtbot, window: MainWindow) -> None:
    window.window_lock.lock()
    assert window.close()


def test_changing_the_passphrase_offers_a_new_herstelblad(
    qtbot, window: MainWindow, db: Database, dialogs, memory_keychain
) -> None:
    new = "zeven blauwe fietsen in Deventer"

    def change(dialog: QWidget) -> None:
        dialogs.fill(dialog, current="niet het oude wachtwoord", new=new, repeat=new)
        dialog.try_accept()
        assert "klopt niet" in dialog.banner.text()
        dialogs.fill(dialog, current=TEST_PASSPHRASE, new="te kort", repeat="te kort")
        dialog.try_accept()
        assert "minstens 12 tekens" in dialog.banner.text()
        dialogs.fill(dialog, new=new, repeat=new + " ")
        dialog.try_accept()
        assert "niet gelijk" in dialog.banner.text()
        screenshot(dialog, "lock-6-herstelwachtwoord-wijzigen")
        dialogs.fill(dialog, repeat=new)
        dialog.try_accept()

    def sheet(dialog: QWidget) -> None:
        assert dialog.findChild(QLabel, "shown_passphrase").text() == new
        assert not dialog.done_button.isEnabled()
        dialog.confirmed.setChecked(True)
        dialog.done_button.click()

    dialogs.then(change)
    dialogs.then(sheet)
    window.window_lock.change_passphrase_action.trigger()
    assert dialogs.seen == [
        "Uitstroom — Herstelwachtwoord wijzigen",
        "Uitstroom — Herstelblad bewaren",
    ]
    assert db.path is not None
    memory_keychain.secrets.clear()
    assert vault.unlock(db.path, new) == db.key
    with pytest.raises(vault.UnlockError):
        vault.unlock(db.path, TEST_PASSPHRASE)
    # The lock now asks for the new passphrase.
    window.window_lock.lock()
    panel_of(window).passphrase.setText(TEST_PASSPHRASE)
    panel_of(window).try_unlock()
    assert window.window_lock.is_locked
    panel_of(window).passphrase.setText(new)
    panel_of(window).try_unlock()
    assert not window.window_lock.is_locked


def test_the_privacy_menu_offers_both_and_the_lock_panel_works_by_keyboard(
    qtbot, window: MainWindow
) -> None:
    texts = [a.text() for a in window.privacy_menu.actions() if not a.isSeparator()]
    assert "&Vergrendelen" in texts and "&Herstelwachtwoord wijzigen…" in texts
    assert window.window_lock.lock_action.shortcut().toString() == "Ctrl+L"
    window.window_lock.lock()
    panel = panel_of(window)
    assert QApplication.focusWidget() is panel.passphrase
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.show_text
    qtbot.keyClick(panel.show_text, Qt.Key.Key_Space)
    assert panel.passphrase.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.keyClick(panel.show_text, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.unlock_button
    panel.passphrase.setFocus()
    qtbot.keyClicks(panel.passphrase, TEST_PASSPHRASE)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    assert not window.window_lock.is_locked


def test_without_a_key_file_there_is_no_lock(qtbot, db: Database) -> None:
    window = MainWindow(services_for(db), today=lambda: TODAY)  # no database handed over
    try:
        assert not window.window_lock.available
        assert not window.window_lock.lock_action.isEnabled()
        assert not window.window_lock.watcher.active
        assert not window.window_lock.lock(asked=False)
    finally:
        close_window(window)
