"""Checking a write-ahead log before SQLite reads it.

SQLite treats a WAL frame whose checksum fails as the end of the log: that frame and every
frame after it are ignored without a word. After a crash that is right for the last, unfinished
transaction; for a flipped byte in the middle it silently drops transactions that were committed
(and acknowledged) after it. So before a database with a log left behind is opened, the log is
read here: a bad frame followed by a committed transaction of the same log is damage.

The format (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames of a 24-byte
header and one page. Checksums run cumulatively over the header and every frame, in the byte
order the header's magic number names. SQLCipher writes encrypted pages into the log, and the
checksums cover those bytes, so this works without the key.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

WAL_HEADER = 32
FRAME_HEADER = 24
_MAGIC_LE = 0x377F0682
_MAGIC_BE = 0x377F0683
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class WalReport:
    frames: int  # frames of this log generation that SQLite will read
    lost_commits: int  # committed transactions after a damaged frame: silently dropped
    damaged_header: bool

    @property
    def damaged(self) -> bool:
        return self.damaged_header or self.lost_commits > 0


def _checksum(data: bytes, s0: int, s1: int, order: str) -> tuple[int, int]:
    for x0, x1 in struct.iter_unpack(order + "II", data):
        s0 = (s0 + x0 + s1) & _MASK
        s1 = (s1 + x1 + s0) & _MASK
    return s0, s1


def check_wal(path: Path) -> WalReport:
    """The log of `path` (path + '-wal'); an absent or empty log is whole."""
    wal = path.with_name(path.name + "-wal")
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return WalReport(0, 0, False)
    if len(data) < WAL_HEADER:
        # A log that was being started when the program stopped: SQLite ignores it, and no
        # transaction can have been committed into it.
        return WalReport(0, 0, False)
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:WAL_HEADER])
    if magic not in (_MAGIC_LE, _MAGIC_BE):
        return WalReport(0, 0, len(data) > WAL_HEADER)
    order = "<" if magic == _MAGIC_LE else ">"
    s0, s1 = _checksum(data[:24], 0, 0, order)
    frame_size = FRAME_HEADER + page_size
    if (s0, s1) != (c1, c2) or page_size < 512 or page_size & (page_size - 1):
        # SQLite ignores the whole log; damage when it holds frames at all.
        return WalReport(0, 0, len(data) >= WAL_HEADER + FRAME_HEADER + 512)
    frames = 0
    lost = 0
    broken = False
    offset = WAL_HEADER
    while offset + frame_size <= len(data):
        header = data[offset : offset + FRAME_HEADER]
        _page, commit, f_salt1, f_salt2, f1, f2 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2):
            # A frame of an earlier generation of the log (it is reused after a checkpoint).
            # A damaged salt looks the same; the commits after it are still counted below.
            if not broken and frames:
                broken = True
            offset += frame_size
            continue
        if broken:
            if commit:
                lost += 1
            offset += frame_size
            continue
        s0, s1 = _checksum(header[:8], s0, s1, order)
        s0, s1 = _checksum(data[offset + FRAME_HEADER : offset + frame_size], s0, s1, order)
        if (s0, s1) != (f1, f2):
            broken = True
        else:
            frames += 1
        offset += frame_size
    return WalReport(frames, lost, False)
