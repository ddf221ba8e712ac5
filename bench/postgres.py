"""The cohort table and search-as-you-type with 50,000 students on a local PostgreSQL server,
next to the same figures on the encrypted SQLite file: `python -m bench.postgres`.

A throwaway server is started as the tests do (tests/pg.py: initdb in a temporary folder, a
free port on loopback); the students are the generated benchmark cohort (bench.data), moved up
with `uitstroom server upload`'s own service, which is timed as well. The budget on the server
is the foundation's plus 50 %: 1500 ms to a populated window, 50 ms per keystroke.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bench.data import cohort_database
from bench.measure import budget, gui_figures
from uitstroom.services.database import Database, open_database
from uitstroom.services.pupils import PupilService
from uitstroom.services.server import upload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg import Cluster, NoPostgres  # the tests' throwaway server

STUDENTS = 50_000
RUNS = 3
START_MS, SEARCH_MS = 1500, 50
SERVER_FACTOR = 1.5


def list_ms(db: Database, runs: int) -> list[float]:
    """The query behind the cohort table: every summary row, as the window reads it."""
    service = PupilService(db.sessions)
    service.summaries()  # warm the cache, as the start screen does
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = service.summaries()
        timings.append((time.perf_counter() - start) * 1000)
    assert len(rows) == STUDENTS
    return timings


def window_figures(database: str, key: bytes | None, runs: int) -> dict[str, float]:
    figures = [gui_figures(database, key) for _ in range(runs)]  # type: ignore[arg-type]
    assert all(f["rows"] == STUDENTS for f in figures), figures
    return {
        "startup_ms": statistics.median(f["startup_s"] for f in figures) * 1000,
        "search_max": statistics.median(f["search_ms_max"] for f in figures),
        "search_median": statistics.median(f["search_ms_median"] for f in figures),
    }


def print_figures(runs: int = RUNS) -> None:
    try:
        cluster = Cluster()
    except NoPostgres as exc:
        print(f"PostgreSQL figures skipped: {exc}")
        return
    path, key = cohort_database(STUDENTS, name="server")
    cluster.start()
    try:
        url = cluster.url(cluster.create_database("uitstroom"))
        source = open_database(path, key)
        try:
            start = time.perf_counter()
            moved = upload(source, url)
            upload_s = time.perf_counter() - start
            file_list = list_ms(source, runs)
        finally:
            source.close()
        server = open_database(url)
        try:
            server_list = list_ms(server, runs)
        finally:
            server.close()
        on_file = window_figures(str(path), key, runs)
        on_server = window_figures(url, None, runs)
        version = cluster.admin().execute("SHOW server_version").fetchone()
    finally:
        cluster.stop()

    print(
        f"{STUDENTS:,} students, PostgreSQL {version[0] if version else '?'} on loopback "
        f"next to the encrypted SQLite file, {runs} cold starts (median):"
    )
    print(
        f"  {'uitstroom server upload (' + str(moved.rows) + ' rows, checked)':<46} "
        f"{upload_s:>9.1f} s"
    )
    print(f"  {'':<46} {'SQLite':>9}    {'PostgreSQL':>10}")
    print(
        f"  {'cohort query (PupilService.summaries)':<46} {statistics.median(file_list):>9.1f} ms "
        f"{statistics.median(server_list):>10.1f} ms"
    )
    print(
        f"  {'window with populated table, from start':<46} {on_file['startup_ms']:>9.1f} ms "
        f"{on_server['startup_ms']:>10.1f} ms"
    )
    print(
        f"  {'search-as-you-type, slowest keystroke':<46} {on_file['search_max']:>9.1f} ms "
        f"{on_server['search_max']:>10.1f} ms"
    )
    print(
        f"  {'search-as-you-type, median keystroke':<46} {on_file['search_median']:>9.1f} ms "
        f"{on_server['search_median']:>10.1f} ms"
    )
    print("On the server, against the foundation's budgets plus 50 %:")
    budget(
        "window with populated table (PostgreSQL)",
        on_server["startup_ms"],
        START_MS * SERVER_FACTOR,
        "ms",
    )
    budget(
        "search-as-you-type, slowest keystroke (PG)",
        on_server["search_max"],
        SEARCH_MS * SERVER_FACTOR,
        "ms",
    )


if __name__ == "__main__":
    print_figures()
