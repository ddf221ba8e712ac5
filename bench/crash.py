"""Kill -9 harness: a saved commit survives the process being killed at any moment.

A child process opens an encrypted database through the real services (open_database,
PupilService) and saves pupils, edits and notes in a loop; after each call has returned (the
commit is done) it prints what it saved, flushed. The parent kills it with SIGKILL at a random
moment, opens the database again with its key (the lock must be free: the OS drops a killed
process's flock), and checks that every reported commit is there and that SQLCipher's and
SQLite's integrity checks pass.

    python -m bench.crash --trials 1000
"""

from __future__ import annotations

import argparse
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# A fresh database every so many trials keeps the integrity checks quick and also kills
# children while they open a database that has just been made.
TRIALS_PER_DATABASE = 50
MAX_DELAY_S = 0.25
# Some kills land before the loop: during imports, the lock, the key, WAL recovery, migrations.
EARLY_KILLS = 0.1
START_TIMEOUT_S = 60.0


# --- the child -------------------------------------------------------------------------------
def child(path: Path, first_number: int) -> None:
    from dataclasses import replace

    from uitstroom.domain.model import Pupil
    from uitstroom.services.database import open_database
    from uitstroom.services.pupils import PupilService

    key = bytes.fromhex(sys.stdin.readline().strip())
    db = open_database(path, key)
    service = PupilService(db.sessions)
    report = sys.stdout
    report.write("open\n")
    report.flush()
    number = first_number
    while True:
        number += 1
        record = service.create(
            Pupil(leerlingnummer=str(number), roepnaam="Noa", achternaam=f"Proef {number}"),
            "2026-2027",
        )
        pupil_id = record.pupil.id
        report.write(f"nieuw {pupil_id} {number}\n")
        report.flush()
        service.save(replace(record.pupil, klas="PRO4K"))
        report.write(f"gewijzigd {pupil_id} PRO4K\n")
        report.flush()
        assert pupil_id is not None
        service.add_note(pupil_id, f"notitie {number}")
        report.write(f"notitie {pupil_id} {number}\n")
        report.flush()


# --- the parent ------------------------------------------------------------------------------
@dataclass
class CrashReport:
    trials: int = 0
    commits_reported: int = 0
    commits_lost: int = 0
    integrity_failures: int = 0
    lock_failures: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: CrashReport) -> None:
        self.trials += other.trials
        self.commits_reported += other.commits_reported
        self.commits_lost += other.commits_lost
        self.integrity_failures += other.integrity_failures
        self.lock_failures += other.lock_failures
        self.problems += other.problems

    @property
    def ok(self) -> bool:
        return (
            self.trials > 0
            and self.commits_lost == 0
            and self.integrity_failures == 0
            and self.lock_failures == 0
        )


def reported_commits(output: str) -> list[tuple[str, int, str]]:
    """Complete lines only: a line cut off by the kill was never reported."""
    commits = []
    for line in output.splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        parts = line.split()
        if len(parts) == 3 and parts[0] in ("nieuw", "gewijzigd", "notitie"):
            commits.append((parts[0], int(parts[1]), parts[2]))
    return commits


def missing_commits(path: Path, key: bytes, commits: list[tuple[str, int, str]]) -> list[str]:
    """Every reported commit that the database does not hold, as a readable line."""
    from uitstroom.storage import cipher

    connection = cipher.connect(path, key)
    try:
        missing = []
        for kind, pupil_id, value in commits:
            if kind == "nieuw":
                found = connection.execute(
                    "SELECT 1 FROM pupil WHERE id = ? AND leerlingnummer = ?", (pupil_id, value)
                ).fetchone()
            elif kind == "gewijzigd":
                found = connection.execute(
                    "SELECT 1 FROM pupil WHERE id = ? AND klas = ?", (pupil_id, value)
                ).fetchone()
            else:
                found = connection.execute(
                    "SELECT 1 FROM timeline_entry WHERE pupil_id = ? AND text = ?",
                    (pupil_id, f"notitie {value}"),
                ).fetchone()
            if found is None:
                missing.append(f"{kind} {pupil_id} {value}")
        return missing
    finally:
        connection.close()


