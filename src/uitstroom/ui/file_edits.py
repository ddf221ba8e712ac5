"""The form's editors for a picture (the school's logo) and a file (a signed form): chosen with a
file dialog, shown as a thumbnail or a name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from uitstroom.services.files import read_error_message
from uitstroom.ui.widgets import push_button

LOGO_MAX_BYTES = 2_000_000
LOGO_SVG_HEIGHT = 240  # pixels: sharp at the 12 mm the letterhead prints it


def png_image(data: bytes) -> QImage:
    # PySide6 takes the format as str at run time; its stub says bytes.
    return QImage.fromData(QByteArray(data), "PNG")  # type: ignore[arg-type]


def logo_png_from_file(path: str) -> bytes | None:
    """The logo as PNG bytes: a PNG as it is, an SVG drawn at LOGO_SVG_HEIGHT pixels high (the
    documents print PNG). None for a file that is neither, or larger than LOGO_MAX_BYTES."""
    with open(path, "rb") as stream:
        data = stream.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        return None
    if not png_image(data).isNull():
        return data
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(data))
    size = renderer.defaultSize()
    if not renderer.isValid() or size.isEmpty():
        return None
    width = max(1, round(size.width() * LOGO_SVG_HEIGHT / size.height()))
    image = QImage(width, LOGO_SVG_HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # str, not the stub's bytes
    return bytes(buffer.data().data())


class ImageEdit(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: bytes | None = None
        self._preview = QLabel(self)
        self._preview.setMinimumSize(160, 48)
        self._preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        choose = push_button(self, "Afbeelding &kiezen…", self._choose)
        self._remove = push_button(self, "&Weghalen", lambda: self._set(None, notify=True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._preview, 1)
        layout.addWidget(choose)
        layout.addWidget(self._remove)
        self._set(None, notify=False)

    def field_value(self) -> bytes | None:
        return self._data

    def set_field_value(self, value: bytes | None) -> None:
        self._set(value, notify=False)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Logo kiezen", "", "Afbeelding (*.png *.svg);;PNG (*.png);;SVG (*.svg)"
        )
        if not path:
            return
        try:
            data = logo_png_from_file(path)
        except OSError as exc:
            QMessageBox.warning(self, "Logo kiezen", read_error_message(Path(path), exc))
            return
        if data is None:
            QMessageBox.warning(
                self,
                "Logo kiezen",
                "Dit bestand is geen bruikbare PNG- of SVG-afbeelding (of groter dan 2 MB). "
                "Kies het logo als PNG of SVG, bijvoorbeeld van de website van de school.",
            )
            return
        self._set(data, notify=True)

    def _set(self, data: bytes | None, notify: bool) -> None:
        self._data = data
        self._remove.setEnabled(data is not None)
        if data is None:
            self._preview.setPixmap(QPixmap())
            self._preview.setText("Geen logo")
        else:
            pixmap = QPixmap.fromImage(png_image(data))
            self._preview.setPixmap(
                pixmap.scaled(
                    160,
                    48,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        if notify:
            self.edited.emit()


class FileEdit(QWidget):
    edited = Signal()

    def __init__(self, file_filter: str, max_bytes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filter = file_filter
        self._max_bytes = max_bytes
        self._value: tuple[str, bytes] | None = None
        self._name = QLabel(self)
        self._name.setObjectName("file_name")
        choose = push_button(self, "Bestand &kiezen…", self._choose)
        self._remove = push_button(self, "Weg&halen", lambda: self._set(None, notify=True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._name, 1)
        layout.addWidget(choose)
        layout.addWidget(self._remove)
        self._set(None, notify=False)

    def field_value(self) -> tuple[str, bytes] | None:
        return self._value

    def set_field_value(self, value: tuple[str, bytes] | None) -> None:
        self._set(value, notify=False)

    def choose_path(self, path: str) -> None:
        """Read the chosen file (also what a test does instead of the file dialog)."""
        try:
            with open(path, "rb") as stream:
                data = stream.read(self._max_bytes + 1)
        except OSError as exc:
            QMessageBox.warning(
                self, "Bestand kiezen", f"Het bestand kan niet worden gelezen: {exc}"
            )
            return
        self._set((Path(path).name, data), notify=True)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Bestand kiezen", "", self._filter)
        if path:
            self.choose_path(path)

    def _set(self, value: tuple[str, bytes] | None, notify: bool) -> None:
        self._value = value
        self._remove.setEnabled(value is not None)
        self._name.setText("Geen bestand gekozen" if value is None else value[0])
        if notify:
            self.edited.emit()
