"""What the PyInstaller spec puts in the program, checked without building: every migration,
font and Qt translation it names exists, nothing the program imports is excluded, the keychain
backends of each platform are named, and the Windows version file says uitstroom.__version__.
(`make dist-check` then checks that these files are in the Linux build.)"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import uitstroom

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "uitstroom"


def load_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle", ROOT / "installers" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = load_bundle()


def bundled() -> dict[str, Path]:
    """Where each data file lands inside the bundle -> its source."""
    return {f"{dest}/{Path(source).name}": Path(source) for source, dest in bundle.data_files()}


def test_the_spec_reads_the_version_from_the_package() -> None:
    assert bundle.package_version() == uitstroom.__version__
    spec = (ROOT / "installers" / "uitstroom.spec").read_text(encoding="utf-8")
    assert "VERSION = bundle.package_version()" in spec
    assert uitstroom.__version__ not in spec


def test_every_named_file_exists() -> None:
    missing = [str(source) for source in bundled().values() if not source.is_file()]
    assert missing == []


def test_every_migration_is_bundled_as_source_for_alembic() -> None:
    versions = sorted(p.name for p in (SRC / "storage/migrations/versions").glob("*.py"))
    assert "0001_initial_schema.py" in versions
    inside = bundled()
    for name in versions:
        assert f"uitstroom/storage/migrations/versions/{name}" in inside, name
    for name in ("env.py", "script.py.mako", "__init__.py"):
        assert f"uitstroom/storage/migrations/{name}" in inside, name


def test_every_font_its_licence_and_the_window_icon_are_bundled() -> None:
    inside = bundled()
    fonts = sorted(p.name for p in (SRC / "resources/fonts").iterdir())
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= set(fonts)
    for name in fonts:
        assert f"uitstroom/resources/fonts/{name}" in inside, name
    assert "uitstroom/resources/icons/uitstroom.png" in inside


def test_qt_dutch_translations_land_where_install_dutch_looks() -> None:
    inside = bundled()
    # qtbase_nl holds the texts; qt_nl is the small catalogue that points at it.
    assert inside["PySide6/Qt/translations/qtbase_nl.qm"].stat().st_size > 100_000
    assert inside["PySide6/Qt/translations/qt_nl.qm"].stat().st_size > 0
    app_source = (SRC / "app.py").read_text(encoding="utf-8")
    assert '"PySide6" / "Qt" / "translations"' in app_source


def test_the_migrations_imports_are_hidden_imports() -> None:
    hidden = bundle.hidden_imports("linux")
    for path in (SRC / "storage/migrations/versions").glob("0*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                assert node.module in hidden, (path.name, node.module)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name in hidden, (path.name, alias.name)
    assert "alembic.op" in hidden
    assert {"sqlcipher3", "sqlcipher3.dbapi2"} <= set(hidden)


def test_reportlabs_accelerator_is_installed_and_bundled() -> None:
    """reportlab imports its C accelerator inside exec(), which PyInstaller cannot see; without
    it every PDF is made in pure Python (about 10 % slower for a klas of Paspoorten)."""
    from reportlab.lib import rl_accel

    assert "_rl_accel" in bundle.hidden_imports("win32")
    assert {"fp_str", "asciiBase85Encode", "instanceStringWidthTTF"} <= set(rl_accel._c_funcs)


@pytest.mark.parametrize(
    ("platform", "native"),
    [
        ("linux", "keyring.backends.SecretService"),
        ("win32", "keyring.backends.Windows"),
        ("darwin", "keyring.backends.macOS"),
    ],
)
def test_each_platform_gets_its_own_keychain(platform: str, native: str) -> None:
    hidden = bundle.hidden_imports(platform)
    assert native in hidden
    assert "keyring.backends.chainer" in hidden
    spec = (ROOT / "installers" / "uitstroom.spec").read_text(encoding="utf-8")
    assert 'copy_metadata("keyring")' in spec


def test_nothing_the_program_imports_is_excluded() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                used.add(node.module)
            elif isinstance(node, ast.Import):
                used.update(alias.name for alias in node.names)
    qt_used = {name for name in used if name.startswith("PySide6.")}
    assert {"PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts"} <= qt_used
    assert qt_used.isdisjoint(bundle.excluded_modules())
    assert "PySide6.QtWebEngineWidgets" in bundle.excluded_modules()
    assert "PySide6.QtQuick" in bundle.excluded_modules()


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("PySide6/Qt/lib/libQt6Pdf.so.6", True),
        ("PySide6/Qt/lib/libQt6PdfWidgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/translations/qtbase_nl.qm", True),
        ("PySide6/Qt/translations/qt_nl.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6Qml.so.6", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("uitstroom/storage/migrations/versions/0001_initial_schema.py", True),
    ],
)
def test_the_size_filter_keeps_what_is_used(path: str, kept: bool) -> None:
    assert bundle.wanted(path) is kept


class _Recorded:
    """Stands in for PyInstaller's version-info classes: keeps what they were given."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.args, self.kwargs = args, kwargs


def parse_version_info(text: str) -> _Recorded:
    names = (
        "VSVersionInfo FixedFileInfo StringFileInfo StringTable StringStruct VarFileInfo VarStruct"
    )
    namespace = {name: type(name, (_Recorded,), {}) for name in names.split()}
    value = eval(text, {"__builtins__": {}}, namespace)  # our own generated file, no input
    assert isinstance(value, _Recorded)
    return value


def test_the_windows_version_file_says_the_package_version(tmp_path: Path) -> None:
    written = bundle.write_windows_version_info(tmp_path)
    info = parse_version_info(written.read_text(encoding="utf-8"))
    fixed = info.kwargs["ffi"]
    numbers = tuple(int(n) for n in uitstroom.__version__.split("."))
    assert fixed.kwargs["filevers"] == fixed.kwargs["prodvers"] == (*numbers, 0, 0, 0)[:4]
    table = info.kwargs["kids"][0].args[0][0]
    strings = {s.args[0]: s.args[1] for s in table.args[1]}
    assert strings["FileVersion"] == strings["ProductVersion"] == uitstroom.__version__
    assert strings["ProductName"] == "Uitstroom"
    assert strings["OriginalFilename"] == "uitstroom.exe"


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0))],
)
def test_windows_gets_four_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert bundle.version_numbers(version) == numbers


def test_the_spec_builds_a_mac_bundle_and_windows_programs_with_the_version() -> None:
    spec = (ROOT / "installers" / "uitstroom.spec").read_text(encoding="utf-8")
    compile(spec, "uitstroom.spec", "exec")
    assert "BUNDLE(" in spec and 'bundle_identifier="nl.uitstroom.Uitstroom"' in spec
    assert '"CFBundleShortVersionString": VERSION' in spec
    assert "version=version_file" in spec and 'name="uitstroom-cli"' in spec
    assert sys.modules.get("PyInstaller") is None  # nothing here needed PyInstaller
