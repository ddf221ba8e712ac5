"""More than 200 import files that must be refused, written into a folder in a few seconds.

Each file comes with what the coordinator should be told: the row (and column) of the problem
where the file has one place that is wrong, and words the message must hold. The files are
built from a realistic export (`import_files.pupil_rows`), then damaged the way files get
damaged in practice: cut off, saved in the wrong encoding, filled with formulas, blown up,
mixed up. Random choices come from a seeded generator, so every run writes the same files.

Not generated, because no reader can tell them from a good file: a cut that falls exactly at
the end of a line, or inside the last cell of the last line (the file is then a shorter but
complete export), and text that was wrongly converted once and is now valid UTF-8 ('ZoÃ«').
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import struct
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape

from import_files import HEADERS, Cell, pupil_rows, write_xlsx

SEED = 2026
DATA_ROWS = 40


@dataclass(frozen=True)
class Malformed:
    """One bad file and what refusing it must say. `write` makes the file."""

    name: str  # the file name, also the test id
    kind: str
    write: Callable[[Path], object] = field(compare=False, repr=False)
    row: int | None = None  # a problem is reported for this row of the file (header = row 1)
    column: str | None = None  # ... in this column, named by the file's own header
    says: str = ""  # words the message (or one of the problems) must hold


class _Files:
    """Collects the files; names are numbered per kind so that every test id is unique."""

    def __init__(self) -> None:
        self.made: list[Malformed] = []
        self._count: dict[str, int] = {}

    def name(self, kind: str, name: str, suffix: str) -> str:
        number = self._count[kind] = self._count.get(kind, 0) + 1
        return f"{kind}-{number:02d}-{name}{suffix}"

    def add(
        self,
        kind: str,
        name: str,
        suffix: str,
        write: Callable[[Path], object],
        row: int | None = None,
        column: str | None = None,
        says: str = "",
    ) -> None:
        self.made.append(Malformed(self.name(kind, name, suffix), kind, write, row, column, says))

    def data(
        self,
        kind: str,
        name: str,
        suffix: str,
        data: bytes,
        row: int | None = None,
        column: str | None = None,
        says: str = "",
    ) -> None:
        self.add(kind, name, suffix, lambda p: p.write_bytes(data), row, column, says)


# --- building blocks -----------------------------------------------------------------------


def rows() -> list[list[Cell]]:
    return pupil_rows(DATA_ROWS)


def csv_bytes(
    data: Sequence[Sequence[Cell]],
    headers: Sequence[str] | None = HEADERS,
    delimiter: str = ";",
    encoding: str = "utf-8",
    quoting: int = csv.QUOTE_MINIMAL,
) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n", quoting=quoting)
    if headers is not None:
        writer.writerow(headers)
    writer.writerows([["" if cell is None else str(cell) for cell in row] for row in data])
    return stream.getvalue().encode(encoding)


def cp1252(text: str) -> bytes:
    """As Dutch Excel saves CSV; a letter it lacks (the ı of Yılmaz) becomes '?'."""
    return text.encode("cp1252", errors="replace")


def with_cell(row: int, column: str, value: Cell) -> list[list[Cell]]:
    """The base rows with one cell changed; `row` counts as in the file (header = 1)."""
    changed = rows()
    changed[row - 2][HEADERS.index(column)] = value
    return changed


# A minimal workbook written by hand, for what openpyxl refuses to write (errors, entities,
# broken references). Cells: str -> inline string, int/float -> number, _Raw -> as given.
@dataclass(frozen=True)
class _Raw:
    xml: str


def _cell_xml(ref: str, value: Cell | _Raw) -> str:
    if isinstance(value, _Raw):
        return value.xml.replace("{ref}", ref)
    if value is None or value == "":
        return ""
    if isinstance(value, bool | int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(table: Sequence[Sequence[Cell | _Raw]], before: str = "", after: str = "") -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell_xml(f"{_letter(c)}{r}", value) for c, value in enumerate(cells))
        + "</row>"
        for r, cells in enumerate(table, start=1)
    )
    return (
        f'{before}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetData>{body}</sheetData>'
        f"{after}</worksheet>"
    )


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def header_and_rows() -> list[list[Cell | _Raw]]:
    return [list(HEADERS), *[list(row) for row in rows()]]


def xlsx_parts(
    sheets: Sequence[tuple[str, str, str]],
    shared: str | None = None,
    workbook_head: str = "",
) -> dict[str, str]:
    """(name, state, sheet xml) per sheet -> the parts of a workbook."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, len(sheets) + 1)
    )
    if shared is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    if shared is not None:
        relations += (
            f'<Relationship Id="rIdS" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    sheet_list = "".join(
        f'<sheet name="{escape(name)}" sheetId="{n}" state="{state}" r:id="rId{n}"/>'
        for n, (name, state, _xml) in enumerate(sheets, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_BOOK_TYPE}"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{workbook_head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheet_list}'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}">{relations}</Relationships>',
    }
    for n, (_name, _state, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def write_parts(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


def one_sheet(xml: str, shared: str | None = None, workbook_head: str = "") -> dict[str, str]:
    return xlsx_parts([("Leerlingen", "visible", xml)], shared, workbook_head)


def xlsx_bytes(data: Sequence[Sequence[Cell]], headers: Sequence[str] | None = HEADERS) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, data, headers)  # type: ignore[arg-type]
    return buffer.getvalue()


# A thousand-fold entity expansion, ten levels deep: a billion 'lol's when expanded.
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


# --- the kinds of damage -------------------------------------------------------------------


def truncated_csv(files: _Files, rng: random.Random) -> None:
    """Cut at random bytes inside a row, before its last cell: the last row stops halfway."""
    for quoting, label, count in ((csv.QUOTE_MINIMAL, "kaal", 22), (csv.QUOTE_ALL, "quotes", 22)):
        data = csv_bytes(rows(), quoting=quoting)
        starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 0x0A]
        lines = list(enumerate(pairwise(starts[1:]), start=2))  # data lines, not the header
        for _ in range(count):
            number, (start, end) = rng.choice(lines)
            last_delimiter = data.rindex(b";", start, end)
            cut = rng.randrange(start + 1, last_delimiter + 1)
            files.data(
                "afgebroken-csv", f"{label}-rij{number}-byte{cut}", ".csv", data[:cut], row=number
            )


