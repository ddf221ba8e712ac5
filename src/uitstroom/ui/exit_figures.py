"""Cijfers exitgesprekken: why students left and what they do next, for one school year, per
opleiding or per niveau.

A large mbo school has a hundred opleidingen; a chart with a hundred bars says nothing. The
charts show the opleidingen with the most interviews and put the rest together under
'Overige opleidingen'; the tables list every one. As in the nazorg figures, every count in a
table (and in the sentences) below 5 shows as '<5', so what is copied from the screen is as safe
to share as the Excel export.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QHorizontalPercentBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QMessageBox,
    QStyle,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.enums import Niveau
from uitstroom.domain.exit import ExitFigures, LeavingReason, NextStep
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.domain.small_numbers import HOW_SMALL_NUMBERS_ARE_HIDDEN, SMALL, SMALL_NUMBER
from uitstroom.services.errors import ServiceError
from uitstroom.ui.figures_frame import FiguresDialog
from uitstroom.ui.forms import problems_of
from uitstroom.ui.outcomes_view import (
    chart_view,
    explanation,
    figure_table,
    plural,
)
from uitstroom.ui.record_table import natural_key

if TYPE_CHECKING:
    from uitstroom.services.exit import ExitService

YEARS_BACK = 5  # the budgets speak of five years of students
TOP_OPLEIDINGEN = 8
OTHERS = "Overige opleidingen"
OTHER_NIVEAUS = "Overige niveaus"
DROPOUT_PREFIX = f"{LeavingReason.UITVAL.label}: "
BY_OPLEIDING = "opleiding"
BY_NIVEAU = "niveau"

REASON_COLOURS = {
    LeavingReason.DIPLOMA.label: "#2e7d32",
    LeavingReason.OVERSTAP.label: "#1565c0",
    LeavingReason.UITVAL.label: "#b71c1c",
}
# Stopping without a diploma in warm colours, one per reason, in the school's list order.
DROPOUT_COLOURS = (
    "#e65100",
    "#f9a825",
    "#c62828",
    "#8d6e63",
    "#ad1457",
    "#6a1b9a",
    "#ff8a65",
    "#4e342e",
    "#00838f",
    "#c0ca33",
)
OTHER_REASON = "Anders"  # the catch-all reason: grey, like 'Onbekend'

NEXT_COLOURS = {
    NextStep.WERK.label: "#2e7d32",
    NextStep.OPLEIDING.label: "#1565c0",
    NextStep.NOG_NIETS.label: "#e65100",
    NextStep.ONBEKEND.label: "#9e9e9e",
}
NEXT_ORDER = [step.label for step in NextStep]
NIVEAU_ORDER = [niveau.label for niveau in Niveau]


# --- numbers and words ------------------------------------------------------------------------
def amount(count: int) -> str:
    """A count for a sentence: small numbers are not written out, as in the tables."""
    return "minder dan 5" if 0 < count < SMALL_NUMBER else str(count)


def short_reason(label: str) -> str:
    """'Gestopt zonder diploma: Gezondheid' -> 'Uitval: Gezondheid', to keep legends narrow."""
    if label.startswith(DROPOUT_PREFIX):
        return "Uitval: " + label.removeprefix(DROPOUT_PREFIX)
    return label


def header_text(label: str) -> str:
    """A column header over lines of at most 14 characters (a long word stays whole), so the columns stay narrow."""
    return "\n".join(textwrap.wrap(label, 14, break_long_words=False)) or label


def leaving_kind(label: str) -> str:
    """'Gestopt zonder diploma: Gezondheid' -> 'Gestopt zonder diploma'."""
    return LeavingReason.UITVAL.label if label.startswith(DROPOUT_PREFIX) else label


def by_kind(counts: Mapping[str, int]) -> dict[str, int]:
    """Reason label -> count, with every reason for stopping without a diploma added up."""
    kinds: dict[str, int] = {}
    for label, count in counts.items():
        kind = leaving_kind(label)
        kinds[kind] = kinds.get(kind, 0) + count
    return kinds


def totals(groups: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """Label -> count over every group."""
    summed: dict[str, int] = {}
    for counts in groups.values():
        for label, count in counts.items():
            summed[label] = summed.get(label, 0) + count
    return summed


def reason_order(labels: Sequence[str] | set[str], dropout_reasons: Sequence[str]) -> list[str]:
    """Diploma, overstap, then stopping without a diploma in the school's own order."""
    first = [LeavingReason.DIPLOMA.label, LeavingReason.OVERSTAP.label]
    dropouts = [DROPOUT_PREFIX + reason for reason in dropout_reasons]
    known = [label for label in [*first, *dropouts] if label in labels]
    rest = sorted(label for label in labels if label not in known)
    return known + rest


