"""The two lists the window reads for the whole cohort at start-up, read the fast way: every
pupil's status in one query, and the table rows from plain row tuples. They must say exactly
what the slow, one-pupil-at-a-time reading says."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, update

from factories import fixed_clock, make_pupil
from uitstroom.domain.checklist import Level
from uitstroom.domain.enums import Leerweg, Niveau, Route, Uitstroomprofiel
from uitstroom.domain.model import RouteDetails
from uitstroom.services.database import Database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService
from uitstroom.storage.models import PupilRow, PupilTaskRow, RouteRow

NOVEMBER = date(2026, 11, 23)


@pytest.mark.parametrize(
    "day", [NOVEMBER, date(2027, 1, 15), date(2027, 3, 31), date(2027, 4, 2), date(2027, 8, 1)]
)
def test_every_status_from_the_one_query_is_the_pupils_own(database: Database, day: date) -> None:
    insert_demo_cohort(database.sessions, today=NOVEMBER)
    planning = PlanningService(database.sessions, clock=fixed_clock())
    pupils = PupilService(database.sessions, clock=fixed_clock())
    everyone = [s.id for s in pupils.summaries()]
    finished, untouched = everyone[0], everyone[1]
    for task in planning.tasks(finished):
        assert task.id is not None
        planning.tick(task.id, on=NOVEMBER)
    # A pupil entered before the checklists existed has no tasks at all.
    with database.sessions.begin() as session:
        session.execute(delete(PupilTaskRow).where(PupilTaskRow.pupil_id == untouched))

    statuses = planning.statuses(day)

    assert len(statuses) == len(everyone)
    assert dict(statuses) == {pupil_id: planning.status_of(pupil_id, day) for pupil_id in everyone}
    assert statuses[finished].level is Level.AFGEROND
    assert statuses[untouched].reason == "Nog geen taken"
    assert untouched in statuses and -1 not in statuses
    assert statuses.get(-1) is None


def test_the_table_rows_read_stored_words_as_before(database: Database) -> None:
    """Known words become their enums; an empty or unknown stored word shows as nothing, and a
    route as 'nog onbekend', as the one-by-one conversion did."""
    pupils = PupilService(database.sessions, clock=fixed_clock())
    known = pupils.create(
        make_pupil(
            leerlingnummer="300001",
            roepnaam="Ahmet",
            tussenvoegsel="",
            achternaam="Çelik",
            uitstroomprofiel=Uitstroomprofiel.VERVOLGONDERWIJS,
            mbo_opleiding="Kok",
            mbo_crebo="25180",
            mbo_niveau=Niveau.N2,
            mbo_leerweg=Leerweg.BBL,
            route=RouteDetails(route=Route.DOORLEREN),
        ),
        "2026-2027",
    ).pupil
    odd = pupils.create(make_pupil(leerlingnummer="300002"), "2026-2027").pupil
    no_route = pupils.create(make_pupil(leerlingnummer="300003"), "2026-2027").pupil
    with database.sessions.begin() as session:
        session.execute(
            update(PupilRow)
            .where(PupilRow.id == odd.id)
            .values(uitstroomprofiel="", mbo_niveau="9", mbo_leerweg="xyz", mbo_crebo="")
        )
        session.execute(update(RouteRow).where(RouteRow.pupil_id == odd.id).values(route="weg"))
        session.execute(delete(RouteRow).where(RouteRow.pupil_id == no_route.id))

    rows = {row.id: row for row in pupils.summaries()}

    shown = rows[known.id]
    assert (shown.name, shown.leerlingnummer, shown.klas, shown.mentor) == (
        "Ahmet Çelik",
        "300001",
        "PRO4A",
        "mw. A. Kramer",
    )
    assert shown.uitstroomprofiel is Uitstroomprofiel.VERVOLGONDERWIJS
    assert shown.mbo_opleiding == "Kok"
    assert (shown.mbo_crebo, shown.mbo_niveau, shown.mbo_leerweg) == (
        "25180",
        Niveau.N2,
        Leerweg.BBL,
    )
    assert shown.route is Route.DOORLEREN
    assert shown.geboortedatum == date(2009, 5, 14)
    assert shown.archived is False
    assert shown.cohort_label == "2026-2027"
    strange = rows[odd.id]
    assert (strange.uitstroomprofiel, strange.mbo_niveau, strange.mbo_leerweg) == (None, None, None)
    assert strange.route is Route.ONBEKEND
    assert strange.mbo_crebo == ""
    assert rows[no_route.id].route is Route.ONBEKEND
