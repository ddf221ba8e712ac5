"""On the school's server the database itself keeps support needs, notes and the trail's details
from read-only logins (and the trail's details from mentors), while the program keeps working
for them (issue 18, item 2). Against the tests' real PostgreSQL; the SQLite runs skip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import text

from uitstroom.domain.actor import Actor, Role, User
from uitstroom.services.database import Database, open_server
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.exit import ExitService
from uitstroom.services.handover import HandoverService
from uitstroom.services.nazorg import NazorgService
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService
from uitstroom.services.users import UserService
from uitstroom.storage.readonly import (
    AUDIT_DETAILS,
    HIDDEN_FROM_READONLY,
    MENTOR,
    READABLE_BY_READONLY,
    READONLY,
    VIEWS,
)

psycopg = pytest.importorskip("psycopg")

DAY = date(2026, 11, 23)
LOGINS = {"kvisser_grants": READONLY, "akramer_grants": MENTOR}
PASSWORD = "fietsbel-77"


@dataclass(frozen=True)
class Server:
    database: Database
    host: str
    port: int
    dbname: str

    def connect(self, login: str) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host, port=self.port, dbname=self.dbname, user=login, password=PASSWORD
        )

    def open_as(self, login: str) -> Database:
        url = self.database.engine.url.set(
            username=login, password=None, host=self.host, port=self.port, database=self.dbname
        )
        return open_server(url.render_as_string(False), PASSWORD)


@pytest.fixture
def server(database: Database) -> Iterator[Server]:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("grants and views are the server's")
    insert_demo_cohort(database.sessions, today=DAY)
    coordinator = UserService(database.sessions).who_is_working().login
    UserService(database.sessions).save_users(
        [
            User("Marloes", coordinator, Role.COORDINATOR),
            User("Anja Kramer", "akramer_grants", Role.MENTOR, "mw. A. Kramer"),
        ],
    )
    with database.engine.connect() as connection:
        for login, group in LOGINS.items():
            connection.execute(text(f"DROP ROLE IF EXISTS {login}"))
            connection.execute(
                text(f"CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}' IN ROLE {group}")
            )
        connection.commit()
    raw = database.engine.raw_connection()
    info = raw.driver_connection.info  # type: ignore[union-attr]
    found = Server(database, info.host, info.port, info.dbname)
    raw.close()
    try:
        yield found
    finally:
        with database.engine.connect() as connection:
            for login in LOGINS:
                connection.execute(text(f"DROP OWNED BY {login}"))
                connection.execute(text(f"DROP ROLE {login}"))
            connection.commit()


def privileges(database: Database, role: str) -> dict[tuple[str, str], bool]:
    """(table, column) -> may `role` SELECT it, for every column of every table in public."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT table_name, column_name, "
                "has_column_privilege(:role, format('public.%I', table_name), column_name, "
                "'SELECT') FROM information_schema.columns WHERE table_schema = 'public'"
            ),
            {"role": role},
        ).all()
    return {(table, column): allowed for table, column, allowed in rows}


def test_every_table_and_column_follows_the_rules(server: Server) -> None:
    readonly = privileges(server.database, READONLY)
    tables = {table for table, _ in readonly}
    # A table added without saying what read-only may read of it fails here.
    assert tables - set(HIDDEN_FROM_READONLY) - READABLE_BY_READONLY == set()
    assert set(HIDDEN_FROM_READONLY) | READABLE_BY_READONLY == tables
    for (table, column), allowed in readonly.items():
        hidden = HIDDEN_FROM_READONLY.get(table, frozenset())
        if table == "audit_event":
            hidden = AUDIT_DETAILS
        assert allowed is (column not in hidden), (table, column)
    mentor = privileges(server.database, MENTOR)
    assert {key for key, allowed in mentor.items() if not allowed} == {
        ("audit_event", column) for column in AUDIT_DETAILS
    }
    # Every view shows every column of its table (a column added later must be added there).
    with server.database.engine.connect() as connection:
        for table in HIDDEN_FROM_READONLY:
            columns = [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = :schema AND table_name = :table ORDER BY ordinal_position"
                    ),
                    {"schema": VIEWS, "table": table},
                )
            ]
            in_table = [c for t, c in readonly if t == table]
            assert sorted(columns) == sorted(in_table), table


