"""What every section builder shares: headings the contents know, the DOM's text, tables.

A builder is ``build(ctx, section) -> list[Flowable]``. It never puts user text into a
Paragraph without escaping it: ``ctx.text`` (the DOM's markup, escaped first),
``markup.plain`` (one line) and table cells (escaped by ``tables``) are the only ways in.
Everything printed is also noted, so the glossary can list the abbreviations used.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from dom_desk.plan import style, tables
from dom_desk.plan.data import PlanData
from dom_desk.plan.document import Heading, TocEntry
from dom_desk.plan.markup import parse, plain
from dom_desk.plan.template import SectionChoice

#: Space a subheading needs below it on the page, in points (about five table rows).
SUBHEADING_ROOM = 110
#: Space a titled table needs to start on this page: its title, headings and three rows.
TABLE_ROOM = 90


@dataclass
class BuildContext:
    data: PlanData
    #: Contents entries, per section key, in the order the headings were made.
    toc: dict[str, list[TocEntry]] = field(default_factory=dict)
    #: Text printed so far, for the glossary.
    seen: list[str] = field(default_factory=list)
    #: Tables made, so the benchmark can lay the same ones out with reportlab alone.
    tables: list[object] = field(default_factory=list)
    _counter: itertools.count = field(default_factory=itertools.count)

    # -- headings ---------------------------------------------------------------------

    def section_heading(self, section: SectionChoice) -> Heading:
        key = f"s-{section.key}"
        self.toc.setdefault(section.key, []).insert(0, TocEntry(key, section.title, 0))
        self.seen.append(section.title)
        return Heading(plain(section.title), "h1", key, 0, section.title)

    def subheading(
        self, section: SectionChoice, title: str, in_contents: bool = True
    ) -> list[Flowable]:
        """A heading of the section, listed in the contents. It starts a new page when
        too little of this one is left for the heading and a few lines under it (a
        long table under it may then start here and run on)."""
        key = f"s-{section.key}-{next(self._counter)}"
        if in_contents:
            self.toc.setdefault(section.key, []).append(TocEntry(key, title, 1))
        self.seen.append(title)
        return [CondPageBreak(SUBHEADING_ROOM), Heading(plain(title), "h2", key, 1, title)]

    def titled_table(self, spec: tables.TableSpec) -> list[Flowable]:
        """A table whose title (one provider's name) heads it on every page it runs on
        to, and is in the PDF outline but not in the contents. It starts on a new page
        rather than with only a row or two at the foot of this one."""
        assert spec.title is not None
        self.seen.append(spec.title)
        made = self.table(spec)
        made.toc_key = f"m-{next(self._counter)}"  # type: ignore[attr-defined]
        made.toc_title, made.toc_level = spec.title, 2  # type: ignore[attr-defined]
        made.spaceBefore = style.styles()["h3"].spaceBefore  # type: ignore[attr-defined]
        return [CondPageBreak(TABLE_ROOM), made]

    # -- text -------------------------------------------------------------------------

    def text(self, body: str | None) -> list[Flowable]:
        """The DOM's own text (markup escaped first) as paragraphs and bullets."""
        self.seen.append(body or "")
        styles = style.styles()
        made: list[Flowable] = []
        for block in parse(body):
            if block.kind == "bullet":
                made.append(Paragraph(block.text, styles["bullet"], bulletText="\u2022"))
            else:
                made.append(Paragraph(block.text, styles["body"]))
        return made

    def para(self, markup_text: str, style_name: str = "body") -> Paragraph:
        """A paragraph of the plan's own words; user parts must be escaped by the caller."""
        self.seen.append(markup_text)
        return Paragraph(markup_text, style.styles()[style_name])

    def caption(self, text: str) -> Paragraph:
        return self.para(plain(text), "caption")

    def table(self, spec: tables.TableSpec, **kwargs: object) -> Flowable:
        for row in spec.rows:
            self.seen.extend(tables.text_of(c) for c in row.cells)
        self.seen.extend(c.title for c in spec.cols)
        made = tables.build(spec, **kwargs)  # type: ignore[arg-type]
        self.tables.append(made)
        return made


def gap(points: float = 8) -> Spacer:
    return Spacer(1, points)


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


Builder = Callable[[BuildContext, SectionChoice], list[Flowable]]
