"""`make bench`: the budgets of the issues, measured on generated data, printed as figures."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from bench.data import FOLDER, cohort_database, cohort_xlsx
from bench.measure import budget, gui_figures

PUPILS = 20_000
RUNS = 3


def import_seconds(xlsx: Path) -> tuple[float, int]:
    from uitstroom.services.database import open_database
    from uitstroom.services.importing import ImportService
    from uitstroom.storage.keys import new_data_key

    target = FOLDER / "import-target.db"
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = open_database(target, new_data_key())
    service = ImportService(db.sessions)
    start = time.perf_counter()
    table = service.read(xlsx)
    preview = service.check(table, "2026-2027")
    assert not preview.problems, preview.problems[:3]
    written = service.apply(preview)
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed, written


def main() -> None:
    print(f"Uitstroom benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})")
    database, key = cohort_database(PUPILS)
    runs = [gui_figures(database, key) for _ in range(RUNS)]
    assert all(r["rows"] == PUPILS for r in runs), runs
    print(
        f"Encrypted cohort of {PUPILS:,} pupils, key from the keychain, {RUNS} cold starts (median):"
    )
    budget(
        "window with populated table, from process start",
        statistics.median(r["startup_s"] for r in runs) * 1000,
        1500,
        "ms",
    )
    budget(
        "search-as-you-type, slowest keystroke",
        statistics.median(r["search_ms_max"] for r in runs),
        50,
        "ms",
    )
    print(
        f"  {'search-as-you-type, median keystroke':<46} {statistics.median(r['search_ms_median'] for r in runs):>9.1f} ms"
    )
    budget("resident memory, peak", max(r["VmHWM"] for r in runs), 300, "MB")
    unwrapped = [gui_figures(database, None) for _ in range(RUNS)]
    print("Same, when the keychain is missing and the recovery passphrase unwraps the key:")
    print(
        f"  {'window with populated table, from process start':<46} {statistics.median(r['startup_s'] for r in unwrapped) * 1000:>9.1f} ms"
    )
    seconds, written = import_seconds(cohort_xlsx(PUPILS))
    assert written == PUPILS
    print(f"Import of a {PUPILS:,}-row XLSX (read, check, write):")
    budget("import", seconds * 1000, 10_000, "ms")
    today_figures()
    documents_figures()
    nazorg_figures()
    exit_figures()
    backup_figures()
    postgres_figures()
    concurrent_figures()


def today_figures() -> None:
    from bench import today

    today.print_figures(PUPILS, RUNS)


def documents_figures() -> None:
    from bench import documents

    documents.print_figures()


def exit_figures() -> None:
    from bench import exit as exit_bench

    exit_bench.print_figures(RUNS)


def nazorg_figures() -> None:
    from bench import nazorg

    nazorg.print_figures(RUNS)


def postgres_figures() -> None:
    from bench import postgres

    postgres.print_figures(RUNS)


def concurrent_figures() -> None:
    from bench import concurrent

    concurrent.print_figures()


def backup_figures() -> None:
    from bench import backup, crash

    figures = backup.daily_backup_figures(PUPILS, RUNS)
    print(f"Backups of the {PUPILS:,}-pupil database ({figures.size / 1e6:.1f} MB), {RUNS} runs:")
    budget(
        "daily backup (copy, verify, rotate), median",
        statistics.median(figures.daily_s) * 1000,
        2000,
        "ms",
    )
    print(
        f"  {'restore of that backup (verify, keep, swap)':<46} {figures.restore_s * 1000:>9.1f} ms"
    )
    cycles = 100
    verified, _commits, seconds = backup.cycles_during_writes(cycles, FOLDER / "cycli")
    print(f"  {cycles} backup/restore cycles during writes: {verified} verified ({seconds:.1f} s)")
    trials = 100
    report = crash.run(trials, os.cpu_count() or 2, seed=1, folder=FOLDER / "crash")
    print(
        f"Kill -9 harness, {trials} trials (python -m bench.crash --trials 1000 for the full "
        f"run): {report.commits_reported} commits reported, {report.commits_lost} lost, "
        f"{report.integrity_failures} integrity failures, {report.seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
