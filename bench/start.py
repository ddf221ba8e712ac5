"""Issue 17: start in half a second. The window (until the Vandaag list is filled), the command
line and memory at 200 / 2,000 / 20,000 / 100,000 pupils, each as absolute figures and as a ratio
to a floor measured in the same run, in the same process tree (bench/floors.py):

    PYTHONPATH=. .venv/bin/python -m bench.start [--runs 5] [--sizes 200,2000,20000,100000]
                                                 [--screenshot /tmp/vandaag.png]

The key is in a keychain (bench/keychain.py) as on a school laptop, so no scrypt is counted.
The machine may be shared: every figure is the median of the runs, floors and program runs are
interleaved so that both see the same load, and the ratios are what to compare between runs."""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import keyring

from bench.data import FOLDER, PASSPHRASE, TODAY, cohort_database, passphrase_file
from bench.keychain import BACKEND, FILE_ENV, FileKeychain

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "src" / "uitstroom" / "resources" / "fonts" / "DejaVuSans.ttf"
FLOOR_ROWS = 20_000
SIZES = (200, 2_000, 20_000, 100_000)
KLAS_SIZE = 50


@dataclass
class Figures:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.values[name])


def environment() -> dict[str, str]:
    env = dict(os.environ)
    # As installed (pip compiles, PyInstaller bundles bytecode): the program's modules are read
    # from .pyc, not compiled from source at every start. A shell or CI that forbids writing
    # bytecode made every measured start compile 60 modules, about 0.3 s (see compiled()).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        # The key comes from the keychain (the program asks it first); the file only keeps the
        # window from asking for a dagwachtwoord at its first start, as for scripts.
        UITSTROOM_PASSPHRASE_FILE=str(passphrase_file()),
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
        PYTHON_KEYRING_BACKEND=BACKEND,
        # A PYTHONPATH given (another checkout's src, to measure it) comes after bench/.
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        **{FILE_ENV: str(FOLDER / "start-keychain.json")},
    )
    return env


