"""One list widget for every record list in the window: columns that know how to show, sort and
fit a record, a model over frozen records, and a delegate that ends a long cell in '…'."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from uitstroom.services.speed import collector_paused

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
MUTED = QColor("#6b6b6b")
ROOT = QModelIndex()
_DIGITS = re.compile(r"(\d+)")
# Where a wrapped text may start a new line: at spaces, and after a slash before a letter
# ('Ouder/' over 'verzorger'; Qt breaks neither '2025/2026' nor a date's hyphens).
_BREAKS = re.compile(r"\s+|(?<=/)(?=[^\W\d_])")
# The accents NFKD splits off Latin letters (é -> e + U+0301): dropped in one regex pass.
_ACCENTS = re.compile("[\u0300-\u036f]")
# Letters that NFKD does not split into a base letter and an accent.
_FOLD_EXTRA = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae"}
_EXTRA_LETTERS = re.compile("[" + "".join(_FOLD_EXTRA) + "]")


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Any], str]
    # A real value to sort on (str, int, date; None sorts last). Defaults to the display text.
    sort_key: Callable[[Any], Any] | None = None
    # Starting width in average characters, so it follows the user's font size.
    chars: int = 12
    # The column that takes the room left over (and wraps, in lists that wrap).
    stretch: bool = False
    # Optional icon, text colour and tooltip per row (the status marker uses all three).
    decoration: Callable[[Any], Any] | None = None
    foreground: Callable[[Any], Any] | None = None
    tooltip: Callable[[Any], Any] | None = None
    # Instead of sort_key: a text to sort on as text_key() does, folded for all rows at once.
    sort_text: Callable[[Any], str] | None = None

    def key(self, row: Any) -> Any:
        if self.sort_key is not None:
            return self.sort_key(row)
        return text_key((self.sort_text or self.display)(row))

    def keys(self, rows: Sequence[Any]) -> list[Any]:
        """key() of every row, with the texts folded in one pass instead of one per row."""
        if self.sort_key is not None:
            return [self.sort_key(row) for row in rows]
        text_of = self.sort_text or self.display
        texts = [text_of(row) for row in rows]
        return list(zip(fold_all(texts), [text.casefold() for text in texts], strict=True))


def sorted_order(column: Column, rows: Sequence[Any], order: Qt.SortOrder) -> list[int]:
    """The positions of `rows` in the order `column` sorts them; rows without a key last.
    Stable, also in reverse: equal keys keep their order. Pure, so a thread can sort a list
    before the model takes it."""
    keys = column.keys(rows)
    present = [i for i, k in enumerate(keys) if k is not None]
    missing = [i for i, k in enumerate(keys) if k is None]
    present.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
    return present + missing


def fold(text: str) -> str:
    """Lower case without accents, so 'celik' finds Çelik and 'zoe' finds Zoë."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    folded = _EXTRA_LETTERS.sub(lambda found: _FOLD_EXTRA[found.group()], folded)
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", folded))


def fold_all(texts: Sequence[str]) -> list[str]:
    """fold() of every text, in one casefold, NFKD and regex pass over the texts joined by line
    breaks: per text, the non-ASCII names of 50,000 pupils took 60 ms. Every step works letter
    by letter and a line break stays itself, so joining changes nothing."""
    parts = fold("\n".join(texts)).split("\n")
    if len(parts) != len(texts):  # a text held a line break of its own
        return [fold(text) for text in texts]
    return parts


def text_key(text: str) -> tuple[str, str]:
    """Ç sorts with C and Ō with O, as in a Dutch class list; the accent only breaks ties."""
    return fold(text), text.casefold()


def natural_key(text: str) -> tuple[Any, ...]:
    """'PRO4B' before 'PRO10A', '99' before '100'."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(text.casefold())
        if part
    )


def column_title(
    section: int, orientation: Qt.Orientation, role: int, titles: Sequence[str]
) -> str | None:
    """A table model's headerData: the titles above the columns, and nothing else."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


