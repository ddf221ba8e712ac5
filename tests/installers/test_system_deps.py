"""`make run` on a fresh Debian/Ubuntu: Qt's xcb plugin needs libxcb-cursor0 and friends, so
`make run` installs them (or names them in Dutch without root), not only `make test`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-deps.sh"


def fresh_machine(tmp_path: Path, *, with_sudo: bool) -> Path:
    """A PATH on which nothing is installed (dpkg-query knows no package), the user is not
    root, and sudo (when there) writes down the apt-get calls instead of running them."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "cat"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    stubs = {"dpkg-query": "exit 1", "id": "echo 1000"}
    if with_sudo:
        stubs["sudo"] = f'echo "$*" >> {tmp_path / "sudo.log"}'
    for name, body in stubs.items():
        stub = bin_dir / name
        stub.write_text(f"#!{shutil.which('bash')}\n{body}\n")
        stub.chmod(0o755)
    return bin_dir


def system_deps(tmp_path: Path, mode: str, *, with_sudo: bool) -> subprocess.CompletedProcess[str]:
    path = fresh_machine(tmp_path, with_sudo=with_sudo)
    return subprocess.run(
        [str(path / "bash"), str(SCRIPT), mode],
        env={**os.environ, "PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_run_mode_installs_qts_runtime_libraries_and_nothing_only_the_tests_need(
    tmp_path: Path,
) -> None:
    result = system_deps(tmp_path, "run", with_sudo=True)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "sudo.log").read_text().splitlines()
    install = next(call for call in calls if call.startswith("apt-get install"))
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libegl1"):
        assert package in install.split()
    for package in ("postgresql", "xvfb", "poppler-utils"):
        assert package not in install.split()


def test_without_root_run_mode_names_the_packages_in_dutch_and_lets_the_program_start(
    tmp_path: Path,
) -> None:
    result = system_deps(tmp_path, "run", with_sudo=False)
    assert result.returncode == 0
    assert "u bent geen beheerder" in result.stderr
    assert "apt-get install" in result.stderr and "libxcb-cursor0" in result.stderr
    assert "postgresql" not in result.stderr


def test_test_mode_also_installs_what_the_tests_use_and_stops_without_root(
    tmp_path: Path,
) -> None:
    result = system_deps(tmp_path, "test", with_sudo=False)
    assert result.returncode == 1
    assert "libxcb-cursor0" in result.stderr and "postgresql" in result.stderr


def test_make_run_sets_up_the_system_libraries_before_it_starts_the_program() -> None:
    make = shutil.which("make")
    assert make is not None
    plan = subprocess.run(
        [make, "-n", "-W", "pyproject.toml", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    deps = plan.index("bash scripts/system-deps.sh run")
    start = next(i for i, line in enumerate(plan) if line.endswith("/uitstroom"))
    assert deps < start
