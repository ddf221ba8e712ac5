"""Reading a CSV or XLSX export into a table of text, with a Dutch message for every file that
cannot be read."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from uitstroom.domain.importing import (
    ImportProblem,
    find_header_row,
)
from uitstroom.domain.plural import counted
from uitstroom.services.importing.shapes import (
    CHUNK,
    CSV_SUFFIXES,
    DELIMITERS,
    EXPORT_AGAIN,
    HEAD_BYTES,
    MAX_FILE_BYTES,
    MAX_REPORTED,
    OLE_MAGIC,
    TICK_EVERY,
    XLSX_SUFFIXES,
    ZIP_MAGIC,
    ImportFileError,
    ImportTable,
    ProgressFn,
    Ticker,
    check_row_count,
    not_a_table,
)
from uitstroom.services.importing.workbook import formula_message, formula_problem, read_xlsx

# --- reading files -----------------------------------------------------------------------


def read_table(path: Path, progress: ProgressFn | None = None) -> ImportTable:
    """The file as a table of text. Raises ImportFileError with what to do."""
    path = Path(path)
    head = open_head(path)
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC):
        raise ImportFileError(old_excel_message(path))
    if suffix == ".xls":
        raise ImportFileError(old_excel_message(path))
    if suffix == ".ods":
        raise ImportFileError(
            f"{path.name} is een OpenDocument-rekenblad. Open het in LibreOffice of Excel, "
            "sla het op als Excel-werkmap (.xlsx) of CSV en kies dat bestand."
        )
    if suffix in XLSX_SUFFIXES or (suffix in CSV_SUFFIXES and head.startswith(ZIP_MAGIC)):
        grid, description = read_xlsx(path, Ticker(progress))
        strict_width = False
    elif suffix in CSV_SUFFIXES:
        grid, description = read_csv(path, Ticker(progress))
        strict_width = True
    else:
        shown = suffix or "zonder extensie"
        raise ImportFileError(
            f"Bestanden van het type {shown} kunnen niet worden geïmporteerd. Kies een "
            "CSV-bestand (.csv) of een Excel-werkmap (.xlsx)."
        )
    return build_table(path, grid, description, strict_width)


def open_head(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ImportFileError(f"{path.name} is een map. Kies het bestand met de leerlingen.")
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise ImportFileError(
            f"Het bestand {path.name} bestaat niet (meer). Kies het bestand opnieuw."
        ) from None
    except PermissionError:
        raise ImportFileError(
            f"{path.name} kan niet worden geopend. Is het nog open in Excel? Sluit het daar en "
            "probeer het opnieuw."
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"{path.name} kan niet worden gelezen ({exc.strerror}). Kopieer het bestand naar "
            "uw computer en probeer het opnieuw."
        ) from exc
    if size == 0:
        raise ImportFileError(f"{path.name} is leeg. {EXPORT_AGAIN}")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path.name} is te groot ({size // (1024 * 1024)} MB). Exporteer alleen de "
            "leerlingen van het laatste jaar."
        )
    return head


def old_excel_message(path: Path) -> str:
    return (
        f"{path.name} is een oud Excel-bestand (.xls) of een Excel-bestand met een wachtwoord. "
        "Open het in Excel, haal een eventueel wachtwoord weg en kies Opslaan als > "
        "Excel-werkmap (.xlsx) of CSV. Kies daarna dat bestand."
    )


def read_csv(path: Path, tick: Ticker) -> tuple[list[list[str]], str]:
    """Streamed: a file of a million rows is refused after the first hundred thousand, never
    read into memory as a whole."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(HEAD_BYTES)
    except OSError as exc:
        raise ImportFileError(
            f"{path.name} kan niet worden gelezen ({exc.strerror}). Probeer het opnieuw."
        ) from exc
    codec, encoding = _encoding_of(path, head)
    head_text = head.decode(codec, errors="replace")
    if _looks_binary(head_text):
        raise not_a_table(path)
    delimiter = _sniff_delimiter(head_text)
    tick.phase(0, size)
    try:
        grid = _parse_csv(path, codec, delimiter, tick)
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise _unreadable_characters(path) from None
        codec, encoding = _utf8_or_windows_1252(path)
        grid = _parse_csv(path, codec, delimiter, tick)
    _check_complete(path, grid, codec)
    return grid, f"CSV-bestand, gescheiden door {DELIMITERS[delimiter]}, {encoding}"


