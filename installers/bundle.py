"""What goes into the frozen program: read by uitstroom.spec and checked by tests/installers.

Plain Python without PyInstaller, so the tests can check the list of files, the hidden imports
and the Windows version file on any machine, without building anything.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.util
import re
import sys
from pathlib import Path

INSTALLERS = Path(__file__).resolve().parent
ROOT = INSTALLERS.parent
PACKAGE = ROOT / "src" / "uitstroom"
RESOURCES = ROOT / "resources"
MIGRATIONS = PACKAGE / "storage" / "migrations"

# Qt's own Dutch texts: qtbase_nl holds the standard buttons and dialogs ("Annuleren"),
# qt_nl is the catalogue that loads it. PySide6's wheel keeps them in PySide6/Qt/translations;
# the frozen program gets them at the same place under _internal, where app.install_dutch
# looks for them.
QT_TRANSLATIONS = ("qtbase_nl.qm", "qt_nl.qm")
QT_TRANSLATIONS_DEST = "PySide6/Qt/translations"

# Qt modules the program never imports. PyInstaller only takes what is imported, but these are
# named so that nothing drags them in (and the folder stays far under 250 MB). QtPdf,
# QtPdfWidgets, QtCharts, QtPrintSupport, QtSvg and the OpenGL widgets that QtCharts links to
# are used and stay.
QT_EXCLUDED = (
    "Qt3DAnimation",
    "Qt3DCore",
    "Qt3DExtras",
    "Qt3DInput",
    "Qt3DLogic",
    "Qt3DRender",
    "QtBluetooth",
    "QtCanvasPainter",
    "QtDataVisualization",
    "QtDesigner",
    "QtGraphs",
    "QtGraphsWidgets",
    "QtHelp",
    "QtHttpServer",
    "QtLocation",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtNetworkAuth",
    "QtNfc",
    "QtQuick3D",
    "QtPositioning",
    "QtQml",
    "QtQuick",
    "QtQuickControls2",
    "QtQuickTest",
    "QtQuickWidgets",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtSerialBus",
    "QtSerialPort",
    "QtSpatialAudio",
    "QtSql",
    "QtStateMachine",
    "QtTest",
    "QtTextToSpeech",
    "QtUiTools",
    "QtWebChannel",
    "QtWebEngineCore",
    "QtWebEngineQuick",
    "QtWebEngineWidgets",
    "QtWebSockets",
    "QtWebView",
)
# Files PySide6's hooks collect that this program never loads: QML and Qt Quick (only the
# virtual keyboard's input plugin pulls them in), the embedded-device platforms, the GTK theme
# (its GTK libraries are not bundled; Qt falls back to its own dialogs and the desktop portal),
# and Qt's translations other than Dutch. Patterns match the path inside the bundle.
UNWANTED_FILES = (
    "PySide6/Qt/lib/libQt6Qml*",
    "PySide6/Qt/lib/libQt6Quick*",
    "PySide6/Qt/lib/libQt6VirtualKeyboard*",
    "PySide6/Qt/lib/libQt6EglFS*",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin*",
    "PySide6/Qt/plugins/platforms/libqeglfs*",
    "PySide6/Qt/plugins/platforms/libqlinuxfb*",
    "PySide6/Qt/plugins/platforms/libqminimalegl*",
    "PySide6/Qt/plugins/platforms/libqvnc*",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay*",
    "PySide6/Qt/plugins/egldeviceintegrations/*",
    "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/platformthemes/libqgtk3*",
    "libQt6Qml*",
    "libQt6Quick*",
    "libQt6VirtualKeyboard*",
    "libQt6EglFS*",
)
# Of Qt's translations only the Dutch ones (and Qt's list of languages) stay.
QT_TRANSLATION_PATTERN = re.compile(r"^PySide6/Qt/translations/(?!.*_nl\.qm$)")


def wanted(bundle_path: str) -> bool:
    """False for a file the hooks collected that the program never loads (see UNWANTED_FILES)."""
    path = bundle_path.replace("\\", "/")
    if QT_TRANSLATION_PATTERN.match(path):
        return False
    return not any(fnmatch.fnmatch(path, pattern) for pattern in UNWANTED_FILES)


# The oldest systems Qt's wheels run on (PySide6 6.11: macosx_13_0_universal2 and
# manylinux_2_34): the app's LSMinimumSystemVersion and the platforms check
# (installers/platforms_check.py) take them from here.
MACOS_MINIMUM = "13.0"
LINUX_GLIBC_MINIMUM = "2.34"

PYTHON_EXCLUDED = ("tkinter", "unittest", "pydoc", "pytest", "mypy", "IPython", "numpy")


def package_version() -> str:
    """uitstroom.__version__, read from the package's __init__.py without importing it."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise LookupError("uitstroom/__init__.py has no __version__")


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0): Windows wants four numbers; a suffix like 'rc1' is dropped."""
    leading = re.match(r"\d+(?:\.\d+)*", version)
    if leading is None:
        raise ValueError(f"no version numbers in {version!r}")
    numbers = [int(part) for part in leading.group().split(".")][:4]
    return (*numbers, 0, 0, 0)[:4]  # type: ignore[return-value]


def qt_translations_folder() -> Path:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise LookupError("PySide6 is not installed")
    return Path(spec.origin).parent / "Qt" / "translations"


def _files_under(folder: Path, skip_suffixes: tuple[str, ...] = (".pyc",)) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in skip_suffixes
    )


def data_files() -> list[tuple[str, str]]:
    """(source file, folder inside the bundle) for everything that is not Python code in the
    program's imports: fonts and icons, every Alembic migration as source (Alembic reads the
    files from disk), and Qt's Dutch translations."""
    pairs: list[tuple[str, str]] = []
    for path in _files_under(PACKAGE / "resources"):
        pairs.append((str(path), str(path.parent.relative_to(PACKAGE.parent))))
    for path in _files_under(MIGRATIONS):
        pairs.append((str(path), str(path.parent.relative_to(PACKAGE.parent))))
    translations = qt_translations_folder()
    for name in QT_TRANSLATIONS:
        pairs.append((str(translations / name), QT_TRANSLATIONS_DEST))
    return [(source, dest.replace("\\", "/")) for source, dest in pairs]


