"""Where things live: platformdirs for user data, importlib.resources for shipped files."""

from __future__ import annotations

import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import platformdirs

from uitstroom import APP_NAME, APP_ORG

DB_ENV = "UITSTROOM_DB"
PASSPHRASE_ENV = "UITSTROOM_PASSPHRASE_FILE"
DB_FILENAME = "uitstroom.db"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_ORG))


def default_database() -> str:
    """--db wins over UITSTROOM_DB, which wins over the user data folder."""
    return os.environ.get(DB_ENV) or str(data_dir() / DB_FILENAME)


def backup_dir_for(database: str) -> Path | None:
    if "://" in database:
        return None
    return Path(database).expanduser().resolve().parent / "backups"


def resource(*parts: str) -> Traversable:
    return resources.files("uitstroom").joinpath("resources", *parts)