def truncated_xlsx(files: _Files, rng: random.Random) -> None:
    data = xlsx_bytes(rows())
    for cut in sorted(rng.sample(range(30, len(data) - 1), 24)):
        files.data("afgebroken-xlsx", f"byte{cut}", ".xlsx", data[:cut], says="beschadigd")
    files.data("afgebroken-xlsx", "alleen-kop", ".xlsx", data[:4], says="beschadigd")


def wrong_encodings(files: _Files) -> None:
    good = csv_bytes(rows())
    for codec, name in (("utf-16-le", "utf16le"), ("utf-16-be", "utf16be")):
        files.data(
            "codering", f"{name}-zonder-bom", ".csv", good.decode().encode(codec), says="UTF-16"
        )
    files.data(
        "codering",
        "utf32-met-bom",
        ".csv",
        codecs.BOM_UTF32_LE + good.decode().encode("utf-32-le"),
        says="geen CSV- of Excel-bestand",
    )
    # UTF-8 with one row saved as Windows-1252 (a row pasted in from another file).
    lines = good.split(b"\r\n")
    for number in (5, 9, 40, 41):
        mixed = list(lines)
        mixed[number - 1] = cp1252(mixed[number - 1].decode())
        assert mixed[number - 1] != lines[number - 1], number
        files.data(
            "codering",
            f"utf8-met-cp1252-in-rij{number}",
            ".csv",
            b"\r\n".join(mixed),
            row=number,
            says="tekensets door elkaar",
        )
    # Windows-1252 with one row in UTF-8.
    for number in (7, 41):
        mixed = [cp1252(line.decode()) for line in lines]
        mixed[number - 1] = lines[number - 1]
        files.data(
            "codering",
            f"cp1252-met-utf8-in-rij{number}",
            ".csv",
            b"\r\n".join(mixed),
            row=number,
            says="tekensets door elkaar",
        )
    # Byte sequences that are never UTF-8, in a file that is UTF-8 elsewhere.
    for name, bad in (
        ("overlong", b"\xc0\xaf"),
        ("los-vervolgbyte", b"\x80"),
        ("surrogaat", b"\xed\xa0\x80"),
        ("ff-fe-midden", b"\xff\xfe"),
        ("afgebroken-teken", b"\xe2\x82"),
    ):
        mixed = list(lines)
        mixed[6] = mixed[6].replace(b";PRO4", b";PRO" + bad + b"4", 1)
        files.data(
            "codering", f"ongeldig-{name}", ".csv", b"\r\n".join(mixed), row=7, says="tekensets"
        )
    # Undefined in Windows-1252 as well: the bytes 0x81, 0x8d, 0x8f, 0x90 and 0x9d.
    plain = cp1252(csv_bytes(rows()).decode())
    files.data(
        "codering",
        "cp1252-onbekend-teken",
        ".csv",
        plain.replace(b";Utrecht;", b";Utr\x81cht;", 1),
        says="kunnen niet worden gelezen",
    )
    # A UTF-8 file that ends halfway through the 'Ç' of the last row's surname.
    last = rows()
    last[-1][3] = "Çelik"
    cut_in_char = csv_bytes(last)
    position = cut_in_char.rindex("Ç".encode())
    files.data(
        "codering",
        "utf8-afgebroken-in-teken",
        ".csv",
        cut_in_char[: position + 1],
        row=DATA_ROWS + 1,
        says="halverwege",
    )


