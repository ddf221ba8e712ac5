"""The school's PostgreSQL server: its address, the rule that a connection to another computer is
encrypted (TLS) with a checked certificate, the password from the keychain, and what to tell the
user when it fails.

The address is parsed once into the parameters the driver receives; the raw address never
reaches the driver, and a query parameter that would change where or how it connects (host,
hostaddr, service, passfile, sslrootcert, ...) is refused. A server on this computer (localhost,
127.0.0.1, ::1 or a unix socket) needs no TLS; any other host is reached with sslmode=verify-full
only: encrypted, and the server's certificate must be signed by a trusted authority and name the
host. That authority is the system's, or the school's own CA file chosen under *Certificaat van
de schoolserver…* (kept as a copy in the user's settings folder).

The password is kept in the system keychain under "user@host:port/database", never in an
address that is saved or shown.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from uitstroom import paths
from uitstroom.storage import keychain, migrate
from uitstroom.storage.engine import database_url
from uitstroom.storage.readonly import use_readonly_views

DEFAULT_PORT = 5432
DEFAULT_DATABASE = "uitstroom"
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
# The only libpq mode for another computer: TLS, a trusted certificate, and the host's name in it.
REMOTE_SSLMODE = "verify-full"
SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# Query parameters an address may carry besides sslmode, port, password and a socket folder as
# host; every other one could send the connection elsewhere or loosen the check, and is refused.
ALLOWED_OPTIONS = frozenset({"connect_timeout"})
CERTIFICATE_FILENAME = "schoolserver-ca.pem"


class ServerProblem(StrEnum):
    UNREACHABLE = "onbereikbaar"
    PASSWORD = "wachtwoord"
    NO_DATABASE = "geen database"
    NO_TLS = "geen tls"
    CERTIFICATE = "certificaat"
    ADDRESS = "adres"
    NOT_ALLOWED = "geen toegang"
    NEWER_SCHEMA = "nieuwere versie"
    FOREIGN = "geen uitstroom-database"
    OTHER = "anders"


@dataclass(frozen=True)
class ServerAddress:
    """Where the school's database is, without the password."""

    host: str
    database: str = DEFAULT_DATABASE
    user: str = ""
    port: int = DEFAULT_PORT
    sslmode: str = ""  # "" is libpq's default: TLS when the server offers it
    options: tuple[tuple[str, str], ...] = field(default=())  # sslrootcert=..., and the like

    refused: tuple[str, ...] = field(default=())  # query parameters Uitstroom does not accept

    @classmethod
    def from_url(cls, url: str) -> ServerAddress:
        parsed = make_url(database_url(url))
        refused: list[str] = []
        query: dict[str, str] = {}
        for name, value in parsed.query.items():
            if not isinstance(value, str):  # the same parameter twice: which one would win?
                refused.append(name)
                value = value[-1]
            query[name.lower()] = value
        # libpq also reads a password from the query (?password=...): never kept or shown.
        query.pop("password", None)
        host = parsed.host or ""
        socket_folder = query.pop("host", None)
        if socket_folder is not None:
            # Only a unix socket folder, and only when the address names no host of its own.
            if host or not socket_folder.startswith("/") or "," in socket_folder:
                refused.append("host")
            else:
                host = socket_folder
        if "," in host:
            refused.append("host")
        port = parsed.port or DEFAULT_PORT
        query_port = query.pop("port", None)
        if query_port is not None:
            if parsed.port or not query_port.isdigit():
                refused.append("port")
            else:
                port = int(query_port)
        sslmode = query.pop("sslmode", "")
        if sslmode and sslmode not in SSLMODES:
            refused.append("sslmode")
        refused.extend(name for name in query if name not in ALLOWED_OPTIONS)
        return cls(
            host=host,
            database=parsed.database or DEFAULT_DATABASE,
            user=parsed.username or "",
            port=port,
            sslmode=sslmode,
            options=tuple(sorted((k, v) for k, v in query.items() if k in ALLOWED_OPTIONS)),
            refused=tuple(sorted(set(refused))),
        )

    @property
    def is_local(self) -> bool:
        """On this computer: loopback or a unix socket (a folder as host)."""
        return self.host.lower() in LOCAL_HOSTS or self.host.startswith("/")

    @property
    def account(self) -> str:
        """The keychain entry for this user on this database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def description(self) -> str:
        """For the screen: 'uitstroom op server.school.nl'."""
        where = "deze computer" if self.is_local else self.host
        return f"{self.database} op {where}"

    @property
    def effective_sslmode(self) -> str:
        """What the driver is told: verify-full for another computer, whatever was asked."""
        return self.sslmode if self.is_local else REMOTE_SSLMODE

    def driver_params(self, password: str | None = None) -> dict[str, Any]:
        """Everything the driver receives, and nothing else: where, who, and how."""
        params: dict[str, Any] = {
            "host": self.host or "localhost",
            "port": self.port,
            "dbname": self.database,
            "application_name": "Uitstroom",
            "connect_timeout": 10,  # an unreachable server is told in seconds
        }
        params.update(dict(self.options))
        if self.user:
            params["user"] = self.user
        if password:
            params["password"] = password
        if self.effective_sslmode:
            params["sslmode"] = self.effective_sslmode
        if self.effective_sslmode.startswith("verify"):
            certificate = school_certificate()
            # "system": the computer's own trusted authorities (libpq 16 and later).
            params["sslrootcert"] = str(certificate) if certificate else "system"
        return params

    def url(self) -> str:
        """The address to save and show: postgresql://user@host:port/database?sslmode=..."""
        query = dict(self.options)
        if self.sslmode:
            query["sslmode"] = self.sslmode
        user = f"{quote(self.user, safe='')}@" if self.user else ""
        if self.host.startswith("/"):
            query = {"host": self.host, "port": str(self.port), **query}
            netloc = user
        else:
            host = f"[{self.host}]" if ":" in self.host else self.host
            netloc = f"{user}{host}:{self.port}"
        tail = f"?{urlencode(query)}" if query else ""
        return f"postgresql://{netloc}/{quote(self.database, safe='')}{tail}"