def _encoding_of(path: Path, head: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; a file that is not valid UTF-8 turns
    out to be Windows-1252, the encoding of 'CSV (gescheiden door lijstscheidingsteken)' in
    Dutch Excel (see _utf8_or_windows_1252)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 met BOM"
    if b"\x00" in head:
        if _utf16_without_bom(head):
            raise ImportFileError(
                f"{path.name} is opgeslagen als UTF-16 zonder kenmerk aan het begin (BOM) en kan "
                "zo niet worden gelezen. Sla het bestand in Excel op als 'CSV UTF-8 (door komma's "
                "gescheiden)' en probeer het opnieuw."
            )
        raise not_a_table(path)
    return "utf-8", "UTF-8"


def _utf16_without_bom(head: bytes) -> bool:
    # Text in UTF-16 has a zero in every other byte: the high byte of each ASCII letter.
    sample = head[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return False
    return (odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even)) or (
        even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd)
    )


def _parse_csv(path: Path, codec: str, delimiter: str, tick: Ticker) -> list[list[str]]:
    grid: list[list[str]] = []
    formulas: list[ImportProblem] = []
    formula_count = 0
    # strict: a quote that is never closed is reported instead of swallowing the rest.
    strict = True
    while True:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=codec, newline="") as text:
            reader = csv.reader(text, delimiter=delimiter, strict=strict)
            try:
                for record in reader:
                    values = [_unwrap_excel_text(cell) for cell in record]
                    grid.append(values)
                    if any(cell[:1] == "=" for cell in values):
                        for column, cell in enumerate(values):
                            if len(cell) > 1 and cell[0] == "=":
                                formula_count += 1
                                if len(formulas) < MAX_REPORTED:
                                    formulas.append(formula_problem(len(grid), column))
                    if len(grid) % TICK_EVERY == 0:
                        tick(raw.tell())
                        check_row_count(path, len(grid))
            except csv.Error as exc:
                row = len(grid) + 1
                if "unexpected end of data" in str(exc):
                    raise _cut_off(
                        path,
                        row,
                        'er staat een aanhalingsteken (") dat niet wordt gesloten. Misschien is '
                        'het bestand niet helemaal opgeslagen, of staat er een losse " in een '
                        "naam. Controleer die rij en probeer het opnieuw.",
                    ) from None
                if strict and "expected after" in str(exc):
                    # '"a"b' is read as 'ab' by Excel too: only the strict check objects.
                    strict = False
                    grid, formulas, formula_count = [], [], 0
                    continue
                message = (
                    f"Rij {row} van {path.name} kan niet worden gelezen: er staat een cel in die "
                    "veel te lang is of een aanhalingsteken mist. Controleer die rij in Excel en "
                    "probeer het opnieuw."
                )
                raise ImportFileError(message, [ImportProblem(row, None, message)]) from exc
        break
    check_row_count(path, len(grid))
    if formulas:
        raise ImportFileError(formula_message(formulas, formula_count), formulas)
    return grid


def _check_complete(path: Path, grid: list[list[str]], codec: str) -> None:
    """A file cut off in the middle of a row (a copy that stopped, a full USB stick) ends
    without a line break, in a row shorter than the others: its last cells would be empty."""
    if len(grid) < 2 or not any(cell.strip() for cell in grid[-1]):
        return
    widest = max(len(row) for row in grid[:-1])
    if len(grid[-1]) >= widest or _ends_with_line_break(path, codec):
        return
    raise _cut_off(
        path,
        len(grid),
        "het bestand is misschien niet helemaal opgeslagen of gekopieerd. Exporteer de "
        "leerlingen opnieuw en kies het nieuwe bestand.",
    )


