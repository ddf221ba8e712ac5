"""Who is working on a database file: the login of the operating system's own account, not what
the environment says; and the users dialog is told that roles on a file are advisory."""

from __future__ import annotations

import os
import pwd

import pytest

from pg import Backend
from uitstroom.services.database import Database
from uitstroom.services.identity import os_login
from uitstroom.services.users import UserService


def test_the_login_comes_from_the_account_not_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = pwd.getpwuid(os.getuid()).pw_name
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "coordinator-" + account)
    assert os_login() == account


def test_only_a_server_enforces_the_roles(database: Database, backend: Backend) -> None:
    assert UserService(database.sessions).roles_enforced() is backend.is_server
