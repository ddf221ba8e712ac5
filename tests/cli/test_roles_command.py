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
from uitstroom.services.users import UserService

DAY = date(2026, 11, 23)


def run_as(login: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command as someone logged in to this computer as `login`."""
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


def school_with_users(tmp_path: Path) -> tuple[Path, Actor, dict[str, str]]:
    """The demo cohort; the coordinator (this computer's login) and one mentor in the list.
    Returns the file, the mentor and a leerlingnummer of one of theirs and of someone else's."""
    path = tmp_path / "school.db"
    db = open_database(path, vault.set_up(path, TEST_PASSPHRASE))
    try:
        insert_demo_cohort(db.sessions, today=DAY)
        pupils = PupilService(db.sessions).summaries()
        mentor_name = pupils[0].mentor
        mentor = Actor("Anja Kramer", Role.MENTOR, mentor_name=mentor_name)
        UserService(db.sessions).save_users(
            [
                User("Marloes Verbeek", os_login(), Role.COORDINATOR),
                User(mentor.name, "akramer", Role.MENTOR, mentor_name),
            ],
            "Marloes Verbeek",
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

    seen = run_as("akramer", "--db", str(path), "attention", "--date", DAY.isoformat(), "--json")
    assert seen.returncode == 0, seen.stderr
    assert json.loads(seen.stdout) == expected

    before = dump(path)
    for refused in (
        ("export", str(tmp_path / "leerlingen.xlsx")),
        ("audit",),
        ("document", "paspoort", "--pupil", numbers["other"], "--out", str(tmp_path / "x.pdf")),
    ):
        result = run_as("akramer", "--db", str(path), *refused)
        assert result.returncode == 1, (refused, result.stdout)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "leerlingen.xlsx").exists() and not (tmp_path / "x.pdf").exists()
    assert dump(path) == before

    own = tmp_path / "eigen.pdf"
    made = run_as(
        "akramer", "--db", str(path), "document", "paspoort", "--pupil", numbers["mine"],
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
    path, _, _ = school_with_users(tmp_path)
    before = dump(path)
    looked = run_as("stagiair7", "--db", str(path), "attention", "--date", DAY.isoformat())
    assert looked.returncode == 0, looked.stderr
    assert "u (inlognaam 'stagiair7') staat niet in de lijst met gebruikers" in looked.stderr
    calendar = run_as("stagiair7", "--db", str(path), "calendar", str(tmp_path / "a.ics"))
    assert calendar.returncode == 1
    assert "U mag in Uitstroom alleen kijken" in calendar.stderr
    assert not (tmp_path / "a.ics").exists()
    assert dump(path) == before
    # The coordinator's own login still does everything.
    exported = run_as(os_login(), "--db", str(path), "export", str(tmp_path / "alle.csv"))
    assert exported.returncode == 0, exported.stderr
