"""Two people in one shared database, seen from the window: the second to save the same pupil
is told who came first and what to do, sees the pupil as stored now and can redo the change;
the lists follow what others change; a role sees only what it may."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from conftest import close_window, services_for
from factories import fixed_clock
from uitstroom.domain.actor import Actor, Role, User
from uitstroom.domain.audit import AuditAction
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.pupils import PupilService
from uitstroom.services.users import UserService
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.users_dialog import UsersDialog

BRAM = Actor("Bram Yilmaz", Role.COORDINATOR)


def open_row(qtbot, window: MainWindow, row: int) -> None:
    window.show_cohort_page()
    window.table.setFocus()
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: window.detail.is_open)


def editor(window: MainWindow, name: str) -> QLineEdit:
    found = window.detail.findChild(QLineEdit, name)
    assert found is not None, name
    return found


def retype(qtbot, field: QLineEdit, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def bram_saves(db: Database, pupil_id: int, **changes: object) -> None:
    bram = PupilService(db.sessions, clock=fixed_clock(datetime(2026, 11, 23, 9, 31)), actor=BRAM)
    bram.save(replace(bram.record(pupil_id).pupil, **changes))


def test_the_second_to_save_is_told_who_came_first_and_sees_the_pupil_as_stored(
    qtbot, window: MainWindow, demo_database: Database, dialogs
) -> None:
    open_row(qtbot, window, 0)
    pupil_id = window.detail.pupil_id
    assert pupil_id is not None
    bram_saves(demo_database, pupil_id, mentor="mw. T. Boukhari")

    retype(qtbot, editor(window, "klas"), "PRO4X")
    shown: dict[str, str] = {}

    def read_and_ok(box) -> None:
        assert isinstance(box, QMessageBox)
        shown.update(title=box.windowTitle(), details=box.detailedText())
        box.button(QMessageBox.StandardButton.Ok).click()

    dialogs.then(read_and_ok)
    assert not window.detail.save()

    (said,) = dialogs.seen
    assert said.startswith("Iemand anders (Bram Yilmaz) heeft deze leerling net gewijzigd.")
    assert "Uw wijziging is niet opgeslagen" in said
    assert "Na OK ziet u de leerling zoals die nu is opgeslagen" in said
    assert shown["title"] == "Tegelijk gewijzigd"
    assert "klas: PRO4X" in shown["details"]
    # The pupil is read again: Bram's mentor, the old klas, nothing left unsaved.
    assert editor(window, "mentor").text() == "mw. T. Boukhari"
    assert editor(window, "klas").text() != "PRO4X"
    assert not window.detail.is_dirty()
    row = window.model.row_of(pupil_id)
    assert row is not None and window.model.rows[row].mentor == "mw. T. Boukhari"

    # Redo the change: now it is stored, on top of Bram's.
    retype(qtbot, editor(window, "klas"), "PRO4X")
    assert window.detail.save()
    stored = PupilService(demo_database.sessions).record(pupil_id).pupil
    assert (stored.klas, stored.mentor) == ("PRO4X", "mw. T. Boukhari")
    refused = [e for e in AuditService(demo_database.sessions).entries() if e.pupil_id == pupil_id]
    assert any(e.action is AuditAction.REFUSED for e in refused)


def test_the_list_follows_a_change_made_by_someone_else_and_keeps_the_open_pupil(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    open_row(qtbot, window, 3)
    open_id = window.detail.pupil_id
    other_row = 0 if window.model.rows[0].id != open_id else 1
    other_id = window.model.rows[other_row].id
    assert not window.admin_area.poll_changes()  # nothing changed yet

    bram_saves(demo_database, other_id, klas="PRO4Z")
    assert window.admin_area.poll_changes()

    row = window.model.row_of(other_id)
    assert row is not None and window.model.rows[row].klas == "PRO4Z"
    assert window.detail.pupil_id == open_id
    current = window.table.currentIndex()
    assert current.isValid() and window.proxy.mapToSource(current).row() == window.model.row_of(
        open_id
    )
    assert "Bram Yilmaz" in window.statusBar().currentMessage()

    # The open pupil itself, changed elsewhere while nobody types: shown as stored now.
    assert open_id is not None
    bram_saves(demo_database, open_id, telefoon="06 99998888")
    assert window.admin_area.poll_changes()
    assert editor(window, "telefoon").text() == "06 99998888"


def test_a_mentor_sees_only_their_pupils_and_cannot_manage_the_school(
    qtbot, demo_database: Database
) -> None:
    mentor = PupilService(demo_database.sessions).summaries()[0].mentor
    actor = Actor("Anja Kramer", Role.MENTOR, mentor_name=mentor)
    services = services_for(demo_database, actor=actor)
    window = MainWindow(services, today=lambda: datetime(2026, 11, 23).date())
    window.show()
    qtbot.waitExposed(window)
    try:
        assert window.model.rowCount() > 0
        assert {r.mentor for r in window.model.rows} == {mentor}
        for action in (
            window.cohort_area.import_action,
            window.admin_area.users_action,
            window.admin_area.settings_action,
        ):
            assert not action.isVisible()
        assert window.cohort_area.save_action.isVisible()
        assert window.user_label.text() == "Anja Kramer · mentor of SLB'er"
        open_row(qtbot, window, 0)
        assert not editor(window, "mentor").isEnabled()
        assert editor(window, "klas").isEnabled()
    finally:
        close_window(window)


def test_read_only_sees_no_support_needs_and_no_way_to_change(
    qtbot, demo_database: Database
) -> None:
    actor = Actor("Kees Visser", Role.READONLY)
    services = services_for(demo_database, actor=actor)
    window = MainWindow(services, today=lambda: datetime(2026, 11, 23).date())
    window.show()
    qtbot.waitExposed(window)
    try:
        open_row(qtbot, window, 0)
        detail = window.detail
        assert not detail.save_button.isVisible()
        assert not detail.documents_button.isVisible()
        assert not detail.timeline.note_edit.isVisible()
        assert not editor(window, "klas").isEnabled()
        assert detail.record is not None and detail.record.pupil.ondersteuningsbehoefte == ""
        assert not any(t.kind.value == "notitie" for t in detail.record.timeline)
        assert (
            not window.cohort_area.save_action.isVisible()
            and not window.cohort_area.new_action.isVisible()
        )
    finally:
        close_window(window)


def test_the_coordinator_adds_a_mentor_with_the_keyboard(
    qtbot, empty_window: MainWindow, database: Database, dialogs
) -> None:
    service = UserService(database.sessions)
    dialog = UsersDialog(service, empty_window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    me = service.who_is_working().login
    rows = (("Marloes Jansen", me, 0), ("Anja Kramer", "akramer", 1))
    for n, (name, login, downs) in enumerate(rows, start=1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda n=n: len(dialog.users) == n)  # a mnemonic animates the click
        assert dialog.name_edit.hasFocus()
        qtbot.keyClicks(dialog.name_edit, name)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Tab)
        assert dialog.login_edit.hasFocus()
        qtbot.keyClicks(dialog.login_edit, login)
        qtbot.keyClick(dialog.login_edit, Qt.Key.Key_Tab)
        assert dialog.role_combo.hasFocus()
        qtbot.keyClick(dialog.role_combo, Qt.Key.Key_Home)
        for _ in range(downs):
            qtbot.keyClick(dialog.role_combo, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.role_combo, Qt.Key.Key_Tab)
        assert dialog.mentor_edit.hasFocus()
    qtbot.keyClicks(dialog.mentor_edit, "mw. A. Kramer")
    dialog.save()
    assert dialog.result() == UsersDialog.DialogCode.Accepted
    assert [(u.name, u.login, u.role, u.mentor_name) for u in service.users()] == [
        ("Anja Kramer", "akramer", Role.MENTOR, "mw. A. Kramer"),
        ("Marloes Jansen", me, Role.COORDINATOR, ""),
    ]
    assert service.who_is_working("akramer").actor == Actor(
        "Anja Kramer", Role.MENTOR, "mw. A. Kramer"
    )

    # Removing yourself is refused with what to do, and nothing is stored.
    again = UsersDialog(service, empty_window)
    again.show()
    again.list.setCurrentRow(1)
    again.remove_user()
    again.save()
    assert again.banner.isVisible() and "moet als coördinator" in again.banner.text()
    assert len(service.users()) == 2
    again.reject()
    assert isinstance(service.users()[0], User)


def test_on_a_file_the_users_dialog_says_the_roles_are_advisory(
    qtbot, empty_window: MainWindow, database: Database
) -> None:
    dialog = UsersDialog(UserService(database.sessions), empty_window)
    qtbot.addWidget(dialog)
    dialog.resize(900, 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.advisory.isVisible()
    assert "beveiligen niets" in dialog.advisory.text()
    assert "gebruik dan de schoolserver" in dialog.advisory.text()
