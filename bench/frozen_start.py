"""The built Linux program (dist/uitstroom, `make dist`) against issue 8's budgets: start-up to a
usable window on the demo cohort under 2 s, the folder under 250 MB.

    make dist
    PYTHONPATH=. .venv/bin/python -m bench.frozen_start [--runs 7] [--screenshot docs/frozen-window.png]

Each run starts dist/uitstroom/uitstroom on a demo database (48 pupils and 30 leavers) on its own
X server (Xvfb, platform xcb; offscreen when Xvfb is missing) with UITSTROOM_STARTUP_PROBE set:
the program prints the moment its window is painted with its rows, and quits. The key comes
from the recovery passphrase (scrypt, about a quarter of a second), as on a laptop without a
keychain; with a keychain start-up is that much faster. Prints every run and the median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = ROOT / "dist" / "uitstroom" / "uitstroom"
PASSPHRASE = "fietsbel tulpenveld Zwolle 2026"  # fictional
START_BUDGET_S = 2.0
SIZE_BUDGET_MB = 250


def budget(name: str, value: float, limit: float, unit: str) -> None:
    verdict = "binnen budget" if value <= limit else "BOVEN BUDGET"
    print(f"  {name:<46} {value:>9.2f} {unit:<3} (budget {limit:g} {unit}) {verdict}")


def start_xvfb() -> tuple[subprocess.Popen[bytes] | None, str | None]:
    """One X server for all runs, so its own start-up is not counted."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return None, None
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    return server, f":{number}"


def environment(home: Path, display: str | None, passphrase: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        UITSTROOM_PASSPHRASE_FILE=str(passphrase),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    if display:
        env["DISPLAY"] = display
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def one_start(database: Path, env: dict[str, str], probe: str = "1") -> tuple[float, int]:
    spawned = time.time()
    result = subprocess.run(
        [str(PROGRAM), "--db", str(database)],
        env={**env, "UITSTROOM_STARTUP_PROBE": probe},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("startup-probe")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"the program did not report its window:\n{result.stdout}{result.stderr}")
    figures = dict(part.split("=") for part in line.split()[1:])
    return float(figures["shown"]) - spawned, int(figures["rows"])


def folder_megabytes(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--screenshot", type=Path, help="save the window of one more start here")
    args = parser.parse_args()
    if not PROGRAM.exists():
        raise SystemExit(f"{PROGRAM} is missing: run `make dist` first")

    with tempfile.TemporaryDirectory(prefix="uitstroom-frozen-start-") as temp:
        folder = Path(temp)
        home = folder / "home"
        home.mkdir()
        passphrase = folder / "wachtwoord.txt"
        passphrase.write_text(PASSPHRASE, encoding="utf-8")
        database = folder / "demo" / "uitstroom.db"
        server, display = start_xvfb()
        try:
            env = environment(home, display, passphrase)
            subprocess.run(
                [str(PROGRAM), "--db", str(database), "demo"],
                env=env,
                check=True,
                capture_output=True,
            )
            runs = [one_start(database, env) for _ in range(args.runs)]
            if args.screenshot is not None:
                args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                one_start(database, env, str(args.screenshot.resolve()))
        finally:
            if server is not None:
                server.terminate()
                server.wait()

    platform = f"Xvfb {display}, xcb" if display else "offscreen"
    print(
        f"Built program {PROGRAM.relative_to(ROOT)} ({os.cpu_count()} cores, {platform}), "
        f"demo cohort ({runs[0][1]} rows in the table), {len(runs)} starts:"
    )
    print("  " + ", ".join(f"{seconds:.2f}" for seconds, _rows in runs) + " s")
    budget(
        "window painted with its rows, from process start (median)",
        statistics.median(seconds for seconds, _rows in runs),
        START_BUDGET_S,
        "s",
    )
    budget("onedir folder size", folder_megabytes(PROGRAM.parent), SIZE_BUDGET_MB, "MB")
    if args.screenshot is not None:
        print(f"  screenshot of the window: {args.screenshot}")


if __name__ == "__main__":
    sys.exit(main())
