from datetime import datetime, timedelta

from uitstroom.domain.rotation import backups_to_keep

NOW = datetime(2026, 11, 23, 9, 0)


def test_two_backups_a_day_for_two_months_keep_today_seven_days_and_four_weeks() -> None:
    stamps = [NOW - timedelta(hours=12 * n) for n in range(120)]
    kept = sorted(backups_to_keep(stamps, NOW))
    assert len(kept) == 1 + 7 + 4
    assert kept[-1] == NOW
    days = [s.date() for s in kept[4:-1]]
    assert days == [NOW.date() - timedelta(days=n) for n in range(7, 0, -1)]
    weeks = [s.isocalendar()[1] for s in kept[:4]]
    assert weeks == [43, 44, 45, 46]
    assert min(kept) >= NOW - timedelta(days=35)


def test_every_backup_of_today_is_kept_and_few_backups_are_all_kept() -> None:
    today = [NOW - timedelta(minutes=n) for n in range(5)]
    older = [NOW - timedelta(days=3), NOW - timedelta(days=20)]
    assert backups_to_keep(today + older, NOW) == set(today + older)


def test_a_leap_day_backup_counts_as_its_own_day() -> None:
    now = datetime(2028, 3, 1, 8, 0)
    stamps = [
        datetime(2028, 2, 29, 23, 0),
        datetime(2028, 2, 29, 7, 0),
        datetime(2028, 2, 28, 7, 0),
    ]
    assert backups_to_keep(stamps, now) == {
        datetime(2028, 2, 29, 23, 0),
        datetime(2028, 2, 28, 7, 0),
    }
