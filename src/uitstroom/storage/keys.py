"""The data key that opens an encrypted database, and the two places it is kept.

A random 256-bit key opens the database. It lives in the operating system's keychain (through
`keyring`) and, wrapped under the school's recovery passphrase (scrypt + AES-GCM), in a small
key file beside the database. Losing the keychain never loses the data; the passphrase unwraps
the key again. A plaintext key never touches the disk.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

KEY_BYTES = 32
KEYFILE_SUFFIX = ".sleutel"
KEYRING_SERVICE = "Uitstroom database"
FORMAT = "uitstroom-sleutel-1"
# scrypt cost: about a quarter of a second on a school laptop, far too slow to guess passphrases.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 12


class KeyError_(Exception):
    """Base for key problems; the message is Dutch and says what to do."""


class WrongPassphrase(KeyError_):
    pass


class KeyFileMissing(KeyError_):
    pass


class KeyFileDamaged(KeyError_):
    pass


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


def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
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
        kek = _kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        # The database id is bound as associated data: a key file cannot be swapped between databases.
        ciphertext = AESGCM(kek).encrypt(nonce, data_key, database_id.encode())
        return cls(database_id, salt, nonce, ciphertext)

    def unwrap(self, passphrase: str) -> bytes:
        kek = _kek(passphrase, self.salt, self.n, self.r, self.p)
        try:
            return AESGCM(kek).decrypt(self.nonce, self.ciphertext, self.database_id.encode())
        except InvalidTag:
            raise WrongPassphrase(
                "Dit herstelwachtwoord klopt niet. Let op hoofdletters en spaties en probeer het "
                "opnieuw; het staat op het herstelblad dat bij de installatie is afgedrukt."
            ) from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "database_id": self.database_id,
                "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p},
                "salt": _b64(self.salt),
                "nonce": _b64(self.nonce),
                "ciphertext": _b64(self.ciphertext),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> WrappedKey:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT or data["kdf"]["name"] != "scrypt":
                raise ValueError(data.get("format"))
            return cls(
                database_id=str(data["database_id"]),
                salt=_unb64(data["salt"]),
                nonce=_unb64(data["nonce"]),
                ciphertext=_unb64(data["ciphertext"]),
                n=int(data["kdf"]["n"]),
                r=int(data["kdf"]["r"]),
                p=int(data["kdf"]["p"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileDamaged(
                "Het sleutelbestand is beschadigd. Zet het sleutelbestand terug uit een back-up "
                "(het heet hetzelfde als de database, met .sleutel erachter)."
            ) from exc


def keyfile_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEYFILE_SUFFIX)


def read_keyfile(db_path: Path) -> WrappedKey:
    path = keyfile_for(db_path)
    try:
        return WrappedKey.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileMissing(
            f"Bij {db_path.name} hoort een sleutelbestand ({path.name}), maar dat ontbreekt. "
            "Is dit wel een Uitstroom-database? Zo ja: zet het sleutelbestand terug uit een "
            "back-up; zonder dat bestand of de sleutelbos van dit systeem gaat de database niet open."
        ) from None


def write_keyfile(db_path: Path, wrapped: WrappedKey) -> None:
    """Written to a temporary file, synced, then swapped in: a crash leaves the old key file."""
    path = keyfile_for(db_path)
    temp = path.with_name(path.name + ".nieuw")
    with open(temp, "w", encoding="utf-8") as stream:
        stream.write(wrapped.to_json())
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temp, path)
