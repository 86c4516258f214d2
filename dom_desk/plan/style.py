"""The plan's look: A4, generous margins, one sans-serif family, a restrained palette.

Imports reportlab, so only the plan's builders import this module.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PAGE = A4
MARGIN_LEFT = MARGIN_RIGHT = 22 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 22 * mm
FRAME_WIDTH = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT

# A restrained palette: near-black text, one dark blue for structure, greys for rules.
INK = colors.HexColor("#0B0C0C")
NAVY = colors.HexColor("#1F3A5F")
BLUE = colors.HexColor("#2F6DA3")
MUTED = colors.HexColor("#505A5F")
RULE = colors.HexColor("#B1B4B6")
HEAD_FILL = colors.HexColor("#E6ECF2")
BAND_FILL = colors.HexColor("#F3F5F7")
#: Status fills: pale, so the text on them (which always names the status) stays legible.
STATUS_FILL = {
    "Met": colors.HexColor("#DCEBDD"),
    "Near": colors.HexColor("#FBE8C3"),
    "Missed": colors.HexColor("#F4D3D0"),
}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str


# Arial or its metric twin where the machine has one; otherwise the DejaVu Sans that
# matplotlib ships (always installed with DOM Desk), which also covers Welsh.
_CANDIDATES: tuple[tuple[str, ...], ...] = (
    (
        "C:/Windows/Fonts/arial.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
        "C:/Windows/Fonts/ariali.ttf",
        "C:/Windows/Fonts/arialbi.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-BoldItalic.ttf",
    ),
)


def _dejavu() -> tuple[str, ...]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    names = (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    )
    return tuple(str(folder / n) for n in names)


@functools.cache
def fonts() -> Fonts:
    """Registers the plan's font family once per process."""
    from reportlab.lib.fonts import addMapping

    chosen = next((c for c in _CANDIDATES if all(os.path.exists(p) for p in c)), None)
    files = chosen or _dejavu()
    names = ("PlanSans", "PlanSans-Bold", "PlanSans-Italic", "PlanSans-BoldItalic")
    for name, path in zip(names, files, strict=True):
        pdfmetrics.registerFont(TTFont(name, path))
    addMapping("PlanSans", 0, 0, names[0])
    addMapping("PlanSans", 1, 0, names[1])
    addMapping("PlanSans", 0, 1, names[2])
    addMapping("PlanSans", 1, 1, names[3])
    return Fonts(*names)


@functools.lru_cache(maxsize=1 << 16)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points in the plan's type (cached: tables measure the same words often)."""
    f = fonts()
    return pdfmetrics.stringWidth(text, f.bold if bold else f.regular, size)


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    body = ParagraphStyle(
        "body", fontName=f.regular, fontSize=10, leading=14.5, textColor=INK, spaceAfter=7
    )
    made = {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED),
        "bullet": ParagraphStyle(
            "bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=4
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=f.bold,
            fontSize=19,
            leading=24,
            textColor=NAVY,
            spaceBefore=0,
            spaceAfter=12,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=f.bold,
            fontSize=13,
            leading=17,
            textColor=NAVY,
            spaceBefore=12,
            spaceAfter=6,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=f.bold,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=body,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            spaceBefore=3,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", fontName=f.regular, fontSize=8, leading=10, textColor=INK),
        "cell_bold": ParagraphStyle(
            "cell_bold", fontName=f.bold, fontSize=8, leading=10, textColor=INK
        ),
        "cell_head": ParagraphStyle(
            "cell_head", fontName=f.bold, fontSize=8, leading=10, textColor=NAVY
        ),
        "cell_head_right": ParagraphStyle(
            "cell_head_right",
            fontName=f.bold,
            fontSize=8,
            leading=10,
            textColor=NAVY,
            alignment=TA_RIGHT,
        ),
        "cell_right": ParagraphStyle(
            "cell_right", fontName=f.regular, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
        "toc0": ParagraphStyle(
            "toc0",
            parent=body,
            fontName=f.bold,
            fontSize=10.5,
            leading=14,
            spaceBefore=7,
            spaceAfter=0,
            alignment=TA_LEFT,
        ),
        "toc1": ParagraphStyle(
            "toc1",
            parent=body,
            fontSize=9.5,
            leading=13,
            leftIndent=14,
            spaceBefore=1,
            spaceAfter=0,
        ),
        "cover_title": ParagraphStyle(
            "cover_title", parent=body, fontName=f.bold, fontSize=27, leading=33, textColor=NAVY
        ),
        "cover_sub": ParagraphStyle(
            "cover_sub", parent=body, fontSize=15, leading=20, textColor=INK
        ),
        "cover_meta": ParagraphStyle(
            "cover_meta", parent=body, fontSize=10.5, leading=15, textColor=MUTED
        ),
    }
    return made


@functools.cache
def cell_style(
    size: float, bold: bool = False, right: bool = False, head: bool = False
) -> ParagraphStyle:
    """A table cell style at ``size`` points (tables shrink their type to fit, never spill)."""
    base = styles()["cell_head" if head else ("cell_bold" if bold else "cell")]
    return ParagraphStyle(
        f"{base.name}-{size}-{right}",
        parent=base,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_RIGHT if right else TA_LEFT,
    )
