"""The plan's pages: running header, "Page N of M" footer, DRAFT watermark, contents.

The whole plan is laid out in ONE pass. Numbers not known until the end (the total page
count, and each contents entry's page) are drawn as PDF form XObjects that are referenced
where they appear and defined when the document is saved, when every heading's page is
known (reportlab allows a form to be defined after its use). So the contents are right
without laying the plan out twice, which matters for a national plan of a thousand pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
)

from dom_desk.plan import style
from dom_desk.plan.markup import plain


class Cancelled(Exception):
    """The user stopped the export; nothing was written."""


@dataclass(frozen=True)
class TocEntry:
    key: str
    title: str
    level: int


@dataclass
class Registry:
    """What the layout learns about pages, filled in as pages are drawn."""

    pages: dict[str, int] = field(default_factory=dict)
    total: int = 0


def _form_name(kind: str, key: str) -> str:
    # Form names go into the PDF's name space: keep them to safe characters.
    return f"{kind}_" + "".join(ch if ch.isalnum() else "_" for ch in key)


class PlanCanvas(Canvas):
    """Defines the late numbers (page total, contents pages) as forms when saved."""

    registry: Registry
    toc_keys: Sequence[str] = ()

    def save(self) -> None:
        f = style.fonts()
        total = self.getPageNumber() - (0 if self._code else 1)
        self.registry.total = total
        for page in range(1, total + 1):
            self.beginForm(_form_name("pg", str(page)), lowerx=-200, lowery=-4, upperx=0, uppery=12)
            self.setFont(f.regular, 8)
            self.setFillColor(style.MUTED)
            self.drawRightString(0, 0, f"Page {page} of {total}")
            self.endForm()
        for key in self.toc_keys:
            self.beginForm(_form_name("toc", key), lowerx=-60, lowery=-4, upperx=0, uppery=14)
            self.setFont(f.regular, 10)
            self.setFillColor(style.INK)
            page = self.registry.pages.get(key)
            self.drawRightString(0, 0, str(page) if page else "")
            self.endForm()
        super().save()

    def plan_toc_end(self, canv: Canvas, _kind: str, label: str) -> None:
        """Called by a contents entry's Paragraph at the end of its text: dot leaders,
        then the page number (a form filled in at save), and a link to the heading."""
        key, width_text, size_text = label.split("|")
        width, size = float(width_text), float(size_text)
        info = canv._curr_tx_info  # where the entry's text ended
        x, y = info["cur_x"], info["cur_y"]
        f = style.fonts()
        number_room = style.text_width("0000", size)
        dot = " ."
        dot_w = style.text_width(dot, size)
        count = int((width - x - number_room - 6) / dot_w)
        if count > 0:
            canv.setFont(f.regular, size)
            canv.setFillColor(style.RULE)
            canv.drawRightString(width - number_room - 2, y, dot * count)
        canv.saveState()
        canv.translate(width, y)
        canv.scale(size / 10, size / 10)
        canv.doForm(_form_name("toc", key))
        canv.restoreState()
        canv.linkRect("", key, (0, y - 3, width, y + size), relative=1, thickness=0)


class Heading(Paragraph):
    """A heading that the contents, the outline and the page registry know about."""

    def __init__(
        self, text: str, style_name: str, key: str, level: int, title: str, outline: bool = True
    ) -> None:
        super().__init__(text, style.styles()[style_name])
        self.toc_key = key
        self.toc_level = level
        self.toc_title = title
        self.outline = outline


class ContentsEntry(Flowable):
    """One line of the contents: the title wraps, dots lead to the page number."""

    def __init__(self, entry: TocEntry) -> None:
        super().__init__()
        self.entry = entry
        self._para: Paragraph | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        s = style.styles()["toc0" if self.entry.level == 0 else "toc1"]
        number_room = style.text_width("0000", s.fontSize) + 16
        text_width = avail_width - number_room - s.leftIndent
        label = f"{self.entry.key}|{avail_width - s.leftIndent:.2f}|{s.fontSize}"
        # The title is user text: escaped; the callback label is ours.
        self._para = Paragraph(
            f'{plain(self.entry.title)}<onDraw name="plan_toc_end" label="{label}"/>', s
        )
        self._indent = s.leftIndent
        _, height = self._para.wrap(text_width, avail_height)
        self.width, self.height = avail_width, height
        self.spaceBefore = s.spaceBefore
        return avail_width, height

    def draw(self) -> None:
        assert self._para is not None
        self._para.drawOn(self.canv, self._indent, 0)


@dataclass(frozen=True)
class PageDecor:
    """What goes around every page's content."""

    header: str
    footer: str
    draft: bool


