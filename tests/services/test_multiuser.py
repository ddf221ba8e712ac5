"""Several people on one shared database: each change carries its author, two people editing
the same pupil do not overwrite each other, and a window can see that someone changed data.

Each person is their own session factory on the same engine (their own connection), the way
two laptops share a server; the services are the ones the window uses."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from factories import fixed_clock, make_pupil
from uitstroom.domain.actor import Actor, Role
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.handover import (
    Consent,
    Consenter,
    LegalBasis,
    Paspoort,
    Receiver,
    Section,
)
from uitstroom.domain.model import SchoolSettings, Stage
from uitstroom.domain.nazorg import CallRecord, CallStatus, Channel, Destination, Leaving
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database
from uitstroom.services.errors import ConflictError
from uitstroom.services.handover import HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.users import ChangeService
from uitstroom.storage.models import (
    ConsentRow,
    LeavingRow,
    NazorgCallRow,
    PupilRow,
    PupilTaskRow,
    RouteRow,
    StageRow,
)

COHORT = "2026-2027"
NOW = datetime(2026, 11, 23, 9, 30)
ANJA = Actor("Anja de Vries", Role.COORDINATOR)
BRAM = Actor("Bram Yilmaz", Role.COORDINATOR)


def person(database: Database) -> sessionmaker[Session]:
    """A second person: their own sessions, so their own connection to the same database."""
    return sessionmaker(database.engine, expire_on_commit=False)


def pupils_of(database: Database, actor: Actor) -> PupilService:
    return PupilService(person(database), clock=fixed_clock(NOW), actor=actor)


@pytest.fixture
def pupil_id(database: Database) -> int:
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Anja de Vries")
    )
    record = pupils_of(database, ANJA).create(make_pupil(), COHORT)
    assert record.pupil.id is not None
    return record.pupil.id


def test_the_second_of_two_people_editing_a_pupil_gets_a_conflict_not_an_overwrite(
    database: Database, pupil_id: int
) -> None:
    anja, bram = pupils_of(database, ANJA), pupils_of(database, BRAM)
    seen_by_anja = anja.open(pupil_id).pupil
    seen_by_bram = bram.open(pupil_id).pupil

    anja.save(replace(seen_by_anja, klas="PRO4B"))
    with pytest.raises(ConflictError) as refused:
        bram.save(replace(seen_by_bram, mentor="dhr. P. Lindeman", telefoon="06 11112222"))

    message = str(refused.value)
    assert message.startswith("Iemand anders (Anja de Vries) heeft deze leerling net gewijzigd.")
    assert "Uw wijziging is niet opgeslagen" in message
    assert "nog eens in" in message
    now = bram.record(pupil_id).pupil
    assert (now.klas, now.mentor, now.telefoon) == ("PRO4B", "mw. A. Kramer", "06 12345678")
    assert now.version == seen_by_anja.version + 1
    with database.sessions() as session:
        assert session.get(PupilRow, pupil_id).updated_by == "Anja de Vries"
    # The trail shows both: Anja's change and Bram's attempt that was not stored.
    lines = [e for e in AuditService(database.sessions).entries(False) if e.pupil_id == pupil_id]
    mine = [(e.actor, e.action, e.detail) for e in lines if e.action is not AuditAction.CREATED]
    assert ("Anja de Vries", AuditAction.EDITED, "velden: klas") in mine
    assert (
        "Bram Yilmaz",
        AuditAction.REFUSED,
        "leerlinggegevens niet opgeslagen: iemand anders had het net gewijzigd",
    ) in mine
    assert not any(a == "Bram Yilmaz" and act is AuditAction.EDITED for a, act, _ in mine)
    assert AuditService(database.sessions).check().whole

    # Reloading and doing it again works, on top of Anja's change.
    again = bram.save(replace(bram.record(pupil_id).pupil, mentor="dhr. P. Lindeman"))
    assert (again.pupil.klas, again.pupil.mentor) == ("PRO4B", "dhr. P. Lindeman")
    assert again.timeline[-1].author == "Bram Yilmaz"


def test_a_save_that_races_another_at_the_database_is_refused_too(
    database: Database, pupil_id: int
) -> None:
    """Both read the same version; Anja's write lands between Bram's read and his write
    (the version check in the UPDATE itself, not the one before it)."""
    anja = pupils_of(database, ANJA)
    bram_sessions = person(database)
    bram = PupilService(bram_sessions, clock=fixed_clock(NOW), actor=BRAM)
    loaded = bram.record(pupil_id).pupil
    raced = []

    def anja_first(session: Session, _context: object, _instances: object) -> None:
        if not raced:
            raced.append(True)
            anja.save(replace(anja.record(pupil_id).pupil, klas="PRO4C"))

    event.listen(bram_sessions, "before_flush", anja_first)
    with pytest.raises(ConflictError, match=r"Iemand anders \(Anja de Vries\)"):
        bram.save(replace(loaded, klas="PRO4D"))
    assert raced
    assert anja.record(pupil_id).pupil.klas == "PRO4C"


def test_every_change_carries_the_name_of_who_made_it(database: Database, pupil_id: int) -> None:
    sessions = person(database)
    clock = fixed_clock(NOW)
    pupils = PupilService(sessions, clock=clock, actor=BRAM)
    pupil = pupils.record(pupil_id).pupil
    pupils.save(replace(pupil, route=replace(pupil.route, werkgever="Bakkerij Jansen")))
    pupils.save_stage(pupil_id, Stage(leerbedrijf="Garage Smit"))
    planning = PlanningService(sessions, clock=clock, actor=BRAM)
    task = planning.tasks(pupil_id)[0]
    planning.tick(task.id)
    handover = HandoverService(sessions, clock=clock, actor=BRAM)
    handover.record_consent(
        pupil_id,
        Consent(
            Receiver.MBO,
            LegalBasis.TOESTEMMING,
            frozenset({Section.WIE}),
            date(2026, 11, 2),
            consenter=Consenter.LEERLING,
            consenter_name="Zoë van der Meer",
        ),
    )
    handover.save_paspoort(pupil_id, Paspoort(wie="Zoë houdt van koken."))
    nazorg = NazorgService(sessions, clock=fixed_clock(datetime(2027, 8, 20, 9)), actor=BRAM)
    nazorg.record_leaving(
        pupil_id, Leaving(date(2027, 7, 10), Destination.WERK, employer="Bakkerij Jansen")
    )
    nazorg.log_call(
        pupil_id,
        CallRecord(date(2027, 8, 19), True, Channel.TELEFOON, CallStatus.WERK),
    )

    with database.sessions() as session:
        assert session.get(PupilRow, pupil_id).updated_by == "Bram Yilmaz"
        assert session.get(RouteRow, pupil_id).updated_by == "Bram Yilmaz"
        stage = session.scalar(select(StageRow).where(StageRow.pupil_id == pupil_id))
        assert (stage.updated_by, stage.updated_at) == ("Bram Yilmaz", NOW)
        ticked = session.get(PupilTaskRow, task.id)
        assert (ticked.done_by, ticked.updated_by) == ("Bram Yilmaz", "Bram Yilmaz")
        consent = session.scalar(select(ConsentRow).where(ConsentRow.pupil_id == pupil_id))
        assert consent.updated_by == "Bram Yilmaz"
        assert handover.paspoort(pupil_id).updated_by == "Bram Yilmaz"
        leaving = session.scalar(select(LeavingRow).where(LeavingRow.pupil_id == pupil_id))
        assert leaving.recorded_by == leaving.updated_by == "Bram Yilmaz"
        made = session.scalar(select(NazorgCallRow).where(NazorgCallRow.pupil_id == pupil_id))
        assert made.by == "Bram Yilmaz"
    lines = [e for e in AuditService(database.sessions).entries() if e.pupil_id == pupil_id]
    assert {e.actor for e in lines if e.action is not AuditAction.CREATED} == {"Bram Yilmaz"}


def test_two_plans_saved_from_the_same_reading_do_not_overwrite_each_other(
    database: Database, pupil_id: int
) -> None:
    anja = HandoverService(person(database), clock=fixed_clock(NOW), actor=ANJA)
    bram = HandoverService(person(database), clock=fixed_clock(NOW), actor=BRAM)
    read_by_both = anja.paspoort(pupil_id)
    assert read_by_both.version == 0  # none yet

    anja.save_paspoort(pupil_id, replace(read_by_both, wie="Zoë houdt van koken."))
    with pytest.raises(ConflictError, match=r"Iemand anders \(Anja de Vries\) heeft het paspoort"):
        bram.save_paspoort(pupil_id, replace(read_by_both, kan="Goed met klanten."))
    stored = bram.paspoort(pupil_id)
    assert (stored.wie, stored.kan) == ("Zoë houdt van koken.", "")
    bram.save_paspoort(pupil_id, replace(stored, kan="Goed met klanten."))
    assert bram.paspoort(pupil_id).version == stored.version + 1


def test_calls_logged_at_the_same_time_for_one_leaver_are_all_kept(
    database: Database, pupil_id: int
) -> None:
    """Calls only add: a clash on the file's version is retried inside the service."""
    at = fixed_clock(datetime(2027, 8, 20, 9))
    NazorgService(database.sessions, clock=at).record_leaving(
        pupil_id,
        Leaving(date(2027, 7, 10), Destination.MBO, mbo_instelling="ROC Midden Nederland"),
    )
    with database.sessions() as session:
        start = session.scalar(select(LeavingRow.version).where(LeavingRow.pupil_id == pupil_id))
    people = [Actor(f"Mentor {n}", Role.COORDINATOR) for n in range(4)]
    errors: list[BaseException] = []

    def calls(actor: Actor) -> None:
        nazorg = NazorgService(person(database), clock=at, actor=actor)
        for _ in range(5):
            try:
                nazorg.log_call(pupil_id, CallRecord(date(2027, 8, 19), False, Channel.TELEFOON))
            except Exception as exc:  # reported below
                errors.append(exc)

    threads = [threading.Thread(target=calls, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with database.sessions() as session:
        made = session.scalars(
            select(NazorgCallRow.by).where(NazorgCallRow.pupil_id == pupil_id)
        ).all()
        version = session.scalar(select(LeavingRow.version).where(LeavingRow.pupil_id == pupil_id))
    assert sorted(made) == sorted(p.name for p in people for _ in range(5))
    assert version == start + 20  # one step per call: none lost
    assert AuditService(database.sessions).check().whole


def test_the_change_marker_moves_when_someone_changes_data_and_only_then(
    database: Database, pupil_id: int
) -> None:
    window = ChangeService(database.sessions)
    anja, bram = pupils_of(database, ANJA), pupils_of(database, BRAM)
    before = window.mark()

    bram.open(pupil_id)  # a view is logged, but nothing changed
    assert window.mark() == before
    stale = anja.record(pupil_id).pupil
    bram.save(replace(bram.record(pupil_id).pupil, klas="PRO4B"))
    after = window.mark()
    assert after.counter > before.counter
    assert (after.changed_by, after.changed_at) == ("Bram Yilmaz", NOW)
    with pytest.raises(ConflictError):
        anja.save(replace(stale, klas="PRO4C"))
    assert window.mark() == after  # refused: nothing changed


def test_many_people_saving_one_pupil_lose_no_change_and_keep_the_trail_whole(
    database: Database, pupil_id: int
) -> None:
    """Each one does what the conflict message asks: read again and redo. Every stored change
    moves the version once, every refusal leaves its line, and the chain stays one chain
    (a refusal's line takes its turn at the trail like any change)."""
    with database.sessions() as session:
        start = session.scalar(select(PupilRow.version).where(PupilRow.id == pupil_id))
    stored: list[str] = []
    refusals: list[str] = []
    errors: list[BaseException] = []

    def edits(n: int) -> None:
        me = PupilService(person(database), clock=fixed_clock(NOW), actor=Actor(f"Mentor {n}"))
        for k in range(6):
            phone = f"06 {n:02d}{k:06d}"
            while True:
                try:
                    me.save(replace(me.record(pupil_id).pupil, telefoon=phone))
                except ConflictError:
                    refusals.append(phone)
                    continue
                except Exception as exc:  # reported below
                    errors.append(exc)
                stored.append(phone)
                break

    threads = [threading.Thread(target=edits, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with database.sessions() as session:
        version = session.scalar(select(PupilRow.version).where(PupilRow.id == pupil_id))
    assert version == start + len(stored) == start + 24
    trail = AuditService(database.sessions)
    lines = [e for e in trail.entries() if e.pupil_id == pupil_id]
    assert sum(e.action is AuditAction.REFUSED for e in lines) == len(refusals)
    assert sum(e.action is AuditAction.EDITED for e in lines) == 24
    assert trail.check().whole
