"""Every window and dialog fits a school laptop (the tests run on a 1366x768 screen, see
tests/conftest.py): the window inside the screen's free area and every button inside the
window. The PDF preview asked 820x940 and hid Afdrukken, Opslaan and Sluiten below the screen;
the pupil pane hid Paspoort, Toestemming and Nazorg behind scroll arrows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QStyleOptionViewItem,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)

from conftest import MBO_DAY, add_student
from uitstroom.services.database import Database
from uitstroom.ui.desktop import screen_of
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.pdf_preview import PdfPreviewDialog
from uitstroom.ui.record_table import CELL_PADDING, PaneColumns

LAPTOP = QRect(0, 0, 1366, 768)


def problems_of_fit(window: QWidget) -> list[str]:
    """What does not fit: the window outside the screen's free area, or a button (outside a
    scrolling area, which the user can scroll to) outside the window."""
    area = screen_of(window).availableGeometry()
    found = []
    if not area.contains(window.frameGeometry()):
        found.append(f"{window.windowTitle()}: {window.frameGeometry()} is not inside {area}")
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or isinstance(button.parentWidget(), QTabBar):
            continue
        if any(isinstance(a, QAbstractScrollArea) for a in ancestors(button, window)):
            continue
        where = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        if not inside.contains(where):
            found.append(f"{window.windowTitle()}: button '{button.text()}' at {where}")
    return found


def ancestors(widget: QWidget, top: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        yield parent
        parent = parent.parentWidget()


def test_the_tests_run_on_a_school_laptops_screen(qapp: QApplication) -> None:
    assert qapp.primaryScreen().geometry() == LAPTOP


ASKS_A_WIDGET = re.compile(r"\.screen\(\)")


def test_no_code_asks_a_widget_for_its_screen() -> None:
    """QWidget.screen makes the screen's one Python object a child of the widget; as widgets
    came and went it ended up owning the screen, and the garbage collector deleted the screen
    under Qt: a segmentation fault in QScreen::virtualSiblings, now and then, in the tests and
    possibly on a laptop. Everything asks desktop.screen_of instead."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("src", "tests", "bench", "scripts")
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ASKS_A_WIDGET.search(line) and "ASKS_A_WIDGET" not in line
    ]
    assert found == []


class Inspector:
    """Checks every dialog that opens while an action runs, then closes it unanswered."""

    def __init__(self, main: QWidget) -> None:
        self.main = main
        self.seen: list[str] = []
        self.problems: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.poll)

    def poll(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget is self.main or not widget.isVisible():
                continue
            if not isinstance(widget, QDialog) or isinstance(widget, QProgressDialog):
                continue
            self.seen.append(widget.windowTitle() or type(widget).__name__)
            self.problems += problems_of_fit(widget)
            if isinstance(widget, QMessageBox) and widget.escapeButton() is None:
                widget.done(0)
            else:
                widget.reject()


def run_checked(window: MainWindow, actions: list[QAction]) -> Inspector:
    inspector = Inspector(window)
    inspector.timer.start()
    try:
        for made in actions:
            if made.isEnabled() and made.isVisible():
                made.trigger()
                QApplication.processEvents()
    finally:
        inspector.timer.stop()
    return inspector


def open_first(window: MainWindow) -> None:
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))


def check_main_window(window: MainWindow) -> None:
    assert not problems_of_fit(window)
    # The pupil pane shows all its sections: no scroll arrows, every tab inside the bar.
    bar = window.detail.tabs.tabBar()
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert not arrows
    for index in range(bar.count()):
        assert bar.rect().contains(bar.tabRect(index)), bar.tabText(index)


def test_the_main_window_and_its_dialogs_fit_the_screen(window: MainWindow) -> None:
    open_first(window)
    check_main_window(window)
    inspector = run_checked(
        window,
        [
            window.admin_area.settings_action,
            window.admin_area.users_action,
            window.admin_area.templates_action,
            window.documents_area.address_book_action,
            window.nazorg_area.outcomes_action,
            window.admin_area.backups_action,
            window.admin_area.about_action,
            window.privacy_area.audit_action,
            window.privacy_area.retention_action,
            window.admin_area.server_action,
            window.nazorg_area.leaving_action,
            window.nazorg_area.klas_leaving_action,
            window.documents_area.batch_action,
            window.documents_area.transitieplan_action,
            window.documents_area.paspoort_action,
        ],
    )
    assert len(inspector.seen) >= 10, inspector.seen
    assert not inspector.problems


@pytest.fixture
def mbo_with_leaver(mbo_window: MainWindow, mbo_database: Database) -> MainWindow:
    add_student(mbo_database, 6)
    mbo_window.reload_cohort()
    return mbo_window


