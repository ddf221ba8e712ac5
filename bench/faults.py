"""Every case of the fault-injection suite (tests/faults.py), with the count of cases and
failures: `PYTHONPATH=.:tests QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.faults`.
The disk-full cases need root (a small tmpfs); without it they are left out and said so."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import faults

FREE_SPACE = [0, 8 * 1024, 32 * 1024, 64 * 1024, 96 * 1024, 128 * 1024, 256 * 1024, 512 * 1024]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="uitstroom-fouten-"))
    started = time.perf_counter()
    with faults.suite_environment(work):
        school = faults.make_school(work)
        outcomes = [faults.check(case, school, work) for case in faults.cases(school, 1)]
        kinds = Counter(case.cause or "hersteld zonder back-up" for case in faults.cases(school, 1))
        if faults.tmpfs_available():
            outcomes += list(faults.disk_full_cases(school, FREE_SPACE))
            outcomes += list(faults.migration_full_cases(FREE_SPACE))
        else:
            print("  (schijf-vol-gevallen overgeslagen: daarvoor is root met tmpfs nodig)")
    failed = [o for o in outcomes if not o.ok]
    print(
        f"Foutinjectie: {len(outcomes)} gevallen, {len(failed)} mislukt, "
        f"{time.perf_counter() - started:.0f} s"
    )
    for kind, count in sorted(kinds.items()):
        print(f"  {count:>4}  {kind}")
    for outcome in failed:
        print(f"  MISLUKT {outcome.name}: {outcome.failures[0][:300]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