def formulas(files: _Files) -> None:
    for column, formula, row in (
        ("Tussenvoegsel", '=IF(A5="","","van")', 5),
        ("Klas", '="PRO"&"4A"', 12),
        ("Achternaam", "=VERT.ZOEKEN(A2;Blad2!A:B;2;ONWAAR)", 2),
        ("Geboortedatum", "=DATE(2009,5,14)", 30),
        ("Telefoon ouder 1", '=HYPERLINK("http://voorbeeld.nl")', 41),
    ):
        letter = _letter(HEADERS.index(column))
        files.add(
            "formule",
            f"xlsx-{letter}{row}",
            ".xlsx",
            lambda p, c=column, f=formula, r=row: write_xlsx(p, with_cell(r, c, f)),
            row=row,
            says=f"Cel {letter}{row} bevat een formule",
        )
    every = rows()
    for row in every:
        row[5] = '="PRO"&"4B"'
    files.add(
        "formule",
        "xlsx-hele-kolom",
        ".xlsx",
        lambda p: write_xlsx(p, every),
        row=2,
        says="40 cellen bevatten een formule",
    )
    # An array formula and a shared formula, as Excel writes them.
    table = header_and_rows()
    table[3][5] = _Raw('<c r="{ref}"><f t="array" ref="{ref}">TRANSPOSE(B1:B3)</f><v>x</v></c>')
    table[4][5] = _Raw('<c r="{ref}"><f t="shared" ref="F5:F9" si="0">B5&amp;"A"</f><v>y</v></c>')
    files.add(
        "formule",
        "xlsx-matrix-en-gedeeld",
        ".xlsx",
        lambda p, t=table: write_parts(p, one_sheet(sheet_xml(t))),
        row=4,
        says="bevat",
    )
    # The same in CSV: LibreOffice can save formulas instead of their values.
    for column, formula, row in (
        ("Achternaam", "=SOM(A1:A3)", 6),
        ("Roepnaam", '=HYPERLINK("http://voorbeeld.nl";"klik")', 15),
        ("Klas", "=1+1", 22),
        ("Mentor", "=cmd|' /C calc'!A0", 33),
    ):
        letter = _letter(HEADERS.index(column))
        files.data(
            "formule",
            f"csv-{letter}{row}",
            ".csv",
            csv_bytes(with_cell(row, column, formula)),
            row=row,
            says=f"Cel {letter}{row} bevat een formule",
        )
    # Excel's error values stay when formulas are pasted as values: '#N/B' is no surname.
    for value, row in (("#N/B", 8), ("#DEEL/0!", 19)):
        table = header_and_rows()
        table[row - 1][3] = _Raw(f'<c r="{{ref}}" t="e"><v>{escape(value)}</v></c>')
        letter = _letter(3)
        files.add(
            "formule",
            f"xlsx-foutwaarde-{letter}{row}",
            ".xlsx",
            lambda p, t=table: write_parts(p, one_sheet(sheet_xml(t))),
            row=row,
            says="foutwaarde",
        )


def xml_bombs(files: _Files) -> None:
    table = header_and_rows()
    table[2][3] = _Raw('<c r="{ref}" t="inlineStr"><is><t>&lol9;</t></is></c>')
    files.add(
        "xml-bom",
        "lachsalvo-in-werkblad",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(table, before=LAUGHS))),
        says="beschadigd",
    )
    shared = f'{LAUGHS}<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    with_shared = header_and_rows()
    with_shared[2][3] = _Raw('<c r="{ref}" t="s"><v>0</v></c>')
    files.add(
        "xml-bom",
        "lachsalvo-in-gedeelde-teksten",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(with_shared), shared)),
        says="beschadigd",
    )
    files.add(
        "xml-bom",
        "lachsalvo-in-werkmap",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(header_and_rows()), workbook_head=LAUGHS)),
        says="beschadigd",
    )
    quadratic = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + "a" * 50_000 + '">]>'
    big = header_and_rows()
    big[2][3] = _Raw('<c r="{ref}" t="inlineStr"><is><t>' + "&a;" * 20_000 + "</t></is></c>")
    files.add(
        "xml-bom",
        "kwadratisch",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(big, before=quadratic))),
        says="beschadigd",
    )
    external = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    leak = header_and_rows()
    leak[2][3] = _Raw('<c r="{ref}" t="inlineStr"><is><t>&xxe;</t></is></c>')
    files.add(
        "xml-bom",
        "extern-bestand",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(leak, before=external))),
        says="beschadigd",
    )
    files.add("xml-bom", "zip-bom-werkblad", ".xlsx", _zip_bomb_sheet, says="uitgepakt")
    files.add("xml-bom", "zip-bom-gedeelde-teksten", ".xlsx", _zip_bomb_shared, says="uitgepakt")
    files.add("xml-bom", "zip-liegt-over-grootte", ".xlsx", _zip_lying_size, says="beschadigd")


def _zip_bomb_sheet(path: Path) -> None:
    """600 MB of sheet that packs into less than a megabyte."""
    parts = one_sheet(sheet_xml(header_and_rows()))
    del parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            stream.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            blank = b" " * (1 << 20)
            for _ in range(600):
                stream.write(blank)
            stream.write(b"</sheetData></worksheet>")


def _zip_bomb_shared(path: Path) -> None:
    parts: dict[str, str | bytes] = dict(one_sheet(sheet_xml(header_and_rows()), shared=""))
    del parts["xl/sharedStrings.xml"]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(f'<sst xmlns="{_MAIN}"><si><t>'.encode())
            block = b"A" * (1 << 20)
            for _ in range(400):
                stream.write(block)
            stream.write(b"</t></si></sst>")


def _zip_lying_size(path: Path) -> None:
    """A sheet whose header in the zip claims far fewer bytes than it unpacks to."""
    write_parts(path, one_sheet(sheet_xml(header_and_rows())))
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, start + size_at, 100)
            start += 4
    path.write_bytes(bytes(data))


def sheet_of(body: str) -> dict[str, str]:
    """One sheet: the header row, then `body` (rows of XML) under it."""
    return one_sheet(
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'
        + "".join(_cell_xml(f"{_letter(c)}1", h) for c, h in enumerate(HEADERS))
        + f"</row>{body}</sheetData></worksheet>"
    )


