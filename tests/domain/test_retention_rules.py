from datetime import date

from uitstroom.domain.enums import SchoolType
from uitstroom.domain.retention import (
    HeldData,
    RetentionCategory,
    add_months,
    expired,
    nazorg_end,
    purge_due,
)

NOTES = RetentionCategory.BEGELEIDINGSNOTITIES
SUPPORT = RetentionCategory.ONDERSTEUNINGSBEHOEFTE
WHOLE = RetentionCategory.LEERLINGGEGEVENS


def test_nazorg_ends_two_years_after_pro_and_vso_and_one_after_mbo() -> None:
    assert nazorg_end("2026-2027", SchoolType.PRO) == date(2029, 7, 31)
    assert nazorg_end("2026-2027", SchoolType.VSO) == date(2029, 7, 31)
    assert nazorg_end("2026-2027", SchoolType.MBO) == date(2028, 7, 31)
    assert nazorg_end("klas 4", SchoolType.PRO) is None


def test_months_are_calendar_months() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2029, 7, 31), 24) == date(2031, 7, 31)


def pupil(**changes: object) -> HeldData:
    values: dict = {
        "pupil_id": 7,
        "cohort_label": "2026-2027",
        "note_count": 3,
        "has_support": True,
    }
    values.update(changes)
    return HeldData(**values)


def test_by_default_everything_goes_two_years_after_nazorg_and_not_a_day_earlier() -> None:
    assert expired([pupil()], {}, SchoolType.PRO, date(2031, 7, 31)) == []
    (item,) = expired([pupil()], {}, SchoolType.PRO, date(2031, 8, 1))
    # The whole record covers the notes and the support needs: one item, not three.
    assert (item.pupil_id, item.category, item.since) == (7, WHOLE, date(2031, 8, 1))


def test_shorter_periods_for_the_sensitive_texts_come_first() -> None:
    rules = {NOTES: 0, SUPPORT: 6, WHOLE: 60}
    on = date(2029, 8, 1)
    assert [(e.category, e.since) for e in expired([pupil()], rules, SchoolType.PRO, on)] == [
        (NOTES, date(2029, 8, 1))
    ]
    later = expired([pupil()], rules, SchoolType.PRO, date(2030, 2, 1))
    assert [(e.category, e.since) for e in later] == [
        (NOTES, date(2029, 8, 1)),
        (SUPPORT, date(2030, 2, 1)),
    ]


def test_nothing_is_listed_that_is_not_there() -> None:
    rules = {NOTES: 0, SUPPORT: 0, WHOLE: 60}
    empty = pupil(note_count=0, has_support=False)
    assert expired([empty], rules, SchoolType.PRO, date(2030, 1, 1)) == []


def test_mbo_and_an_own_nazorg_end_and_an_undatable_cohort() -> None:
    mbo = expired([pupil()], {}, SchoolType.MBO, date(2030, 8, 1))
    assert [(e.category, e.since) for e in mbo] == [(WHOLE, date(2030, 8, 1))]
    own = pupil(nazorg_end=date(2028, 1, 31))
    assert expired([own], {}, SchoolType.PRO, date(2030, 1, 31)) == []
    assert expired([own], {}, SchoolType.PRO, date(2030, 2, 1))[0].since == date(2030, 2, 1)
    assert expired([pupil(cohort_label="onbekend")], {}, SchoolType.PRO, date(2099, 1, 1)) == []


def test_the_purge_is_offered_once_a_month() -> None:
    assert purge_due(None, date(2026, 11, 23))
    assert not purge_due(date(2026, 11, 1), date(2026, 11, 30))
    assert purge_due(date(2026, 11, 1), date(2026, 12, 1))
    assert purge_due(date(2026, 1, 31), date(2026, 2, 28))
