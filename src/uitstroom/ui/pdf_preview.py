"""A PDF shown inside the window (QtPdf), with Afdrukken…, Opslaan als… and Openen in PDF-lezer.

The dialog knows nothing of pupils or services: it gets the rendered bytes and two callbacks,
`save(path)` (write the file and log it) and `printed()` (log a print). A copy opened in the
system's PDF reader is a temporary file; it holds personal data, so it is removed when the
program closes, and a folder left behind by a run that crashed is removed at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPointF,
    QRect,
    QSize,
    Qt,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.plural import counted
from uitstroom.services.errors import ServiceError
from uitstroom.services.files import error_text, write_error_message
from uitstroom.ui.preview_folders import temp_folder
from uitstroom.ui.widgets import button_row, done_label, push_button


def safe_file_name(name: str) -> str:
    kept = "".join(ch for ch in name if ch not in '<>:"/\\|?*' and ch.isprintable()).strip()
    return kept or "document.pdf"


class PdfPreviewDialog(QDialog):
    def __init__(
        self,
        title: str,
        pdf: bytes,
        file_name: str,
        save: Callable[[Path], object],
        printed: Callable[[], object],
        intro: str = "",
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.pdf = pdf
        self._file_name = safe_file_name(file_name)
        self._save = save
        self._printed = printed
        self._folder = folder or Path.home()
        self.saved_to: Path | None = None
        self.opened_copy: Path | None = None

        # The buffer must outlive the document that reads from it.
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro, self)
            text.setWordWrap(True)
            layout.addWidget(text)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(self.view, 1)

        self.pages_label = QLabel(self)
        self.pages_label.setStyleSheet("QLabel { color: #555; }")
        count = self.document.pageCount()
        self.pages_label.setText(counted(count, "pagina", "pagina’s"))
        self.note = done_label(self, hidden=True)
        layout.addWidget(self.note)

        self.print_button = push_button(
            self, "&Afdrukken…", self.print_document, "Afdrukken (Ctrl+P)"
        )
        self.save_button = push_button(
            self, "&Opslaan als…", self.save_as, "Opslaan als PDF-bestand (Ctrl+S)"
        )
        self.open_button = push_button(
            self,
            "Openen in &PDF-lezer",
            self.open_externally,
            "Opent een tijdelijke kopie. Die bevat persoonsgegevens en wordt verwijderd "
            "als u Uitstroom sluit.",
        )
        self.close_button = push_button(self, "&Sluiten", self.reject, "Sluiten (Esc)")
        buttons = button_row(self.pages_label)
        for button in (self.print_button, self.save_button, self.open_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_as),
            (QKeySequence.StandardKey.ZoomIn, lambda: self._zoom(1.2)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self._zoom(1 / 1.2)),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        self.resize(820, 940)
        self.view.setFocus()

    # --- actions -------------------------------------------------------------------------
    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()

    def save_as(self) -> None:
        suggestion = self._folder / self._file_name
        path, _ = QFileDialog.getSaveFileName(
            self, "Opslaan als", str(suggestion), "PDF-document (*.pdf)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            self._save(target)
        except (ServiceError, OSError) as exc:
            QMessageBox.warning(self, "Opslaan is niet gelukt", error_text(exc))
            return
        self.saved_to = target
        self._say(f"Opgeslagen: {target}")

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name)
        printer.setFromTo(1, self.document.pageCount())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Afdrukken")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if not self.paint_pages(printer):
            QMessageBox.warning(
                self, "Afdrukken is niet gelukt", "De printer kon niet worden gestart."
            )
            return
        try:
            self._printed()
        except ServiceError as exc:
            QMessageBox.warning(self, "Afdrukken", str(exc))
            return
        self._say("Naar de printer gestuurd.")

    def paint_pages(self, printer: QPrinter) -> bool:
        """Each page as an image at the printer's resolution, centred on the paper."""
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            first = max(printer.fromPage(), 1) - 1
            last = (printer.toPage() or self.document.pageCount()) - 1
            dpi = printer.resolution()
            area = printer.pageLayout().paintRectPixels(dpi)
            for page in range(first, last + 1):
                if page > first:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
                size = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                image: QImage = self.document.render(page, size)
                corner = QPointF(
                    (area.width() - size.width()) / 2, (area.height() - size.height()) / 2
                )
                painter.drawImage(QRect(corner.toPoint(), size), image)
        finally:
            painter.end()
        return True

    def open_externally(self) -> None:
        target = temp_folder() / self._file_name
        try:
            target.write_bytes(self.pdf)
        except OSError as exc:
            QMessageBox.warning(self, "Openen is niet gelukt", write_error_message(target, exc))
            return
        self.opened_copy = target
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        self._say(
            "Geopend in de PDF-lezer. Let op: dit tijdelijke bestand bevat persoonsgegevens; "
            "Uitstroom verwijdert het als u het programma sluit. Bewaren? Kies ‘Opslaan als…’."
        )
