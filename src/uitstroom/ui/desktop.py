"""Behaviour every window and dialog shares, set up once on the application: the mouse wheel
never changes a field the user did not choose, the field that has the keyboard shows it, and
no window is taller or wider than the screen it opens on."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QScreen,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from shiboken6 import isValid

# The ring's colour: the dark blue of a selected row, 4.5:1 or more on white and on grey.
FOCUS_COLOUR = QColor("#1a5fb4")
WHEEL_TAKERS = (QComboBox, QAbstractSpinBox)  # QDateEdit and QTimeEdit are spin boxes
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit)
# Before a window is first shown Qt does not know its frame: room for a title bar and borders.
FRAME_ALLOWANCE = QMargins(4, 36, 4, 4)


def has_keyboard(widget: QWidget) -> bool:
    """The user gave this field the keyboard (a click or Tab), also when its inner line edit
    holds it, as in an editable combo box or a spin box."""
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


def screen_of(widget: QWidget) -> QScreen:
    """The screen `widget` is on, asked of the application.

    Never QWidget.screen: PySide makes the one Python object of a screen a child of the
    widget that asked for it last, and when widgets come and go that object can end up owning
    the screen itself; Python's garbage collector then deleted the screen while Qt still used
    it, and the program crashed later, at a random place (seen in the tests as a segmentation
    fault in QScreen::virtualSiblings). The application's own lookups hand it out unowned."""
    found = QGuiApplication.screenAt(widget.frameGeometry().center())
    return found if found is not None else QGuiApplication.primaryScreen()


def fit_to_screen(window: QWidget) -> None:
    """Shrink `window` to the screen's free area (without the task bar) and move it inside,
    frame and title bar included. A PDF preview of 820x940 hid Afdrukken, Opslaan and Sluiten
    below a school laptop's 768 pixels; its layout can shrink, only the size asked was too big.
    A window whose contents cannot shrink that far must scroll them: tests/ui/test_screen_fit
    opens every window at 1366x768 to find one."""
    area = screen_of(window).availableGeometry()
    frame = window.frameGeometry()
    margins = (
        QMargins(
            window.geometry().left() - frame.left(),
            window.geometry().top() - frame.top(),
            frame.right() - window.geometry().right(),
            frame.bottom() - window.geometry().bottom(),
        )
        if frame != window.geometry()
        else FRAME_ALLOWANCE
    )
    room = area.marginsRemoved(margins)
    size = window.size().boundedTo(room.size())
    if size != window.size():
        window.resize(size)
    placed = QRect(window.pos() + QPoint(margins.left(), margins.top()), window.size())
    if not room.contains(placed):
        left = max(room.left(), min(placed.left(), room.right() - placed.width() + 1))
        top = max(room.top(), min(placed.top(), room.bottom() - placed.height() + 1))
        window.move(left - margins.left(), top - margins.top())


class WindowRules(QObject):
    """One filter on the application covers every window and form, also dialogs made later.

    - A window fits its screen when it is shown (fit_to_screen).
    - An Alt-letter that opens nothing types nothing into a text field.
    - A closed combo box or spin box takes the mouse wheel only when it has the keyboard;
      otherwise the wheel scrolls the page it sits on. Scrolling the Gegevens tab switched a
      pupil's uitstroomprofiel from Arbeid to Vervolgonderwijs, seen only as 'Niet opgeslagen'.
      The Polish event (once per widget, before it is first shown) stops the wheel from giving
      these fields the keyboard, which Qt's default WheelFocus does before any filter sees the
      wheel."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QWidget):
            if watched.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog):
                fit_to_screen(watched)
        elif kind == QEvent.Type.KeyPress and isinstance(watched, TEXT_FIELDS):
            assert isinstance(event, QKeyEvent)
            # An Alt-letter that is no shortcut here reached the field: a note got a 'p' for
            # Alt+P. Option+letter types é and ñ on a Mac, so there it stays text.
            if (
                event.modifiers() == Qt.KeyboardModifier.AltModifier
                and event.text().isalnum()
                and sys.platform != "darwin"
            ):
                return True
        elif kind == QEvent.Type.Polish and isinstance(watched, WHEEL_TAKERS):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif (
            kind == QEvent.Type.Wheel
            and isinstance(watched, WHEEL_TAKERS)
            and not has_keyboard(watched)
        ):
            assert isinstance(event, QWheelEvent)
            area = scroll_area_around(watched)
            if area is not None:
                viewport = area.viewport()
                position = viewport.mapFromGlobal(event.globalPosition())
                QApplication.sendEvent(viewport, wheel_at(event, position))
            event.accept()  # handled here: not passed on to the parents a second time
            return True
        return False


def wheel_at(event: QWheelEvent, position: QPointF) -> QWheelEvent:
    """The same turn of the wheel, at `position` in another widget."""
    return QWheelEvent(
        position,
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )


class FocusRing(QFocusFrame):
    """A clear ring around the widget that has the keyboard. The style's own focus mark is a
    faint dotted line or a slightly bluer border; a coordinator working with Tab lost it."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(FOCUS_COLOUR, 2))
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 3, 3)


class FocusFollower(QObject):
    """Moves the one focus ring to the widget that gets the keyboard. The ring lives beside
    its widget (QFocusFrame takes the widget's parent), so it goes when a dialog is deleted;
    a new one is made for the next field."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        app.focusChanged.connect(self.follow)

    def follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.isWindow():
            if self.ring is not None and isValid(self.ring):
                self.ring.setWidget(None)  # type: ignore[arg-type]  # Qt takes nullptr: no widget
            return
        if self.ring is None or not isValid(self.ring):
            self.ring = FocusRing()
        self.ring.setWidget(new)


def prepare_application(app: QApplication) -> None:
    """Once per application (app.run_gui, and the tests' application): windows that fit, the
    wheel guard and the focus ring. A second call changes nothing."""
    if app.property("uitstroom_prepared"):
        return
    app.setProperty("uitstroom_prepared", True)
    app.installEventFilter(WindowRules(app))
    FocusFollower(app)
