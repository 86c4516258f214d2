"""Negotiation scenarios: drafted apart, compared live, accepted as one undoable action."""

from __future__ import annotations

from decimal import Decimal

import pytest
from negotiation_data import build, figures, pounds
from sqlalchemy import select

from dom_desk.domain import allocations as al
from dom_desk.domain import scenarios as sc
from dom_desk.domain import sla
from dom_desk.domain.scenarios import Draft, Subject
from dom_desk.domain.tables import FieldEdit
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import AgreementStatus, AuditEntry, ScenarioStatus


def committed_by(pos: al.Position, dimension: str) -> dict[str, int]:
    return {g.name: g.committed for g in pos.totals(dimension)}


@pytest.fixture
def drafted(workbook):
    """A scenario moving £25,000 from the prison to the charity and changing two targets."""
    ids = build(workbook)
    sid = sc.create_scenario(workbook, "Kennet to Nacro")
    sc.move_money(workbook, sid, ids.prison_custody_alloc, ids.charity_alloc, pounds(25_000))
    sc.draft(
        workbook,
        sid,
        [
            Draft(Subject.target(ids.prison, ids.rate), "value", Decimal(80)),
            Draft(Subject.target(ids.prison, ids.local), "value", Decimal(120)),
        ],
    )
    return workbook, ids, sid


