"""The cohort table model and its search/filter proxy, on the fictional demo cohort."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from uitstroom.domain.enums import Route, SchoolType, Uitstroomprofiel
from uitstroom.domain.model import PupilSummary
from uitstroom.services.database import Database
from uitstroom.services.pupils import PupilService
from uitstroom.ui.cohort_model import (
    STATUS_HEADERS,
    CohortFilter,
    CohortModel,
    CohortProxy,
    ReadRows,
)
from uitstroom.ui.record_table import ROW_ROLE, SORT_ROLE, fold, natural_key, text_key


def summary(n: int, roepnaam: str, tussenvoegsel: str, achternaam: str, **changes) -> PupilSummary:
    values = dict(
        id=n,
        leerlingnummer=str(100 + n),
        roepnaam=roepnaam,
        tussenvoegsel=tussenvoegsel,
        achternaam=achternaam,
        klas="PRO4A",
        mentor="mw. A. Kramer",
        uitstroomprofiel=Uitstroomprofiel.ARBEID,
        mbo_opleiding="",
        route=Route.ARBEID,
        archived=False,
        cohort_label="2026-2027",
        geboortedatum=date(2009, 1, n),
    )
    values.update(changes)
    return PupilSummary(**values)


SMALL = (
    summary(1, "Sanne", "de", "Vries", klas="PRO4B"),
    summary(2, "Ahmet", "", "Çelik", route=Route.DOORLEREN),
    summary(3, "Zoë", "van der", "Meer", klas="PRO10A", archived=True),
    summary(4, "Bram", "", "Bakker", mentor="dhr. P. Lindeman"),
    summary(5, "Kenji", "", "Ōtsuka", uitstroomprofiel=Uitstroomprofiel.VERVOLGONDERWIJS),
)


@pytest.fixture
def proxy(qapp) -> CohortProxy:
    return CohortProxy(CohortModel(SMALL))


def test_the_models_pass_the_qt_model_tester(qtmodeltester, demo_database: Database) -> None:
    model = CohortModel(PupilService(demo_database.sessions).summaries())
    qtmodeltester.check(model)
    proxy = CohortProxy(model)
    proxy.set_filter(CohortFilter(text="a"))
    qtmodeltester.check(proxy)
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_names_are_sorted_on_the_achternaam_so_de_vries_is_under_v(proxy: CohortProxy) -> None:
    proxy.set_filter(CohortFilter(show_archived=True))
    assert proxy.visible_names() == [
        "Bram Bakker",
        "Ahmet Çelik",
        "Zoë van der Meer",
        "Kenji Ōtsuka",
        "Sanne de Vries",
    ]


def test_sorting_uses_real_values_not_text(proxy: CohortProxy) -> None:
    proxy.set_filter(CohortFilter(show_archived=True))
    proxy.sort(2)  # Klas: PRO4A < PRO4B < PRO10A, as a person reads it
    assert [proxy.summary_at(r).klas for r in range(proxy.rowCount())] == [
        "PRO4A",
        "PRO4A",
        "PRO4A",
        "PRO4B",
        "PRO10A",
    ]
    proxy.sort(2, Qt.SortOrder.DescendingOrder)
    assert proxy.summary_at(0).klas == "PRO10A"
    assert proxy.data(proxy.index(0, 2), SORT_ROLE) == natural_key("PRO10A")


def test_archived_pupils_are_hidden_until_asked_for(proxy: CohortProxy) -> None:
    assert "Zoë van der Meer" not in proxy.visible_names()
    assert proxy.cohort.in_scope_count() == 4
    proxy.set_filter(CohortFilter(show_archived=True))
    assert "Zoë van der Meer" in proxy.visible_names()
    assert proxy.cohort.in_scope_count() == 5


def test_search_ignores_accents_and_matches_name_number_klas_and_mentor(proxy: CohortProxy) -> None:
    proxy.set_filter(CohortFilter(text="celik"))
    assert proxy.visible_names() == ["Ahmet Çelik"]
    proxy.set_filter(CohortFilter(text="103", show_archived=True))
    assert proxy.visible_names() == ["Zoë van der Meer"]
    proxy.set_filter(CohortFilter(text="pro4b"))
    assert proxy.visible_names() == ["Sanne de Vries"]
    proxy.set_filter(CohortFilter(text="lindeman"))
    assert proxy.visible_names() == ["Bram Bakker"]
    proxy.set_filter(CohortFilter(text="sanne vries"))
    assert proxy.visible_names() == ["Sanne de Vries"]
    assert fold("Ōtsuka Yılmaz") == "otsuka yilmaz"


def test_rows_read_with_their_search_texts_sort_and_search_as_rows_set_here(qapp) -> None:
    """The list read in a thread brings its search texts (ReadRows); sorted into the list's
    order, each text stays with its pupil."""
    model = CohortModel()
    model.take(ReadRows.of(list(reversed(SMALL))))
    read = CohortProxy(model)
    assert read.visible_names() == CohortProxy(CohortModel(SMALL)).visible_names()
    for text, name in (
        ("celik", "Ahmet Çelik"),
        ("pro4b", "Sanne de Vries"),
        ("lindeman", "Bram Bakker"),
    ):
        read.set_filter(CohortFilter(text=text))
        assert read.visible_names() == [name]


# Names whose order needs the accents, the tussenvoegsels and the ties to come out right.
SORTED_IN_A_THREAD = (
    *SMALL,
    summary(6, "Sanne", "", "de Vries", klas="PRO10A"),
    summary(7, "Éva", "", "Vries", mentor="dhr. P. Lindeman"),
    summary(8, "Eva", "", "Vries", uitstroomprofiel=None, mbo_opleiding="Kok"),
    summary(9, "eva", "", "vries", archived=True),
    summary(10, "Ömer", "van", "Çelik", klas="PRO4B"),
)


@pytest.mark.parametrize("column", [0, 1, 2, 3])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_a_list_sorted_in_the_reading_thread_is_the_list_sorted_here(
    qapp, column: int, order: Qt.SortOrder
) -> None:
    """The window's list is read, and sorted, in a thread (issue 17): the rows come out in the
    order the list itself gives them, with their search texts and the filters' choices."""
    read = list(reversed(SORTED_IN_A_THREAD))
    here, there = CohortModel(SMALL[:1]), CohortModel(SMALL[:1])
    for model in (here, there):
        model.sort(column, order)
    here.take(ReadRows.of(read))
    there.take(ReadRows.of(read, there.order_to_share()))
    assert there.rows == here.rows
    assert there.choices() == CohortModel(SORTED_IN_A_THREAD).choices()
    proxy = CohortProxy(there)
    proxy.set_filter(CohortFilter(text="omer celik"))
    assert proxy.visible_names() == ["Ömer van Çelik"]


