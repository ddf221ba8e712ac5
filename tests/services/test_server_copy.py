"""Moving up to the school's server and back: the demo cohort to an empty PostgreSQL database,
then into a new encrypted file, with equal row counts and checksums at every step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from factories import make_database, make_pupil
from keyring_double import MemoryKeyring
from pg import Cluster
from uitstroom.domain.actor import Role, User
from uitstroom.services import vault
from uitstroom.services.audit import AuditService, os_login
from uitstroom.services.database import Database, ServerRefused, open_database
from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort
from uitstroom.services.errors import NotAllowed
from uitstroom.services.pupils import PupilService
from uitstroom.services.rights import RightsService
from uitstroom.services.server import CopyRefused, download, table_checks, upload
from uitstroom.services.users import UserService
from uitstroom.storage.keys import keyfile_for
from uitstroom.storage.models import ContactPersonRow, OrganisationRow, PupilRow

DEMO_DAY = date(2026, 11, 23)
PASSPHRASE = "fietsbel tulpenveld Zwolle 2026"


def checks_of(db: Database):
    with db.engine.connect() as connection:
        return table_checks(connection)


def counts_of(db: Database) -> dict[str, int]:
    return {check.table: check.rows for check in checks_of(db)}


@pytest.fixture
def school(tmp_path: Path) -> Iterator[Database]:
    """The demo cohort with last year's leavers, a colleague who left for a later colleague
    (a row pointing forward in its own table) and an erased pupil with the highest number."""
    db = make_database(tmp_path / "laptop")
    insert_demo_cohort(db.sessions, today=DEMO_DAY, leavers=DEMO_LEAVERS)
    with db.sessions.begin() as session:
        organisation = OrganisationRow(name="Gemeente Utrecht", kind="gemeente")
        session.add(organisation)
        session.flush()
        leaving = ContactPersonRow(organisation_id=organisation.id, name="Kees Bakker")
        session.add(leaving)
        session.flush()
        successor = ContactPersonRow(organisation_id=organisation.id, name="Fatima Amrani")
        session.add(successor)
        session.flush()
        leaving.replaced_by_id = successor.id
    last = PupilService(db.sessions).create(make_pupil(leerlingnummer="999999"), "2026-2027")
    assert last.pupil.id is not None
    RightsService(db.sessions).erase(last.pupil.id, "999999")
    db.erased_id = last.pupil.id  # type: ignore[attr-defined]
    yield db
    db.close()


@pytest.fixture
def empty_server_database(postgres_server: Cluster) -> Iterator[str]:
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


def test_the_demo_cohort_goes_up_and_comes_back_the_same(
    school: Database, empty_server_database: str, tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    original = checks_of(school)
    assert counts_of(school)["pupil"] > 48 and counts_of(school)["nazorg_moment"] > 0
    seen: list[tuple[str, int, int]] = []

    uploaded = upload(school, empty_server_database, progress=lambda *p: seen.append(p))

    assert uploaded.tables == original
    assert ("pupil", counts_of(school)["pupil"], counts_of(school)["pupil"]) in seen
    server = open_database(empty_server_database)
    try:
        assert checks_of(server) == original
        assert AuditService(server.sessions).check().whole
        names = sorted(s.name for s in PupilService(server.sessions).summaries())
        assert names == sorted(s.name for s in PupilService(school.sessions).summaries())
        # The next pupil on the server gets a new number, never the erased pupil's.
        added = PupilService(server.sessions).create(
            make_pupil(leerlingnummer="888888"), "2026-2027"
        )
        assert added.pupil.id == school.erased_id + 1  # type: ignore[attr-defined]
        with server.sessions() as session:
            kees = session.scalars(
                select(ContactPersonRow).where(ContactPersonRow.name == "Kees Bakker")
            ).one()
            assert kees.replaced_by_id is not None
        after_server_work = checks_of(server)
    finally:
        server.close()

    back = tmp_path / "terug" / "uitstroom.db"
    downloaded = download(empty_server_database, back, PASSPHRASE)

    assert downloaded.tables == after_server_work
    # A new database of its own: a key file, the key in the keychain, the passphrase opens it.
    assert keyfile_for(back).exists()
    key = vault.unlock(back)
    assert key == vault.unlock(back, PASSPHRASE)
    assert key != school.key
    copy = open_database(back, key)
    try:
        assert checks_of(copy) == after_server_work
        assert AuditService(copy.sessions).check().whole
        again = PupilService(copy.sessions).create(make_pupil(leerlingnummer="777777"), "2026-2027")
        assert again.pupil.id == added.pupil.id + 1
    finally:
        copy.close()


def test_a_server_database_in_use_is_refused_and_left_as_it_was(
    school: Database, postgres_server: Cluster
) -> None:
    name = postgres_server.create_database()
    try:
        used = open_database(postgres_server.url(name))
        PupilService(used.sessions).create(make_pupil(), "2026-2027")
        before = checks_of(used)
        with pytest.raises(CopyRefused) as refused:
            upload(school, postgres_server.url(name))
        assert str(refused.value).startswith(
            f"De database {name} op de server is niet leeg: er wordt al in gewerkt"
        )
        assert str(refused.value).endswith("Er is niets veranderd.")
        assert checks_of(used) == before
        used.close()
    finally:
        postgres_server.drop_database(name)


def test_a_database_of_another_program_is_refused(
    school: Database, postgres_server: Cluster
) -> None:
    name = postgres_server.create_database()
    try:
        with postgres_server.admin(name) as connection:
            connection.execute("CREATE TABLE facturen (id int)")
        with pytest.raises(CopyRefused, match="tabellen van een ander programma"):
            upload(school, postgres_server.url(name))
    finally:
        postgres_server.drop_database(name)


def test_an_unused_uitstroom_database_on_the_server_counts_as_empty(
    school: Database, postgres_server: Cluster
) -> None:
    """The administrator opened Uitstroom on it once: the schema is there, nobody worked in it."""
    name = postgres_server.create_database()
    try:
        open_database(postgres_server.url(name)).close()
        assert upload(school, postgres_server.url(name)).tables == checks_of(school)
    finally:
        postgres_server.drop_database(name)


def test_ctrl_c_during_the_upload_leaves_the_server_empty(
    school: Database, empty_server_database: str, postgres_server: Cluster
) -> None:
    def interrupt(table: str, done: int, total: int) -> None:
        if table == "pupil_task" and done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        upload(school, empty_server_database, progress=interrupt)
    name = empty_server_database.rsplit("/", 1)[1]
    with postgres_server.admin(name) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
    # And the next attempt goes through.
    assert upload(school, empty_server_database).tables == checks_of(school)


def test_ctrl_c_during_the_download_leaves_no_file_and_no_key(
    school: Database, empty_server_database: str, tmp_path: Path, memory_keychain: MemoryKeyring
) -> None:
    upload(school, empty_server_database)
    keys_before = dict(memory_keychain.secrets)

    def interrupt(table: str, done: int, total: int) -> None:
        if table == "timeline_entry" and done > 0:
            raise KeyboardInterrupt

    target = tmp_path / "terug.db"
    with pytest.raises(KeyboardInterrupt):
        download(empty_server_database, target, PASSPHRASE, progress=interrupt)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("terug")) == []
    assert memory_keychain.secrets == keys_before


def test_a_download_never_overwrites_a_file(school: Database, empty_server_database: str) -> None:
    upload(school, empty_server_database)
    assert school.path is not None
    before = school.path.read_bytes()
    with pytest.raises(CopyRefused, match=r"bestaat al\. Kies een nieuwe bestandsnaam"):
        download(empty_server_database, school.path, PASSPHRASE)
    assert school.path.read_bytes() == before


def test_only_the_coordinator_in_the_servers_user_list_downloads_everything(
    school: Database, empty_server_database: str, tmp_path: Path
) -> None:
    """The server login (here: postgres) is a mentor in the list the school took along."""
    UserService(school.sessions).save_users(
        [
            User("Marloes", os_login(), Role.COORDINATOR),
            User("Anja Kramer", "postgres", Role.MENTOR, "mw. A. Kramer"),
        ],
    )
    upload(school, empty_server_database)
    target = tmp_path / "alles.db"
    with pytest.raises(NotAllowed, match="Dit mag alleen de coördinator doen"):
        download(empty_server_database, target, PASSPHRASE)
    assert not target.exists() and not keyfile_for(target).exists()


def test_an_upload_to_another_computer_without_tls_is_refused(school: Database) -> None:
    with pytest.raises(ServerRefused, match="alleen versleuteld"):
        upload(school, "postgresql://coordinator@server.school.invalid/uitstroom?sslmode=require")


def test_the_checksum_notices_a_changed_value(school: Database) -> None:
    before = {c.table: c for c in checks_of(school)}
    with school.sessions.begin() as session:
        session.scalars(select(PupilRow).limit(1)).one().klas = "ANDERS"
    after = {c.table: c for c in checks_of(school)}
    assert after["pupil"].rows == before["pupil"].rows
    assert after["pupil"].checksum != before["pupil"].checksum
    assert after["guardian"] == before["guardian"]
