"""The mouse wheel changes no field the user did not choose, on every form: every tab of the
pupil view, the exitgesprek, the call dialog and the school settings. It scrolls the page
instead. And the field that has the keyboard shows a clear ring."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QLineEdit,
    QWidget,
)

from conftest import MBO_DAY, add_student, close_window, open_window
from factories import fixed_clock
from uitstroom.services.database import Database
from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort
from uitstroom.services.exit import ExitService
from uitstroom.services.pupils import PupilService
from uitstroom.ui.call_dialog import CallDialog
from uitstroom.ui.desktop import FOCUS_COLOUR
from uitstroom.ui.exit_form import ExitForm
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.settings_dialog import SettingsDialog

TODAY = date(2026, 11, 23)


def turn_wheel(widget: QWidget, notches: int = -1) -> None:
    """One notch down (negative) or up over the middle of `widget`, as the mouse sends it."""
    centre = QPointF(widget.rect().center())
    QApplication.sendEvent(
        widget,
        QWheelEvent(
            centre,
            QPointF(widget.mapToGlobal(centre)),
            QPoint(),
            QPoint(0, 120 * notches),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )


def shown(qtbot, dialog: QWidget) -> None:
    """On screen and the active window, as a dialog the user opened."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)


def value_of(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    assert isinstance(widget, QAbstractSpinBox)
    return widget.text()


def wheel_takers(page: QWidget) -> list[QWidget]:
    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, QComboBox | QAbstractSpinBox) and w.isVisible() and w.isEnabled()
    ]


def check_wheel(page: QWidget, elsewhere: QWidget) -> int:
    """Every combo box and spin box on `page`: the wheel changes nothing while another field
    has the keyboard, and (the proof that the wheel reached it) changes it after a Tab or a
    click gave it the keyboard. Returns how many fields a focused wheel did change."""
    changed_with_focus = 0
    for field in wheel_takers(page):
        elsewhere.setFocus(Qt.FocusReason.OtherFocusReason)
        before = value_of(field)
        turn_wheel(field, -1)
        turn_wheel(field, -1)
        assert value_of(field) == before, f"the wheel changed {field.objectName() or field}"
        assert not field.hasFocus(), "the wheel gave the field the keyboard"
        field.setFocus(Qt.FocusReason.TabFocusReason)
        turn_wheel(field, -1)
        if value_of(field) == before:  # already at the end of its list
            turn_wheel(field, 1)
        if value_of(field) != before:
            changed_with_focus += 1
    return changed_with_focus


def test_the_wheel_scrolls_the_gegevens_tab_instead_of_changing_the_profile(
    window: MainWindow, qtbot
) -> None:
    window.resize(1366, 700)
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    detail = window.detail
    detail.tabs.setCurrentIndex(0)
    profiel = detail.findChild(QComboBox, "uitstroomprofiel")
    assert profiel is not None and profiel.isVisible()
    scroll = detail.tabs.currentWidget()
    assert isinstance(scroll, QAbstractScrollArea)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0, "the tab should be taller than the window for this test"
    bar.setValue(0)
    window.table.setFocus()
    before = profiel.currentText()

    turn_wheel(profiel, -1)

    assert profiel.currentText() == before
    assert not detail.is_dirty()
    assert bar.value() > 0  # the page moved down under the mouse
    assert profiel.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_no_tab_of_the_pupil_view_takes_the_wheel_without_focus(window: MainWindow, qtbot) -> None:
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    detail = window.detail
    checked: dict[str, int] = {}
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        page = detail.tabs.currentWidget()
        checked[detail.tabs.tabText(index).replace("&", "")] = len(wheel_takers(page))
        changed = check_wheel(page, window.table)
        assert changed or not wheel_takers(page)
    # The tabs with choices really had them: the test cannot pass on empty pages.
    assert checked["Gegevens"] >= 2 and checked["Route"] >= 1, checked


@pytest.fixture
def exit_form(qtbot, mbo_database: Database) -> Iterator[ExitForm]:
    pupil_id = add_student(mbo_database, 7)
    pupil = PupilService(mbo_database.sessions).record(pupil_id).pupil
    service = ExitService(
        mbo_database.sessions, clock=fixed_clock(datetime.combine(MBO_DAY, time(10)))
    )
    form = ExitForm(service, pupil, lambda: MBO_DAY)
    shown(qtbot, form)
    yield form
    form.done(0)
    form.deleteLater()


def test_the_exit_form_takes_the_wheel_only_with_focus(exit_form: ExitForm) -> None:
    elsewhere = next(w for w in exit_form.findChildren(QLineEdit) if w.isVisible())
    assert wheel_takers(exit_form)
    assert check_wheel(exit_form, elsewhere) >= 1


def test_the_settings_take_the_wheel_only_with_focus(window: MainWindow, qtbot) -> None:
    dialog = SettingsDialog(window.services.school, window.school, parent=window)
    shown(qtbot, dialog)
    try:
        elsewhere = next(w for w in dialog.findChildren(QLineEdit) if w.isVisible())
        assert wheel_takers(dialog)
        assert check_wheel(dialog, elsewhere) >= 1
    finally:
        dialog.reject()


@pytest.fixture
def leavers_window(qtbot, database: Database) -> Iterator[MainWindow]:
    insert_demo_cohort(database.sessions, today=TODAY, leavers=DEMO_LEAVERS)
    opened = open_window(qtbot, database)
    yield opened
    close_window(opened)


def test_the_call_dialog_takes_the_wheel_only_with_focus(leavers_window: MainWindow, qtbot) -> None:
    window = leavers_window
    assert window.services.nazorg is not None
    file = window.services.nazorg.files()[0]
    dialog = CallDialog(window.detail.nazorg_context(), file, parent=window)
    shown(qtbot, dialog)
    try:
        # Not reached first: that part of the dialog holds the choices.
        elsewhere = next(
            w for w in dialog.findChildren(QWidget) if w.focusPolicy() and w.isVisible()
        )
        takers = wheel_takers(dialog)
        assert takers, "the call dialog shows no choices"
        check_wheel(dialog, elsewhere)
    finally:
        dialog.reject()


def test_the_field_with_the_keyboard_has_a_clear_ring(window: MainWindow, qtbot) -> None:
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    field = window.detail.findChild(QLineEdit, "roepnaam")
    assert field is not None
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(
        lambda: any(r.isVisible() for r in field.parentWidget().findChildren(QFocusFrame))
    )
    ring = next(r for r in field.parentWidget().findChildren(QFocusFrame) if r.isVisible())
    assert ring.widget() is field
    # Drawn around the field, in the ring's colour, where the user looks.
    picture = window.grab().toImage()
    left_edge = ring.mapTo(window, QPoint(1, ring.height() // 2))
    assert picture.pixelColor(left_edge).name() == FOCUS_COLOUR.name()


def test_an_alt_letter_that_opens_nothing_types_nothing_in_the_call_note(
    leavers_window: MainWindow, qtbot
) -> None:
    window = leavers_window
    assert window.services.nazorg is not None
    dialog = CallDialog(
        window.detail.nazorg_context(), window.services.nazorg.files()[0], parent=window
    )
    shown(qtbot, dialog)
    try:
        dialog.note.setFocus()
        qtbot.keyClicks(dialog.note, "Belde")
        qtbot.keyClick(dialog.note, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
        assert dialog.note.toPlainText() == "Belde"
    finally:
        dialog.reject()
