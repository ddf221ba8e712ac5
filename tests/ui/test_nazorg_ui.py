"""Nazorg on screen, on the real encrypted demo database: leaving, the Nazorg tab, the call
dialog from the agenda by keyboard, uit beeld, the alarm, Vandaag's count and the figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from conftest import TODAY, Dialogs, button_with_text, close_window, fill, open_window
from uitstroom.domain.nazorg import (
    CallStatus,
    Destination,
    FileState,
    Leaving,
    add_months,
)
from uitstroom.services.database import Database
from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort
from uitstroom.ui.call_dialog import CallDialog
from uitstroom.ui.forms import ChoiceEdit
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.outcomes_view import OutcomesDialog
from uitstroom.ui.record_table import CELL_PADDING


@pytest.fixture
def leavers_window(qtbot, database: Database) -> Iterator[MainWindow]:
    """The demo with last year's 30 leavers in nazorg, on 23 November 2026."""
    insert_demo_cohort(database.sessions, today=TODAY, leavers=DEMO_LEAVERS)
    opened = open_window(qtbot, database)
    yield opened
    close_window(opened)


def nazorg(window: MainWindow):
    assert window.services.nazorg is not None
    return window.services.nazorg


def open_first_pupil(window: MainWindow) -> int:
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    pupil_id = window.detail.pupil_id
    assert pupil_id is not None
    return pupil_id


def choose(dialog: QWidget, name: str, value: object) -> None:
    editor = dialog.findChild(ChoiceEdit, name)
    assert editor is not None, name
    editor.set_field_value(value)


def leave(window: MainWindow, pupil_id: int, left_on: date) -> None:
    """Set-up through the service, as the dialog would store it."""
    nazorg(window).record_leaving(
        pupil_id,
        Leaving(left_on, Destination.MBO, mbo_instelling="ROC Horizon", opleiding="Kok"),
    )
    window.detail.refresh_nazorg(pupil_id)


# --- leaving -----------------------------------------------------------------------------------
def test_recording_leaving_for_one_pupil_shows_the_plan_in_the_nazorg_tab(
    window: MainWindow, dialogs: Dialogs
) -> None:
    pupil_id = open_first_pupil(window)
    tab = window.detail.nazorg_tab
    assert tab is not None
    assert not tab.plan_box.isVisibleTo(tab)
    assert "nog niet vastgelegd" in tab.leaving_label.text()

    def answer(dialog: QWidget) -> None:
        fill(dialog, left_on="15-01-2027")
        choose(dialog, "destination", Destination.WERK)
        # Werk asks for the employer and the contract; the mbo fields are hidden.
        assert dialog.findChild(QWidget, "employer").isVisibleTo(dialog)
        assert not dialog.findChild(QWidget, "opleiding").isVisibleTo(dialog)
        fill(dialog, employer="Bakkerij Jansen")
        button_with_text(dialog, "Vastleggen").click()

    dialogs.then(answer)
    window.nazorg_area.leaving_action.trigger()

    assert dialogs.seen == ["Uitstroom vastleggen"]
    assert window.detail.tabs.currentWidget() is tab
    assert tab.plan_box.isVisibleTo(tab)
    assert "15-01-2027" in tab.leaving_label.text()
    assert "Werk: Bakkerij Jansen" in tab.leaving_label.text()
    left = date(2027, 1, 15)
    assert [m.months for m in tab.moment_model.rows] == [3, 6, 12, 18, 24]
    assert [m.due for m in tab.moment_model.rows] == [
        add_months(left, m) for m in (3, 6, 12, 18, 24)
    ]
    assert tab.moment_model.index(0, 1).data() == "15-04-2027"
    file = nazorg(window).file(pupil_id)
    assert file is not None and file.leaving.employer == "Bakkerij Jansen"


def test_werk_without_an_employer_is_refused_in_the_dialog(
    window: MainWindow, dialogs: Dialogs
) -> None:
    pupil_id = open_first_pupil(window)
    said: list[str] = []

    def answer(dialog: QWidget) -> None:
        choose(dialog, "destination", Destination.WERK)
        fill(dialog, employer="")
        button_with_text(dialog, "Vastleggen").click()
        said.append(dialog.banner.text())
        dialog.reject()

    dialogs.then(answer)
    window.nazorg_area.leaving_action.trigger()
    assert "werkgever" in said[0]
    assert nazorg(window).file(pupil_id) is None