def next_order(labels: Sequence[str] | set[str]) -> list[str]:
    return [label for label in NEXT_ORDER if label in labels] + sorted(
        label for label in labels if label not in NEXT_ORDER
    )


def group_order(groups: Mapping[str, Mapping[str, int]], by: str) -> list[str]:
    """Niveaus from entree up; opleidingen with the most interviews first."""
    if by == BY_NIVEAU:
        known = [label for label in NIVEAU_ORDER if label in groups]
        return known + sorted(label for label in groups if label not in NIVEAU_ORDER)
    return sorted(groups, key=lambda name: (-sum(groups[name].values()), name.casefold()))


@dataclass(frozen=True)
class Bars:
    """What a chart shows: at most `TOP_OPLEIDINGEN` groups of at least 5 students each, and
    the rest together when that makes 5 or more. A bar of fewer than 5 would show, in its
    colours, what one recognisable student did."""

    by: str
    shown: dict[str, dict[str, int]]
    grouped: int = 0  # groups added up under 'Overige …'
    left_out: int = 0  # groups too small even together: in the tables only

    @property
    def others(self) -> str:
        return OTHERS if self.by == BY_OPLEIDING else OTHER_NIVEAUS


def top_groups(
    groups: Mapping[str, Mapping[str, int]], by: str, top: int = TOP_OPLEIDINGEN
) -> Bars:
    order = group_order(groups, by)
    big = [name for name in order if sum(groups[name].values()) >= SMALL_NUMBER]
    kept = big[:top] if by == BY_OPLEIDING else big
    # One group over the limit gets its own bar rather than an 'Overige' of one.
    rest = [name for name in order if name not in kept]
    if len(rest) == 1 and rest[0] in big:
        kept, rest = kept + rest, []
    shown = {name: dict(groups[name]) for name in kept}
    if not rest:
        return Bars(by, shown)
    together = totals({name: groups[name] for name in rest})
    if sum(together.values()) < SMALL_NUMBER:
        return Bars(by, shown, left_out=len(rest))
    bars = Bars(by, shown, grouped=len(rest))
    shown[bars.others] = together
    return bars


def reasons_sentence(figures: ExitFigures, bars: Bars) -> str:
    by = bars.by
    groups = figures.by_opleiding if by == BY_OPLEIDING else figures.by_niveau
    counts = totals(groups)
    diploma = counts.get(LeavingReason.DIPLOMA.label, 0)
    overstap = counts.get(LeavingReason.OVERSTAP.label, 0)
    dropouts = {
        label.removeprefix(DROPOUT_PREFIX): count
        for label, count in counts.items()
        if label == LeavingReason.UITVAL.label or label.startswith(DROPOUT_PREFIX)
    }
    stopped = sum(dropouts.values())
    parts = [
        f"In {figures.year} zijn {plural(figures.interviews, 'exitgesprek', 'exitgesprekken')} "
        f"afgerond. {amount(diploma).capitalize()} studenten gingen met een diploma van school, "  # plural-ok: amount() is 0, 5+ or 'minder dan 5'
        f"{amount(overstap)} stapten over naar een andere opleiding en {amount(stopped)} stopten "
        "zonder diploma."
    ]
    if stopped:
        reason, most = max(dropouts.items(), key=lambda item: (item[1], item[0]))
        if reason != LeavingReason.UITVAL.label and most >= SMALL_NUMBER:
            parts.append(f"De reden die het vaakst genoemd werd bij stoppen: ‘{reason}’ ({most}).")
    where = _most_per_group(groups, lambda label: label.startswith(DROPOUT_PREFIX), by)
    if where:
        parts.append(f"De meeste studenten zonder diploma kwamen van {where}.")
    parts += _bars_note(bars)
    return " ".join(parts)


