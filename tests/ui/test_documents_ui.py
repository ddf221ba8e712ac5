"""Documents from the program: the preview shows the PDF inside the window and saves it with a
line in the register; an overdracht without consent is refused and writes nothing; a batch
for a klas writes one file per pupil, and Annuleren takes them away again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from uitstroom.domain.handover import DocumentKind, Receiver
from uitstroom.services.handover import DocumentService
from uitstroom.ui import worker
from uitstroom.ui.document_actions import BatchDialog
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.pdf_preview import PdfPreviewDialog


def open_first(window: MainWindow) -> int:
    pupil_id = window.proxy.summary_at(0).id
    window.open_pupil_at(pupil_id, "toestemming")
    return pupil_id


def test_the_paspoort_preview_shows_pages_and_saves_with_a_log_line(
    qtbot, window: MainWindow, dialogs, monkeypatch, tmp_path: Path
) -> None:
    pupil_id = open_first(window)
    target = tmp_path / "paspoort"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    seen: dict[str, object] = {}

    def look_and_save(dialog: PdfPreviewDialog) -> None:
        seen["pages"] = dialog.document.pageCount()
        seen["title"] = dialog.windowTitle()
        dialog.save_button.click()
        seen["note"] = dialog.note.text()
        dialog.close_button.click()

    dialogs.then(look_and_save)
    window.documents_area.make_document(DocumentKind.PASPOORT)
    assert seen["pages"] > 0
    assert str(seen["title"]).startswith("Paspoort voor Succes — ")
    written = target.with_suffix(".pdf")
    assert written.read_bytes().startswith(b"%PDF")
    assert seen["note"] == f"Opgeslagen: {written}"
    [record] = window.services.handover.documents_made(pupil_id)
    assert record.kind is DocumentKind.PASPOORT and record.data_version
    # The register in the Toestemming tab shows it at once.
    assert window.detail.consent.document_model.rowCount() == 1


def test_an_overdracht_without_consent_is_refused_and_writes_nothing(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    pupil_id = open_first(window)
    name = window.detail.record.pupil.name
    seen: dict[str, str] = {}

    def try_werkgever(dialog) -> None:
        receiver = dialog.form.editor("receiver")
        receiver.setCurrentIndex(receiver._values.index(Receiver.WERKGEVER))
        dialog.accept()
        seen["banner"] = dialog.banner.text()
        seen["open"] = str(dialog.isVisible())
        dialog.reject()

    dialogs.then(try_werkgever)
    window.documents_area.make_document(DocumentKind.OVERDRACHT)
    assert seen["banner"].startswith(
        f"Er is geen toestemming of wettelijke grond vastgelegd om gegevens van {name}"
    )
    assert "Werkgever of leerbedrijf" in seen["banner"]
    assert seen["open"] == "True"
    assert window.services.handover.documents_made(pupil_id) == []
    assert list(tmp_path.iterdir()) == [] or all(p.suffix != ".pdf" for p in tmp_path.rglob("*"))


def batch_for_klas(window: MainWindow, dialogs, target: Path, klas: str) -> None:
    def choose(dialog: BatchDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind._values.index(DocumentKind.PASPOORT))
        dialog.by_klas.setChecked(True)
        dialog.klas.setCurrentIndex(dialog.klas._values.index(klas))
        dialog.per_pupil.setChecked(True)
        dialog.target.setText(str(target))
        dialog.accept()

    dialogs.then(choose)


def test_a_batch_for_a_klas_writes_one_file_per_pupil(
    qtbot, window: MainWindow, dialogs, tmp_path: Path
) -> None:
    klas = window.model.klassen()[0]
    expected = window.services.handover.pupil_ids(klas)
    target = tmp_path / "klas"
    batch_for_klas(window, dialogs, target, klas)
    dialogs.click("OK")
    window.documents_area.make_batch()
    qtbot.waitUntil(lambda: worker.running_jobs() == 0, timeout=60000)
    qtbot.waitUntil(lambda: len(dialogs.seen) == 2, timeout=5000)
    files = sorted(target.glob("*.pdf"))
    assert len(files) == len(expected) > 1
    assert all(f.name.startswith("Paspoort voor Succes ") for f in files)
    assert dialogs.seen[1].startswith(f"{len(expected)} bestanden (paspoort, klas {klas})")
    assert all(window.services.handover.documents_made(i) for i in expected)


def test_cancelling_a_batch_removes_what_it_wrote(
    qtbot, window: MainWindow, dialogs, tmp_path: Path, monkeypatch
) -> None:
    klas = window.model.klassen()[0]
    expected = window.services.handover.pupil_ids(klas)
    target = tmp_path / "klas"
    batch_for_klas(window, dialogs, target, klas)
    dialogs.click("OK")
    # Annuleren as soon as the work has started, as a user would press it.
    started = worker._Runner.start

    def start_and_cancel(runner) -> None:
        started(runner)
        runner._cancel_button.click()

    monkeypatch.setattr(worker._Runner, "start", start_and_cancel)
    window.documents_area.make_batch()
    qtbot.waitUntil(lambda: worker.running_jobs() == 0, timeout=60000)
    qtbot.waitUntil(lambda: len(dialogs.seen) == 2, timeout=5000)
    assert dialogs.seen[1].startswith("Geannuleerd.")
    assert list(target.glob("*.pdf")) == []
    assert not any(window.services.handover.documents_made(i) for i in expected)


def test_the_preview_prints_through_a_printer(qtbot, window: MainWindow) -> None:
    """Painting pages into a printer (a PDF printer here, no dialog) gives a real file."""
    from PySide6.QtPrintSupport import QPrinter

    pupil_id = open_first(window)
    pdf = (
        window.services.handover.alongside(DocumentService)
        .make(DocumentKind.TRANSITIEPLAN, pupil_id, window.today())
        .pdf
    )
    logged: list[bool] = []
    dialog = PdfPreviewDialog(
        "Transitieplan", pdf, "plan.pdf", save=print, printed=lambda: logged.append(True)
    )
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = Path(qtbot._request.getfixturevalue("tmp_path")) / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.paint_pages(printer)
    assert out.read_bytes().startswith(b"%PDF")
    assert QMessageBox  # the print dialog itself is the system's; not driven here


def test_what_is_previewed_is_what_is_saved_and_printed_and_logged(
    qtbot, window: MainWindow, dialogs, monkeypatch, tmp_path: Path
) -> None:
    """The paspoort changes (another user, another tab) while the preview is open: Opslaan
    writes the bytes that were shown, Afdrukken logs them, both with the version shown."""
    from uitstroom.domain.handover import Paspoort
    from uitstroom.services.handover import data_version_of

    pupil_id = open_first(window)
    shown_version = data_version_of(
        window.services.handover.alongside(DocumentService).paspoort_doc(pupil_id, window.today())
    )
    target = tmp_path / "paspoort.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    seen: dict[str, bytes] = {}

    def change_then_save_and_print(dialog: PdfPreviewDialog) -> None:
        seen["shown"] = dialog.pdf
        window.services.handover.save_paspoort(pupil_id, Paspoort(wie="Iets heel anders."))
        dialog.save_button.click()
        dialog._printed()  # what Afdrukken logs once the system's print dialog is accepted
        dialog.close_button.click()

    dialogs.then(change_then_save_and_print)
    window.documents_area.make_document(DocumentKind.PASPOORT)
    assert target.read_bytes() == seen["shown"]
    newer = data_version_of(
        window.services.handover.alongside(DocumentService).paspoort_doc(pupil_id, window.today())
    )
    assert newer != shown_version
    records = window.services.handover.documents_made(pupil_id)
    assert len(records) == 2
    assert {r.data_version for r in records} == {shown_version}
