"""The audit trail as a coordinator and an auditor meet it: every change leaves a line, in the
same transaction; the lines hold no personal data; a tampered chain is reported by line."""

from __future__ import annotations

import getpass
import io
import json
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from factories import TEST_PASSPHRASE, dump, fixed_clock, make_database, make_pupil
from pg import Backend
from uitstroom import cli
from uitstroom.domain.actor import coordinator
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.model import Guardian, SchoolSettings, Stage
from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services import audit
from uitstroom.services.audit import AuditService
from uitstroom.services.connection import ServerAddress
from uitstroom.services.database import Database, open_database
from uitstroom.services.errors import ServiceError
from uitstroom.services.export import export_pupils
from uitstroom.services.pupils import PupilService, SchoolService
from uitstroom.services.rights import RightsService
from uitstroom.services.vault import set_up
from uitstroom.storage import cipher

MOMENT = datetime(2026, 11, 23, 9, 30)


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self, now: datetime = MOMENT) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> Iterator[Database]:
    database = make_database(tmp_path, backend=backend)
    yield database
    database.close()


def lines(db: Database) -> list[tuple[str, int | None, str]]:
    return [
        (e.action.value, e.pupil_id, e.detail)
        for e in AuditService(db.sessions).entries(newest_first=False)
    ]


def raw(db: Database):
    """A connection of its own, as someone with the key and an SQLite tool would have (on a
    server: the server's administrator with psql)."""
    if db.path is None:
        return psycopg.connect(**ServerAddress.from_url(db.location).driver_params())
    assert db.key is not None
    return cipher.connect(db.path, db.key)


def refusing_trigger(db: Database, name: str, verb: str, message: str) -> list[str]:
    """A trigger that refuses `verb` on the trail with `message`, in the database's own SQL
    (on the server with SQLSTATE 23001, an integrity error as SQLite's RAISE(ABORT) gives)."""
    if db.path is not None:
        return [
            f"CREATE TRIGGER {name} BEFORE {verb} ON audit_event "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ]
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = '23001'; END $$",
        f"CREATE TRIGGER {name} BEFORE {verb} ON audit_event "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def tamper(db: Database, *statements: str) -> None:
    """Change the trail the way an attacker would: first drop the append-only triggers."""
    connection = raw(db)
    on_table = " ON audit_event" if db.path is None else ""
    try:
        connection.execute(f"DROP TRIGGER audit_event_no_update{on_table}")
        connection.execute(f"DROP TRIGGER audit_event_no_delete{on_table}")
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_every_change_to_a_pupil_leaves_a_line_without_personal_data(db: Database) -> None:
    pupils = PupilService(db.sessions, clock=fixed_clock(MOMENT), actor=coordinator("Marloes"))
    record = pupils.create(make_pupil(ondersteuningsbehoefte="Dyslexie"), "2026-2027")
    pupil_id = record.pupil.id
    pupils.save(replace(record.pupil, klas="PRO4B", mentor="dhr. B. Smit"))
    with_stage = pupils.save_stage(pupil_id, Stage(leerbedrijf="Bakkerij Öztürk"))
    pupils.save_stage(pupil_id, replace(with_stage.stages[0], dagen_per_week=3))
    pupils.add_note(pupil_id, "Zoë wil graag in de zorg werken.")
    pupils.delete_stage(pupil_id, with_stage.stages[0].id)

    assert lines(db) == [
        ("toegevoegd", pupil_id, "cohort 2026-2027"),
        ("gewijzigd", pupil_id, "velden: klas, mentor"),
        ("gewijzigd", pupil_id, "stage toegevoegd"),
        ("gewijzigd", pupil_id, "stage gewijzigd"),
        ("gewijzigd", pupil_id, "notitie toegevoegd"),
        ("gewijzigd", pupil_id, "stage verwijderd"),
    ]
    entries = AuditService(db.sessions).entries()
    assert {(e.actor, e.os_user, e.at) for e in entries} == {("Marloes", getpass.getuser(), MOMENT)}
    text = json.dumps([e.__dict__ for e in entries], default=str, ensure_ascii=False)
    for personal in ("Zoë", "Meer", "Dyslexie", "Öztürk", "PRO4B", "Smit", "200001", "zorg"):
        assert personal not in text


