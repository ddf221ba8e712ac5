"""Bestand › Cohort in cijfers…: the figures of one cohort on one screen, and one click to the
one-page PDF for the director or to a workbook with names for the school's own use."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from uitstroom.domain.figures import MONITOR_YEARS, CohortFigures
from uitstroom.services.errors import ServiceError
from uitstroom.services.figures import MONITOR_TITLES, CohortReport, FiguresService
from uitstroom.ui.forms import ChoiceEdit, problems_of
from uitstroom.ui.widgets import button_row


def _table(title: str, counts: Mapping[str, int], total: int) -> str:
    rows = (
        "".join(
            f"<tr><td>{escape(label)}</td><td align='right'>{count}</td>"
            f"<td align='right' style='color:#52606d'>"
            f"{round(100 * count / total) if total else 0}%</td></tr>"
            for label, count in counts.items()
        )
        or "<tr><td colspan='3' style='color:#52606d'>nog niets te tellen</td></tr>"
    )
    return (
        f"<h3>{escape(title)}</h3><table cellpadding='3' cellspacing='0' width='100%'>"
        f"{rows}</table>"
    )


def figures_html(figures: CohortFigures) -> str:
    """The figures as the screen shows them: the same blocks as the PDF."""
    registered = figures.registration
    blocks = [
        _table("Uitstroomprofiel", figures.by_profiel, figures.pupils),
        _table("Route na school", figures.by_route, figures.pupils),
        _table("Status checklist", figures.by_status, figures.pupils),
        _table(
            f"Doorleren: aangemeld uiterlijk {figures.deadline:%d-%m-%Y}",
            {
                "Op tijd": registered.on_time,
                "Te laat": registered.late,
                "Niet aangemeld": registered.not_registered,
            },
            registered.total,
        ),
        _table("Bestemming bij vertrek", figures.destinations, figures.leavers),
    ]
    labels: list[str] = []
    for years in MONITOR_YEARS:
        labels += [label for label in figures.monitor[years] if label not in labels]
    head = "".join(f"<th align='right'>{MONITOR_TITLES[y]}</th>" for y in MONITOR_YEARS)
    body = "".join(
        f"<tr><td>{escape(label)}</td>"
        + "".join(
            f"<td align='right'>{figures.monitor[y].get(label, 0) if figures.monitor[y] else 'nog niet'}</td>"
            for y in MONITOR_YEARS
        )
        + "</tr>"
        for label in labels
    )
    monitor = (
        "<h3>Sectormonitor: waar op de peildatum (1 november na vertrek)</h3>"
        f"<table cellpadding='3' cellspacing='0' width='100%'><tr><th align='left'></th>{head}</tr>"
        f"{body or '<tr><td>Nog geen oud-leerlingen.</td></tr>'}</table>"
    )
    pairs = [blocks[i : i + 2] for i in range(0, len(blocks), 2)]
    grid = "".join(
        "<tr>" + "".join(f"<td width='50%' valign='top'>{b}</td>" for b in pair) + "</tr>"
        for pair in pairs
    )
    return (
        f"<p><b>{figures.pupils}</b> leerlingen, van wie <b>{figures.leavers}</b> van school.</p>"
        f"<table cellpadding='6' width='100%'>{grid}</table>{monitor}"
    )


class FiguresDialog(QDialog):
    def __init__(
        self,
        service: FiguresService,
        cohorts: Sequence[str],
        today: Callable[[], date],
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cohort in cijfers")
        self._service = service
        self._today = today
        self._folder = folder or Path.home()
        self.report: CohortReport | None = None
        self.cohort = ChoiceEdit(tuple((label, label) for label in reversed(cohorts)), self)
        self.cohort.setObjectName("cohort")
        label = QLabel("&Schooljaar", self)
        label.setBuddy(self.cohort)
        top = button_row(label, self.cohort)
        self.view = QTextBrowser(self)
        self.view.setObjectName("figures")
        note = QLabel(
            "Het Excel-bestand bevat de namen van de leerlingen: voor eigen gebruik op school. "
            "Voor de gemeente of de sector is er de anonieme export bij Resultaten nazorg.",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("QLabel { color: #52606d; }")
        buttons = QDialogButtonBox(self)
        self.pdf_button = buttons.addButton(
            "&PDF voor de directeur…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.xlsx_button = buttons.addButton(
            "&Excel met namen…", QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton("S&luiten", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.cohort.edited.connect(self.show_cohort)
        self.show_cohort()
        self.resize(900, 680)

    def show_cohort(self) -> None:
        label = self.cohort.field_value()
        if label is None:
            self.view.setHtml("<p>Er zijn nog geen leerlingen.</p>")
            return
        self.report = self._service.report(str(label), self._today())
        self.view.setHtml(figures_html(self.report.figures))

    def save(self, kind: str, target: Path | None = None) -> Path | None:
        report = self.report
        if report is None:
            return None
        if target is None:
            name = f"Cohort in cijfers {report.cohort}.{kind}"
            wanted = "PDF-bestand (*.pdf)" if kind == "pdf" else "Excel-werkmap (*.xlsx)"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Opslaan als", str(self._folder / name), wanted
            )
            if not chosen:
                return None
            target = Path(chosen)
        write = self._service.write_pdf if kind == "pdf" else self._service.write_xlsx
        try:
            write(report, target)
        except ServiceError as exc:
            QMessageBox.warning(self, "Cohort in cijfers", "\n".join(problems_of(exc)))
            return None
        self._folder = target.parent
        return target