def next_sentence(figures: ExitFigures, bars: Bars) -> str:
    by = bars.by
    groups = figures.next_by_opleiding if by == BY_OPLEIDING else figures.next_by_niveau
    counts = totals(groups)
    work = counts.get(NextStep.WERK.label, 0)
    study = counts.get(NextStep.OPLEIDING.label, 0)
    nothing = counts.get(NextStep.NOG_NIETS.label, 0)
    unknown = counts.get(NextStep.ONBEKEND.label, 0)
    parts = [
        f"Na school gaan {amount(work)} studenten aan het werk en {amount(study)} naar een "  # plural-ok
        f"andere opleiding. {amount(nothing).capitalize()} hebben nog niets en van "
        f"{amount(unknown)} is het onbekend."
    ]
    if nothing + unknown:
        parts.append(
            "Wie nog niets heeft of van wie het onbekend is, krijgt een warme overdracht naar "
            "het Doorstroompunt of de gemeente."
        )
    labels = {NextStep.NOG_NIETS.label, NextStep.ONBEKEND.label}
    where = _most_per_group(groups, lambda label: label in labels, by)
    if where:
        parts.append(f"De meeste studenten zonder volgende stap kwamen van {where}.")
    parts += _bars_note(bars)
    return " ".join(parts)


def _most_per_group(
    groups: Mapping[str, Mapping[str, int]], counts_for: Callable[[str], bool], by: str
) -> str:
    """'Kok (12)': the group with the most students that `counts_for` picks, if at least 5."""
    best = ""
    best_count = 0
    for name in group_order(groups, by):
        count = sum(n for label, n in groups[name].items() if counts_for(label))
        if count > best_count:
            best, best_count = name, count
    if best_count < SMALL_NUMBER:
        return ""
    return f"{best[0].lower() + best[1:] if by == BY_NIVEAU else best}: {best_count}"


def _bars_note(bars: Bars) -> list[str]:
    groups = "opleidingen" if bars.by == BY_OPLEIDING else "niveaus"
    notes = []
    if bars.grouped:
        most = (
            f"de {len(bars.shown) - 1} opleidingen met de meeste gesprekken"
            if bars.by == BY_OPLEIDING
            else "de niveaus met 5 of meer gesprekken"
        )
        notes.append(
            f"De grafiek toont {most}; de {bars.grouped} andere {groups} staan samen onder "
            f"‘{bars.others}’."
        )
    if bars.left_out:
        notes.append(
            f"{bars.left_out} {groups} met samen minder dan 5 gesprekken hebben geen balk, "
            "zodat niemand te herkennen is."
        )
    if notes:
        notes.append(f"In de tabellen staan alle {groups}.")
    return notes


def chart_note() -> str:
    return (
        "Elke balk is 100% van de studenten van die opleiding of dat niveau; het aantal staat "
        "achter de naam."
    )


# --- charts -----------------------------------------------------------------------------------
def group_label(name: str, counts: Mapping[str, int]) -> str:
    """'Kok (128)': a bar's name with how many students it stands for; a small group as '<5'."""
    total = sum(counts.values())
    # Chart labels are rich text: a bare '<' would start a tag and cut the label off.
    shown = str(total) if total >= SMALL_NUMBER else html.escape(SMALL)
    return f"{html.escape(name)} ({shown})"


