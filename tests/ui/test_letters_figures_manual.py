"""The window's ways to the new work: F1 opens the handleiding at the page of the screen in
front (also from a dialog) and its search finds pages; Brieven shows the first letter while the
text is edited and keeps the school's text; Cohort in cijfers shows the counts and saves the
PDF and workbook. Each screen is also saved at 1366x768 for a person to look at."""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from uitstroom.domain.letters import LetterKind
from uitstroom.services.figures import FiguresService
from uitstroom.services.letters import LetterService
from uitstroom.ui.figures_dialog import FiguresDialog
from uitstroom.ui.letters_dialog import LettersDialog
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.manual_dialog import ManualDialog
from uitstroom.ui.settings_dialog import SettingsDialog

SHOTS = os.environ.get("UITSTROOM_SCREENSHOTS")


def shot(widget: QWidget, name: str) -> None:
    """With UITSTROOM_SCREENSHOTS=folder set, keep a picture of the screen at 1366x768."""
    if SHOTS:
        widget.resize(1366, 768)
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def open_manuals(window: MainWindow) -> list[ManualDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ManualDialog)]


def test_f1_on_the_pupil_list_opens_the_manual_at_its_page(qtbot, window: MainWindow) -> None:
    window.show_cohort_page()
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(open_manuals(window)))
    manual = open_manuals(window)[-1]
    assert manual.current_key == "lijst"
    assert "De leerlingenlijst" in manual.browser.toPlainText()
    shot(window, "hoofdvenster")
    shot(manual, "handleiding")
    manual.close()


def test_f1_in_a_dialog_opens_the_page_about_that_dialog(qtbot, window: MainWindow) -> None:
    dialog = SettingsDialog(
        window.services.school, window.services.school.settings(), parent=window
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    shot(dialog, "schoolgegevens")
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_F1)
    assert window.help_key.opened is not None
    assert window.help_key.opened.current_key == "schoolgegevens"
    window.help_key.opened.close()
    dialog.reject()


def test_the_search_keeps_only_pages_with_every_word(qtbot) -> None:
    manual = ManualDialog("beginnen")
    qtbot.addWidget(manual)
    qtbot.keyClicks(manual.search_field, "1 april")
    titles = [manual.pages.item(row).text() for row in range(manual.pages.count())]
    assert "Cohort in cijfers" in titles
    assert "Sneltoetsen" not in titles
    assert manual.found_label.text().endswith("pagina’s")
    assert manual.browser.textCursor().selectedText() == "1"  # the first word, selected
    manual.search_field.setText("onzinwoord")
    assert manual.pages.count() == 0
    assert manual.found_label.text() == "niets gevonden"


def test_the_letters_dialog_previews_the_first_letter_and_keeps_the_text(
    qtbot, window: MainWindow, dialogs
) -> None:
    service = LetterService(window.services.sessions)
    handover = window.services.handover
    assert handover is not None
    dialog = LettersDialog(service, window.model.klassen(), handover.pupil_ids, [], window.today())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.document.pageCount() == 1)
    assert dialog.letter_kind is LetterKind.TRANSITIEPLAN
    dialog.day.setText("09-02-2027")
    dialog.time.setText("15.30 uur")
    dialog.show_preview()
    if SHOTS:
        qtbot.wait(1500)  # QPdfView draws its pages in the background
    shot(dialog, "brieven")
    dialog.subject.setText("Kom praten over {roepnaam}")
    dialog.keep_button.click()
    assert service.text(LetterKind.TRANSITIEPLAN).subject == "Kom praten over {roepnaam}"
    assert "bewaard" in dialog.saved_label.text()
    dialog.body.setPlainText("Beste {voornaam}")
    dialog.keep_button.click()
    assert not dialog.banner.isHidden()
    assert "{voornaam}" in dialog.banner.text()
    assert service.text(LetterKind.TRANSITIEPLAN).body != "Beste {voornaam}"


def test_cohort_in_cijfers_shows_the_counts_and_saves_pdf_and_workbook(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    cohorts = [cohort.label for cohort in window.services.pupils.cohorts()]
    dialog = FiguresDialog(FiguresService(window.services.sessions), cohorts, window.today)
    qtbot.addWidget(dialog)
    dialog.show()
    report = dialog.report
    assert report is not None
    text = dialog.view.toPlainText()
    assert f"{report.figures.pupils} leerlingen" in text
    assert "Doorleren: aangemeld uiterlijk 01-04-2027" in text
    shot(dialog, "cijfers")
    pdf = dialog.save("pdf", tmp_path / "cijfers.pdf")
    xlsx = dialog.save("xlsx", tmp_path / "cijfers.xlsx")
    assert pdf is not None and xlsx is not None
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) == 1
    rows = list(load_workbook(xlsx)["Leerlingen"].iter_rows(values_only=True))
    assert len(rows) == report.figures.pupils + 1


def test_the_new_items_sit_in_the_menus(window: MainWindow) -> None:
    file_items = [a.text() for a in window.file_menu.actions()]
    pupil_items = [a.text() for a in window.pupil_menu.actions()]
    assert "C&ohort in cijfers…" in file_items
    assert "&Brieven…" in pupil_items


def test_brieven_maken_gives_one_pdf_with_a_letter_per_pupil_of_the_klas(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    handover = window.services.handover
    assert handover is not None
    dialog = LettersDialog(
        LetterService(window.services.sessions),
        window.model.klassen(),
        handover.pupil_ids,
        [],
        window.today(),
    )
    qtbot.addWidget(dialog)
    klas = dialog.who.currentText().removeprefix("Klas ")
    expected = len(handover.pupil_ids(klas))
    pages: list[int] = []

    def read_and_close(preview: QWidget) -> None:
        pages.append(preview.document.pageCount())
        preview.reject()

    dialogs.then(read_and_close)
    dialog.make_button.click()
    qtbot.waitUntil(lambda: bool(pages), timeout=20000)
    assert pages == [expected]
    assert expected > 1


def test_an_svg_logo_becomes_a_png_the_documents_can_print(qapp, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from uitstroom.ui.file_edits import LOGO_SVG_HEIGHT, logo_png_from_file

    folder = Path(__file__).parents[2] / "src" / "uitstroom" / "resources" / "demo"
    png = logo_png_from_file(str(folder / "horizon-logo.svg"))
    assert png is not None and png.startswith(b"\x89PNG")
    image = QImage.fromData(png, "PNG")
    assert image.height() == LOGO_SVG_HEIGHT
    assert image.width() > image.height()  # the word mark beside the sun
    same = logo_png_from_file(str(folder / "horizon-logo.png"))
    assert same == (folder / "horizon-logo.png").read_bytes()
    broken = tmp_path / "logo.svg"
    broken.write_text("dit is geen afbeelding", encoding="utf-8")
    assert logo_png_from_file(str(broken)) is None
