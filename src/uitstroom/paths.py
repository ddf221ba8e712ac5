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


SERVER_FILENAME = "schoolserver.txt"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, APP_ORG))


# Written in the user's file when they go back to the database on this computer while IT has
# pre-set a server for everyone: the user's own choice wins over the pre-set.
THIS_COMPUTER = "deze computer"


def site_server_files() -> list[Path]:
    """Where IT may pre-set the school server for every user of the computer (Windows
    C:\\ProgramData\\Uitstroom\\Uitstroom, macOS /Library/Application Support/Uitstroom, Linux
    /etc/xdg/Uitstroom): used until the user chooses in the window."""
    folders = platformdirs.site_config_dir(APP_NAME, APP_ORG, multipath=True).split(os.pathsep)
    return [Path(folder) / SERVER_FILENAME for folder in folders if folder]


def _read_server(path: Path) -> str | None:
    """The address in a server file; None for a file that names none (or is missing)."""
    text = path.read_text(encoding="utf-8").strip()
    return text if text.startswith("postgresql") else None


def chosen_server() -> str | None:
    """The school server this user connected to in the window (Bestand > Verbinden met de
    schoolserver), without its password: that stays in the keychain. Without a choice of the
    user, the server IT pre-set for this computer (installers/README.md)."""
    try:
        return _read_server(config_dir() / SERVER_FILENAME)
    except OSError:
        pass
    for path in site_server_files():
        try:
            preset = _read_server(path)
        except OSError:
            continue
        if preset:
            return preset
    return None


def choose_server(url: str | None) -> None:
    """Remember the server for the next start; None goes back to the file on this computer."""
    target = config_dir() / SERVER_FILENAME
    if url is None:
        target.unlink(missing_ok=True)
        if chosen_server() is None:
            return
        url = THIS_COMPUTER  # a pre-set server would come back at the next start
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(url + "\n", encoding="utf-8")


def default_database() -> str:
    """--db wins over UITSTROOM_DB, which wins over the school server chosen in the window,
    which wins over the file in the user data folder."""
    return os.environ.get(DB_ENV) or chosen_server() or str(data_dir() / DB_FILENAME)


def backup_dir_for(database: str) -> Path | None:
    if "://" in database:
        return None
    return Path(database).expanduser().resolve().parent / "backups"


def resource(*parts: str) -> Traversable:
    return resources.files("uitstroom").joinpath("resources", *parts)
