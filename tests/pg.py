"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

initdb into a temporary folder, pg_ctl start on a free port with the unix socket in that folder;
gone again at the end. PostgreSQL refuses to run as root, so as root the server runs as the
`postgres` user of the Debian package (scripts/system-deps.sh installs it). Durability is off
(fsync, full_page_writes): a crash of a test server loses nothing anyone needs, and it makes
CREATE DATABASE and every commit fast.

Who may connect (pg_hba.conf): the superuser `postgres` without a password over the socket and
loopback; every other role with its password (scram-sha-256), so the password tests are real.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from uitstroom.services.database import Database, open_database

SUPERUSER = "postgres"
TEMPLATE = "uitstroom_template"

HBA = """\
local   all   all                      trust
host    all   postgres   127.0.0.1/32  trust
host    all   postgres   ::1/128       trust
host    all   all        127.0.0.1/32  scram-sha-256
host    all   all        ::1/128       scram-sha-256
"""


class NoPostgres(RuntimeError):
    """The PostgreSQL server programs (initdb, pg_ctl) are not installed."""


def server_binaries() -> Path:
    """The folder with initdb and pg_ctl: Debian's /usr/lib/postgresql/<newest>/bin, else PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise NoPostgres(
        "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH); "
        "run scripts/system-deps.sh"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running server. `url(name)` is what the program is given; `admin()` a superuser
    connection (autocommit) for CREATE DATABASE and roles."""

    def __init__(
        self,
        folder: Path | None = None,
        tls: tuple[bytes, bytes] | None = None,
        listen: str = "127.0.0.1",
    ) -> None:
        """`tls`: the server's certificate and key (PEM) to offer TLS with; `listen`: the
        loopback addresses it listens on (127.0.0.2 stands in for another computer)."""
        self.bin = server_binaries()
        self.folder = Path(folder or tempfile.mkdtemp(prefix="uitstroom-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self._names = itertools.count(1)
        self.running = False
        self.tls = tls
        self.listen = listen

    # --- running the server programs --------------------------------------------------------
    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}{tail}")

    def start(self) -> Cluster:
        if self.as_root:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        self.folder.chmod(0o700)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        (self.data / "pg_hba.conf").write_text(
            HBA + "host    all   all        127.0.0.2/32  scram-sha-256\n", encoding="utf-8"
        )
        tls_options = ""
        if self.tls is not None:
            for name, pem in zip(("server.crt", "server.key"), self.tls, strict=True):
                (self.data / name).write_bytes(pem)
                (self.data / name).chmod(0o600)
                if self.as_root:
                    shutil.chown(self.data / name, SUPERUSER, SUPERUSER)
            tls_options = "-c ssl=on "
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={self.listen} {tls_options}"
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            "-c max_connections=200 -c password_encryption=scram-sha-256"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
        )
        self.running = True
        return self

    def stop(self) -> None:
        if self.running:
            with contextlib.suppress(RuntimeError):
                self._run(str(self.bin / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data))
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- what the tests use -----------------------------------------------------------------
    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host=str(self.folder), port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        )

    def create_database(
        self, name: str | None = None, template: str | None = None, owner: str | None = None
    ) -> str:
        name = name or f"t{next(self._names)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        if owner:
            statement += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
        with self.admin() as connection:
            connection.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def create_role(self, name: str, password: str) -> None:
        """A login with a password (once per server: a second call changes the password)."""
        with self.admin() as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            verb = sql.SQL("ALTER ROLE" if exists else "CREATE ROLE")
            connection.execute(
                sql.SQL("{} {} LOGIN PASSWORD {}").format(
                    verb, sql.Identifier(name), sql.Literal(password)
                )
            )


# --- the backends the service tests run on ---------------------------------------------------


@dataclass
class Backend:
    """Where a test's database lives: an encrypted SQLite file in tmp_path, or a fresh
    database on the throwaway server (made from a migrated template: fast)."""

    name: str
    cluster: Cluster | None = None

    def __str__(self) -> str:
        return self.name

    @property
    def is_server(self) -> bool:
        return self.cluster is not None


@dataclass
class ThrowawayDatabase(Database):
    """A database on the test server, dropped again when the test closes it."""

    cluster: Cluster | None = field(default=None, repr=False)
    name: str = ""

    def close(self) -> None:
        super().close()
        if self.cluster is not None and self.name:
            self.cluster.drop_database(self.name)
            self.name = ""


def migrated_template(cluster: Cluster) -> None:
    cluster.create_database(TEMPLATE)
    open_database(cluster.url(TEMPLATE)).close()


def server_database(cluster: Cluster) -> ThrowawayDatabase:
    name = cluster.create_database(template=TEMPLATE)
    opened = open_database(cluster.url(name))
    return ThrowawayDatabase(**vars(opened), cluster=cluster, name=name)
