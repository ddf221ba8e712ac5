"""`uitstroom server upload URL` and `uitstroom server download URL FILE`, as a script runs them:
the demo goes up to a real PostgreSQL server and comes back into a new encrypted file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_commands import passphrase_file, run

from factories import TEST_PASSPHRASE
from pg import Cluster
from uitstroom.services import vault
from uitstroom.services.database import open_database
from uitstroom.services.pupils import PupilService


@pytest.fixture
def server_url(postgres_server: Cluster) -> Iterator[str]:
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


def tables_on(cluster: Cluster, url: str) -> int:
    with cluster.admin(url.rsplit("/", 1)[1]) as connection:
        found = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert found is not None
    return int(found[0])


def test_the_demo_goes_up_and_comes_back(tmp_path: Path, server_url: str) -> None:
    laptop = tmp_path / "laptop.db"
    assert run("--db", str(laptop), "demo", "--aantal", "30").returncode == 0

    up = run("--db", str(laptop), "server", "upload", server_url)

    assert up.returncode == 0, up.stderr
    assert "(in één keer; bij een fout of Ctrl-C blijft de server leeg)" in up.stdout
    assert "  pupil: 60 rijen" in up.stdout  # 30 in the cohort and 30 leavers
    assert "Gecontroleerd op de server: per tabel hetzelfde aantal rijen" in up.stdout
    assert f"Open ze met: uitstroom --db {server_url}" in up.stdout
    listed = run("--db", server_url, "export", str(tmp_path / "van-de-server.csv"))
    assert listed.returncode == 0, listed.stderr
    assert "60 leerlingen geschreven" in listed.stdout

    again = run("--db", str(laptop), "server", "upload", server_url)
    assert again.returncode == 1
    assert "op de server is niet leeg: er wordt al in gewerkt" in again.stderr

    back = tmp_path / "terug.db"
    down = run("server", "download", server_url, str(back))
    assert down.returncode == 0, down.stderr
    assert "Gecontroleerd in het nieuwe bestand" in down.stdout
    copy = open_database(back, vault.unlock(back, TEST_PASSPHRASE))
    try:
        assert PupilService(copy.sessions).count() == 60
    finally:
        copy.close()

    twice = run("server", "download", server_url, str(back))
    assert twice.returncode == 1
    assert "terug.db bestaat al. Kies een nieuwe bestandsnaam" in twice.stderr


def test_a_server_elsewhere_without_tls_is_refused(tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    assert run("--db", str(laptop), "demo", "--aantal", "3").returncode == 0
    refused = run(
        "--db",
        str(laptop),
        "server",
        "upload",
        "postgresql://m@db.school.invalid/u?sslmode=require",
    )
    assert refused.returncode == 3
    assert refused.stderr.startswith("Fout: Uitstroom verbindt alleen versleuteld (TLS)")
    gone = run(
        "server",
        "download",
        "postgresql://m@db.school.invalid/u?sslmode=allow",
        str(tmp_path / "n.db"),
    )
    assert gone.returncode == 3 and "alleen versleuteld" in gone.stderr
    assert not (tmp_path / "n.db").exists()


def test_ctrl_c_during_an_upload_leaves_the_server_empty(
    tmp_path: Path, server_url: str, postgres_server: Cluster
) -> None:
    laptop = tmp_path / "laptop.db"
    assert run("--db", str(laptop), "demo", "--aantal", "2000").returncode == 0
    env = {
        **os.environ,
        "UITSTROOM_PASSPHRASE_FILE": str(passphrase_file()),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    program = subprocess.Popen(
        [sys.executable, "-m", "uitstroom", "--db", str(laptop), "server", "upload", server_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert program.stdout is not None
    for line in program.stdout:
        if line.startswith("  pupil:"):  # the pupils are on the server, their tasks are next
            program.send_signal(signal.SIGINT)
            break
    _, errors = program.communicate(timeout=120)
    assert program.returncode == 130, errors
    assert "Afgebroken; de database op de server is leeg gebleven." in errors
    assert tables_on(postgres_server, server_url) == 0
