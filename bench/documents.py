"""Handover documents: one Paspoort voor Succes, and a batch of 200 written one file per pupil,
with the peak resident memory of the process: `python -m bench.documents`.

Run as a process of its own, so the peak memory is that of the documents alone."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from bench.data import FOLDER, TODAY
from uitstroom.domain.handover import DocumentKind
from uitstroom.services.database import open_database
from uitstroom.services.demo import insert_demo_cohort
from uitstroom.services.handover import DocumentService, HandoverService
from uitstroom.storage.keys import new_data_key

BATCH = 200
RUNS = 20


def measure(batch: int = BATCH, runs: int = RUNS) -> dict[str, float]:
    folder = FOLDER / "documents"
    shutil.rmtree(folder, ignore_errors=True)
    out = folder / "uit"
    out.mkdir(parents=True)
    db = open_database(folder / "documents.db", new_data_key())
    try:
        insert_demo_cohort(db.sessions, count=batch, today=TODAY)
        service = HandoverService(db.sessions, clock=lambda: datetime(2026, 11, 23, 9))
        ids = service.pupil_ids()
        assert len(ids) == batch, len(ids)
        # The pupil with the longest paspoort (several pages), and a typical one.
        longest = max(ids, key=lambda i: len(service.paspoort(i).wie))
        typical = ids[1] if ids[1] != longest else ids[2]
        service.alongside(DocumentService).write_document(
            DocumentKind.PASPOORT, typical, out / "warm.pdf", TODAY
        )
        one_ms = _times(service, typical, out / "een.pdf", runs)
        long_ms = _times(service, longest, out / "lang.pdf", runs)
        (out / "batch").mkdir()
        start = time.perf_counter()
        written = service.alongside(DocumentService).write_batch(
            DocumentKind.PASPOORT, ids, out / "batch", TODAY, one_file=False
        )
        batch_s = time.perf_counter() - start
        assert len(written) == batch
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {
            "one_ms": statistics.median(one_ms),
            "long_ms": statistics.median(long_ms),
            "batch_s": batch_s,
            "peak_mb": peak_mb,
            "batch": float(batch),
        }
    finally:
        db.close()


def _times(service: HandoverService, pupil_id: int, target: Path, runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        service.alongside(DocumentService).write_document(
            DocumentKind.PASPOORT, pupil_id, target, date(2026, 11, 23)
        )
        found.append((time.perf_counter() - start) * 1000)
    return found


def print_figures() -> None:
    """Measured in a child process: a clean peak memory."""
    from bench.measure import budget

    result = subprocess.run(
        [sys.executable, "-m", "bench.documents", "--child"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    line = result.stdout.strip().splitlines()[-1]
    figures = {k: float(v) for k, v in (pair.split("=") for pair in line.split())}
    print(f"Handover documents (Paspoort voor Succes), {RUNS} runs (median):")
    budget("one Paspoort, render and write", figures["one_ms"], 50, "ms")
    print(f"  {'one Paspoort with very long texts (3 pages)':<46} {figures['long_ms']:>9.1f} ms")
    budget(
        f"batch of {int(figures['batch'])}, one file per pupil",
        figures["batch_s"] * 1000,
        10_000,
        "ms",
    )
    budget("resident memory, peak (whole process)", figures["peak_mb"], 300, "MB")


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(" ".join(f"{k}={v}" for k, v in measure().items()))
    else:
        print_figures()
