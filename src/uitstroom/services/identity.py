"""Who is working: the name that goes on timeline entries and the audit trail, and the login of
this computer's account.

The login is read from the operating system's own account (the password database on Linux and
macOS, GetUserNameW on Windows), never from LOGNAME, USER or USERNAME: anyone can set those
(`USER=coordinator uitstroom ...`). On a database file the roles stay advisory all the same:
whoever may open the file could change it with another program (see the users dialog).
"""

from __future__ import annotations

import os
import sys

from uitstroom.domain.model import SchoolSettings

UNKNOWN = "onbekend"


def os_login() -> str:
    """The operating-system login of the account running the program."""
    try:
        if sys.platform == "win32":
            return _windows_login()
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (OSError, KeyError):
        return UNKNOWN


def _windows_login() -> str:
    import ctypes
    from ctypes import wintypes

    size = wintypes.DWORD(257)  # UNLEN + 1
    buffer = ctypes.create_unicode_buffer(size.value)
    if not ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
        raise OSError("GetUserNameW failed")
    return buffer.value


def author_name(settings: SchoolSettings) -> str:
    """The coordinator's name from the settings; otherwise the operating-system login."""
    if settings.coordinator_name.strip():
        return settings.coordinator_name.strip()
    return os_login()