def is_server_url(target: object) -> bool:
    return "://" in str(target)


def password_in_url(url: str) -> str | None:
    parsed = make_url(database_url(url))
    password = parsed.password or parsed.query.get("password")
    if isinstance(password, tuple):
        password = password[-1]
    return str(password) if password else None


def refusal(address: ServerAddress) -> tuple[ServerProblem, str] | None:
    """Why Uitstroom will not connect to this address at all, before anything is sent."""
    message = tls_problem(address)
    if message is None:
        return None
    return (ServerProblem.ADDRESS if address.refused else ServerProblem.NO_TLS), message


def tls_problem(address: ServerAddress) -> str | None:
    """None when the connection may be made; else why not, in Dutch."""
    if address.refused:
        names = ", ".join(address.refused)
        return (
            f"Uitstroom gebruikt dit adres niet: het bevat {names} achter het vraagteken. Zulke "
            "instellingen kunnen de verbinding naar een andere server sturen of de controle "
            "van de versleuteling uitzetten. Vul de server, poort en database in de velden in "
            "(of haal in een adres alles na het vraagteken weg) en probeer het opnieuw."
        )
    if address.is_local or address.sslmode in ("", REMOTE_SSLMODE):
        return None
    return (
        f"Uitstroom verbindt alleen versleuteld (TLS) met een server op een andere computer, "
        f"zoals {address.host}, en controleert dan altijd het certificaat van de server: anders "
        "kan een andere computer zich voordoen als de schoolserver. Kies bij 'Versleuteling' "
        "voor verplicht met controle (in een adres: laat ?sslmode weg of zet "
        "?sslmode=verify-full erachter). Heeft de school een eigen certificaat, kies het dan "
        "met 'Certificaat van de schoolserver…'."
    )


def school_certificate() -> Path | None:
    """The school's own CA file chosen on this computer, if any."""
    path = paths.config_dir() / CERTIFICATE_FILENAME
    return path if path.is_file() else None


