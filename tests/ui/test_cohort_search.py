"""Search-as-you-type and the cohort table's fast paths: the texts searched and sorted on are
folded for all pupils at once, a search is one layout change, statuses are worked out when a
row is shown. What the coordinator finds, sees and has chosen stays the same."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from conftest import TODAY
from uitstroom.domain.checklist import Level
from uitstroom.domain.enums import Leerweg, Niveau, Route, SchoolType, Uitstroomprofiel
from uitstroom.domain.model import PupilSummary
from uitstroom.services.database import Database
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService
from uitstroom.ui.cohort_model import (
    CohortFilter,
    CohortModel,
    CohortProxy,
    cohort_columns,
    search_text,
    search_texts,
)
from uitstroom.ui.main_window import MainWindow
from uitstroom.ui.record_table import fold, fold_all

NAMES = (
    ("Ahmet", "", "Çelik", "PRO4A", "mw. A. Kramer"),
    ("Zoë", "van der", "Meer", "PRO4B", "dhr. P. Lindeman"),
    ("Kenji", "", "Ōtsuka", "PRO10A", "mw. A. Kramer"),
    ("Elif", "", "Yılmaz", "PRO4A", "mw. B. Şahin"),
    ("Søren", "", "Ørsted", "PRO4B", "dhr. Ł. Nowak"),
    ("Greta", "", "Straße", "PRO4A", "mw. Æ. Dahl"),
    ("Sanne", "de", "Vries", "PRO4B", "dhr. P. Lindeman"),
    ("Noël", "", "Dubois-Lefèvre", "PRO10A", "mw. A. Kramer"),
)


def cohort() -> list[PupilSummary]:
    return [
        PupilSummary(
            id=n,
            leerlingnummer=f"1{n:05d}",
            roepnaam=roepnaam,
            tussenvoegsel=tussenvoegsel,
            achternaam=achternaam,
            klas=klas,
            mentor=mentor,
            uitstroomprofiel=Uitstroomprofiel.ARBEID,
            mbo_opleiding="",
            route=Route.ARBEID,
            archived=False,
            cohort_label="2026-2027",
            geboortedatum=date(2009, 1, n),
        )
        for n, (roepnaam, tussenvoegsel, achternaam, klas, mentor) in enumerate(NAMES, 1)
    ]


def names_found(proxy: CohortProxy, text: str) -> list[str]:
    proxy.set_filter(CohortFilter(text=text))
    return sorted(proxy.visible_names())


def test_folding_all_texts_at_once_is_folding_each() -> None:
    texts = [
        "Çelik",
        "Zoë van der Meer",
        "Ōtsuka Yılmaz",
        "Straße",
        "Ørsted Łukasz Æsop Đorđe",
        "",
        "\u0301e begins with an accent",  # a combining mark at the start of a text
        "ﬁ ligature and Ⅻ",  # compatibility letters NFKD splits
        "PRO4A\x1fmw. A. Kramer",
    ]
    assert fold_all(texts) == [fold(text) for text in texts]
    assert fold_all(["plain", "ascii"]) == ["plain", "ascii"]
    # A text with a line break of its own cannot be split back: each is folded by itself.
    with_break = ["Zoë\nvan der Meer", "Çelik"]
    assert fold_all(with_break) == [fold(text) for text in with_break]
    assert fold_all([]) == []


def test_search_finds_name_number_klas_and_mentor_without_accents(qapp) -> None:
    rows = cohort()
    assert search_texts(rows) == [search_text(row) for row in rows]
    proxy = CohortProxy(CohortModel(rows))
    assert names_found(proxy, "celik") == ["Ahmet Çelik"]
    assert names_found(proxy, "ÇELIK") == ["Ahmet Çelik"]
    assert names_found(proxy, "zoe") == ["Zoë van der Meer"]
    assert names_found(proxy, "otsuka") == ["Kenji Ōtsuka"]
    assert names_found(proxy, "yilmaz") == ["Elif Yılmaz"]
    assert names_found(proxy, "orsted") == ["Søren Ørsted"]
    assert names_found(proxy, "strasse") == ["Greta Straße"]
    assert names_found(proxy, "lefevre") == ["Noël Dubois-Lefèvre"]
    assert names_found(proxy, "100002") == ["Zoë van der Meer"]
    assert names_found(proxy, "pro10a") == ["Kenji Ōtsuka", "Noël Dubois-Lefèvre"]
    assert names_found(proxy, "sahin") == ["Elif Yılmaz"]
    assert names_found(proxy, "nowak") == ["Søren Ørsted"]
    assert names_found(proxy, "dahl") == ["Greta Straße"]
    assert names_found(proxy, "kramer pro4a") == ["Ahmet Çelik"]
    assert names_found(proxy, "sanne vries") == ["Sanne de Vries"]
    # A word never runs from one field into the next.
    assert names_found(proxy, "vries100007") == []
    assert names_found(proxy, "pro4amw") == []
    assert len(names_found(proxy, "")) == len(NAMES)


@pytest.mark.parametrize("school_type", list(SchoolType))
def test_sorting_keys_for_all_rows_at_once_are_each_rows_key(
    qapp, demo_database: Database, school_type: SchoolType
) -> None:
    rows = [
        *PupilService(demo_database.sessions).summaries(),
        *(
            PupilSummary(
                **{
                    **row.__dict__,
                    "id": 1000 + row.id,
                    "mbo_niveau": Niveau.ENTREE,
                    "mbo_leerweg": Leerweg.BOL,
                    "mbo_crebo": "25180",
                }
            )
            for row in cohort()
        ),
    ]
    statuses = PlanningService(demo_database.sessions).statuses(TODAY)
    for column in cohort_columns(school_type, lambda s: statuses.get(s.id)):
        assert column.keys(rows) == [column.key(row) for row in rows], column.header


def test_the_open_pupil_stays_chosen_and_in_view_through_a_search(
    qtbot, window: MainWindow
) -> None:
    window.show_cohort_page()
    last = window.proxy.rowCount() - 1
    pupil = window.proxy.summary_at(last)
    window.table.setCurrentIndex(window.proxy.index(last, 0))
    qtbot.waitUntil(lambda: window.detail.pupil_id == pupil.id)

    def chosen() -> list[int]:
        rows = window.table.selectionModel().selectedRows()
        return [window.proxy.summary_at(index.row()).id for index in rows]

    def in_view() -> bool:
        row = window.proxy.mapFromSource(window.model.index(window.model.row_of(pupil.id), 0))
        return window.table.viewport().rect().intersects(window.table.visualRect(row))

    window.focus_search()
    qtbot.keyClicks(window.search, fold(pupil.achternaam)[:4])  # keyClicks types ASCII only
    assert pupil.name in window.proxy.visible_names()
    assert chosen() == [pupil.id] and in_view()
    qtbot.keyClicks(window.search, "zzz")  # nobody matches: nothing is chosen
    assert window.proxy.rowCount() == 0 and chosen() == []
    # ... and the pane beside the empty list shows no pupil, but says where it went.
    assert not window.detail.is_open
    assert f"{pupil.name} valt buiten de zoekopdracht" in window.detail._empty.text()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.proxy.rowCount() == 48
    assert chosen() == [pupil.id] and in_view()
    assert window.detail.pupil_id == pupil.id


def test_the_status_column_shows_each_pupils_own_status(
    qtbot, window: MainWindow, demo_database: Database
) -> None:
    """Statuses are worked out as rows are shown; a sort on the column asks for all of them."""
    planning = PlanningService(demo_database.sessions)
    window.show_cohort_page()
    qtbot.waitUntil(lambda: window.proxy.index(0, 5).data() != "Actief")
    shown = {
        window.proxy.summary_at(row).id: window.proxy.index(row, 5).data()
        for row in range(window.proxy.rowCount())
    }
    assert shown == {
        pupil_id: planning.status_of(pupil_id, TODAY).level.label for pupil_id in shown
    }
    window.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    levels = [window.proxy.index(row, 5).data() for row in range(window.proxy.rowCount())]
    urgency = {level.label: level.urgency for level in Level}
    assert levels == sorted(levels, key=urgency.__getitem__)


def test_a_filter_that_hides_the_open_pupil_clears_the_pane_unless_it_holds_changes(
    qtbot, window: MainWindow
) -> None:
    window.show_cohort_page()
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    pupil = window.proxy.summary_at(0)
    qtbot.waitUntil(lambda: window.detail.pupil_id == pupil.id)
    other = next(k for k in window.model.klassen() if k != pupil.klas)
    window.klas_filter.setCurrentIndex(window.klas_filter.findData(other))
    assert pupil.name not in window.proxy.visible_names()
    assert not window.detail.is_open  # not a pupil the list no longer holds
    # The pupil comes back with the filter, as long as nobody else was opened.
    window.klas_filter.setCurrentIndex(0)
    assert window.detail.pupil_id == pupil.id
    # Typed changes are never thrown away by a filter: that pupil stays until saved.
    window.detail.findChild(QLineEdit, "roepnaam").setText("Anders")
    assert window.detail.is_dirty()
    window.klas_filter.setCurrentIndex(window.klas_filter.findData(other))
    assert window.detail.pupil_id == pupil.id and window.detail.is_dirty()
