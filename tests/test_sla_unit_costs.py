"""A service line's unit price against its service's target unit cost (the costed
specification), in the SLA workspace's rows: exact to the penny, no floats."""

from __future__ import annotations

import pytest
from negotiation_data import build, pounds
from sqlalchemy import select

from dom_desk.domain import sla, tables
from dom_desk.domain.tables import FieldEdit
from dom_desk.models import Service


@pytest.mark.parametrize(
    ("price", "target", "words"),
    [
        (pounds(1_620), pounds(1_500), "+£120 (8.0%) above"),
        (pounds(1_500), pounds(1_500), "at target"),
        (pounds(1_450), pounds(1_500), "-£50 (3.3%) below"),
        # Pence kept exactly; the share rounded half up to a tenth of a per cent.
        (2_200_001, 2_200_000, "+£0.01 (0.0%) above"),
        (150_075, 100_000, "+£500.75 (50.1%) above"),
        (100_050, 100_000, "+£0.50 (0.1%) above"),
        (pounds(10), 0, "+£10 above"),  # a £0 target: no share to work out
        (pounds(10), None, "no target cost"),
    ],
)
def test_the_words_for_a_price_against_its_target(price: int, target, words: str) -> None:
    assert sla.against_target(price, target) == words
    difference = sla.cost_difference(price, target)
    assert difference == (None if target is None else price - target)
    assert difference is None or isinstance(difference, int)


def test_workspace_lines_carry_the_services_target_unit_cost(workbook) -> None:
    ids = build(workbook)
    ws = sla.workspace(workbook, ids.prison)
    assert [(line.target_unit_cost, line.against_target) for line in ws.lines] == [
        (None, "no target cost"),
        (None, "no target cost"),
    ]
    with workbook.session() as s:
        service_ids = {x.name: x.id for x in s.scalars(select(Service))}
    # The costed specifications, set where a DOM sets them (the Services area).
    tables.update_field(
        workbook, "services", service_ids["Custody places"], "target_unit_cost", pounds(20_350)
    )
    tables.update_field(
        workbook,
        "services",
        service_ids["Drug treatment in custody"],
        "target_unit_cost",
        pounds(1_100),
    )
    custody, drugs = sla.workspace(workbook, ids.prison).lines
    assert custody.target_unit_cost == pounds(20_350)
    assert custody.cost_difference == pounds(1_650)
    assert custody.against_target == "+£1,650 (8.1%) above"
    assert drugs.against_target == "at target"

    # The grid rows show the same, under the two new columns, and follow a price change.
    keys = [c.key for c in sla.LINE_COLUMNS]
    row = sla.line_rows(sla.workspace(workbook, ids.prison))[0]
    assert row.values[keys.index("target_unit_cost")] == pounds(20_350)
    assert row.values[keys.index("against_target")] == "+£1,650 (8.1%) above"
    sla.update_lines(workbook, [FieldEdit(custody.id, "unit_price", pounds(20_000))])
    row = sla.line_rows(sla.workspace(workbook, ids.prison))[0]
    assert row.values[keys.index("against_target")] == "-£350 (1.7%) below"