def test_psql_as_read_only_reads_no_support_needs_and_no_trail_details(server: Server) -> None:
    with server.database.engine.connect() as connection:
        connection.execute(
            text("UPDATE pupil SET ondersteuningsbehoefte = 'Prikkelarme werkplek (ASS)'")
        )
        connection.commit()
    with server.connect("kvisser_grants") as reader:
        names = reader.execute("SELECT roepnaam FROM public.pupil").fetchall()
        assert len(names) == 48
        for table, columns in HIDDEN_FROM_READONLY.items():
            for column in sorted(columns):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    reader.execute(f"SELECT {column} FROM public.{table}")
                reader.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("SELECT * FROM public.pupil")
        reader.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("SELECT detail FROM audit_event")
        reader.rollback()
        # The views the program reads hold every pupil, the support needs blank.
        blank = reader.execute(
            f"SELECT DISTINCT ondersteuningsbehoefte FROM {VIEWS}.pupil"
        ).fetchall()
        assert blank == [("",)]
    with server.database.engine.connect() as connection:
        filled = connection.execute(
            text("SELECT count(*) FROM pupil WHERE ondersteuningsbehoefte LIKE '%ASS%'")
        ).scalar()
    assert filled == 48  # they are there, for the coordinator


def test_a_mentor_appends_to_the_trail_but_does_not_read_what_it_says(server: Server) -> None:
    with server.connect("akramer_grants") as mentor:
        lines = mentor.execute("SELECT id, action, hash FROM audit_event").fetchall()
        assert lines
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            mentor.execute("SELECT detail FROM audit_event")


def test_the_program_works_for_a_read_only_login_and_shows_no_support_needs(
    server: Server,
) -> None:
    with server.database.engine.connect() as connection:
        connection.execute(text("UPDATE pupil SET ondersteuningsbehoefte = 'Dyslexie'"))
        connection.execute(text("UPDATE paspoort SET nodig = 'Rust', aanpak = 'Vaste plek'"))
        connection.commit()
    reading = server.open_as("kvisser_grants")
    try:
        actor = Actor("K. Visser", Role.READONLY)
        pupils = PupilService(reading.sessions, actor=actor)
        summaries = pupils.summaries()
        assert len(summaries) == 48
        for summary in summaries[:10]:
            record = pupils.record(summary.id)
            assert record.pupil.ondersteuningsbehoefte == ""
            assert record.timeline == ()
        planning = PlanningService(reading.sessions, actor=actor)
        assert planning.attention(DAY) is not None
        assert len(planning.statuses(DAY)) == 48
        handover = HandoverService(reading.sessions, actor=actor)
        paspoort = handover.paspoort(summaries[0].id)
        assert paspoort.nodig == paspoort.aanpak == paspoort.aanpassingen == ""
        NazorgService(reading.sessions, actor=actor).files()
        ExitService(reading.sessions, actor=actor).open_students()
    finally:
        reading.close()


def test_the_program_works_for_a_mentor_login_on_their_own_pupils(server: Server) -> None:
    working = server.open_as("akramer_grants")
    try:
        actor = Actor("Anja Kramer", Role.MENTOR, mentor_name="mw. A. Kramer")
        pupils = PupilService(working.sessions, actor=actor)
        own = pupils.summaries()
        assert own and all(s.mentor == "mw. A. Kramer" for s in own)
        opened = pupils.open(own[0].id)  # logged in the trail, by the mentor
        assert opened.pupil.mentor == "mw. A. Kramer"
        statuses = PlanningService(working.sessions, actor=actor).statuses(DAY)
        assert set(statuses) == {s.id for s in own}
    finally:
        working.close()
