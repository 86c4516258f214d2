"""Chart figures, drawn with matplotlib's object API and no pyplot and no Qt.

The same ``matplotlib.figure.Figure`` goes into the window (inside a
``FigureCanvasQTAgg``) and into files (PNG for sharing, SVG or PDF for the plan).
matplotlib is imported inside the functions, so importing this module costs nothing
until a chart is first drawn.
"""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from dom_desk.domain.performance import format_measure_value
from dom_desk.domain.trends import Series, TrendData
from dom_desk.files import atomic_path
from dom_desk.models import Direction, MeasureUnit

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colours chosen to stay distinct for the common colour-vision deficiencies, and every
#: series also differs in line style and marker, so nothing is told by colour alone.
ACTUAL = "#1f4e79"
PREVIOUS = "#7f7f7f"
TARGET = "#b2182b"
BETTER_SIDE = "#e6f2e6"
PROVIDER_COLOURS = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
    "#c44e52",
    "#2f4b7c",
    "#a05195",
)
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _numbers(series: Series) -> list[float]:
    # matplotlib draws floats; a missing period becomes a gap in the line.
    return [math.nan if v is None else float(v) for v in series.values]


def _axis_formatter(unit: MeasureUnit):
    from matplotlib.ticker import FuncFormatter

    def shown(value: float, _position: int) -> str:
        text = format_measure_value(unit, Decimal(str(float(value))))
        return text.removesuffix(" days")

    return FuncFormatter(shown)


def _last_point(values: list[float]) -> int | None:
    for index in range(len(values) - 1, -1, -1):
        if not math.isnan(values[index]):
            return index
    return None


def _shade_better_side(ax: Axes, data: TrendData, target: list[float]) -> None:
    """Tints the side of the target line that meets it, and says which side that is."""
    if not target or all(math.isnan(v) for v in target):
        return
    level = next(v for v in target if not math.isnan(v))
    low, high = ax.get_ylim()
    if data.direction is Direction.HIGHER:
        ax.axhspan(level, max(high, level), color=BETTER_SIDE, zorder=0, linewidth=0)
        ax.text(
            1.0,
            1.0,
            "better ↑",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#2d6a2d",
        )
    else:
        ax.axhspan(min(low, level), level, color=BETTER_SIDE, zorder=0, linewidth=0)
        ax.text(
            1.0,
            1.0,
            "better ↓",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#2d6a2d",
        )
    ax.set_ylim(low, high)


def trend_figure(
    data: TrendData, width: float = 8.0, height: float = 4.4, dpi: int = 100
) -> Figure:
    """Actuals by period against the target line, with the previous year dashed."""
    import matplotlib

    # Names and titles come from users and returns: a provider called "Cost $1 to $2"
    # must print as written, not as mathtext (each text keeps the setting it was made with).
    with matplotlib.rc_context({"text.parse_math": False}):
        return _trend_figure(data, width, height, dpi)


def _trend_figure(data: TrendData, width: float, height: float, dpi: int) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.patheffects import withStroke

    if data.providers:  # room for the legend beside the plot
        width *= 1.2
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    fig.set_label(f"{data.title}. {data.subtitle}")
    ax = fig.add_subplot()
    x = list(range(len(data.labels)))
    handles = []
    actual = _numbers(data.actual)
    (line,) = ax.plot(
        x,
        actual,
        color=ACTUAL,
        marker="o",
        markersize=5,
        linewidth=2.4,
        label=data.actual.name,
        zorder=4,
    )
    handles.append(line)
    target = _numbers(data.target) if data.target is not None else []
    if data.target is not None:
        (line,) = ax.plot(
            x,
            target,
            color=TARGET,
            linestyle=(0, (6, 3)),
            linewidth=1.6,
            drawstyle="steps-mid",
            label=data.target.name,
            zorder=3,
        )
        handles.append(line)
    if data.previous is not None:
        (line,) = ax.plot(
            x,
            _numbers(data.previous),
            color=PREVIOUS,
            linestyle="--",
            marker="o",
            markerfacecolor="white",
            markersize=4,
            linewidth=1.4,
            label=data.previous.name,
            zorder=2,
        )
        handles.append(line)
    for index, series in enumerate(data.providers):
        (line,) = ax.plot(
            x,
            _numbers(series),
            linewidth=0.9,
            alpha=0.6,
            label=series.name,
            color=PROVIDER_COLOURS[index % len(PROVIDER_COLOURS)],
            zorder=1,
        )
        handles.append(line)
    last = _last_point(actual)
    if last is not None:
        ax.annotate(
            format_measure_value(data.unit, data.actual.values[last]),
            (x[last], actual[last]),
            textcoords="offset points",
            xytext=(7, 7),
            fontsize=9,
            fontweight="bold",
            color=ACTUAL,
            zorder=5,
            path_effects=[withStroke(linewidth=3, foreground="white")],
        )
    ax.set_xticks(x, data.labels)
    ax.yaxis.set_major_formatter(_axis_formatter(data.unit))
    ax.set_ylabel(data.unit.label)
    ax.margins(x=0.03, y=0.15)
    _shade_better_side(ax, data, target)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = textwrap.wrap(data.title, 80)
    shown = "\n".join(title[:2]) + ("…" if len(title) > 2 else "")
    fig.suptitle(shown, x=0.01, ha="left", fontsize=11, fontweight="bold")
    ax.set_title(data.subtitle, loc="left", fontsize=9, color="#444444")
    if data.providers:  # many entries: a column on the right
        fig.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=8)
    else:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            frameon=False,
            fontsize=8,
            ncols=len(handles),
        )
    if data.empty:
        ax.text(
            0.5,
            0.5,
            "No figures returned yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color="#666666",
        )
    return fig


def save_figure(fig: Figure, path: Path, dpi: int = 150) -> Path:
    """Writes the figure to ``path`` (PNG, SVG or PDF, by its suffix), atomically."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        from dom_desk.errors import ValidationError

        raise ValidationError(f"'{path.name}': save charts as .png, .svg or .pdf")
    with atomic_path(path) as temporary:
        fig.savefig(temporary, format=fmt, dpi=dpi)
    return path
