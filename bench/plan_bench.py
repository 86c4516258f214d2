"""Exporting the commissioning plan for a national dataset, against reportlab alone laying
out the same tables, measured in the same run.

    .venv/bin/python bench/plan_bench.py [--providers 1000] [--measures 40] [--keep DIR]

Builds a fresh workbook in a temporary folder with bulk inserts: a national region with
``--providers`` providers across the kinds, an SLA or contract and two allocations each,
``--measures`` measures with a target for every provider and measure in the plan year
(2010-11), four quarterly returns per provider and measure in the previous year (for the
performance matrix and the trend charts), 60 competitions with their stages, 120 risks
and eight priorities. Then times:

* the plan: ``export_plan`` for 2010-11, everything included: read the workbook, draw
  the trend charts, build every section, lay out and write the PDF, record the export;
* the baseline: reportlab alone (``SimpleDocTemplate`` on A4, plain canvas) laying out
  the very same tables the plan prints, built afresh, into memory.

Prints both, the ratio, and where the plan's time went. The machine's other work
shows in single runs; ``--repeats 3`` takes the fastest of three, alternating.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

from dom_desk.domain.region import create_region, ensure_year, set_setting
from dom_desk.models import (
    Aggregation,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Competition,
    CompetitionKind,
    CompetitionStage,
    Direction,
    EnvelopeLine,
    FundingSource,
    Guidance,
    Level,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Priority,
    Provider,
    ProviderKind,
    Result,
    Risk,
    Scope,
    Sector,
    Stage,
    Target,
)
from dom_desk.storage.workbook import Workbook, create_workbook

YEAR, PREVIOUS = "2010-11", "2009-10"
KINDS = [
    ProviderKind.PUBLIC_PRISON,
    ProviderKind.CONTRACTED_PRISON,
    ProviderKind.PROBATION_TRUST,
    ProviderKind.CRC,
    ProviderKind.VCS,
    ProviderKind.PRIVATE_COMPANY,
]
SECTOR = {
    ProviderKind.PUBLIC_PRISON: Sector.PUBLIC,
    ProviderKind.CONTRACTED_PRISON: Sector.PRIVATE,
    ProviderKind.PROBATION_TRUST: Sector.PUBLIC,
    ProviderKind.CRC: Sector.PRIVATE,
    ProviderKind.VCS: Sector.THIRD,
    ProviderKind.PRIVATE_COMPANY: Sector.PRIVATE,
}
SHAPES = [
    (MeasureUnit.PERCENT, Aggregation.RATIO, Direction.HIGHER),
    (MeasureUnit.COUNT, Aggregation.SUM, Direction.HIGHER),
    (MeasureUnit.PERCENT, Aggregation.RATIO, Direction.LOWER),
    (MeasureUnit.DAYS, Aggregation.LATEST, Direction.LOWER),
    (MeasureUnit.RATE_PER_1000, Aggregation.RATIO, Direction.LOWER),
]
AREAS = [
    "Public protection",
    "Reducing re-offending",
    "Decency and capacity",
    "Organisation",
    "Delivering the sentence",
]
WORDS = [
    "accredited",
    "programme",
    "completions",
    "offenders",
    "settled",
    "accommodation",
    "employment",
    "licence",
    "orders",
    "supervision",
    "escapes",
    "assaults",
    "drug",
    "tests",
    "approved",
    "premises",
    "victims",
    "contact",
    "reports",
    "timescale",
    "court",
    "sentence",
    "plans",
    "assessments",
]


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def build_dataset(folder: Path, providers: int, measures: int, seed: int = 7) -> Workbook:
    rng = random.Random(seed)
    wb = create_workbook(folder / "national.domdesk")
    with wb.session() as session:
        create_region(session, "England and Wales (synthetic)", PREVIOUS)
        ensure_year(session, YEAR)
        set_setting(session, "current_year", YEAR)
        set_setting(session, "as_of", "2010-05-04")
    with wb.engine.begin() as con:
        years = dict(
            con.execute(
                select(Period.code, Period.year_id).where(Period.kind == PeriodKind.YEAR)
            ).all()
        )
        year_id, previous_id = years[YEAR], years[PREVIOUS]
        con.execute(
            insert(Provider),
            [
                {
                    "name": f"{KINDS[i % len(KINDS)].label} {i:04d} "
                    f"{_phrase(rng, rng.randint(1, 4))}",
                    "kind": KINDS[i % len(KINDS)],
                    "sector": SECTOR[KINDS[i % len(KINDS)]],
                    "contact": f"Head of contracts, provider {i:04d}" if i % 3 == 0 else "",
                }
                for i in range(providers)
            ],
        )
        provider_rows = con.execute(select(Provider.id, Provider.kind)).all()
        con.execute(
            insert(Measure),
            [
                {
                    "code": f"M {j + 1:03d}",
                    "code_key": f"M{j + 1:03d}",
                    "title": f"{_phrase(rng, rng.randint(6, 18))} to be at least x%",
                    "area": AREAS[j % len(AREAS)],
                    "unit": SHAPES[j % 5][0],
                    "aggregation": SHAPES[j % 5][1],
                    "direction": SHAPES[j % 5][2],
                    "scope": list(Scope)[j % 3],
                    "guidance": list(Guidance)[j % 3],
                    "weighting": 10 if j < 10 else None,
                }
                for j in range(measures)
            ],
        )
        measure_rows = con.execute(select(Measure.id, Measure.unit)).all()
        for year in (year_id, previous_id):
            con.execute(
                insert(Target),
                [
                    {
                        "measure_id": m,
                        "provider_id": p,
                        "year_id": year,
                        "value": None
                        if rng.random() < 0.05
                        else Decimal(
                            rng.randint(70, 95)
                            if unit is MeasureUnit.PERCENT
                            else rng.randint(5, 400)
                        ),
                    }
                    for p, _kind in provider_rows
                    for m, unit in measure_rows
                ],
            )
        quarters = (
            con.execute(
                select(Period.id).where(
                    Period.kind == PeriodKind.QUARTER, Period.year_id == previous_id
                )
            )
            .scalars()
            .all()
        )
        stamp = datetime(2010, 4, 20)
        batch: list[dict] = []
        for p, _kind in provider_rows:
            for m, unit in measure_rows:
                for q in quarters:
                    den = rng.randint(50, 500)
                    num = rng.randint(int(den * 0.6), den)
                    actual = (
                        Decimal(num) / den * 100
                        if unit is MeasureUnit.PERCENT
                        else Decimal(rng.randint(3, 120))
                    )
                    batch.append(
                        {
                            "provider_id": p,
                            "measure_id": m,
                            "period_id": q,
                            "actual": actual.quantize(Decimal("0.000001")),
                            "numerator": Decimal(num),
                            "denominator": Decimal(den),
                            "source": "bench",
                            "entered_at": stamp,
                            "entered_by": "bench",
                            "superseded": False,
                        }
                    )
                    if len(batch) >= 50_000:
                        con.execute(insert(Result), batch)
                        batch.clear()
        if batch:
            con.execute(insert(Result), batch)
        con.execute(insert(FundingSource), [{"name": "NOMS allocation (synthetic)", "notes": ""}])
        source_id = con.scalar(select(FundingSource.id))
        agreements = []
        for i, (p, kind) in enumerate(provider_rows):
            contract = kind in (
                ProviderKind.CONTRACTED_PRISON,
                ProviderKind.CRC,
                ProviderKind.VCS,
                ProviderKind.PRIVATE_COMPANY,
            )
            agreements.append(
                {
                    "provider_id": p,
                    "row_version": 1,
                    "kind": AgreementKind.CONTRACT if contract else AgreementKind.SLA,
                    "title": f"{'Contract' if contract else 'SLA'} {i:04d}: "
                    f"{_phrase(rng, rng.randint(2, 6))}",
                    "status": list(AgreementStatus)[i % 4],
                    "year_id": None if contract else year_id,
                    "reference": f"NAT/{i:04d}",
                    "start": date(2008, 4, 1) if contract else None,
                    "end": date(2013, 3, 31) if contract else None,
                    "annual_value": rng.randint(100_000, 40_000_000) * 100 + rng.randint(0, 99),
                }
            )
        con.execute(insert(Agreement), agreements)
        total = 0
        allocations = []
        for agreement_id, value in con.execute(select(Agreement.id, Agreement.annual_value)):
            for share in (Decimal("0.7"), Decimal("0.3")):
                baseline = int(value * share)
                total += baseline
                allocations.append(
                    {
                        "year_id": year_id,
                        "agreement_id": agreement_id,
                        "funding_source_id": source_id,
                        "baseline": baseline,
                        "provisional": baseline + rng.randint(-5000, 5000),
                        "agreed": None if rng.random() < 0.3 else baseline,
                        "illustrative": True,
                        "row_version": 1,
                    }
                )
        # Allocations are unique per agreement and service line: one line-less row each.
        seen: set[int] = set()
        unique = [
            a
            for a in allocations
            if a["agreement_id"] not in seen and not seen.add(a["agreement_id"])
        ]
        con.execute(insert(Allocation), unique)
        con.execute(
            insert(EnvelopeLine),
            [
                {
                    "year_id": year_id,
                    "funding_source_id": source_id,
                    "amount": total,
                    "illustrative": True,
                    "row_version": 1,
                    "notes": "",
                }
            ],
        )
        con.execute(
            insert(Priority),
            [
                {
                    "year_id": year_id,
                    "number": n,
                    "title": _phrase(rng, 5),
                    "row_version": 1,
                    "rationale": _phrase(rng, 60),
                    "provider_response": _phrase(rng, 40),
                }
                for n in range(1, 9)
            ],
        )
        con.execute(
            insert(Competition),
            [
                {
                    "subject": f"Competition {c:03d}: {_phrase(rng, 3)}",
                    "kind": list(CompetitionKind)[c % 4],
                    "row_version": 1,
                    "expiry": date(2011 + c % 3, 1 + c % 12, 28),
                    "expiry_text": "",
                    "notes": "",
                }
                for c in range(60)
            ],
        )
        stages = []
        for comp_id, expiry in con.execute(select(Competition.id, Competition.expiry)):
            for k, stage in enumerate(Stage):
                month = expiry.month - 12 + 2 * k if k < 7 else expiry.month
                year_shift, month = divmod(month - 1, 12)
                stages.append(
                    {
                        "competition_id": comp_id,
                        "stage": stage,
                        "row_version": 1,
                        "planned": date(expiry.year + year_shift, month + 1, 1),
                        "planned_text": "",
                    }
                )
        con.execute(insert(CompetitionStage), stages)
        levels = list(Level)
        con.execute(
            insert(Risk),
            [
                {
                    "reference": f"R{r:03d}",
                    "description": _phrase(rng, 25),
                    "row_version": 1,
                    "likelihood": rng.choice(levels),
                    "impact": rng.choice(levels),
                    "owner": f"Regional lead {r % 9}",
                    "mitigations": _phrase(rng, 20),
                    "review": date(2010, 6 + r % 6, 1),
                    "status": "OPEN",
                }
                for r in range(120)
            ],
        )
    return wb


def reportlab_alone(tables: list) -> float:
    """Seconds for reportlab to lay out ``tables`` on A4 with the plan's margins."""
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from dom_desk.plan import style

    story: list = []
    for table in tables:
        story += [table, Spacer(1, 8)]
    doc = SimpleDocTemplate(
        io.BytesIO(),
        pagesize=style.PAGE,
        leftMargin=style.MARGIN_LEFT,
        rightMargin=style.MARGIN_RIGHT,
        topMargin=style.MARGIN_TOP,
        bottomMargin=style.MARGIN_BOTTOM,
    )
    start = time.perf_counter()
    doc.build(story)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--measures", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="write the workbook and PDF here")
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="time each this many times, alternately, and take the fastest "
        "(steadier on a busy machine)",
    )
    args = parser.parse_args(argv)

    from dom_desk.plan import export_plan
    from dom_desk.plan.assemble import assemble
    from dom_desk.plan.data import gather

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        wb = build_dataset(folder, args.providers, args.measures)
        print(
            f"dataset: {args.providers:,} providers, {args.measures} measures, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        try:
            # Warm the imports (reportlab, matplotlib) and fonts outside both timings.
            import matplotlib.figure  # noqa: F401
            import reportlab.platypus  # noqa: F401

            from dom_desk.plan import style

            style.fonts()

            plan_seconds = baseline_seconds = float("inf")
            for _ in range(max(1, args.repeats)):
                marks: dict[str, float] = {}

                def progress(_fraction: float, step: str, marks: dict = marks) -> None:
                    marks.setdefault(step, time.perf_counter())

                start = time.perf_counter()
                result = export_plan(wb, YEAR, folder / "national plan.pdf", progress=progress)
                seconds = time.perf_counter() - start
                if seconds < plan_seconds:
                    plan_seconds, best_marks, best_start = seconds, marks, start

                with wb.session() as session:
                    data = gather(session, YEAR, final=False)
                tables = assemble(data).tables
                rows = sum(len(t._cellvalues) for t in tables)
                baseline_seconds = min(baseline_seconds, reportlab_alone(tables))
        finally:
            wb.close()

    steps = sorted(best_marks.items(), key=lambda item: item[1]) + [
        ("end", best_start + plan_seconds)
    ]
    print(
        f"plan:     {plan_seconds:7.2f} s  ({result.pages:,} pages, "
        f"{(folder / 'national plan.pdf').stat().st_size / 1e6 if args.keep else 0:.1f} MB)"
        if args.keep
        else f"plan:     {plan_seconds:7.2f} s  ({result.pages:,} pages)"
    )
    for (step, at), (_next, until) in zip(steps, steps[1:], strict=False):
        print(f"  {step:<22} {until - at:7.2f} s")
    print(
        f"baseline: {baseline_seconds:7.2f} s  (reportlab alone: the same {len(tables):,} "
        f"tables, {rows:,} rows)"
    )
    print(f"ratio:    {plan_seconds / baseline_seconds:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
