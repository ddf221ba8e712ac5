"""Every service test that uses a database runs twice: on an encrypted SQLite file and on a
fresh database of a real PostgreSQL server. A test about the file itself (backups, encryption,
the file lock, a full disk) carries @pytest.mark.sqlite_only(reason)."""

from __future__ import annotations

import pytest

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize(
        "backend", BACKENDS[:1] if only_sqlite else BACKENDS, indirect=True, scope="module"
    )
