"""Checks on a spreadsheet file before any parser sees it, shared by every reader.

A file is refused, in one sentence naming it, when it is too big, is not a zip (an old
``.xls``, a password-protected file, a renamed csv, something else), is an OpenDocument
or Word file, or is a zip that would expand to far more than it holds (a zip bomb: the
declared sizes bound what will ever be inflated, and they are checked before anything
is). XML parts that declare a document type (entity attacks need one) are refused too,
by reading only each part's prolog.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from dom_desk.errors import ValidationError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: How an encrypted (password-protected) Office file names its payload inside the OLE file.
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
#: How much of an XML part is read looking for its root element: a prolog is a line or two.
_PROLOG_BYTES = 64 * 1024
#: The start of the root element: "<" and a name (not "<?", "<!").
_ROOT_START = re.compile(rb"<[A-Za-z_:]")
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_SUFFIXES = (".xml", ".rels", ".vml")

ENTITY_REASON = (
    "contains XML entity definitions, which a spreadsheet does not need and an attack would use"
)


@dataclass(frozen=True)
class Limits:
    """What a spreadsheet may be: generous for a national return, small against attacks."""

    max_file_bytes: int = 25 * 1024 * 1024
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    #: Inflation allowed for any member over ``ratio_floor`` bytes (XML compresses ~10-30x).
    max_ratio: int = 150
    ratio_floor: int = 1024 * 1024
    max_members: int = 2000
    #: Parts other than sheets (shared strings, styles) are read whole into memory, not
    #: streamed: a national return's are a few MB.
    max_part_bytes: int = 64 * 1024 * 1024


DEFAULT_LIMITS = Limits()


class SpreadsheetFileError(ValidationError):
    """The file as a whole is refused; the message names it and says why."""


def refusal(path: Path, reason: str) -> SpreadsheetFileError:
    return SpreadsheetFileError(f"'{path.name}' {reason}; nothing was imported from it.")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_container(path: Path, limits: Limits = DEFAULT_LIMITS, what: str = "a return") -> None:
    """Refuses, with one sentence naming the file, anything that is not a sound xlsx.

    ``what`` names the kind of file in the size refusal ("over the 25.0 MB limit for a
    return").
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise refusal(path, f"could not be read ({exc.strerror})") from exc
    if size > limits.max_file_bytes:
        raise refusal(
            path,
            f"is {megabytes(size)}, over the {megabytes(limits.max_file_bytes)} limit for {what}",
        )
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise refusal(
                path,
                "is protected with a password: ask the provider to remove "
                "the password (File, Info, Protect Workbook) and send it again",
            )
        raise refusal(
            path,
            "is an old Excel 97-2003 (.xls) file: open it in Excel and save "
            "it as an Excel Workbook (.xlsx)",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise refusal(path, "is not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            _check_members(path, members, limits)
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                raise refusal(
                    path, "is an OpenDocument spreadsheet: save it as an Excel Workbook (.xlsx)"
                )
            if "xl/workbook.xml" not in names:
                word = "word/document.xml" in names
                raise refusal(path, f"is {'a Word document' if word else 'not an Excel workbook'}")
            _check_prologs(path, archive, members)
    except zipfile.BadZipFile as exc:
        raise refusal(path, "is damaged or is not an Excel workbook") from exc
    except (OSError, EOFError, RuntimeError, ValueError, NotImplementedError, zlib.error) as exc:
        # zlib errors, CRC mismatches, unsupported compression while reading a prolog
        raise refusal(path, "is damaged or is not an Excel workbook") from exc


def _check_members(path: Path, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Bounds what any parser could be made to inflate (the declared sizes cap zipfile)."""
    if len(members) > limits.max_members:
        raise refusal(path, f"holds {len(members):,} parts, far more than a workbook has")
    if any(m.flag_bits & 0x1 for m in members):
        raise refusal(path, "is protected with a password")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_bytes:
        raise refusal(
            path,
            f"would expand to {megabytes(total)}, over the "
            f"{megabytes(limits.max_uncompressed_bytes)} limit (it may be a zip bomb)",
        )
    for member in members:
        if member.file_size > limits.max_part_bytes and not member.filename.startswith(
            "xl/worksheets/"
        ):
            raise refusal(
                path,
                f"has a part ({member.filename}) of {megabytes(member.file_size)}, over the "
                f"{megabytes(limits.max_part_bytes)} limit for one part",
            )
        if member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise refusal(
                path,
                f"has a part ({member.filename}) that expands "
                f"{member.file_size // max(member.compress_size, 1):,} times: it "
                "may be a zip bomb",
            )


def _check_prologs(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Refuses a document type declaration in any XML part. One must come before the root
    element, so only the start of each part is inflated."""
    for member in members:
        if member.is_dir() or not member.filename.casefold().endswith(_XML_SUFFIXES):
            continue
        with archive.open(member) as part:
            head = part.read(_PROLOG_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as XML allows
            head = head.decode("utf-16", errors="ignore").encode()
        root = _ROOT_START.search(head)
        prolog = head if root is None else head[: root.start()]
        if _DOCTYPE.search(prolog):
            raise refusal(path, ENTITY_REASON)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
