"""What the readers do not tell: merged cells and formulas on the first sheet of a workbook.

polars (calamine) returns a merged range's value in its first cell only and a formula's
cached result as if it were typed, so the import looks at the file itself: the sheet XML
of an .xlsx (a zip) and the BIFF8 records of an .xls (an OLE compound file). Standard
library only; the sheet is read in chunks so a large file costs no more memory than a
chunk. Anything unreadable here is left to the reader, which reports its own error.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

CHUNK = 1 << 20
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# a formula element, with or without a namespace prefix: <f>, <f t="shared" .../>, <x:f>
_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3}\d+)\"[^>]*>\s*<(?:\w+:)?f[\s>/](.*?)</(?:\w+:)?c>", re.S
)
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?\bref=\"([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)\"")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Cell:
    row: int  # as the spreadsheet shows it (1 = header)
    column: int  # 0-based

    @property
    def ref(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@dataclass
class SheetFeatures:
    merged: list[tuple[Cell, Cell]] = field(default_factory=list)
    formulas: list[Cell] = field(default_factory=list)
    formulas_without_value: list[Cell] = field(default_factory=list)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def parse_ref(ref: str) -> Cell:
    match = _CELL_REF.match(ref)
    if not match:
        raise ValueError(ref)
    letters, row = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return Cell(int(row), column - 1)


def sheet_features(path: str | Path) -> SheetFeatures:
    """Merged ranges and formula cells of the first sheet; empty for csv and parquet."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_features(path)
        if suffix == ".xls":
            return _xls_features(path.read_bytes())
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ElementTree.ParseError, struct.error):
        pass  # not a workbook we can look into; the reader will say what is wrong
    return SheetFeatures()


# --- xlsx ------------------------------------------------------------------------------


def _first_sheet_member(archive: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = workbook.find(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet")
    if first is None:
        raise KeyError("no sheet")
    relation_id = first.get(f"{_REL_NS}id")
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for relation in relations.iter(f"{_PKG_REL_NS}Relationship"):
        if relation.get("Id") == relation_id:
            target = relation.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise KeyError(relation_id)


def _xlsx_features(path: Path) -> SheetFeatures:
    features = SheetFeatures()
    with zipfile.ZipFile(path) as archive, archive.open(_first_sheet_member(archive)) as sheet:
        carry = b""
        while True:
            chunk = sheet.read(CHUNK)
            data = carry + chunk
            if chunk:
                # scan whole rows only; the rest waits for the next round
                cut = data.rfind(b"</row>")
                if cut < 0:
                    carry = data
                    continue
                cut += len(b"</row>")
                data, carry = data[:cut], data[cut:]
            _scan_xlsx_chunk(data, features)
            if not chunk:
                return features


def _scan_xlsx_chunk(data: bytes, features: SheetFeatures) -> None:
    if any(mark in data for mark in _FORMULA_MARKS):
        for ref, rest in _FORMULA_CELL.findall(data):
            cell = parse_ref(ref.decode())
            features.formulas.append(cell)
            if not _HAS_VALUE.search(rest):
                features.formulas_without_value.append(cell)
    if b"mergeCell" in data:
        for ref in _MERGE.findall(data):
            first, _, last = ref.decode().partition(":")
            features.merged.append((parse_ref(first), parse_ref(last or first)))


# --- xls (BIFF8 in an OLE compound file) -------------------------------------------------

_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFE
_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
_BIFF_FORMULA, _BIFF_MERGED = 0x0006, 0x00E5


def _xls_features(raw: bytes) -> SheetFeatures:
    stream = _ole_stream(raw, ("Workbook", "Book"))
    features = SheetFeatures()
    sheet_offset = None
    for record, offset, body in _biff_records(stream, 0):
        if record == _BIFF_BOUNDSHEET and body[5] == 0 and sheet_offset is None:  # first worksheet
            sheet_offset = struct.unpack_from("<I", body)[0]
        elif record == _BIFF_EOF and offset > 0:
            break
    if sheet_offset is None:
        return features
    for record, offset, body in _biff_records(stream, sheet_offset):
        if record == _BIFF_FORMULA:
            row, column = struct.unpack_from("<HH", body)
            features.formulas.append(Cell(row + 1, column))
            if body[6] == 3 and body[12:14] == b"\xff\xff":  # the cached result is empty
                features.formulas_without_value.append(Cell(row + 1, column))
        elif record == _BIFF_MERGED:
            (count,) = struct.unpack_from("<H", body)
            for index in range(count):
                first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", body, 2 + 8 * index)
                features.merged.append((Cell(first_row + 1, first_col), Cell(last_row + 1, last_col)))
        elif record == _BIFF_EOF and offset > sheet_offset:
            break
    return features


def _biff_records(stream: bytes, start: int):
    offset = start
    while offset + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, offset)
        yield record, offset, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length


def _ole_stream(raw: bytes, names: tuple[str, ...]) -> bytes:
    """One stream of an OLE compound file (MS-CFB), by name."""
    if raw[:8] != _OLE_SIGNATURE:
        raise ValueError("not an OLE file")
    sector_size = 1 << struct.unpack_from("<H", raw, 30)[0]
    mini_size = 1 << struct.unpack_from("<H", raw, 32)[0]
    first_directory, _, cutoff, first_minifat, _, first_difat, difat_count = struct.unpack_from(
        "<IIIIIII", raw, 48
    )

    def sector(number: int) -> bytes:
        start = (number + 1) * sector_size
        return raw[start : start + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", raw, 76))
    next_difat = first_difat
    for _ in range(difat_count):
        entries = struct.unpack(f"<{sector_size // 4}I", sector(next_difat))
        fat_sectors.extend(entries[:-1])
        next_difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors:
        if number < _END_OF_CHAIN - 1:
            fat.extend(struct.unpack(f"<{sector_size // 4}I", sector(number)))

    def chain(first: int, table: list[int], read, limit: int) -> bytes:
        parts, number = [], first
        while number < len(table) and len(parts) < limit:
            parts.append(read(number))
            number = table[number]
        return b"".join(parts)

    directory = chain(first_directory, fat, sector, len(fat))
    entries = []
    for start in range(0, len(directory) - 127, 128):
        entry = directory[start : start + 128]
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le", "replace")
        kind = entry[66]
        first_sector, size = struct.unpack_from("<IQ", entry, 116)
        entries.append((name, kind, first_sector, size & 0xFFFFFFFF if sector_size == 512 else size))
    root = next(e for e in entries if e[1] == 5)
    wanted = next(e for e in entries if e[1] == 2 and e[0] in names)
    _, _, first_sector, size = wanted
    if size >= cutoff:
        return chain(first_sector, fat, sector, len(fat))[:size]
    mini_stream = chain(root[2], fat, sector, len(fat))
    minifat_raw = chain(first_minifat, fat, sector, len(fat))
    minifat = list(struct.unpack(f"<{len(minifat_raw) // 4}I", minifat_raw))

    def mini_sector(number: int) -> bytes:
        return mini_stream[number * mini_size : (number + 1) * mini_size]

    return chain(first_sector, minifat, mini_sector, len(minifat))[:size]