def test_a_whole_klas_leaves_with_the_destination_the_route_suggests(
    window: MainWindow, dialogs: Dialogs
) -> None:
    klas = window.model.klassen()[0]
    pupils = [p for p in window.services.pupils.pupils() if p.klas == klas and not p.archived]
    seen: dict[str, object] = {}

    def answer(dialog: QWidget) -> None:
        dialog.klas.setCurrentIndex(dialog.klas.findData(klas))
        fill(dialog, left_on="16-07-2027")
        table = dialog.findChild(QTableWidget, "klas_pupils")
        seen["rows"] = table.rowCount()
        seen["first"] = table.item(0, 1).text()
        button_with_text(dialog, "Uitstroom vastleggen").click()

    dialogs.then(answer)
    window.nazorg_area.klas_leaving_action.trigger()

    assert seen["rows"] == len(pupils)
    assert "volgens de route" in str(seen["first"])
    files = {f.pupil_id: f for f in nazorg(window).files()}
    assert {p.id for p in pupils} <= set(files)
    assert all(files[p.id].leaving.left_on == date(2027, 7, 16) for p in pupils)
    assert str(len(pupils)) in window.statusBar().currentMessage()


# --- the agenda and the call dialog --------------------------------------------------------------
def test_bereikt_alles_hetzelfde_from_the_agenda_takes_two_key_presses(
    leavers_window: MainWindow, dialogs: Dialogs, qtmodeltester
) -> None:
    window = leavers_window
    view = window.nazorg_view
    assert view is not None
    # Vandaag says how many calls wait this week; its button leads to the agenda.
    today_view = window.today_view
    assert today_view is not None and today_view.nazorg_button.isVisible()
    agenda = nazorg(window).agenda(TODAY)
    assert f"{len(agenda)} gesprekken" in today_view.nazorg_button.text().replace("&", "")
    today_view.nazorg_button.click()
    assert window.left_tabs.currentWidget() is view
    assert window.focusWidget() is view.table
    qtmodeltester.check(view.model)
    # Overdue first, as domain.nazorg.agenda sorts.
    assert [i.moment_id for i in view.model.rows] == [i.moment_id for i in agenda]
    view.table.setCurrentIndex(view.model.index(1, 0))
    chosen = view.selected_item()
    following = view.model.row_at(2)
    assert chosen is not None and chosen.last_status is not None

    presses: list[str] = []

    def press_enter(dialog: QWidget) -> None:
        assert isinstance(dialog, CallDialog)
        # The dialog opens on the default button; the spare contacts are in view.
        assert dialog.focusWidget() is dialog.same_button
        assert dialog.same_button.isDefault()
        assert dialog.contacts_label.text()
        presses.append("Enter")
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    dialogs.then(press_enter)
    presses.append("Enter")
    QTest.keyClick(view.table, Qt.Key.Key_Return)

    assert len(presses) == 2  # Enter on the agenda item, Enter on "Bereikt, alles hetzelfde"
    assert chosen.moment_id not in [i.moment_id for i in view.model.rows]
    # The next call is chosen, ready for the next Enter.
    assert view.selected_item() == following
    assert window.focusWidget() is view.table
    file = nazorg(window).file(chosen.pupil_id)
    assert file is not None
    last = max(file.calls, key=lambda c: c.id or 0)
    assert last.reached and last.status is chosen.last_status and last.same_place
    assert "Bereikt" not in view.feedback.text() or chosen.name in view.feedback.text()
    assert f"{len(agenda) - 1} gesprekken" in today_view.nazorg_button.text().replace("&", "")


def log_not_reached(dialogs: Dialogs, on: date) -> None:
    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, CallDialog)
        assert dialog.not_reached_button.text() == "&Niet bereikt"  # Alt+N
        dialog.not_reached_button.click()
        assert dialog.not_reached_button.isChecked()
        assert not dialog.status.isEnabled()
        fill(dialog, on=f"{on:%d-%m-%Y}")
        # Later: saving may ask a question, which the next answer must see.
        QTimer.singleShot(0, dialog.save_button.click)

    dialogs.then(answer)


def test_the_agenda_shows_every_cell_whole(leavers_window: MainWindow) -> None:
    """'na 3 maanden' was cut to 'na 3 maa…': the columns were measured while the list was
    still empty."""
    window = leavers_window
    window.show_nazorg_page()
    view = window.nazorg_view
    assert view is not None and view.model.rowCount() > 0
    metrics = view.table.fontMetrics()
    cut = [
        text
        for row in range(view.model.rowCount())
        for column in range(view.model.columnCount() - 1)  # the last one stretches
        if (text := str(view.model.index(row, column).data() or ""))
        and metrics.horizontalAdvance(text) + CELL_PADDING // 2 > view.table.columnWidth(column)
    ]
    assert cut == []


