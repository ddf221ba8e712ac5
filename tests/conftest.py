"""Shared fixtures: a real database file in tmp_path, optionally filled with the demo cohort."""

from __future__ import annotations

import os
import sys
import tempfile

# Before anything imports Qt: widgets render off screen, in CI and on a laptop alike, on the
# screen of a school laptop (1366x768) instead of the offscreen default of 800x600, so that a
# window that does not fit the laptop fails here too.
os.environ["QT_QPA_PLATFORM"] = (
    "offscreen:configfile=" + os.path.join(os.path.dirname(__file__), "data", "laptop-screen.json")
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen"
    else os.environ["QT_QPA_PLATFORM"]
)

# The installed program's log (uitstroom.logbook) goes to a folder of the test run, never into
# the user's own log folder; subprocesses (`python -m uitstroom`) inherit it.
os.environ["UITSTROOM_LOG_DIR"] = tempfile.mkdtemp(prefix="uitstroom-test-log-")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest

from factories import fixed_clock, make_database
from keyring_double import MemoryKeyring
from pg import Backend, Cluster, NoPostgres, migrated_template
from uitstroom.services.database import Database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.pupils import PupilService, SchoolService

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def own_config_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """The school server chosen in a developer's window must not steer the tests (and a test
    choosing one must not steer the developer's next start)."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    # Nor a server pre-set by IT for every user (/etc/xdg/Uitstroom, paths.site_server_files).
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(folder / "site"))
    return folder


@pytest.fixture(autouse=True)
def memory_keychain() -> Iterator[MemoryKeyring]:
    """Tests never touch the developer's real keychain: an in-memory one stands in."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a service test about the database file itself"
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server on loopback for the whole run, with a migrated template.
    Without PostgreSQL installed the server tests are skipped on a laptop, and fail in CI on
    Linux. On Windows and macOS they are skipped: the server runs on Linux at the schools, and
    tests/pg.py starts it the Linux way (a unix socket, runuser); the Linux CI job runs them."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the PostgreSQL tests run on Linux (tests/pg.py)")
    try:
        cluster = Cluster().start()
    except NoPostgres as exc:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI needs PostgreSQL: {exc}")
        pytest.skip(str(exc))
    try:
        migrated_template(cluster)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> Backend:
    """SQLite, unless a conftest parametrizes it (tests/services runs on both backends)."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        return Backend(name, request.getfixturevalue("postgres_server"))
    return Backend(name)


@pytest.fixture
def database(tmp_path: Path, backend: Backend) -> Iterator[Database]:
    db = make_database(tmp_path, backend=backend)
    yield db
    db.close()


@pytest.fixture
def demo_database(database: Database) -> Database:
    """The 48 fictional pupils of 'De Horizon (voorbeeldschool)', a pro school."""
    insert_demo_cohort(database.sessions, today=DEMO_DAY)
    return database


@pytest.fixture
def pupil_service(database: Database) -> PupilService:
    return PupilService(database.sessions, clock=fixed_clock())


@pytest.fixture
def school_service(database: Database) -> SchoolService:
    return SchoolService(database.sessions)
