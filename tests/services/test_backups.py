"""Backups as a coordinator relies on them: made and checked, rotated, listed, and put back."""

from __future__ import annotations

import io
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from factories import TEST_PASSPHRASE, dump, make_database, make_pupil
from import_files import pupil_rows, write_csv
from uitstroom import cli
from uitstroom.domain.audit import AuditAction
from uitstroom.domain.durability import BackupReason, backup_file_name
from uitstroom.paths import PASSPHRASE_ENV
from uitstroom.services import vault
from uitstroom.services.audit import AuditService
from uitstroom.services.backups import (
    BackupError,
    RestoreRefused,
    backup_before,
    daily_backup,
    import_backup,
    list_backups,
    restore_backup,
    rotate,
)
from uitstroom.services.database import Database, open_database
from uitstroom.services.importing import ImportService
from uitstroom.services.pupils import PupilService
from uitstroom.storage import cipher, migrate
from uitstroom.storage.keys import new_data_key

# Backups are copies of the encrypted file; a server is backed up by its administrator.
pytestmark = pytest.mark.sqlite_only("backups copy the database file")

# A restore adds its own line to the restored database's audit trail; compare the rest.
# The trail, and the change marker every line of it moves.
NO_AUDIT = ("audit_event", "change_marker")

NOW = datetime(2026, 11, 23, 9, 30)


def add_pupils(db: Database, first: int, count: int) -> None:
    service = PupilService(db.sessions)
    for n in range(first, first + count):
        service.create(make_pupil(leerlingnummer=str(n), achternaam=f"Leerling {n}"), "2026-2027")


def leerlingnummers(db: Database) -> set[str]:
    return {p.leerlingnummer for p in PupilService(db.sessions).summaries()}


def files_of(db: Database) -> dict[str, bytes]:
    """The database file and its WAL, byte for byte."""
    assert db.path is not None
    return {
        side.name: side.read_bytes()
        for side in (db.path, db.path.with_name(db.path.name + "-wal"))
        if side.exists()
    }


@pytest.fixture
def school(tmp_path: Path) -> Iterator[Database]:
    db = make_database(tmp_path)
    add_pupils(db, 300001, 5)
    yield db
    db.close()


# --- making and rotating ---------------------------------------------------------------------
def test_a_backup_is_an_encrypted_verified_copy_named_by_moment_and_reason(
    school: Database,
) -> None:
    before = dump(school)
    made = backup_before(school, BackupReason.VOOR_IMPORT, NOW)
    assert made.parent == school.backup_dir
    assert made.name == "uitstroom-20261123-093000-000000-voor-import.db"
    assert not cipher.is_plaintext_sqlite(made)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made).execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert cipher.check_integrity(made, school.key) == []
    assert dump(made, school.key) == before
    # The key file travels with the backups, so the folder and the herstelblad are enough.
    assert (school.backup_dir / "uitstroom.db.sleutel").exists() == (
        school.path.with_name("uitstroom.db.sleutel").exists()
    )


def test_the_list_is_newest_first_with_dutch_reasons_and_sizes(school: Database) -> None:
    for hours, reason in ((5, "dagelijks"), (3, "voor-import"), (1, "handmatig")):
        backup_before(school, reason, NOW - timedelta(hours=hours))
    assert school.backup_dir is not None
    (school.backup_dir / "notities.txt").write_text("niet van Uitstroom")
    listed = list_backups(school.path, school.backup_dir)
    assert [b.reason_label for b in listed] == ["handmatig", "voor import", "dagelijks"]
    assert listed[0].description == "23 november 2026, 08:30 (handmatig)"
    assert listed[0].size == listed[0].path.stat().st_size > 0
    assert listed[0].size_text.endswith("kB")


