"""The Demand area: the year's figures with what is bought, the pressures as the domain
says them, the forecast's growth rate saved from the page."""

from __future__ import annotations

from decimal import Decimal

from dom_desk.domain.demand import demand_position, growth, pressure_bars


def _page(window):
    window.show_area("demand")
    page = window.view.current_page()
    page.ensure_loaded()
    return page


def _cells(page, row: int) -> list[str]:
    model = page.model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_page_shows_every_figure_and_the_pressures_in_words(window) -> None:
    page = _page(window)
    position = demand_position(window.view.workspace.wb, "2009-10")
    assert page.model.rowCount() == len(position.rows) > 60
    shown_rows = [_cells(page, r) for r in range(page.model.rowCount())]
    liverpool = [r for r in shown_rows if r[0] == "HMP Liverpool"]
    assert ["HMP Liverpool", "Prison population", "1,429", "Entered", "", ""] in liverpool
    drr = next(r for r in shown_rows if r[0] == "Addaction")
    assert drr[1] == "Demand: Drug Rehabilitation Requirement (DRR) treatment"
    assert drr[2:] == ["506", "Entered", "470", "36 short"]
    listed = [page.pressures.item(i).text() for i in range(page.pressures.count())]
    assert listed == list(position.pressures)
    assert "Need and demand 2009-10" in page.heading.text()


def test_the_chart_says_in_words_how_far_demand_outruns_what_is_bought(window) -> None:
    page = _page(window)
    bars = pressure_bars(demand_position(window.view.workspace.wb, "2009-10"))
    first = bars[0]
    # Recomputed from the figures: 506 referrals against 470 bought is 7.7% beyond.
    assert (first.demand, first.bought) == (Decimal(506), Decimal(470))
    assert first.percent == Decimal("107.7")
    description = page.chart.accessibleDescription()
    assert description.startswith("How far demand outruns what is bought, furthest first:")
    assert f"{first.label} 7.7% beyond" in description
    assert [b.label for b in page.chart.bars] == [b.label for b in bars]


def test_only_pressures_leaves_the_rows_that_outrun_what_is_bought(window) -> None:
    page = _page(window)
    page.only_pressures.setChecked(True)
    providers = {_cells(page, r)[0] for r in range(page.model.rowCount())}
    assert providers == {"A4e", "Addaction", "HMP Liverpool", "HMP Preston"}


def test_a_growth_rate_set_on_the_page_is_saved_and_drives_the_forecast(window) -> None:
    wb = window.view.workspace.wb
    window.view.workspace.set_year("2010-11")
    page = _page(window)
    page.grow.setChecked(True)
    page.rate.setValue(5.0)
    assert page.apply_forecast()
    assert growth(wb) == Decimal(5)
    assert "forecasts grow 5% a year" in page.heading.text()
    rows = {
        (_cells(page, r)[0], _cells(page, r)[1]): _cells(page, r)
        for r in range(page.model.rowCount())
    }
    drr = rows["Addaction", "Demand: Drug Rehabilitation Requirement (DRR) treatment"]
    # 506 in 2009-10 grown by 5%: 531.3, shown whole.
    assert drr[2] == "531"
    assert drr[3] == "Forecast: +5% a year from 2009-10"
    page.trend.setChecked(True)
    assert page.apply_forecast()
    assert growth(wb) is None
