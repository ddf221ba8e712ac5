"""The Vandaag view on 20 March with 20,000 pupils and their tasks: `python -m bench.today`."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bench.data import cohort_database
from uitstroom.services.database import open_database
from uitstroom.services.planning import PlanningService

# Planned and ticked as of 20 March of the final year: the busiest day before 1 April.
MARCH_20 = date(2027, 3, 20)


@dataclass(frozen=True)
class TodayFigures:
    tasks: int
    items: int
    attention_ms: list[float]
    tick_ms: list[float]
    statuses_ms: list[float]


def today_database(count: int) -> tuple[Path, bytes]:
    return cohort_database(count, MARCH_20, "today")


def measure(count: int, runs: int) -> TodayFigures:
    path, key = today_database(count)
    db = open_database(path, key)
    try:
        service = PlanningService(db.sessions, clock=lambda: datetime(2027, 3, 20, 9))
        service.attention(MARCH_20)  # warm the page cache, as the start screen does
        attention_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            items = service.attention(MARCH_20)
            attention_ms.append((time.perf_counter() - start) * 1000)
        tick_ms = []
        ticked = [i.task for i in items if i.task is not None and i.task.id is not None][:runs]
        for task in ticked:
            assert task.id is not None
            start = time.perf_counter()
            service.tick(task.id, "bench")
            after = service.attention(MARCH_20)
            tick_ms.append((time.perf_counter() - start) * 1000)
            assert all(i.task is None or i.task.id != task.id for i in after)
        for task in ticked:
            assert task.id is not None
            service.untick(task.id, "bench")
        statuses_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            statuses = service.statuses(MARCH_20)
            statuses_ms.append((time.perf_counter() - start) * 1000)
        assert len(statuses) == count
        with db.sessions() as session:
            from sqlalchemy import func, select

            from uitstroom.storage.models import PupilTaskRow

            tasks = session.scalar(select(func.count()).select_from(PupilTaskRow)) or 0
        return TodayFigures(tasks, len(items), attention_ms, tick_ms, statuses_ms)
    finally:
        db.close()


def print_figures(count: int, runs: int) -> None:
    from bench.__main__ import budget

    figures = measure(count, runs)
    print(
        f"Vandaag on 20 March, {count:,} pupils with {figures.tasks:,} tasks "
        f"({figures.items:,} items in the list), {runs} runs (median):"
    )
    budget("Vandaag view (attention)", statistics.median(figures.attention_ms), 200, "ms")
    budget("tick a task and recompute the list", statistics.median(figures.tick_ms), 100, "ms")
    print(
        f"  {'every pupil status (cohort table)':<46} "
        f"{statistics.median(figures.statuses_ms):>9.1f} ms"
    )


if __name__ == "__main__":
    print_figures(20_000, 5)