def test_rotation_keeps_today_seven_days_and_four_weeks_and_only_touches_its_own_files(
    school: Database,
) -> None:
    folder = school.backup_dir
    assert folder is not None
    template = backup_before(school, "handmatig", NOW - timedelta(days=400))
    # Two backups a day for two months, as copies of one real backup.
    for n in range(120):
        moment = NOW - timedelta(hours=12 * n + 1)
        shutil.copy(template, folder / backup_file_name("uitstroom", "dagelijks", moment))
    crashed = folder / (
        backup_file_name("uitstroom", "dagelijks", NOW - timedelta(days=2)) + ".deel"
    )
    crashed.write_bytes(b"half")
    other_database = folder / backup_file_name(
        "andere-school", "dagelijks", NOW - timedelta(days=90)
    )
    shutil.copy(template, other_database)
    stranger = folder / "mijn-eigen-kopie.db"
    shutil.copy(template, stranger)

    made = backup_before(school, BackupReason.HANDMATIG, NOW)

    kept = list_backups(school.path, folder)
    days = sorted({b.made_at.date() for b in kept})
    assert made in [b.path for b in kept]
    assert len(kept) == 1 + 1 + 7 + 4  # this one, the earlier one today, 7 days, 4 weeks
    assert len(days) == 1 + 7 + 4
    assert min(b.made_at for b in kept) >= NOW - timedelta(days=35)
    assert not template.exists() and not crashed.exists()
    assert other_database.exists() and stranger.exists()
    assert rotate(school.path, folder, NOW) == []  # nothing more to remove


def test_the_daily_backup_is_made_once_a_day(school: Database) -> None:
    first = daily_backup(school, NOW)
    assert first is not None and first.name.endswith("-dagelijks.db")
    assert daily_backup(school, NOW + timedelta(hours=6)) is None
    tomorrow = daily_backup(school, NOW + timedelta(days=1))
    assert tomorrow is not None and tomorrow != first


def test_an_import_backup_today_counts_as_the_daily_backup(school: Database) -> None:
    backup_before(school, BackupReason.VOOR_IMPORT, NOW - timedelta(hours=2))
    assert daily_backup(school, NOW) is None


