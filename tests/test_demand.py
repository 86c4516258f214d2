"""Need and demand (issue 15, item 1): figures per provider and year imported from a
spreadsheet, forecast where a year has none, and set against what is commissioned."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from dom_desk.cli import main
from dom_desk.domain import demand
from dom_desk.domain.lists_import import RowStatus
from dom_desk.errors import ValidationError
from dom_desk.exports.list_templates import write_list_template
from dom_desk.readers.list_sheets import ListKind

HEADER = ["Provider", "Figure", "Service", "Year", "Value", "Source"]


@pytest.fixture
def demo(demo):
    """The demo region with its demand figures taken out: these tests import their own
    into a region that has the providers and services but no figures yet."""
    from sqlalchemy import delete

    from dom_desk.models import DemandFigure

    with demo.session() as session:
        session.execute(delete(DemandFigure))
    return demo


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("known", "growth", "value", "method"),
    [
        ({2009: Decimal(712)}, None, Decimal(712), "entered"),
        ({2008: Decimal(705)}, None, Decimal(705), "as 2008-09"),
        # 690, 705: a straight line rising 15 a year gives 720 for 2009-10.
        (
            {2007: Decimal(690), 2008: Decimal(705)},
            None,
            Decimal(720),
            "trend of 2007-08 to 2008-09",
        ),
        ({2007: Decimal(100)}, Decimal(10), Decimal("121.00"), "+10% a year from 2007-08"),
        ({2008: Decimal(100)}, Decimal(-5), Decimal("95.00"), "-5% a year from 2008-09"),
    ],
)
def test_forecasts(known, growth, value, method) -> None:
    result = demand.forecast(known, 2009, growth)
    assert result is not None
    assert (result.value, result.method) == (value, method)


def test_no_forecast_without_an_earlier_year() -> None:
    assert demand.forecast({2010: Decimal(5)}, 2009) is None
    # A falling trend never forecasts fewer than none.
    assert demand.forecast({2007: Decimal(20), 2008: Decimal(5)}, 2010).value == 0


def test_a_demand_list_imports_history_and_says_where_demand_outruns_supply(demo, tmp_path) -> None:
    from dom_desk.domain import lists_import

    path = _sheet(
        tmp_path / "demand.xlsx",
        [
            ["HMP Preston", "Prison population", "", "2007-08", 690, ""],
            ["HMP Preston", "Prison population", "", "2008-09", 705, ""],
            ["HMP Preston", "Operational capacity", "", "2009-10", 700, "OMSQ"],
            [
                "Cumbria Probation Area",
                "Demand for a service",
                "Accredited programmes",
                "2008-09",
                95,
                "",
            ],
            ["Cumbria Probation Area", "Proven reoffending rate (%)", "", "2008-09", "38.2", ""],
        ],
    )
    preview, _ = lists_import.import_list(demo, path, ListKind.DEMAND, year_label="2009-10")
    assert preview.errors == []
    assert [r.status for r in preview.rows if r.values] == [RowStatus.NEW] * 5
    again = lists_import.preview_list(demo, path, ListKind.DEMAND, year_label="2009-10")
    assert [r.status for r in again.rows if r.values] == [RowStatus.UNCHANGED] * 5

    position = demand.demand_position(demo, "2009-10")
    rows = {(r.provider, r.label): r for r in position.rows}
    preston = rows[("HMP Preston", "Prison population")]
    assert (preston.figure.value, preston.figure.method) == (720, "trend of 2007-08 to 2008-09")
    programmes = rows[("Cumbria Probation Area", "Demand for a service: Accredited programmes")]
    assert programmes.commissioned == 0
    assert position.pressures == (
        "Cumbria Probation Area, Accredited programmes: forecast 95 against 0 commissioned "
        "(95 short)",
        "HMP Preston: population 720 against operational capacity 700 (20 over)",
    )
    # The reoffending rate is a rate: a growth rate set for counts does not apply to it.
    demand.set_growth(demo, Decimal(2))
    rate = {r.label: r for r in demand.demand_position(demo).rows}["Proven reoffending rate (%)"]
    assert demand.shown(rate.kind, rate.figure.value) == "38.2%"


def test_bad_rows_are_refused_by_cell_and_nothing_is_stored(demo, tmp_path) -> None:
    from dom_desk.domain import lists_import

    path = _sheet(
        tmp_path / "bad.xlsx",
        [
            ["HMP Preston", "Prison headcount", "", "2009-10", 700, ""],
            ["HMP Preston", "Demand for a service", "", "2009-10", 10, ""],
            ["HMP Preston", "Prison population", "Accredited programmes", "2009-10", 10, ""],
            ["HMP Preston", "Proven reoffending rate (%)", "", "2009-10", 120, ""],
            ["HMP Nowhere", "Prison population", "", "2009-10", 10, ""],
            ["HMP Preston", "Prison population", "", "2009/11", 10, ""],
        ],
    )
    preview = lists_import.preview_list(demo, path, ListKind.DEMAND, year_label="2009-10")
    errors = "\n".join(preview.errors)
    assert "cell B2" in errors
    assert "cell C3: demand for a service needs the service" in errors
    assert "cell C4: 'Prison population' takes no service" in errors
    assert "cell E5: A reoffending rate is 0 to 100%, not 120" in errors
    assert "cell A6" in errors
    assert "cell D7" in errors
    with pytest.raises(ValidationError, match="nothing was imported"):
        lists_import.import_list(demo, path, ListKind.DEMAND, year_label="2009-10")
    assert demand.demand_position(demo).rows == ()


def test_the_template_and_the_command_line(demo, tmp_path, capsys) -> None:
    template = write_list_template(ListKind.DEMAND, tmp_path / "demand-template.xlsx")
    header = [c.value for c in openpyxl.load_workbook(template).active[1]]
    assert header[:5] == ["Provider *", "Figure *", "Service", "Year", "Value *"]  # * required
    path = _sheet(
        tmp_path / "d.xlsx", [["HMP Preston", "Prison population", "", "2008-09", 705, ""]]
    )
    demo.close()
    db = ["--db", demo.location]
    assert main(["import-list", "demand", *db, str(path)]) == 0
    assert main(["demand", *db, "--growth", "2"]) == 0
    assert main(["demand", *db]) == 0
    out = capsys.readouterr().out
    assert "Prison population: 719 (forecast: +2% a year from 2008-09)" in out
    assert main(["demand", *db, "--growth", "lots"]) == 1
    assert "'lots' is not a number or 'trend'" in capsys.readouterr().err
