"""The roles in a shared database, enforced by the services: a coordinator may do everything,
a mentor reaches their own pupils only, a read-only user changes nothing and never sees support
needs, notes or the paspoort's parts about them. A refusal says what to do and changes nothing.

On PostgreSQL the server holds the same line for someone who connects with another tool: a
mentor's login sees only their pupils' rows, read-only cannot read support needs at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from factories import dump, fixed_clock, make_pupil
from import_files import pupil_rows, write_csv
from uitstroom.domain.actor import Actor, Role, User
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.handover import DocumentKind, Paspoort
from uitstroom.domain.model import SchoolSettings, Stage
from uitstroom.domain.nazorg import CallRecord, CallStatus, Channel, Destination, Leaving
from uitstroom.services.audit import AuditService
from uitstroom.services.database import Database, open_server
from uitstroom.services.errors import NotAllowed, ValidationError
from uitstroom.services.exit import ExitService
from uitstroom.services.export import export_pupils
from uitstroom.services.handover import DocumentService, HandoverService, MadeDocument
from uitstroom.services.importing import ImportService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.retention import RetentionService
from uitstroom.services.rights import RightsService
from uitstroom.services.users import UserService
from uitstroom.storage.models import PupilRow

COHORT = "2026-2027"
NOW = datetime(2026, 11, 23, 9, 30)
KRAMER = Actor("Anja Kramer", Role.MENTOR, mentor_name="mw. A. Kramer")
READER = Actor("Kees Visser", Role.READONLY)
# Changes and lines that do not matter to "nothing changed": the trail gets a refusal line.
NO_TRAIL = ("audit_event", "change_marker")


def made_for(pupil_id: int) -> MadeDocument:
    """A rendered document as a preview holds it, to try to log for this pupil."""
    return MadeDocument(
        DocumentKind.PASPOORT, pupil_id, b"%PDF", None, "", None, frozenset(), "0" * 16
    )


@pytest.fixture
def school(database: Database) -> dict[str, int]:
    """Three pupils: two of mw. A. Kramer (written two ways), one of dhr. P. Lindeman, with
    support needs, a note and a paspoort."""
    SchoolService(database.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Marloes")
    )
    pupils = PupilService(database.sessions, clock=fixed_clock(NOW))
    ids = {}
    for key, number, mentor in (
        ("zoe", "200001", "mw. A. Kramer"),
        ("sem", "200002", "Mw.  A. KRAMER "),
        ("noa", "200003", "dhr. P. Lindeman"),
    ):
        record = pupils.create(
            make_pupil(
                leerlingnummer=number,
                mentor=mentor,
                ondersteuningsbehoefte="Heeft een rustige werkplek nodig (ASS).",
            ),
            COHORT,
        )
        assert record.pupil.id is not None
        ids[key] = record.pupil.id
        pupils.add_note(record.pupil.id, "Moeder belde over de stage.")
        HandoverService(database.sessions, clock=fixed_clock(NOW)).save_paspoort(
            record.pupil.id,
            Paspoort(wie="Houdt van koken.", nodig="Korte opdrachten, één tegelijk.", aanpak="x"),
        )
    return ids


def as_(database: Database, actor: Actor) -> PupilService:
    return PupilService(database.sessions, clock=fixed_clock(NOW), actor=actor)


def test_a_mentor_sees_and_edits_only_their_own_pupils(
    database: Database, school: dict[str, int]
) -> None:
    mine = as_(database, KRAMER)
    assert {s.id for s in mine.summaries()} == {school["zoe"], school["sem"]}
    assert mine.record(school["sem"]).pupil.ondersteuningsbehoefte  # their own: everything
    saved = mine.save(replace(mine.record(school["zoe"]).pupil, klas="PRO4B"))
    assert saved.pupil.klas == "PRO4B" and saved.timeline[-1].author == "Anja Kramer"

    before = dump(database, exclude=NO_TRAIL)
    other = school["noa"]
    for attempt in (
        lambda: mine.record(other),
        lambda: mine.open(other),
        lambda: mine.add_note(other, "Gebeld."),
        lambda: mine.save_stage(other, Stage(leerbedrijf="Garage Smit")),
        lambda: HandoverService(database.sessions, actor=KRAMER).paspoort(other),
        lambda: PlanningService(database.sessions, actor=KRAMER).tick(
            PlanningService(database.sessions).tasks(other)[0].id
        ),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert str(refused.value).startswith(
            "Deze leerling heeft een andere mentor dan mw. A. Kramer."
        )
        assert "Vraag de coördinator" in str(refused.value)
    noa = PupilService(database.sessions).record(other).pupil
    with pytest.raises(NotAllowed):
        mine.save(replace(noa, klas="PRO4C"))
    assert dump(database, exclude=NO_TRAIL) == before
    refused_lines = [
        e for e in AuditService(database.sessions).entries() if e.action is AuditAction.REFUSED
    ]
    assert [(e.actor, e.pupil_id) for e in refused_lines] == [("Anja Kramer", other)]


def test_a_mentor_cannot_hand_a_pupil_to_another_mentor_or_run_the_school(
    database: Database, school: dict[str, int]
) -> None:
    mine = as_(database, KRAMER)
    zoe = mine.record(school["zoe"]).pupil
    with pytest.raises(NotAllowed, match="Alleen de coördinator kan de mentor"):
        mine.save(replace(zoe, mentor="dhr. P. Lindeman"))
    for attempt in (
        lambda: mine.create(make_pupil(leerlingnummer="200009"), COHORT),
        lambda: SchoolService(database.sessions, actor=KRAMER).save_settings(
            SchoolSettings(name="Andere school")
        ),
        lambda: RetentionService(database.sessions, actor=KRAMER).purge(date(2026, 11, 23)),
        lambda: UserService(database.sessions, actor=KRAMER).save_users([]),
        lambda: NazorgService(database.sessions, actor=KRAMER).save_offsets([1, 6, 12]),
    ):
        with pytest.raises(NotAllowed, match="Dit mag alleen de coördinator doen"):
            attempt()
    assert PupilService(database.sessions).record(school["zoe"]).pupil.mentor == "mw. A. Kramer"


def test_a_mentor_logs_calls_for_their_own_leavers_and_sees_only_those_in_the_agenda(
    database: Database, school: dict[str, int]
) -> None:
    at = fixed_clock(datetime(2027, 8, 20, 9))
    coordinator = NazorgService(database.sessions, clock=at)
    for pupil_id in school.values():
        coordinator.record_leaving(
            pupil_id, Leaving(date(2027, 7, 10), Destination.WERK, employer="Bakkerij")
        )
    mentor = NazorgService(database.sessions, clock=at, actor=KRAMER)
    called = CallRecord(date(2027, 8, 19), True, Channel.TELEFOON, CallStatus.WERK)
    mentor.log_call(school["zoe"], called)
    with pytest.raises(NotAllowed):
        mentor.log_call(school["noa"], called)
    assert {f.pupil_id for f in mentor.files()} == {school["zoe"], school["sem"]}
    agenda = mentor.agenda(date(2028, 8, 20))  # every call overdue by then
    assert agenda and {item.pupil_id for item in agenda} <= {school["zoe"], school["sem"]}
    assert len(coordinator.files()) == 3


def test_read_only_gets_figures_and_lists_but_no_support_needs_and_changes_nothing(
    database: Database, school: dict[str, int]
) -> None:
    reader = as_(database, READER)
    assert len(reader.summaries()) == 3  # the list, with names and routes
    record = reader.record(school["zoe"])
    assert record.pupil.ondersteuningsbehoefte == ""
    assert PupilService(database.sessions).record(school["zoe"]).timeline
    assert record.timeline == ()  # its lines repeat exit reasons and consents
    exits = ExitService(database.sessions, clock=fixed_clock(NOW))
    concept = replace(exits.start(school["zoe"]), dropout_reason="Gezondheid")
    exits.save_concept(school["zoe"], concept)
    seen = ExitService(database.sessions, actor=READER).interview(school["zoe"])
    assert seen is not None and seen.dropout_reason == "" and not seen.help_wanted
    assert all(p.ondersteuningsbehoefte == "" for p in reader.pupils())
    paspoort = HandoverService(database.sessions, actor=READER).paspoort(school["zoe"])
    assert (paspoort.wie, paspoort.nodig, paspoort.aanpak) == ("Houdt van koken.", "", "")
    # Opening is not logged as a view of support needs: none were shown.
    reader.open(school["zoe"])
    assert not any(
        e.action is AuditAction.VIEWED_SUPPORT and e.actor == "Kees Visser"
        for e in AuditService(database.sessions).entries()
    )

    before = dump(database, exclude=NO_TRAIL)
    zoe = PupilService(database.sessions).record(school["zoe"]).pupil
    handover = HandoverService(database.sessions, actor=READER)
    for attempt in (
        lambda: reader.save(replace(zoe, klas="PRO4B")),
        lambda: reader.add_note(school["zoe"], "Gebeld."),
        lambda: handover.save_paspoort(school["zoe"], Paspoort(wie="Anders.")),
        lambda: handover.alongside(DocumentService).make(
            DocumentKind.PASPOORT, school["zoe"], date(2026, 11, 23)
        ),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert str(refused.value).startswith("U mag in Uitstroom alleen kijken")
    assert dump(database, exclude=NO_TRAIL) == before


def test_the_user_list_decides_who_is_working(database: Database, school: dict[str, int]) -> None:
    users = UserService(database.sessions)
    me = users.who_is_working()
    assert me.listed and me.actor.role is Role.COORDINATOR  # no list: the laptop's coordinator
    assert me.actor.name == "Marloes"

    with pytest.raises(ValidationError) as wrong:
        users.save_users(
            [
                User("Anja Kramer", "akramer", Role.MENTOR),
                User("Ander", "AKRAMER", Role.READONLY),
            ],
        )
    assert "de inlognaam 'AKRAMER' staat ook op regel 1" in str(wrong.value)
    assert "Zet minstens één coördinator in de lijst." in wrong.value.problems
    assert users.users() == []

    saved = users.save_users(
        [
            User("Marloes Jansen", me.login, Role.COORDINATOR),
            User("Anja Kramer", "akramer", Role.MENTOR, "mw. A. Kramer"),
        ],
    )
    assert [u.name for u in saved] == ["Anja Kramer", "Marloes Jansen"]
    assert users.who_is_working("AKramer").actor == KRAMER
    stranger = users.who_is_working("onbekend123")
    assert not stranger.listed and stranger.actor.role is Role.READONLY
    line = AuditService(database.sessions).entries()[0]
    assert (line.action, line.detail) == (
        AuditAction.SETTINGS,
        "velden: gebruikers (2 in de lijst)",
    )


# --- the server's own wall ---------------------------------------------------------------------


def test_on_postgresql_a_mentor_login_sees_only_their_pupils_rows(
    database: Database, school: dict[str, int]
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("roles and row-level security are PostgreSQL's")
    psycopg = pytest.importorskip("psycopg")
    UserService(database.sessions).save_users(
        [
            User(
                "Marloes", UserService(database.sessions).who_is_working().login, Role.COORDINATOR
            ),
            User("Anja Kramer", "akramer_test", Role.MENTOR, "mw. A. Kramer"),
        ],
    )
    url = database.engine.url
    with database.engine.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS akramer_test"))
        connection.execute(text("DROP ROLE IF EXISTS kvisser_test"))
        connection.execute(
            text("CREATE ROLE akramer_test LOGIN PASSWORD 'fietsbel-42' IN ROLE uitstroom_mentor")
        )
        connection.execute(
            text("CREATE ROLE kvisser_test LOGIN PASSWORD 'fietsbel-43' IN ROLE uitstroom_readonly")
        )
        connection.commit()
    # The address is parsed into connection parameters (issue 18), not kept in the URL: ask the
    # driver's own connection where it went.
    raw = database.engine.raw_connection()
    where = raw.driver_connection.info  # type: ignore[union-attr]
    host, port, dbname = where.host, where.port, where.dbname
    raw.close()
    try:
        with psycopg.connect(
            host=host,
            port=port,
            dbname=dbname,
            user="akramer_test",
            password="fietsbel-42",
        ) as mentor:
            seen = {row[0] for row in mentor.execute("SELECT id FROM pupil")}
            assert seen == {school["zoe"], school["sem"]}
            timeline = {row[0] for row in mentor.execute("SELECT pupil_id FROM timeline_entry")}
            assert timeline == {school["zoe"], school["sem"]}
            changed = mentor.execute(
                "UPDATE pupil SET klas = 'X' WHERE id = %s", (school["noa"],)
            ).rowcount
            assert changed == 0
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                mentor.execute("UPDATE school_settings SET name = 'Andere school'")
        # A read-only login opens the program: the services show the list and hide the
        # support needs; the server itself refuses any change.
        reading = open_server(
            url.set(
                username="kvisser_test", password=None, host=host, port=port, database=dbname
            ).render_as_string(False),
            "fietsbel-43",
        )
        try:
            reader_pupils = PupilService(
                reading.sessions, clock=fixed_clock(NOW), actor=Actor("K. Visser", Role.READONLY)
            )
            assert len(reader_pupils.summaries()) == 3
            shown = reader_pupils.record(school["noa"]).pupil
            assert shown.leerlingnummer == "200003"
            assert "ASS" not in shown.ondersteuningsbehoefte
        finally:
            reading.close()
        with psycopg.connect(
            host=host,
            port=port,
            dbname=dbname,
            user="kvisser_test",
            password="fietsbel-43",
        ) as reader:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reader.execute("UPDATE pupil SET klas = 'X'")
            reader.rollback()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reader.execute("DELETE FROM timeline_entry")
    finally:
        with database.engine.connect() as connection:
            connection.execute(text("DROP OWNED BY akramer_test, kvisser_test"))
            connection.execute(text("DROP ROLE akramer_test"))
            connection.execute(text("DROP ROLE kvisser_test"))
            connection.commit()
    with database.sessions() as session:
        assert session.scalar(select(PupilRow.klas).where(PupilRow.id == school["noa"])) != "X"


# --- every way in: documents, calendars, exports, the trail ------------------------------------


def test_a_mentor_reaches_another_mentors_pupil_through_no_other_door(
    database: Database, school: dict[str, int], tmp_path: Path
) -> None:
    day = date(2026, 11, 23)
    out = tmp_path / "uit"
    out.mkdir()
    other = school["noa"]
    ExitService(database.sessions, clock=fixed_clock(NOW)).start(other)
    noa_task = PlanningService(database.sessions).tasks(other)[0].id
    planning = PlanningService(database.sessions, clock=fixed_clock(NOW), actor=KRAMER)
    handover = HandoverService(database.sessions, clock=fixed_clock(NOW), actor=KRAMER)
    exits = ExitService(database.sessions, clock=fixed_clock(NOW), actor=KRAMER)
    before = dump(database, exclude=NO_TRAIL)
    for attempt in (
        lambda: planning.tasks(other),
        lambda: planning.status_of(other, day),
        lambda: handover.documents_made(other),
        lambda: handover.alongside(DocumentService).paspoort_doc(other, day),
        lambda: handover.alongside(DocumentService).transitieplan_doc(other, day),
        lambda: handover.alongside(DocumentService).log_made(made_for(other)),
        lambda: handover.alongside(DocumentService).write_batch(
            DocumentKind.PASPOORT, [school["zoe"], other], out, day, one_file=False
        ),
        lambda: exits.summary_doc(other, day),
        lambda: exits.log_summary(other, printed=True),
    ):
        with pytest.raises(NotAllowed, match=r"andere mentor dan mw\. A\. Kramer"):
            attempt()
    assert list(out.iterdir()) == []
    assert dump(database, exclude=NO_TRAIL) == before
    # Their own calendar: their pupils' tasks, not the other mentor's.
    mine = planning.ics(day).decode()
    everyone = PlanningService(database.sessions, clock=fixed_clock(NOW)).ics(day).decode()
    assert f"taak-{noa_task}@" in everyone and f"taak-{noa_task}@" not in mine
    zoe_task = PlanningService(database.sessions).tasks(school["zoe"])[0].id
    assert f"taak-{zoe_task}@" in mine
    # The statuses of the cohort list: their own pupils only, on a file as on a server.
    assert set(planning.statuses(day)) == {school["zoe"], school["sem"]}
    # Finding a pupil by number is for the coordinator's inzage and erasure: a mentor learns
    # nothing from it, not even that another mentor's pupil exists.
    with pytest.raises(NotAllowed):
        RightsService(database.sessions, actor=KRAMER).find("200003")


def test_a_mentors_nazorg_calendar_holds_their_own_leavers(
    database: Database, school: dict[str, int]
) -> None:
    at = fixed_clock(datetime(2027, 8, 20, 9))
    for pupil_id in school.values():
        NazorgService(database.sessions, clock=at).record_leaving(
            pupil_id, Leaving(date(2027, 7, 10), Destination.WERK, employer="Bakkerij")
        )
    everyone = NazorgService(database.sessions, clock=at).ics(date(2027, 8, 20))
    mine = NazorgService(database.sessions, clock=at, actor=KRAMER).ics(date(2027, 8, 20))
    assert everyone.count(b"BEGIN:VEVENT") == 3 * mine.count(b"BEGIN:VEVENT") / 2 > 0


def test_read_only_makes_no_file_with_names_and_reads_no_trail(
    database: Database, school: dict[str, int], tmp_path: Path
) -> None:
    day = date(2026, 11, 23)
    out = tmp_path / "uit"
    out.mkdir()
    zoe = school["zoe"]
    ExitService(database.sessions, clock=fixed_clock(NOW)).start(zoe)
    before = dump(database, exclude=NO_TRAIL)
    handover = HandoverService(database.sessions, clock=fixed_clock(NOW), actor=READER)
    for attempt in (
        lambda: export_pupils(database.sessions, out / "leerlingen.xlsx", user=READER),
        lambda: PlanningService(database.sessions, actor=READER).ics(day),
        lambda: NazorgService(database.sessions, actor=READER).ics(day),
        lambda: handover.alongside(DocumentService).paspoort_doc(zoe, day),
        lambda: handover.alongside(DocumentService).write_batch(
            DocumentKind.PASPOORT, [zoe], out / "alles.pdf", day, one_file=True
        ),
        lambda: handover.alongside(DocumentService).log_made(made_for(zoe)),
        lambda: ExitService(database.sessions, actor=READER).summary_doc(zoe, day),
        lambda: AuditService(database.sessions, actor=READER).entries(),
        lambda: RetentionService(database.sessions, actor=READER).preview(date(2040, 1, 1)),
    ):
        with pytest.raises(NotAllowed) as refused:
            attempt()
        assert "alleen kijken" in str(refused.value) or "alleen de coördinator" in str(
            refused.value
        )
    assert list(out.iterdir()) == []
    assert dump(database, exclude=NO_TRAIL) == before
    # A mentor exports no pupil list either (the coordinator's, as in the window), and the
    # trail and the retention preview (names of every pupil due) are the coordinator's.
    for attempt in (
        lambda: export_pupils(database.sessions, out / "leerlingen.csv", user=KRAMER),
        lambda: AuditService(database.sessions, actor=KRAMER).check(),
        lambda: RetentionService(database.sessions, actor=KRAMER).preview(date(2040, 1, 1)),
    ):
        with pytest.raises(NotAllowed, match="Dit mag alleen de coördinator doen"):
            attempt()


def test_only_the_coordinator_checks_an_import_which_shows_every_pupils_stored_values(
    database: Database, school: dict[str, int], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "export.csv", pupil_rows(3, first=200001))
    for actor in (KRAMER, READER):
        service = ImportService(database.sessions, clock=fixed_clock(NOW), actor=actor)
        table = service.read(path)
        with pytest.raises(NotAllowed):
            service.check(table, COHORT)


def test_anonymous_figures_carry_the_name_of_who_made_them(
    database: Database, school: dict[str, int], tmp_path: Path
) -> None:
    at = fixed_clock(datetime(2027, 8, 20, 9))
    NazorgService(database.sessions, clock=at).record_leaving(
        school["zoe"], Leaving(date(2027, 7, 10), Destination.WERK, employer="Bakkerij")
    )
    NazorgService(database.sessions, clock=at, actor=KRAMER).export_outcomes(
        COHORT, date(2027, 8, 20), tmp_path / "cijfers.xlsx"
    )
    line = AuditService(database.sessions).entries()[0]
    assert (line.action, line.actor) == (AuditAction.EXPORTED, "Anja Kramer")