def test_a_list_sorted_elsewhere_meanwhile_is_sorted_as_it_is_now(qapp) -> None:
    """A header clicked while the rows were read: the list sorts them its own way."""
    model = CohortModel(SMALL)
    order = model.order_to_share()
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.take(ReadRows.of(SORTED_IN_A_THREAD, order))
    assert [row.klas for row in model.rows][:3] == ["PRO10A", "PRO10A", "PRO4B"]


def test_a_list_sorted_on_a_column_since_replaced_is_sorted_as_it_is_now(qapp) -> None:
    """The third column is the klas for pro, the SLB'er for mbo: a read sorted on the klas while
    the school type changed is sorted again on what the list shows now (found by a review)."""
    model = CohortModel(SMALL[:1], SchoolType.PRO)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    order = model.order_to_share()
    model.set_school_type(SchoolType.MBO)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    model.take(ReadRows.of(SORTED_IN_A_THREAD, order))
    mentors = [row.mentor for row in model.rows]
    assert mentors == sorted(mentors, key=text_key)


def test_a_list_sorted_on_a_status_is_not_sorted_in_a_thread(qapp) -> None:
    """Statuses are the list's own (ticks since the read): a thread leaves that order to it."""
    model = CohortModel(SMALL)
    headers = [column.header for column in model.columns]
    model.sort(headers.index(STATUS_HEADERS[0]))
    assert model.order_to_share() is None


def test_the_filters_offer_the_klas_and_profiel_of_a_pupil_saved_since_the_read(qapp) -> None:
    model = CohortModel()
    model.take(ReadRows.of(SMALL, model.order_to_share()))
    assert model.klassen() == ["PRO4A", "PRO4B", "PRO10A"]
    model.upsert(summary(6, "Aylin", "", "Amrani", klas="PRO3C", mentor="mw. R. Doğan"))
    model.upsert(summary(4, "Bram", "", "Bakker", uitstroomprofiel=None, mbo_opleiding="Bakker"))
    assert model.klassen() == ["PRO3C", "PRO4A", "PRO4B", "PRO10A"]
    assert model.profielen() == ["Arbeid", "Bakker", "Vervolgonderwijs"]
    assert model.choices().mentors == ["mw. A. Kramer", "mw. R. Doğan"]


def test_filters_on_klas_route_and_profiel_combine(proxy: CohortProxy) -> None:
    proxy.set_filter(CohortFilter(klas="PRO4A"))
    assert proxy.visible_names() == ["Bram Bakker", "Ahmet Çelik", "Kenji Ōtsuka"]
    proxy.set_filter(CohortFilter(klas="PRO4A", route=Route.DOORLEREN))
    assert proxy.visible_names() == ["Ahmet Çelik"]
    proxy.set_filter(CohortFilter(profiel="Vervolgonderwijs"))
    assert proxy.visible_names() == ["Kenji Ōtsuka"]


def test_a_saved_pupil_moves_to_its_new_place_and_keeps_the_filter(proxy: CohortProxy) -> None:
    proxy.set_filter(CohortFilter(text="a"))
    proxy.cohort.upsert(summary(4, "Bram", "", "Zwart"))
    assert proxy.visible_names()[-1] == "Bram Zwart"
    proxy.cohort.upsert(summary(6, "Aylin", "", "Amrani"))
    assert proxy.visible_names()[0] == "Aylin Amrani"
    row = proxy.cohort.row_of(6)
    assert proxy.cohort.data(proxy.cohort.index(row, 0), ROW_ROLE).achternaam == "Amrani"
