"""Who is working is given once, when a service is built (services.base.Service): the laptop's
coordinator is named by the school settings at the moment a change is stored; a person from
the user list by their own name."""

from __future__ import annotations

from factories import fixed_clock, make_pupil
from uitstroom.domain.actor import coordinator
from uitstroom.domain.model import SchoolSettings
from uitstroom.services.audit import AuditService
from uitstroom.services.pupils import PupilService, SchoolService


def test_the_laptops_coordinator_is_named_as_the_settings_say_when_a_change_is_stored(
    database,
) -> None:
    school = SchoolService(database.sessions)
    pupils = PupilService(database.sessions, clock=fixed_clock())  # built once, no name given
    school.save_settings(SchoolSettings(name="De Linde", coordinator_name="Anouk Visser"))
    pupil_id = pupils.create(make_pupil(), "2026-2027").pupil.id
    assert pupil_id is not None
    pupils.add_note(pupil_id, "Eerste gesprek gehad.")

    # The coordinator corrects her name under Instellingen while the window stays open.
    school.save_settings(SchoolSettings(name="De Linde", coordinator_name="Anouk de Visser"))
    record = pupils.add_note(pupil_id, "Tweede gesprek gehad.")

    assert [(t.text, t.author) for t in record.timeline if "gesprek" in t.text] == [
        ("Eerste gesprek gehad.", "Anouk Visser"),
        ("Tweede gesprek gehad.", "Anouk de Visser"),
    ]
    notes = [e.actor for e in AuditService(database.sessions).entries() if e.pupil_id]
    assert notes[0] == "Anouk de Visser" and "Anouk Visser" in notes


def test_a_named_person_writes_their_own_name_whatever_the_settings_say(database) -> None:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Linde", coordinator_name="Anouk Visser")
    )
    pupils = PupilService(database.sessions, actor=coordinator("Bram Yilmaz"))
    record = pupils.create(make_pupil(), "2026-2027")
    assert record.pupil.id is not None
    noted = pupils.add_note(record.pupil.id, "Stageplek gevonden.")
    assert [t.author for t in noted.timeline if t.text == "Stageplek gevonden."] == ["Bram Yilmaz"]