def test_three_attempts_over_two_weeks_propose_uit_beeld_and_raise_the_alarm(
    window: MainWindow, dialogs: Dialogs
) -> None:
    pupil_id = open_first_pupil(window)
    leave(window, pupil_id, TODAY - timedelta(days=100))
    window.open_pupil_at(pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None and tab.file is not None

    for on in (TODAY - timedelta(days=14), TODAY - timedelta(days=7)):
        log_not_reached(dialogs, on)
        tab.call_button.click()
    assert len(tab.call_model.rows) == 2
    assert all(not c.reached for c in tab.file.calls)

    log_not_reached(dialogs, TODAY)
    dialogs.click("Ja, uit beeld")
    dialogs.click("Later")
    tab.call_button.click()

    first = tab.file.name.split()[0]
    question = f"Drie pogingen in twee weken zonder contact. Staat {first} uit beeld?"
    assert dialogs.seen[-2].startswith(question)
    assert "uit beeld" in dialogs.seen[-1] and "Meld dit bij" in dialogs.seen[-1]
    file = tab.file
    assert any(c.status is CallStatus.UIT_BEELD for c in file.calls)
    assert len(file.signals) == 1
    assert tab.signal_box.isVisibleTo(tab)
    assert "Nog te melden" in tab.signal_hint.text()


def test_thuis_zonder_dagbesteding_raises_the_alarm_once(
    window: MainWindow, dialogs: Dialogs
) -> None:
    pupil_id = open_first_pupil(window)
    leave(window, pupil_id, TODAY - timedelta(days=100))
    window.open_pupil_at(pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None

    def reached_thuis(dialog: QWidget) -> None:
        assert isinstance(dialog, CallDialog)
        assert dialog.reached_button.text() == "&Bereikt"  # Alt+B
        dialog.reached_button.click()
        assert dialog.reached_button.isChecked()
        choose(dialog, "status", CallStatus.THUIS)
        # Later: saving may ask a question, which the next answer must see.
        QTimer.singleShot(0, dialog.save_button.click)

    dialogs.then(reached_thuis)
    dialogs.click("Later")
    tab.call_button.click()
    alarm = dialogs.seen[-1]
    assert "geen school en geen werk" in alarm
    assert "Doorstroompunt" in alarm or "gemeente" in alarm
    assert tab.file is not None and len(tab.file.signals) == 1
    assert tab.file.signals[0].status is CallStatus.THUIS

    # Still at home a month later: no second alarm, no question.
    dialogs.then(reached_thuis)
    tab.call_button.click()
    assert tab.file is not None and len(tab.file.signals) == 1
    assert len(dialogs.seen) == 3


def test_the_warme_overdracht_records_the_legal_task_and_when_it_was_signalled(
    leavers_window: MainWindow, dialogs: Dialogs
) -> None:
    window = leavers_window
    pending = nazorg(window).signals(open_only=True)
    assert pending
    file, signal = pending[0]
    window.open_pupil_at(file.pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None and tab.selected_signal() == signal
    assert window.services.handover is not None
    had_basis = any(
        c.receiver is signal.receiver for c in window.services.handover.consents(file.pupil_id)
    )
    if not had_basis:
        dialogs.click("Wettelijke taak vastleggen")
    dialogs.then(lambda preview: preview.reject())
    dialogs.fill_and_click("Vastleggen", sent_on=f"{TODAY:%d-%m-%Y}")
    tab.handover_button.click()

    assert tab.file is not None
    sent = next(s for s in tab.file.signals if s.id == signal.id)
    assert sent.sent_on == TODAY
    assert "gemeld 23-11-2026" in tab.signal_model.index(0, 3).data()
    consents = window.services.handover.consents(file.pupil_id)
    assert any(c.receiver is signal.receiver for c in consents)


def test_moving_a_call_needs_a_reason_and_shows_it(window: MainWindow, dialogs: Dialogs) -> None:
    pupil_id = open_first_pupil(window)
    leave(window, pupil_id, TODAY - timedelta(days=30))
    window.open_pupil_at(pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None
    tab.moment_table.selectRow(0)
    refused: list[str] = []

    def without_reason(dialog: QWidget) -> None:
        fill(dialog, due="01-03-2027")
        button_with_text(dialog, "Verzetten").click()
        refused.append(dialog.banner.text())
        fill(dialog, reason="Zit tot maart op de boot")
        button_with_text(dialog, "Verzetten").click()

    dialogs.then(without_reason)
    tab.move_button.click()
    assert refused == ["Schrijf kort op waarom."]
    assert "(was" in tab.moment_model.index(0, 1).data()
    assert "Zit tot maart op de boot" in tab.moment_model.index(0, 1).data()


def test_closing_the_file_takes_its_calls_off_the_agenda(
    leavers_window: MainWindow, dialogs: Dialogs
) -> None:
    window = leavers_window
    item = nazorg(window).agenda(TODAY)[0]
    window.open_pupil_at(item.pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None
    dialogs.click("Afsluiten")
    tab.close_button.click()
    assert tab.file is not None and tab.file.state is FileState.CLOSED
    assert "Afgesloten" in tab.state_label.text()
    window.show_nazorg_page()
    assert window.nazorg_view is not None
    assert item.pupil_id not in [i.pupil_id for i in window.nazorg_view.model.rows]


# --- figures -------------------------------------------------------------------------------------
def table_texts(dialog: OutcomesDialog) -> list[list[list[str]]]:
    tables = dialog.tables_page.widget().findChildren(QTableWidget, "figures")
    return [
        [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
        for t in tables
    ]


def test_the_figures_show_the_cohort_with_small_numbers_hidden(
    leavers_window: MainWindow,
) -> None:
    window = leavers_window
    cohort = nazorg(window).cohorts_with_leavers()[0]
    outcomes = nazorg(window).outcomes(cohort, TODAY)
    dialog = OutcomesDialog(nazorg(window), TODAY, window)
    try:
        assert dialog.cohort.currentData() == cohort
        assert f"{outcomes.leavers} uitgestroomde jongeren" in dialog.count_label.text()
        where, _reached, _lasting, planned = table_texts(dialog)
        at_leaving = where[0]
        assert at_leaving[0] == "Bij uitstroom"
        assert at_leaving[-1] == str(outcomes.leavers)
        # Every count shown is 0 or 5 or more; the rest is hidden ('<5', 'x') or cannot be
        # ('–': no one is 'niet bereikt' on the day they leave).
        cells = [cell for table in table_texts(dialog) for row in table for cell in row[1:]]
        assert "<5" in cells
        assert all(c in ("<5", "x", "–", "0") or int(c) >= 5 for c in cells)
        assert sum(int(c) for c in at_leaving[1:-1] if c.isdigit()) <= outcomes.leavers
        table = dialog.tables_page.widget().findChildren(QTableWidget, "figures")[0]
        header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        from uitstroom.domain.nazorg import impossible_at_leaving

        for column, cell in zip(header[1:-1], at_leaving[1:-1], strict=True):
            assert (cell == "–") == impossible_at_leaving(column), column
        assert {row[0] for row in planned} == set(outcomes.planned_vs_actual)
        explanations = [
            label.text()
            for label in dialog.charts_page.widget().findChildren(QLabel, "explanation")
        ]
        assert len(explanations) == 4
        assert f"Van de {outcomes.leavers} jongeren" in explanations[0]
    finally:
        dialog.close()


def test_a_call_logged_by_mistake_is_corrected_then_withdrawn_the_same_day(
    window: MainWindow, dialogs: Dialogs
) -> None:
    pupil_id = open_first_pupil(window)
    leave(window, pupil_id, TODAY - timedelta(days=100))
    window.open_pupil_at(pupil_id, "nazorg")
    tab = window.detail.nazorg_tab
    assert tab is not None
    log_not_reached(dialogs, TODAY)
    tab.call_button.click()
    assert tab.correct_button.isEnabled() and tab.withdraw_button.isEnabled()
    assert tab.correct_button.text().replace("&", "") == "Gesprek van vandaag corrigeren…"

    def reached_after_all(dialog: QWidget) -> None:
        assert isinstance(dialog, CallDialog)
        assert dialog.windowTitle().startswith("Gesprek corrigeren")
        assert dialog.not_reached_button.isChecked() and not dialog.same_button.isVisible()
        dialog.reached_button.click()
        choose(dialog, "status", CallStatus.WERK)
        fill(dialog, reason="Toch de moeder gesproken")
        dialog.save_button.click()

    dialogs.then(reached_after_all)
    tab.correct_button.click()
    file = tab.file
    assert file is not None
    (corrected,) = file.calls
    assert corrected.reached and corrected.status is CallStatus.WERK
    assert CallStatus.WERK.label in tab.call_model.index(0, 2).data()

    tab.call_table.selectRow(0)
    dialogs.fill_and_click("Intrekken", reason="Verkeerde leerling")
    tab.withdraw_button.click()
    assert tab.file is not None and tab.file.calls == ()
    assert tab.calls_box.title() == "Gesprekken (0)"
    assert not tab.withdraw_button.isEnabled()
