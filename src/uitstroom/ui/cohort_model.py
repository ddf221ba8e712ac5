"""Table models: one generic model for lists of frozen records, and the cohort on top of it.

Columns are small specs instead of if/elif chains. Sorting happens here, in Python, on keys
computed once per sort: sorting through QSortFilterProxyModel would call data() n·log n times,
too slow for 20,000 pupils. Searching and filtering is a set of accepted rows, computed in one
comprehension over precomputed search strings; the proxy only asks `row in accepted`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from uitstroom.domain.checklist import Status
from uitstroom.domain.enums import Niveau, Route, SchoolType
from uitstroom.domain.model import Pupil, PupilSummary
from uitstroom.services.speed import collector_paused
from uitstroom.ui.record_table import (
    ROOT,
    ROW_ROLE,
    Column,
    Index,
    RecordTableModel,
    fold,
    fold_all,
    natural_key,
    sorted_order,
)
from uitstroom.ui.status import marker_icon, text_colour
from uitstroom.ui.words import cap, words_for

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
class Choices:
    """What the filters offer: each klas, profiel and mentor once, in the order the lists show
    them."""

    klassen: list[str]
    profielen: list[str]
    mentors: list[str]

    @classmethod
    def of(cls, rows: Sequence[PupilSummary]) -> Choices:
        return cls(
            sorted({row.klas for row in rows}, key=natural_key),
            sorted({row.profiel_label for row in rows if row.profiel_label}, key=str.casefold),
            sorted({row.mentor for row in rows}, key=natural_key),
        )


@dataclass(frozen=True)
class ListOrder:
    """The order a list is in, as a thread can make it: the column's spec (pure functions of a
    row) with its place and direction."""

    index: int
    column: Column
    order: Qt.SortOrder


@dataclass(frozen=True)
class ReadRows:
    """Pupils as read, with what needs nothing of the list but the rows: their search texts,
    the filters' choices and, when `ListOrder` is given, their order. A thread that reads the
    pupils makes these too: with 100,000 pupils they held the window still for half a second
    after it appeared (issue 17). `CohortModel.take` uses them."""

    rows: list[PupilSummary]
    search: list[str]
    choices: Choices
    # The order the rows are in; None: as read.
    order: ListOrder | None = None

    @classmethod
    def of(cls, rows: Sequence[PupilSummary], order: ListOrder | None = None) -> ReadRows:
        # A key and a text per pupil: with the collector running, its full passes over every
        # object held the window still for a quarter of a second at 100,000 pupils.
        with collector_paused():
            listed = list(rows)
            if order is not None:
                listed = [listed[i] for i in sorted_order(order.column, listed, order.order)]
            return cls(listed, search_texts(listed), Choices.of(listed), order)


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
        # What a read brought along (`take`), while its rows are set.
        self._given: ReadRows | None = None
        # The filters' choices; None until asked after a change.
        self._choices: Choices | None = None
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

    def choices(self) -> Choices:
        if self._choices is None:
            self._choices = Choices.of(self._rows)
        return self._choices

    def klassen(self) -> list[str]:
        return self.choices().klassen

    def profielen(self) -> list[str]:
        return self.choices().profielen

    def order_to_share(self) -> ListOrder | None:
        """The list's order for a thread that reads the rows (`ReadRows.of`); None when the list
        is sorted on a status, which only this model holds."""
        if self._sort is None:
            return None
        index, order = self._sort
        column = self._columns[index]
        return None if column.header in STATUS_HEADERS else ListOrder(index, column, order)

    # --- changes -------------------------------------------------------------------------
    def upsert(self, summary: PupilSummary) -> None:
        """Show a pupil just saved: replace its row or add it, then keep the current order."""
        row = self._row_of_id.get(summary.id)
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(ROOT, row, row)
            self._rows.append(summary)
            self._search.append(search_text(summary))
            self._row_of_id[summary.id] = row
            self._active = None
            self._choices = None
            self.accepted = self._matching(self._filter)
            self.endInsertRows()
        else:
            self._rows[row] = summary
            self._search[row] = search_text(summary)
            self._active = None
            self._choices = None
            self.accepted = self._matching(self._filter)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))
        if self._sort is not None:
            self._in_order = False
            self.sort(*self._sort)

    def take(self, read: ReadRows) -> None:
        """set_rows() with what was made where the rows were read; not sorted again when they
        come in this list's order (a header clicked meanwhile sorts them here)."""
        self._given = read
        try:
            # The same column (not another at its place since a change of school type), the
            # same direction: ListOrder compares its column spec as the object it is.
            in_order = read.order is not None and read.order == self.order_to_share()
            self.set_rows(read.rows, in_order=in_order)
        finally:
            self._given = None

    def _rows_replaced(self) -> None:
        given = self._given
        self._search = given.search if given is not None else search_texts(self._rows)
        self._choices = given.choices if given is not None else None
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


