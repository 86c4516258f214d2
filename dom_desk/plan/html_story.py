"""The plan's sections, as the PDF's builders made them, written out as HTML.

``build_sections`` (``assemble``) builds each chosen section's reportlab flowables from
the one ``PlanData``; this module reads those flowables back (headings, paragraphs,
bullets, the ``TableSpec`` behind each table, the drawings' own data) and writes the
same content as HTML. So the page says exactly what the PDF says, figure for figure,
and a change to a section shows in both.

Headings: the plan's title is the one ``<h1>``; each section is an ``<h2>`` in its own
``<section>``; a section's subheadings are ``<h3>``. A table with no title of its own is
captioned by the heading it sits under (and, where one heading has several tables, by
what each one holds).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Table

from dom_desk.plan import html_charts
from dom_desk.plan.document import ContentsEntry, Heading
from dom_desk.plan.graphics import BarChart, HeatMapChart, TimelineChart
from dom_desk.plan.html_markup import from_markup, one_line, plain_text
from dom_desk.plan.html_tables import table_html
from dom_desk.plan.table_spec import TableSpec
from dom_desk.plan.template import SectionChoice

#: Flowables that only place things on a PDF page (spaces, page breaks) and say nothing.
SPACING = ("Spacer", "CondPageBreak", "PageBreak", "NextPageTemplate", "ActionFlowable")


@dataclass
class Writer:
    """What the page knows while it is written: the trend charts, in the order the
    builder placed their images, and anything it met that it cannot write."""

    trends: Sequence[html_charts.TrendChart] = ()
    unknown: list[str] = field(default_factory=list)
    _trend_next: int = 0
    _ids: int = 0

    def new_id(self, kind: str) -> str:
        self._ids += 1
        return f"{kind}-{self._ids}"

    def next_trend(self) -> html_charts.TrendChart | None:
        if self._trend_next >= len(self.trends):
            return None
        chart = self.trends[self._trend_next]
        self._trend_next += 1
        return chart


def flatten(flowables: Iterable[Flowable]) -> list[Flowable]:
    """The flowables in reading order, groups opened, page spacing left out."""
    found: list[Flowable] = []
    for f in flowables:
        if isinstance(f, KeepTogether):
            found += flatten(f._content)  # noqa: SLF001 - its parts, in order
        elif type(f).__name__ in SPACING:
            continue
        else:
            found.append(f)
    return found


def _is_caption(f: Flowable) -> bool:
    return isinstance(f, Paragraph) and not isinstance(f, Heading) and f.style.name == "caption"


def _table_label(spec: TableSpec) -> str:
    """What one of several tables under a heading holds, for its caption."""
    cols = [c.title for c in spec.cols]
    if len(cols) >= 2 and cols[0] == "ID" and cols[1] == "Measure":
        return "the measures' wording"
    group = next((r for r in spec.rows if r.kind == "group"), None)
    prefix = ""
    if group is not None and spec.rows and spec.rows[0] is group and group.cells:
        prefix = f"{group.cells[0]}, "
    if len(cols) > 2:
        return prefix + f"{cols[1]} to {cols[-1]}"
    return prefix + ", ".join(cols[1:])


def _captions(items: list[Flowable], section_title: str) -> dict[int, str]:
    """A caption for each table (by position in ``items``)."""
    under: dict[int, list[int]] = {}
    titles: dict[int, str] = {-1: section_title}
    heading = -1
    for i, f in enumerate(items):
        if isinstance(f, Heading):
            if f.toc_level > 0:
                heading = i
                titles[i] = f.toc_title
        elif getattr(f, "plan_spec", None) is not None and f.plan_spec.title is None:
            under.setdefault(heading, []).append(i)
    captions: dict[int, str] = {}
    for head, tables in under.items():
        for i in tables:
            label = titles[head]
            if len(tables) > 1:
                label = f"{label}: {_table_label(items[i].plan_spec)}"
            captions[i] = label
    for i, f in enumerate(items):
        spec = getattr(f, "plan_spec", None)
        if spec is not None and spec.title is not None:
            captions[i] = spec.title
    return captions


def section_html(section: SectionChoice, flowables: list[Flowable], writer: Writer) -> str:
    """One section as ``<section>`` with its heading, text, tables and figures."""
    items = flatten(flowables)
    captions = _captions(items, section.title)
    out: list[str] = []
    bullets: list[str] = []
    after: list[str] = []  # a figure's table of figures, written once the figure closes
    figure: list[str] | None = None
    heading_key = f"s-{section.key}"

    def close_bullets() -> None:
        if bullets:
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    def close_figure(caption: str = "") -> None:
        nonlocal figure
        if figure is None:
            return
        if caption:
            figure.append(f"<figcaption>{caption}</figcaption>")
        out.append("<figure>" + "".join(figure) + "</figure>")
        out.extend(after)
        after.clear()
        figure = None

    for i, f in enumerate(items):
        if not isinstance(f, Paragraph) or f.style.name != "bullet":
            close_bullets()
        # A figure runs on over its drawings, its key and its caption.
        if figure is not None and not (
            _is_caption(f) or _legend_table(f) or isinstance(f, TimelineChart)
        ):
            close_figure()
        if isinstance(f, Heading):
            if f.toc_level == 0:
                heading_key = f.toc_key
                out.append(f'<h2 id="{f.toc_key}">{from_markup(f.text)}</h2>')
            else:
                out.append(f'<h3 id="{f.toc_key}">{from_markup(f.text)}</h3>')
        elif isinstance(f, ContentsEntry):
            continue  # the page's contents are its <nav>
        elif isinstance(f, Paragraph):
            if f.style.name == "bullet":
                bullets.append(from_markup(f.text))
            elif _is_caption(f) and figure is not None:
                close_figure(from_markup(f.text))
            else:
                css = f' class="{f.style.name}"' if f.style.name in ("small", "caption") else ""
                out.append(f"<p{css}>{from_markup(f.text)}</p>")
        elif getattr(f, "plan_spec", None) is not None:
            caption = captions[i]
            # A caption that repeats the heading just above it is there for screen
            # readers (every table is named) and hidden from the eye.
            repeats = i and isinstance(items[i - 1], Heading) and items[i - 1].toc_title == caption
            out.append(table_html(f.plan_spec, caption, hidden_caption=bool(repeats)))
        elif isinstance(f, BarChart):
            title = _figure_title(items, i, "Committed allocations")
            figure = [html_charts.bar_chart(writer.new_id("chart"), f.items, title)]
        elif isinstance(f, HeatMapChart):
            out.append(html_charts.heat_map(f.heat))
        elif isinstance(f, TimelineChart):
            svg, figures = html_charts.timeline(writer.new_id("chart"), f.model, f.rows)
            if figure is None:
                figure = []
            figure.append(svg)
            after.append(figures)
        elif _legend_table(f):
            if figure is None:
                figure = []
            figure.append(html_charts.legend())
        elif isinstance(f, Image):
            chart = writer.next_trend()
            if chart is None:
                writer.unknown.append("Image without its chart")
                continue
            image, figures = html_charts.trend_image(writer.new_id("chart"), chart)
            figure, after[:] = [image], [figures]
        elif isinstance(f, Table):
            writer.unknown.append(f"Table in {section.key}")
        else:
            writer.unknown.append(type(f).__name__)
    close_bullets()
    close_figure()
    return (
        f'<section class="plan-section" aria-labelledby="{heading_key}">'
        + "".join(out)
        + "</section>"
    )


def _legend_table(f: Flowable) -> bool:
    """The timeline's colour key (a plain table of swatches and words)."""
    if not isinstance(f, Table) or getattr(f, "plan_spec", None) is not None:
        return False
    from dom_desk.plan.graphics import legend_items

    words = {w for _c, w in legend_items()}
    cells = {c for row in f._cellvalues for c in row if isinstance(c, str) and c}  # noqa: SLF001
    return bool(cells) and cells <= words


def _figure_title(items: list[Flowable], at: int, fallback: str) -> str:
    """A drawing's title: the bold line the builder put just before it."""
    if at and isinstance(items[at - 1], Paragraph) and not isinstance(items[at - 1], Heading):
        return plain_text(items[at - 1].text)
    return fallback


def contents_nav(entries: Sequence[Any], title: str = "Contents", ident: str = "contents") -> str:
    """The contents as a list of links, a section's subheadings nested under it."""
    parts: list[str] = []
    open_sub = False
    for entry in entries:
        link = f'<a href="#{html.escape(entry.key)}">{one_line(entry.title)}</a>'
        if entry.level == 0:
            if open_sub:
                parts.append("</ol>")
                open_sub = False
            if parts:
                parts.append("</li>")
            parts.append(f"<li>{link}")
        else:
            if not open_sub:
                parts.append("<ol>")
                open_sub = True
            parts.append(f"<li>{link}</li>")
    if open_sub:
        parts.append("</ol>")
    if parts:
        parts.append("</li>")
    return (
        f'<nav class="contents" aria-labelledby="{ident}">'
        f'<h2 id="{ident}">{one_line(title)}</h2><ol>{"".join(parts)}</ol></nav>'
    )
