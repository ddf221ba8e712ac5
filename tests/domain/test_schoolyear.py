from datetime import date

import pytest

from uitstroom.domain.schoolyear import SchoolYear


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 7, 31), "2025-2026"),
        (date(2026, 8, 1), "2026-2027"),
        (date(2027, 3, 31), "2026-2027"),
        (date(2027, 4, 1), "2026-2027"),
        (date(2028, 2, 29), "2027-2028"),
        (date(2026, 12, 31), "2026-2027"),
    ],
)
def test_school_year_runs_from_1_august_to_31_july(day: date, label: str) -> None:
    year = SchoolYear.of(day)
    assert year.label == label
    assert year.contains(day)
    assert year.first_day.month == 8 and year.first_day.day == 1
    assert year.last_day == date(year.start_year + 1, 7, 31)


def test_parse_label_and_refuse_nonsense() -> None:
    assert SchoolYear.parse("2026-2027") == SchoolYear(2026)
    assert SchoolYear.parse(" 2026/2027 ") == SchoolYear(2026)
    for bad in ("2026-2028", "26-27", "dit jaar", ""):
        with pytest.raises(ValueError, match="2026-2027"):
            SchoolYear.parse(bad)