def test_a_refused_save_changes_nothing_and_its_line_says_it_was_not_stored(
    db: Database,
) -> None:
    pupils = PupilService(db.sessions, clock=fixed_clock(MOMENT), actor=coordinator("Marloes"))
    record = pupils.create(make_pupil(), "2026-2027")
    pupils.save(replace(record.pupil, klas="PRO4B"))
    before = dump(db, exclude=("audit_event",))
    with pytest.raises(ServiceError):  # the version is stale: someone saved in between
        pupils.save(replace(record.pupil, klas="PRO4C"))
    assert dump(db, exclude=("audit_event",)) == before
    last = AuditService(db.sessions).entries()[0]
    assert (last.actor, last.action, last.pupil_id) == (
        "Marloes",
        AuditAction.REFUSED,
        record.pupil.id,
    )
    assert "PRO4C" not in last.detail and "klas" not in last.detail


def test_when_the_line_cannot_be_written_the_change_is_not_saved_either(db: Database) -> None:
    pupils = PupilService(db.sessions, clock=fixed_clock(MOMENT))
    record = pupils.create(make_pupil(), "2026-2027")
    # The trail refuses any new line (as a full disk would): the edit must go with it.
    connection = raw(db)
    for statement in refusing_trigger(db, "no_more_lines", "INSERT", "schijf vol"):
        connection.execute(statement)
    connection.commit()
    connection.close()
    before = dump(db)
    with pytest.raises(ServiceError):
        pupils.save(replace(record.pupil, klas="PRO4B"))
    with pytest.raises(Exception, match="schijf vol"):
        pupils.add_note(record.pupil.id, "Gesprek met moeder gehad.")
    assert dump(db) == before
    assert pupils.record(record.pupil.id).pupil.klas == "PRO4A"


def test_opening_a_pupil_logs_one_view_per_person_per_ten_minutes(db: Database) -> None:
    clock = Clock()
    pupils = PupilService(db.sessions, clock=clock, actor=coordinator("Marloes"))
    first = pupils.create(make_pupil(), "2026-2027").pupil.id
    second = pupils.create(make_pupil(leerlingnummer="200002"), "2026-2027").pupil.id

    record = pupils.open(first)
    assert record.pupil.name == "Zoë van der Meer"
    for minutes in (1, 5, 9):  # clicking back and forth through the list
        clock.now = MOMENT + timedelta(minutes=minutes)
        pupils.open(second)
        pupils.open(first)
    # A colleague on the same laptop, under the same login.
    PupilService(db.sessions, clock=clock, actor=coordinator("Ahmed")).open(first)
    clock.now = MOMENT + timedelta(minutes=10)
    pupils.open(first)

    views = [
        (e.pupil_id, e.actor, e.at)
        for e in AuditService(db.sessions).entries(newest_first=False)
        if e.action is AuditAction.VIEWED_SUPPORT
    ]
    assert views == [
        (first, "Marloes", MOMENT),
        (second, "Marloes", MOMENT + timedelta(minutes=1)),
        (first, "Ahmed", MOMENT + timedelta(minutes=9)),
        (first, "Marloes", MOMENT + timedelta(minutes=10)),
    ]


def test_settings_changes_name_the_fields_only(db: Database) -> None:
    school = SchoolService(db.sessions)
    school.save_settings(SchoolSettings(name="De Horizon", coordinator_name="Marloes Verbeek"))
    school.save_settings(
        SchoolSettings(name="De Horizon", brin="12ab", coordinator_name="Marloes Verbeek")
    )
    school.save_settings(
        SchoolSettings(name="De Horizon", brin="12ab", coordinator_name="Marloes Verbeek")
    )
    school.save_settings(
        SchoolSettings(
            name="De Horizon", brin="12ab", coordinator_name="Marloes Verbeek", auto_lock_minutes=5
        )
    )
    assert lines(db) == [
        ("instellingen", None, "velden: naam school, naam coördinator"),
        ("instellingen", None, "velden: brin"),
        ("instellingen", None, "velden: automatisch vergrendelen"),
    ]
    assert {e.actor for e in AuditService(db.sessions).entries()} == {"Marloes Verbeek"}


def test_an_export_is_logged_and_a_failed_export_is_not(db: Database, tmp_path: Path) -> None:
    SchoolService(db.sessions).save_settings(
        SchoolSettings(name="De Horizon", coordinator_name="Marloes Verbeek")
    )
    PupilService(db.sessions, clock=fixed_clock(MOMENT)).create(make_pupil(), "2026-2027")
    before = dump(db)
    with pytest.raises(ServiceError):
        export_pupils(db.sessions, tmp_path / "bestaat-niet" / "leerlingen.xlsx")
    assert dump(db) == before

    export_pupils(db.sessions, tmp_path / "leerlingen.csv")
    last = AuditService(db.sessions).entries()[0]
    assert (last.action, last.actor, last.pupil_id) == (
        AuditAction.EXPORTED,
        "Marloes Verbeek",
        None,
    )
    assert last.detail == "bestand: leerlingen.csv, 1 leerling (zonder ondersteuningsbehoefte)"


