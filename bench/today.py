"""The Vandaag view on 20 March with 20,000 pupils and their tasks: `python -m bench.today`."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bench.data import cohort_database
from uitstroom.domain.attention import AttentionItem
from uitstroom.services.database import open_database
from uitstroom.services.planning import PlanningService
from uitstroom.ui.today_view import TodayView

# Planned and ticked as of 20 March of the final year: the busiest day before 1 April.
MARCH_20 = date(2027, 3, 20)


@dataclass(frozen=True)
class TodayFigures:
    tasks: int
    items: int
    attention_ms: list[float]
    tick_ms: list[float]
    reread_ms: list[float]
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
        tick_ms, reread_ms = _ticks(service, items, runs)
        statuses_ms = []
        for _ in range(runs):
            start = time.perf_counter()
            # Every one worked out: the service leaves each status until it is asked for.
            statuses = dict(service.statuses(MARCH_20))
            statuses_ms.append((time.perf_counter() - start) * 1000)
        assert len(statuses) == count
        with db.sessions() as session:
            from sqlalchemy import func, select

            from uitstroom.storage.models import PupilTaskRow

            tasks = session.scalar(select(func.count()).select_from(PupilTaskRow)) or 0
        return TodayFigures(tasks, len(items), attention_ms, tick_ms, reread_ms, statuses_ms)
    finally:
        db.close()


def _ticks(
    service: PlanningService, items: list[AttentionItem], runs: int
) -> tuple[list[float], list[float]]:
    """Ticking from the Vandaag view as the user does (the row goes, the heading's count and
    the advice change), and, for comparison, a tick followed by reading the whole list again."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    view = TodayView(service, today=lambda: MARCH_20)
    view.resize(1100, 700)
    view.show()
    view.reload()
    app.processEvents()
    tick_ms = []
    for _ in range(runs):
        item = view.selected_item()
        assert item is not None and item.task_id is not None
        start = time.perf_counter()
        view.tick_selected()
        app.processEvents()
        tick_ms.append((time.perf_counter() - start) * 1000)
        assert not view.model.item_index(item.task_id).isValid()
    reread_ms = []
    ticked = [
        i for i in items if i.task_id is not None and view.model.item_index(i.task_id).isValid()
    ]
    for item in ticked[:runs]:
        assert item.task_id is not None
        start = time.perf_counter()
        service.tick(item.task_id)
        after = service.attention(MARCH_20)
        reread_ms.append((time.perf_counter() - start) * 1000)
        assert all(i.task_id != item.task_id for i in after)
    for item in items:
        if item.task_id is not None and not view.model.item_index(item.task_id).isValid():
            service.untick(item.task_id)
    view.close()
    return tick_ms, reread_ms


def print_figures(count: int, runs: int) -> None:
    from bench.measure import budget

    figures = measure(count, runs)
    print(
        f"Vandaag on 20 March, {count:,} pupils with {figures.tasks:,} tasks "
        f"({figures.items:,} items in the list), {runs} runs (median):"
    )
    budget("Vandaag view (attention)", statistics.median(figures.attention_ms), 200, "ms")
    budget("tick a task in the view, list updated", statistics.median(figures.tick_ms), 100, "ms")
    print(
        f"  {'tick, then read the whole list again':<46} "
        f"{statistics.median(figures.reread_ms):>9.1f} ms"
    )
    print(
        f"  {'every pupil status (cohort table)':<46} "
        f"{statistics.median(figures.statuses_ms):>9.1f} ms"
    )


if __name__ == "__main__":
    print_figures(20_000, 5)