class CohortProxy(QAbstractProxyModel):
    """The rows the cohort model accepts, in the model's own order; sorting is the model's.

    Not a QSortFilterProxyModel: that one asks filterAcceptsRow of every row at every change,
    a call from C++ into Python per row, about 20 ms a keystroke at 20,000 pupils whatever was
    typed (issue 17). Here a change of filter is one sorted list of the accepted rows, made in
    Python at once, and one layout change in which the selected rows that stay keep their
    place in the selection."""

    def __init__(self, source: CohortModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        # The source rows shown, ascending (the proxy keeps the source's order).
        self._shown: list[int] = sorted(source.accepted)
        self._held: list[tuple[QModelIndex, QPersistentModelIndex]] = []
        self.setSourceModel(source)
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._reset)
        source.layoutAboutToBeChanged.connect(self._layout_about_to_change)
        source.layoutChanged.connect(self._layout_changed)
        source.rowsAboutToBeInserted.connect(self._layout_about_to_change)
        source.rowsInserted.connect(self._layout_changed)
        source.dataChanged.connect(self._data_changed)
        source.headerDataChanged.connect(self.headerDataChanged)

    @property
    def cohort(self) -> CohortModel:
        return self._source

    def set_filter(self, wanted: CohortFilter) -> None:
        if wanted == self._source.filter:
            return
        self._layout_about_to_change()
        self._source.apply_filter(wanted)
        self._layout_changed()

    # --- following the source ------------------------------------------------------------
    def _reset(self) -> None:
        self._shown = sorted(self._source.accepted)
        self.endResetModel()

    def _layout_about_to_change(self, *_args: object) -> None:
        self.layoutAboutToBeChanged.emit()
        # Each index the view holds (current row, selection), as the source row it shows: the
        # source keeps its own persistent indexes right through a sort.
        self._held = [
            (index, QPersistentModelIndex(self.mapToSource(index)))
            for index in self.persistentIndexList()
        ]

    def _layout_changed(self, *_args: object) -> None:
        self._shown = sorted(self._source.accepted)
        before = [index for index, _source in self._held]
        after = [self.mapFromSource(source) for _index, source in self._held]
        self._held = []
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _data_changed(self, first: Index, last: Index, roles: Sequence[int] = ()) -> None:
        if self._shown != sorted(self._source.accepted):  # a saved row left or joined the filter
            self._layout_about_to_change()
            self._layout_changed()
            return
        top = bisect_left(self._shown, first.row())
        bottom = bisect_right(self._shown, last.row()) - 1
        if top <= bottom:
            self.dataChanged.emit(
                self.index(top, first.column()), self.index(bottom, last.column()), roles
            )

    # --- the proxy's shape ---------------------------------------------------------------
    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else self._source.columnCount()

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._shown)):
            return QModelIndex()
        if not 0 <= column < self._source.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and bool(self._shown)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._shown):
            return QModelIndex()
        return self._source.index(self._shown[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        place = bisect_left(self._shown, row)
        if place == len(self._shown) or self._shown[place] != row:
            return QModelIndex()
        return self.createIndex(place, source_index.column())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def summary_at(self, row: int) -> PupilSummary:
        return self.data(self.index(row, 0), ROW_ROLE)

    def visible_names(self) -> list[str]:
        return [self.summary_at(row).name for row in range(self.rowCount())]