def wide_sheets(files: _Files) -> None:
    """Sheets that would take minutes and gigabytes in openpyxl, written in a few kilobytes."""
    # The review's file: one row of a million numbers, without cell references.
    files.add(
        "te-groot",
        "miljoen-cellen-in-een-rij",
        ".xlsx",
        lambda path: write_parts(
            path, sheet_of("<row>" + "<c><v>1</v></c>" * 1_000_000 + "</row>")
        ),
        says="meer dan 500 kolommen",
    )
    # The same without values: empty cells, still a million positions.
    files.add(
        "te-groot",
        "miljoen-lege-cellen",
        ".xlsx",
        lambda path: write_parts(path, sheet_of('<row r="2">' + "<c/>" * 1_000_000 + "</row>")),
        says="meer dan 16.384 cellen",
    )
    # A value far to the right in each row: openpyxl fills the gap with empty cells.
    files.add(
        "te-groot",
        "ver-naar-rechts",
        ".xlsx",
        lambda path: write_parts(
            path,
            sheet_of(
                "".join(
                    f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="XFD{r}" s="1"/></row>'
                    for r in range(2, 200)
                )
            ),
        ),
        says="meer dan 2.000.000 cellen",
    )
    files.add(
        "te-groot",
        "kolom-600",
        ".xlsx",
        lambda path: write_parts(
            path,
            sheet_of('<row r="2"><c r="A2"><v>1</v></c><c r="WB2"><v>2</v></c></row>'),
        ),
        says="meer dan 500 kolommen",
    )


def a_million_rows(files: _Files) -> None:
    def write(path: Path) -> None:
        line = "{};Sanne;van der;Jansen;14-05-2009;PRO4A;mw. A. Kramer;Utrecht\r\n"
        with path.open("wb") as stream:
            stream.write(
                b"Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;"
                b"Klas;Mentor;Woonplaats\r\n"
            )
            for first in range(0, 1_000_000, 50_000):
                block = "".join(line.format(300000 + n) for n in range(first, first + 50_000))
                stream.write(block.encode("ascii"))

    files.add("miljoen", "rijen", ".csv", write, says="meer dan 100.000 rijen")

    def write_xlsx_rows(path: Path) -> None:
        parts = one_sheet(sheet_xml([list(HEADERS[:4])]))
        body = "".join(
            f'<row r="{r}"><c r="A{r}"><v>{300000 + r}</v></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>Sanne</t></is></c>'
            f'<c r="D{r}" t="inlineStr"><is><t>Jansen</t></is></c></row>'
            for r in range(2, 120_002)
        )
        parts["xl/worksheets/sheet1.xml"] = (
            f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">'
            + "".join(_cell_xml(f"{_letter(c)}1", h) for c, h in enumerate(HEADERS[:4]))
            + f"</row>{body}</sheetData></worksheet>"
        )
        write_parts(path, parts)

    files.add("miljoen", "120000-rijen", ".xlsx", write_xlsx_rows, says="meer dan 100.000 rijen")
    files.data(
        "miljoen",
        "lege-regels",
        ".csv",
        csv_bytes(rows()[:3]) + b";;;;;;;;;\r\n" * 150_000 + b"1;a;;b;;;;;;\r\n",
        says="meer dan 100.000 rijen",
    )


def impossible_dates(files: _Files) -> None:
    column = "Geboortedatum"
    for text, row, says in (
        ("31-02-2009", 3, "bestaat niet"),
        ("29-02-2009", 7, "bestaat niet"),
        ("00-00-0000", 11, "bestaat niet"),
        ("2009-13-01", 14, "bestaat niet"),
        ("01-01-2099", 18, "in de toekomst"),
        ("32-01-2009", 21, "bestaat niet"),
        ("14-05-1850", 25, "niet mogelijk"),
        ("14/05/09", 28, "geen datum"),
        ("gisteren", 31, "geen datum"),
        ("2009-05-14 13:45", 34, "geen datum"),
        ("30-02-2008", 37, "bestaat niet"),
        ("-14-05-2009", 40, "geen datum"),
    ):
        for suffix in (".csv", ".xlsx"):
            changed = with_cell(row, column, text)
            name = f"{text.replace('/', '-').replace(' ', '_').replace(':', '')}-rij{row}"
            if suffix == ".csv":
                files.data("datum", name, suffix, csv_bytes(changed), row, column, says)
            else:
                files.add(
                    "datum", name, suffix, lambda p, c=changed: write_xlsx(p, c), row, column, says
                )
    future = with_cell(9, column, datetime(2031, 3, 1))
    files.add(
        "datum",
        "xlsx-datumcel-toekomst",
        ".xlsx",
        lambda p: write_xlsx(p, future),
        9,
        column,
        "in de toekomst",
    )
    # Excel has no dates before 1900: such a cell reads back as the time 00:00.
    old = with_cell(10, column, date(1899, 12, 31))
    files.add(
        "datum",
        "xlsx-datumcel-1899",
        ".xlsx",
        lambda p: write_xlsx(p, old),
        10,
        column,
        "geen datum",
    )


