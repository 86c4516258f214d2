"""Text for the HTML plan: user text escaped, and the PDF's own markup made into HTML.

The section builders write reportlab Paragraph markup: user text already escaped with
``markup.plain`` and the plan's own few tags (``<b>``, ``<i>``, ``<br/>``) and entities
(``&middot;``, ``&nbsp;``). ``from_markup`` reads that markup back into text and tags, and
writes it again for HTML: every piece of text through ``html.escape`` (quotes too) and
only the tags in ``KEPT``; anything else is dropped with its text kept. So a provider
called ``St Giles' Trust <North> & Co`` prints as written in both the PDF and the page.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from dom_desk.plan.markup import clean

#: Reportlab tags the page keeps, and the HTML each becomes.
KEPT = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}


def text(value: str | None) -> str:
    """User text for HTML: control characters removed, escaped, line breaks kept."""
    lines = clean(value).strip().splitlines()
    return "<br>".join(html.escape(" ".join(line.split())) for line in lines)


def one_line(value: str | None) -> str:
    """User text for HTML on one line (attributes, headings, captions)."""
    return html.escape(" ".join(clean(value).split()))


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")
        elif tag in KEPT:
            self.out.append(f"<{KEPT[tag]}>")
            self.open.append(KEPT[tag])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag in KEPT and KEPT[tag] in self.open:
            # Close what is open down to it, so the output is always well nested.
            while self.open:
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == KEPT[tag]:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data))


def from_markup(markup: str) -> str:
    """Reportlab Paragraph markup as safe HTML (see the module's docstring)."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    reader.out += [f"</{tag}>" for tag in reversed(reader.open)]
    return "".join(reader.out)


def plain_text(markup: str) -> str:
    """The words of reportlab markup, without tags (a heading's or caption's text)."""
    reader = _Reader()
    reader.feed(markup.replace("<br/>", " "))
    reader.close()
    words = "".join(p for p in reader.out if not p.startswith("<"))
    return html.unescape(" ".join(words.split()))
