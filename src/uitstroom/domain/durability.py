"""Rules for keeping the data safe on disk: what a backup file is called and why it was made, and
which places are risky for a database (network shares, folders a cloud service synchronises).

Pure functions: the caller reads the clock, the mount table and the platform, and passes them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import PurePosixPath

from uitstroom.domain.dates import dutch_date


class BackupReason(StrEnum):
    DAGELIJKS = "dagelijks"
    VOOR_IMPORT = "voor-import"
    VOOR_UPDATE = "voor-update"
    VOOR_OPSCHONEN = "voor-opschonen"
    HANDMATIG = "handmatig"
    VOOR_HERSTEL = "voor-herstel"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_REASON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def reason_slug(reason: str) -> str:
    """A reason as it goes into a file name: lower case words joined by '-'."""
    slug = "-".join(re.findall(r"[a-z0-9]+", reason.casefold()))
    if not slug:
        raise ValueError("Een back-up heeft een reden nodig, bijvoorbeeld 'handmatig'.")
    return slug


def reason_label(reason: str) -> str:
    """'voor-import' -> 'voor import'; reasons of later versions are shown as they are."""
    return reason.replace("-", " ")


def backup_file_name(stem: str, reason: str, made_at: datetime) -> str:
    return f"{stem}-{made_at.strftime(_STAMP_FORMAT)}-{reason_slug(reason)}.db"


@dataclass(frozen=True)
class BackupStamp:
    made_at: datetime
    reason: str


def parse_backup_file_name(name: str, stem: str) -> BackupStamp | None:
    """When and why a backup of the database called `stem` was made; None for any other file
    (another database's backups may share the folder)."""
    pattern = re.escape(stem) + r"-(\d{8}-\d{6}-\d{6})-(" + _REASON.pattern + r")\.db"
    found = re.fullmatch(pattern, name)
    if found is None:
        return None
    try:
        made_at = datetime.strptime(found.group(1), _STAMP_FORMAT)
    except ValueError:
        return None
    return BackupStamp(made_at, found.group(2))


def moment_text(moment: datetime) -> str:
    """'23 november 2026, 09:30'."""
    return f"{dutch_date(moment.date())}, {moment:%H:%M}"


def size_text(size: int) -> str:
    """Sizes as a coordinator reads them: '840 kB', '12,5 MB' (Dutch decimal comma)."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} kB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB".replace(".", ",")
    return f"{size / 1000**3:.1f} GB".replace(".", ",")


# --- risky places ----------------------------------------------------------------------------

# Folder names that sync clients create. A component matches when it is the name itself or
# starts with it followed by ' ', '-' or '(' ("OneDrive - Stichting Horizon", "GoogleDrive-x").
CLOUD_FOLDERS = (
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("mijn drive", "Google Drive"),
    ("icloud drive", "iCloud Drive"),
    ("icloud", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("box", "Box"),
    ("box sync", "Box"),
)

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afpfs",
        "webdav",
        "davfs",
        "sshfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "ncpfs",
        "osxfuse",
        "macfuse",
    }
)

CLOUD_WARNING = (
    "De database staat in een map die {service} synchroniseert. Zo’n programma kan het "
    "bestand kopiëren of vervangen terwijl Uitstroom erin schrijft; dan kunnen wijzigingen "
    "verloren gaan of kan de database beschadigd raken. Zet de database liever in een map op "
    "deze computer die niet wordt gesynchroniseerd. Uitstroom maakt zelf elke dag een back-up."
)
NETWORK_WARNING = (
    "De database staat op een netwerkschijf ({where}). Valt de verbinding weg terwijl "
    "Uitstroom opslaat, dan kan de database beschadigd raken. Ook werkt de beveiliging tegen "
    "twee gebruikers tegelijk op een netwerkschijf niet altijd. Zet de database liever op deze "
    "computer."
)


def location_warning(
    path: str, platform: str, mounts: str = "", network_drive: bool = False
) -> str | None:
    """A Dutch warning when the database at `path` lies in a risky place, else None.

    `platform` is sys.platform; `mounts` the text of /proc/mounts (Linux) or of `mount` (macOS);
    `network_drive` whether Windows reports the drive as remote (a mapped drive such as Z:).
    """
    service = cloud_service(path)
    if service is not None:
        return CLOUD_WARNING.format(service=service)
    if platform == "win32":
        share = unc_share(path)
        if share is not None:
            return NETWORK_WARNING.format(where=share)
        if network_drive:
            return NETWORK_WARNING.format(where=f"station {path[:2].upper()}")
        return None
    mount = mount_of(path, parse_mounts(mounts))
    if mount is not None and is_network_file_system(mount.fs_type):
        return NETWORK_WARNING.format(where=f"{mount.source}, {mount.fs_type}")
    return None


def cloud_service(path: str) -> str | None:
    for component in re.split(r"[\\/]+", path):
        folded = component.casefold().strip()
        for folder, service in CLOUD_FOLDERS:
            if folded == folder or (
                folded.startswith(folder) and folded[len(folder) : len(folder) + 1] in " -("
            ):
                return service
    return None


def unc_share(path: str) -> str | None:
    r"""'\\server\share\...' (or '//server/share', or '\\?\UNC\server\share') -> '\\server\share'."""
    text = path.replace("/", "\\")
    if text.startswith("\\\\?\\") or text.startswith("\\\\.\\"):
        rest = text[4:]
        if not rest.upper().startswith("UNC\\"):
            return None  # an extended-length local path such as \\?\C:\...
        text = "\\\\" + rest[4:]
    if not text.startswith("\\\\"):
        return None
    parts = [part for part in text[2:].split("\\") if part]
    if not parts:
        return None
    return "\\\\" + "\\".join(parts[:2])


@dataclass(frozen=True)
class Mount:
    source: str
    point: str
    fs_type: str


_BSD_MOUNT = re.compile(r"^(?P<source>.+?) on (?P<point>/.*?) \((?P<type>[^,)]+)")
_LINUX_MOUNT_COMMAND = re.compile(r"^(?P<source>.+?) on (?P<point>/.*?) type (?P<type>\S+)")
_OCTAL = re.compile(r"\\([0-7]{3})")


def parse_mounts(text: str) -> list[Mount]:
    """Lines of /proc/mounts ('source point type options 0 0', spaces as \\040) or of the
    `mount` command ('source on point (type, options)' on macOS, '... type T (...)' on Linux)."""
    mounts = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        found = _LINUX_MOUNT_COMMAND.match(line) or _BSD_MOUNT.match(line)
        if found is not None:
            mounts.append(Mount(found["source"], found["point"], found["type"].strip()))
            continue
        fields = line.split()
        if len(fields) >= 3:
            source, point, fs_type = (_unescape(field) for field in fields[:3])
            mounts.append(Mount(source, point, fs_type))
    return mounts


def _unescape(field: str) -> str:
    return _OCTAL.sub(lambda found: chr(int(found.group(1), 8)), field)


def mount_of(path: str, mounts: list[Mount]) -> Mount | None:
    """The mount holding `path`: the longest mount point that contains it."""
    target = PurePosixPath(path)
    best: Mount | None = None
    for mount in mounts:
        point = PurePosixPath(mount.point)
        if (target == point or point in target.parents) and (
            best is None or len(point.parts) >= len(PurePosixPath(best.point).parts)
        ):
            best = mount
    return best


def is_network_file_system(fs_type: str) -> bool:
    folded = fs_type.casefold()
    if folded in NETWORK_FILE_SYSTEMS:
        return True
    # FUSE file systems are mostly network or cloud mounts (sshfs, rclone, gvfs); fuseblk is
    # a local disk (NTFS or exFAT through ntfs-3g).
    return folded == "fuse" or (folded.startswith("fuse.") and folded != "fuse.fuseblk")
