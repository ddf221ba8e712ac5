"""Resultaten nazorg: where a cohort's leavers are at leaving and after 6, 12 and 24 months,
how many were reached, how many stayed in the same place (bestendiging), and the planned route
against the actual destination.

Charts for those who would rather look, each with a plain sentence under it; the same numbers
as tables for those who would rather read. The tables follow the export's small-number rule
(domain.small_numbers: no count below 5 shown or worked out), so what is copied from the screen
is as safe to share as the Excel file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.nazorg import (
    MOMENTS,
    NOT_REACHED,
    CallStatus,
    Destination,
    Outcomes,
    moment_impossible,
)
from uitstroom.domain.plural import counted
from uitstroom.domain.small_numbers import (
    HOW_SMALL_NUMBERS_ARE_HIDDEN,
    hide_small_numbers,
    hide_small_total,
    no_impossible,
)
from uitstroom.services.errors import ServiceError
from uitstroom.ui.call_dialog import day_text
from uitstroom.ui.figures_frame import FiguresDialog
from uitstroom.ui.forms import problems_of

if TYPE_CHECKING:
    from uitstroom.services.nazorg import NazorgService

MOMENT_NAMES = {0: "Bij uitstroom", 6: "Na 6 maanden", 12: "Na 12 maanden", 24: "Na 24 maanden"}
# One colour per status, the same in every chart: the places to be glad about in greens and
# blues, no school and no work in warm colours, unknown in grey.
STATUS_COLOURS = {
    CallStatus.WERK.label: "#2e7d32",
    CallStatus.MBO.label: "#1565c0",
    CallStatus.DAGBESTEDING.label: "#6a9fd4",
    CallStatus.BESCHUT_WERK.label: "#81c784",
    CallStatus.WERKZOEKEND_UITKERING.label: "#f9a825",
    CallStatus.WERKZOEKEND.label: "#fbc02d",
    CallStatus.THUIS.label: "#e65100",
    CallStatus.GEEN.label: "#d84315",
    CallStatus.UIT_BEELD.label: "#b71c1c",
    CallStatus.VERHUISD.label: "#8d6e63",
    CallStatus.ONBEKEND.label: "#9e9e9e",
    Destination.GEEN.label: "#d84315",
    NOT_REACHED: "#616161",
}
STATUS_ORDER = [*STATUS_COLOURS]
REACHED_COLOUR = "#2e7d32"
NOT_REACHED_COLOUR = "#bdbdbd"
CHART_HEIGHT = 300


def ordered(labels: Collection[str]) -> list[str]:
    known = [label for label in STATUS_ORDER if label in labels]
    return known + sorted(label for label in labels if label not in STATUS_ORDER)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def colour_for(label: str, fallback: int) -> QColor:
    spare = ("#5e35b1", "#00838f", "#ad1457", "#827717")
    return QColor(STATUS_COLOURS.get(label, spare[fallback % len(spare)]))


# --- texts ------------------------------------------------------------------------------------
def went_text(label: str, count: int) -> str:
    if label == Destination.ONBEKEND.label:
        return f"{count} met een onbekende bestemming"
    if label in (Destination.GEEN.label, CallStatus.GEEN.label):
        return f"{count} zonder bestemming"
    return f"{count} naar {label.lower()}"


def where_text(outcomes: Outcomes) -> str:
    if not outcomes.leavers:
        return ""
    parts = [
        f"Van de {plural(outcomes.leavers, 'jongere', 'jongeren')} in dit cohort ging bij "
        "uitstroom "
        + ", ".join(
            went_text(label, count)
            for label, count in sorted(outcomes.at.get(0, {}).items(), key=lambda p: -p[1])
        )
        + "."
    ]
    for months in MOMENTS[1:]:
        due = outcomes.due.get(months, 0)
        if not due:
            parts.append(
                f"Het moment na {counted(months, 'maand', 'maanden')} is nog voor niemand gekomen."
            )
            break
        at = outcomes.at[months]
        settled = sum(
            count
            for label, count in at.items()
            if label
            in (
                CallStatus.WERK.label,
                CallStatus.MBO.label,
                CallStatus.DAGBESTEDING.label,
                CallStatus.BESCHUT_WERK.label,
            )
        )
        parts.append(
            f"Na {counted(months, 'maand', 'maanden')}: van de {due} die zo ver zijn, hadden er {settled} werk, "
            f"school of dagbesteding; {at.get(NOT_REACHED, 0)} niet bereikt."
        )
    return " ".join(parts)


def reached_text(outcomes: Outcomes) -> str:
    parts = []
    for months in MOMENTS[1:]:
        due = outcomes.due.get(months, 0)
        if due:
            parts.append(
                f"na {counted(months, 'maand', 'maanden')} {outcomes.reached[months]} van de {due} bereikt"
            )
    if not parts:
        return "Nog geen enkele jongere is zes maanden van school: er valt nog niets te tellen."
    return (
        "Bereikt betekent: er was een gesprek binnen twee maanden van het moment. "
        + "; ".join(parts).capitalize()
        + "."
    )


def lasting_text(outcomes: Outcomes) -> str:
    if not outcomes.lasting_known:
        return (
            "Bestendiging: zit de jongere na een jaar nog op dezelfde plek als bij uitstroom? "
            "Dat is nog voor niemand bekend (het eerste jaar is nog niet om, of niemand is "
            "rond 12 maanden bereikt)."
        )
    moved = outcomes.lasting_known - outcomes.lasting
    return (
        f"Van de {counted(outcomes.lasting_known, 'jongere', 'jongeren')} die rond 12 maanden bereikt zijn, zitten er "
        f"{outcomes.lasting} nog op dezelfde plek als bij uitstroom en {moved} niet meer. "
        "Dat heet bestendiging."
    )


def planned_text(outcomes: Outcomes) -> str:
    if not outcomes.planned_vs_actual:
        return ""
    same = 0
    total = 0
    matches = {
        "Doorleren": Destination.MBO.label,
        "Route arbeid": Destination.WERK.label,
        "Dagbesteding": Destination.DAGBESTEDING.label,
    }
    for route, counts in outcomes.planned_vs_actual.items():
        total += sum(counts.values())
        same += counts.get(matches.get(route, ""), 0)
    return (
        f"Per route die op school gepland was: waar gingen ze echt heen? {same} van de {total} "
        "jongeren gingen naar de bestemming van hun route."
    )


# --- charts -----------------------------------------------------------------------------------
def chart_view(chart: QChart, parent: QWidget) -> QChartView:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.setMargins(QMargins(4, 4, 4, 4))
    title_font = QFont(chart.titleFont())
    title_font.setBold(True)
    title_font.setPointSizeF(max(title_font.pointSizeF(), 10.5))
    chart.setTitleFont(title_font)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(CHART_HEIGHT)
    return view


def count_axis(maximum: int) -> QValueAxis:
    """Whole numbers only: a step of 1, 2, 5, 10, 20, ... with at most six steps."""
    step = 1
    while maximum > step * 6:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = max(step, -(-maximum // step) * step)
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setLabelFormat("%d")
    axis.setTickCount(top // step + 1)
    axis.setTitleText("jongeren")
    return axis


def stacked_chart(
    title: str,
    categories: Sequence[str],
    rows: Mapping[str, Sequence[int]],
    colours: Callable[[str, int], QColor],
    horizontal: bool = False,
) -> QChart:
    """One bar per category, stacked by label; `rows` maps a label to a count per category."""
    series = QHorizontalStackedBarSeries() if horizontal else QStackedBarSeries()
    for n, (label, counts) in enumerate(rows.items()):
        bar = QBarSet(label)
        bar.append([float(c) for c in counts])
        bar.setColor(colours(label, n))
        bar.setBorderColor(QColor("white"))
        series.append(bar)
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(series)
    categories_axis = QBarCategoryAxis()
    categories_axis.append(list(categories))
    totals = [sum(counts[i] for counts in rows.values()) for i in range(len(categories))]
    values = count_axis(max(totals, default=0))
    if horizontal:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(categories_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories_axis)
    series.attachAxis(values)
    return chart


def where_chart(outcomes: Outcomes) -> QChart:
    moments = [m for m in MOMENTS if outcomes.due.get(m, 0)] or [0]
    labels = ordered({label for m in moments for label in outcomes.at.get(m, {})})
    rows = {label: [outcomes.at.get(m, {}).get(label, 0) for m in moments] for label in labels}
    return stacked_chart("Waar zijn ze?", [MOMENT_NAMES[m] for m in moments], rows, colour_for)


def reached_chart(outcomes: Outcomes) -> QChart:
    moments = [m for m in MOMENTS[1:] if outcomes.due.get(m, 0)] or [6]
    rows = {
        "Bereikt": [outcomes.reached.get(m, 0) for m in moments],
        "Niet bereikt": [outcomes.due.get(m, 0) - outcomes.reached.get(m, 0) for m in moments],
    }
    colours = {"Bereikt": REACHED_COLOUR, "Niet bereikt": NOT_REACHED_COLOUR}
    return stacked_chart(
        "Bereikt bij het nazorggesprek",
        [MOMENT_NAMES[m] for m in moments],
        rows,
        lambda label, _n: QColor(colours[label]),
    )


def lasting_rows(outcomes: Outcomes) -> dict[str, int]:
    return {
        "Nog op dezelfde plek": outcomes.lasting,
        "Niet meer op dezelfde plek": outcomes.lasting_known - outcomes.lasting,
        "Nog niet bekend": outcomes.leavers - outcomes.lasting_known,
    }


def lasting_chart(outcomes: Outcomes) -> QChart:
    colours = {
        "Nog op dezelfde plek": "#2e7d32",
        "Niet meer op dezelfde plek": "#e65100",
        "Nog niet bekend": "#bdbdbd",
    }
    rows = {label: [count] for label, count in lasting_rows(outcomes).items()}
    chart = stacked_chart(
        "Bestendiging: na 12 maanden nog op dezelfde plek?",
        ["Na 12 maanden"],
        rows,
        lambda label, _n: QColor(colours[label]),
        horizontal=True,
    )
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def planned_chart(outcomes: Outcomes) -> QChart:
    routes = sorted(outcomes.planned_vs_actual)
    labels = ordered({label for counts in outcomes.planned_vs_actual.values() for label in counts})
    rows = {
        label: [outcomes.planned_vs_actual[route].get(label, 0) for route in routes]
        for label in labels
    }
    return stacked_chart(
        "Geplande route en echte bestemming", routes or ["—"], rows, colour_for, horizontal=True
    )


# --- tables -----------------------------------------------------------------------------------
def figure_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Mapping[str, int]]],
    columns_add_up: bool = True,
    impossible: Callable[[str, str], bool] = no_impossible,
) -> QWidget:
    """A plain table through the small-number rule (domain.small_numbers), as in the Excel
    export: '<5', 'x' and '–' instead of what could point at someone."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 8, 0, 8)
    heading = QLabel(title, box)
    font = QFont(heading.font())
    font.setBold(True)
    heading.setFont(font)
    layout.addWidget(heading)
    table = QTableWidget(len(rows), len(columns) + 2, box)
    table.setObjectName("figures")
    table.setHorizontalHeaderLabels(["", *columns, "Totaal"])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    shown = hide_small_numbers(dict(rows), columns, columns_add_up, impossible)
    for r, (name, counts) in enumerate(rows):
        total = sum(counts.values())
        cells = [name, *(str(shown[name][c]) for c in columns), str(hide_small_total(total))]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = header.sizeHint().height() + sum(table.rowHeight(r) for r in range(len(rows))) + 4
    table.setFixedHeight(height)
    layout.addWidget(table)
    return box


