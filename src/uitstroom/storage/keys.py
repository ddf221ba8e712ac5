"""The data key that opens an encrypted database, and the two places it is kept.

A random 256-bit key opens the database. It lives in the operating system's keychain (through
`keyring`) and, wrapped under the school's recovery passphrase (scrypt + AES-GCM), in a small
key file beside the database. Losing the keychain never loses the data; the passphrase unwraps
the key again. A plaintext key never touches the disk.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

KEY_BYTES = 32
KEYFILE_SUFFIX = ".sleutel"
KEYRING_SERVICE = "Uitstroom database"
FORMAT = "uitstroom-sleutel-1"
# scrypt cost for every key file written now: 2^17 x 8 x 128 bytes = 128 MB and about 0.3 s on
# a school laptop, far too slow to guess passphrases. Files written before with 2^15 still open,
# and are wrapped again at this cost after the next unlock (needs_rewrap).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 12
# What a key file may ask for before any work is done: a damaged or hostile file must not make
# the program allocate gigabytes or loop for minutes (scrypt's memory is 128 * n * r bytes).
_N_RANGE = (2**14, 2**20)
_R_RANGE = (1, 32)
_P_RANGE = (1, 16)
_MAX_SCRYPT_MEMORY = 1 << 30
# A copy of every key in the backup folder, named by the database id the key belongs to.
KEY_STORE = "sleutels"


class KeyError_(Exception):
    """Base for key problems; the message is Dutch and says what to do."""


class WrongPassphrase(KeyError_):
    pass


class KeyFileMissing(KeyError_):
    pass


class KeyFileDamaged(KeyError_):
    pass


DAMAGED = (
    "Het sleutelbestand is beschadigd. Zet het sleutelbestand terug uit een back-up "
    "(het heet hetzelfde als de database, met .sleutel erachter)."
)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def passphrase_problem(passphrase: str) -> str | None:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        return (
            f"Kies een herstelwachtwoord van minstens {MIN_PASSPHRASE} tekens, bijvoorbeeld "
            "vier losse woorden."
        )
    return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# cryptography (9 MB and 19 ms to import) only where a passphrase is used: a start with the
# key from the keychain has none.


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


@dataclass(frozen=True)
class WrappedKey:
    """The key file's content: the data key encrypted under a key derived from the passphrase."""

    database_id: str
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def wrap(cls, data_key: bytes, passphrase: str, database_id: str | None = None) -> WrappedKey:
        database_id = database_id or str(uuid.uuid4())
        salt, nonce = os.urandom(16), os.urandom(12)
        n, r, p = SCRYPT_N, SCRYPT_R, SCRYPT_P
        kek = _kek(passphrase, salt, n, r, p)
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        # The database id is bound as associated data: a key file cannot be swapped between databases.
        ciphertext = AESGCM(kek).encrypt(nonce, data_key, database_id.encode())
        return cls(database_id, salt, nonce, ciphertext, n, r, p)

    def unwrap(self, passphrase: str) -> bytes:
        kek = _kek(passphrase, self.salt, self.n, self.r, self.p)
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(kek).decrypt(self.nonce, self.ciphertext, self.database_id.encode())
        except InvalidTag:
            raise WrongPassphrase(
                "Dit herstelwachtwoord klopt niet. Let op hoofdletters en spaties en probeer het "
                "opnieuw; het staat op het herstelblad dat bij de installatie is afgedrukt."
            ) from None

    def checksum(self) -> str:
        """A plain checksum over every field. Without it a changed byte in the salt, the
        ciphertext or the database id would read as a wrong passphrase (AES-GCM cannot tell
        them apart); with it, such a file is named damaged before the passphrase is tried.
        It protects against accidents, not an attacker: it is no secret."""
        fields = (
            FORMAT,
            self.database_id,
            f"scrypt:{self.n}:{self.r}:{self.p}",
            _b64(self.salt),
            _b64(self.nonce),
            _b64(self.ciphertext),
        )
        return hashlib.sha256("\n".join(fields).encode("ascii")).hexdigest()

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "database_id": self.database_id,
                "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p},
                "salt": _b64(self.salt),
                "nonce": _b64(self.nonce),
                "ciphertext": _b64(self.ciphertext),
                "controle": self.checksum(),
            },
            indent=2,
        )

    @property
    def needs_rewrap(self) -> bool:
        """Written with a cheaper scrypt cost than today's: wrap again after an unlock."""
        return (self.n, self.r, self.p) != (SCRYPT_N, SCRYPT_R, SCRYPT_P)

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        """Every field checked before any work is done with it: a damaged file (or one edited
        by hand) is KeyFileDamaged, never a traceback, an endless scrypt or a gigabyte."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("kdf"), dict):
                raise ValueError("no key file")
            kdf = data["kdf"]
            if data.get("format") != FORMAT or kdf.get("name") != "scrypt":
                raise ValueError(data.get("format"))
            n, r, p = (_whole(kdf[name]) for name in ("n", "r", "p"))
            if not (_N_RANGE[0] <= n <= _N_RANGE[1] and n & (n - 1) == 0):
                raise ValueError(f"scrypt n {n}")
            if not (_R_RANGE[0] <= r <= _R_RANGE[1] and _P_RANGE[0] <= p <= _P_RANGE[1]):
                raise ValueError(f"scrypt r {r} p {p}")
            if 128 * n * r > _MAX_SCRYPT_MEMORY:
                raise ValueError("scrypt memory")
            database_id = str(uuid.UUID(str(data["database_id"])))
            wrapped = cls(
                database_id=database_id,
                salt=_unb64(data["salt"]),
                nonce=_unb64(data["nonce"]),
                ciphertext=_unb64(data["ciphertext"]),
                n=n,
                r=r,
                p=p,
            )
            if (len(wrapped.salt), len(wrapped.nonce), len(wrapped.ciphertext)) != (
                16,
                12,
                KEY_BYTES + 16,
            ):
                raise ValueError("field length")
            # Files from before the checksum have none; every file written now has one.
            if "controle" in data and data["controle"] != wrapped.checksum():
                raise ValueError("checksum")
            return wrapped
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            raise KeyFileDamaged(DAMAGED) from exc


def _whole(value: object) -> int:
    """An integer as JSON writes one; 1.5, "8" and true are damage."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not a whole number: {value!r}")
    return value


