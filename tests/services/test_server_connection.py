"""Connecting to the school's PostgreSQL server: TLS unless on this computer, the password from
the keychain, a Dutch sentence for each thing that goes wrong, and nothing changed when it does."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest

from keyring_double import MemoryKeyring
from pg import Cluster, free_port
from uitstroom.services.connection import (
    ServerAddress,
    ServerProblem,
    check_connection,
    remember_password,
)
from uitstroom.services.database import DatabaseOpenError, ServerRefused, open_database
from uitstroom.storage import keychain, migrate
from uitstroom.storage.engine import make_engine

MENTOR, SECRET = "mentor_kramer", "Fietsbel-2026-tulp"


@pytest.fixture
def server(postgres_server: Cluster) -> Cluster:
    postgres_server.create_role(MENTOR, SECRET)
    return postgres_server


@pytest.fixture
def own_database(server: Cluster) -> Iterator[str]:
    """An empty database owned by the mentor's login, as a server administrator makes one."""
    name = server.create_database(owner=MENTOR)
    yield name
    server.drop_database(name)


def address_of(server: Cluster, database: str, **changes: object) -> ServerAddress:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": server.port,
        "database": database,
        "user": MENTOR,
    }
    values.update(changes)
    return ServerAddress(**values)  # type: ignore[arg-type]


def refusal(url: str, password: str | None = None) -> ServerRefused:
    with pytest.raises(ServerRefused) as raised:
        open_database(url, password=password).close()
    return raised.value


# --- TLS ------------------------------------------------------------------------------------------


def test_a_server_on_another_computer_without_tls_is_refused_before_anything_is_sent() -> None:
    refused = refusal("postgresql://mentor@server.school.invalid/uitstroom?sslmode=prefer")
    assert refused.problem is ServerProblem.NO_TLS
    assert str(refused).startswith("Uitstroom verbindt alleen versleuteld (TLS)")
    assert "?sslmode=verify-full" in str(refused)
    # Without a mode, Uitstroom does try, with TLS and the certificate checked: the next
    # problem is that the host is not there.
    tried = refusal("postgresql://mentor@server.school.invalid/uitstroom")
    assert tried.problem is ServerProblem.UNREACHABLE
    assert "server.school.invalid:5432 is niet bereikbaar" in str(tried)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1", "/var/run/postgresql"])
def test_this_computer_needs_no_tls(host: str) -> None:
    assert ServerAddress(host=host).is_local
    assert not ServerAddress(host="192.168.1.20").is_local


def test_a_server_that_offers_no_tls_where_it_is_required_is_named(server: Cluster) -> None:
    refused = refusal(server.url("postgres") + "?sslmode=require")
    assert refused.problem is ServerProblem.NO_TLS
    assert "biedt geen versleutelde verbinding (TLS) aan" in str(refused)


# --- the password ---------------------------------------------------------------------------------


def test_the_password_comes_from_the_keychain_and_never_into_the_address(
    server: Cluster, own_database: str, memory_keychain: MemoryKeyring
) -> None:
    address = address_of(server, own_database)
    assert "Fietsbel" not in address.url()
    refused = refusal(address.url())  # nothing in the keychain yet
    assert refused.problem is ServerProblem.PASSWORD
    assert str(refused).startswith(f"De server accepteert het wachtwoord van {MENTOR} niet.")

    assert remember_password(address, SECRET)
    assert memory_keychain.secrets == {
        ("Uitstroom-server", f"{MENTOR}@127.0.0.1:{server.port}/{own_database}"): SECRET
    }
    db = open_database(address.url())
    try:
        assert db.location == address.url() and SECRET not in db.location
        assert migrate.current_revision(db.engine) == migrate.head_revision(db.engine)
    finally:
        db.close()


def test_a_password_in_the_query_of_an_address_is_used_but_never_kept_or_shown(
    server: Cluster, own_database: str
) -> None:
    address = address_of(server, own_database)
    url = f"{address.url()}?password={SECRET}"  # libpq reads it there too
    assert SECRET not in ServerAddress.from_url(url).url()
    db = open_database(url)
    try:
        assert db.location == address.url()
    finally:
        db.close()


def test_a_wrong_password_is_refused_in_dutch_and_changes_nothing(
    server: Cluster, own_database: str
) -> None:
    address = address_of(server, own_database)
    refused = refusal(address.url(), password="fout-wachtwoord")
    assert refused.problem is ServerProblem.PASSWORD
    assert "Typ het wachtwoord opnieuw" in str(refused)
    with server.admin(own_database) as connection:
        assert connection.execute("SELECT to_regclass('alembic_version')").fetchone() == (None,)


def test_a_password_from_the_keychain_that_no_longer_works_is_refused_like_a_typed_one(
    server: Cluster, own_database: str
) -> None:
    address = address_of(server, own_database)
    keychain.store_server_password(address.account, "het-oude-wachtwoord")
    assert refusal(address.url()).problem is ServerProblem.PASSWORD


# --- the other things that go wrong ---------------------------------------------------------------