def where_table(outcomes: Outcomes) -> QWidget:
    labels = ordered({label for counts in outcomes.at.values() for label in counts})
    rows = [(MOMENT_NAMES[m], outcomes.at.get(m, {})) for m in MOMENTS if outcomes.due.get(m, 0)]
    # The same leavers at each moment: a column's total means nothing.
    return figure_table("Waar zijn ze?", labels, rows, False, moment_impossible(MOMENT_NAMES[0]))


def reached_table(outcomes: Outcomes) -> QWidget:
    rows = [
        (
            MOMENT_NAMES[m],
            {
                "Bereikt": outcomes.reached.get(m, 0),
                "Niet bereikt": outcomes.due.get(m, 0) - outcomes.reached.get(m, 0),
            },
        )
        for m in MOMENTS[1:]
        if outcomes.due.get(m, 0)
    ]
    return figure_table("Bereikt", ["Bereikt", "Niet bereikt"], rows, columns_add_up=False)


def lasting_table(outcomes: Outcomes) -> QWidget:
    counts = lasting_rows(outcomes)
    return figure_table("Bestendiging", list(counts), [("Na 12 maanden", counts)])


def planned_table(outcomes: Outcomes) -> QWidget:
    labels = ordered({label for counts in outcomes.planned_vs_actual.values() for label in counts})
    rows = sorted(outcomes.planned_vs_actual.items())
    return figure_table("Geplande route (rijen) en echte bestemming (kolommen)", labels, rows)


