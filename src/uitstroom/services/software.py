"""The versions of the database software and libraries under the program, for the About box's
diagnosis (what a helpdesk asks first). Imported when asked: none of this is needed to start."""

from __future__ import annotations

import importlib.metadata


def installed_version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "onbekend"


def database_software() -> str:
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return f"SQLite {sqlcipher.sqlite_version}, SQLCipher {row[0] if row else 'ontbreekt'}"


def libraries() -> str:
    import alembic
    import cryptography
    import reportlab
    import sqlalchemy

    return (
        f"SQLAlchemy {sqlalchemy.__version__}, Alembic {alembic.__version__}, "
        f"reportlab {reportlab.Version}, cryptography {cryptography.__version__}, "
        f"keyring {installed_version('keyring')}"
    )
