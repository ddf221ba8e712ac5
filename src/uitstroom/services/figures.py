"""Cohort in cijfers: the figures of one cohort (domain.figures) from the database, as a
one-page PDF for the director and as a workbook with names for the school's own use. The
anonymous export of the nazorg results (services.nazorg) stays as it is."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from sqlalchemy import or_, select

from uitstroom.documents.figures import FiguresDoc, render_figures
from uitstroom.domain.calendar import SchoolCalendar
from uitstroom.domain.enums import Route, Uitstroomprofiel
from uitstroom.domain.figures import (
    MONITOR_YEARS,
    CohortFigures,
    CohortPupil,
    cohort_figures,
    destination_label,
    monitor_status,
    peildatum,
    registration_state,
)
from uitstroom.domain.names import full_name
from uitstroom.domain.nazorg import CallStatus, Observation
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.access import pupil_scope
from uitstroom.services.base import Service
from uitstroom.services.files import write_atomically
from uitstroom.services.handover import school_header
from uitstroom.services.planning import PlanningService, load_settings
from uitstroom.storage.models import CohortRow, LeavingRow, NazorgCallRow, PupilRow

NO_STATUS = "Geen taken"


@dataclass(frozen=True)
class CohortReport:
    cohort: str
    made_on: date
    figures: CohortFigures
    pupils: tuple[CohortPupil, ...]


class FiguresService(Service):
    def report(self, cohort_label: str, today: date) -> CohortReport:
        statuses = PlanningService(self._sessions, self._clock, self._actor).statuses(today)
        with self._sessions() as session:
            calendar = SchoolCalendar(SchoolYear.parse(cohort_label), load_settings(session))
            rows = session.scalars(
                select(PupilRow)
                .join(CohortRow)
                .outerjoin(LeavingRow, LeavingRow.pupil_id == PupilRow.id)
                .where(
                    CohortRow.label == cohort_label,
                    or_(PupilRow.archived.is_(False), LeavingRow.id.is_not(None)),
                    pupil_scope(session, self._actor),
                )
                .order_by(PupilRow.klas, PupilRow.achternaam, PupilRow.roepnaam, PupilRow.id)
            ).all()
            ids = [row.id for row in rows]
            leavings = {
                leaving.pupil_id: leaving
                for leaving in session.scalars(
                    select(LeavingRow).where(LeavingRow.pupil_id.in_(ids))
                )
            }
            seen: dict[int, list[Observation]] = defaultdict(list)
            for call in session.scalars(
                select(NazorgCallRow)
                .where(
                    NazorgCallRow.pupil_id.in_(ids),
                    NazorgCallRow.reached.is_(True),
                    NazorgCallRow.status.is_not(None),
                )
                .order_by(NazorgCallRow.called_on, NazorgCallRow.id)
            ):
                status = call.status or CallStatus.ONBEKEND
                seen[call.pupil_id].append(Observation(call.called_on, status, call.same_place))
            pupils = []
            for row in rows:
                route = row.route.route if row.route else Route.ONBEKEND
                leaving = leavings.get(row.id)
                pupils.append(
                    CohortPupil(
                        full_name(row.roepnaam, row.tussenvoegsel, row.achternaam),
                        row.klas,
                        (row.uitstroomprofiel or Uitstroomprofiel.ONBEKEND).label,
                        route.label,
                        statuses[row.id].level.label if row.id in statuses else NO_STATUS,
                        route is Route.DOORLEREN,
                        row.route.aanmelddatum if row.route else None,
                        leaving.left_on if leaving else None,
                        leaving.destination if leaving else None,
                        tuple(seen.get(row.id, ())),
                    )
                )
        figures = cohort_figures(pupils, calendar.aanmeld_deadline, today)
        return CohortReport(cohort_label, today, figures, tuple(pupils))

    def pdf(self, report: CohortReport) -> bytes:
        with self._sessions() as session:
            school = school_header(session)
        stream = io.BytesIO()
        render_figures(FiguresDoc(school, report.cohort, report.made_on, report.figures), stream)
        return stream.getvalue()

    def write_pdf(self, report: CohortReport, path: Path) -> None:
        pdf = self.pdf(report)

        def write(stream: IO[bytes]) -> None:
            stream.write(pdf)

        write_atomically(path, write)

    def write_xlsx(self, report: CohortReport, path: Path) -> None:
        write_atomically(path, lambda stream: workbook(report, stream))


def workbook(report: CohortReport, stream: IO[bytes]) -> None:
    """Two sheets: 'Cijfers' (the counts, as on the PDF) and 'Leerlingen' (one named row per
    pupil with what was counted), for the school's own use. Through the one spreadsheet
    writer, so a name or klas is always text, never a formula."""
    from uitstroom.services.spreadsheet import Sheet, write_xlsx

    figures = report.figures
    sheet = Sheet("Cijfers", widths={"A": 52, "B": 12}, bold_rows=1)

    def block(title: str, counts: dict[str, int]) -> None:
        sheet.append([title])
        for label, count in counts.items():
            sheet.append([label, count])
        sheet.append([])

    sheet.append([f"Cohort in cijfers {report.cohort}"])
    sheet.append(["Gemaakt op", report.made_on])
    sheet.append(["Leerlingen", figures.pupils])
    sheet.append([])
    block("Per uitstroomprofiel", figures.by_profiel)
    block("Per route", figures.by_route)
    block("Per status", figures.by_status)
    registered = figures.registration
    block(
        f"Doorleren: aangemeld bij het mbo (uiterlijk {figures.deadline:%d-%m-%Y})",
        {
            "Op tijd": registered.on_time,
            "Te laat": registered.late,
            "Niet aangemeld": registered.not_registered,
        },
    )
    block("Bestemming bij vertrek", figures.destinations)
    for years in MONITOR_YEARS:
        block(f"Sectormonitor: {MONITOR_TITLES[years]}", figures.monitor[years])

    widths = (28, 10, 20, 16, 12, 14, 14, 14, 22, 24, 24, 24)
    pupils = Sheet("Leerlingen", widths=dict(zip("ABCDEFGHIJKL", widths, strict=True)), bold_rows=1)
    pupils.append(
        [
            "Naam",
            "Klas",
            "Uitstroomprofiel",
            "Route",
            "Status",
            "Aangemeld op",
            "Aanmelding",
            "Van school op",
            "Bestemming bij vertrek",
            *(f"Peildatum {MONITOR_TITLES[years]}" for years in MONITOR_YEARS),
        ]
    )
    for pupil in report.pupils:
        pupils.append(
            [
                pupil.name,
                pupil.klas,
                pupil.profiel,
                pupil.route,
                pupil.status,
                pupil.registered_on,
                registration_state(pupil, figures.deadline),
                pupil.left_on,
                destination_label(pupil) if pupil.left_on else "",
                *(_monitor_cell(pupil, years, report.made_on) for years in MONITOR_YEARS),
            ]
        )
    write_xlsx(stream, [sheet, pupils])


MONITOR_TITLES = {
    0: "1 november na vertrek",
    1: "een jaar later",
    2: "twee jaar later",
}


def _monitor_cell(pupil: CohortPupil, years: int, today: date) -> str:
    if pupil.left_on is None:
        return ""
    status = monitor_status(pupil, years, today)
    day = peildatum(pupil.left_on, years)
    return f"{status} ({day:%d-%m-%Y})" if status else f"nog niet ({day:%d-%m-%Y})"