def migration_files() -> list[Path]:
    return [
        path
        for path in _files_under(MIGRATIONS / "versions")
        if path.suffix == ".py" and path.name != "__init__.py"
    ]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def migration_imports() -> list[str]:
    """The modules the migrations import. PyInstaller does not follow imports in data files,
    so these are named as hidden imports (a new migration that imports something new is
    covered without editing the spec)."""
    found: set[str] = set()
    for path in [*migration_files(), MIGRATIONS / "env.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from alembic import op`: op may be a module of its own; PyInstaller skips a
                # hidden import that turns out to be an attribute.
                found.add(node.module)
                found.update(
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if _is_module(f"{node.module}.{alias.name}")
                )
    found.discard("__future__")
    return sorted(found)


def keyring_backends(platform: str = sys.platform) -> list[str]:
    """keyring finds its backends through entry points and imports them lazily: name the
    system's own keychain for each platform (the spec also copies keyring's metadata)."""
    common = ["keyring.backends.chainer", "keyring.backends.fail", "keyring.backends.null"]
    if platform == "win32":
        return [*common, "keyring.backends.Windows", "win32ctypes.core"]
    if platform == "darwin":
        return [*common, "keyring.backends.macOS", "keyring.backends.macOS.api"]
    return [
        *common,
        "keyring.backends.SecretService",
        "keyring.backends.kwallet",
        "keyring.backends.libsecret",
        "secretstorage",
        "jeepney",
    ]


def hidden_imports(platform: str = sys.platform) -> list[str]:
    """Modules imported by name at run time, beyond what PyInstaller sees in the code: the
    sub-commands and document modules (importlib), the SQLCipher driver, reportlab's C
    accelerator (reportlab.lib.rl_accel imports it inside exec()), the keychain backends and
    whatever the migrations import."""
    names = [
        "_rl_accel",
        "sqlcipher3",
        "sqlcipher3.dbapi2",
        "sqlalchemy.dialects.sqlite",
        "sqlalchemy.dialects.postgresql",
        *keyring_backends(platform),
        *migration_imports(),
    ]
    # The shared school server: SQLAlchemy imports its driver only for a postgresql:// URL.
    for optional in ("psycopg", "psycopg_binary"):
        if importlib.util.find_spec(optional) is not None:
            names.append(optional)
    return sorted(set(names))


def excluded_modules() -> list[str]:
    return [*(f"PySide6.{name}" for name in QT_EXCLUDED), *PYTHON_EXCLUDED]


def windows_version_info(version: str | None = None) -> str:
    """The VSVersionInfo text PyInstaller puts into uitstroom.exe (Eigenschappen > Details),
    from the package version. Inno Setup reads the installer's AppVersion back from it."""
    version = version or package_version()
    numbers = version_numbers(version)
    strings = {
        "CompanyName": "Uitstroom",
        "FileDescription": "Uitstroom: uitstroom, overdracht en nazorg",
        "FileVersion": version,
        "InternalName": "uitstroom",
        "LegalCopyright": "EUPL-1.2",
        "OriginalFilename": "uitstroom.exe",
        "ProductName": "Uitstroom",
        "ProductVersion": version,
    }
    table = ",\n".join(
        f"            StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return f"""\
# Generated by installers/bundle.py from uitstroom.__version__; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '041304B0',
        [
{table}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0413, 1200])])
  ]
)
"""


def write_windows_version_info(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "uitstroom-version-info.txt"
    target.write_text(windows_version_info(), encoding="utf-8")
    return target