def choose_school_certificate(source: Path | None) -> Path | None:
    """Keep a copy of the school's CA file (None: trust the system's authorities again)."""
    target = paths.config_dir() / CERTIFICATE_FILENAME
    if source is None:
        target.unlink(missing_ok=True)
        return None
    data = Path(source).read_bytes()
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise ValueError(
            f"{Path(source).name} is geen certificaat (PEM-bestand dat begint met "
            "'-----BEGIN CERTIFICATE-----'). Vraag de ICT-afdeling om het CA-certificaat van "
            "de schoolserver."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def server_engine_for(address: ServerAddress, password: str | None) -> Engine:
    """An engine that connects with the address's own parameters only."""
    engine = create_engine(
        "postgresql+psycopg://",
        pool_pre_ping=True,
        connect_args=address.driver_params(password),
    )
    # A read-only login reads through the views that leave out support needs (storage.readonly).
    event.listen(engine, "connect", use_readonly_views)
    return engine


def password_for(address: ServerAddress, url: str | None = None) -> str | None:
    """A password written in the address itself (scripts), else the one in the keychain."""
    return (password_in_url(url) if url else None) or keychain.load_server_password(address.account)


def remember_password(address: ServerAddress, password: str) -> bool:
    return keychain.store_server_password(address.account, password)


def forget_password(address: ServerAddress) -> None:
    keychain.forget_server_password(address.account)


def newer_schema_message(revision: str) -> str:
    return (
        f"De database op de server is al bijgewerkt door een nieuwere versie van Uitstroom "
        f"(schema {revision}). Deze versie kan hem niet veilig gebruiken. Installeer eerst de "
        "nieuwste versie van Uitstroom op deze computer; op de server is niets veranderd."
    )


def foreign_message(address: ServerAddress) -> str:
    return (
        f"De database {address.database} op de server bevat al andere tabellen en is geen "
        "Uitstroom-database. Kies een lege database, of vraag de beheerder er een aan te maken."
    )


_SIGNS: tuple[tuple[ServerProblem, tuple[str, ...]], ...] = (
    (
        ServerProblem.PASSWORD,
        ("password authentication failed", "no password supplied", "wachtwoord"),
    ),
    (ServerProblem.NO_TLS, ("does not support ssl", "ondersteunt geen ssl")),
    (
        ServerProblem.CERTIFICATE,
        (
            "certificate",
            "certificaat",
            "does not match host name",
            "komt niet overeen met hostnaam",
        ),
    ),
    (ServerProblem.NOT_ALLOWED, ("pg_hba.conf", "permission denied", "toegang geweigerd")),
    (ServerProblem.NO_DATABASE, ("does not exist", "bestaat niet")),
    (
        ServerProblem.UNREACHABLE,
        (
            "connection refused",
            "could not translate host name",
            "failed to resolve host",
            "name or service not known",
            "timeout expired",
            "timed out",
            "no route to host",
            "network is unreachable",
            "is the server running",
            "could not connect",
            "ssl negotiation",
            "server closed the connection",
        ),
    ),
)


def explain(exc: BaseException, address: ServerAddress) -> tuple[ServerProblem, str]:
    """What a failed connection means for the user. The server's own words (in English, or in
    the server's language) are matched, since libpq gives no error code before logging in."""
    said = str(getattr(exc, "orig", None) or exc)
    lowered = said.lower()
    problem = next(
        (problem for problem, signs in _SIGNS if any(sign in lowered for sign in signs)),
        ServerProblem.OTHER,
    )
    where = f"{address.host}:{address.port}" if not address.host.startswith("/") else "de server"
    user = address.user or "deze gebruiker"
    messages = {
        ServerProblem.UNREACHABLE: (
            f"De schoolserver {where} is niet bereikbaar. Controleer het adres en de poort, en "
            "of deze computer verbinding heeft met het netwerk van de school (thuis: via de "
            "VPN). Lukt het dan nog niet, vraag de beheerder of de server aan staat."
        ),
        ServerProblem.PASSWORD: (
            f"De server accepteert het wachtwoord van {user} niet. Typ het wachtwoord opnieuw. "
            "Weet u het niet meer, vraag dan de beheerder van de server om een nieuw wachtwoord."
        ),
        ServerProblem.NO_DATABASE: (
            f"Op de server bestaat geen database met de naam {address.database}. Controleer de "
            f"naam, of vraag de beheerder een lege database {address.database} aan te maken: "
            "Uitstroom richt hem daarna zelf in."
        ),
        ServerProblem.NO_TLS: (
            f"De server {address.host} biedt geen versleutelde verbinding (TLS) aan. Zonder "
            "versleuteling verbindt Uitstroom niet. Vraag de beheerder van de server om TLS aan "
            "te zetten."
        ),
        ServerProblem.CERTIFICATE: (
            f"Het certificaat van de server {address.host} klopt niet: het is niet uitgegeven "
            f"voor {address.host}, of niet ondertekend door een certificaat dat deze computer "
            "vertrouwt. Uitstroom verbindt daarom niet: het kan een andere computer zijn die "
            "zich voordoet als de schoolserver. Controleer of het adres precies is wat de "
            "ICT-afdeling opgaf, en kies bij 'Certificaat van de schoolserver…' het "
            "CA-certificaat van de school. Lukt het dan nog niet, geef deze melding aan de "
            "ICT-afdeling."
        ),
        ServerProblem.NOT_ALLOWED: (
            f"De server laat {user} vanaf deze computer niet toe in {address.database}. Vraag "
            "de beheerder van de server om deze computer en gebruiker toegang te geven."
        ),
        ServerProblem.OTHER: (
            "De verbinding met de schoolserver is niet gelukt. Geef deze melding aan de "
            f"beheerder van de server: {said.strip().splitlines()[0] if said.strip() else said}"
        ),
    }
    return problem, messages[problem]


class SchemaState(StrEnum):
    EMPTY = "leeg"
    CURRENT = "actueel"
    OLDER = "ouder"
    NEWER = "nieuwer"
    FOREIGN = "vreemd"


@dataclass(frozen=True)
class ServerState:
    version: str  # "PostgreSQL 15.18"
    schema: SchemaState
    revision: str | None


def server_state(engine: Engine) -> ServerState:
    """Connects (raising SQLAlchemy's error when that fails) and reads what is there."""
    with engine.connect() as connection:
        number = connection.exec_driver_sql("SHOW server_version").scalar() or ""
        has_version_table = connection.execute(
            text("SELECT to_regclass('alembic_version') IS NOT NULL")
        ).scalar()
        tables = connection.execute(
            text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        ).scalar()
        revision = (
            connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if has_version_table
            else None
        )
    version = f"PostgreSQL {str(number).split()[0]}"
    if revision is None:
        schema = SchemaState.FOREIGN if tables else SchemaState.EMPTY
    elif not migrate.is_known_revision(engine, revision):
        schema = SchemaState.NEWER
    elif revision == migrate.head_revision(engine):
        schema = SchemaState.CURRENT
    else:
        schema = SchemaState.OLDER
    return ServerState(version, schema, revision)


@dataclass(frozen=True)
class ConnectionCheck:
    """The outcome of 'Verbinding testen'."""

    ok: bool
    message: str
    problem: ServerProblem | None = None


def check_connection(address: ServerAddress, password: str | None) -> ConnectionCheck:
    """Try the address and password without changing anything on the server."""
    refused = refusal(address)
    if refused:
        return ConnectionCheck(False, refused[1], refused[0])
    engine = server_engine_for(address, password)
    try:
        state = server_state(engine)
    except SQLAlchemyError as exc:
        problem, message = explain(exc, address)
        return ConnectionCheck(False, message, problem)
    finally:
        engine.dispose()
    done = f"Verbinding gelukt ({state.version}, {address.description})."
    if state.schema is SchemaState.NEWER:
        return ConnectionCheck(
            False, newer_schema_message(state.revision or "?"), ServerProblem.NEWER_SCHEMA
        )
    if state.schema is SchemaState.FOREIGN:
        return ConnectionCheck(False, foreign_message(address), ServerProblem.FOREIGN)
    follow = {
        SchemaState.EMPTY: "De database is nog leeg: Uitstroom richt hem in bij het verbinden.",
        SchemaState.CURRENT: "Dit is een Uitstroom-database, klaar voor gebruik.",
        SchemaState.OLDER: (
            "Dit is een Uitstroom-database van een oudere versie. Bij het verbinden werkt "
            "Uitstroom hem bij, in één keer: lukt dat niet, dan blijft hij zoals hij was."
        ),
    }
    return ConnectionCheck(True, f"{done} {follow[state.schema]}")
