"""The demo's two negotiation scenarios for HMP Liverpool's SLA: drafts a new user can
open, compare and accept, valid against the demo's own figures."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from dom_desk.domain import allocations as al
from dom_desk.domain import scenarios as sc
from dom_desk.domain.scenarios import Draft, Subject
from dom_desk.models import Measure, Provider, ScenarioStatus, Target

OPTION_A = "Liverpool SLA option A: £250,000 to Lancashire programmes"
OPTION_B = "Liverpool SLA option B: £150,000 to Lancashire programmes"
DECISION = "Resource decision of 29/10/2009"
CUSTODY = "HMP Liverpool, HMP Liverpool SLA 2009-10, Custody places (adult men), Provisional"
DRUGS = (
    "HMP Liverpool, HMP Liverpool SLA 2009-10, Drug treatment in custody (CARAT/IDTS), Provisional"
)
PROGRAMMES = (
    "Lancashire Probation Area, Lancashire Probation Area SLA 2009-10, Accredited programmes, "
    "Provisional"
)


def by_name(wb) -> dict[str, sc.ScenarioInfo]:
    return {s.name: s for s in sc.scenarios(wb, "2009-10")}


def line(pos: al.Position, provider: str, service: str) -> al.AllocationLine:
    return next(x for x in pos.lines if x.provider == provider and x.service.startswith(service))


def target(wb, provider: str, code: str) -> Decimal | None:
    with wb.session() as s:
        return s.scalars(
            select(Target.value)
            .join(Provider, Target.provider_id == Provider.id)
            .join(Measure, Target.measure_id == Measure.id)
            .where(
                Provider.name == provider, Measure.code == code, Target.year.has(label="2009-10")
            )
        ).one()


def test_the_demo_has_two_draft_scenarios_of_2009_10_each_with_its_changes(demo) -> None:
    found = sc.scenarios(demo, "2009-10")
    # Option B was drafted first, so the tab opens on option A, the one at the table.
    # Between them, the scenario carrying the decision to reinvest in drug treatment.
    assert [(s.name, s.status, s.changes) for s in found] == [
        (OPTION_B, ScenarioStatus.DRAFT, 4),
        (DECISION, ScenarioStatus.DRAFT, 2),
        (OPTION_A, ScenarioStatus.DRAFT, 5),
    ]
    assert sc.scenarios(demo, "2008-09") == []
    for info in found:
        if info.name == DECISION:
            continue
        # Each change is explained in the scenario's notes, figures marked illustrative.
        assert "Illustrative figures for the demo" in info.notes
        assert info.notes.count("\n- ") == (4 if info.name == OPTION_A else 3)


def test_both_scenarios_are_valid_against_the_demo_figures(demo) -> None:
    for info in sc.scenarios(demo, "2009-10"):
        comparison = sc.compare(demo, info.id)
        assert comparison.warnings == [], info.name
        assert not any(c.locked or c.stale for c in comparison.cells)
        assert not comparison.proposed.over_envelope
        assert comparison.proposed.envelope == comparison.current.envelope
    a, b = by_name(demo)[OPTION_A], by_name(demo)[OPTION_B]
    assert sc.compare(demo, a.id).envelope_change == 3_300_000  # the extra drug treatment
    assert sc.compare(demo, b.id).envelope_change == 0  # a move only


def test_compare_shows_the_two_options_side_by_side_to_the_penny(demo) -> None:
    a, b = by_name(demo)[OPTION_A], by_name(demo)[OPTION_B]
    pair = sc.compare_pair(demo, a.id, b.id)
    cells = {c.where: (c.current, c.first, c.second) for c in pair.cells}
    assert cells == {
        CUSTODY: (3_990_000_000, 3_965_000_000, 3_975_000_000),
        PROGRAMMES: (261_000_000, 286_000_000, 276_000_000),
        DRUGS: (77_000_000, 80_300_000, 77_000_000),
        "HMP Liverpool, HMP Liverpool SLA 2009-10, KPI 6 The rate of drug misuse in prisons "
        "is less than…, Target": (Decimal("9.5"), Decimal("8.5"), Decimal("9.0")),
        "Lancashire Probation Area, Lancashire Probation Area SLA 2009-10, PM 8 Percentage of "
        "offenders completing a programme…, Target": (Decimal(75), Decimal(78), Decimal(77)),
    }
    assert all(c.differs for c in pair.cells)
    kinds = {name: (first - now, second - now) for name, now, first, second in pair.totals("kind")}
    assert kinds["Public prison"] == (-25_000_000 + 3_300_000, -15_000_000)
    assert kinds["Probation Board"] == (25_000_000, 15_000_000)
    assert sum(a for a, _ in kinds.values()) == 3_300_000
    assert sum(b for _, b in kinds.values()) == 0


def test_the_demo_rows_are_what_drafting_through_the_domain_writes(demo) -> None:
    start = al.position(demo)
    custody = line(start, "HMP Liverpool", "Custody")
    drugs = line(start, "HMP Liverpool", "Drug treatment")
    programmes = line(start, "Lancashire Probation Area", "Accredited programmes")
    with demo.session() as s:
        ids = dict(s.execute(select(Measure.code, Measure.id)).all())
        providers = dict(s.execute(select(Provider.name, Provider.id)).all())
    sid = sc.create_scenario(demo, "Option A drafted by hand")
    sc.move_money(demo, sid, custody.id, programmes.id, 25_000_000)
    sc.draft(
        demo,
        sid,
        [
            Draft(Subject.allocation(drugs.id), "provisional", drugs.provisional + 3_300_000),
            Draft(
                Subject.target(providers["HMP Liverpool"], ids["KPI 6"]), "value", Decimal("8.5")
            ),
            Draft(
                Subject.target(providers["Lancashire Probation Area"], ids["PM 8"]),
                "value",
                Decimal(78),
            ),
        ],
    )

    def cells(scenario_id: int) -> set:
        return {
            (c.subject, c.field, c.base, c.proposed) for c in sc.compare(demo, scenario_id).cells
        }

    assert cells(sid) == cells(by_name(demo)[OPTION_A].id)


def test_accepting_option_a_moves_exactly_250000_and_the_totals_still_agree(demo) -> None:
    start = al.position(demo)
    a, b = by_name(demo)[OPTION_A], by_name(demo)[OPTION_B]
    sc.accept(demo, a.id)
    now = al.position(demo)

    def moved(provider: str, service: str) -> int:
        return line(now, provider, service).committed - line(start, provider, service).committed

    assert moved("HMP Liverpool", "Custody") == -25_000_000
    assert moved("Lancashire Probation Area", "Accredited programmes") == 25_000_000
    assert moved("HMP Liverpool", "Drug treatment") == 3_300_000
    assert sum(x.committed - y.committed for x, y in zip(now.lines, start.lines, strict=True)) == (
        3_300_000
    )
    assert now.committed == start.committed + 3_300_000
    assert now.envelope == start.envelope and not now.over_envelope
    for dimension in ("provider", "kind", "sector", "pathway"):
        assert sum(g.committed for g in now.totals(dimension)) == now.committed
    assert (
        target(demo, "HMP Liverpool", "KPI 6"),
        target(demo, "Lancashire Probation Area", "PM 8"),
    ) == (
        Decimal("8.5"),
        Decimal(78),
    )
    statuses = {s.name: s.status for s in sc.scenarios(demo, "2009-10")}
    assert statuses == {
        OPTION_A: ScenarioStatus.ACCEPTED,
        OPTION_B: ScenarioStatus.DRAFT,
        DECISION: ScenarioStatus.DRAFT,
    }
    # Option B was drafted against the figures option A has now moved: it says so.
    warnings = sc.compare(demo, b.id).warnings
    assert any(w.startswith(CUSTODY) and "has changed since" in w for w in warnings)
