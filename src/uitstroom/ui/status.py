"""The status marker: a pupil's level as colour, shape and word together.

Colour alone fails for one in twelve men and on a grey beamer, so every marker carries the
level's label and a symbol inside a shape of its own: a red square with "!" for te laat, an
amber circle with a dot for aandacht, a green circle with a tick for op schema, a grey circle
with a tick for afgerond. The text colours keep a contrast of at least 4.5:1 on white.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from uitstroom.domain.checklist import Level, Status


@dataclass(frozen=True)
class LevelStyle:
    symbol: str
    # The fill of the shape; the text colour for the label on a light background.
    fill: str
    text: str
    square: bool = False


STYLES: dict[Level, LevelStyle] = {
    Level.TE_LAAT: LevelStyle("!", "#c62828", "#b71c1c", square=True),
    Level.AANDACHT: LevelStyle("•", "#f2a900", "#8a4b00"),
    Level.OP_SCHEMA: LevelStyle("✓", "#2e7d32", "#1b5e20"),
    Level.AFGEROND: LevelStyle("✔", "#8a8a8a", "#545454"),
}


def marker_text(level: Level) -> str:
    """The symbol and the word, for places that show text only (tooltips, the screen reader)."""
    return f"{STYLES[level].symbol} {level.label}"


def text_colour(level: Level) -> QColor:
    return QColor(STYLES[level].text)


@cache
def _pixmap(level: Level, size: int, ratio: float) -> QPixmap:
    style = STYLES[level]
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(1, 1, size - 2, size - 2)
    path = QPainterPath()
    if style.square:
        path.addRoundedRect(box, 2.5, 2.5)
    else:
        path.addEllipse(box)
    painter.fillPath(path, QColor(style.fill))
    if level is Level.AANDACHT:
        # A clock face on amber: dark hands read better than a white dot on yellow.
        painter.setPen(QColor("#3d2600"))
        centre = QPointF(size / 2, size / 2)
        painter.drawLine(centre, QPointF(size / 2, size * 0.24))
        painter.drawLine(centre, QPointF(size * 0.72, size / 2))
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(round(size * 0.72))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, style.symbol)
    painter.end()
    return pixmap


def marker_icon(level: Level, size: int = 14) -> QIcon:
    """The shape as an icon, drawn once per level and size (a table asks for it per paint)."""
    return _icons(level, size)


@cache
def _icons(level: Level, size: int) -> QIcon:
    icon = QIcon()
    for ratio in (1.0, 2.0):
        icon.addPixmap(_pixmap(level, size, ratio))
    return icon


class StatusMarker(QWidget):
    """Shape, label and reason in one line, e.g. on top of a pupil's checklist."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel(self)
        self.label = QLabel(self)
        self.label.setObjectName("status_label")
        font = QFont(self.label.font())
        font.setBold(True)
        self.label.setFont(font)
        self.reason = QLabel(self)
        self.reason.setObjectName("status_reason")
        self.reason.setWordWrap(True)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.reason, 1)
        self.status: Status | None = None

    def set_status(self, status: Status | None) -> None:
        self.status = status
        if status is None:
            self.icon.clear()
            self.label.clear()
            self.reason.clear()
            self.setAccessibleName("")
            return
        size = self.label.fontMetrics().height()
        self.icon.setPixmap(marker_icon(status.level, size).pixmap(size, size))
        self.label.setText(status.level.label)
        self.label.setStyleSheet(f"QLabel {{ color: {STYLES[status.level].text}; }}")
        self.reason.setText(status.reason)
        self.setAccessibleName(f"Status: {status.level.label}. {status.reason}")
