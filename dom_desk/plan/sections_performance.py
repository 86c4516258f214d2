"""Targets by provider (grouped by measure area, like seed 002's Annex C) and the previous
year's performance: the matrix, and a few trend charts."""

from __future__ import annotations

import re
from io import BytesIO

from reportlab.platypus import Flowable, Image

from dom_desk.models import ProviderKind
from dom_desk.plan import style
from dom_desk.plan.build import BuildContext, gap, keep
from dom_desk.plan.data import ProviderTargets, TargetLine
from dom_desk.plan.markup import plain
from dom_desk.plan.tables import Cell, Col, TableSpec
from dom_desk.plan.template import SectionChoice

#: Measures per matrix table: with the provider column, what A4 portrait holds legibly.
MATRIX_COLUMNS = 6
#: Measures per targets matrix table (a target is shorter than a result and its status).
TARGET_COLUMNS = 7
#: A cell of a matrix where the provider has no target for (or no return of) the measure.
NONE = "\u2013"


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
    """Targets as a matrix for each kind of provider (providers by measures, the
    wording once under it), or a list where a kind has one provider."""
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    if not d.targets:
        made.append(ctx.para(f"No targets have been recorded for {plain(d.year)}."))
        return made
    by_kind: dict[ProviderKind, list[ProviderTargets]] = {}
    for provider in d.targets:
        by_kind.setdefault(provider.kind, []).append(provider)
    for kind, providers in by_kind.items():
        made.extend(ctx.subheading(section, _plural(kind)))
        if len(providers) == 1:
            made += _target_list(ctx, providers[0])
        else:
            made += _target_matrix(ctx, kind, providers)
    return made


def _target_list(ctx: BuildContext, provider: ProviderTargets) -> list[Flowable]:
    """One provider's targets, a line a measure, grouped by area."""
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
    return ctx.titled_table(spec)


def _code_order(code: str) -> tuple[object, ...]:
    """ "KPI 2" before "KPI 10"."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", code))


def _target_cell(line: TargetLine) -> str:
    text = line.target
    text += f"\nmin {line.minimum}" if line.minimum else ""
    text += f"\nweight {line.weighting}" if line.weighting else ""
    return text


def _target_matrix(
    ctx: BuildContext, kind: ProviderKind, providers: list[ProviderTargets]
) -> list[Flowable]:
    """Providers down, measures across (in tables of a few measures each), then each
    measure's wording once: with the target in its blank where every provider has the
    same target, else as the framework words it (the figures are in the table)."""
    lines: dict[str, list[TargetLine]] = {}
    for provider in providers:
        for line in provider.lines:
            lines.setdefault(line.code, []).append(line)
    codes = sorted(lines, key=lambda c: (lines[c][0].area.casefold(), _code_order(c)))
    made: list[Flowable] = []
    for chunk in _chunks(len(codes), TARGET_COLUMNS):
        shown = [codes[i] for i in chunk]
        spec = TableSpec(
            [Col("Provider", weight=TARGET_COLUMNS / 2.4)]
            + [Col(code, "num", weight=1) for code in shown]
        )
        for provider in providers:
            mine = {line.code: line for line in provider.lines}
            spec.add(
                provider.provider,
                *(_target_cell(mine[c]) if c in mine else NONE for c in shown),
            )
        made += [ctx.table(spec), gap(6)]
    key = TableSpec([Col("ID", "fit"), Col("Measure", weight=3), Col("Guidance", "fit")])
    area = None
    varies = False
    for code in codes:
        first = lines[code][0]
        if first.area != area:
            area = first.area
            key.group(area)
        worded = {line.measure for line in lines[code]}
        guidance = sorted({line.guidance for line in lines[code]})
        differs = len(worded) > 1
        varies = varies or differs
        key.add(
            code, first.template or first.measure if differs else first.measure, ", ".join(guidance)
        )
    made.append(
        ctx.para(
            f"{NONE}: no target for the provider. Where the providers' targets for a measure "
            "are the same, its wording below gives the target; otherwise the wording keeps "
            "its blank and the table gives each provider's target.",
            "small",
        )
        if varies
        else ctx.para(f"{NONE}: no target for the provider.", "small")
    )
    made += [ctx.table(key), gap(10)]
    return made


def _chunks(count: int, most: int) -> list[list[int]]:
    """``range(count)`` in as few runs of at most ``most`` as possible, of even length
    (25 measures make 5 tables of 5, not 4 of 6 and one of 1)."""
    if count <= 0:
        return []
    tables = -(-count // most)
    size = -(-count // tables)
    return [list(range(start, min(count, start + size))) for start in range(0, count, size)]


def _has_result(cell: object) -> bool:
    """A cell with something to say: a return judged against a target (or figures with
    no target), not an empty cell, no figures or a return not yet due."""
    return cell is not None and cell.status.name not in ("NO_FIGURES", "NOT_DUE")  # type: ignore[attr-defined]


def _matrix_tables(ctx: BuildContext, matrix: object) -> list[Flowable]:
    """The results, a table per kind of provider over the measures its providers
    returned; providers and measures with no results at all are named once below,
    rather than filling rows and columns with nothing."""
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
    quiet_rows = [r for r in rows if not any(_has_result(c) for c in cells[r])]
    with_results = [r for r in rows if r not in quiet_rows]
    quiet_cols = [
        c for c in range(len(measures)) if not any(_has_result(cells[r][c]) for r in rows)
    ]
    kinds: dict[ProviderKind, list[int]] = {}
    for r in with_results:
        kinds.setdefault(providers[r].kind, []).append(r)
    for kind, kind_rows in kinds.items():
        cols = [c for c in range(len(measures)) if any(_has_result(cells[r][c]) for r in kind_rows)]
        for chunk in _chunks(len(cols), MATRIX_COLUMNS):
            shown_cols = [cols[i] for i in chunk]
            # Measures share the width evenly, so their codes head columns of one width.
            spec = TableSpec(
                [Col("Provider", weight=MATRIX_COLUMNS / 2.4)]
                + [Col(measures[c].code, weight=1) for c in shown_cols]
            )
            spec.group(kind.label)
            for r in kind_rows:
                line: list[object] = [providers[r].name]
                for c in shown_cols:
                    cell = cells[r][c]
                    if cell is None:
                        line.append(NONE)
                        continue
                    text = cell.label + (f"\n{cell.value_text}" if cell.value_text else "")
                    line.append(Cell(text, fill=STATUS_FILL.get(cell.status.label)))
                spec.add(*line)
            made += [ctx.table(spec), gap(10)]
    quiet = [providers[r].name for r in quiet_rows] + [measures[c].code for c in quiet_cols]
    if quiet:
        made.append(ctx.para(f"No results yet for {plain(_listed(quiet))}.", "small"))
    return made


def _listed(names: list[str]) -> str:
    """ "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _measure_key(ctx: BuildContext, matrix: object) -> Flowable:
    spec = TableSpec(
        [Col("ID", "fit"), Col("Measure", weight=3), Col("Unit", "fit"), Col("Better", "fit")]
    )
    rows = range(len(matrix.providers))  # type: ignore[attr-defined]
    for c, m in enumerate(matrix.measures):  # type: ignore[attr-defined]
        if not any(_has_result(matrix.cells[r][c]) for r in rows):  # type: ignore[attr-defined]
            continue  # not in the tables: named under them as having no results yet
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
    parts.append(f"<b>{NONE}</b>: no target for the provider and no figures returned.")
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