def keyfile_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEYFILE_SUFFIX)


def read_wrapped(path: Path) -> WrappedKey:
    """A key file anywhere (beside the database, in the backup folder); KeyFileDamaged for a
    file that is not one, FileNotFoundError when there is none."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KeyFileDamaged(DAMAGED) from exc
    return WrappedKey.from_json(text)


def read_keyfile(db_path: Path) -> WrappedKey:
    path = keyfile_for(db_path)
    try:
        return read_wrapped(path)
    except FileNotFoundError:
        raise KeyFileMissing(
            f"Bij {db_path.name} hoort een sleutelbestand ({path.name}), maar dat ontbreekt. "
            "Is dit wel een Uitstroom-database? Zo ja: zet het sleutelbestand terug uit een "
            "back-up; zonder dat bestand of de sleutelbos van dit systeem gaat de database niet open."
        ) from None


def write_keyfile(db_path: Path, wrapped: WrappedKey) -> None:
    """Written to a temporary file, synced, then swapped in: a crash leaves the old key file."""
    write_wrapped(keyfile_for(db_path), wrapped)


def write_wrapped(path: Path, wrapped: WrappedKey) -> None:
    """Atomically, owner-only (0600 where the platform has modes)."""
    _write_private(path, wrapped.to_json())


def _write_private(path: Path, text: str) -> None:
    """Written to a temporary file, synced, then swapped in; owner-only from the start."""
    temp = path.with_name(path.name + ".nieuw")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


# --- the key store in the backup folder -------------------------------------------------------
# Every key a kept backup needs stays in the backup folder, one file per database id, wrapped
# under the recovery passphrase like the key file itself. A key file beside the database that is
# replaced, emptied or damaged then never takes the backups with it.
def key_store(backup_dir: Path) -> Path:
    return backup_dir / KEY_STORE


def stored_key_path(backup_dir: Path, database_id: str) -> Path:
    return key_store(backup_dir) / f"{database_id}{KEYFILE_SUFFIX}"


def keep_in_store(backup_dir: Path, wrapped: WrappedKey) -> Path:
    """Store (or re-wrap) this database id's key in the backup folder. A copy of the same id is
    replaced only by one that wraps the same id: the data key under it never changes."""
    folder = key_store(backup_dir)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
    target = stored_key_path(backup_dir, wrapped.database_id)
    with contextlib.suppress(OSError, KeyFileDamaged):
        if target.exists() and read_wrapped(target).to_json() == wrapped.to_json():
            return target
    write_wrapped(target, wrapped)
    return target


def stored_keys(backup_dir: Path) -> Iterator[tuple[Path, WrappedKey]]:
    """Every readable key in the backup folder: the store, and the older single copy named
    after the database. A damaged one is skipped; the others may still open the backups."""
    candidates = sorted(key_store(backup_dir).glob(f"*{KEYFILE_SUFFIX}"))
    candidates += sorted(backup_dir.glob(f"*{KEYFILE_SUFFIX}"))
    for path in candidates:
        try:
            yield path, read_wrapped(path)
        except (OSError, KeyFileDamaged):
            continue


@dataclass(frozen=True)
class KeySearch:
    """The outcome of find_key: the key file and key that open the file, if any, and whether
    the passphrase unwrapped any key at all (then the passphrase was right, the keys wrong)."""

    wrapped: WrappedKey | None
    key: bytes | None
    unwrapped: bool


def find_key(
    candidates: list[WrappedKey],
    opens: Callable[[bytes], bool],
    passphrase: str | None,
    lookup: Callable[[str], bytes | None],
) -> KeySearch:
    """The first candidate whose key opens the file: without a passphrase the key each names
    is looked up (`lookup`, the keychain); with one, each is unwrapped."""
    unwrapped = False
    for wrapped in candidates:
        if passphrase is None:
            key = lookup(wrapped.database_id)
            if key is None:
                continue
        else:
            try:
                key = wrapped.unwrap(passphrase)
            except WrongPassphrase:
                continue
            unwrapped = True
        if opens(key):
            return KeySearch(wrapped, key, unwrapped)
    return KeySearch(None, None, unwrapped)


def put_keyfile(db_path: Path, wrapped: WrappedKey, backup_dir: Path) -> None:
    """Make `wrapped` the key file beside the database (after an unlock through a copy, or a
    restore). Nothing that was there is lost: another database's key goes into the key store
    first, a damaged file is moved aside as .beschadigd, never deleted."""
    current = keyfile_for(db_path)
    try:
        present: WrappedKey | None = read_wrapped(current)
    except FileNotFoundError:
        present = None
    except (KeyFileDamaged, OSError):
        present = None
        aside = current.with_name(current.name + ".beschadigd")
        number = 1
        while aside.exists():
            number += 1
            aside = current.with_name(f"{current.name}.beschadigd-{number}")
        with contextlib.suppress(OSError):
            current.replace(aside)
    if present is not None and present.to_json() == wrapped.to_json():
        return
    if present is not None and present.database_id != wrapped.database_id:
        keep_in_store(backup_dir, present)
    if not db_path.parent.is_dir():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(db_path.parent, 0o700)
    write_keyfile(db_path, wrapped)
    keep_in_store(backup_dir, wrapped)


# --- the dagwachtwoord (domain.daypass) ---------------------------------------------------------
# The same data key wrapped a second time, under the user's own dagwachtwoord, in a file of its
# own beside the database, with the count of wrong tries for the rate limit.
DAYKEY_SUFFIX = ".dagsleutel"
DAY_FORMAT = "uitstroom-dagsleutel-1"


@dataclass(frozen=True)
class DayKey:
    wrapped: WrappedKey
    failures: int = 0
    last_failure: datetime | None = None


def daykey_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + DAYKEY_SUFFIX)


def read_daykey(db_path: Path) -> DayKey | None:
    """None when no dagwachtwoord was set; KeyFileDamaged for a file that is not one."""
    try:
        data = json.loads(daykey_for(db_path).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyFileDamaged(DAMAGED) from exc
    try:
        if not isinstance(data, dict) or data.get("format") != DAY_FORMAT:
            raise ValueError("no day key")
        last = data.get("laatste_fout")
        return DayKey(
            WrappedKey.from_json(json.dumps(data["sleutel"])),
            _whole(data.get("fouten", 0)),
            datetime.fromisoformat(last) if last else None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileDamaged(DAMAGED) from exc


def write_daykey(db_path: Path, day: DayKey) -> None:
    body = {
        "format": DAY_FORMAT,
        "sleutel": json.loads(day.wrapped.to_json()),
        "fouten": day.failures,
        "laatste_fout": day.last_failure.isoformat() if day.last_failure else None,
    }
    _write_private(daykey_for(db_path), json.dumps(body, indent=2))