class RecordTableModel(QAbstractTableModel):
    """Rows are frozen records in a plain list; the view gets each through ROW_ROLE."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Any] = (),
        parent: QObject | None = None,
        muted: Callable[[Any], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Any] = list(rows)
        self._sort: tuple[int, Qt.SortOrder] | None = None
        # True while the rows are in the order self._sort asks for: sorting again is free.
        self._in_order = False
        self._muted = muted

    # --- Qt ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()].display(row)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._columns[index.column()].key(row)
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._muted is not None and self._muted(row):
                return MUTED
            return None if column.foreground is None else column.foreground(row)
        if role == Qt.ItemDataRole.DecorationRole and column.decoration is not None:
            return column.decoration(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_title(section, orientation, role, [c.header for c in self._columns])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        if self._in_order and self._sort == (column, order):
            return
        self._sort = (column, order)
        self._in_order = True
        with collector_paused():
            new_order = self._sorted_order()
        if new_order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        position = [0] * len(new_order)
        for new, old in enumerate(new_order):
            position[old] = new
        self._apply_order(new_order)
        before = self.persistentIndexList()
        after = [self.index(position[i.row()], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # --- ours ----------------------------------------------------------------------------
    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def rows(self) -> tuple[Any, ...]:
        return tuple(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def set_rows(self, rows: Iterable[Any], in_order: bool = False) -> None:
        """`in_order`: the rows come sorted as this model sorts them (by `sorted_order`, in the
        thread that read them), so they are not sorted again here."""
        self.beginResetModel()
        # Keys and search texts for every row: tens of thousands of small objects that the
        # cyclic collector would otherwise walk, with everything else, several times over.
        with collector_paused():
            self._rows = list(rows)
            self._rows_replaced()
            if self._sort is not None:
                if not in_order:
                    self._apply_order(self._sorted_order())
                self._in_order = True
        self.endResetModel()

    def _sorted_order(self) -> list[int]:
        assert self._sort is not None
        column, order = self._sort
        return sorted_order(self._columns[column], self._rows, order)

    def _apply_order(self, new_order: list[int]) -> None:
        self._rows = [self._rows[i] for i in new_order]
        self._rows_reordered(new_order)

    def _rows_replaced(self) -> None:
        """Subclasses rebuild what they derive from the rows here."""

    def _rows_reordered(self, new_order: list[int]) -> None:
        """Subclasses put what they derive from the rows in the new order here."""


# How many rows fit_columns reads to size a column: enough for a cohort's longest names on
# screen, and cheap for 50,000 students.
MEASURED_ROWS = 200


def fit_columns(table: QTableView, lines: int | None = None) -> None:
    """Widths from the column specs, widened to the header's text and to the texts of the first
    rows shown, so neither is cut (the mbo's SLB'er and Opleiding were); never measured from
    20,000 rows of content. In a table whose rows hold several lines, a text longer than its
    column's own width wraps there instead of widening it; `lines` says how many for a table
    whose rows grow with their text. The stretching column takes what is left, but never less
    than its own width: the table scrolls sideways before it cuts."""
    shown = table.model()
    model = records_of(table)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    char = metrics.averageCharWidth()
    lines = row_lines(table) if lines is None else lines
    growing = table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    rows = min(shown.rowCount(), MEASURED_ROWS)
    # Room for the sort arrow beside a header, and for a row's marker icon.
    arrow = header.fontMetrics().height() + 4
    icon = table.iconSize().width() if table.iconSize().isValid() else metrics.height()
    header.setStretchLastSection(False)
    for n, column in enumerate(model.columns):
        own = column.chars * char
        header_width = header.fontMetrics().horizontalAdvance(column.header) + arrow
        if column.stretch:
            header.resizeSection(n, max(own, header_width))
            # A column in Stretch mode (pane_table) gives way by itself; stretchLastSection
            # would keep a last one at its own width, past the edge of a list that cannot scroll.
            if header.sectionResizeMode(n) != QHeaderView.ResizeMode.Stretch:
                header.setStretchLastSection(n == len(model.columns) - 1)
            continue
        texts = {str(shown.index(row, n).data() or "") for row in range(rows)}
        if growing:
            # Rows as high as their text: each line of a text ('Gemeente' over a contact
            # person) may wrap into `lines`, not the text as a whole.
            texts = {line for text in texts for line in text.split("\n")}
        extra = CELL_PADDING + (icon + 6 if column.decoration is not None else 0)
        needed = max((text_width(metrics, t, own - extra, lines) for t in texts), default=0)
        header.resizeSection(n, max(own, needed + extra, header_width))


CELL_PADDING = 16


def records_of(table: QTableView) -> RecordTableModel:
    """The record model under a table's sorting and filtering proxies."""
    model = table.model()
    while isinstance(model, QAbstractProxyModel):
        model = model.sourceModel()
    assert isinstance(model, RecordTableModel)
    return model


