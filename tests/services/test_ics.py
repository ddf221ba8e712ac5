from datetime import date, datetime

from icalendar import Calendar

from uitstroom.domain.calendar import SchoolCalendar
from uitstroom.domain.schoolyear import SchoolYear
from uitstroom.services.ics import CalendarTask, build_ics, pupil_label


def test_calendar_file_holds_deadlines_and_tasks_without_full_names() -> None:
    tasks = [
        CalendarTask(
            "taak-7",
            pupil_label("Ömer", "Çelik", "PRO4B"),
            "Aangemeld bij het mbo",
            date(2027, 4, 1),
        )
    ]
    data = build_ics(
        SchoolCalendar(SchoolYear(2026)), tasks, "Uitstroom PRO4B", datetime(2026, 11, 23, 9)
    )
    events = {str(e["summary"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert "Ömer Ç. (PRO4B): Aangemeld bij het mbo" in events
    assert events["Ömer Ç. (PRO4B): Aangemeld bij het mbo"].decoded("dtstart") == date(2027, 4, 1)
    april = next(e for s, e in events.items() if s.startswith("1 april"))
    assert april.decoded("dtstart") == date(2027, 4, 1)
    assert "Çelik" not in data.decode("utf-8")
    assert str(events["Ömer Ç. (PRO4B): Aangemeld bij het mbo"]["uid"]) == "taak-7@uitstroom"