def test_an_unreachable_server_is_named_with_its_address() -> None:
    port = free_port()  # nothing listens there
    refused = refusal(f"postgresql://mentor@127.0.0.1:{port}/uitstroom")
    assert refused.problem is ServerProblem.UNREACHABLE
    assert str(refused).startswith(f"De schoolserver 127.0.0.1:{port} is niet bereikbaar.")


def test_a_database_that_does_not_exist_is_named(server: Cluster) -> None:
    refused = refusal(server.url("bestaat_niet"))
    assert refused.problem is ServerProblem.NO_DATABASE
    assert "geen database met de naam bestaat_niet" in str(refused)


def test_a_schema_from_a_newer_program_is_refused_and_left_alone(server: Cluster) -> None:
    name = server.create_database()
    try:
        with server.admin(name) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num varchar(32) primary key)")
            connection.execute("INSERT INTO alembic_version VALUES ('0099')")
        refused = refusal(server.url(name))
        assert refused.problem is ServerProblem.NEWER_SCHEMA
        assert "nieuwere versie van Uitstroom (schema 0099)" in str(refused)
        assert "op de server is niets veranderd" in str(refused)
        with server.admin(name) as connection:
            tables = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
        assert tables == [("alembic_version",)]
    finally:
        server.drop_database(name)


def test_a_database_of_another_program_is_not_touched(server: Cluster) -> None:
    name = server.create_database()
    try:
        with server.admin(name) as connection:
            connection.execute("CREATE TABLE leerlingen (id int)")
        refused = refusal(server.url(name))
        assert refused.problem is ServerProblem.FOREIGN
        assert "geen Uitstroom-database" in str(refused)
    finally:
        server.drop_database(name)


def test_an_upgrade_that_fails_halfway_leaves_the_server_as_it_was(server: Cluster) -> None:
    """No file to copy first: the migrations run in one transaction instead."""
    from alembic import command

    name = server.create_database()
    try:
        engine = make_engine(server.url(name))
        command.upgrade(migrate.alembic_config(engine), "0005")
        engine.dispose()
        with server.admin(name) as connection:
            connection.execute("INSERT INTO cohort (label) VALUES ('2025-2026')")
            # 0006 creates exit_interview, then adds this column: that second step will fail.
            connection.execute("ALTER TABLE school_settings ADD COLUMN dropout_reasons text")
        with pytest.raises(DatabaseOpenError) as raised:
            open_database(server.url(name))
        assert str(raised.value).startswith(
            "Het bijwerken van de database op de server is niet gelukt. De server is "
            "teruggezet zoals hij was; er is niets veranderd."
        )
        with server.admin(name) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
                "0005",
            )
            assert connection.execute("SELECT to_regclass('exit_interview')").fetchone() == (None,)
            assert connection.execute("SELECT label FROM cohort").fetchall() == [("2025-2026",)]
    finally:
        server.drop_database(name)


def test_two_programs_starting_on_an_empty_database_take_turns(server: Cluster) -> None:
    """Two laptops (two processes) open the new database at the same moment."""
    name = server.create_database()
    script = "import sys; from uitstroom.services.database import open_database as o; o(sys.argv[1]).close()"
    try:
        programs = [
            subprocess.Popen(
                [sys.executable, "-c", script, server.url(name)], stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        errors = [program.communicate(timeout=120)[1].decode() for program in programs]
        assert [p.returncode for p in programs] == [0, 0], errors
        with server.admin(name) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (migrate.head_revision(make_engine(server.url(name))),)
            ]
    finally:
        server.drop_database(name)


# --- 'Verbinding testen' --------------------------------------------------------------------------


def test_testing_the_connection_says_what_it_found_and_writes_nothing(
    server: Cluster, own_database: str
) -> None:
    address = address_of(server, own_database)
    wrong = check_connection(address, "fout")
    assert not wrong.ok and wrong.problem is ServerProblem.PASSWORD
    empty = check_connection(address, SECRET)
    assert empty.ok
    assert empty.message.startswith("Verbinding gelukt (PostgreSQL ")
    assert "De database is nog leeg: Uitstroom richt hem in bij het verbinden." in empty.message
    open_database(address.url(), password=SECRET).close()
    ready = check_connection(address, SECRET)
    assert ready.ok and "Dit is een Uitstroom-database, klaar voor gebruik." in ready.message
    remote = check_connection(
        ServerAddress(host="server.school.invalid", user="m", sslmode="require"), "x"
    )
    assert not remote.ok and remote.problem is ServerProblem.NO_TLS
    with psycopg.connect(server.url(own_database)) as connection:
        assert connection.execute("SELECT count(*) FROM audit_event").fetchone() == (0,)


def test_an_address_reads_back_from_its_url() -> None:
    address = ServerAddress(
        host="db.school.example", database="uitstroom", user="m.kramer", sslmode="verify-full"
    )
    url = address.url()
    assert url == "postgresql://m.kramer@db.school.example:5432/uitstroom?sslmode=verify-full"
    assert ServerAddress.from_url(url) == address
    socket = ServerAddress(host="/var/run/postgresql", user="m", database="u", port=5433)
    assert ServerAddress.from_url(socket.url()) == socket
    assert ServerAddress.from_url("postgresql://a:geheim@h/d").url() == "postgresql://a@h:5432/d"
