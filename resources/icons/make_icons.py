"""Draw the icon files from uitstroom.svg: PNGs (Qt's SVG renderer), .ico (Windows) and .icns
(macOS) with Pillow, and the window icon inside the package. Run once after changing the SVG:

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/make_icons.py

The outputs are committed; the build only copies them.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SVG = HERE / "uitstroom.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
PACKAGE_ICON = ROOT / "src" / "uitstroom" / "resources" / "icons" / "uitstroom.png"


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is no valid SVG")
    images = {size: render(renderer, size) for size in {*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES}}
    for size in PNG_SIZES:
        images[size].save(HERE / f"uitstroom-{size}.png", optimize=True)
    images[256].save(HERE / "uitstroom.ico", sizes=[(s, s) for s in ICO_SIZES])
    images[1024].save(HERE / "uitstroom.icns")
    PACKAGE_ICON.parent.mkdir(parents=True, exist_ok=True)
    images[256].save(PACKAGE_ICON, optimize=True)
    del app
    print(f"icons written to {HERE} and {PACKAGE_ICON}")


if __name__ == "__main__":
    main()
