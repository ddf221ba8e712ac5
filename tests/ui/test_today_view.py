"""The status marker, the cohort table's status columns and the Vandaag view."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from uitstroom.domain.checklist import Level, Owner, Status, Task
from uitstroom.domain.enums import Route
from uitstroom.domain.model import PupilSummary
from uitstroom.ui.cohort_model import CohortModel
from uitstroom.ui.status import STYLES, StatusMarker, marker_icon, marker_text


def summary(n: int, name: str, archived: bool = False) -> PupilSummary:
    return PupilSummary(
        id=n,
        leerlingnummer=str(100 + n),
        roepnaam=name,
        tussenvoegsel="",
        achternaam="Jansen",
        klas="PRO4A",
        mentor="mw. A. Kramer",
        uitstroomprofiel=None,
        mbo_opleiding="",
        route=Route.DOORLEREN,
        archived=archived,
        cohort_label="2026-2027",
    )


AANMELDEN = Task(
    "aanmelden_mbo",
    "Aangemeld bij het mbo",
    "Nog niet aangemeld bij het mbo",
    "de aanmelddatum",
    Owner.LEERLING,
    date(2027, 4, 1),
    id=7,
)


def test_every_marker_has_a_word_and_a_shape_not_only_a_colour(qapp) -> None:
    symbols = {STYLES[level].symbol for level in Level}
    assert len(symbols) == len(Level)
    for level in Level:
        assert level.label in marker_text(level)
        assert not marker_icon(level).isNull()
    marker = StatusMarker()
    marker.set_status(Status(Level.TE_LAAT, "Nog niet aangemeld bij het mbo", AANMELDEN))
    assert marker.label.text() == "Te laat"
    assert marker.reason.text() == "Nog niet aangemeld bij het mbo"
    assert "Te laat" in marker.accessibleName()


def test_the_status_column_shows_the_level_in_words_and_sorts_by_urgency(qtmodeltester) -> None:
    model = CohortModel([summary(1, "Anna"), summary(2, "Bram"), summary(3, "Cas", archived=True)])
    qtmodeltester.check(model)
    status_column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)].index(
        "Status"
    )
    late = Status(
        Level.TE_LAAT,
        "Nog niet aangemeld bij het mbo; de aanmelddatum 1 april was 2 dagen geleden",
        AANMELDEN,
    )
    model.set_statuses({1: Status(Level.OP_SCHEMA, "Volgende stap: Iets"), 2: late, 3: late})
    model.sort(status_column, Qt.SortOrder.AscendingOrder)
    names = [model.row_at(r).roepnaam for r in range(3)]
    assert names == ["Bram", "Anna", "Cas"]
    bram = model.index(0, status_column)
    assert bram.data() == "Te laat"
    assert isinstance(bram.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert bram.data(Qt.ItemDataRole.ToolTipRole) == late.reason
    assert model.index(0, status_column + 1).data().startswith("Nog niet aangemeld bij het mbo")
    # "Volgende stap: " is the column's header, not repeated in every cell.
    assert model.index(1, status_column + 1).data() == "Iets"
    assert model.index(2, status_column).data() == "Gearchiveerd"
    model.update_status(2, Status(Level.AFGEROND, "Alle taken zijn afgerond"))
    assert [model.row_at(r).roepnaam for r in range(3)] == ["Anna", "Bram", "Cas"]
    qtmodeltester.check(model)