class PlanDocument(BaseDocTemplate):
    """A4 pages with a cover template and a body template."""

    def __init__(
        self,
        target: Any,
        decor: PageDecor,
        title: str,
        author: str,
        subject: str,
        progress: Callable[[int, int], None] | None = None,
        cover_first: bool = True,
    ) -> None:
        super().__init__(
            target,
            pagesize=style.PAGE,
            leftMargin=style.MARGIN_LEFT,
            rightMargin=style.MARGIN_RIGHT,
            topMargin=style.MARGIN_TOP,
            bottomMargin=style.MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator="DOM Desk",
            lang="en-GB",
        )
        self.decor = decor
        self.registry = Registry()
        width, height = style.PAGE
        body = Frame(
            style.MARGIN_LEFT,
            style.MARGIN_BOTTOM,
            style.FRAME_WIDTH,
            height - style.MARGIN_TOP - style.MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover = Frame(
            style.MARGIN_LEFT,
            style.MARGIN_BOTTOM,
            style.FRAME_WIDTH,
            height - 2 * style.MARGIN_BOTTOM,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        templates = [
            PageTemplate("cover", [cover], onPage=self._cover_page, onPageEnd=self._watermark),
            PageTemplate("body", [body], onPage=self._body_page, onPageEnd=self._watermark),
        ]
        # The first page takes the first template.
        self.addPageTemplates(templates if cover_first else templates[::-1])
        self._total_flowables = 1
        self._progress = progress
        if progress is not None:
            self.setProgressCallBack(self._on_progress)

    def _on_progress(self, kind: str, value: int) -> None:
        assert self._progress is not None
        if kind == "SIZE_EST":
            self._total_flowables = max(1, value)
        elif kind == "PROGRESS":
            self._progress(value, self._total_flowables)

    # -- page furniture ---------------------------------------------------------------

    def _cover_page(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = style.PAGE
        canv.saveState()
        canv.setFillColor(style.NAVY)
        canv.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
        canv.setFillColor(style.BLUE)
        canv.rect(0, height - 16 * mm, width, 2 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _body_page(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        f = style.fonts()
        width, height = style.PAGE
        left, right = style.MARGIN_LEFT, width - style.MARGIN_RIGHT
        canv.saveState()
        top = height - 14 * mm
        canv.setFont(f.regular, 8)
        canv.setFillColor(style.MUTED)
        room = right - left - (48 * mm if self.decor.draft else 0)  # the DRAFT marker
        canv.drawString(left, top, _fit(self.decor.header, f.regular, 8, room))
        canv.setStrokeColor(style.RULE)
        canv.setLineWidth(0.5)
        canv.line(left, top - 3 * mm, right, top - 3 * mm)
        bottom = 12 * mm
        canv.line(left, bottom + 4.5 * mm, right, bottom + 4.5 * mm)
        canv.drawString(left, bottom, _fit(self.decor.footer, f.regular, 8, right - left - 40 * mm))
        canv.translate(right, bottom)
        canv.doForm(_form_name("pg", str(canv.getPageNumber())))
        canv.restoreState()

    def _watermark(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        # Every page of a draft, cover included; drawn on top, but nearly transparent.
        if not self.decor.draft:
            return
        f = style.fonts()
        width, height = style.PAGE
        canv.saveState()
        canv.setFillColor(style.NAVY)
        canv.setFillAlpha(0.08)
        canv.translate(width / 2, height / 2)
        canv.rotate(52)
        canv.setFont(f.bold, 120)
        canv.drawCentredString(0, -40, "DRAFT")
        canv.restoreState()
        if canv.getPageNumber() > 1:  # and said in words where the header is
            canv.saveState()
            canv.setFont(f.bold, 8)
            canv.setFillColor(style.NAVY)
            canv.drawRightString(
                width - style.MARGIN_RIGHT, height - 14 * mm, "DRAFT - not for publication"
            )
            canv.restoreState()

    # -- headings ---------------------------------------------------------------------

    def afterFlowable(self, flowable: Flowable) -> None:
        key = getattr(flowable, "toc_key", None)
        if key is None:
            return
        page = self.canv.getPageNumber()
        self.registry.pages.setdefault(key, page)
        self.canv.bookmarkPage(key)
        if getattr(flowable, "outline", True):
            self.canv.addOutlineEntry(
                flowable.toc_title, key, level=flowable.toc_level, closed=flowable.toc_level > 0
            )

    def render(self, story: list[Flowable], toc_keys: Sequence[str]) -> Registry:
        registry = self.registry

        def make_canvas(*args: Any, **kwargs: Any) -> PlanCanvas:
            canv = PlanCanvas(*args, **kwargs)
            canv.registry = registry
            canv.toc_keys = toc_keys
            canv.setNamedCB("plan_toc_end", canv.plan_toc_end)
            canv.setTitle(self.title)
            canv.showOutline()  # the bookmarks open beside the pages: the plan's map
            # Viewers show the document's title, not its file name, in their title bar
            # (PDF/UA asks it; the language is set in the catalog by the template).
            canv.setViewerPreference("DisplayDocTitle", "true")
            return canv

        self.build(story, canvasmaker=make_canvas)
        return registry


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` (header and footer lines)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def write_pdf(
    path: Path | Any,
    story: list[Flowable],
    decor: PageDecor,
    meta: dict[str, str],
    toc_keys: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
    cover_first: bool = True,
) -> Registry:
    """Lays out ``story`` into ``path`` (a file name or a binary file object)."""
    doc = PlanDocument(
        str(path) if isinstance(path, Path) else path,
        decor,
        title=meta.get("title", ""),
        author=meta.get("author", ""),
        subject=meta.get("subject", ""),
        progress=progress,
        cover_first=cover_first,
    )
    return doc.render(story, toc_keys)