def duplicates(files: _Files) -> None:
    column = "Leerlingnummer"
    for first, second in ((2, 3), (5, 41), (12, 30)):
        changed = rows()
        changed[second - 2][0] = changed[first - 2][0]
        for suffix in (".csv", ".xlsx"):
            name = f"rij{first}-en-rij{second}"
            if suffix == ".csv":
                files.data(
                    "dubbel",
                    name,
                    suffix,
                    csv_bytes(changed),
                    second,
                    column,
                    f"in rij {first} en in rij {second}",
                )
            else:
                files.add(
                    "dubbel",
                    name,
                    suffix,
                    lambda p, c=changed: write_xlsx(p, c),
                    second,
                    column,
                    f"in rij {first} en in rij {second}",
                )
    spaced = rows()
    spaced[20][0] = f"  {spaced[4][0]} "
    files.data("dubbel", "met-spaties", ".csv", csv_bytes(spaced), 22, column, "twee keer")
    numeric = rows()
    numeric[0][0] = 300001
    numeric[6][0] = "300001"
    files.add(
        "dubbel",
        "getal-en-tekst",
        ".xlsx",
        lambda p: write_xlsx(p, numeric),
        8,
        column,
        "twee keer",
    )
    triple = rows()
    triple[10][0] = triple[11][0] = triple[9][0]
    files.data("dubbel", "drie-keer", ".csv", csv_bytes(triple), 12, column, "twee keer")
    whole = rows() + rows()[:5]
    files.data(
        "dubbel", "bestand-twee-keer-geplakt", ".csv", csv_bytes(whole), 42, column, "twee keer"
    )


def leerlingnummers(files: _Files) -> None:
    """Numbers that identify no pupil: zero, negative, a fraction, digits Excel rounded away,
    too many digits. As text in a CSV and a workbook, and as number cells in a workbook."""
    column = "Leerlingnummer"
    for name, value, row, says in (
        ("nul", "0", 3, "'0' is geen leerlingnummer"),
        ("nullen", "0000", 4, "'0000' is geen leerlingnummer"),
        ("negatief", "-5", 7, "minteken"),
        ("met-decimalen", "300006,5", 9, "een heel getal"),
        ("afgerond-door-excel", "3,0001E+05", 14, "ontbreken cijfers"),
        ("21-cijfers", "3" * 21, 20, "hoogstens 20"),
    ):
        data = with_cell(row, column, value)
        files.data("leerlingnummer", name, ".csv", csv_bytes(data), row, column, says)
        files.add(
            "leerlingnummer", name, ".xlsx", lambda p, d=data: write_xlsx(p, d), row, column, says
        )
    for name, number, row, says in (
        ("getalcel-nul", 0, 5, "'0' is geen leerlingnummer"),
        ("getalcel-negatief", -300004, 6, "minteken"),
        ("getalcel-met-decimalen", 300007.5, 8, "een heel getal"),
        ("getalcel-afgerond", 3.0001e25, 11, "ontbreken cijfers"),
    ):
        data = with_cell(row, column, number)
        files.add(
            "leerlingnummer", name, ".xlsx", lambda p, d=data: write_xlsx(p, d), row, column, says
        )


def columns_twice(files: _Files) -> None:
    """Two columns for one field: which one holds the data cannot be told."""
    for name, headers, extra, column, says in (
        (
            "stamnummer-naast-leerlingnummer",
            (*HEADERS, "Stamnummer"),
            True,
            "Leerlingnummer",
            "'Leerlingnummer' (kolom A) en 'Stamnummer' (kolom K)",
        ),
        (
            "leerlingnummer-twee-keer",
            (*HEADERS, "leerling nummer"),
            True,
            "Leerlingnummer",
            "'Leerlingnummer' (kolom A) en 'leerling nummer' (kolom K)",
        ),
        (
            "klas-twee-keer",
            tuple("Klas" if h == "Mentor" else h for h in HEADERS),
            False,
            "Klas",
            "'Klas' (kolom F) en 'Klas' (kolom G)",
        ),
    ):
        data = [[*row, f"9{row[0]}"] if extra else row for row in rows()]
        files.data("kolom-dubbel", name, ".csv", csv_bytes(data, headers), column=column, says=says)
        files.add(
            "kolom-dubbel",
            name,
            ".xlsx",
            lambda p, d=data, h=headers: write_xlsx(p, d, h),
            column=column,
            says=says,
        )


def missing_columns(files: _Files) -> None:
    for dropped, says in (
        ("Leerlingnummer", "geen kolom voor het leerlingnummer"),
        ("Roepnaam", "geen kolom voor de roepnaam"),
        ("Achternaam", "geen kolom voor de achternaam"),
    ):
        keep = [i for i, h in enumerate(HEADERS) if h != dropped]
        headers = [HEADERS[i] for i in keep]
        data = [[row[i] for i in keep] for row in rows()]
        files.data(
            "kolom", f"zonder-{dropped.lower()}", ".csv", csv_bytes(data, headers), says=says
        )
        files.add(
            "kolom",
            f"zonder-{dropped.lower()}",
            ".xlsx",
            lambda p, d=data, h=headers: write_xlsx(p, d, h),
            says=says,
        )
    only = [[row[5], row[6]] for row in rows()]
    files.data(
        "kolom",
        "alleen-klas-en-mentor",
        ".csv",
        csv_bytes(only, ["Klas", "Mentor"]),
        says="Er is geen kolom voor",
    )
    files.data(
        "kolom",
        "zonder-kopregel",
        ".csv",
        csv_bytes(rows(), headers=None),
        says="Er is geen kolom voor",
    )
    english = [
        "Student ID",
        "First name",
        "Prefix",
        "Last name",
        "Date of birth",
        "Class",
        "Tutor",
        "City",
        "Parent",
        "Parent phone",
    ]
    files.data(
        "kolom", "engelse-koppen", ".csv", csv_bytes(rows(), english), says="Er is geen kolom voor"
    )
    titled = b"Export\r\n" * 14 + csv_bytes(rows())
    # The header is looked for in the first ten lines only; the rows are then 'too wide'.
    files.data(
        "kolom",
        "kop-onder-veertien-titelregels",
        ".csv",
        titled,
        row=15,
        says="meer waarden dan de kopregel",
    )


