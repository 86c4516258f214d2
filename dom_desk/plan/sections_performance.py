"""Targets by provider (grouped by measure area, like seed 002's Annex C) and the previous
year's performance: the matrix, and a few trend charts."""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import Flowable, Image

from dom_desk.models import ProviderKind
from dom_desk.plan import style
from dom_desk.plan.build import BuildContext, gap, keep
from dom_desk.plan.markup import plain
from dom_desk.plan.tables import Cell, Col, TableSpec
from dom_desk.plan.template import SectionChoice

#: Measures per matrix table: with the provider column, what A4 portrait holds legibly.
MATRIX_COLUMNS = 6


#: Headings for a kind's providers, where adding an "s" would be wrong.
PLURALS = {
    ProviderKind.PRISON_CLUSTER: "Prison clusters and groups",
    ProviderKind.CRC: "Community Rehabilitation Companies",
    ProviderKind.NPS_DIVISION: "National Probation Service divisions",
    ProviderKind.VCS: "Voluntary and community sector",
    ProviderKind.PRIVATE_COMPANY: "Private companies",
}


def _plural(kind: ProviderKind) -> str:
    return PLURALS.get(kind, f"{kind.label}s")


def targets(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    if not d.targets:
        made.append(ctx.para(f"No targets have been recorded for {plain(d.year)}."))
        return made
    kind: ProviderKind | None = None
    for provider in d.targets:
        if provider.kind is not kind:
            kind = provider.kind
            made.extend(ctx.subheading(section, _plural(kind)))
        has_minimum = any(line.minimum for line in provider.lines)
        has_weight = any(line.weighting for line in provider.lines)
        cols = [
            Col("ID", "fit"),
            Col("Measure", weight=3),
            Col("Guidance", "fit"),
            Col("Target", "num"),
        ]
        cols += [Col("Minimum", "num")] if has_minimum else []
        cols += [Col("Weight", "num")] if has_weight else []
        spec = TableSpec(cols, title=provider.provider)
        area = None
        for line in provider.lines:
            if line.area != area:
                area = line.area
                spec.group(area)
            cells = [line.code, line.measure, line.guidance, line.target]
            cells += [line.minimum] if has_minimum else []
            cells += [line.weighting] if has_weight else []
            spec.add(*cells)
        made += ctx.titled_table(spec)
    return made


def _chunks(count: int, most: int) -> list[list[int]]:
    """``range(count)`` in as few runs of at most ``most`` as possible, of even length
    (25 measures make 5 tables of 5, not 4 of 6 and one of 1)."""
    if count <= 0:
        return []
    tables = -(-count // most)
    size = -(-count // tables)
    return [list(range(start, min(count, start + size))) for start in range(0, count, size)]


def _matrix_tables(ctx: BuildContext, matrix: object) -> list[Flowable]:
    from dom_desk.plan.style import STATUS_FILL

    providers = matrix.providers  # type: ignore[attr-defined]
    measures = matrix.measures  # type: ignore[attr-defined]
    cells = matrix.cells  # type: ignore[attr-defined]
    made: list[Flowable] = []
    order = list(ProviderKind)
    rows = sorted(
        range(len(providers)),
        key=lambda r: (order.index(providers[r].kind), providers[r].name.casefold()),
    )
    for cols in _chunks(len(measures), MATRIX_COLUMNS):
        shown = [r for r in rows if any(cells[r][c] is not None for c in cols)]
        if not shown:
            continue
        # Measures share the width evenly, so their codes head columns of one width.
        spec = TableSpec(
            [Col("Provider", weight=MATRIX_COLUMNS / 2.4)]
            + [Col(measures[c].code, weight=1) for c in cols]
        )
        kind = None
        for r in shown:
            if providers[r].kind is not kind:
                kind = providers[r].kind
                spec.group(kind.label)
            line: list[object] = [providers[r].name]
            for c in cols:
                cell = cells[r][c]
                if cell is None:
                    line.append(Cell("n/a"))
                    continue
                text = cell.label + (f"\n{cell.value_text}" if cell.value_text else "")
                line.append(Cell(text, fill=STATUS_FILL.get(cell.status.label)))
            spec.add(*line)
        made += [ctx.table(spec), gap(10)]
    return made


def _measure_key(ctx: BuildContext, matrix: object) -> Flowable:
    spec = TableSpec(
        [Col("ID", "fit"), Col("Measure", weight=3), Col("Unit", "fit"), Col("Better", "fit")]
    )
    for m in matrix.measures:  # type: ignore[attr-defined]
        spec.add(
            m.code, m.title, m.unit.label, "Higher" if m.direction.name == "HIGHER" else "Lower"
        )
    return ctx.table(spec)


#: What each status means, in the order a reader should look at them.
MEANINGS = {
    "MISSING": "no return although one was due",
    "MISSED": "short of target by more than the measure's tolerance",
    "NEAR": "short of target by no more than the measure's tolerance",
    "NO_FIGURES": "a target is set but the provider does not return this measure",
    "NO_TARGET": "figures returned but no target was set",
    "NOT_DUE": "no return due yet",
    "MET": "at or better than target",
}


def _legend(counts: dict) -> str:
    """The key to the statuses the table shows (and n/a)."""
    shown = sorted(counts, key=lambda status: status.severity)
    parts = []
    for status in shown:
        label = "Missing (late)" if status.name == "MISSING" else status.label
        parts.append(f"<b>{plain(label)}</b>: {MEANINGS.get(status.name, status.label)}.")
    parts.append("<b>n/a</b>: the measure does not apply to the provider.")
    return " ".join(parts)


def performance(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    matrix = d.matrix
    if matrix is None or d.previous_year is None:
        made.append(
            ctx.para(
                f"The workbook holds no year before {plain(d.year)}, so there "
                "is no previous year's performance to report."
            )
        )
        return made
    counts = matrix.counts()  # type: ignore[attr-defined]
    if not counts:
        made.append(ctx.para(f"No targets or results were recorded for {plain(d.previous_year)}."))
        return made
    summary = ", ".join(
        f"{status.label.lower()} {n:,}"
        for status, n in sorted(counts.items(), key=lambda item: item[0].severity)
    )
    made.append(
        ctx.para(
            f"Results for <b>{plain(matrix.window.label)}</b> against the targets agreed for "  # type: ignore[attr-defined]
            f"{plain(d.previous_year)}, for each provider and measure. Rates are summed "
            "numerators over summed denominators, counts are added up, snapshots are the "
            f"latest figure. Across all providers and measures: {plain(summary) or 'no results'}."
        )
    )
    made.append(ctx.para(_legend(counts), "small"))
    made.extend(ctx.subheading(section, f"Results against targets, {d.previous_year}"))
    made += _matrix_tables(ctx, matrix)
    made += [*ctx.subheading(section, "Measures in the table"), _measure_key(ctx, matrix)]
    if d.trend_images:
        heading = ctx.subheading(section, "Trends")
        for i, (title, png, (w_in, h_in)) in enumerate(d.trend_images):
            width = style.FRAME_WIDTH
            image = Image(BytesIO(png), width=width, height=width * h_in / w_in)
            # The heading goes with the first chart, never alone at a page's foot.
            made.append(keep(*(heading if i == 0 else []), image, ctx.caption(f"Figure: {title}.")))
    elif d.trend_note:
        made += [gap(6), ctx.para(plain(d.trend_note), "small")]
    return made
