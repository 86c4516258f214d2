"""The national commissioning plan: every region on the team server side by side, as a PDF.

Built from ``domain.national``'s picture (each region's figures from its own Overview,
matrix, key dates and timetable) and the national views' money by service, in the
regional plan's type, tables, charts and page furniture (``document``, ``tables``,
``graphics``, ``style``): a cover, the regions side by side with committed money drawn
by region, money by service, targets met / near / missed, key dates and competitions.
Written under a temporary name and renamed into place, so a failed export leaves no
half file where the plan is expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dom_desk.domain.money import format_pounds
from dom_desk.domain.national import (
    TARGET_STATUSES,
    NationalPicture,
    ServiceMoney,
    committed_by_service,
    national_picture,
    national_share_met,
    share_met,
    stage_when,
)
from dom_desk.domain.periods import format_date
from dom_desk.files import atomic_path
from dom_desk.plan import style, tables
from dom_desk.plan.document import Heading, PageDecor, write_pdf
from dom_desk.plan.graphics import BarChart
from dom_desk.plan.markup import plain
from dom_desk.plan.sections_other import TABLE_STAGES
from dom_desk.plan.table_spec import Cell, Col, TableSpec

#: Services listed by name in "Money by service"; the rest are summed on one line.
SERVICES_SHOWN = 15


@dataclass(frozen=True)
class NationalPlanResult:
    path: Path
    pages: int
    regions: int
    #: Regions left out and why, in words.
    notes: tuple[str, ...]


def _para(text: str, style_name: str = "body") -> Paragraph:
    return Paragraph(text, style.styles()[style_name])


def _heading(title: str, key: str, level: int = 0) -> Heading:
    return Heading(plain(title), "h1" if level == 0 else "h2", key, level, title)


def _share(part: int, whole: int) -> str:
    if whole <= 0:
        return ""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


def _money(pence: int) -> str:
    return format_pounds(pence) or "£0"


def _cover(picture: NationalPicture, today: str) -> list[Flowable]:
    names = ", ".join(r.region for r in picture.with_figures) or "none"
    meta = [
        ("Financial year", picture.year),
        ("Regions", f"{len(picture.with_figures)}: {names}"),
        ("Date", today),
        ("Figures from", picture.server),
    ]
    rows = [
        [_para(plain(k), "cover_meta"), _para(f"<b>{plain(v)}</b>", "cover_meta")] for k, v in meta
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
        Spacer(1, 48 * mm),
        _para("NATIONAL OFFENDER MANAGEMENT SERVICE", "cover_meta"),
        Spacer(1, 6),
        _para("National Commissioning Plan", "cover_title"),
        Spacer(1, 4),
        _para(f"The regions side by side &middot; {plain(picture.year)}", "cover_sub"),
        Spacer(1, 26 * mm),
        facts,
        Spacer(1, 14 * mm),
        _para(
            "Each region's figures are its own, worked out as its Director of Offender "
            "Management sees them in DOM Desk, read from the team server on the date above. "
            "Money is committed where agreed, else provisional, else baseline.",
        ),
    ]
    for note in picture.problems:
        made.append(_para(f"Not included: {plain(note)}", "small"))
    return made


def _side_by_side(picture: NationalPicture) -> list[Flowable]:
    spec = TableSpec(
        [
            Col("Region", weight=1.4),
            Col("Envelope", "num"),
            Col("Committed", "num"),
            Col("Headroom", "num"),
            Col("Share committed", "num"),
            Col("Targets met", "num"),
            Col("Key dates overdue", "num"),
            Col("Competitions", "num"),
        ]
    )
    for r in picture.with_figures:
        headroom = _money(r.headroom)
        spec.add(
            r.region,
            _money(r.envelope),
            _money(r.committed),
            Cell(f"{headroom} over", fill=style.STATUS_FILL["Missed"])
            if r.over_envelope
            else headroom,
            _share(r.committed, r.envelope),
            share_met(r),
            f"{r.overdue:,}",
            f"{len(r.competitions):,}",
        )
    envelope, committed = picture.total("envelope"), picture.total("committed")
    spec.add(
        "All regions",
        _money(envelope),
        _money(committed),
        _money(envelope - committed),
        _share(committed, envelope),
        national_share_met(picture),
        f"{sum(r.overdue for r in picture.with_figures):,}",
        f"{len(picture.competitions):,}",
        kind="total",
    )
    over = [r.region for r in picture.with_figures if r.over_envelope]
    made: list[Flowable] = [
        _heading("The regions side by side", "n-summary"),
        _para(
            f"Each region's envelope for {plain(picture.year)} against what its allocations "
            "commit, its targets met (of those rated met, near or missed, year to date), its "
            "key dates overdue and the competitions it has planned."
        ),
        tables.build(spec),
        _para(
            "Over its envelope: " + plain(", ".join(over)) + "."
            if over
            else "No region has committed more than its envelope.",
            "caption",
        ),
        _heading("Money by region", "n-money", 1),
        BarChart(
            [
                item
                for r in picture.with_figures
                for item in (
                    (f"{r.region}: envelope", r.envelope),
                    (f"{r.region}: committed", r.committed),
                )
            ]
        ),
        _para(
            "Figure: each region's envelope and, under it, what its allocations commit: "
            + "; ".join(
                f"{plain(r.region)} {_money(r.committed)} of {_money(r.envelope)}"
                for r in picture.with_figures
            )
            + ".",
            "caption",
        ),
    ]
    return made


def _by_service(services: list[ServiceMoney], committed: int) -> list[Flowable]:
    if not services:
        return []
    spec = TableSpec(
        [
            Col("Service", weight=2),
            Col("Regions", "num"),
            Col("Committed", "num"),
            Col("Share", "num"),
        ]
    )
    for s in services[:SERVICES_SHOWN]:
        spec.add(s.service, f"{len(s.by_region):,}", _money(s.total), _share(s.total, committed))
    rest = services[SERVICES_SHOWN:]
    if rest:
        pence = sum(s.total for s in rest)
        spec.add(f"{len(rest):,} other services", "", _money(pence), _share(pence, committed))
    spec.add("All services", "", _money(committed), "100.0%" if committed else "", kind="total")
    return [
        _heading("Money by service", "n-services", 1),
        _para(
            "What the regions' allocations commit to each service, summed across the regions "
            "(an allocation made to an agreement as a whole, not to one of its service "
            "lines, is counted as not by service)."
        ),
        tables.build(spec),
    ]


def _targets(picture: NationalPicture) -> list[Flowable]:
    spec = TableSpec(
        [Col("Region", weight=1.4)]
        + [Col(s.label, "num") for s in TARGET_STATUSES]
        + [Col("Share met", "num"), Col("Year to date", weight=1.6)]
    )
    for r in picture.with_figures:
        counts = [
            Cell(f"{r.count(s):,}", fill=style.STATUS_FILL.get(s.label)) if r.count(s) else "0"
            for s in TARGET_STATUSES
        ]
        spec.add(r.region, *counts, share_met(r), r.window)
    spec.add(
        "All regions",
        *(f"{picture.status_total(s):,}" for s in TARGET_STATUSES),
        "",
        "",
        kind="total",
    )
    return [
        _heading("Targets", "n-targets"),
        _para(
            "Each region's performance matrix for the year to date: every provider's target "
            "on every measure rated met, near (within the measure's tolerance) or missed, and "
            "returns past their due date that never came counted as missing."
        ),
        tables.build(spec),
    ]


def _key_dates(picture: NationalPicture) -> list[Flowable]:
    found = picture.key_dates
    made: list[Flowable] = [
        _heading("Key dates", "n-keydates"),
        _para(
            "Every region's key dates overdue or falling due within 90 days of its own "
            "working date: contract ends and notice, negotiations, competition stages, "
            "milestones, risk reviews, performance actions and returns."
        ),
    ]
    if not found:
        return [*made, _para("No region has a key date overdue or due within 90 days.")]
    spec = TableSpec(
        [Col("Date", "fit"), Col("Region", weight=0.9), Col("What", weight=3), Col("", "fit")]
    )
    for d in found:
        spec.add(
            format_date(d.key.when),
            d.region,
            d.key.what + (f" ({d.key.text})" if d.key.text else ""),
            Cell("Overdue", fill=style.STATUS_FILL["Missed"]) if d.overdue else "",
        )
    return [*made, tables.build(spec)]


def _competitions(picture: NationalPicture) -> list[Flowable]:
    found = picture.competitions
    made: list[Flowable] = [
        _heading("Competitions", "n-competitions"),
        _para(
            "Every region's competitions, by the expiry of the agreement they replace; "
            "approximate dates are printed as written."
        ),
    ]
    if not found:
        return [*made, _para("No region has a competition planned.")]
    spec = TableSpec(
        [Col("Region", weight=0.8), Col("Subject", weight=1.3), Col("Type"), Col("Expires")]
        + [Col(s.label, weight=0.8) for s in TABLE_STAGES]
    )
    for c in found:
        stages = []
        for which in TABLE_STAGES:
            _stage, words, best, _fuzzy, done = c.row.stage(which)
            stages.append(
                f"{format_date(best)} (done)" if done and best else stage_when(words, best)
            )
        spec.add(c.region, c.row.subject, c.row.kind, c.row.expiry, *stages)
    return [*made, tables.build(spec)]


def story(picture: NationalPicture, services: list[ServiceMoney], today: str) -> list[Flowable]:
    """The plan's pages: the cover, then each part on a new page."""
    parts = [
        _side_by_side(picture) + _by_service(services, picture.total("committed")),
        _targets(picture),
        _key_dates(picture),
        _competitions(picture),
    ]
    made: list[Flowable] = [*_cover(picture, today)]
    for part in parts:
        made += [NextPageTemplate("body"), PageBreak(), *part]
    return made


def write_national_plan(url: str, year: str, target: Path) -> NationalPlanResult:
    """Writes the national plan for ``year`` from the server at ``url`` to ``target``."""
    from datetime import date

    picture = national_picture(url, year)
    services = committed_by_service(url, year)
    today = format_date(date.today())
    decor = PageDecor(
        header=f"National Commissioning Plan {picture.year}",
        footer=f"All regions, as held on {picture.server} on {today}",
        draft=False,
    )
    meta = {
        "title": f"National Commissioning Plan {picture.year}",
        "author": "DOM Desk",
        "subject": f"The regions side by side, {picture.year}",
    }
    target = Path(target)
    with atomic_path(target) as temporary:
        registry = write_pdf(temporary, story(picture, services, today), decor, meta, ())
    return NationalPlanResult(
        target, registry.total, len(picture.with_figures), tuple(picture.problems)
    )