def row_lines(table: QTableView) -> int:
    """How many lines of text a row of `table` holds (record_table's `lines`)."""
    if not table.wordWrap():
        return 1
    metrics = table.fontMetrics()
    spare = table.verticalHeader().defaultSectionSize() - metrics.height() - 10
    return 1 + max(0, spare // metrics.lineSpacing())


def text_width(metrics: QFontMetrics, text: str, room: int, lines: int) -> int:
    """The width `text` needs: on one line when it fits in `room`; otherwise the least width
    at which it wraps into `lines` lines (a single long word is never broken)."""
    single = metrics.horizontalAdvance(text)
    if lines == 1 or single <= room or not text.split():
        return single  # (a blank text in a column narrower than its padding: nothing to wrap)
    flags = int(Qt.TextFlag.TextWordWrap)
    # Qt also breaks a line after a slash ('Ouder/' over 'verzorger').
    longest_word = max(metrics.horizontalAdvance(word) for word in _BREAKS.split(text) if word)
    low, high = max(room, longest_word), single
    while low < high:
        middle = (low + high) // 2
        if metrics.boundingRect(0, 0, middle, 10_000, flags, text).height() <= (
            metrics.height() + (lines - 1) * metrics.lineSpacing()
        ):
            high = middle
        else:
            low = middle + 1
    return low


class LinesDelegate(QStyledItemDelegate):
    """Cells of `lines` lines: a text longer than that (a step typed at the overleg can be a
    paragraph) ends in '…' after its last whole word that fits, instead of being cut off in
    the middle of a line; the tooltip holds all of it."""

    def __init__(self, lines: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines = lines

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        room = option.rect.width() - CELL_PADDING // 2
        option.text = shown_text(option.fontMetrics, option.text, room, self.lines)


def shown_text(metrics: QFontMetrics, text: str, room: int, lines: int) -> str:
    """`text` as it fits in `lines` lines `room` pixels wide: whole, or its first words and
    '…'."""
    flags = int(Qt.TextFlag.TextWordWrap)
    height = metrics.height() + (lines - 1) * metrics.lineSpacing()

    def fits(candidate: str) -> bool:
        return metrics.boundingRect(0, 0, max(room, 1), 10_000, flags, candidate).height() <= height

    # Most cells fit on one line: no wrapping measured for them (a keystroke in the search
    # repaints every visible cell).
    if room <= 0 or metrics.horizontalAdvance(text) <= room or fits(text):
        return text
    words = text.split()
    low, high = 0, len(words) - 1  # how many words go before the '…'
    while low < high:
        middle = (low + high + 1) // 2
        if fits(" ".join(words[:middle]) + " …"):
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low]) + " …"


