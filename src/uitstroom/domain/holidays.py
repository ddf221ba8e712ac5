"""School holidays and weekends: no school task falls on a day without school.

The Dutch school holidays differ per region (noord, midden, zuid) for the herfst-, voorjaars-
and zomervakantie; kerst- and meivakantie are the same everywhere (the meivakantie is the
advised week; a school may add a week). A school chooses its region (optional); without one
only Saturdays and Sundays count as days without school.

The table: the government's advised school holidays (Rijksoverheid, 'Schoolvakanties'), from
the first Saturday to the last Sunday. Check it against rijksoverheid.nl when a school year is
added; a year that is not in the table has weekends only. 2026-2027 was checked against a regio
zuid school's published rooster (herfst-, kerst-, voorjaars- and zomervakantie) in December 2026;
noord's and midden's zomervakantie follow from the yearly rotation and are not checked yet; the
herfstvakantie is an advice for secondary schools, so a school may have moved it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from uitstroom.domain.enums import LabelledEnum


class Region(LabelledEnum):
    NOORD = "noord", "Regio noord"
    MIDDEN = "midden", "Regio midden"
    ZUID = "zuid", "Regio zuid"


@dataclass(frozen=True)
class Holiday:
    name: str
    first: date
    last: date
    regions: frozenset[Region] = frozenset(Region)

    def covers(self, day: date, region: Region) -> bool:
        return region in self.regions and self.first <= day <= self.last


N, M, Z = Region.NOORD, Region.MIDDEN, Region.ZUID

SCHOOL_HOLIDAYS: tuple[Holiday, ...] = (
    # 2025-2026
    Holiday("herfstvakantie", date(2025, 10, 18), date(2025, 10, 26), frozenset({N, M})),
    Holiday("herfstvakantie", date(2025, 10, 11), date(2025, 10, 19), frozenset({Z})),
    Holiday("kerstvakantie", date(2025, 12, 20), date(2026, 1, 4)),
    Holiday("voorjaarsvakantie", date(2026, 2, 21), date(2026, 3, 1), frozenset({N})),
    Holiday("voorjaarsvakantie", date(2026, 2, 14), date(2026, 2, 22), frozenset({M, Z})),
    Holiday("meivakantie", date(2026, 4, 25), date(2026, 5, 3)),
    Holiday("zomervakantie", date(2026, 7, 4), date(2026, 8, 16), frozenset({N})),
    Holiday("zomervakantie", date(2026, 7, 18), date(2026, 8, 30), frozenset({M})),
    Holiday("zomervakantie", date(2026, 7, 11), date(2026, 8, 23), frozenset({Z})),
    # 2026-2027
    Holiday("herfstvakantie", date(2026, 10, 17), date(2026, 10, 25)),
    Holiday("kerstvakantie", date(2026, 12, 19), date(2027, 1, 3)),
    Holiday("voorjaarsvakantie", date(2027, 2, 13), date(2027, 2, 21), frozenset({N})),
    Holiday("voorjaarsvakantie", date(2027, 2, 20), date(2027, 2, 28), frozenset({M})),
    Holiday("voorjaarsvakantie", date(2027, 2, 6), date(2027, 2, 14), frozenset({Z})),
    Holiday("meivakantie", date(2027, 4, 24), date(2027, 5, 2)),
    Holiday("zomervakantie", date(2027, 7, 24), date(2027, 9, 5), frozenset({N})),
    Holiday("zomervakantie", date(2027, 7, 10), date(2027, 8, 22), frozenset({M})),
    Holiday("zomervakantie", date(2027, 7, 17), date(2027, 8, 29), frozenset({Z})),
)


def holiday_on(day: date, region: Region | None) -> Holiday | None:
    if region is None:
        return None
    return next((h for h in SCHOOL_HOLIDAYS if h.covers(day, region)), None)


def is_school_day(day: date, region: Region | None = None) -> bool:
    return day.weekday() < 5 and holiday_on(day, region) is None


def school_day_on_or_before(day: date, region: Region | None = None) -> date:
    """`day` itself when there is school; else the last school day before it (a task due on
    Sunday 31 January is due on Friday 29 January; one due in the zomervakantie on the last
    day before it)."""
    while not is_school_day(day, region):
        holiday = holiday_on(day, region)
        day = (holiday.first if holiday is not None else day) - timedelta(days=1)
    return day
