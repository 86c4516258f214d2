"""The plan's drawings for the HTML page: inline SVG with a name and a description, and
the figures each one shows as a table (the heat map is a table outright).

They draw the same objects the PDF's drawings do (``graphics.BarChart``'s items, the
risk ``HeatMap``, the competitions ``Timeline``, ``trends.TrendData``), so the page and
the PDF cannot disagree. Every mark also carries its words.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.plan.html_markup import one_line
from dom_desk.plan.html_tables import table_html
from dom_desk.plan.table_spec import Col, TableSpec

NAVY = "#1F3A5F"
BLUE = "#2F6DA3"
INK = "#0B0C0C"
MUTED = "#505A5F"
RULE = "#B1B4B6"
HEAT_FILLS = {"Low": "#E3EEDD", "Medium": "#FBEBC5", "High": "#F6D2B8", "Very high": "#EDB8B3"}


def _svg_text(value: str) -> str:
    return html.escape(" ".join(value.split()))


def _svg(ident: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{ident}-t {ident}-d" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{_svg_text(title)}</title>'
        f'<desc id="{ident}-d">{_svg_text(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _short(value: str, most: int) -> str:
    return value if len(value) <= most else value[: most - 1].rstrip() + "\u2026"


# -- bars: committed money by group ------------------------------------------------------------


def bar_chart(ident: str, items: Sequence[tuple[str, int]], title: str) -> str:
    """Horizontal bars, each labelled with its group and its exact sum (the builder puts
    the table of the same figures just above it, as in the PDF)."""
    row, label_w, width = 26, 250, 720
    values = [format_pounds(v) for _n, v in items]
    top = max((v for _n, v in items), default=0) or 1
    bar_room = width - label_w - 130
    body = [f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{row * len(items)}" stroke="{RULE}"/>']
    for i, ((name, value), shown) in enumerate(zip(items, values, strict=True)):
        y = i * row
        length = max(0.0, bar_room * max(value, 0) / top)
        body += [
            f'<text x="0" y="{y + 17}" font-size="13" fill="{INK}">{_svg_text(_short(name, 34))}'
            "</text>",
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{BLUE}"/>',
            f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" font-size="13" fill="{INK}">'
            f"{_svg_text(shown)}</text>",
        ]
    desc = "; ".join(f"{n}: {v}" for (n, _), v in zip(items, values, strict=True))
    desc += ". The table above gives the same figures."
    return _svg(ident, width, max(row * len(items), row), title, desc, body)


# -- the risk heat map, as a table -------------------------------------------------------------


def heat_map(heat: Any) -> str:
    """Likelihood down (highest first) by impact across; each cell says its score, band and
    the risks in it, on the band's colour."""
    from dom_desk.domain.risks import LEVEL_NAMES, LEVELS

    head = '<th scope="col">Likelihood \u2193 / impact \u2192</th>' + "".join(
        f'<th scope="col">{html.escape(LEVEL_NAMES[i])} impact</th>' for i in LEVELS
    )
    rows = []
    for likelihood in reversed(LEVELS):
        cells = [f'<th scope="row">{html.escape(LEVEL_NAMES[likelihood])} likelihood</th>']
        for impact in LEVELS:
            cell = heat.cell(likelihood, impact)
            words = []
            if cell.score is not None:
                words.append(f"Score {cell.score}")
            if cell.band:
                words.append(html.escape(cell.band))
            if cell.count:
                risks = f"{cell.count} risk{'s' if cell.count != 1 else ''}"
                words.append(f"<strong>{risks}</strong>: {one_line(', '.join(cell.references))}")
            fill = HEAT_FILLS.get(cell.band)
            style = f' style="background-color:{fill}"' if fill else ""
            cells.append(f"<td{style}>{'<br>'.join(words)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table class="heat"><caption>Heat map: open risks by likelihood and impact</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# -- the competitions timeline -----------------------------------------------------------------


def _mark_words(row: Any) -> str:
    words = []
    for bar in row.bars:
        when = f"{format_date(bar.start)} to {format_date(bar.end)}"
        extra = " (approximate)" if bar.fuzzy else ""
        extra += " (done)" if bar.done else ""
        words.append(f"{bar.label} {when}{extra}")
    for point in row.points:
        extra = " (approximate)" if point.fuzzy else ""
        extra += " (done)" if point.done else ""
        words.append(f"{point.label} {format_date(point.when)}{extra}")
    if row.note:
        words.append(row.note)
    return "; ".join(words)


def timeline(ident: str, model: Any, rows: Sequence[Any]) -> tuple[str, str]:
    """The competitions across the years (bars for stages, diamonds for dates, a dashed
    line for today), and a table of every mark in words."""
    from dom_desk.domain.timeline import KIND_COLOURS, Zoom
    from dom_desk.plan.graphics import point_colour

    row_h, axis, label_w, width = 34, 30, 230, 900
    height = axis + row_h * len(rows) + 18

    def x(day: date) -> float:
        return label_w + min(1.0, max(0.0, model.fraction(day))) * (width - label_w)

    body: list[str] = []
    for tick in model.ticks(Zoom.QUARTER):
        colour, stroke = (RULE, 1.0) if tick.major else ("#E3E6E8", 0.6)
        body.append(
            f'<line x1="{x(tick.when):.1f}" y1="{axis - 4}" x2="{x(tick.when):.1f}" '
            f'y2="{height - 18}" stroke="{colour}" stroke-width="{stroke}"/>'
        )
    year_w = (width - label_w) * 365 / model.days
    for tick in model.ticks(Zoom.YEAR):
        mid = (x(tick.when) + min(width, x(tick.when) + year_w)) / 2
        body.append(
            f'<text x="{mid:.1f}" y="{axis - 10}" font-size="12" font-weight="bold" '
            f'text-anchor="middle" fill="{NAVY}">{_svg_text(tick.label)}</text>'
        )
    for i, row in enumerate(rows):
        y = axis + i * row_h
        body.append(
            f'<text x="0" y="{y + 21}" font-size="12" fill="{INK}">'
            f"{_svg_text(_short(row.label, 34))}</text>"
        )
        body.append(
            f'<line x1="0" y1="{y + row_h}" x2="{width}" y2="{y + row_h}" stroke="#E3E6E8"/>'
        )
        for bar in row.bars:
            x0, x1 = x(bar.start), x(bar.end)
            if x1 <= x0:
                continue
            fill = KIND_COLOURS.get(bar.colour or bar.kind, "#C8CDD0")
            dash = ' stroke-dasharray="3 2"' if bar.fuzzy else ""
            stroke = INK if bar.fuzzy else "#FFFFFF"
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 7}" width="{x1 - x0:.1f}" height="{row_h - 14}" '
                f'fill="{fill}" stroke="{stroke}"{dash}/>'
            )
            if bar.short and len(bar.short) * 6.5 < x1 - x0 - 4:
                body.append(
                    f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 21}" font-size="10" '
                    f'text-anchor="middle" fill="{INK}">{_svg_text(bar.short)}</text>'
                )
        for point in row.points:
            px, mid = x(point.when), y + row_h / 2
            dash = ' stroke-dasharray="2 1.5"' if point.fuzzy else ""
            body.append(
                f'<path d="M{px:.1f} {mid - 6:.1f} L{px + 6:.1f} {mid:.1f} L{px:.1f} '
                f'{mid + 6:.1f} L{px - 6:.1f} {mid:.1f} Z" fill="{point_colour(point)}" '
                f'stroke="{INK}" stroke-width="0.6"{dash}/>'
            )
    if model.start <= model.today <= model.end:
        tx = x(model.today)
        body += [
            f'<line x1="{tx:.1f}" y1="{axis - 4}" x2="{tx:.1f}" y2="{height - 18}" '
            'stroke="#B2182B" stroke-width="1.5" stroke-dasharray="4 3"/>',
            f'<text x="{tx:.1f}" y="{height - 4}" font-size="11" font-weight="bold" '
            f'text-anchor="middle" fill="#B2182B">Today</text>',
        ]
    title = f"Competitions timeline from {format_date(model.start)} to {format_date(model.end)}"
    desc = (
        f"{len(rows)} competitions drawn as bars for their stages and diamonds for dates; "
        f"today is {format_date(model.today)}. The table after the chart lists every mark."
    )
    svg = _svg(ident, width, height, title, desc, body)
    spec = TableSpec([Col("Subject"), Col("Stages and dates drawn", weight=3)])
    for row in rows:
        spec.add(row.label, _mark_words(row))
    return svg, table_html(spec, f"Figures in the chart: {title}", css_class="figures")


