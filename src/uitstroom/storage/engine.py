"""One engine per database. SQLite files get WAL, foreign keys and full sync on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker


def database_url(target: str | Path) -> str:
    """A path becomes a sqlite URL; postgresql:// (or postgres://) gets the psycopg 3 driver;
    any other URL passes unchanged."""
    text = str(target)
    if "://" in text:
        scheme, rest = text.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def make_engine(target: str | Path, password: str | None = None) -> Engine:
    """`password` is for a server whose address carries none (it comes from the keychain)."""
    url = database_url(target)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    parsed = make_url(url)
    if password and not parsed.password:
        parsed = parsed.set(password=password)
    connect_args: dict[str, Any] = {"application_name": "Uitstroom"}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = 10  # an unreachable server is told in seconds
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit that returned survives a power cut.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
