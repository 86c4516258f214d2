"""Text from users made safe for reportlab, and the plan's tiny markup.

Everything a user typed or a file imported passes through here before it reaches a
reportlab Paragraph, which reads its text as XML-like markup: ``St Giles' Trust <North>
& Co`` must print as written, not be taken for a tag. The DOM's own sections may use a
small markup, applied only *after* escaping so no user text can inject a tag:

- a blank line starts a new paragraph; lines of one paragraph are joined;
- a line starting ``- `` or ``* `` is a bullet;
- ``**bold**`` and ``*italic*`` (markers left unpaired print as they are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

# C0 controls other than tab and newline have no glyph and no business in a plan.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BULLET = re.compile(r"^\s*[-*\u2022]\s+")
# Markers must sit at word edges, so "2*3*4" and "a**b" stay as typed.
_BOLD = re.compile(r"(?<![\w*])\*\*(?=\S)([^*]+?)(?<=\S)\*\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*<>]+?)(?<=[^\s*])\*(?![\w*])")


def clean(text: str | None) -> str:
    """The text without control characters; tabs become spaces."""
    return _CONTROLS.sub("", (text or "").replace("\t", " "))


def plain(text: str | None) -> str:
    """User text escaped for a Paragraph, on one line."""
    return escape(" ".join(clean(text).split()))


def multiline(text: str | None) -> str:
    """User text escaped for a Paragraph, its line breaks kept."""
    lines = [escape(" ".join(line.split())) for line in clean(text).strip().splitlines()]
    return "<br/>".join(lines)


def inline(text: str) -> str:
    """Escapes ``text``, then turns ``**bold**`` and ``*italic*`` into tags."""
    safe = escape(" ".join(clean(text).split()))
    safe = _ITALIC.sub(r"<i>\1</i>", safe)
    return _BOLD.sub(r"<b>\1</b>", safe)


@dataclass(frozen=True)
class Block:
    """A paragraph or a bullet, its text already safe Paragraph markup."""

    kind: str  # "para" or "bullet"
    text: str


def parse(body: str | None) -> list[Block]:
    """The DOM's text as paragraphs and bullets, ready for Paragraphs."""
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.append(Block("para", inline(" ".join(pending))))
            pending.clear()

    for line in clean(body).splitlines():
        if not line.strip():
            flush()
        elif _BULLET.match(line):
            flush()
            blocks.append(Block("bullet", inline(_BULLET.sub("", line, count=1))))
        elif blocks and blocks[-1].kind == "bullet" and not pending and line[:1].isspace():
            # An indented line continues the bullet above it.
            last = blocks.pop()
            blocks.append(Block("bullet", f"{last.text} {inline(line)}"))
        else:
            pending.append(line.strip())
    flush()
    return blocks
