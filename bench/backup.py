"""Backup figures: the daily backup of a 20,000-pupil database (budget: under 2 s), a restore of
it, and backup/restore cycles while a writer keeps committing, every one verified.

    python -m bench.backup [--cycles 100]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.data import FOLDER, cohort_database
from uitstroom.domain.durability import BackupReason
from uitstroom.domain.model import Pupil
from uitstroom.services.backups import backup_before, daily_backup, restore_backup
from uitstroom.services.database import Database, open_database
from uitstroom.services.pupils import PupilService
from uitstroom.storage import cipher
from uitstroom.storage.keys import new_data_key

PUPILS = 20_000
RUNS = 3


@dataclass(frozen=True)
class BackupFigures:
    daily_s: list[float]
    restore_s: float
    size: int


def daily_backup_figures(pupils: int = PUPILS, runs: int = RUNS) -> BackupFigures:
    """Each run in an empty backup folder, so the backup of the day is due: copy through the
    SQLite backup API, open the copy, cipher and SQLite integrity checks, rotation."""
    source, key = cohort_database(pupils)
    work = FOLDER / "backup-bench"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "school.db"
    shutil.copy(source, path)
    shutil.copy(source.with_name(source.name + ".sleutel"), path.with_name("school.db.sleutel"))
    timings = []
    made: Path | None = None
    for run in range(runs):
        db = open_database(path, key, work / f"backups-{run}")
        start = time.perf_counter()
        made = daily_backup(db)
        timings.append(time.perf_counter() - start)
        assert made is not None
        db.close()
    assert made is not None
    db = open_database(path, key, work / "backups-restore")
    start = time.perf_counter()
    restore_backup(db, made)
    restore_s = time.perf_counter() - start
    assert PupilService(db.sessions).count() == pupils
    db.close()
    return BackupFigures(timings, restore_s, made.stat().st_size)


def content(path: Path, key: bytes) -> str:
    """A digest of every row of every table: equal digests, equal databases. The audit trail
    is left out: a restore adds its own line to the restored database."""
    connection = cipher.connect(path, key)
    try:
        digest = hashlib.sha256()
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            if table == "audit_event":
                continue
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr((table, row)).encode())
        return digest.hexdigest()
    finally:
        connection.close()


class Writer(threading.Thread):
    """Commits new pupils without pause; stops for a restore, which swaps the file."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.service = PupilService(db.sessions)
        self.go = threading.Event()
        self.idle = threading.Event()
        self.stop = threading.Event()
        self.committed: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        number = 500_000
        while not self.stop.is_set():
            if not self.go.is_set():
                self.idle.set()
                self.go.wait(0.05)
                continue
            self.idle.clear()
            number += 1
            try:
                self.service.create(
                    Pupil(leerlingnummer=str(number), roepnaam="Sem", achternaam="Schrijver"),
                    "2026-2027",
                )
            except BaseException as exc:
                self.error = exc
                return
            self.committed.append(str(number))

    def pause(self) -> None:
        self.go.clear()
        assert self.idle.wait(30)

    def resume(self) -> None:
        self.idle.clear()
        self.go.set()


def cycles_during_writes(count: int, folder: Path) -> tuple[int, int, float]:
    """`count` cycles: a backup made while the writer commits (verified by make_backup), then a
    restore of it, checked: the database equals the backup, and the backup holds every commit
    that returned before it began. Returns (cycles verified, commits made, seconds)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = open_database(folder / "cycli.db", new_data_key())
    assert db.path is not None and db.key is not None
    writer = Writer(db)
    writer.start()
    writer.resume()
    verified = 0
    moment = datetime.now()
    start = time.perf_counter()
    try:
        for cycle in range(count):
            while len(writer.committed) < 2 * (cycle + 1):
                assert writer.error is None, writer.error
                time.sleep(0.001)
            done_before = set(writer.committed)
            # Spread over days so rotation works as it would over months of use.
            backup = backup_before(db, BackupReason.HANDMATIG, moment + timedelta(hours=cycle))
            held = content(backup, db.key)
            writer.pause()
            restore_backup(db, backup, moment + timedelta(hours=cycle, minutes=1))
            assert content(db.path, db.key) == held, f"cycle {cycle}: restored != backup"
            present = {p.leerlingnummer for p in PupilService(db.sessions).summaries()}
            assert done_before <= present, f"cycle {cycle}: a commit is missing from the backup"
            assert cipher.check_integrity(db.path, db.key) == []
            writer.committed = [n for n in writer.committed if n in present]
            verified += 1
            writer.resume()
    finally:
        writer.stop.set()
        writer.go.set()
        writer.join(30)
        db.close()
    assert writer.error is None, writer.error
    return verified, len(writer.committed), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup", description=__doc__)
    parser.add_argument("--cycles", type=int, default=100)
    args = parser.parse_args()
    figures = daily_backup_figures()
    print(f"Daily backup of the {PUPILS:,}-pupil database ({figures.size / 1e6:.1f} MB):")
    print(f"  runs (s): {', '.join(f'{t:.2f}' for t in figures.daily_s)}")
    print(f"  median {statistics.median(figures.daily_s) * 1000:.0f} ms (budget 2000 ms)")
    print(f"  restore of that backup: {figures.restore_s * 1000:.0f} ms")
    verified, commits, seconds = cycles_during_writes(args.cycles, FOLDER / "cycli")
    print(
        f"{args.cycles} backup/restore cycles during writes: {verified} verified, "
        f"{commits} commits kept, {seconds:.1f} s"
    )
    return 0 if verified == args.cycles else 1


if __name__ == "__main__":
    sys.exit(main())
