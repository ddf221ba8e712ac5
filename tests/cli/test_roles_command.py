"""The headless commands run as the person the user list names for this login, as the window
does: a mentor's command reaches their own pupils only, someone not in the list may only look,
and every change carries the name of who made it. On a file the login is the computer's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from test_commands import passphrase_file

from factories import TEST_PASSPHRASE, dump
from uitstroom.commands.calendar import item_json
from uitstroom.domain.actor import Actor, Role, User
from uitstroom.domain.audit import AuditAction
from uitstroom.services import vault
from uitstroom.services.audit import AuditService, os_login
from uitstroom.services.database import open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.planning import PlanningService
from uitstroom.services.pupils import PupilService
from uitstroom.storage.models import AppUserRow

DAY = date(2026, 11, 23)


def run_as(login: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command by this computer's account, whose environment claims to be `login`: the
    claim changes nothing, the account's own login is who is working."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("UITSTROOM_DB", None)
    env["UITSTROOM_PASSPHRASE_FILE"] = str(passphrase_file())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        env[name] = login
    return subprocess.run(
        [sys.executable, "-m", "uitstroom", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def school_with_users(
    tmp_path: Path, me: Role | None = Role.MENTOR
) -> tuple[Path, Actor, dict[str, str]]:
    """The demo cohort; the coordinator (login mverbeek) and one mentor (akramer) in the list,
    with this computer's own login in the place of the role `me` (None: not in the list).
    Returns the file, the mentor and a leerlingnummer of one of theirs and of someone else's."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        insert_demo_cohort(db.sessions, today=DAY)
        pupils = PupilService(db.sessions).summaries()
        mentor_name = pupils[0].mentor
        mentor = Actor("Anja Kramer", Role.MENTOR, mentor_name=mentor_name)
        people = [
            User(
                "Marloes Verbeek",
                os_login() if me is Role.COORDINATOR else "mverbeek",
                Role.COORDINATOR,
            ),
            User(
                mentor.name,
                os_login() if me is Role.MENTOR else "akramer",
                Role.MENTOR,
                mentor_name,
            ),
        ]
        # Straight into the table: the service keeps the one saving it a coordinator, and this
        # account is to be the mentor, or not in the list.
        with db.sessions.begin() as session:
            session.add_all(
                AppUserRow(name=u.name, login=u.login, role=u.role.value, mentor_name=u.mentor_name)
                for u in people
            )
        numbers = {
            "mine": pupils[0].leerlingnummer,
            "other": next(p.leerlingnummer for p in pupils if p.mentor != mentor_name),
        }
    finally:
        db.close()
    return path, mentor, numbers


def test_a_mentors_commands_reach_their_own_pupils_and_carry_their_name(tmp_path: Path) -> None:
    path, mentor, numbers = school_with_users(tmp_path)
    db = open_database(path, vault.unlock(path, TEST_PASSPHRASE))
    try:
        expected = [item_json(i) for i in PlanningService(db.sessions, actor=mentor).attention(DAY)]
        everyone = PlanningService(db.sessions).attention(DAY)
    finally:
        db.close()
    assert expected and len(expected) < len(everyone)

    # The mentor's account says in its environment that it is the coordinator: no use.
    seen = run_as("mverbeek", "--db", str(path), "attention", "--date", DAY.isoformat(), "--json")
    assert seen.returncode == 0, seen.stderr
    assert json.loads(seen.stdout) == expected

    before = dump(path)
    for refused in (
        ("export", str(tmp_path / "leerlingen.xlsx")),
        ("audit",),
        ("document", "paspoort", "--pupil", numbers["other"], "--out", str(tmp_path / "x.pdf")),
    ):
        result = run_as("mverbeek", "--db", str(path), *refused)
        assert result.returncode == 1, (refused, result.stdout)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "leerlingen.xlsx").exists() and not (tmp_path / "x.pdf").exists()
    assert dump(path) == before

    own = tmp_path / "eigen.pdf"
    made = run_as(
        "mverbeek", "--db", str(path), "document", "paspoort", "--pupil", numbers["mine"],
        "--out", str(own),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    db = open_database(path, vault.unlock(path, TEST_PASSPHRASE))
    try:
        line = AuditService(db.sessions).entries()[0]
    finally:
        db.close()
    assert (line.action, line.actor) == (AuditAction.DOCUMENT, "Anja Kramer")


def test_someone_not_in_the_list_may_only_look(tmp_path: Path) -> None:
    path, _, _ = school_with_users(tmp_path, me=None)
    before = dump(path)
    looked = run_as("mverbeek", "--db", str(path), "attention", "--date", DAY.isoformat())
    assert looked.returncode == 0, looked.stderr
    assert f"u (inlognaam '{os_login()}') staat niet in de lijst met gebruikers" in looked.stderr
    calendar = run_as("mverbeek", "--db", str(path), "calendar", str(tmp_path / "a.ics"))
    assert calendar.returncode == 1
    assert "U mag in Uitstroom alleen kijken" in calendar.stderr
    assert not (tmp_path / "a.ics").exists()
    assert dump(path) == before
    # The coordinator's own account still does everything.
    (tmp_path / "coordinator").mkdir()
    path, _, _ = school_with_users(tmp_path / "coordinator", me=Role.COORDINATOR)
    exported = run_as("stagiair7", "--db", str(path), "export", str(tmp_path / "alle.csv"))
    assert exported.returncode == 0, exported.stderr
