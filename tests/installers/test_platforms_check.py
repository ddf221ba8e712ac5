"""The lock file the frozen builds install, and `make platforms-check` that proves every pin has a
wheel on every platform we ship. Here without the network: pip fetches from a folder of small
wheels made in the test (`make platforms-check` asks PyPI)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "installers" / "requirements.lock"


def load_platforms_check() -> ModuleType:
    sys.path.insert(0, str(ROOT / "installers"))  # it imports bundle, as the script run does
    try:
        spec = importlib.util.spec_from_file_location(
            "platforms_check", ROOT / "installers" / "platforms_check.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "installers"))


check = load_platforms_check()
TARGETS = {target.name: target for target in check.TARGETS}


def pinned(target_name: str, python: str = "3.11") -> dict[str, Version]:
    lines = check.pins_for(check.read_pins(LOCK), TARGETS[target_name], python)
    return {
        Requirement(line).name: Version(next(iter(Requirement(line).specifier)).version)
        for line in lines
    }


def test_the_lock_pins_every_dependency_of_pyproject_for_each_platform() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [
        Requirement(text)
        for text in [*project["dependencies"], *project["optional-dependencies"]["build"]]
    ]
    for target in check.TARGETS:
        for python in check.PYTHON_VERSIONS:
            pins = pinned(target.name, python)
            for requirement in wanted:
                if requirement.marker and not requirement.marker.evaluate(
                    target.environment(python)
                ):
                    continue
                name = requirement.name.lower().replace("_", "-")
                assert name in pins, (target.name, python, name)
                assert requirement.specifier.contains(pins[name]), (target.name, name, pins[name])


def test_each_platform_gets_its_own_keychain_and_intel_macs_the_last_cryptography_for_them() -> (
    None
):
    assert "pywin32-ctypes" in pinned("Windows x64")
    assert "secretstorage" in pinned("Linux x86_64")
    assert "secretstorage" not in pinned("Windows x64")
    assert "macholib" in pinned("macOS arm64")
    assert pinned("macOS x86_64")["cryptography"] < Version("49")
    assert pinned("macOS arm64")["cryptography"] >= Version("49")
    assert (
        pinned("Linux x86_64")["pyside6-essentials"] == pinned("Windows x64")["pyside6-essentials"]
    )


def test_the_targets_start_at_qts_minimum_systems() -> None:
    assert TARGETS["macOS arm64"].platform_tags == ("macosx_13_0_arm64",)
    assert TARGETS["macOS x86_64"].platform_tags == ("macosx_13_0_x86_64",)
    linux = TARGETS["Linux x86_64"].platform_tags
    assert linux[0] == "manylinux_2_34_x86_64"
    assert "manylinux_2_17_x86_64" in linux and "manylinux2014_x86_64" in linux
    spec = (ROOT / "installers" / "uitstroom.spec").read_text(encoding="utf-8")
    assert '"LSMinimumSystemVersion": bundle.MACOS_MINIMUM' in spec


def make_wheel(folder: Path, name: str, version: str, tag: str) -> None:
    """A wheel pip accepts: a dist-info with METADATA, WHEEL and RECORD, no code."""
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(folder / f"{name}-{version}-{tag}.whl", "w") as wheel:
        wheel.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        wheel.writestr(
            f"{info}/WHEEL",
            f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: {tag}\n",
        )
        wheel.writestr(f"{info}/RECORD", "")


def test_a_pin_without_a_wheel_for_a_platform_is_named_with_that_platform(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    make_wheel(wheels, "fietsbel", "1.0", "py3-none-any")
    make_wheel(wheels, "tulpenveld", "2.1", "cp311-cp311-manylinux_2_17_x86_64")
    make_wheel(wheels, "klompen", "3.0", "cp311-cp311-win_amd64")
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "fietsbel==1.0 \\\n    --hash=sha256:00\n    # via uitstroom\n"
        "tulpenveld==2.1 \\\n    --hash=sha256:11\n"
        "klompen==3.0 ; sys_platform == 'win32' \\\n    --hash=sha256:22\n",
        encoding="utf-8",
    )
    said: list[str] = []

    problems = check.check(
        lock,
        targets=(TARGETS["Linux x86_64"], TARGETS["Windows x64"]),
        pythons=("3.11",),
        pip_options=("--no-index", "--find-links", str(wheels)),
        say=said.append,
    )

    assert len(problems) == 1, problems
    assert problems[0].startswith(
        "geen wheel voor Windows x64 (win_amd64), Python 3.11: tulpenveld==2.1 ("
    )
    assert "No matching distribution found for tulpenveld==2.1" in problems[0]
    assert said[0].startswith(
        "platforms-check: Linux x86_64 (manylinux_2_34_x86_64), Python 3.11: 2 pakketten in orde"
    )
    assert said[1].startswith("platforms-check: Windows x64 (win_amd64), Python 3.11: 3 pakketten")
    assert "1 zonder wheel" in said[1]