def legend() -> str:
    """The timeline's colour key, each colour with its words."""
    from dom_desk.plan.graphics import legend_items

    items = "".join(
        f'<li><span class="swatch" style="background-color:{colour}" aria-hidden="true">'
        f"</span>{html.escape(words)}</li>"
        for colour, words in legend_items()
    )
    return f'<ul class="legend" aria-label="Key to the timeline">{items}</ul>'


# -- trend charts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendChart:
    """A trend chart drawn for the page: its title, the SVG and the figures behind it."""

    title: str
    svg: bytes
    data: Any  # trends.TrendData


def trend_image(ident: str, chart: TrendChart) -> tuple[str, str]:
    """The chart as an image with its alternative text, and its figures as a table."""
    from dom_desk.domain.performance import format_measure_value

    data = chart.data
    series = [data.actual]
    series += [data.target] if data.target is not None else []
    series += [data.previous] if data.previous is not None else []
    series += list(data.providers)
    names = [s.name for s in series]
    if data.target is not None:
        names[1] = "Target"
    compared = []
    if data.target is not None:
        compared.append("the target")
    if data.previous is not None:
        compared.append(f"{data.previous.name} for comparison")
    alt = (
        f"Line chart: {chart.title}, period by period"
        + (f", with {' and '.join(compared)}" if compared else "")
        + ". The figures are in the table after the chart."
    )
    source = base64.b64encode(chart.svg).decode("ascii")
    image = (
        f'<img class="trend" src="data:image/svg+xml;base64,{source}" alt="{one_line(alt)}" '
        'width="740" height="330">'
    )
    spec = TableSpec([Col("Period", "fit")] + [Col(n, "num") for n in names])
    for i, label in enumerate(data.labels):
        spec.add(
            label,
            *(format_measure_value(data.unit, s.values[i]) or "\u2013" for s in series),
        )
    return image, table_html(spec, f"Figures in the chart: {chart.title}", css_class="figures")


