"""Deadlines and tasks as an .ics file for Outlook or Google Calendar.

Calendars get synced to phones and shared with colleagues, so event texts carry no
special-category data: a pupil is named by roepnaam, the initial of the achternaam and the klas,
and the text says only what has to happen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from uitstroom.domain.calendar import Anchor, SchoolCalendar

if TYPE_CHECKING:
    from icalendar import Event

PRODID = "-//Uitstroom//Uitstroom//NL"


@dataclass(frozen=True)
class CalendarTask:
    """One open task of one pupil, with a stable id so a re-export updates, not duplicates."""

    uid: str
    pupil_label: str  # "Noa J. (PRO4A)"
    title: str
    due: date


def pupil_label(roepnaam: str, achternaam: str, klas: str) -> str:
    initial = f" {achternaam.strip()[:1].upper()}." if achternaam.strip() else ""
    return f"{roepnaam.strip()}{initial}" + (f" ({klas})" if klas else "")


SCHOOL_DEADLINES = (
    (Anchor.BIJSTEL_START, "Begin bijstelperiode: uitstroombestemming bekijken"),
    (Anchor.BIJSTEL_END, "Einde bijstelperiode"),
    (Anchor.UITSTROOMOVERLEG, "Uitstroomoverleg met de gemeente (route arbeid)"),
    (Anchor.APRIL_1, "1 april: uiterste aanmelddatum mbo; gesprekken met leerbedrijven"),
    (Anchor.LAST_SCHOOL_DAY, "Laatste schooldag: warme overdracht gedaan"),
)


def build_ics(
    school_calendar: SchoolCalendar,
    tasks: Iterable[CalendarTask],
    name: str,
    stamp: datetime,
) -> bytes:
    # icalendar on first use: the start screen never writes a calendar.
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for anchor, summary in SCHOOL_DEADLINES:
        day = school_calendar.anchor_date(anchor)
        calendar.add_component(
            _all_day(
                f"deadline-{anchor.value}-{school_calendar.year.label}@uitstroom",
                summary,
                day,
                stamp,
            )
        )
    for task in tasks:
        calendar.add_component(
            _all_day(f"{task.uid}@uitstroom", f"{task.pupil_label}: {task.title}", task.due, stamp)
        )
    return calendar.to_ical()


def _all_day(uid: str, summary: str, day: date, stamp: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event
