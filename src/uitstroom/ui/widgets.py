"""Small widgets made one way everywhere: a push button, the line that says what was done,
the text of an empty list, a page that scrolls; and work put off until a widget is on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)


class AfterFirstPaint(QObject):
    """Runs `then` once, in the event loop's turn right after `widget` is first painted: what
    the first screen does not show is made after the window is on screen, not before."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False


@contextmanager
def wait_cursor() -> Iterator[None]:
    """The busy pointer while the window works a moment for something the user asked for
    (a passphrase checked, a long list waited for), back to normal however that ends."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def push_button(
    parent: QWidget, text: str, clicked: Callable[[], object], tip: str = ""
) -> QPushButton:
    """A button: its Alt-letter in `text` (&), what it does in `tip` (shown on hover, also by
    screen readers) and the action it runs."""
    button = QPushButton(text, parent)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button


def done_label(parent: QWidget, name: str = "", hidden: bool = False) -> QLabel:
    """The calm green line that says what was just done ("Opgeslagen om 10:42.")."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #2e6b34; }")
    label.setVisible(not hidden)
    return label


def empty_label(parent: QWidget, name: str) -> QLabel:
    """What a list says, large and centred, when there is nothing in it (yet)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #2e6b34; font-size: 12pt; padding: 24px; }")
    return label


def scroll_page(parent: QWidget | None, content: QWidget | None = None) -> QScrollArea:
    """A borderless page that scrolls its content when the window is too small for it."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if content is not None:
        area.setWidget(content)
    return area


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side from the left; the rest of the row stays empty."""
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


def button_row_right(*widgets: QWidget) -> QHBoxLayout:
    """Widgets side by side at the right end of the row (Sluiten, OK)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row


def add_labelled_rows(
    form: QFormLayout, parent: QWidget, rows: Iterable[tuple[str, QWidget]]
) -> None:
    """Rows of a form, each label's Alt-letter (&) moving the focus to its field."""
    for text, field in rows:
        label = QLabel(text, parent)
        label.setBuddy(field)
        form.addRow(label, field)
