"""The school year's calendar for the final-year cohort: the dates every checklist task hangs
from, per school, with the defaults of the domain brief. All dates are computed from the school
year and the school's settings; nothing here reads the clock."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from uitstroom.domain.enums import LabelledEnum
from uitstroom.domain.holidays import Region, school_day_on_or_before
from uitstroom.domain.schoolyear import SchoolYear


class Anchor(LabelledEnum):
    """The moments of the final year that tasks are planned from."""

    YEAR_START = "schooljaar_begin", "begin van het schooljaar"
    BIJSTEL_START = "bijstellen_begin", "begin van de bijstelperiode"
    BIJSTEL_END = "bijstellen_eind", "einde van de bijstelperiode"
    UITSTROOMOVERLEG = "uitstroomoverleg", "uitstroomoverleg met de gemeente"
    APRIL_1 = "1_april", "1 april"
    LAST_SCHOOL_DAY = "laatste_schooldag", "laatste schooldag"


@dataclass(frozen=True)
class CalendarSettings:
    """What a school may change. Month/day pairs are placed in the right calendar year by
    `SchoolCalendar`; a day past the month's end (31 February) means the month's last day."""

    # The day the final-year pupils leave; the summer holidays differ per region, so the
    # school sets it. None means the default: 10 July.
    last_school_day: date | None = None
    bijstel_start: tuple[int, int] = (12, 1)
    bijstel_end: tuple[int, int] = (1, 31)
    # "About half a year before leaving": February by default, at the end of the month.
    uitstroomoverleg: tuple[int, int] = (2, 31)
    # "Uiterlijk op 1 april": 1 April itself is on time.
    aanmeld_deadline: tuple[int, int] = (4, 1)
    attention_days: int = 14
    # School holidays of this region count as days without school too (None: weekends only).
    holiday_region: Region | None = None


DEFAULT_LAST_SCHOOL_DAY = (7, 10)


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class SchoolCalendar:
    year: SchoolYear
    settings: CalendarSettings = CalendarSettings()

    def _in_year(self, month_day: tuple[int, int]) -> date:
        month, day = month_day
        year = self.year.start_year if month >= 8 else self.year.start_year + 1
        return _clamped(year, month, day)

    @property
    def last_school_day(self) -> date:
        chosen = self.settings.last_school_day
        if chosen is not None and self.year.contains(chosen):
            return chosen
        return self._in_year(DEFAULT_LAST_SCHOOL_DAY)

    @property
    def aanmeld_deadline(self) -> date:
        return self._in_year(self.settings.aanmeld_deadline)

    def anchor_date(self, anchor: Anchor) -> date:
        match anchor:
            case Anchor.YEAR_START:
                return self.year.first_day
            case Anchor.BIJSTEL_START:
                return self._in_year(self.settings.bijstel_start)
            case Anchor.BIJSTEL_END:
                return self._in_year(self.settings.bijstel_end)
            case Anchor.UITSTROOMOVERLEG:
                return self._in_year(self.settings.uitstroomoverleg)
            case Anchor.APRIL_1:
                return self.aanmeld_deadline
            case Anchor.LAST_SCHOOL_DAY:
                return self.last_school_day
        raise ValueError(anchor)

    def school_day(self, day: date) -> date:
        """A school task's date: `day`, or the school day before it when there is no school
        (weekend; a holiday of the school's region)."""
        return school_day_on_or_before(day, self.settings.holiday_region)

    def in_bijstel_window(self, day: date) -> bool:
        """December/January: the one moment to adjust the intended destination on purpose."""
        return self.anchor_date(Anchor.BIJSTEL_START) <= day <= self.anchor_date(Anchor.BIJSTEL_END)

    def registered_on_time(self, registered_on: date) -> bool:
        """Registration for mbo gives toelatingsrecht when it happens by 1 April, inclusive."""
        return registered_on <= self.aanmeld_deadline