def compiled() -> None:
    """Bytecode for the program's modules, as an installation has it."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "uitstroom", quiet=1)


def in_keychain(path: Path, key: bytes) -> None:
    from uitstroom.storage import keychain
    from uitstroom.storage.keys import read_keyfile

    assert keychain.store_key(read_keyfile(path).database_id, key)


def demo_database(count: int) -> tuple[Path, bytes]:
    """The demo cohort as `uitstroom demo --aantal COUNT` makes it: plans, paspoorten, leavers."""
    from uitstroom.services import vault
    from uitstroom.services.database import open_database
    from uitstroom.services.demo import DEMO_LEAVERS, insert_demo_cohort

    path = FOLDER / f"start-demo-{count}.db"
    if not path.exists():
        key = vault.set_up(path, PASSPHRASE)
        db = open_database(path, key)
        insert_demo_cohort(db.sessions, count, leavers=DEMO_LEAVERS)
        db.close()
    return path, vault.unlock(path, PASSPHRASE)


def floor_database() -> Path:
    """A plain SQLite file with FLOOR_ROWS pupils in the columns the cohort table shows."""
    from uitstroom.domain.schoolyear import SchoolYear
    from uitstroom.services.demo import demo_pupils

    path = FOLDER / f"floor-{FLOOR_ROWS}.sqlite"
    if not path.exists():
        columns = ("leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas", "mentor")
        with sqlite3.connect(path) as connection:
            connection.execute(f"CREATE TABLE pupils ({', '.join(columns)})")
            connection.executemany(
                f"INSERT INTO pupils VALUES ({', '.join('?' * len(columns))})",
                (
                    tuple(str(p[c]) for c in columns)
                    for p in demo_pupils(FLOOR_ROWS, SchoolYear.of(TODAY), seed=7)
                ),
            )
    return path


def pupil_and_klas(path: Path, key: bytes) -> tuple[str, str, int]:
    """One pupil's leerlingnummer, and the klas closest to KLAS_SIZE pupils with its size."""
    from sqlalchemy import func, select

    from uitstroom.services.database import open_database
    from uitstroom.storage.models import PupilRow

    db = open_database(path, key)
    try:
        with db.sessions() as session:
            number = session.scalar(select(PupilRow.leerlingnummer).limit(1)) or ""
            sizes = session.execute(
                select(PupilRow.klas, func.count()).group_by(PupilRow.klas)
            ).all()
    finally:
        db.close()
    klas, size = min(sizes, key=lambda row: abs(row[1] - KLAS_SIZE))
    return number, klas, size


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds from spawn to exit, CPU seconds, and the process's peak memory in MB (GNU
    time reports them; a child forked from this process would count this process's pages until
    it execs)."""
    start = time.monotonic()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "cpu_s=%U+%S peak_kb=%M", *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
        check=False,
    )
    seconds = time.monotonic() - start
    assert result.returncode == 0, (command, result.returncode, result.stderr[-2000:])
    cpu, peak = result.stderr.strip().splitlines()[-1].split()
    user, system = cpu.removeprefix("cpu_s=").split("+")
    return seconds, float(user) + float(system), int(peak.removeprefix("peak_kb=")) / 1024


def key_values(command: list[str], env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"{command}: {result.returncode}\n{result.stderr[-3000:]}")
    line = result.stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in (pair.split("=") for pair in line.split())}


def program() -> list[str]:
    script = Path(sys.executable).parent / "uitstroom"
    return [str(script)] if script.exists() else [sys.executable, "-m", "uitstroom"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.start")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--screenshot", help="save the window at the counted moment (PNG)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    FOLDER.mkdir(parents=True, exist_ok=True)
    # This process uses the same keychain as its children.
    os.environ[FILE_ENV] = str(FOLDER / "start-keychain.json")
    keyring.set_keyring(FileKeychain())
    started = time.monotonic()
    databases = {n: cohort_database(n, TODAY, "start") for n in sizes}
    demo, demo_key = demo_database(200)
    for path, key in [*databases.values(), (demo, demo_key)]:
        in_keychain(path, key)
    floor_db = floor_database()
    number, klas, klas_size = pupil_and_klas(demo, demo_key)
    if klas_size < KLAS_SIZE / 2 and 2_000 in databases:
        klas_db: Path = databases[2_000][0]
        _n, klas, klas_size = pupil_and_klas(*databases[2_000])
    else:
        klas_db = demo
    print(f"Data ready in {time.monotonic() - started:.0f} s ({FOLDER})")

    env = environment()
    compiled()
    out = FOLDER / "start-out"
    out.mkdir(exist_ok=True)
    uitstroom = program()
    figures = Figures()
    for run in range(args.runs):
        floor = key_values(
            [sys.executable, "-m", "bench.floors", "gui", str(floor_db), repr(time.monotonic())],
            env,
        )
        figures.add("floor_gui_s", floor["shown"])
        figures.add("floor_gui_mb", floor["peak_mb"])
        figures.add("floor_gui_cpu", floor["cpu_s"])
        seconds, cpu, mb = timed(
            [
                sys.executable,
                "-m",
                "bench.floors",
                "pdf",
                str(floor_db),
                str(out / "f.pdf"),
                str(FONT),
            ],
            env,
        )
        figures.add("floor_pdf_s", seconds)
        figures.add("floor_pdf_cpu", cpu)
        figures.add("floor_pdf_mb", mb)
        for name, path in [("demo", demo)] + [(str(n), p) for n, (p, _k) in databases.items()]:
            extra = [args.screenshot] if args.screenshot and run == 0 and name == "demo" else []
            start = key_values(
                [
                    sys.executable,
                    "-m",
                    "bench.start_child",
                    str(path),
                    repr(time.monotonic()),
                    *extra,
                ],
                env,
            )
            for k, v in start.items():
                figures.add(f"{name}_{k}", v)
        for name, options in (("version", ["--version"]), ("help", ["--help"])):
            seconds, cpu, _mb = timed([*uitstroom, *options], env)
            figures.add(f"{name}_s", seconds)
            figures.add(f"{name}_cpu", cpu)
        seconds, cpu, mb = timed(
            [
                *uitstroom,
                "--db",
                str(demo),
                "document",
                "paspoort",
                "--pupil",
                number,
                "--out",
                str(out / "paspoort.pdf"),
            ],
            env,
        )
        figures.add("paspoort_s", seconds)
        figures.add("paspoort_cpu", cpu)
        figures.add("paspoort_mb", mb)
        figures.add(
            "klas_s",
            timed(
                [
                    *uitstroom,
                    "--db",
                    str(klas_db),
                    "document",
                    "paspoort",
                    "--klas",
                    klas,
                    "--out",
                    str(out / f"klas-{run}"),
                ],
                env,
            )[0],
        )
        print(f"  run {run + 1} of {args.runs} done", flush=True)
    report(figures, sizes, klas_size, args.runs)


def report(figures: Figures, sizes: list[int], klas_size: int, runs: int) -> None:
    gui_floor = figures.median("floor_gui_s")
    pdf_floor = figures.median("floor_pdf_s")
    print(
        f"\nFloors (median of {runs}): a bare PySide6 + sqlite3 + QTableView window over "
        f"{FLOOR_ROWS:,} rows {gui_floor:.3f} s, peak {figures.median('floor_gui_mb'):.0f} MB; "
        f"a bare Python process, SQLite + a two-page reportlab PDF with an embedded font "
        f"{pdf_floor:.3f} s, peak {figures.median('floor_pdf_mb'):.0f} MB."
    )
    rows: list[tuple[str, float, str, str, bool]] = []

    def row(what: str, value: float, unit: str, floor: float | None, goal: str, met: bool) -> None:
        shown = f"{value * 1000:.0f} ms" if unit == "s" else f"{value:.0f} MB"
        ratio = f"{value / floor:.1f}×" if floor else ""
        rows.append((what, value, f"{shown:>9} {ratio:>6}", goal, met))

    if "demo_vandaag_s" in figures.values:
        value = figures.median("demo_vandaag_s")
        row(
            "window + Vandaag filled, demo cohort 200",
            value,
            "s",
            gui_floor,
            "≤ 500 ms, ≤ 2.5×",
            value <= 0.5 and value / gui_floor <= 2.5,
        )
    if "20000_vandaag_s" in figures.values:
        value = figures.median("20000_vandaag_s")
        row("same, 20,000 pupils", value, "s", gui_floor, "≤ 900 ms", value <= 0.9)
    if "demo_start_peak_mb" in figures.values:
        value = figures.median("demo_start_peak_mb")
        row(
            "peak memory at start, 200 (demo)",
            value,
            "MB",
            figures.median("floor_gui_mb"),
            "≤ 110 MB",
            value <= 110,
        )
    if "20000_start_peak_mb" in figures.values:
        value = figures.median("20000_start_peak_mb")
        row(
            "peak memory at start, 20,000",
            value,
            "MB",
            figures.median("floor_gui_mb"),
            "≤ 200 MB",
            value <= 200,
        )
    value = figures.median("paspoort_s")
    row(
        "uitstroom document paspoort --pupil N",
        value,
        "s",
        pdf_floor,
        "≤ 400 ms, ≤ 3×",
        value <= 0.4 and value / pdf_floor <= 3,
    )
    for name in ("version", "help"):
        value = figures.median(f"{name}_s")
        row(f"uitstroom --{name}", value, "s", None, "≤ 150 ms", value <= 0.15)
    value = figures.median("klas_s")
    row(
        f"a klas of {klas_size} Paspoorten, one command",
        value,
        "s",
        pdf_floor,
        "≤ 1200 ms",
        value <= 1.2,
    )
    if "20000_search_ms_max" in figures.values:
        value = figures.median("20000_search_ms_max") / 1000
        row("search keystroke (slowest), 20,000 rows", value, "s", None, "< 30 ms", value < 0.03)
    print(f"\n{'what':<44} {'median, ratio':>16}   {'goal':<18} verdict")
    for what, _value, shown, goal, met in rows:
        print(f"{what:<44} {shown:>16}   {goal:<18} {'gehaald' if met else 'NIET GEHAALD'}")
    print(f"\nSlope (median of {runs}; ratio to the window floor):")
    print(
        f"{'pupils':>8} {'Vandaag filled':>16} {'items':>6} {'peak at start':>14} "
        f"{'peak after search':>18} {'slowest keystroke':>18} {'list there':>11} "
        f"{'longest pause':>14}"
    )
    for n in sizes:
        s = figures.median(f"{n}_vandaag_s")
        print(
            f"{n:>8,} {s * 1000:>7.0f} ms {s / gui_floor:>4.1f}× {figures.median(f'{n}_items'):>6.0f}"
            f" {figures.median(f'{n}_start_peak_mb'):>11.0f} MB"
            f" {figures.median(f'{n}_peak_mb'):>15.0f} MB"
            f" {figures.median(f'{n}_search_ms_max'):>15.1f} ms"
            f" {figures.median(f'{n}_list_read_s') * 1000:>8.0f} ms"
            f" {figures.median(f'{n}_pause_ms_max'):>11.0f} ms"
        )
    print(
        "(list there: after the counted moment, when the list of all pupils is read, behind the "
        "window for more than its first 200 rows; longest pause: the longest the window could "
        "not answer until the list is there and the pupil's tabs are made, the largest gap "
        "between the ticks of a 10 ms timer.)"
    )
    print(
        f"\nCPU seconds (user + system, median; less disturbed by a shared machine than wall "
        f"time): window floor {figures.median('floor_gui_cpu'):.2f}, PDF floor "
        f"{figures.median('floor_pdf_cpu'):.2f}, "
        + ", ".join(
            f"{label} {figures.median(key):.2f}"
            for label, key in (
                ("Vandaag demo 200", "demo_cpu_s"),
                *((f"Vandaag {n:,}", f"{n}_cpu_s") for n in sizes),
                ("paspoort", "paspoort_cpu"),
                ("--version", "version_cpu"),
                ("--help", "help_cpu"),
            )
            if key in figures.values
        )
    )
    print(f"Modules loaded at the counted moment (demo): {figures.median('demo_modules'):.0f}")


if __name__ == "__main__":
    main()
