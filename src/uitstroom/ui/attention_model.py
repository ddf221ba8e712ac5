"""The Vandaag list's rows: what needs attention, grouped (te laat, binnenkort, 1 april, zonder
route), with the words for when and what."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from uitstroom.domain.attention import (
    AttentionItem,
    Group,
)
from uitstroom.domain.checklist import Level, Owner, dutch_day
from uitstroom.domain.dates import SHORT_WEEKDAYS, dutch_weekday_date, late_or_near
from uitstroom.domain.plural import counted
from uitstroom.ui.record_table import ROW_ROLE, column_title
from uitstroom.ui.status import marker_icon
from uitstroom.ui.words import LEERLING_WORDS, Words, cap

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

GROUP_LEVEL = {
    Group.OVERDUE: Level.TE_LAAT,
    Group.SOON: Level.AANDACHT,
    Group.APRIL: Level.AANDACHT,
    Group.NO_ROUTE: Level.TE_LAAT,
}
GROUPS = tuple(Group)
HEADER_BACKGROUND = QColor("#eef1f5")


def short_day(day: date | None) -> str:
    return "" if day is None else f"{SHORT_WEEKDAYS[day.weekday()]} {dutch_day(day)}"


@dataclass(frozen=True)
class ItemColumn:
    header: Callable[[Words], str]
    display: Callable[[AttentionItem, date], str]
    chars: int


def when_text(item: AttentionItem, today: date) -> str:
    """How late or near, in words: '170 dagen te laat', 'vandaag', 'over 12 dagen'. The date
    itself is in the row's tooltip."""
    if item.due is None:
        return "nu"
    near = late_or_near(item.due, today)
    return near or f"over {counted((item.due - today).days, 'dag', 'dagen')}"


def what_to_do(item: AttentionItem, _today: date) -> str:
    return item.text if item.about is None else item.about.open_text


# The list shares the window with the pupil's details: the words that matter (who, how late,
# what) come first and the long description takes the rest of the width.
ITEM_COLUMNS = (
    ItemColumn(lambda w: cap(w.pupil), lambda i, _d: i.name, 21),
    ItemColumn(lambda w: cap(w.klas), lambda i, _d: i.klas, 6),
    ItemColumn(lambda _w: "Wanneer", when_text, 19),
    ItemColumn(lambda _w: "Wie", lambda i, _d: "" if i.about is None else i.about.owner.label, 17),
    ItemColumn(lambda _w: "Wat moet er gebeuren", what_to_do, 40),
)
OWNER_COLUMN = 3


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


Row = Group | AttentionItem


class AttentionModel(QAbstractTableModel):
    """One flat list: a heading row per non-empty group, then its items. Flat on purpose: a
    QTreeView lays out every expanded row again after each removal, 300 ms for 27,000 items;
    a table removes a row without looking at the others."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words = LEERLING_WORDS
        self._rows: list[Row] = []
        self._counts = {group: 0 for group in GROUPS}
        self.countdown = ""
        self.today = date.today()

    # --- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(ITEM_COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], Group):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if isinstance(row, Group):
            return self._group_data(row, index.column(), role)
        if role == Qt.ItemDataRole.DisplayRole:
            shown = ITEM_COLUMNS[index.column()].display(row, self.today)
            # The task's owner "Leerling" is the school's own word: "Student" at the mbo.
            if index.column() == OWNER_COLUMN and shown == Owner.LEERLING.label:
                return cap(self.words.pupil)
            return shown
        if role == Qt.ItemDataRole.ToolTipRole:
            due = f" (uiterlijk {dutch_weekday_date(row.due)})" if row.due else ""
            return f"{row.name}, {row.klas}: {row.text}{due}"
        if role == ROW_ROLE:
            return row
        return None

    def _group_data(self, group: Group, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return HEADER_BACKGROUND
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.group_title(group)
        if role == Qt.ItemDataRole.DecorationRole:
            return marker_icon(GROUP_LEVEL[group])
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        titles = [column.header(self.words) for column in ITEM_COLUMNS]
        return column_title(section, orientation, role, titles)

    # --- ours ----------------------------------------------------------------------------
    def group_title(self, group: Group) -> str:
        count = self._counts[group]
        if group is Group.APRIL and self.countdown:
            return f"{group.label}: {self.countdown}  ({count})"
        return f"{group.label}  ({count})"

    def set_items(self, items: Sequence[AttentionItem], countdown: str, today: date) -> None:
        self.beginResetModel()
        self.today = today
        self.countdown = countdown
        per_group: dict[Group, list[AttentionItem]] = {group: [] for group in GROUPS}
        for item in items:
            per_group[item.group].append(item)
        self._rows = []
        for group in GROUPS:
            self._counts[group] = len(per_group[group])
            if per_group[group]:
                self._rows.append(group)
                self._rows.extend(per_group[group])
        self.endResetModel()

    def heading_rows(self) -> list[int]:
        return [n for n, row in enumerate(self._rows) if isinstance(row, Group)]

    def groups(self) -> list[Group]:
        """The groups shown, in order."""
        return [row for row in self._rows if isinstance(row, Group)]

    def items(self) -> list[AttentionItem]:
        return [row for row in self._rows if not isinstance(row, Group)]

    def count(self, group: Group) -> int:
        return self._counts[group]

    def item_index(self, task_id: int | None, pupil_id: int | None = None) -> QModelIndex:
        for n, row in enumerate(self._rows):
            if isinstance(row, Group):
                continue
            if task_id is not None and row.task_id == task_id:
                return self.index(n, 0)
            if task_id is None and row.task_id is None and row.pupil_id == pupil_id:
                return self.index(n, 0)
        return QModelIndex()

    def remove_task(self, task_id: int) -> list[AttentionItem]:
        """Take a ticked task's row out (and its group's heading when it was the last)."""
        removed: list[AttentionItem] = []
        for n in reversed(range(len(self._rows))):
            row = self._rows[n]
            if isinstance(row, Group) or row.task_id != task_id:
                continue
            group = row.group
            self._counts[group] -= 1
            heading = self._rows.index(group)
            if self._counts[group] == 0:
                self.beginRemoveRows(_ROOT, heading, n)
                del self._rows[heading : n + 1]
                self.endRemoveRows()
            else:
                self.beginRemoveRows(_ROOT, n, n)
                del self._rows[n]
                self.endRemoveRows()
                self.dataChanged.emit(self.index(heading, 0), self.index(heading, 0))
            removed.append(row)
        return removed