def empty_files(files: _Files) -> None:
    files.data("leeg", "nul-bytes", ".csv", b"", says="is leeg")
    files.data("leeg", "nul-bytes", ".xlsx", b"", says="is leeg")
    files.data("leeg", "alleen-bom", ".csv", codecs.BOM_UTF8, says="bevat geen gegevens")
    files.data("leeg", "alleen-regeleinden", ".csv", b"\r\n" * 50, says="bevat geen gegevens")
    files.data(
        "leeg", "alleen-scheidingstekens", ".csv", b";;;;\r\n" * 20, says="bevat geen gegevens"
    )
    files.data("leeg", "alleen-spaties", ".csv", b"   \t  \r\n  \r\n", says="bevat geen gegevens")
    files.data("leeg", "alleen-kopregel", ".csv", csv_bytes([]), says="alleen een kopregel")
    files.data(
        "leeg",
        "kopregel-en-lege-rijen",
        ".csv",
        csv_bytes([[""] * 10] * 30),
        says="alleen een kopregel",
    )
    files.add(
        "leeg", "alleen-kopregel", ".xlsx", lambda p: write_xlsx(p, []), says="alleen een kopregel"
    )
    files.add(
        "leeg",
        "lege-werkmap",
        ".xlsx",
        lambda p: write_xlsx(p, [], headers=None),
        says="bevat geen gegevens",
    )
    files.add(
        "leeg",
        "geen-werkbladen",
        ".xlsx",
        lambda p: write_parts(p, xlsx_parts([])),
        says="bevat geen gegevens",
    )
    styled = [list(HEADERS), *[[_Raw('<c r="{ref}" s="0"/>')] * 10 for _ in range(200)]]
    files.add(
        "leeg",
        "kopregel-en-opgemaakte-lege-rijen",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(styled))),
        says="alleen een kopregel",
    )


def binary_junk(files: _Files, rng: random.Random) -> None:
    noise = bytes(rng.randrange(256) for _ in range(50_000))
    no_zeros = bytes(rng.randrange(1, 256) for _ in range(50_000))
    junk = {
        "ruis": noise,
        "ruis-zonder-nullen": no_zeros,
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise[:4000],
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Length 4000/Filter/FlateDecode>>stream\n"
        + noise[:4000],
        "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + noise[:4000],
        "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + noise[:4000],
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + noise[:4000],
        "elf": b"\x7fELF\x02\x01\x01\x00" + noise[:4000],
    }
    for name, data in junk.items():
        for suffix in (".csv", ".xlsx"):
            files.data("binair", name, suffix, data, says="geen CSV- of Excel-bestand")
    files.data(
        "binair", "zip-kop-met-ruis", ".xlsx", b"PK\x03\x04" + noise[:8000], says="beschadigd"
    )
    files.data(
        "binair", "zip-kop-met-ruis", ".csv", b"PK\x03\x04" + noise[:8000], says="beschadigd"
    )
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    files.data("binair", "oud-xls", ".xlsx", ole, says="oud Excel-bestand")
    files.data("binair", "met-wachtwoord", ".xlsx", ole, says="wachtwoord")

    def office(path: Path, main: str, parts: dict[str, str]) -> None:
        write_parts(path, {"[Content_Types].xml": "<Types/>", main: "<document/>", **parts})

    files.add(
        "binair",
        "docx-hernoemd",
        ".xlsx",
        lambda p: office(p, "word/document.xml", {"word/styles.xml": "<styles/>"}),
        says="zip-bestand met iets anders erin",
    )
    files.add(
        "binair",
        "pptx-hernoemd",
        ".xlsx",
        lambda p: office(p, "ppt/presentation.xml", {}),
        says="zip-bestand met iets anders erin",
    )
    files.add(
        "binair",
        "ods-hernoemd",
        ".xlsx",
        lambda p: write_parts(
            p,
            {
                "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": "<office/>",
            },
        ),
        says="zip-bestand met iets anders erin",
    )
    files.add(
        "binair",
        "docx-hernoemd",
        ".csv",
        lambda p: office(p, "word/document.xml", {}),
        says="zip-bestand met iets anders erin",
    )
    files.data(
        "binair",
        "html-als-xls",
        ".csv",
        b"<html><body><table><tr><td>Leerlingnummer</td><td>Naam</td></tr>"
        b"<tr><td>1</td><td>Sanne</td></tr></table></body></html>\r\n",
        says="alleen een kopregel",
    )


def wrong_delimiters(files: _Files) -> None:
    files.data(
        "scheidingsteken",
        "pijp",
        ".csv",
        csv_bytes(rows(), delimiter="|"),
        says="staat alles in één kolom",
    )
    files.data(
        "scheidingsteken",
        "dubbele-punt",
        ".csv",
        csv_bytes(rows(), delimiter=":"),
        says="Er is geen kolom voor",
    )
    text = csv_bytes(rows()).decode().replace(";", "  ")
    files.data("scheidingsteken", "spaties", ".csv", text.encode(), says="Er is geen kolom voor")
    head, _, rest = csv_bytes(rows()).partition(b"\r\n")
    files.data(
        "scheidingsteken",
        "kop-puntkomma-data-komma",
        ".csv",
        head + b"\r\n" + rest.replace(b";", b","),
        says="staat alles in één kolom",
    )
    quoted = b"\r\n".join(b'"' + line + b'"' for line in csv_bytes(rows()).split(b"\r\n") if line)
    files.data(
        "scheidingsteken",
        "elke-regel-tussen-aanhalingstekens",
        ".csv",
        quoted,
        says="staat alles in één kolom",
    )
    files.data(
        "scheidingsteken",
        "naam-met-puntkomma-zonder-aanhalingstekens",
        ".csv",
        csv_bytes(rows()).replace(b";Jansen;", b";Jansen;Smit;", 1),
        row=2,
        says="meer waarden dan de kopregel",
    )