def record_table(
    model: QAbstractItemModel,
    parent: QWidget | None = None,
    name: str = "",
    wrap: bool = False,
    lines: int = 1,
    fit: bool = True,
) -> QTableView:
    """A read-only list of records as every list in Uitstroom shows one: whole rows selected,
    Tab leaves the table and the arrows move inside it, fixed row heights (measuring thousands
    of rows for their contents is slow) and column widths from the column specs. `lines`: rows
    of that many lines, where a long text wraps instead of being cut. Without `fit` the
    columns are left for the caller to fit (fit_columns) when it has put its headers on."""
    table = QTableView(parent)
    if name:
        table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(wrap or lines > 1)
    table.setTabKeyNavigation(False)
    vertical = table.verticalHeader()
    vertical.hide()
    if not wrap:
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    metrics = table.fontMetrics()
    vertical.setDefaultSectionSize(metrics.height() + (lines - 1) * metrics.lineSpacing() + 10)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    if lines > 1:
        # Only a stretching column can hold more than its lines: fit_columns widens the others
        # to their texts. Python in every cell's painting costs a search keystroke time.
        delegate = LinesDelegate(lines, table)
        for n, column in enumerate(records_of(table).columns):
            if column.stretch:
                table.setItemDelegateForColumn(n, delegate)
    if fit:
        fit_columns(table)
    return table


class PaddedWrapDelegate(QStyledItemDelegate):
    """A row as high as its wrapped text inside the cell's padding. Qt measures a wrapped text
    at the cell's full width but paints it inside the padding of the table's style sheet, so a
    text that needed one more line ended in '…' ('Uitstroomprofiel in het OPP …')."""

    def __init__(self, padding: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.padding = padding

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        inner = QStyleOptionViewItem(option)
        inner.rect = option.rect.adjusted(0, 0, -2 * self.padding, 0)
        return super().sizeHint(inner, index)


def pane_table(
    model: RecordTableModel, parent: QWidget, name: str = "", lines: int = 2
) -> QTableView:
    """A short list in the narrow pupil pane (stages, notes, a checklist, agreements, consents;
    a few dozen rows at most): texts wrap and rows are as high as their text; the stretching
    column takes the width the others leave and wraps there. Never a sideways scroll bar: a
    column pushed past the right edge could not be read at all. `lines`: how many lines a text
    in the other columns takes at first (in the pane two; in a wide dialog one); see
    PaneColumns."""
    table = record_table(model, parent, name, wrap=True)
    padding = 4
    table.setStyleSheet(f"QTableView::item {{ padding: 3px {padding}px; }}")
    table.setItemDelegate(PaddedWrapDelegate(padding, table))
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)  # the Stretch mode below gives way; see fit_columns
    for n, column in enumerate(model.columns):
        if column.stretch:
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    PaneColumns(table, model, lines)
    return table


class PaneColumns(QObject):
    """The widths of a pane_table's columns, measured again whenever other rows are shown and
    whenever the list gets narrower or wider (not from the empty list, not once at the start).

    The columns beside the stretching one are as wide as what they show in `lines` lines
    ('Ouder/verzorger', a date, a contact person under the party); when together they would
    leave the stretching column less than STRETCH_LEAST characters, they wrap into up to two
    lines more. Qt measures row heights only when rows change, so they are measured again
    whenever a column's width changes."""

    STRETCH_LEAST = 20  # characters: two or three words of a task a line

    def __init__(self, table: QTableView, model: RecordTableModel, lines: int) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._lines = lines
        self._width = -1
        table.viewport().installEventFilter(self)
        model.modelReset.connect(self.fit)
        table.horizontalHeader().sectionResized.connect(lambda *_: table.resizeRowsToContents())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._room() != self._width:
            self.fit()
        return False

    def _room(self) -> int:
        """The width to fit, as if the vertical scroll bar were there: with the viewport's own
        width, rows that grew made the scroll bar appear, the narrower list took more lines,
        the rows shrank, the bar went and the list fitted again, without end."""
        table = self._table
        bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, table)
        return table.maximumViewportSize().width() - bar

    def fit(self) -> None:
        table = self._table
        room = self._width = self._room()
        least = self.STRETCH_LEAST * table.fontMetrics().averageCharWidth()
        others = [n for n, column in enumerate(self._model.columns) if not column.stretch]
        for lines in range(self._lines, self._lines + 3):
            fit_columns(table, lines)
            if sum(table.columnWidth(n) for n in others) + least <= room:
                break
