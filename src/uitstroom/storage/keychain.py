"""The operating system's keychain, through `keyring`. Plaintext fallbacks (keyrings.alt) and the
'fail'/'null' backends count as no keychain: then the recovery passphrase opens the database."""

from __future__ import annotations

import base64
import binascii
import contextlib

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from uitstroom.storage.keys import KEY_BYTES, KEYRING_SERVICE

_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


def _acceptable(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULES):
        return False
    children = getattr(backend, "backends", None)
    if children is not None:  # the chainer: usable when any real backend is behind it
        return any(_acceptable(child) for child in children)
    try:
        return float(backend.priority) > 0
    except (TypeError, ValueError, RuntimeError):
        return False


def keychain_available() -> bool:
    try:
        return _acceptable(keyring.get_keyring())
    except (KeyringError, RuntimeError):
        return False


def load_key(database_id: str) -> bytes | None:
    """The data key from the keychain, or None when it is missing, locked or unusable."""
    if not keychain_available():
        return None
    try:
        stored = keyring.get_password(KEYRING_SERVICE, database_id)
    except (KeyringError, RuntimeError, OSError):
        return None
    if not stored:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def store_key(database_id: str, key: bytes) -> bool:
    """Keep the key in the keychain; False when there is no usable keychain (not an error)."""
    if not keychain_available():
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, database_id, base64.b64encode(key).decode("ascii"))
    except (KeyringError, RuntimeError, OSError):
        return False
    return True


def forget_key(database_id: str) -> None:
    if not keychain_available():
        return
    with contextlib.suppress(KeyringError, RuntimeError, OSError):
        keyring.delete_password(KEYRING_SERVICE, database_id)


# --- passwords for the school's PostgreSQL server ---------------------------------------------
# One entry per account on a server, "user@host:port/database": the password never goes into a
# URL that is saved anywhere.
SERVER_SERVICE = "Uitstroom-server"


def load_server_password(account: str) -> str | None:
    if not keychain_available():
        return None
    try:
        return keyring.get_password(SERVER_SERVICE, account) or None
    except (KeyringError, RuntimeError, OSError):
        return None


def store_server_password(account: str, password: str) -> bool:
    """False when there is no usable keychain: the password is then asked for at each start."""
    if not keychain_available():
        return False
    try:
        keyring.set_password(SERVER_SERVICE, account, password)
    except (KeyringError, RuntimeError, OSError):
        return False
    return True


def forget_server_password(account: str) -> None:
    if not keychain_available():
        return
    with contextlib.suppress(KeyringError, RuntimeError, OSError):
        keyring.delete_password(SERVER_SERVICE, account)
