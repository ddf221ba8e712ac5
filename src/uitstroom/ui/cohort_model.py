"""Table models: one generic model for lists of frozen records, and the cohort on top of it.

Columns are small specs instead of if/elif chains. Sorting happens here, in Python, on keys
computed once per sort: sorting through QSortFilterProxyModel would call data() n·log n times,
too slow for 20,000 pupils. Searching and filtering is a set of accepted rows, computed in one
comprehension over precomputed search strings; the proxy only asks `row in accepted`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from uitstroom.domain.checklist import Status
from uitstroom.domain.enums import Niveau, Route, SchoolType
from uitstroom.domain.model import Pupil, PupilSummary
from uitstroom.services.speed import collector_paused
from uitstroom.ui.status import marker_icon, text_colour
from uitstroom.ui.words import cap, words_for

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
MUTED = QColor("#6b6b6b")
_ROOT = QModelIndex()
_DIGITS = re.compile(r"(\d+)")
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
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
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
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None

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

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        # Keys and search texts for every row: tens of thousands of small objects that the
        # cyclic collector would otherwise walk, with everything else, several times over.
        with collector_paused():
            self._rows = list(rows)
            self._rows_replaced()
            if self._sort is not None:
                self._apply_order(self._sorted_order())
                self._in_order = True
        self.endResetModel()

    def _sorted_order(self) -> list[int]:
        assert self._sort is not None
        column, order = self._sort
        keys = self._columns[column].keys(self._rows)
        present = [i for i, k in enumerate(keys) if k is not None]
        missing = [i for i, k in enumerate(keys) if k is None]
        # Stable, also in reverse: equal keys keep their previous order.
        present.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return present + missing

    def _apply_order(self, new_order: list[int]) -> None:
        self._rows = [self._rows[i] for i in new_order]
        self._rows_reordered(new_order)

    def _rows_replaced(self) -> None:
        """Subclasses rebuild what they derive from the rows here."""

    def _rows_reordered(self, new_order: list[int]) -> None:
        """Subclasses put what they derive from the rows in the new order here."""


# --- the cohort ------------------------------------------------------------------------------
ROUTE_ORDER = {route: n for n, route in enumerate(Route)}
NIVEAU_ORDER = {niveau: n for n, niveau in enumerate(Niveau)}


StatusOf = Callable[[PupilSummary], Status | None]
STATUS_HEADERS = ("Status", "Volgende stap")


def cohort_columns(
    school_type: SchoolType, status_of: StatusOf = lambda _s: None
) -> tuple[Column, ...]:
    """The columns this school type sees, in the words it speaks (ui/words.py)."""
    words = words_for(school_type)

    def shown(summary: PupilSummary) -> Status | None:
        # An archived pupil has left the cohort's work: no marker, only the word.
        return None if summary.archived else status_of(summary)

    every = {
        "naam": Column(
            words.name_column, lambda s: s.name, sort_text=lambda s: s.sort_name, chars=22
        ),
        "nummer": Column(
            cap(words.number),
            lambda s: s.leerlingnummer,
            lambda s: natural_key(s.leerlingnummer),
            chars=15,
        ),
        "klas": Column(cap(words.klas), lambda s: s.klas, lambda s: natural_key(s.klas), chars=8),
        "mentor": Column(cap(words.mentor), lambda s: s.mentor, chars=11),
        "profiel": Column(cap(words.profiel), lambda s: s.profiel_label, chars=17),
        "crebo": Column(
            "Crebo", lambda s: s.mbo_crebo, lambda s: natural_key(s.mbo_crebo), chars=6
        ),
        "niveau": Column(
            "Niveau",
            lambda s: short_niveau(s.mbo_niveau),
            lambda s: None if s.mbo_niveau is None else NIVEAU_ORDER[s.mbo_niveau],
            chars=6,
        ),
        "leerweg": Column(
            "Leerweg",
            lambda s: "" if s.mbo_leerweg is None else s.mbo_leerweg.value.upper(),
            chars=7,
        ),
        "route": Column("Route", lambda s: s.route.label, lambda s: ROUTE_ORDER[s.route], chars=14),
        "status": Column(
            "Status",
            lambda s: status_text(s, shown(s)),
            # Most urgent first: te laat, aandacht, op schema, afgerond; archived ones last.
            lambda s: (s.archived, _urgency(shown(s))),
            # Room for the marker's shape and the longest word, 'Gearchiveerd'.
            chars=16,
            decoration=lambda s: None if (st := shown(s)) is None else marker_icon(st.level),
            foreground=lambda s: None if (st := shown(s)) is None else text_colour(st.level),
            tooltip=lambda s: None if (st := shown(s)) is None else st.reason,
        ),
        "volgende": Column(
            "Volgende stap",
            lambda s: next_step_text(shown(s)),
            lambda s: _next_due(shown(s)),
            # Two lines of this: the cohort's rows wrap (main_window) and the program's own steps
            # fit; it stretches into what the pupil pane leaves. The mbo's list has two columns
            # more: on a laptop a long step ends in '…' (all of it in the tooltip) rather than
            # the list scrolling sideways.
            chars=30 if len(words.columns) <= 7 else 21,
            stretch=True,
            tooltip=lambda s: None if (st := shown(s)) is None else st.reason,
        ),
    }
    return tuple(every[key] for key in words.columns)


def short_niveau(niveau: Niveau | None) -> str:
    """'Entree', '2', '3', '4': the column header already says 'Niveau'."""
    if niveau is None:
        return ""
    return "Entree" if niveau is Niveau.ENTREE else niveau.value


def status_text(summary: PupilSummary, status: Status | None = None) -> str:
    if summary.archived:
        return "Gearchiveerd"
    return "Actief" if status is None else status.level.label


def next_step_text(status: Status | None) -> str:
    """What is open, short enough for two lines of a column on a school laptop: 'Nog niet
    aangemeld bij het mbo'. The whole sentence, with the date and how many days, is the
    tooltip; the Status column says whether it is late."""
    if status is None:
        return "—"
    if status.task is not None:
        text = status.task.open_text
    else:
        # The column's header already says it is the next step.
        reason = status.reason.removeprefix("Volgende stap: ")
        text = reason[:1].upper() + reason[1:]
    return text


def _urgency(status: Status | None) -> int:
    return 99 if status is None else status.level.urgency


def _next_due(status: Status | None) -> object:
    return None if status is None or status.task is None else status.task.due


def summary_from_pupil(pupil: Pupil) -> PupilSummary:
    """The table row of a pupil just saved, without reading the whole cohort again."""
    assert pupil.id is not None
    return PupilSummary(
        id=pupil.id,
        leerlingnummer=pupil.leerlingnummer,
        roepnaam=pupil.roepnaam,
        tussenvoegsel=pupil.tussenvoegsel,
        achternaam=pupil.achternaam,
        klas=pupil.klas,
        mentor=pupil.mentor,
        uitstroomprofiel=pupil.uitstroomprofiel,
        mbo_opleiding=pupil.mbo_opleiding,
        route=pupil.route.route,
        archived=pupil.archived,
        cohort_label=pupil.cohort_label,
        geboortedatum=pupil.geboortedatum,
        mbo_crebo=pupil.mbo_crebo,
        mbo_niveau=pupil.mbo_niveau,
        mbo_leerweg=pupil.mbo_leerweg,
    )


def search_text(summary: PupilSummary) -> str:
    """What search-as-you-type looks in: name, leerlingnummer, klas and mentor, apart so that a
    search never matches across two fields."""
    return fold(_search_fields(summary))


def search_texts(summaries: Sequence[PupilSummary]) -> list[str]:
    """search_text() of every pupil, folded in one pass."""
    return fold_all([_search_fields(summary) for summary in summaries])


def _search_fields(summary: PupilSummary) -> str:
    return f"{summary.name}\x1f{summary.leerlingnummer}\x1f{summary.klas}\x1f{summary.mentor}"


@dataclass(frozen=True)
class CohortFilter:
    text: str = ""
    klas: str | None = None
    route: Route | None = None
    profiel: str | None = None
    show_archived: bool = False


NO_KLAS = ""


class CohortModel(RecordTableModel):
    """The cohort table. It also knows which rows the current filter accepts, so that the set
    is rebuilt before a reset, sort or insert is announced and the proxy never reads a stale one."""

    def __init__(
        self,
        rows: Iterable[PupilSummary] = (),
        school_type: SchoolType = SchoolType.PRO,
        parent: QObject | None = None,
    ) -> None:
        self._filter = CohortFilter()
        self._search: list[str] = []
        # The rows that are not archived, in the current order; None until asked after a change.
        self._active: list[int] | None = None
        self._row_of_id: dict[int, int] = {}
        # Every status as read at start-up (worked out per row when first shown), and the ones
        # changed since by a tick or a save.
        self._statuses: Mapping[int, Status] = {}
        self._updated: dict[int, Status] = {}
        self.accepted: set[int] = set()
        super().__init__(
            cohort_columns(school_type, self.status_of), (), parent, muted=lambda s: s.archived
        )
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self.set_rows(rows)

    def set_school_type(self, school_type: SchoolType) -> None:
        """Another school type may show other columns (mbo: crebo, niveau, leerweg)."""
        columns = cohort_columns(school_type, self.status_of)
        if [c.header for c in columns] == [c.header for c in self._columns]:
            self._columns = columns
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(columns) - 1)
            return
        self.beginResetModel()
        self._columns = columns
        self._sort = (0, Qt.SortOrder.AscendingOrder)
        self._apply_order(self._sorted_order())
        self._in_order = True
        self.endResetModel()

    # --- statuses ------------------------------------------------------------------------
    def status_of(self, summary: PupilSummary) -> Status | None:
        updated = self._updated.get(summary.id)
        return updated if updated is not None else self._statuses.get(summary.id)

    def set_statuses(self, statuses: Mapping[int, Status]) -> None:
        """Every pupil's status, read once (at start-up, after a change of templates). Kept as
        given: a lazy mapping works out only the statuses that are shown or sorted on."""
        self._statuses = statuses
        self._updated = {}
        self._statuses_changed(0, len(self._rows) - 1)

    def update_status(self, pupil_id: int, status: Status) -> None:
        """One pupil's status after a tick or a save: one row repainted, not 20,000. The row
        keeps its place until the next sort: a row that jumps away while the coordinator works
        through the list is lost, and re-sorting 20,000 rows per tick costs 100 ms."""
        self._updated[pupil_id] = status
        row = self._row_of_id.get(pupil_id)
        if row is not None:
            self._statuses_changed(row, row, resort=False)
            self._in_order = False

    def _statuses_changed(self, first: int, last: int, resort: bool = True) -> None:
        columns = [n for n, c in enumerate(self._columns) if c.header in STATUS_HEADERS]
        if last >= first and columns:
            self.dataChanged.emit(self.index(first, columns[0]), self.index(last, columns[-1]))
        if resort and self._sort is not None and self._sort[0] in columns:
            self._in_order = False
            self.sort(*self._sort)

    # --- filtering -----------------------------------------------------------------------
    @property
    def filter(self) -> CohortFilter:
        return self._filter

    def apply_filter(self, wanted: CohortFilter) -> None:
        """Call only from CohortProxy.set_filter, which has the proxy read the new set."""
        self._filter = wanted
        self.accepted = self._matching(wanted)

    def _matching(self, wanted: CohortFilter) -> set[int]:
        rows = self._rows
        candidates: Iterable[int] = (
            range(len(rows)) if wanted.show_archived else self._active_rows()
        )
        if wanted.klas is not None:
            candidates = [i for i in candidates if rows[i].klas == wanted.klas]
        if wanted.route is not None:
            candidates = [i for i in candidates if rows[i].route == wanted.route]
        if wanted.profiel is not None:
            candidates = [i for i in candidates if rows[i].profiel_label == wanted.profiel]
        words = fold(wanted.text).split()
        search = self._search
        if len(words) == 1:
            word = words[0]
            return {i for i in candidates if word in search[i]}
        if words:
            return {i for i in candidates if all(w in search[i] for w in words)}
        return set(candidates)

    def in_scope_count(self) -> int:
        """How many pupils the list covers before searching: archived ones only when shown."""
        if self._filter.show_archived:
            return len(self._rows)
        return len(self._active_rows())

    def _active_rows(self) -> list[int]:
        if self._active is None:
            rows = self._rows
            self._active = [i for i in range(len(rows)) if not rows[i].archived]
        return self._active

    # --- lookups -------------------------------------------------------------------------
    def row_of(self, pupil_id: int) -> int | None:
        return self._row_of_id.get(pupil_id)

    def klassen(self) -> list[str]:
        return sorted({row.klas for row in self._rows}, key=natural_key)

    def profielen(self) -> list[str]:
        return sorted(
            {row.profiel_label for row in self._rows if row.profiel_label}, key=str.casefold
        )

    # --- changes -------------------------------------------------------------------------
    def upsert(self, summary: PupilSummary) -> None:
        """Show a pupil just saved: replace its row or add it, then keep the current order."""
        row = self._row_of_id.get(summary.id)
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(_ROOT, row, row)
            self._rows.append(summary)
            self._search.append(search_text(summary))
            self._row_of_id[summary.id] = row
            self._active = None
            self.accepted = self._matching(self._filter)
            self.endInsertRows()
        else:
            self._rows[row] = summary
            self._search[row] = search_text(summary)
            self._active = None
            self.accepted = self._matching(self._filter)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))
        if self._sort is not None:
            self._in_order = False
            self.sort(*self._sort)

    def _rows_replaced(self) -> None:
        self._search = search_texts(self._rows)
        self._active = None
        self._row_of_id = {r.id: n for n, r in enumerate(self._rows)}
        self.accepted = self._matching(self._filter)

    def _rows_reordered(self, new_order: list[int]) -> None:
        search = self._search
        self._search = [search[i] for i in new_order]
        self._active = None
        self._row_of_id = {r.id: n for n, r in enumerate(self._rows)}
        accepted = self.accepted
        self.accepted = {new for new, old in enumerate(new_order) if old in accepted}


# How many rows fit_columns reads to size a column: enough for a cohort's longest names on
# screen, and cheap for 50,000 students.
MEASURED_ROWS = 200


def fit_columns(table: QTableView) -> None:
    """Widths from the column specs, widened to the header's text and to the texts of the first
    rows shown, so neither is cut (the mbo's SLB'er and Opleiding were); never measured from
    20,000 rows of content. In a table whose rows hold several lines, a text longer than its
    column's own width wraps there instead of widening it. The stretching column takes what is
    left, but never less than its own width: the table scrolls sideways before it cuts."""
    shown = table.model()
    model = records_of(table)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    char = metrics.averageCharWidth()
    lines = row_lines(table)
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
            header.setStretchLastSection(n == len(model.columns) - 1)
            continue
        texts = {str(shown.index(row, n).data() or "") for row in range(rows)}
        extra = CELL_PADDING + (icon + 6 if column.decoration is not None else 0)
        needed = max((text_width(metrics, t, own - extra, lines) for t in texts), default=0)
        header.resizeSection(n, max(own, needed + extra, header_width))


CELL_PADDING = 16


def records_of(table: QTableView) -> RecordTableModel:
    """The record model under a table's sorting and filtering proxies."""
    model = table.model()
    while isinstance(model, QSortFilterProxyModel):
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
    if lines == 1 or single <= room:
        return single
    flags = int(Qt.TextFlag.TextWordWrap)
    longest_word = max(metrics.horizontalAdvance(word) for word in text.split())
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
) -> QTableView:
    """A read-only list of records as every list in Uitstroom shows one: whole rows selected,
    Tab leaves the table and the arrows move inside it, fixed row heights (measuring thousands
    of rows for their contents is slow) and column widths from the column specs. `lines`: rows
    of that many lines, where a long text wraps instead of being cut."""
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
    fit_columns(table)
    return table


class CohortProxy(QSortFilterProxyModel):
    """Search and filters as a set lookup; sorting is forwarded to the source model."""

    def __init__(self, source: CohortModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.setSourceModel(source)

    @property
    def cohort(self) -> CohortModel:
        return self._source

    def set_filter(self, wanted: CohortFilter) -> None:
        """One layout change, in which the proxy reads the new set and keeps the selected rows
        that stay. Filtering row by row (beginFilterChange) tells the view about every run of
        rows that comes or goes: back from a search that left 12,500 of 50,000 rows scattered
        through the list took 180 ms of signals."""
        if wanted == self._source.filter:
            return
        self._source.apply_filter(wanted)
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return source_row in self._source.accepted

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def summary_at(self, row: int) -> PupilSummary:
        return self.data(self.index(row, 0), ROW_ROLE)

    def visible_names(self) -> list[str]:
        return [self.summary_at(row).name for row in range(self.rowCount())]