def test_record_is_a_transaction_of_its_own_for_the_backup_engineer(db: Database) -> None:
    SchoolService(db.sessions).save_settings(SchoolSettings(name="X", coordinator_name="Marloes"))
    entry = audit.record(db.sessions, None, AuditAction.BACKUP, "reden: dagelijks", now=MOMENT)
    assert (entry.actor, entry.os_user, entry.detail) == (
        "Marloes",
        getpass.getuser(),
        "reden: dagelijks",
    )
    assert AuditService(db.sessions).entries()[0].hash == entry.hash
    assert AuditService(db.sessions).check().whole


# --- the chain ---------------------------------------------------------------------------------


def filled(db: Database) -> int:
    pupils = PupilService(db.sessions, clock=fixed_clock(MOMENT))
    record = pupils.create(make_pupil(), "2026-2027")
    for klas in ("PRO4B", "PRO4C", "PRO4D"):
        record = pupils.save(replace(record.pupil, klas=klas))
    return len(lines(db))


def test_an_untouched_trail_is_whole(db: Database) -> None:
    assert filled(db) == 4
    report = AuditService(db.sessions).check()
    assert report.whole and report.lines == 4
    assert report.summary.startswith("Het logboek is compleet: 4 regels")


def test_a_line_changed_behind_the_programs_back_is_named(db: Database) -> None:
    filled(db)
    tamper(db, "UPDATE audit_event SET detail = 'velden: mentor' WHERE id = 2")
    report = AuditService(db.sessions).check()
    assert not report.whole
    assert [(b.entry_id, b.message) for b in report.breaks] == [
        (2, "Regel 2 is achteraf veranderd.")
    ]
    assert "Deze regels kloppen niet: 2." in report.summary
    assert "beveiliging" in report.summary  # the triggers are gone as well


def test_a_removed_line_and_a_forged_action_are_named(db: Database) -> None:
    filled(db)
    tamper(
        db,
        "DELETE FROM audit_event WHERE id = 2",
        "UPDATE audit_event SET action = 'niets_gezien' WHERE id = 4",
    )
    report = AuditService(db.sessions).check()
    assert [b.entry_id for b in report.breaks] == [3, 4]
    assert "Regel 3: de regel ervoor ontbreekt of is veranderd." in [
        b.message for b in report.breaks
    ]


def test_a_careful_attacker_who_restores_the_triggers_is_still_caught(db: Database) -> None:
    filled(db)
    tamper(
        db,
        "UPDATE audit_event SET actor = 'Iemand anders' WHERE id = 1",
        *refusing_trigger(db, "audit_event_no_update", "UPDATE", "audit_event is append-only"),
        *refusing_trigger(db, "audit_event_no_delete", "DELETE", "audit_event is append-only"),
    )
    report = AuditService(db.sessions).check()
    assert report.guarded
    assert [b.entry_id for b in report.breaks] == [1]


# --- headless ----------------------------------------------------------------------------------