def control_characters(files: _Files) -> None:
    for name, character, row, column in (
        ("bel", "\x07", 4, "Roepnaam"),
        ("escape", "\x1b", 9, "Achternaam"),
        ("backspace", "\x08", 13, "Mentor"),
        ("del", "\x7f", 17, "Klas"),
        ("nel-c1", "\x85", 23, "Woonplaats"),
        ("nul", "\x00", 27, "Roepnaam"),
        ("einde-tekst", "\x03", 35, "Naam ouder 1"),
    ):
        changed = rows()
        index = HEADERS.index(column)
        # Inside the value: at its ends some of them count as white space and are trimmed.
        value = str(changed[row - 2][index])
        changed[row - 2][index] = value[:2] + character + value[2:]
        data = csv_bytes(changed)
        says = "geen CSV- of Excel-bestand" if character == "\x00" else "stuurteken"
        files.data(
            "stuurteken",
            name,
            ".csv",
            data,
            row=None if character == "\x00" else row,
            column=None if character == "\x00" else column,
            says=says,
        )
    many = csv_bytes(rows()).replace(b";", b"\x01;")
    files.data("stuurteken", "overal", ".csv", many, says="geen CSV- of Excel-bestand")
    table = header_and_rows()
    table[5][1] = _Raw('<c r="{ref}" t="inlineStr"><is><t>Noa_x0007_</t></is></c>')
    files.add(
        "stuurteken",
        "xlsx-escape-bel",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(table))),
        row=6,
        column="Roepnaam",
        says="stuurteken",
    )


def long_cells(files: _Files) -> None:
    for column, length, row in (
        ("Roepnaam", 10_000, 3),
        ("Achternaam", 131_100, 5),
        ("Klas", 1_000_000, 8),
    ):
        data = csv_bytes(with_cell(row, column, "x" * length))
        says = "te lang" if length < 131_072 else "veel te lang"
        files.data(
            "lange-cel",
            f"{column.lower()}-{length}",
            ".csv",
            data,
            row=row,
            column=column if length < 131_072 else None,
            says=says,
        )
    files.add(
        "lange-cel",
        "xlsx-achternaam-32767",
        ".xlsx",
        lambda p: write_xlsx(p, with_cell(6, "Achternaam", "y" * 32_767)),
        row=6,
        column="Achternaam",
        says="te lang",
    )
    files.add(
        "lange-cel",
        "xlsx-mentor-5000",
        ".xlsx",
        lambda p: write_xlsx(p, with_cell(40, "Mentor", "Mentor " * 700)),
        row=40,
        column="Mentor",
        says="te lang",
    )