def test_a_server_database_has_no_backup_file(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    server = replace(db, path=None, key=None)
    with pytest.raises(BackupError, match="alleen van een databasebestand"):
        backup_before(server, "handmatig")
    db.close()


def test_every_import_is_preceded_by_a_backup_and_a_failed_backup_stops_it(
    school: Database, tmp_path: Path
) -> None:
    service = ImportService(school.sessions, before_write=import_backup(school))
    table = service.read(write_csv(tmp_path / "export.csv", pupil_rows(12, first=310001)))
    preview = service.check(table, "2026-2027")
    before = dump(school)
    assert service.apply(preview) == 12
    assert school.backup_dir is not None
    [made] = list_backups(school.path, school.backup_dir)
    assert made.reason == "voor-import" and dump(made.path, school.key) == before

    after_first = dump(school)
    shutil.rmtree(school.backup_dir)
    school.backup_dir.write_text("een bestand waar de map hoort")  # the backup cannot be made
    again = service.check(
        service.read(write_csv(tmp_path / "meer.csv", pupil_rows(3, first=320001))),
        "2026-2027",
    )
    with pytest.raises(BackupError, match="De back-up kon niet worden gemaakt"):
        service.apply(again)
    assert dump(school) == after_first


# --- restoring -------------------------------------------------------------------------------
def test_restore_puts_back_what_the_backup_held_and_keeps_the_current_file(
    school: Database,
) -> None:
    service = PupilService(school.sessions)  # made before the restore, used after it
    backup = backup_before(school, BackupReason.DAGELIJKS, NOW)
    held = dump(backup, school.key, exclude=NO_AUDIT)
    add_pupils(school, 400001, 3)
    before_restore = dump(school)

    result = restore_backup(school, backup, NOW + timedelta(hours=1))

    assert dump(school, exclude=NO_AUDIT) == held
    last = AuditService(school.sessions).entries()[0]
    assert last.action is AuditAction.RESTORED and last.detail.startswith(
        f"teruggezet: {backup.name}"
    )
    assert {p.leerlingnummer for p in service.summaries()} == {
        str(n) for n in range(300001, 300006)
    }
    assert result.restored is not None and result.restored.path == backup
    assert result.kept.name.endswith("-voor-herstel.db")
    assert dump(result.kept, school.key) == before_restore
    assert backup.exists(), "the backup itself stays where it was"
    assert school.path is not None
    assert not school.path.with_name("uitstroom.db.herstel").exists()
    # The same Database keeps working: a save goes into the restored file and survives.
    add_pupils(school, 500001, 1)
    school.close()
    again = open_database(school.path, school.key)
    assert "500001" in leerlingnummers(again) and "400001" not in leerlingnummers(again)
    again.close()


def test_a_restore_does_not_mix_in_the_old_write_ahead_log(school: Database) -> None:
    backup = backup_before(school, BackupReason.HANDMATIG, NOW)
    held = dump(backup, school.key, exclude=NO_AUDIT)
    # Many commits after the backup: they live in the WAL until a checkpoint.
    add_pupils(school, 600001, 30)
    assert school.path is not None
    wal = school.path.with_name("uitstroom.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    restore_backup(school, backup, NOW)
    school.close()
    assert not wal.exists()
    reopened = open_database(school.path, school.key)
    assert dump(reopened, exclude=NO_AUDIT) == held
    reopened.close()


def test_a_backup_of_an_older_version_is_brought_up_to_date(tmp_path: Path) -> None:
    key = new_data_key()
    old_file = tmp_path / "elders" / "oud.db"
    old_file.parent.mkdir()
    engine = cipher.make_encrypted_engine(old_file, key)
    command.upgrade(migrate.alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO cohort (label) VALUES ('2024-2025')")
    engine.dispose()
    db = open_database(tmp_path / "school.db", key)

    result = restore_backup(db, old_file, NOW)

    assert result.upgraded and result.restored is None
    assert migrate.current_revision(db.engine) == migrate.head_revision(db.engine)
    assert [c.label for c in PupilService(db.sessions).cohorts()] == ["2024-2025"]
    assert db.backup_before_update is not None  # the migration made its own copy first
    db.close()


def refusal_cases(tmp_path: Path, db: Database) -> dict[str, tuple[Path, str]]:
    assert db.key is not None and db.path is not None
    good = backup_before(db, BackupReason.HANDMATIG, NOW - timedelta(days=1))
    damaged = tmp_path / "beschadigd.db"
    data = bytearray(good.read_bytes())
    data[6000:6100] = bytes(100)  # a page in the middle, as a bad sector would leave it
    damaged.write_bytes(bytes(data))
    truncated = tmp_path / "afgebroken.db"
    truncated.write_bytes(good.read_bytes()[:8192])  # a copy to a stick that was pulled out
    other = make_database(tmp_path / "andere")
    other.close()
    plaintext = tmp_path / "onversleuteld.db"
    sqlite3.connect(plaintext).execute("CREATE TABLE t (x)").connection.close()
    text_file = tmp_path / "brief.db"
    text_file.write_text("Beste ouders, ..." * 200, encoding="utf-8")
    not_uitstroom = tmp_path / "leeg.db"
    cipher.connect(not_uitstroom, db.key).execute("CREATE TABLE iets (x)").connection.close()
    newer = tmp_path / "nieuwer.db"
    shutil.copy(good, newer)
    connection = cipher.connect(newer, db.key)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    return {
        "damaged": (damaged, "beschadigd en wordt niet teruggezet"),
        "another key": (other.path, "gaat niet open met de sleutel van deze database"),
        "plaintext": (plaintext, "onversleutelde database"),
        "text": (text_file, "back-up van een andere database, of geen bestand van Uitstroom"),
        "other tables": (not_uitstroom, "de gegevens van Uitstroom staan er niet in"),
        "truncated": (truncated, "beschadigd en wordt niet teruggezet"),
        "newer version": (newer, "nieuwere versie van Uitstroom"),
        "missing": (tmp_path / "weg.db", "bestaat niet"),
        "itself": (db.path, "Dit is de database zelf"),
    }


def test_a_backup_that_fails_verification_is_refused_and_nothing_changes(
    tmp_path: Path, school: Database
) -> None:
    cases = refusal_cases(tmp_path, school)
    assert school.backup_dir is not None
    backups_before = sorted(p.name for p in school.backup_dir.iterdir())
    before, files = dump(school), files_of(school)
    for name, (file, message) in cases.items():
        with pytest.raises(RestoreRefused, match=message):
            restore_backup(school, file, NOW)
        assert files_of(school) == files, name
        assert dump(school) == before, name
    assert sorted(p.name for p in school.backup_dir.iterdir()) == backups_before
    assert not (tmp_path / "uitstroom.db.herstel").exists()
    add_pupils(school, 700001, 1)  # still open and working


def test_no_restore_while_a_session_is_still_reading(school: Database) -> None:
    backup = backup_before(school, BackupReason.HANDMATIG, NOW)
    add_pupils(school, 710001, 1)
    before, backups = dump(school), list_backups(school.path, school.backup_dir)
    with school.sessions() as session:
        session.execute(text("SELECT count(*) FROM pupil")).scalar()
        with pytest.raises(BackupError, match="nog in gebruik"):
            restore_backup(school, backup, NOW + timedelta(minutes=1))
    assert dump(school) == before
    assert list_backups(school.path, school.backup_dir) == backups
    assert restore_backup(school, backup, NOW + timedelta(minutes=2)).kept.exists()


# --- 20 backup/restore cycles while a writer commits -------------------------------------------
class Writer(threading.Thread):
    """Keeps committing new pupils; pauses while a restore swaps the file."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.service = PupilService(db.sessions)
        self.go = threading.Event()
        self.idle = threading.Event()
        self.stop = threading.Event()
        self.committed: list[str] = []
        self.errors: list[BaseException] = []
        self.number = 800000

    def run(self) -> None:
        while not self.stop.is_set():
            if not self.go.is_set():
                self.idle.set()
                self.go.wait(0.05)
                continue
            self.idle.clear()
            self.number += 1
            try:
                self.service.create(make_pupil(leerlingnummer=str(self.number)), "2026-2027")
            except BaseException as exc:
                self.errors.append(exc)
                return
            self.committed.append(str(self.number))

    def pause(self) -> None:
        self.go.clear()
        assert self.idle.wait(10)

    def resume(self) -> None:
        self.idle.clear()
        self.go.set()


def backup_restore_cycles(db: Database, cycles: int) -> int:
    """Backups taken while the writer commits; each restore must give back exactly the backup,
    and each backup must hold every commit that returned before it started."""
    writer = Writer(db)
    writer.start()
    writer.resume()
    checked = 0
    try:
        for cycle in range(cycles):
            while len(writer.committed) < 2 * (cycle + 1):
                assert not writer.errors, writer.errors
                threading.Event().wait(0.002)
            done_before = set(writer.committed)
            backup = backup_before(db, BackupReason.HANDMATIG)
            held = dump(backup, db.key, exclude=NO_AUDIT)
            writer.pause()
            restore_backup(db, backup)
            assert dump(db, exclude=NO_AUDIT) == held, f"cycle {cycle}"
            present = leerlingnummers(db)
            assert done_before <= present, f"cycle {cycle}: commits missing from the backup"
            writer.committed = [n for n in writer.committed if n in present]
            checked += 1
            writer.resume()
    finally:
        writer.stop.set()
        writer.go.set()
        writer.join(10)
    assert not writer.errors, writer.errors
    return checked


def test_twenty_backup_and_restore_cycles_during_writes_are_all_verified(
    school: Database,
) -> None:
    assert backup_restore_cycles(school, 20) == 20
    assert school.path is not None and school.key is not None
    assert cipher.check_integrity(school.path, school.key) == []


# --- headless ---------------------------------------------------------------------------------
def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(args), out=out)
    return code, out.getvalue()


@pytest.fixture
def scripted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    secret = tmp_path / "wachtwoord.txt"
    secret.write_text(TEST_PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, str(secret))
    return tmp_path / "school" / "uitstroom.db"


def test_backup_list_and_restore_headless(
    scripted: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run_cli("--db", str(scripted), "demo", "--aantal", "6")
    assert code == 0
    code, printed = run_cli("--db", str(scripted), "backup")
    assert code == 0
    made = Path(printed.strip())
    assert made.exists() and made.name.endswith("-handmatig.db")
    key = vault.unlock(scripted, TEST_PASSPHRASE)
    held = dump(made, key, exclude=NO_AUDIT)

    code, _ = run_cli("--db", str(scripted), "demo", "--aantal", "6")
    assert code == 1  # refused: the database already has pupils; nothing written

    code, listing = run_cli("--db", str(scripted), "backup", "--list")
    assert code == 0
    assert "1 back-ups" in listing and "handmatig" in listing and made.name in listing

    db = open_database(scripted, key)
    add_pupils(db, 900001, 2)
    db.close()
    code, printed = run_cli("--db", str(scripted), "restore", str(made))
    assert code == 0, capsys.readouterr().err
    assert "Teruggezet: de back-up van" in printed and "voor-herstel" in printed
    assert dump(scripted, exclude=NO_AUDIT) == held

    broken = scripted.parent / "kapot.db"
    broken.write_bytes(made.read_bytes()[:8192])
    before = scripted.read_bytes()
    code, _ = run_cli("--db", str(scripted), "restore", str(broken))
    assert code == cli.EXIT_REFUSED
    assert "wordt niet teruggezet" in capsys.readouterr().err
    assert scripted.read_bytes() == before
