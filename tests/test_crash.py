"""A commit that returned survives kill -9: the short run of bench/crash.py, plus a check that
its checker really notices a lost commit."""

from __future__ import annotations

import sys
from pathlib import Path

from factories import make_database, make_pupil
from uitstroom.services.pupils import PupilService

# bench/ lives beside src/ and tests/, not inside the package.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import crash  # noqa: E402


def test_fifteen_kills_lose_no_reported_commit_and_leave_a_whole_database(
    tmp_path: Path,
) -> None:
    report = crash.run(trials=15, jobs=2, seed=7, folder=tmp_path)
    assert report.trials == 15
    # How much a child saves before its kill depends on the machine; some it always does.
    assert report.commits_reported > 0
    assert report.commits_lost == 0, report.problems
    assert report.integrity_failures == 0, report.problems
    assert report.lock_failures == 0, report.problems
    assert report.ok


def test_the_checker_counts_a_commit_that_is_not_there(tmp_path: Path) -> None:
    db = make_database(tmp_path)
    record = PupilService(db.sessions).create(make_pupil(), "2026-2027")
    pupil_id = record.pupil.id
    db.close()
    assert db.path is not None and db.key is not None and pupil_id is not None
    output = (
        f"open\nnieuw {pupil_id} 200001\n"
        f"nieuw {pupil_id + 1} 200002\n"  # reported, never written
        f"gewijzigd {pupil_id} PRO4K\n"  # the klas is PRO4A
        f"notitie {pupil_id} 2000"  # cut off by the kill: not reported
    )
    commits = crash.reported_commits(output)
    assert len(commits) == 3
    assert crash.missing_commits(db.path, db.key, commits) == [
        f"nieuw {pupil_id + 1} 200002",
        f"gewijzigd {pupil_id} PRO4K",
    ]
