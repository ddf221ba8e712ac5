"""The dagwachtwoord: the user's own secret for the lock screen and for opening the database on
a laptop without a keychain.

The herstelblad tells the school to keep the recovery passphrase in a locked cabinet, so it
cannot be what a coordinator types every ten minutes. The dagwachtwoord is personal, set at the
first start and changeable; the recovery passphrase stays the way back when it is forgotten.
A pincode is allowed (six digits or more, as a phone asks), so wrong tries are rate-limited:
the first few are free, then each wait doubles.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from uitstroom.domain.plural import counted

MIN_PIN = 6  # digits only
MIN_PASSWORD = 8  # anything else
FREE_TRIES = 5
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)


def day_password_problem(text: str) -> str | None:
    """None for a good dagwachtwoord, else the Dutch sentence that says what to choose."""
    if text.isdigit():
        if len(text) < MIN_PIN:
            return f"Kies een pincode van minstens {MIN_PIN} cijfers."
        if len(set(text)) == 1 or text in "0123456789" or text in "9876543210":
            return "Kies een pincode die niet zo makkelijk te raden is (niet 111111 of 123456)."
        return None
    if len(text.strip()) < MIN_PASSWORD:
        return (
            f"Kies een dagwachtwoord van minstens {MIN_PASSWORD} tekens, of een pincode van "
            f"minstens {MIN_PIN} cijfers."
        )
    return None


def wait_after(failures: int) -> timedelta:
    """How long after the last wrong try the next one is taken: nothing for the first
    FREE_TRIES, then 30 seconds, doubling, at most 15 minutes."""
    if failures < FREE_TRIES:
        return timedelta(0)
    doublings = min(failures - FREE_TRIES, 16)  # past the longest wait long before this
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


def may_try_at(failures: int, last_failure: datetime | None) -> datetime | None:
    """The moment the next try is taken, or None when it is taken now."""
    if last_failure is None:
        return None
    wait = wait_after(failures)
    return last_failure + wait if wait else None


def wait_text(remaining: timedelta) -> str:
    seconds = max(1, int(remaining.total_seconds() + 0.999))
    if seconds < 90:
        return counted(seconds, "seconde", "seconden")
    return counted((seconds + 59) // 60, "minuut", "minuten")
