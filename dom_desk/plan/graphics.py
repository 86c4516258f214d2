"""Drawings drawn straight onto the PDF canvas: vector, in the plan's own type.

- ``BarChart``: committed money by group (the service and provider mix);
- ``HeatMapChart``: the risk heat map (likelihood by impact, score and count in words);
- ``TimelineChart``: the competitions timetable from ``domain.timeline``'s model.

Every mark carries text as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.platypus import Flowable

from dom_desk.domain.money import format_pounds
from dom_desk.plan import style


def _fit(text: str, size: float, width: float, bold: bool = False) -> str:
    if style.text_width(text, size, bold) <= width:
        return text
    while text and style.text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _lines(text: str, size: float, width: float, most: int = 2) -> list[str]:
    """``text`` broken into at most ``most`` lines of ``width`` (the last one cut)."""
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if style.text_width(trial, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > most:
        lines = lines[: most - 1] + [" ".join(lines[most - 1 :])]
    return [_fit(line, size, width) for line in lines]


class BarChart(Flowable):
    """Horizontal bars, one per group, labelled with the group and the exact sum."""

    ROW = 17.0

    def __init__(self, items: Sequence[tuple[str, int]], width: float = style.FRAME_WIDTH) -> None:
        super().__init__()
        self.items = list(items)
        self.width = width
        self.height = self.ROW * len(self.items) + 8

    def wrap(self, _w: float, _h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        f = style.fonts()
        label_w = min(170.0, self.width * 0.36)
        values = [format_pounds(v) for _n, v in self.items]
        value_w = max((style.text_width(v, 7.5) for v in values), default=0) + 8
        bar_room = self.width - label_w - value_w - 6
        top = max((v for _n, v in self.items), default=0) or 1
        c.setLineWidth(0.5)
        for i, ((name, value), shown) in enumerate(zip(self.items, values, strict=True)):
            y = self.height - (i + 1) * self.ROW
            c.setFont(f.regular, 7.5)
            c.setFillColor(style.INK)
            c.drawString(0, y + 5, _fit(name, 7.5, label_w - 6))
            length = bar_room * max(value, 0) / top
            c.setFillColor(style.BLUE)
            c.rect(label_w, y + 2, length, self.ROW - 6, stroke=0, fill=1)
            c.setFillColor(style.INK)
            c.drawString(label_w + length + 4, y + 5, shown)
        c.setStrokeColor(style.RULE)
        c.line(label_w, 0, label_w, self.height)


class HeatMapChart(Flowable):
    """Likelihood (rows, highest at the top) by impact (columns); each cell says its score
    and which risks sit there."""

    def __init__(self, heat: object, width: float = style.FRAME_WIDTH) -> None:
        from dom_desk.domain.risks import LEVEL_NAMES, LEVELS

        super().__init__()
        self.heat = heat
        self.levels = LEVELS
        self.names = LEVEL_NAMES
        self.cell_w = min(88.0, (width - 70) / 4)
        self.cell_h = 40.0
        self.width = 70 + 4 * self.cell_w
        self.height = 4 * self.cell_h + 34

    def wrap(self, _w: float, _h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        f = style.fonts()
        fills = {"Low": "#E3EEDD", "Medium": "#FBEBC5", "High": "#F6D2B8", "Very high": "#EDB8B3"}
        left, bottom = 70.0, 22.0
        for row, likelihood in enumerate(reversed(self.levels)):
            y = bottom + (3 - row) * self.cell_h
            c.setFont(f.regular, 7.5)
            c.setFillColor(style.INK)
            c.drawRightString(left - 6, y + self.cell_h / 2 - 3, self.names[likelihood])
            for col, impact in enumerate(self.levels):
                cell = self.heat.cell(likelihood, impact)  # type: ignore[attr-defined]
                x = left + col * self.cell_w
                c.setFillColor(colors.HexColor(fills.get(cell.band, "#FFFFFF")))
                c.setStrokeColor(colors.white)
                c.setLineWidth(1.5)
                c.rect(x, y, self.cell_w, self.cell_h, stroke=1, fill=1)
                c.setFillColor(style.INK)
                c.setFont(f.bold, 8)
                score = "" if cell.score is None else f"Score {cell.score}"
                c.drawString(x + 4, y + self.cell_h - 10, score)
                c.setFont(f.regular, 7)
                c.setFillColor(style.MUTED)
                c.drawRightString(x + self.cell_w - 4, y + self.cell_h - 10, cell.band)
                if cell.count:
                    c.setFillColor(style.INK)
                    c.setFont(f.bold, 7.5)
                    words = f"{cell.count} risk{'s' if cell.count != 1 else ''}"
                    c.drawString(x + 4, y + self.cell_h - 21, words)
                    c.setFont(f.regular, 7)
                    refs = _lines(", ".join(cell.references), 7, self.cell_w - 8, most=2)
                    for i, line in enumerate(refs):
                        c.drawString(x + 4, y + self.cell_h - 30 - 8 * i, line)
        c.setFont(f.regular, 7.5)
        c.setFillColor(style.INK)
        for col, impact in enumerate(self.levels):
            c.drawCentredString(left + (col + 0.5) * self.cell_w, bottom - 10, self.names[impact])
        c.setFont(f.bold, 7.5)
        c.setFillColor(style.NAVY)
        c.drawCentredString(left + 2 * self.cell_w, 0, "Impact")
        c.saveState()
        c.translate(8, bottom + 2 * self.cell_h)
        c.rotate(90)
        c.drawCentredString(0, 0, "Likelihood")
        c.restoreState()


class TimelineChart(Flowable):
    """Some rows of the timeline: a label column, then bars and points across the years."""

    ROW = 22.0
    AXIS = 22.0
    FOOT = 11.0

    def __init__(
        self, model: object, rows: Sequence[object], width: float = style.FRAME_WIDTH
    ) -> None:
        super().__init__()
        self.model = model
        self.rows = list(rows)
        self.width = width
        self.label_w = 118.0
        self.height = self.AXIS + self.ROW * len(self.rows) + self.FOOT

    def wrap(self, _w: float, _h: float) -> tuple[float, float]:
        return self.width, self.height

    def _x(self, day: date) -> float:
        fraction = min(1.0, max(0.0, self.model.fraction(day)))  # type: ignore[attr-defined]
        return self.label_w + fraction * (self.width - self.label_w)

    def draw(self) -> None:
        top = self.height - self.AXIS
        self._axis(top)
        for i, row in enumerate(self.rows):
            self._row(row, top - (i + 1) * self.ROW)
        self._today(top)

    def _axis(self, top: float) -> None:
        """A heavier line and label at each financial year, light lines at quarters."""
        from dom_desk.domain.timeline import Zoom

        c, f, m = self.canv, style.fonts(), self.model
        plot_w = self.width - self.label_w
        for tick in m.ticks(Zoom.QUARTER):  # type: ignore[attr-defined]
            x = self._x(tick.when)
            c.setStrokeColor(style.RULE if tick.major else colors.HexColor("#E3E6E8"))
            c.setLineWidth(0.6 if tick.major else 0.3)
            c.line(x, self.FOOT, x, top + 4)
        year_w = plot_w * 365 / m.days  # type: ignore[attr-defined]
        c.setFont(f.bold, 7.5)
        c.setFillColor(style.NAVY)
        for tick in m.ticks(Zoom.YEAR):  # type: ignore[attr-defined]
            x = self._x(tick.when)
            end = min(self.width, x + year_w)
            if end - x > style.text_width(tick.label, 7.5, bold=True) + 4:
                c.drawCentredString((x + end) / 2, top + 9, tick.label)
        c.setStrokeColor(style.NAVY)
        c.setLineWidth(0.8)
        c.line(self.label_w, top + 4, self.width, top + 4)

    def _row(self, row: object, y: float) -> None:
        c, f = self.canv, style.fonts()
        c.setFont(f.regular, 7.5)
        c.setFillColor(style.INK)
        for j, line in enumerate(_lines(row.label, 7.5, self.label_w - 8)):  # type: ignore[attr-defined]
            c.drawString(0, y + self.ROW - 9 - 8.5 * j, line)
        c.setStrokeColor(colors.HexColor("#E3E6E8"))
        c.setLineWidth(0.3)
        c.line(0, y, self.width, y)
        for bar in row.bars:  # type: ignore[attr-defined]
            self._bar(bar, y)
        right = self.label_w
        for point in row.points:  # type: ignore[attr-defined]
            right = max(right, self._point(point, y))
        if row.note:  # type: ignore[attr-defined]
            # What cannot be drawn ("Award: Tbc") is said in words, after the marks.
            start = (
                max(right, max((self._x(b.end) for b in row.bars), default=right))  # type: ignore[attr-defined]
                + 6
            )
            room = self.width - start - 2
            if room > 60:
                c.setFont(f.italic, 6.8)
                c.setFillColor(style.MUTED)
                c.drawString(start, y + self.ROW / 2 - 2.5, _fit(row.note, 6.8, room))  # type: ignore[attr-defined]

    def _bar(self, bar: object, y: float) -> None:
        from dom_desk.domain.timeline import KIND_COLOURS

        c, f = self.canv, style.fonts()
        x0, x1 = self._x(bar.start), self._x(bar.end)  # type: ignore[attr-defined]
        if x1 <= x0:
            return
        c.setFillColor(colors.HexColor(KIND_COLOURS.get(bar.colour or bar.kind, "#C8CDD0")))  # type: ignore[attr-defined]
        c.setStrokeColor(style.INK if bar.fuzzy else colors.white)  # type: ignore[attr-defined]
        c.setLineWidth(0.6 if bar.fuzzy else 0.5)  # type: ignore[attr-defined]
        if bar.fuzzy:  # type: ignore[attr-defined]
            c.setDash(2, 1.5)
        c.rect(x0, y + 5, x1 - x0, self.ROW - 10, stroke=1, fill=1)
        c.setDash()
        if bar.short and style.text_width(bar.short, 6.5) < x1 - x0 - 3:  # type: ignore[attr-defined]
            c.setFont(f.regular, 6.5)
            c.setFillColor(style.INK)
            c.drawCentredString((x0 + x1) / 2, y + 8.5, bar.short)  # type: ignore[attr-defined]

    def _point(self, point: object, y: float) -> float:
        """A diamond at the point's date; returns its right edge."""
        c = self.canv
        x = self._x(point.when)  # type: ignore[attr-defined]
        c.setFillColor(colors.HexColor(point_colour(point)))
        c.setStrokeColor(style.INK)
        c.setLineWidth(0.4)
        if point.fuzzy:  # type: ignore[attr-defined]
            c.setDash(1.2, 1)
        mid = y + self.ROW / 2
        path = c.beginPath()
        path.moveTo(x, mid + 4.5)
        path.lineTo(x + 4.5, mid)
        path.lineTo(x, mid - 4.5)
        path.lineTo(x - 4.5, mid)
        path.close()
        c.drawPath(path, stroke=1, fill=1)
        c.setDash()
        return x + 4.5

    def _today(self, top: float) -> None:
        c, f, m = self.canv, style.fonts(), self.model
        today = m.today  # type: ignore[attr-defined]
        if not m.start <= today <= m.end:  # type: ignore[attr-defined]
            return
        x = self._x(today)
        red = colors.HexColor("#B2182B")
        c.setStrokeColor(red)
        c.setLineWidth(0.9)
        c.setDash(3, 2)
        c.line(x, self.FOOT, x, top + 4)
        c.setDash()
        c.setFont(f.bold, 6.5)
        c.setFillColor(red)
        c.drawCentredString(x, 2, "Today")


def point_colour(point: object) -> str:
    """A stage's own colour for a stage drawn as a point; the kind's colour otherwise."""
    from dom_desk.domain.timeline import KIND_COLOURS
    from dom_desk.models import Stage

    label = point.label  # type: ignore[attr-defined]
    if point.kind == "stage":  # type: ignore[attr-defined]
        for stage in Stage:
            if label.startswith(stage.label):
                return KIND_COLOURS[stage.name]
    return KIND_COLOURS.get(point.kind, "#505A5F")  # type: ignore[attr-defined]


def legend_items() -> list[tuple[str, str]]:
    """(colour, words) for the timeline's key."""
    from dom_desk.domain.timeline import KIND_COLOURS, STAGE_SHORT
    from dom_desk.models import Stage

    items = [
        (KIND_COLOURS[s.name], f"{STAGE_SHORT[s]}: {s.label}")
        for s in Stage
        if s is not Stage.SERVICE_START
    ]
    items += [
        (KIND_COLOURS["expiry"], "\u25c6 Current agreement expires"),
        (KIND_COLOURS[Stage.SERVICE_START.name], "\u25c6 Service start"),
    ]
    return items
