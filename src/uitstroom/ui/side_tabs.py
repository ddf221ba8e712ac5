"""Tabs stacked down the left side, their text level: every section of a narrow pane in view.

The pupil pane has nine sections; on a 1366-pixel laptop a tab bar along the top showed five
and hid Paspoort, Toestemming and Nazorg behind scroll arrows."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QStyle, QStyleOptionTab, QStylePainter, QTabBar, QTabWidget, QWidget


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


def side_tabs(parent: QWidget | None = None) -> QTabWidget:
    tabs = QTabWidget(parent)
    tabs.setTabBar(SideTabBar(tabs))
    tabs.setTabPosition(QTabWidget.TabPosition.West)
    return tabs
