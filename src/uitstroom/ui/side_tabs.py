"""Tabs stacked down the left side, their text level: every section of a narrow pane in view.

The pupil pane has nine sections; on a 1366-pixel laptop a tab bar along the top showed five
and hid Paspoort, Toestemming and Nazorg behind scroll arrows."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QScrollArea,
    QStyle,
    QStyleOptionTab,
    QStylePainter,
    QTabBar,
    QTabWidget,
    QWidget,
)


class SideTabBar(QTabBar):
    """A west tab bar whose labels read left to right (Qt turns them a quarter otherwise)."""

    def tabSizeHint(self, index: int) -> QSize:
        # Qt measures a west tab as a turned one: text along the height. Turn it back.
        return super().tabSizeHint(index).transposed()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionTab()
        for index in range(self.count()):
            self.initStyleOption(option, index)
            painter.drawControl(QStyle.ControlElement.CE_TabBarTabShape, option)
            option.shape = QTabBar.Shape.RoundedNorth  # the label as on a top tab: level
            painter.drawControl(QStyle.ControlElement.CE_TabBarTabLabel, option)


class SideTabs(QTabWidget):
    """Its least width holds the contents of every page that scrolls, not only the scroll
    area's own: the pane beside the cohort list never gets so narrow that a page is cut off
    at the right (the Paspoort and Gegevens pages were, in mbo mode on a laptop)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        pages = [page for index in range(self.count()) if (page := self.widget(index))]
        # Qt's hint is the widest page's own least width plus the bar and the frames.
        widest = max((page.minimumSizeHint().width() for page in pages), default=0)
        needed = widest
        for page in pages:
            scroll = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
            inner = scroll.widget() if scroll is not None else None
            if scroll is None or inner is None:
                continue
            inside = (
                inner.minimumSizeHint().width()
                + scroll.verticalScrollBar().sizeHint().width()
                + 2 * scroll.frameWidth()
            )
            around = page.minimumSizeHint().width() - scroll.minimumSizeHint().width()
            needed = max(needed, inside + around)
        hint.setWidth(hint.width() + needed - widest)
        return hint


def side_tabs(parent: QWidget | None = None) -> QTabWidget:
    tabs = SideTabs(parent)
    tabs.setTabBar(SideTabBar(tabs))
    tabs.setTabPosition(QTabWidget.TabPosition.West)
    return tabs
