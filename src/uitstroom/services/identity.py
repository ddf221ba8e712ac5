"""Who is working: the name that goes on timeline entries and (later) the audit trail."""

from __future__ import annotations

import getpass

from uitstroom.domain.model import SchoolSettings


def author_name(settings: SchoolSettings) -> str:
    """The coordinator's name from the settings; otherwise the operating-system login."""
    if settings.coordinator_name.strip():
        return settings.coordinator_name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "onbekend"