def _read_until_open(process: subprocess.Popen[bytes], deadline: float) -> bytes:
    assert process.stdout is not None
    received = b""
    while b"open\n" not in received and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.05)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            received += chunk
    return received


def one_trial(path: Path, key: bytes, first_number: int, rng: random.Random) -> CrashReport:
    from uitstroom.services.database import DatabaseInUse, DatabaseOpenError, open_database
    from uitstroom.storage import cipher

    report = CrashReport(trials=1)
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.crash", "--child", str(path), str(first_number)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(key.hex().encode() + b"\n")
    process.stdin.flush()
    received = b""
    if rng.random() < EARLY_KILLS:
        time.sleep(rng.uniform(0, 0.8))
    else:
        received = _read_until_open(process, time.monotonic() + START_TIMEOUT_S)
        time.sleep(rng.uniform(0, MAX_DELAY_S))
    process.send_signal(signal.SIGKILL)
    rest, _ = process.communicate()
    commits = reported_commits((received + rest).decode())
    report.commits_reported = len(commits)
    try:
        db = open_database(path, key)
    except DatabaseInUse:
        report.lock_failures += 1
        report.problems.append(f"{path.name}: the lock was still held after the kill")
        return report
    except DatabaseOpenError as exc:
        report.integrity_failures += 1
        report.problems.append(f"{path.name}: does not open after the kill: {exc.__cause__!r}")
        return report
    try:
        missing = missing_commits(path, key, commits)
        problems = cipher.check_integrity(path, key)
    finally:
        db.close()
    report.commits_lost = len(missing)
    report.problems += [f"{path.name}: lost {line}" for line in missing[:5]]
    if problems:
        report.integrity_failures += 1
        report.problems.append(f"{path.name}: integrity: {problems[:3]}")
    return report


def run(trials: int, jobs: int, seed: int, folder: Path, progress: bool = False) -> CrashReport:
    from uitstroom.storage.keys import new_data_key

    folder.mkdir(parents=True, exist_ok=True)
    # A folder of its own per run: databases of an earlier run have other keys.
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=folder))
    total = CrashReport()
    lock = threading.Lock()
    counter = iter(range(trials))
    started = time.perf_counter()

    def worker(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        key = new_data_key()
        path: Path | None = None
        done_here = 0
        while True:
            with lock:
                trial = next(counter, None)
            if trial is None:
                return
            if path is None or done_here % TRIALS_PER_DATABASE == 0:
                path = folder / f"crash-{seed}-{number}-{trial}.db"
            result = one_trial(path, key, trial * 1_000_000, rng)
            done_here += 1
            with lock:
                total.add(result)
                if progress and total.trials % 50 == 0:
                    print(
                        f"  {total.trials} trials, {total.commits_reported} commits, "
                        f"{total.commits_lost} lost",
                        file=sys.stderr,
                        flush=True,
                    )

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total.seconds = time.perf_counter() - started
    if total.ok:  # kept for a post-mortem otherwise
        shutil.rmtree(folder, ignore_errors=True)
    return total


def print_report(report: CrashReport, jobs: int, out: object = sys.stdout) -> None:
    lines = [
        f"Kill -9 harness ({jobs} at a time):",
        f"  trials                          {report.trials:>8}",
        f"  commits reported                {report.commits_reported:>8}",
        f"  commits lost                    {report.commits_lost:>8}",
        f"  integrity failures              {report.integrity_failures:>8}",
        f"  lock still held after the kill  {report.lock_failures:>8}",
        f"  time                            {report.seconds:>8.1f} s",
    ]
    lines += [f"  ! {problem}" for problem in report.problems[:20]]
    print("\n".join(lines), file=out)  # type: ignore[call-overload]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "FIRST_NUMBER"))
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), int(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="uitstroom-crash-") as scratch:
        folder = args.folder or Path(scratch)
        report = run(args.trials, args.jobs, args.seed, folder, progress=True)
    print_report(report, args.jobs)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
