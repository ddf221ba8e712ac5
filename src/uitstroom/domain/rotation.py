"""Which backups to keep: everything from today, the newest of each of the last 7 days that have
a backup, and the newest of each of the 4 ISO weeks before those. Everything else goes, so a
purged pupil is gone from the backups after at most about five weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

DAILY = 7
WEEKLY = 4


def backups_to_keep(stamps: Iterable[datetime], now: datetime) -> set[datetime]:
    ordered = sorted(set(stamps), reverse=True)
    keep = {stamp for stamp in ordered if stamp.date() == now.date()}
    days_seen: list[date] = []
    for stamp in ordered:
        if stamp.date() == now.date() or stamp.date() in days_seen:
            continue
        if len(days_seen) < DAILY:
            days_seen.append(stamp.date())
            keep.add(stamp)
    oldest_daily = min(keep, default=now)
    covered = {stamp.isocalendar()[:2] for stamp in keep}
    weeks_kept = 0
    for stamp in ordered:
        week = stamp.isocalendar()[:2]
        if stamp >= oldest_daily or week in covered or weeks_kept >= WEEKLY:
            continue
        covered.add(week)
        weeks_kept += 1
        keep.add(stamp)
    return keep