#: A one-pixel PNG: the section builder makes a reportlab Image of each trend chart, which
#: the page never lays out (it shows the SVG), so the chart is not drawn twice.
PLACEHOLDER_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def trend_charts(wb: Any, data: Any, note: Any) -> list[TrendChart]:
    """The previous year's trend charts, as ``export``'s PDF draws them, kept as SVG for
    the page with the figures behind them. ``data.trend_images`` gets a placeholder for
    each (titles and sizes as the PDF's); ``note`` is told what was left out."""
    if not data.trend_measures or data.previous_year is None:
        return []
    try:
        import matplotlib

        from dom_desk import charts
        from dom_desk.domain.trends import trend
    except ImportError as exc:  # charts are optional: the plan still exports
        data.trend_note = f"Trend charts were left out ({exc})."
        note(data.trend_note)
        return []
    from io import BytesIO

    from dom_desk.plan.export import _legend_below

    width, height = 7.4, 3.3
    made: list[TrendChart] = []
    failed: list[str] = []
    for measure_id in data.trend_measures:
        trend_data = trend(wb, measure_id, None, year=data.previous_year)
        svg = BytesIO()
        try:
            figure = charts.trend_figure(trend_data, width=width, height=height)
            _legend_below(figure, width)
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "dom-desk"}):
                figure.savefig(svg, format="svg", metadata={"Date": None})
        except Exception as exc:  # a chart fault must not lose the plan
            failed.append(f"{trend_data.title} ({type(exc).__name__}: {exc})")
            continue
        size = tuple(float(v) for v in figure.get_size_inches())
        subtitle = trend_data.subtitle.strip().rstrip(".")
        title = f"{trend_data.title} ({subtitle})"
        data.trend_images.append((title, PLACEHOLDER_PNG, (size[0], size[1])))
        made.append(TrendChart(title, svg.getvalue(), trend_data))
    if failed:
        note("Trend charts left out because they could not be drawn: " + "; ".join(failed))
        if not made:
            data.trend_note = "Trend charts could not be drawn for this edition."
    return made
