"""The Qt half of `uitstroom --self-test` (uitstroom/selftest.py): start Qt, check that its
standard buttons speak Dutch, that the PDF preview reads a document back and that the charts
and the icon are there. Each function raises with a Dutch message when something is missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from uitstroom.paths import resource
from uitstroom.ui.pdf_preview import PdfPreviewDialog


class SelfCheckError(Exception):
    """What is missing, in Dutch."""


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_application() -> QApplication:
    """The program's QApplication; without a screen (a server, CI, a remote shell on Linux)
    Qt draws off screen, so the test runs there as well."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if not has_display() and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(sys.argv[:1])


def qt_description(app: QApplication) -> str:
    return f"Qt {qVersion()}, PySide6 {pyside_version}, platform {app.platformName()}"


def cancel_button_text() -> str:
    """What a standard Cancel button says now: 'Annuleren' once Qt's Dutch texts are loaded."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    try:
        button = box.button(QDialogButtonBox.StandardButton.Cancel)
        return button.text().replace("&", "")
    finally:
        box.deleteLater()


def read_back(pdf: bytes) -> tuple[int, str]:
    """Open the PDF in the program's own preview (QtPdf and QtPdfWidgets) and return its number
    of pages and its text."""
    dialog = PdfPreviewDialog("Zelftest", pdf, "zelftest.pdf", lambda _path: None, lambda: None)
    try:
        document = dialog.document
        pages = document.pageCount()
        if pages < 1:
            raise SelfCheckError(
                f"de PDF-weergave kan het document niet openen (status {document.status().name})"
            )
        text = "\n".join(document.getAllText(page).text() for page in range(pages))
        return pages, text
    finally:
        dialog.deleteLater()


def check_charts() -> None:
    """The outcome figures draw with QtCharts."""
    try:
        from PySide6.QtCharts import QChart
    except ImportError as exc:
        raise SelfCheckError(f"QtCharts ontbreekt ({exc})") from None
    QChart().deleteLater()


def check_icon() -> Path:
    path = Path(str(resource("icons", "uitstroom.png")))
    if QIcon(str(path)).isNull():
        raise SelfCheckError(f"het pictogram {path} ontbreekt of is beschadigd")
    return path
