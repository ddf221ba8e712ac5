"""A Linux desktop without one of the X11 libraries Qt needs: the program says in Dutch which
package to install and stops before Qt (and before the database), instead of Qt's English abort.
A missing library is simulated by adding one that no system has to the list that is checked."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from uitstroom import cli, xcb
from uitstroom.xcb import SystemLibrary, check_display, missing_libraries, qt_platform

NOWHERE = SystemLibrary("libxcb-uitstroom-bestaat-niet.so.0", "libxcb-uitstroom-bestaat-niet0")
PRESENT = SystemLibrary("libc.so.6", "libc6")

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="Qt's xcb platform is Linux only"
)


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({}, "xcb"),
        ({"DISPLAY": ":0"}, "xcb"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, "xcb"),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "wayland"),
        ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
        ({"XDG_SESSION_TYPE": "wayland"}, "xcb"),  # no compositor to talk to: Qt takes X11
    ],
)
def test_the_platform_qt_will_choose(environ: dict[str, str], platform: str) -> None:
    assert qt_platform(environ) == platform


@linux_only
def test_a_missing_library_is_found_and_a_present_one_is_not() -> None:
    assert missing_libraries([PRESENT, NOWHERE], folders=[]) == [NOWHERE]


@linux_only
def test_a_library_the_built_program_carries_counts_as_present(tmp_path: Path) -> None:
    """PyInstaller puts libxcb-cursor and friends in _internal: not missing on a bare system."""
    libc = next(
        Path(p)
        for p in ("/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64")
        if Path(p, "libc.so.6").exists()
    )
    (tmp_path / NOWHERE.soname).symlink_to(libc / "libc.so.6")
    assert missing_libraries([NOWHERE], folders=[tmp_path]) == []


@linux_only
def test_on_x11_the_user_is_told_in_dutch_which_packages_to_install() -> None:
    err = io.StringIO()
    other = SystemLibrary("libxcb-uitstroom-ook-niet.so.1", "libxcb-uitstroom-ook-niet1")

    started = check_display({"DISPLAY": ":0"}, err, [PRESENT, NOWHERE, other])

    assert started is False
    text = err.getvalue()
    assert text.startswith("Uitstroom kan zijn venster niet openen")
    assert f"({NOWHERE.soname}, {other.soname})" in text
    assert (
        "    sudo apt install libxcb-uitstroom-bestaat-niet0 libxcb-uitstroom-ook-niet1\n" in text
    )
    assert "libc6" not in text
    assert "ICT-afdeling" in text


@pytest.mark.parametrize(
    "environ", [{"QT_QPA_PLATFORM": "offscreen"}, {"QT_QPA_PLATFORM": "wayland"}]
)
def test_other_platforms_are_not_held_up_by_x11_libraries(environ: dict[str, str]) -> None:
    err = io.StringIO()
    assert check_display(environ, err, [NOWHERE]) is True
    assert err.getvalue() == ""


@linux_only
def test_the_whole_list_is_there_where_the_tests_run() -> None:
    """scripts/system-deps.sh installs what the list names: a wrong file name would make the
    program refuse to start on every desktop."""
    assert missing_libraries(folders=[]) == []


@linux_only
def test_the_window_is_not_started_and_the_database_not_made_without_the_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(xcb, "XCB_LIBRARIES", (*xcb.XCB_LIBRARIES, NOWHERE))
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("PATH", str(tmp_path))  # no notify-send: no notification from a test
    database = tmp_path / "uitstroom.db"

    code = cli.main(["--db", str(database)])

    assert code == cli.EXIT_NO_DISPLAY == 4
    assert "sudo apt install libxcb-uitstroom-bestaat-niet0" in capsys.readouterr().err
    assert not database.exists()
