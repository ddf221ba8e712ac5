"""What every benchmark shares: a figure against its budget, and the window's start-up measured
in a child process (bench/gui_child.py). Its own module so that the benchmarks and __main__
do not import each other."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.data import passphrase_file


def budget(name: str, value: float, limit: float, unit: str) -> None:
    verdict = "binnen budget" if value <= limit else "BOVEN BUDGET"
    print(f"  {name:<46} {value:>9.1f} {unit:<3} (budget {limit:g} {unit}) {verdict}")


def gui_figures(database: Path, key: bytes | None) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env["UITSTROOM_PASSPHRASE_FILE"] = str(passphrase_file())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    spawned = time.monotonic()
    extra = [key.hex()] if key is not None else []
    result = subprocess.run(
        [sys.executable, "-m", "bench.gui_child", str(database), repr(spawned), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    line = result.stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in (pair.split("=") for pair in line.split())}
