"""The layout of the figures workbooks, as data: which tabs, which rows, which words.

Two reports leave the school as a spreadsheet of counts without names: where a cohort's
leavers are after school (nazorg) and why mbo students left (the exit interviews). Both open
with a tab that says in plain words what is on the others, and every table hides small numbers
the same way (domain.small_numbers). services.spreadsheet writes these sheets to a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from uitstroom.domain.exit import ExitFigures
from uitstroom.domain.nazorg import (
    NOT_REACHED,
    CallStatus,
    Destination,
    Outcomes,
    moment_impossible,
)
from uitstroom.domain.small_numbers import (
    HOW_SMALL_NUMBERS_ARE_HIDDEN,
    hide_small_numbers,
    hide_small_total,
    no_impossible,
)


@dataclass
class Sheet:
    """One tab: its rows, the column widths by letter, and how many top rows are bold."""

    title: str
    rows: list[list[object]] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    bold_rows: int = 0

    def append(self, row: Sequence[object]) -> None:
        self.rows.append(list(row))


def explanation_sheet(lines: Sequence[str], **values: object) -> Sheet:
    """The first tab, 'Uitleg': one line of text per row, {names} filled in."""
    sheet = Sheet("Uitleg", widths={"A": 110}, bold_rows=1)
    for line in lines:
        sheet.append([line.format(**values)])
    return sheet


def counts_sheet(
    title: str,
    header: str,
    rows: Sequence[tuple[str, Mapping[str, int]]],
    first_width: float,
    columns_add_up: bool = True,
    impossible: Callable[[str, str], bool] = no_impossible,
    order: Callable[[str], tuple[int, str]] = lambda key: (0, key),
    empty: str = "",
) -> Sheet:
    """A table of counts, one row per name and one column per key, small numbers hidden and
    said so under the table. `empty`: the line shown when there are no rows at all."""
    page = Sheet(title, widths={"A": first_width}, bold_rows=1)
    if not rows and empty:
        page.append([empty])
        return page
    columns = sorted({key for _, counts in rows for key in counts}, key=order)
    page.append([header, *columns])
    shown = hide_small_numbers(
        dict(rows), columns, columns_add_up=columns_add_up, impossible=impossible
    )
    for name, _ in rows:
        page.append([name, *(shown[name][key] for key in columns)])
    page.append([])
    page.append([HOW_SMALL_NUMBERS_ARE_HIDDEN])
    return page


# --- where a cohort's leavers are (nazorg) ---------------------------------------------------

MOMENT_NAMES = {0: "Bij vertrek", 6: "Na 6 maanden", 12: "Na 12 maanden", 24: "Na 24 maanden"}
OUTCOMES_EXPLANATION = (
    "Wat staat hier?",
    "",
    "Cijfers over waar oud-leerlingen van cohort {cohort} zijn na school, gemaakt op {today}.",
    "Er staan geen namen en geen leerlingnummers in: alleen aantallen.",
    "",
    "Bestemming: waar de leerlingen naartoe gingen bij vertrek, en wat een gesprek rond 6, 12 "
    "en 24 maanden na vertrek vond (binnen twee maanden van dat moment). "
    f"'{NOT_REACHED}': er was rond dat moment geen gesprek waarin iemand bereikt werd. "
    "Een moment dat nog niet gekomen is, telt niet mee.",
    "Bereikt: hoeveel oud-leerlingen rond elk moment bereikt zijn.",
    "Bestendiging: hoeveel er na 12 maanden nog op dezelfde plek zijn als bij vertrek, van "
    "wie dat bekend is.",
    "Gepland en werkelijk: de route in het laatste schooljaar naast de echte bestemming.",
    "",
    f"Kleine aantallen: {HOW_SMALL_NUMBERS_ARE_HIDDEN}",
)
NOT_YET = "Nog geen cijfers: dit moment is voor deze oud-leerlingen nog niet gekomen."


def outcomes_workbook(cohort_label: str, figures: Outcomes, today: date) -> list[Sheet]:
    def table(
        title: str,
        header: str,
        rows: Sequence[tuple[str, Mapping[str, int]]],
        by_moment: bool = False,
    ) -> Sheet:
        """by_moment: the rows are the same leavers at different moments, so a column's total
        means nothing; and no one is 'niet bereikt' (or 'uit beeld') at leaving."""
        return counts_sheet(
            title,
            header,
            rows,
            first_width=28,
            columns_add_up=not by_moment,
            impossible=moment_impossible(MOMENT_NAMES[0]) if by_moment else no_impossible,
            order=_column_order,
            empty=NOT_YET,
        )

    due_12 = figures.due.get(12, 0)
    return [
        explanation_sheet(
            OUTCOMES_EXPLANATION, cohort=cohort_label, today=today.strftime("%d-%m-%Y")
        ),
        table(
            "Bestemming",
            "Moment",
            [(MOMENT_NAMES[m], figures.at[m]) for m in sorted(figures.at) if figures.due[m]],
            by_moment=True,
        ),
        table(
            "Bereikt",
            "Moment",
            [
                (
                    MOMENT_NAMES[m],
                    {
                        "Bereikt": figures.reached[m],
                        NOT_REACHED: figures.due[m] - figures.reached[m],
                    },
                )
                for m in sorted(figures.due)
                if m and figures.due[m]
            ],
            by_moment=True,
        ),
        table(
            "Bestendiging",
            "Na 12 maanden",
            [
                (
                    "Oud-leerlingen",
                    {
                        "Zelfde plek": figures.lasting,
                        "Andere plek": figures.lasting_known - figures.lasting,
                        "Niet bekend": due_12 - figures.lasting_known,
                    },
                )
            ]
            if due_12
            else [],
        ),
        table(
            "Gepland en werkelijk",
            "Route in het laatste jaar",
            sorted(figures.planned_vs_actual.items()),
        ),
    ]


def _column_order(key: str) -> tuple[int, str]:
    order = {s.label: n for n, s in enumerate(CallStatus)} | {
        d.label: n for n, d in enumerate(Destination)
    }
    return (order.get(key, len(order) + (key == NOT_REACHED)), key)


# --- why mbo students left (exit interviews) -------------------------------------------------

EXIT_EXPLANATION = (
    "Wat staat hier?",
    "",
    "Cijfers over de exitgesprekken van schooljaar {year}, gemaakt op {today}.",
    "Alleen afgeronde gesprekken tellen mee; het schooljaar is dat van de datum van het gesprek.",
    "Er staan geen namen en geen studentnummers in: alleen aantallen.",
    "",
    "Reden: waarom de student de school verliet. 'Gestopt zonder diploma' staat uitgesplitst "
    "naar de reden die de school daarvoor gebruikt.",
    "Vervolg: wat de student na school ging doen, zoals in het gesprek verteld.",
    "Per opleiding en per niveau: de opleiding en het niveau van de student bij vertrek.",
    "",
    f"Kleine aantallen: {HOW_SMALL_NUMBERS_ARE_HIDDEN}",
    "Aantal gesprekken in dit schooljaar: {count}.",
)


def exit_figures_workbook(figures: ExitFigures, today: date) -> list[Sheet]:
    def table(title: str, header: str, rows: Mapping[str, Mapping[str, int]]) -> Sheet:
        # A reason's total over all opleidingen is in the table per niveau: columns count too.
        return counts_sheet(title, header, list(rows.items()), first_width=36)

    return [
        explanation_sheet(
            EXIT_EXPLANATION,
            year=figures.year,
            today=today.strftime("%d-%m-%Y"),
            count=hide_small_total(figures.interviews),
        ),
        table("Reden per opleiding", "Opleiding", figures.by_opleiding),
        table("Vervolg per opleiding", "Opleiding", figures.next_by_opleiding),
        table("Reden per niveau", "Niveau", figures.by_niveau),
        table("Vervolg per niveau", "Niveau", figures.next_by_niveau),
    ]
