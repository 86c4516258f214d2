"""A PDF's text read back with pypdf: every string the plan draws, where it is drawn.

pypdf parses the file and its fonts; the few text operators the plan's writer (reportlab)
uses are followed here so each drawn string keeps its position and width, including those
inside form XObjects (the page numbers and the contents' page numbers are forms). From
those strings come the page's text in drawing order ("raw"), its text line by line from
the top ("layout"), and the boxes a margin check needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Drawn:
    """One string as drawn: its start and end on the page (points, origin bottom left)."""

    text: str
    x0: float
    x1: float
    y: float


def _times(a: Matrix, b: Matrix) -> Matrix:
    """a then b, as PDF composes matrices."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _point(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


@dataclass
class _Font:
    widths: dict[int, float]
    chars: dict[int, str]


def _font(font: DictionaryObject) -> _Font:
    if "/Widths" not in font:
        return _standard(str(font["/BaseFont"])[1:])
    first = int(font.get("/FirstChar", 0))
    widths = {first + i: float(w) for i, w in enumerate(font["/Widths"])}
    chars: dict[int, str] = {}
    if "/ToUnicode" in font:
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                chars[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for lo, hi, uni in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                start = int(uni, 16)
                for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    chars[code] = chr(start + offset)
    return _Font(widths, chars)


def _standard(name: str) -> _Font:
    """One of the 14 standard fonts (the writer draws list bullets in Helvetica): they carry
    no widths in the file, so reportlab's copy of their metrics gives them."""
    from reportlab.pdfbase import pdfmetrics

    widths = dict(enumerate(float(w) for w in pdfmetrics.getFont(name).widths))
    chars = {code: bytes([code]).decode("cp1252", "replace") for code in range(256)}
    chars[127] = "\u2022"  # reportlab's WinAnsi also puts the bullet at 127
    return _Font(widths, chars)


@dataclass
class _TextState:
    """The text operators' state (PDF keeps it with the graphics state, saved by q)."""

    font: _Font | None = None
    size: float = 0.0
    leading: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    tm: Matrix = IDENTITY
    line: Matrix = IDENTITY

    def move(self, dx: float, dy: float) -> None:
        """To the next line, ``dx, dy`` from the start of this one."""
        self.tm = self.line = _times((1, 0, 0, 1, dx, dy), self.line)


class _Page:
    """Follows one content stream (and the forms it draws), collecting what it draws."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader = reader
        self.drawn: list[Drawn] = []
        self.fonts: dict[int, _Font] = {}

    def run(self, stream: ContentStream, resources: DictionaryObject, ctm: Matrix) -> None:
        stack: list[tuple[Matrix, _TextState]] = []
        text = _TextState()
        for operands, op in stream.operations:
            if op == b"q":
                stack.append((ctm, replace(text)))
            elif op == b"Q":
                ctm, text = stack.pop()
            elif op == b"cm":
                ctm = _times(tuple(float(v) for v in operands), ctm)
            elif op == b"BT":
                text.tm = text.line = IDENTITY
            elif op == b"Tf":
                text.font, text.size = self._font(resources, operands[0]), float(operands[1])
            elif op == b"TL":
                text.leading = float(operands[0])
            elif op == b"Tc":
                text.char_space = float(operands[0])
            elif op == b"Tw":
                text.word_space = float(operands[0])
            elif op == b"Tz":
                text.scale = float(operands[0]) / 100
            elif op == b"Tm":
                text.tm = text.line = tuple(float(v) for v in operands)
            elif op in (b"Td", b"TD"):
                if op == b"TD":
                    text.leading = -float(operands[1])
                text.move(float(operands[0]), float(operands[1]))
            elif op in (b"T*", b"'", b'"'):
                text.move(0, -text.leading)
            if op in (b"Tj", b"'", b'"', b"TJ"):
                pieces = operands[0] if op == b"TJ" else [operands[-1]]
                for piece in pieces if isinstance(pieces, ArrayObject | list) else [pieces]:
                    if isinstance(piece, int | float) or hasattr(piece, "as_numeric"):
                        shift = -float(piece) / 1000 * text.size * text.scale
                        text.tm = _times((1, 0, 0, 1, shift, 0), text.tm)
                        continue
                    codes = (
                        piece.get_original_bytes()
                        if hasattr(piece, "get_original_bytes")
                        else bytes(piece)
                    )
                    self._show(codes, text, ctm)
            elif op == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    inner = xobject.get("/Resources", resources)
                    self.run(ContentStream(xobject, self.reader), inner, _times(matrix, ctm))

    def _font(self, resources: DictionaryObject, name: str) -> _Font:
        ref = resources["/Font"].raw_get(name)
        key = getattr(ref, "idnum", id(ref))
        if key not in self.fonts:
            self.fonts[key] = _font(ref.get_object())
        return self.fonts[key]

    def _show(self, codes: bytes, text: _TextState, ctm: Matrix) -> None:
        """Records one string and moves the text position past it."""
        font = text.font
        assert font is not None, "text drawn before any font was chosen"
        chars = [font.chars.get(code, chr(code)) for code in codes]
        # Where each glyph starts; the box runs from the first glyph's ink to the last's,
        # so spaces at either end (nothing drawn) never count as poking out.
        offsets = [0.0]
        for code in codes:
            step = font.widths.get(code, 0) / 1000 * text.size + text.char_space
            step += text.word_space if code == 32 else 0
            offsets.append(offsets[-1] + step * text.scale)
        inked = [i for i, char in enumerate(chars) if not char.isspace()] or [0]
        to_page = _times(text.tm, ctm)
        start = _point(to_page, offsets[inked[0]], 0)
        end = _point(to_page, offsets[inked[-1] + 1], 0)
        self.drawn.append(
            Drawn("".join(chars), min(start[0], end[0]), max(start[0], end[0]), start[1])
        )
        text.tm = _times((1, 0, 0, 1, offsets[-1], 0), text.tm)


@cache
def _drawn(pdf: Path, stamp: float) -> tuple[tuple[Drawn, ...], ...]:
    reader = PdfReader(pdf)
    found = []
    for page in reader.pages:
        reading = _Page(reader)
        reading.run(ContentStream(page.get_contents(), reader), page["/Resources"], IDENTITY)
        found.append(tuple(reading.drawn))
    return tuple(found)


def drawn(pdf: Path) -> tuple[tuple[Drawn, ...], ...]:
    """Each page's strings in the order they are drawn; [0] is page 1."""
    return _drawn(Path(pdf), Path(pdf).stat().st_mtime_ns)


def _joined(items: list[Drawn]) -> str:
    """Strings that continue where the one before ended join without a space."""
    out = ""
    for before, item in zip([None, *items], items, strict=False):
        touching = before and abs(item.y - before.y) < 0.5 and abs(item.x0 - before.x1) < 0.5
        out += item.text if touching or not out else " " + item.text
    return out


def raw_text(pdf: Path, page: int) -> str:
    """Page ``page`` (1-based) in drawing order, so a cell's wrapped lines stay together."""
    return _joined(list(drawn(pdf)[page - 1]))


def layout_text(pdf: Path, page: int) -> str:
    """Page ``page`` (1-based) line by line from the top, each line left to right: a table
    row's cells read as one line."""
    lines: list[list[Drawn]] = []
    for item in sorted(drawn(pdf)[page - 1], key=lambda d: (-d.y, d.x0)):
        if lines and abs(lines[-1][0].y - item.y) < 1.5:
            lines[-1].append(item)
        else:
            lines.append([item])
    return "\n".join(_joined(sorted(line, key=lambda d: d.x0)) for line in lines)


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)
