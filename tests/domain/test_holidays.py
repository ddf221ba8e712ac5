"""No school task on a Saturday, a Sunday or in the school's holidays: it moves to the school
day before; a legal date keeps its day."""

from __future__ import annotations

from datetime import date

import pytest

from uitstroom.domain.calendar import CalendarSettings, SchoolCalendar
from uitstroom.domain.checklist import DEFAULT_TEMPLATES, plan
from uitstroom.domain.enums import Route
from uitstroom.domain.holidays import (
    SCHOOL_HOLIDAYS,
    Region,
    is_school_day,
    school_day_on_or_before,
)
from uitstroom.domain.schoolyear import SchoolYear


@pytest.mark.parametrize(
    ("day", "region", "expected"),
    [
        (date(2027, 1, 29), None, date(2027, 1, 29)),  # a Friday stays
        (date(2027, 1, 30), None, date(2027, 1, 29)),  # Saturday -> Friday
        (date(2027, 1, 31), None, date(2027, 1, 29)),  # Sunday -> Friday
        (date(2027, 2, 1), None, date(2027, 2, 1)),  # Monday stays
        # Midden: voorjaarsvakantie 20-28 February 2027, first and last day.
        (date(2027, 2, 20), Region.MIDDEN, date(2027, 2, 19)),
        (date(2027, 2, 28), Region.MIDDEN, date(2027, 2, 19)),
        (date(2027, 3, 1), Region.MIDDEN, date(2027, 3, 1)),
        # Noord has it a week earlier: 28 February is just a Sunday there.
        (date(2027, 2, 28), Region.NOORD, date(2027, 2, 26)),
        # Kerstvakantie over the new year, for every region.
        (date(2027, 1, 2), Region.ZUID, date(2026, 12, 18)),
        # A year not in the table: weekends only.
        (date(2031, 7, 16), Region.NOORD, date(2031, 7, 16)),
    ],
)
def test_the_school_day_on_or_before(day: date, region: Region | None, expected: date) -> None:
    found = school_day_on_or_before(day, region)
    assert found == expected
    assert is_school_day(found, region)


def test_the_table_has_each_holiday_for_every_region_from_saturday_to_sunday() -> None:
    for holiday in SCHOOL_HOLIDAYS:
        assert holiday.first.weekday() == 5 and holiday.last.weekday() == 6, holiday
        assert 8 <= (holiday.last - holiday.first).days + 1 <= 44, holiday
    for year in (2026, 2027):
        for name in ("herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie"):
            for region in Region:
                found = [
                    h
                    for h in SCHOOL_HOLIDAYS
                    if h.name == name
                    and region in h.regions
                    and h.last.year in (year, year - 1)
                    and SchoolYear.of(h.first).start_year == year - 1
                ]
                assert len(found) == 1, (year, name, region)


def test_checklist_dates_of_2026_2027_fall_on_school_days_and_1_april_stays() -> None:
    """'zo 31 januari', 'za 29 mei' and 'za 10 juli' were due dates in 2026-2027."""
    year = SchoolCalendar(SchoolYear(2026))
    for route in Route:
        for task in plan(route, DEFAULT_TEMPLATES, year):
            if task.code == "aanmelden_mbo":
                assert task.due == date(2027, 4, 1)
            else:
                assert task.due.weekday() < 5, (task.code, task.due)
    dues = {t.code: t.due for t in plan(Route.DOORLEREN, DEFAULT_TEMPLATES, year)}
    assert dues["opp_evaluatie"] == date(2027, 1, 29)  # Sunday 31 January
    # In 2027-2028 1 April is a Saturday: the law's date stays, weekday and all.
    later = SchoolCalendar(SchoolYear(2027), CalendarSettings(holiday_region=Region.MIDDEN))
    registration = {t.code: t.due for t in plan(Route.DOORLEREN, DEFAULT_TEMPLATES, later)}
    assert registration["aanmelden_mbo"] == date(2028, 4, 1)


def test_a_school_with_a_holiday_region_gets_no_task_in_its_holidays() -> None:
    midden = SchoolCalendar(SchoolYear(2026), CalendarSettings(holiday_region=Region.MIDDEN))
    noord = SchoolCalendar(SchoolYear(2026), CalendarSettings(holiday_region=Region.NOORD))
    # The uitstroomoverleg at the end of February: in midden's voorjaarsvakantie.
    overleg = {
        name: {t.code: t.due for t in plan(Route.ARBEID, DEFAULT_TEMPLATES, cal)}[
            "uitstroomoverleg"
        ]
        for name, cal in (("midden", midden), ("noord", noord))
    }
    assert overleg == {"midden": date(2027, 2, 19), "noord": date(2027, 2, 26)}
    for task in plan(Route.ARBEID, DEFAULT_TEMPLATES, midden):
        assert is_school_day(task.due, Region.MIDDEN), task