def test_the_mbo_window_and_its_dialogs_fit_the_screen(mbo_with_leaver: MainWindow) -> None:
    window = mbo_with_leaver
    assert window.today() == MBO_DAY
    open_first(window)
    check_main_window(window)
    inspector = run_checked(
        window,
        [
            window.exit_area.exit_action,
            window.exit_area.exit_list_action,
            window.exit_area.exit_figures_action,
            window.exit_area.dropout_reasons_action,
        ],
    )
    assert len(inspector.seen) >= 3, inspector.seen
    assert not inspector.problems


def test_the_pdf_preview_shows_its_buttons_on_a_laptop(qtbot, tmp_path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "plan.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    for page in range(3):
        canvas.drawString(72, 720, f"Pagina {page + 1}")
        canvas.showPage()
    canvas.save()
    dialog = PdfPreviewDialog(
        "Transitieplan — voorbeeld", pdf.read_bytes(), "plan.pdf", lambda _p: None, lambda: None
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not problems_of_fit(dialog)
    for button in (dialog.print_button, dialog.save_button, dialog.close_button):
        assert button.isVisible()


def shown_cells(window: MainWindow, headers: set[str]) -> list[tuple[int, str, str, str]]:
    """(column, header, text, text as painted) of these columns' cells, as the table's delegate
    prepares them for painting."""
    table = window.table
    found = []
    for column in range(window.proxy.columnCount()):
        header = window.proxy.headerData(column, Qt.Orientation.Horizontal)
        if header not in headers:
            continue
        for row in range(window.proxy.rowCount()):
            index = window.proxy.index(row, column)
            option = QStyleOptionViewItem()
            option.initFrom(table.viewport())
            option.rect = table.visualRect(index)
            table.itemDelegateForIndex(index).initStyleOption(option, index)
            found.append((column, header, str(index.data()), option.text))
    return found


def cut_cells(window: MainWindow, headers: set[str]) -> list[str]:
    """Cells of these columns whose painted text does not fit in their two lines."""
    metrics = window.table.fontMetrics()
    lines = metrics.height() + metrics.lineSpacing()
    flags = int(Qt.TextFlag.TextWordWrap)
    found = []
    for column, header, _text, painted in shown_cells(window, headers):
        width = window.table.columnWidth(column) - CELL_PADDING // 2
        if metrics.boundingRect(0, 0, width, 1000, flags, painted).height() > lines:
            found.append(f"{header}: {painted}")
    return found


def test_the_next_step_is_not_cut(window: MainWindow, qtbot) -> None:
    """'Volgende stap' was cut in every row at 1366x768."""
    window.show_cohort_page()
    qtbot.waitUntil(lambda: window.proxy.index(0, 6).data() != "—")
    header = window.table.horizontalHeader()
    assert header.length() <= window.table.viewport().width()  # nothing off to the side
    assert not cut_cells(window, {"Volgende stap", "Naam", "Uitstroomprofiel"})
    # Only a step too long for two lines (typed at the overleg) is shortened, with its tooltip
    # whole; the program's own steps show in full.
    shortened = [
        text
        for _column, _header, text, painted in shown_cells(window, {"Volgende stap"})
        if painted != text
    ]
    assert shortened, "the demo cohort has an agreement from the overleg"
    assert all(text.startswith("Afspraak uit het uitstroomoverleg") for text in shortened)


def test_the_mbo_columns_are_not_cut(mbo_window: MainWindow) -> None:
    """SLB'er and Opleiding were cut too."""
    mbo_window.show_cohort_page()
    assert not cut_cells(mbo_window, {"SLB'er", "Opleiding", "Student"})


def pages_too_wide(window: MainWindow) -> list[str]:
    """Pages of the pupil pane whose contents are wider than the room the pane gives them, so
    that a text or a button is cut off at the right (the Paspoort's was, at 1366x768)."""
    found = []
    tabs = window.detail.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page = tabs.currentWidget()
        scroll = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
        if scroll is None or scroll.widget() is None:
            continue
        needed = scroll.widget().minimumSizeHint().width()
        if needed > scroll.viewport().width():
            found.append(f"{tabs.tabText(index)}: {needed} > {scroll.viewport().width()}")
    return found


@pytest.mark.parametrize("mode", ["pro", "mbo"])
def test_every_page_of_the_pupil_pane_fits_its_width(mode, request, qtbot) -> None:
    window = request.getfixturevalue("window" if mode == "pro" else "mbo_window")
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.wait(20)
    assert not pages_too_wide(window)


@pytest.mark.parametrize("mode", ["pro", "mbo"])
def test_the_cohort_list_does_not_scroll_sideways_with_a_pupil_open(mode, request, qtbot) -> None:
    """In mbo mode, with a student open, the list's last column was off to the right."""
    window = request.getfixturevalue("window" if mode == "pro" else "mbo_window")
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    qtbot.wait(20)
    assert window.table.horizontalHeader().length() <= window.table.viewport().width()


def pane_cells_cut(table: QTableView) -> list[str]:
    """Cells of a list in the pupil pane that do not show whole: the list wider than its box
    (it never scrolls sideways), or a text that, wrapped where the cell paints it (inside the
    item padding and Qt's text margins), needs more height than its row has."""
    found = []
    header = table.horizontalHeader()
    if header.length() > table.viewport().width():
        found.append(f"{table.objectName()}: {header.length()} > {table.viewport().width()}")
    metrics = table.fontMetrics()
    flags = int(Qt.TextFlag.TextWordWrap)
    model = table.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            text = str(model.index(row, column).data() or "")
            width = table.columnWidth(column) - 2 * 4 - 2 * 3  # padding, text margins
            needed = metrics.boundingRect(0, 0, width, 10_000, flags, text).height()
            if needed > table.rowHeight(row) - 2 * 3:
                found.append(f"{model.headerData(column, Qt.Orientation.Horizontal)}: {text}")
    return found


def test_the_checklist_and_the_timeline_show_every_cell_whole(window: MainWindow, qtbot) -> None:
    """At 1366x768 the Afgerond list's 'Door' was past the right edge with no way to scroll
    to it, 'Ouder/verzorger', 'Gemeente' and a task of three lines ended in '…', and so did the
    author of a note in the Tijdlijn."""
    item = window.today_view.selected_item()
    window.open_pupil_at(item.pupil_id, "checklist", item.task.id)
    detail = window.detail
    checklist = detail.checklist
    assert checklist is not None
    checklist.untick_button.setFocus()
    checklist.open_table.setCurrentIndex(checklist.open_model.index(0, 0))
    checklist.tick_selected()  # one done task at least, with its day and who ticked it
    qtbot.wait(20)
    assert checklist.done_model.rowCount() > 0 and checklist.open_model.rowCount() > 0
    assert [checklist.done_model.headerData(n, Qt.Orientation.Horizontal) for n in range(3)] == [
        "Taak",
        "Wie",
        "Afgerond",
    ]
    assert checklist.done_model.index(0, 2).data().endswith(", Marloes Verbeek")
    assert pane_cells_cut(checklist.open_table) == []
    assert pane_cells_cut(checklist.done_table) == []
    detail.tabs.setCurrentWidget(detail.timeline)
    qtbot.wait(20)
    assert detail.timeline.table.model().rowCount() > 0
    assert pane_cells_cut(detail.timeline.table) == []


def test_the_agreements_and_consents_show_every_cell_whole(window: MainWindow, qtbot) -> None:
    """The transitieplan's agreements had five columns in the pane: 'Wat' a word wide, dates
    cut to '01-04-2…' and the contact person past the right edge; the consents' 'Delen' was
    past it too."""
    detail = window.detail
    for row in range(window.proxy.rowCount()):
        window.open_pupil_at(window.proxy.summary_at(row).id, "transitieplan")
        plan, consent = detail.transitieplan, detail.consent
        assert plan is not None and consent is not None
        if plan.agreement_model.rowCount() and consent.consent_model.rowCount():
            break
    assert plan.agreement_model.rowCount() > 0 and consent.consent_model.rowCount() > 0
    qtbot.wait(20)
    assert pane_cells_cut(plan.agreement_table) == []
    detail.tabs.setCurrentWidget(consent)
    qtbot.wait(20)
    assert pane_cells_cut(consent.consent_table) == []


def test_the_pane_lists_settle_when_the_window_is_resized(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    """The lists fitted their columns to the viewport, which the vertical scroll bar narrows:
    at some window widths the bar came and went and a list fitted itself hundreds of times a
    second, without end (seen with pupil 2 and 4's checklists from 1236 to 1300 px wide)."""
    fits: list[int] = []
    fit = PaneColumns.fit
    monkeypatch.setattr(PaneColumns, "fit", lambda self: (fits.append(1), fit(self)))
    for row in (1, 3):
        window.open_pupil_at(window.proxy.summary_at(row).id, "checklist")
        for width in (1236, 1250, 1272, 1300):
            window.resize(width, 740)
            for _ in range(3):
                QApplication.processEvents()
            fits.clear()
            for _ in range(10):
                QApplication.processEvents()
            assert fits == [], f"row {row}, {width} px: still fitting"
