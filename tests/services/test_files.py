from __future__ import annotations

import errno
from pathlib import Path

import pytest

from uitstroom.services.files import FileWriteError, atomic_output, write_error_message


def test_an_interrupted_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"oude versie")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write(b"half")
        raise RuntimeError("stroom weg")
    assert target.read_bytes() == b"oude versie"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]


def test_a_full_disk_gets_a_message_that_says_what_to_do(tmp_path: Path) -> None:
    target = tmp_path / "leerlingen.xlsx"
    target.write_bytes(b"vorige export")
    with pytest.raises(FileWriteError, match="De schijf is vol"), atomic_output(target) as stream:
        stream.write(b"x")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_bytes() == b"vorige export"
    assert "Maak ruimte vrij" in write_error_message(target, OSError(errno.ENOSPC, "vol"))


def test_a_system_error_is_shown_in_dutch_not_in_the_systems_english(tmp_path: Path) -> None:
    import errno

    from uitstroom.services.files import error_text

    try:
        open(tmp_path, "rb")  # noqa: SIM115 - a folder: the system refuses in English
    except OSError as exc:
        reading = error_text(exc, reading=True)
    assert reading == f"{tmp_path.name} is een map, geen bestand. Kies een bestand."
    denied = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "logo.png"))
    assert error_text(denied, reading=True) == (
        "U mag logo.png niet openen. Kies een ander bestand of vraag om toegang."
    )
    odd = OSError(errno.EIO, "Input/output error", str(tmp_path / "cijfers.xlsx"))
    for text in (error_text(odd), error_text(odd, reading=True), error_text(denied)):
        assert "Errno" not in text and "Input/output" not in text and "denied" not in text, text
