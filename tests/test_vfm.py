"""Value for money: each service line's unit price against its target unit cost and the
other providers of the same service, exact to the penny (issue 15, item 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from negotiation_data import build, pounds
from openpyxl import load_workbook
from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain.region import year_by_label
from dom_desk.domain.vfm import NO_PATHWAY, NO_TARGET, NO_VOLUME, median, ranks, value_for_money
from dom_desk.models import Agreement, AgreementKind, Provider, Service, ServiceLine
from dom_desk.models.base import ProviderKind, Sector


def test_median_of_whole_pence_is_exact() -> None:
    assert median([300, 100, 200]) == 200
    assert median([100, 101]) == Decimal("100.5")
    assert median([7]) == 7


def test_equal_prices_share_a_rank_and_the_next_rank_is_skipped() -> None:
    assert ranks([120, 100, 120, 150]) == [(2, True), (1, False), (2, True), (4, False)]


def _add_custody_line(wb, name: str, volume: int, price: int) -> None:
    """Another prison buying custody places in 2009-10."""
    with wb.session() as s:
        year = year_by_label(s, "2009-10")
        custody = s.scalar(select(Service).where(Service.name == "Custody places"))
        prison = Provider(name=name, kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC)
        s.add(prison)
        s.flush()
        sla = Agreement(
            provider_id=prison.id, kind=AgreementKind.SLA, year_id=year.id, title=f"{name} SLA"
        )
        s.add(sla)
        s.flush()
        s.add(
            ServiceLine(
                agreement_id=sla.id,
                service_id=custody.id,
                year_id=year.id,
                volume=volume,
                unit_price=price,
            )
        )


@pytest.fixture
def priced(workbook):
    """Custody places bought from four prisons against a £21,000 target: Kennet and Risley
    at £22,000, Garth at £25,000.50, and Wymott with no places this year."""
    build(workbook)
    with workbook.session() as s:
        custody = s.scalar(select(Service).where(Service.name == "Custody places"))
        custody.target_unit_cost = pounds(21_000)
    _add_custody_line(workbook, "HMP Garth", 10, pounds(25_000) + 50)
    _add_custody_line(workbook, "HMP Wymott", 0, pounds(19_000))
    return workbook


def test_each_line_is_set_against_its_target_and_its_peers(priced) -> None:
    vfm = value_for_money(priced, "2009-10")
    custody = {line.provider: line for line in vfm.lines if line.service == "Custody places"}
    garth = custody["HMP Garth"]
    assert garth.above_target == pounds(4_000) + 50
    assert garth.above_target_percent == Decimal("19.1")  # 19.05 rounded half up
    assert garth.excess == (pounds(4_000) + 50) * 10
    bench = garth.benchmark
    assert bench is not None
    # Wymott bought no places: its price is no benchmark.
    assert (bench.lines, bench.lowest, bench.highest) == (3, pounds(22_000), pounds(25_000) + 50)
    assert bench.median_pence == pounds(22_000)
    assert garth.rank_text == "3 of 3"
    assert custody["HMP Kennet"].rank_text == "=1 of 3"
    assert custody["HMP Risley"].rank_text == "=1 of 3"


def test_lines_furthest_above_target_come_first_and_odd_lines_say_why(priced) -> None:
    vfm = value_for_money(priced, "2009-10")
    assert vfm.lines[0].provider == "HMP Garth"
    wymott = vfm.lines[-1]
    assert (wymott.provider, wymott.note, wymott.rank, wymott.excess) == (
        "HMP Wymott",
        NO_VOLUME,
        None,
        None,
    )
    uncosted = [line for line in vfm.lines if line.note == NO_TARGET]
    assert {line.service for line in uncosted} == {
        "Drug treatment in custody",
        "Resettlement advice",
    }
    assert all(line.above_target is None for line in uncosted)


def test_pathways_total_what_is_paid_beyond_target_prices(priced) -> None:
    vfm = value_for_money(priced, "2009-10")
    by_name = {p.pathway: p for p in vfm.pathways}
    custody = by_name[NO_PATHWAY]  # custody places have no pathway
    assert custody.costed_lines == 3  # Wymott's empty line has nothing to cost
    assert custody.value_at_target == pounds(21_000) * (30 + 20 + 10)
    assert custody.excess == pounds(1_000) * 50 + (pounds(4_000) + 50) * 10
    assert by_name["Drugs and alcohol"].excess == 0  # no target cost: nothing counted
    assert vfm.total_excess == custody.excess
    assert vfm.pathways[-1].pathway == NO_PATHWAY


def test_export_vfm_writes_both_sheets_with_exact_money(priced, tmp_path, capsys) -> None:
    path = tmp_path / "vfm.xlsx"
    priced.close()
    assert (
        main(["export", "vfm", "--db", priced.location, "--year", "2009-10", "-o", str(path)]) == 0
    )
    assert "Wrote 6 service lines for 2009-10" in capsys.readouterr().out
    book = load_workbook(path)
    lines, pathways = book.worksheets
    header = [c.value for c in lines[1]]
    first = dict(zip(header, [c.value for c in lines[2]], strict=True))
    assert first["Provider"] == "HMP Garth"
    assert first["Unit price"] == Decimal("25000.50")
    assert first["Rank (1 = lowest price)"] == "3 of 3"
    assert pathways.title == "By pathway 2009-10"
    assert [c.value for c in pathways[1]][0] == "Pathway"


def test_the_printed_list_names_the_worst_line_first(priced, capsys) -> None:
    priced.close()
    assert main(["vfm", "--db", priced.location]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        "  HMP Garth, Custody places: £25,000.50 per place, +£4,000.50 (19.1%)"
    )
    assert any("HMP Wymott" in line and NO_VOLUME in line for line in out)


def test_export_vfm_refuses_another_format(priced, tmp_path, capsys) -> None:
    priced.close()
    code = main(["export", "vfm", "--db", priced.location, "-o", str(tmp_path / "v.csv")])
    assert code == 1
    assert "xlsx" in capsys.readouterr().err
    assert not (tmp_path / "v.csv").exists()