@pytest.fixture
def headless_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file as the headless commands open it: the passphrase comes from a file."""
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
    path = tmp_path / "school.db"
    database = open_database(path, set_up(path, TEST_PASSPHRASE), tmp_path / "backups")
    filled(database)
    database.close()
    return path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), out)
    return code, out.getvalue()


def test_uitstroom_audit_lists_and_checks(headless_db: Path) -> None:
    code, text = run("--db", str(headless_db), "audit")
    assert code == 0
    assert "Leerling toegevoegd" in text and "velden: klas" in text
    assert "Het logboek is compleet: 4 regels" in text

    code, text = run("--db", str(headless_db), "audit", "--json")
    body = json.loads(text)
    assert code == 0 and body["check"]["whole"] is True
    assert [e["action"] for e in body["entries"]] == ["toegevoegd"] + ["gewijzigd"] * 3
    assert body["entries"][0]["at"] == "2026-11-23T09:30:00"


def test_uitstroom_audit_check_exits_1_on_a_broken_chain(headless_db: Path) -> None:
    key = set_key(headless_db)
    connection = cipher.connect(headless_db, key)
    connection.execute("DROP TRIGGER audit_event_no_delete")
    connection.execute("DELETE FROM audit_event WHERE id = 3")
    connection.commit()
    connection.close()
    before = dump(headless_db)

    code, text = run("--db", str(headless_db), "audit", "--check")
    assert code == 1
    assert "Deze regels kloppen niet: 4." in text
    code, text = run("--db", str(headless_db), "audit", "--check", "--json")
    body = json.loads(text)
    assert code == 1 and body["check"]["whole"] is False
    assert body["check"]["breaks"][0]["line"] == 4
    assert "entries" not in body
    assert dump(headless_db) == before  # checking writes nothing


def set_key(path: Path) -> bytes:
    from uitstroom.services.vault import unlock

    return unlock(path, TEST_PASSPHRASE)


# --- no personal data in log files ---------------------------------------------------------------

SRC = Path(__file__).resolve().parents[2] / "src" / "uitstroom"
NAMES = ("Xandriëlle", "Quobbelaar", "Güvençtürkië", "Slaapwandelvrees", "Pannenkoekgesprek")


class Recorder(logging.Handler):
    """Every log record any library or our code emits, kept in memory."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_only_the_logbook_writes_a_log_file() -> None:
    """Issue 18.7 changed the rule (there was no log file at all, so a crash on Windows left no
    trace): one module writes the log, and it writes errors without their messages and keeps
    no library message below WARNING (tests/cli/test_logbook.py checks what it writes)."""
    offenders = [
        f"{path.relative_to(SRC)}: {pattern}"
        for path in SRC.rglob("*.py")
        if path.name != "logbook.py"
        for pattern in ("FileHandler", "basicConfig", "logging.config", "RotatingFileHandler")
        if pattern in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert "RotatingFileHandler" in (SRC / "logbook.py").read_text(encoding="utf-8")


def test_ordinary_work_leaves_no_name_in_any_log_or_loose_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "gegevens"
    temp = tmp_path / "temp"
    mine = tmp_path / "eigen-bestanden"  # what the coordinator chose to write: theirs to keep
    for folder in (data, temp, mine):
        folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("HOME", str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(data / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data / "cache"))
    recorder = Recorder()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    out = io.StringIO()
    try:
        secret = data / "wachtwoord.txt"
        secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
        monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
        path = data / "school.db"
        db = open_database(path, set_up(path, TEST_PASSPHRASE), data / "backups")
        SchoolService(db.sessions).save_settings(SchoolSettings(name="De Horizon"))
        pupils = PupilService(db.sessions, clock=fixed_clock(MOMENT))
        record = pupils.create(
            make_pupil(
                roepnaam=NAMES[0],
                tussenvoegsel="",
                achternaam=NAMES[1],
                guardians=(Guardian(name=NAMES[2], relation="moeder"),),
                ondersteuningsbehoefte=NAMES[3],
            ),
            "2019-2020",
        )
        pupil_id = record.pupil.id
        pupils.open(pupil_id)
        pupils.add_note(pupil_id, NAMES[4])
        pupils.save(replace(pupils.record(pupil_id).pupil, klas="PRO4B"))
        export_pupils(db.sessions, mine / "leerlingen.xlsx")
        RightsService(db.sessions).export_inzage(pupil_id, mine)
        db.close()
        for argv in (
            ("audit",),
            ("audit", "--json"),
            ("purge", "--preview"),
            ("inzage", "--pupil", "200001", "--out", str(mine)),
            ("purge",),
        ):
            assert cli.main(["--db", str(path), *argv], out) == 0, argv
    finally:
        root.removeHandler(recorder)
        root.setLevel(old_level)

    spelled = {name.encode(enc): name for name in NAMES for enc in ("utf-8", "utf-16-le", "cp1252")}
    assert recorder.lines  # the libraries did log (alembic, filelock): none of it names anyone
    assert not [n for n in NAMES if any(n in line for line in recorder.lines)]
    assert not [n for n in NAMES if n in out.getvalue()]  # a scheduler may keep this output
    files = [p for folder in (data, temp) for p in folder.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)  # the scan did look at the database
    assert [p for p in files if p.suffix == ".log" or "log" in p.name.lower()] == []
    found = {
        str(p.relative_to(tmp_path)): label
        for p in files
        for pattern, label in spelled.items()
        if pattern in p.read_bytes()
    }
    assert found == {}
    # The scan can find a name: the coordinator's own inzage holds it in plain UTF-8.
    assert any(NAMES[0].encode() in p.read_bytes() for p in mine.glob("*.json"))