def _ends_with_line_break(path: Path, codec: str) -> bool:
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 4))
        tail = stream.read()
    if codec == "utf-16":
        with path.open("rb") as stream:
            big_endian = stream.read(2) == codecs.BOM_UTF16_BE
        return tail.endswith((b"\x00\n", b"\x00\r") if big_endian else (b"\n\x00", b"\r\x00"))
    return tail.endswith((b"\n", b"\r"))


def _cut_off(path: Path, row: int, why: str) -> ImportFileError:
    message = f"Rij {row} van {path.name} houdt halverwege op: {why}"
    return ImportFileError(message, [ImportProblem(row, None, message)])


# Valid UTF-8 letters outside ASCII, such as the ë of Zoë; in Windows-1252 text these byte
# pairs mean things like 'Ã«' that no name holds.
_UTF8_LETTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_NOT_IN_WINDOWS_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _utf8_or_windows_1252(path: Path) -> tuple[str, str]:
    """The file is not valid UTF-8. When it holds UTF-8 letters elsewhere, two encodings are
    mixed (a row pasted in from another file) and every ë of one of them would be read wrong;
    otherwise it is Windows-1252. Streamed, so a big file is not read into memory at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    bad_row: int | None = None
    utf8_row: int | None = None
    undefined_row: int | None = None
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            if bad_row is None:
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    start = max(0, exc.start - pending)
                    bad_row = lines + chunk[:start].count(b"\n") + 1
                    if utf8_row is None and not chunk[:start].isascii():
                        utf8_row = lines + 1 + _first_non_ascii_line(chunk[:start])
                else:
                    # Only letters decoded in full count: a last byte may still be waiting.
                    if utf8_row is None and not text.isascii():
                        utf8_row = lines + 1 + _first_non_ascii_line(chunk)
            if bad_row is not None:
                window = tail + chunk
                if utf8_row is None and (found := _UTF8_LETTER.search(window)):
                    utf8_row = lines - tail.count(b"\n") + window[: found.start()].count(b"\n") + 1
                if undefined_row is None and (found := _NOT_IN_WINDOWS_1252.search(chunk)):
                    undefined_row = lines + chunk[: found.start()].count(b"\n") + 1
                tail = chunk[-3:]
            lines += chunk.count(b"\n")
    if bad_row is None:
        # Valid up to the last bytes, which stop halfway through a letter.
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_row = lines + 1
            if utf8_row is not None:
                raise _cut_off(
                    path,
                    bad_row,
                    "de laatste letter is niet af, dus het bestand is misschien niet helemaal "
                    "opgeslagen of gekopieerd. Exporteer de leerlingen opnieuw en kies het "
                    "nieuwe bestand.",
                ) from None
        else:
            return "utf-8", "UTF-8"
    if utf8_row is not None:
        rows = sorted({bad_row, utf8_row})
        message = (
            f"In {path.name} staan twee tekensets door elkaar: rij {rows[0]} en rij {rows[-1]} "
            "zijn verschillend opgeslagen, zodat letters als ë en ç in een van beide verkeerd "
            "zouden worden gelezen. Sla het bestand in Excel op als 'CSV UTF-8 (door komma's "
            "gescheiden)' en probeer het opnieuw."
        )
        raise ImportFileError(message, [ImportProblem(row, None, message) for row in rows])
    if undefined_row is not None:
        raise _unreadable_characters(path, undefined_row)
    return "cp1252", "Windows-1252"


def _first_non_ascii_line(data: bytes) -> int:
    """How many line breaks come before the first byte outside ASCII."""
    found = _NON_ASCII.search(data)
    return data[: found.start() if found else len(data)].count(b"\n")


def _unreadable_characters(path: Path, row: int | None = None) -> ImportFileError:
    where = f" (rij {row})" if row is not None else ""
    message = (
        f"De tekens in {path.name}{where} kunnen niet worden gelezen. Sla het bestand in Excel "
        "op als 'CSV UTF-8 (door komma's gescheiden)' en probeer het opnieuw."
    )
    return ImportFileError(message, [ImportProblem(row, None, message)] if row else [])


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    return control > max(2, len(sample) // 200)


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns; ties go to ';',
    which Dutch Excel writes."""
    lines = [line for line in text[:100_000].splitlines() if line.strip()][:30]
    best, best_width = ";", 0
    for delimiter in DELIMITERS:
        widths = sorted(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width = widths[len(widths) // 2] if widths else 0
        if width > best_width:
            best, best_width = delimiter, width
    return best


def _unwrap_excel_text(cell: str) -> str:
    # Some exports write ="0612345678" so that Excel keeps the leading zero. '="PRO"&"4A"'
    # is no such text but a formula, and stays as it is.
    if cell.startswith('="') and cell.endswith('"') and len(cell) >= 3 and '"' not in cell[2:-1]:
        return cell[2:-1]
    return cell


def build_table(
    path: Path, grid: list[list[str]], description: str, strict_width: bool
) -> ImportTable:
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()
    header_index = find_header_row(grid)
    if header_index is None:
        raise ImportFileError(f"{path.name} bevat geen gegevens. {EXPORT_AGAIN}")
    header = [cell.strip() for cell in grid[header_index]]
    while header and not header[-1]:
        header.pop()
    filled = [cell for cell in header if cell]
    if len(filled) == 1 and any(sep in filled[0] for sep in ";,\t|"):
        raise ImportFileError(
            f"In {path.name} staat alles in één kolom: '{_shorten(filled[0])}'. Het "
            "scheidingsteken tussen de kolommen is niet herkend. Exporteer het bestand opnieuw "
            "als CSV, of open het in Excel, kies Gegevens > Tekst naar kolommen en sla het op als "
            "Excel-werkmap (.xlsx)."
        )
    data = grid[header_index + 1 :]
    if not any(any(cell.strip() for cell in row) for row in data):
        raise ImportFileError(
            f"{path.name} bevat alleen een kopregel en geen leerlingen. {EXPORT_AGAIN}"
        )
    if strict_width:
        _check_width(path, header, data, header_index + 2)
    else:
        width = max(len(row) for row in data)
        last_used = max(
            (i for row in data for i, cell in enumerate(row) if cell.strip()), default=0
        )
        header += [""] * (min(width, last_used + 1) - len(header))
    return ImportTable(
        source=path,
        headers=tuple(header),
        rows=tuple(tuple(row) for row in data),
        description=description,
        header_row=header_index + 1,
    )


def _check_width(path: Path, header: list[str], data: list[list[str]], first_row: int) -> None:
    """A CSV row with more values than headers has a delimiter inside a value: every value
    after it would land in the wrong column."""
    crooked = [
        ImportProblem(
            first_row + i,
            None,
            f"Rij {first_row + i} heeft {len(row)} waarden, de kopregel {len(header)}. "
            "Waarschijnlijk staat er een scheidingsteken in een naam of adres. Zet zulke waarden "
            "tussen aanhalingstekens of exporteer het bestand opnieuw.",
        )
        for i, row in enumerate(data)
        if any(cell.strip() for cell in row[len(header) :])
    ]
    if crooked:
        rows = ", ".join(str(p.row) for p in crooked[:5])
        raise ImportFileError(
            f"{counted(len(crooked), 'rij', 'rijen')} in {path.name} hebben meer waarden dan de kopregel "
            f"(rij {rows}). Waarschijnlijk staat er een scheidingsteken in een naam of adres. "
            "Zet zulke waarden tussen aanhalingstekens of exporteer het bestand opnieuw.",
            crooked[:MAX_REPORTED],
        )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
