"""Value for money to xlsx: every service line against its target unit cost and its
peers, and the same by pathway (for the window and `dom-desk export vfm`)."""

from __future__ import annotations

from pathlib import Path

from dom_desk.domain.values import Kind
from dom_desk.domain.vfm import ValueForMoney
from dom_desk.exports.xlsx_tables import Sheet, write_sheets

_LINE_HEADERS = (
    ("Provider", Kind.TEXT),
    ("Agreement", Kind.TEXT),
    ("Service", Kind.TEXT),
    ("Pathway", Kind.TEXT),
    ("Unit", Kind.TEXT),
    ("Volume", Kind.INTEGER),
    ("Unit price", Kind.MONEY),
    ("Value", Kind.MONEY),
    ("Target unit cost", Kind.MONEY),
    ("Above target", Kind.MONEY),
    ("Above target %", Kind.PERCENT),
    ("Cost beyond target", Kind.MONEY),
    ("Lowest paid", Kind.MONEY),
    ("Median paid", Kind.MONEY),
    ("Highest paid", Kind.MONEY),
    ("Rank (1 = lowest price)", Kind.TEXT),
    ("Note", Kind.TEXT),
)

_PATHWAY_HEADERS = (
    ("Pathway", Kind.TEXT),
    ("Service lines", Kind.INTEGER),
    ("Value", Kind.MONEY),
    ("Lines with a target cost", Kind.INTEGER),
    ("Their value", Kind.MONEY),
    ("Their value at target prices", Kind.MONEY),
    ("Paid beyond target", Kind.MONEY),
)


def vfm_sheets(vfm: ValueForMoney) -> list[Sheet]:
    lines = []
    for line in vfm.lines:
        bench = line.benchmark
        lines.append(
            [
                line.provider,
                line.agreement,
                line.service,
                line.pathway,
                line.unit,
                line.volume,
                line.unit_price,
                line.value,
                line.target_unit_cost,
                line.above_target,
                line.above_target_percent,
                line.excess,
                bench.lowest if bench else None,
                bench.median_pence if bench else None,
                bench.highest if bench else None,
                line.rank_text,
                line.note,
            ]
        )
    pathways = [
        [
            p.pathway,
            p.lines,
            p.value,
            p.costed_lines,
            p.value_of_costed,
            p.value_at_target,
            p.excess,
        ]
        for p in vfm.pathways
    ]
    total = [
        [
            "Total",
            sum(p.lines for p in vfm.pathways),
            sum(p.value for p in vfm.pathways),
            sum(p.costed_lines for p in vfm.pathways),
            sum(p.value_of_costed for p in vfm.pathways),
            sum(p.value_at_target for p in vfm.pathways),
            vfm.total_excess,
        ]
    ]
    return [
        Sheet(
            f"Service lines {vfm.year}",
            [h for h, _ in _LINE_HEADERS],
            [k for _, k in _LINE_HEADERS],
            lines,
        ),
        Sheet(
            f"By pathway {vfm.year}",
            [h for h, _ in _PATHWAY_HEADERS],
            [k for _, k in _PATHWAY_HEADERS],
            pathways,
            footer=total,
        ),
    ]


def export_vfm(vfm: ValueForMoney, path: Path) -> Path:
    return write_sheets(path, vfm_sheets(vfm))
