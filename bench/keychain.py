"""A keychain for the start benchmarks that any process can open: `keyring` loads it from
PYTHON_KEYRING_BACKEND=bench.keychain.FileKeychain and reads its secrets from the JSON file named
in UITSTROOM_BENCH_KEYCHAIN. It stands in for the system's keychain (an external program); as
there, the key is found without a passphrase and without scrypt."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

FILE_ENV = "UITSTROOM_BENCH_KEYCHAIN"
BACKEND = "bench.keychain.FileKeychain"


class FileKeychain(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _secrets(self) -> dict[str, str]:
        try:
            loaded: dict[str, str] = json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return loaded

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._secrets()
        secrets[f"{service}/{username}"] = password
        self._path().write_text(json.dumps(secrets), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._secrets()
        secrets.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(secrets), encoding="utf-8")