def figures_chart(
    title: str,
    groups: Mapping[str, Mapping[str, int]],
    labels: Sequence[str],
    colours: Mapping[str, str],
    short: bool = False,
) -> QChart:
    """One horizontal bar per opleiding or niveau, each split into the share of every label.
    Shares, not counts: 'Overige opleidingen' adds up to more students than any one opleiding
    and would squeeze the others into slivers; the count stands in each bar's name."""
    names = list(reversed(list(groups)))  # a horizontal chart draws its first category lowest
    series = QHorizontalPercentBarSeries()
    for label in labels:
        bar = QBarSet(short_reason(label) if short else label)
        bar.append([float(groups[name].get(label, 0)) for name in names])
        bar.setColor(QColor(colours.get(label, "#9e9e9e")))
        bar.setBorderColor(QColor("white"))
        series.append(bar)
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([group_label(name, groups[name]) for name in names])
    shares = QValueAxis()
    shares.setRange(0, 100)
    shares.setTickCount(6)
    shares.setLabelFormat("%d%%")
    shares.setTitleText("deel van de studenten")
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(shares, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(shares)
    return chart


def reason_colours(labels: Sequence[str]) -> dict[str, str]:
    colours = dict(REASON_COLOURS)
    colours[DROPOUT_PREFIX + OTHER_REASON] = "#9e9e9e"
    dropouts = [label for label in labels if label not in colours]
    for n, label in enumerate(dropouts):
        colours[label] = DROPOUT_COLOURS[n % len(DROPOUT_COLOURS)]
    return colours


def chart_height(groups: int) -> int:
    """Room for each bar and its label, and for a legend of a dozen reasons."""
    return max(300, 90 + 34 * groups)


# --- tables -----------------------------------------------------------------------------------
NAME_COLUMN_WIDTH = 230


def narrow_table(
    title: str, columns: Sequence[str], rows: Sequence[tuple[str, Mapping[str, int]]]
) -> QWidget:
    """figure_table with headers over several lines, the reason without 'Gestopt zonder
    diploma: ' (the title says it), and a name column that gives up its excess: a long
    opleiding is cut off with '…' and shows whole as a tooltip."""
    headers = {label: header_text(label.removeprefix(DROPOUT_PREFIX)) for label in columns}
    box = figure_table(
        title,
        [headers[label] for label in columns],
        [(name, {headers.get(k, k): v for k, v in counts.items()}) for name, counts in rows],
    )
    table = box.findChild(QTableWidget, "figures")
    assert table is not None
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None:
            item.setToolTip(item.text())
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(0, min(NAME_COLUMN_WIDTH, table.sizeHintForColumn(0) + 12))
    # A school with many reasons gets a sideways scroll bar under the table; room for it, so
    # it never covers the last row.
    table.setFixedHeight(
        table.height() + table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    )
    # No wider than its columns: a narrow table does not stand in a wide empty box.
    width = sum(table.columnWidth(c) for c in range(table.columnCount()))
    table.setMaximumWidth(width + 2 * table.frameWidth() + 2)
    return box


# --- the dialog -------------------------------------------------------------------------------
class ExitFiguresDialog(FiguresDialog):
    def __init__(
        self,
        exit_service: ExitService,
        today: date,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__("Cijfers exitgesprekken", 1080, 800, folder, parent)
        self._service = exit_service
        self._today = today
        self.figures: ExitFigures | None = None
        current = SchoolYear.of(today).start_year
        years = [SchoolYear(start).label for start in range(current, current - YEARS_BACK, -1)]
        self.year = self.choice("&Schooljaar", "year", [(f"Schooljaar {y}", y) for y in years])
        self.split = self.choice(
            "&Indelen", "split", [("Per opleiding", BY_OPLEIDING), ("Per niveau", BY_NIVEAU)]
        )
        self.finish_frame(
            "Zonder namen; kleine aantallen zijn verborgen, zoals in de tabellen. Voor de "
            "Inspectie, de gemeente en het regionale programma."
        )

        self.year.currentIndexChanged.connect(self.show_year)
        self.split.currentIndexChanged.connect(self.show_figures)
        self.show_year()

    def show_year(self) -> None:
        year = self.year.currentData()
        try:
            self.figures = self._service.figures(year)
        except ServiceError as exc:
            QMessageBox.warning(self, "Cijfers exitgesprekken", "\n".join(problems_of(exc)))
            self.figures = None
        self.show_figures()

    def show_figures(self) -> None:
        figures = self.figures
        has = figures is not None and figures.interviews > 0
        self.tabs.setVisible(has)
        self.export_button.setEnabled(has)
        self.empty.setVisible(not has)
        if figures is None or not has:
            self.count_label.setText("")
            self.empty.setText(
                f"In schooljaar {self.year.currentData()} is nog geen exitgesprek afgerond. "
                "Cijfers komen hier zodra een SLB’er een gesprek afrondt."
            )
            return
        by = self.split.currentData()
        self.count_label.setText(
            f"{plural(figures.interviews, 'afgerond exitgesprek', 'afgeronde exitgesprekken')}"
        )
        self.charts_page.setWidget(self._charts(figures, by))
        self.tables_page.setWidget(self._tables(figures, by))

    def _charts(self, figures: ExitFigures, by: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        reasons = figures.by_opleiding if by == BY_OPLEIDING else figures.by_niveau
        steps = figures.next_by_opleiding if by == BY_OPLEIDING else figures.next_by_niveau
        word = "opleiding" if by == BY_OPLEIDING else "niveau"
        dropout_reasons = self._service.dropout_reasons()
        layout.addWidget(explanation(chart_note(), page))

        reason_labels = reason_order(set(totals(reasons)), dropout_reasons)
        for title, groups, labels, colours, sentence in (
            (
                f"Reden van vertrek per {word}",
                reasons,
                reason_labels,
                reason_colours(reason_labels),
                reasons_sentence,
            ),
            (
                f"Wat studenten hierna doen, per {word}",
                steps,
                next_order(set(totals(steps))),
                NEXT_COLOURS,
                next_sentence,
            ),
        ):
            bars = top_groups(groups, by)
            if bars.shown:
                chart = figures_chart(title, bars.shown, labels, colours, short=True)
                view = chart_view(chart, page)
                view.setMinimumHeight(chart_height(len(bars.shown)))
                layout.addWidget(view)
            layout.addWidget(explanation(sentence(figures, bars), page))
        layout.addStretch(1)
        return page

    def _tables(self, figures: ExitFigures, by: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            explanation(
                "Dezelfde cijfers als in de grafieken, nu voor elke opleiding apart, zo dat "
                "geen student te herkennen is, ook niet als u de tabel deelt. "
                f"{HOW_SMALL_NUMBERS_ARE_HIDDEN}",
                page,
            )
        )
        reasons = figures.by_opleiding if by == BY_OPLEIDING else figures.by_niveau
        steps = figures.next_by_opleiding if by == BY_OPLEIDING else figures.next_by_niveau
        rows_word = "opleiding" if by == BY_OPLEIDING else "niveau"
        order = self._table_order(reasons, by)
        # Ten reasons side by side do not fit a window: first the three kinds of leaving,
        # then why students stopped without a diploma.
        kind_rows = [(name, by_kind(reasons[name])) for name in order]
        dropout_labels = [
            label
            for label in reason_order(set(totals(reasons)), self._service.dropout_reasons())
            if label not in (LeavingReason.DIPLOMA.label, LeavingReason.OVERSTAP.label)
        ]
        dropout_rows = [
            (name, {label: reasons[name].get(label, 0) for label in dropout_labels})
            for name in order
            if any(reasons[name].get(label, 0) for label in dropout_labels)
        ]
        for title, columns, rows in (
            (
                f"Reden van vertrek ({rows_word} in de rijen)",
                [label.label for label in LeavingReason],
                kind_rows,
            ),
            (
                f"Waarom gestopt zonder diploma ({rows_word} in de rijen)",
                dropout_labels,
                dropout_rows,
            ),
            (
                f"Wat studenten hierna doen ({rows_word} in de rijen)",
                next_order(set(totals(steps))),
                [(name, steps[name]) for name in self._table_order(steps, by)],
            ),
        ):
            layout.addWidget(narrow_table(title, columns, rows))
        layout.addStretch(1)
        return page

    @staticmethod
    def _table_order(groups: Mapping[str, Mapping[str, int]], by: str) -> list[str]:
        """Niveaus in their order; opleidingen alphabetically, to be found back in a long list."""
        if by == BY_NIVEAU:
            return group_order(groups, by)
        return sorted(groups, key=natural_key)

    def export(self) -> None:
        year = self.year.currentData()
        self.export_workbook(
            "Cijfers exporteren",
            f"exitgesprekken-{year}.xlsx",
            lambda target: self._service.export_figures(year, target),
            "Cijfers geëxporteerd",
        )
