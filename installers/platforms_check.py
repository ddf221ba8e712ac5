"""Every pin of the lock file has a binary wheel for every platform we ship: `make platforms-check`.

    .venv/bin/python installers/platforms_check.py [installers/requirements.lock]

For each target (Windows x64, macOS arm64 and x86_64 from Qt's minimum, Linux x86_64 from Qt's
glibc minimum) and each supported Python version, the pins whose environment markers apply
there are fetched by pip itself, binary wheels only:

    pip download --only-binary=:all: --no-deps --platform … --python-version … -d <temp> <pins>

into a temporary folder (one per platform, so a wheel that serves several Python versions is
copied once; pip's own cache keeps a second run off the network). A pin without a wheel stops
the check with its name and the platform. The lock is made by `make lock` (installers/README.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import bundle
from packaging.requirements import Requirement

LOCK = bundle.INSTALLERS / "requirements.lock"
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")


@dataclass(frozen=True)
class Target:
    """A platform we ship for: pip's platform tags and the marker values a machine there has.
    The first tag names the platform; pip also takes the older ones given after it."""

    name: str
    platform_tags: tuple[str, ...]
    sys_platform: str
    platform_system: str
    platform_machine: str
    os_name: str

    def environment(self, python: str) -> dict[str, str]:
        return {
            "sys_platform": self.sys_platform,
            "platform_system": self.platform_system,
            "platform_machine": self.platform_machine,
            "os_name": self.os_name,
            "python_version": python,
            "python_full_version": f"{python}.0",
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }

    @property
    def platform_tag(self) -> str:
        return self.platform_tags[0]


def _macos_tags(machine: str) -> tuple[str, ...]:
    """pip widens a macOS tag itself: 13_0 also takes 12_0 … 10_9 and universal2."""
    major, minor = bundle.MACOS_MINIMUM.split(".")
    return (f"macosx_{major}_{minor}_{machine}",)


def _manylinux_tags(machine: str) -> tuple[str, ...]:
    """pip does not widen a manylinux tag given on the command line: every older glibc is
    named, newest first, with the old aliases (manylinux2014 = 2_17, 2010 = 2_12, 1 = 2_5)."""
    major, newest = (int(part) for part in bundle.LINUX_GLIBC_MINIMUM.split("."))
    tags = [f"manylinux_{major}_{minor}_{machine}" for minor in range(newest, 4, -1)]
    return (*tags, *(f"manylinux{alias}_{machine}" for alias in ("2014", "2010", "1")))


TARGETS = (
    Target("Windows x64", ("win_amd64",), "win32", "Windows", "AMD64", "nt"),
    Target("macOS arm64", _macos_tags("arm64"), "darwin", "Darwin", "arm64", "posix"),
    Target("macOS x86_64", _macos_tags("x86_64"), "darwin", "Darwin", "x86_64", "posix"),
    Target("Linux x86_64", _manylinux_tags("x86_64"), "linux", "Linux", "x86_64", "posix"),
)


def read_pins(lock: Path) -> list[Requirement]:
    """The `name==version ; marker` lines of a hashed lock file (continuations and hashes off)."""
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    pins = []
    for raw in text.splitlines():
        line = re.sub(r"\s--hash=\S+", "", raw.split(" #")[0]).strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement = Requirement(line)
        if not any(spec.operator == "==" for spec in requirement.specifier):
            raise ValueError(f"{lock.name}: '{line}' is not pinned with ==")
        requirement.extras = set()  # the lock lists every extra's packages itself
        pins.append(requirement)
    return pins


def pins_for(pins: Iterable[Requirement], target: Target, python: str) -> list[str]:
    environment = target.environment(python)
    return [
        f"{pin.name}{pin.specifier}"
        for pin in pins
        if pin.marker is None or pin.marker.evaluate(environment)
    ]


def pip_download(
    pins: Sequence[str],
    target: Target,
    python: str,
    folder: Path,
    pip_options: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
        "--only-binary=:all:",
        "--no-deps",
        "--implementation",
        "cp",
        *(option for tag in target.platform_tags for option in ("--platform", tag)),
        "--python-version",
        python,
        "--dest",
        str(folder),
        *pip_options,
        *pins,
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def missing_wheels(
    pins: Sequence[str],
    target: Target,
    python: str,
    folder: Path,
    pip_options: Sequence[str] = (),
) -> list[str]:
    """The pins pip found no wheel for. One pip run for all pins; only when that fails is each
    pin tried on its own, so every missing one is named, not just the first."""
    if pip_download(pins, target, python, folder, pip_options).returncode == 0:
        return []
    missing = []
    for pin in pins:
        result = pip_download([pin], target, python, folder, pip_options)
        if result.returncode != 0:
            errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
            reason = errors[-1] if errors else result.stderr.strip()[-300:]
            missing.append(f"{pin} ({reason})")
    if not missing:  # the whole list failed but each pin alone did not: say what pip said
        missing.append(" ".join(pins))
    return missing


def check_target(
    pins: Sequence[Requirement],
    target: Target,
    pythons: Sequence[str],
    folder: Path,
    pip_options: Sequence[str] = (),
) -> tuple[list[str], list[str]]:
    """(lines to print, problems) for one platform, its Python versions one after another so a
    wheel for all of them (abi3, py3-none) is fetched once into the platform's folder."""
    lines, problems = [], []
    for python in pythons:
        wanted = pins_for(pins, target, python)
        started = time.monotonic()
        missing = missing_wheels(wanted, target, python, folder, pip_options)
        verdict = "in orde" if not missing else f"{len(missing)} zonder wheel"
        lines.append(
            f"platforms-check: {target.name} ({target.platform_tag}), Python {python}: "
            f"{len(wanted)} pakketten {verdict} ({time.monotonic() - started:.1f} s)"
        )
        problems += [
            f"geen wheel voor {target.name} ({target.platform_tag}), Python {python}: {m}"
            for m in missing
        ]
    return lines, problems


def check(
    lock: Path = LOCK,
    targets: Sequence[Target] = TARGETS,
    pythons: Sequence[str] = PYTHON_VERSIONS,
    pip_options: Sequence[str] = (),
    say: Callable[[str], None] = print,
) -> list[str]:
    """Problems, one line each ('geen wheel voor …'); empty when every target has every pin.
    The platforms run side by side: pip mostly waits for the index."""
    pins = read_pins(lock)
    problems = []
    with (
        tempfile.TemporaryDirectory(prefix="uitstroom-platforms-") as temp,
        ThreadPoolExecutor(max_workers=len(targets)) as pool,
    ):
        futures = [
            pool.submit(check_target, pins, target, pythons, Path(temp) / str(n), pip_options)
            for n, target in enumerate(targets)
        ]
        for future in futures:
            lines, found = future.result()
            for line in lines:
                say(line)
            problems += found
    return problems


def main(argv: Sequence[str]) -> int:
    lock = Path(argv[0]) if argv else LOCK
    started = time.monotonic()
    problems = check(lock, say=lambda line: print(line, flush=True))
    seconds = time.monotonic() - started
    if problems:
        print("\nplatforms-check: MISLUKT:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(
        f"platforms-check: elke vastgezette versie in {lock.name} heeft een wheel voor "
        f"{len(TARGETS)} platforms en Python {', '.join(PYTHON_VERSIONS)} ({seconds:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    sys.exit(main(sys.argv[1:]))