def explanation(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("explanation")
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { color: #333; padding: 2px 4px 14px 4px; }")
    return label


# --- the dialog -------------------------------------------------------------------------------
class OutcomesDialog(FiguresDialog):
    def __init__(
        self,
        nazorg: NazorgService,
        today: date,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__("Resultaten nazorg", 940, 760, folder, parent)
        self._nazorg = nazorg
        self._today = today
        self.outcomes: Outcomes | None = None
        cohorts = [(f"Cohort {label}", label) for label in nazorg.cohorts_with_leavers()]
        self.cohort = self.choice("&Cohort", "cohort", cohorts)
        self.finish_frame(
            "Zonder namen; kleine aantallen zijn verborgen, zoals in de tabellen. Voor de "
            "Inspectie en het regionale programma.",
            "Er zijn nog geen uitgestroomde leerlingen. Leg eerst de uitstroom vast "
            "(Leerling → Uitstroom vastleggen…); daarna staan hier de resultaten.",
        )

        self.cohort.currentIndexChanged.connect(self.show_cohort)
        self.show_cohort()

    def show_cohort(self) -> None:
        label = self.cohort.currentData()
        has = label is not None
        self.tabs.setVisible(has)
        self.export_button.setEnabled(has)
        self.empty.setVisible(not has)
        if not has:
            self.count_label.setText("")
            return
        try:
            outcomes = self._nazorg.outcomes(label, self._today)
        except ServiceError as exc:
            QMessageBox.warning(self, "Resultaten nazorg", "\n".join(problems_of(exc)))
            return
        self.outcomes = outcomes
        self.count_label.setText(
            f"{plural(outcomes.leavers, 'uitgestroomde jongere', 'uitgestroomde jongeren')}, "
            f"stand op {day_text(self._today)}"
        )
        self.charts_page.setWidget(self._charts(outcomes))
        self.tables_page.setWidget(self._tables(outcomes))

    def _charts(self, outcomes: Outcomes) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        for chart, text in (
            (where_chart(outcomes), where_text(outcomes)),
            (reached_chart(outcomes), reached_text(outcomes)),
            (lasting_chart(outcomes), lasting_text(outcomes)),
            (planned_chart(outcomes), planned_text(outcomes)),
        ):
            layout.addWidget(chart_view(chart, page))
            layout.addWidget(explanation(text, page))
        layout.addStretch(1)
        return page

    def _tables(self, outcomes: Outcomes) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            explanation(
                "Dezelfde cijfers als in de grafieken, zo dat niemand te herkennen is, ook niet "
                f"als u de tabel deelt. {HOW_SMALL_NUMBERS_ARE_HIDDEN}",
                page,
            )
        )
        for table in (
            where_table(outcomes),
            reached_table(outcomes),
            lasting_table(outcomes),
            planned_table(outcomes),
        ):
            layout.addWidget(table)
        layout.addStretch(1)
        return page

    def export(self) -> None:
        label = self.cohort.currentData()
        if label is None:
            return
        self.export_workbook(
            "Resultaten exporteren",
            f"resultaten-nazorg-{label}.xlsx",
            lambda target: self._nazorg.export_outcomes(label, self._today, target),
            "Resultaten geëxporteerd",
        )