def workbook_oddities(files: _Files) -> None:
    data_sheet = sheet_xml(header_and_rows())
    empty_sheet = sheet_xml([])
    files.add(
        "werkmap",
        "alleen-verborgen-blad-heeft-gegevens",
        ".xlsx",
        lambda p: write_parts(
            p, xlsx_parts([("Oud", "hidden", data_sheet), ("Leerlingen", "visible", empty_sheet)])
        ),
        says="verborgen werkblad",
    )
    files.add(
        "werkmap",
        "alleen-heel-verborgen-blad",
        ".xlsx",
        lambda p: write_parts(
            p, xlsx_parts([("Oud", "veryHidden", data_sheet), ("Leeg", "visible", empty_sheet)])
        ),
        says="verborgen werkblad",
    )
    merged_header = [
        ["Leerling", "", "", "Geboortedatum"],
        ["Leerlingnummer", "Naam", "", "Geboortedatum"],
        *[[r[0], r[1], r[3], r[4]] for r in rows()],
    ]
    files.add(
        "werkmap",
        "samengevoegde-kopcellen",
        ".xlsx",
        lambda p: write_parts(
            p,
            one_sheet(
                sheet_xml(
                    merged_header,
                    after='<mergeCells count="1"><mergeCell ref="B2:C2"/></mergeCells>',
                )
            ),
        ),
        says="Er is geen kolom voor",
    )
    merged = header_and_rows()
    for r in (6, 7, 8):
        merged[r - 1][3] = ""
    files.add(
        "werkmap",
        "samengevoegde-achternamen",
        ".xlsx",
        lambda p: write_parts(
            p,
            one_sheet(
                sheet_xml(
                    merged, after='<mergeCells count="1"><mergeCell ref="D5:D8"/></mergeCells>'
                )
            ),
        ),
        row=6,
        column="Achternaam",
        says="Deze cel is leeg",
    )
    merged_numbers = header_and_rows()
    merged_numbers[10][0] = ""
    files.add(
        "werkmap",
        "samengevoegde-leerlingnummers",
        ".xlsx",
        lambda p: write_parts(
            p,
            one_sheet(
                sheet_xml(
                    merged_numbers,
                    after='<mergeCells count="1"><mergeCell ref="A10:A11"/></mergeCells>',
                )
            ),
        ),
        row=11,
        column="Leerlingnummer",
        says="Deze cel is leeg",
    )
    broken = header_and_rows()
    broken[4][1] = _Raw('<c r="{ref}" t="s"><v>99999</v></c>')
    shared = f'<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>Noa</t></si></sst>'
    files.add(
        "werkmap",
        "gedeelde-tekst-bestaat-niet",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(broken), shared)),
        says="beschadigd",
    )
    missing_part = one_sheet(data_sheet)
    del missing_part["xl/worksheets/sheet1.xml"]
    files.add(
        "werkmap",
        "werkblad-ontbreekt",
        ".xlsx",
        lambda p: write_parts(p, dict(missing_part)),
        says="bevat geen gegevens",
    )
    files.add(
        "werkmap",
        "werkblad-half-xml",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(data_sheet[: len(data_sheet) // 2])),
        says="beschadigd",
    )
    text_number = header_and_rows()
    text_number[3][0] = _Raw('<c r="{ref}" t="n"><v>drie</v></c>')
    files.add(
        "werkmap",
        "tekst-in-getalcel",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(sheet_xml(text_number))),
        says="beschadigd",
    )
    far = sheet_xml(header_and_rows()).replace(
        "</sheetData>",
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>1</t></is></c></row></sheetData>',
    )
    files.add(
        "werkmap",
        "laatste-excelrij-gevuld",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(far)),
        says="meer dan 100.000 rijen",
    )
    beyond = sheet_xml(header_and_rows()).replace(
        "</sheetData>",
        '<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>1</t></is></c></row></sheetData>',
    )
    files.add(
        "werkmap",
        "rij-voorbij-excel",
        ".xlsx",
        lambda p: write_parts(p, one_sheet(beyond)),
        says="beschadigd",
    )
    not_xml = one_sheet(data_sheet)
    files.add(
        "werkmap",
        "werkmap-xml-kapot",
        ".xlsx",
        lambda p: write_parts(p, {**not_xml, "xl/workbook.xml": "<workbook><niet af"}),
        says="beschadigd",
    )
    wrong_dates = header_and_rows()
    wrong_dates[6][4] = _Raw('<c r="{ref}" s="1"><v>99999999999</v></c>')
    styles = (
        f'<styleSheet xmlns="{_MAIN}"><numFmts count="0"/><fonts count="1"><font/></fonts>'
        '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/>'
        '<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'
    )

    def date_out_of_range(path: Path) -> None:
        parts: dict[str, str | bytes] = dict(one_sheet(sheet_xml(wrong_dates)))
        parts["xl/styles.xml"] = styles
        parts["xl/_rels/workbook.xml.rels"] = str(parts["xl/_rels/workbook.xml.rels"]).replace(
            "</Relationships>",
            f'<Relationship Id="rIdT" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        )
        write_parts(path, parts)

    files.add("werkmap", "datumcel-buiten-bereik", ".xlsx", date_out_of_range, says="beschadigd")


def csv_structure(files: _Files) -> None:
    data = csv_bytes(rows())
    files.data(
        "structuur",
        "aanhalingsteken-niet-gesloten",
        ".csv",
        data.replace(b";Utrecht;", b';"Utrecht;', 1),
        row=2,
        says="aanhalingsteken",
    )
    files.data(
        "structuur",
        "aanhalingsteken-open-aan-het-eind",
        ".csv",
        data + b'300099;"Noa;;Jansen;14-05-2009',
        row=DATA_ROWS + 2,
        says="aanhalingsteken",
    )
    crooked = csv_bytes(rows()).replace(b";PRO4A;", b";PRO4A;extra;", 3)
    files.data(
        "structuur",
        "drie-rijen-scheef",
        ".csv",
        crooked,
        row=2,
        says="meer waarden dan de kopregel",
    )
    files.data(
        "structuur",
        "nul-bytes-midden",
        ".csv",
        data[:500] + b"\x00\x00\x00" + data[500:],
        says="geen CSV- of Excel-bestand",
    )
    # Two exports glued together (copy a.csv+b.csv): the second BOM and header become a row.
    files.data(
        "structuur",
        "twee-bestanden-aan-elkaar",
        ".csv",
        codecs.BOM_UTF8 + data + codecs.BOM_UTF8 + data,
        row=DATA_ROWS + 2,
        column="Geboortedatum",
        says="geen datum",
    )


def generate(folder: Path, seed: int = SEED) -> list[Malformed]:
    """Write every malformed file into `folder` and return them with what must be said."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = plan(seed)
    for case in cases:
        case.write(folder / case.name)
    return cases


def plan(seed: int = SEED) -> list[Malformed]:
    """The files and what must be said, without writing them: cheap enough for collecting
    test ids. The big ones (a million rows, the zip bombs) are only made by `write`."""
    files = _Files()
    rng = random.Random(seed)
    truncated_csv(files, rng)
    truncated_xlsx(files, rng)
    wrong_encodings(files)
    formulas(files)
    xml_bombs(files)
    a_million_rows(files)
    wide_sheets(files)
    impossible_dates(files)
    duplicates(files)
    leerlingnummers(files)
    columns_twice(files)
    missing_columns(files)
    empty_files(files)
    binary_junk(files, rng)
    wrong_delimiters(files)
    control_characters(files)
    long_cells(files)
    workbook_oddities(files)
    csv_structure(files)
    return files.made