def test_drafting_changes_nothing_real(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    sid = sc.create_scenario(workbook, "What if")
    sc.move_money(workbook, sid, ids.prison_custody_alloc, ids.charity_alloc, pounds(1))
    sc.draft(workbook, sid, [Draft(Subject.line(ids.prison_custody), "volume", 35)])
    assert figures(workbook) == before
    assert [s.changes for s in sc.scenarios(workbook)] == [3]


def test_comparison_marks_changed_cells_and_moves_sector_totals_exactly(drafted) -> None:
    wb, ids, sid = drafted
    comparison = sc.compare(wb, sid)
    by_where = {c.where: c for c in comparison.cells}
    custody = by_where["HMP Kennet, HMP Kennet SLA 2009-10, Custody places, Provisional"]
    assert (custody.current, custody.proposed, custody.difference) == (
        pounds(660_000),
        pounds(635_000),
        -pounds(25_000),
    )
    assert (
        by_where["HMP Kennet, HMP Kennet SLA 2009-10, PM 3 Programme completions, Target"].current
        is None
    )
    assert comparison.envelope_change == 0
    assert comparison.proposed.committed == comparison.current.committed
    assert comparison.proposed.envelope == comparison.current.envelope
    sectors = {t.name: t.change for t in comparison.totals("sector")}
    assert sectors == {"Public": -25_000_00, "Third": 25_000_00}
    assert sum(t.change for t in comparison.totals("provider")) == 0


def test_drafting_a_figure_back_to_where_it_was_removes_the_change(drafted) -> None:
    wb, ids, sid = drafted
    sc.draft(wb, sid, [Draft(Subject.target(ids.prison, ids.local), "value", None)])
    assert len(sc.compare(wb, sid).cells) == 3


def test_drafts_obey_the_rules_of_a_direct_edit(drafted) -> None:
    wb, ids, sid = drafted
    with pytest.raises(ValidationError, match="below the Regional Minimum floor of 70"):
        sc.draft(wb, sid, [Draft(Subject.target(ids.prison, ids.rate), "value", Decimal(60))])
    with pytest.raises(ValidationError, match="set nationally"):
        sc.draft(wb, sid, [Draft(Subject.target(ids.prison, ids.drugs), "value", Decimal(5))])
    with pytest.raises(ValidationError, match="Volume: cannot be negative"):
        sc.draft(wb, sid, [Draft(Subject.line(ids.prison_custody), "volume", -3)])
    with pytest.raises(ValidationError, match="cannot change 'baseline'"):
        sc.draft(wb, sid, [Draft(Subject.allocation(ids.charity_alloc), "baseline", 1)])
    assert len(sc.compare(wb, sid).cells) == 4


def test_accept_applies_everything_in_one_audited_step_and_undo_redo_are_exact(drafted) -> None:
    wb, ids, sid = drafted
    before = figures(wb)
    planned = sc.compare(wb, sid)
    record = sc.accept(wb, sid)
    after = figures(wb)
    pos = al.position(wb)
    assert committed_by(pos, "sector") == committed_by(planned.proposed, "sector")
    targets = {t.code: t.value for t in sla.workspace(wb, ids.prison).targets}
    assert (targets["PT 9"], targets["PM 3"]) == (80, 120)
    assert sc.scenarios(wb)[0].status is ScenarioStatus.ACCEPTED
    with wb.session() as s:
        assert (
            s.scalars(select(AuditEntry.note).where(AuditEntry.action == "accept scenario")).one()
            == "Kennet to Nacro: 4 figures changed"
        )

    sc.undo_accept(wb, record)
    assert figures(wb) == before
    assert sc.scenarios(wb)[0].status is ScenarioStatus.DRAFT

    sc.redo_accept(wb, record)
    assert figures(wb) == after


def test_accept_refuses_a_figure_that_moved_since_drafting_and_names_it(drafted) -> None:
    wb, ids, sid = drafted
    al.update_allocations(wb, [FieldEdit(ids.charity_alloc, "provisional", pounds(90_000))])
    before = figures(wb)
    with pytest.raises(
        ConflictError,
        match=(
            r"Nacro, Nacro resettlement contract, Resettlement advice, Provisional has "
            r"changed since the scenario was drafted \(was £87,500, now £90,000\)"
        ),
    ):
        sc.accept(wb, sid)
    assert figures(wb) == before
    assert sc.compare(wb, sid).stale[0].where.startswith("Nacro")


def test_accept_refuses_changes_to_a_locked_agreement(drafted) -> None:
    wb, ids, sid = drafted
    sla.set_status(wb, ids.charity_contract, AgreementStatus.SIGNED)
    before = figures(wb)
    with pytest.raises(LockedError, match="'Nacro resettlement contract', which is locked"):
        sc.accept(wb, sid)
    assert figures(wb) == before
    assert any("unlock it before accepting" in w for w in sc.compare(wb, sid).warnings)


def test_undo_is_refused_once_an_accepted_figure_is_edited(drafted) -> None:
    wb, ids, sid = drafted
    record = sc.accept(wb, sid)
    al.update_allocations(wb, [FieldEdit(ids.charity_alloc, "provisional", 1)])
    with pytest.raises(ConflictError, match="changed after the scenario was accepted"):
        sc.undo_accept(wb, record)


def test_two_scenarios_are_compared_figure_by_figure(drafted) -> None:
    wb, ids, first = drafted
    second = sc.create_scenario(wb, "Smaller move")
    sc.move_money(wb, second, ids.prison_custody_alloc, ids.charity_alloc, pounds(10_000))
    pair = sc.compare_pair(wb, first, second)
    custody = next(c for c in pair.cells if "Custody places, Provisional" in c.where)
    assert (custody.current, custody.first, custody.second) == (
        pounds(660_000),
        pounds(635_000),
        pounds(650_000),
    )
    target = next(c for c in pair.cells if "PT 9" in c.where)
    assert (target.first, target.second) == (Decimal(80), Decimal(75))
    sectors = {name: (now, a, b) for name, now, a, b in pair.totals("sector")}
    assert sectors["Third"][1] - sectors["Third"][0] == pounds(25_000)
    assert sectors["Third"][2] - sectors["Third"][0] == pounds(10_000)


def test_discarded_scenarios_stay_on_record_but_cannot_be_accepted(drafted) -> None:
    wb, _ids, sid = drafted
    sc.discard(wb, sid)
    assert sc.scenarios(wb, include_closed=False) == []
    with pytest.raises(ValidationError, match="only a draft scenario"):
        sc.accept(wb, sid)
    sc.reopen(wb, sid)
    assert sc.scenarios(wb, include_closed=False)[0].status is ScenarioStatus.DRAFT


def test_scenario_names_are_unique_within_a_year(workbook) -> None:
    sc.create_scenario(workbook, "Plan A")
    with pytest.raises(ValidationError, match="already a scenario called 'Plan A'"):
        sc.create_scenario(workbook, " Plan A ")


# -- the rehearsal on the demo ------------------------------------------------------------


def _allocation(pos: al.Position, provider: str, service: str) -> al.AllocationLine:
    return next(x for x in pos.lines if x.provider == provider and x.service.startswith(service))


def _measure(ws: sla.Workspace, code: str) -> int:
    return next(t.measure_id for t in ws.targets if t.code == code)


def _read_totals(path) -> dict[str, dict[str, int]]:
    """Each sheet's totals row read back from the xlsx, in pence."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)
    totals = {}
    for ws in book.worksheets:
        headers = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            if row[0] in ("Total", "Envelope"):
                totals[ws.title] = {
                    h: int(Decimal(str(v)) * 100)
                    for h, v in zip(headers, row, strict=True)
                    if isinstance(v, int | float) and h != "Allocations"
                }
                break
    return totals


def test_rehearsal_move_250k_from_a_prison_to_a_charity_accept_undo_redo_export(
    demo, tmp_path
) -> None:
    from dom_desk.exports.allocation_sheets import export_allocations

    wb = demo
    start = al.position(wb)
    before = figures(wb)
    liverpool = _allocation(start, "HMP Liverpool", "Custody places")
    sova = _allocation(start, "Sova", "Family support")
    assert liverpool.sector.label == "Public" and sova.sector.label == "Third"
    ws = sla.workspace(wb, "HMP Liverpool")
    kpi13, kpi9 = _measure(ws, "KPI 13"), _measure(ws, "KPI 9")

    sid = sc.create_scenario(wb, "Liverpool custody to Sova mentoring")
    sc.move_money(wb, sid, liverpool.id, sova.id, pounds(250_000))
    sc.draft(
        wb,
        sid,
        [
            Draft(Subject.target(ws.provider_id, kpi13), "value", Decimal("6.5")),
            Draft(Subject.target(ws.provider_id, kpi9), "value", Decimal(82)),
        ],
    )

    # Watch the envelope: unchanged in total, sector totals shift by exactly £250,000.
    comparison = sc.compare(wb, sid)
    assert len(comparison.cells) == 4
    assert comparison.proposed.envelope == start.envelope
    assert comparison.proposed.committed == start.committed
    sectors = {t.name: t.change for t in comparison.totals("sector")}
    assert sectors == {"Public": -25_000_000, "Private": 0, "Third": 25_000_000}
    assert figures(wb) == before  # drafting touched nothing real

    # Sova's contract is agreed, so locked: accepting is refused until it is unlocked.
    with pytest.raises(LockedError, match="Through-the-gate mentoring and family support"):
        sc.accept(wb, sid)
    assert figures(wb) == before
    sla.unlock(wb, sova.agreement_id, "Reopened to add mentoring places")
    unlocked = figures(wb)

    record = sc.accept(wb, sid)
    accepted = figures(wb)
    pos = al.position(wb)
    assert pos.committed == start.committed and pos.envelope == start.envelope
    now = {g.name: g.committed for g in pos.by_sector}
    was = {g.name: g.committed for g in start.by_sector}
    assert now["Third"] - was["Third"] == 25_000_000 == was["Public"] - now["Public"]
    targets = {t.code: t.value for t in sla.workspace(wb, "HMP Liverpool").targets}
    assert (targets["KPI 13"], targets["KPI 9"]) == (Decimal("6.5"), 82)

    sc.undo_accept(wb, record)
    assert figures(wb) == unlocked
    record = sc.redo_accept(wb, record)
    assert figures(wb) == accepted

    path = tmp_path / "allocations.xlsx"
    export_allocations(wb, path)
    totals = _read_totals(path)
    assert totals["Allocations 2009-10"]["Committed"] == pos.committed
    assert totals["Allocations 2009-10"]["Baseline"] == pos.baseline
    assert totals["Allocations 2009-10"]["Provisional"] == pos.provisional
    assert totals["Allocations 2009-10"]["Agreed"] == pos.agreed
    assert totals["Envelope"]["Amount"] == pos.envelope
    for sheet in ("By provider", "By provider kind", "By sector", "By pathway"):
        assert totals[sheet] == {
            "Baseline": pos.baseline,
            "Provisional": pos.provisional,
            "Agreed": pos.agreed,
            "Committed": pos.committed,
        }
