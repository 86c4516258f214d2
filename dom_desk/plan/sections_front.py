"""The front of the plan: cover, version control, foreword, contents."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from dom_desk.domain.periods import format_date
from dom_desk.plan import style
from dom_desk.plan.build import BuildContext, gap
from dom_desk.plan.document import ContentsEntry, TocEntry
from dom_desk.plan.markup import plain
from dom_desk.plan.tables import Col, TableSpec
from dom_desk.plan.template import SectionChoice


def version_label(version: str, final: bool) -> str:
    return version if final else f"{version} (draft)"


def cover(ctx: BuildContext, _section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    meta = [
        ("Region", d.region),
        ("Financial year", d.year),
        ("Version", version_label(d.version, d.final)),
        ("Date", format_date(d.today)),
        ("Issued by", d.issued_by or d.dom_title),
    ]
    ctx.seen.extend(v for _k, v in meta)
    rows = [
        [ctx.para(plain(k), "cover_meta"), ctx.para(f"<b>{plain(v)}</b>", "cover_meta")]
        for k, v in meta
    ]
    facts = Table(
        rows,
        colWidths=[38 * mm, style.FRAME_WIDTH - 38 * mm],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, style.NAVY),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, style.RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
    )
    made: list[Flowable] = [
        gap(48 * mm),
        ctx.para(plain(f"{d.dom_title}, {d.region}").upper(), "cover_meta"),
        gap(6),
        ctx.para("Regional Commissioning Plan", "cover_title"),
        gap(4),
        ctx.para(f"{plain(d.region)} &middot; {plain(d.year)}", "cover_sub"),
        gap(26 * mm),
        facts,
    ]
    if not d.final:
        made += [
            gap(14 * mm),
            ctx.para(
                "<b>DRAFT</b> for comment. This version is not for publication; the figures "
                "and targets in it may change before the plan is final.",
                "body",
            ),
        ]
    if d.illustrative:
        made += [
            gap(6),
            ctx.para(
                "Some figures in this plan are marked in the workbook as illustrative: they "
                "are sample values, not agreed allocations.",
                "small",
            ),
        ]
    return made


def version_control(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    spec = TableSpec(
        [
            Col("Version", "fit"),
            Col("Reason for issue / changes", weight=3),
            Col("Date", "fit"),
            Col("Issued by", weight=1.4),
        ]
    )
    for record in d.history:
        spec.add(
            version_label(record.version, record.final),
            record.reason,
            format_date(record.plan_date),
            # The record keeps the login (who exported it, for the audit trail); the
            # plan prints the issuer the DOM entered, never a login.
            d.issued_by,
        )
    spec.add(version_label(d.version, d.final), d.reason, format_date(d.today), d.issued_by)
    return [
        ctx.section_heading(section),
        ctx.para(
            "It is the responsibility of readers of this document to make sure they "
            "are using its most up to date version. Each version of the plan issued "
            f"for {plain(d.year)} is listed below; this is version "
            f"<b>{plain(version_label(d.version, d.final))}</b>."
        ),
        gap(4),
        ctx.table(spec),
    ]


def foreword(ctx: BuildContext, section: SectionChoice) -> list[Flowable]:
    d = ctx.data
    made: list[Flowable] = [ctx.section_heading(section)]
    made += ctx.text(section.body)
    # The sign-off: the issuer's name over their role, as the DOM entered them.
    lines = [f"<b>{plain(d.issuer_name)}</b>"] if d.issuer_name else []
    role = plain(d.issuer_role or d.dom_title)
    lines += [role if d.issuer_name else f"<b>{role}</b>", plain(d.region)]
    made += [gap(10), ctx.para("<br/>".join(lines))]
    return made


def contents(ctx: BuildContext, section: SectionChoice, entries: list[TocEntry]) -> list[Flowable]:
    """The contents page; ``entries`` are the headings of the sections that follow it."""
    made: list[Flowable] = [ctx.section_heading(section)]
    ctx.toc.pop(section.key, None)  # the contents do not list themselves
    if not entries:
        made.append(ctx.para("The plan has no sections after this page."))
    made += [ContentsEntry(e) for e in entries]
    return made
