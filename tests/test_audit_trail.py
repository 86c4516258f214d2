"""The audit trail read back: who changed a figure, when, and from what, in words."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from dom_desk.cli import main
from dom_desk.domain.audit_trail import HEADINGS, read_entries, record_name, shown_value
from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.domain.tables import AREAS, load_rows, update_field
from dom_desk.domain.values import Kind
from dom_desk.models import Agreement, Allocation, Provider, Risk
from dom_desk.storage import audit


def _column(area_key: str, key: str) -> int:
    return [c.key for c in AREAS[area_key].columns].index(key)


def _open_allocation(wb: Any) -> Any:
    """An allocation whose agreement is not agreed or signed, so it can be edited."""
    status = _column("agreements", "status")
    open_titles = {r.values[0] for r in load_rows(wb, "agreements") if not r.values[status].locked}
    agreement = _column("allocations", "agreement")
    return next(r for r in load_rows(wb, "allocations") if r.values[agreement] in open_titles)


def _open_agreement(wb: Any) -> Any:
    status = _column("agreements", "status")
    return next(r for r in load_rows(wb, "agreements") if not r.values[status].locked)


def test_a_money_edit_shows_who_when_and_the_old_and_new_figures(demo: Any) -> None:
    row = _open_allocation(demo)
    old = row.values[_column("allocations", "provisional")]
    before = datetime.now() - timedelta(seconds=5)
    update_field(demo, "allocations", row.id, "provisional", 123_456_700)

    newest = read_entries(demo, limit=1)[0]
    assert newest.user == audit.current_user()
    assert newest.action == "Changed"
    assert newest.entity == "Allocation" and newest.entity_id == row.id
    assert newest.field == "Provisional"
    assert newest.old == format_pounds(old) and newest.old.startswith("£")
    assert newest.new == "£1,234,567"
    # Shown in local time: the same clock as the user's.
    assert before <= newest.at <= datetime.now() + timedelta(seconds=5)
    # The record is named as the Allocations table names it: its agreement (and line).
    assert row.values[_column("allocations", "agreement")] in newest.record


def test_a_date_edit_is_shown_the_uk_way(demo: Any) -> None:
    row = _open_agreement(demo)
    old = row.values[_column("agreements", "negotiation_deadline")]
    update_field(demo, "agreements", row.id, "negotiation_deadline", date(2010, 3, 31))

    line = read_entries(demo, Agreement, row.id, limit=1)[0]
    assert (line.entity, line.record) == ("Agreement", row.values[0])
    assert line.field == "Negotiation deadline"
    assert (line.old, line.new) == (format_date(old), "31/03/2010")


def test_a_record_is_named_by_its_current_name(demo: Any) -> None:
    provider = load_rows(demo, "providers")[0]
    update_field(demo, "providers", provider.id, "capacity", 1_250)
    update_field(demo, "providers", provider.id, "name", "HMP Renamed")

    history = read_entries(demo, "provider", provider.id)
    assert [line.field for line in history[:2]] == ["Name", "Capacity (places)"]
    assert {line.record for line in history} == {"HMP Renamed"}
    assert history[0].old == provider.values[0]
    assert history[1].new == "1,250"
    assert history[-1].action == "Added"  # the demo's insert, oldest last
    assert record_name(demo, Provider, provider.id) == "HMP Renamed"


def test_one_records_history_leaves_out_every_other_record(demo: Any) -> None:
    first, second = load_rows(demo, "providers")[:2]
    update_field(demo, "providers", first.id, "operator", "Serco")
    update_field(demo, "providers", second.id, "operator", "G4S")

    history = read_entries(demo, "provider", first.id)
    assert history and {line.entity_id for line in history} == {first.id}
    assert "G4S" not in {line.new for line in history}


def test_the_filter_matches_the_shown_text_in_any_case_and_the_limit_keeps_the_newest(
    demo: Any,
) -> None:
    row = _open_allocation(demo)
    update_field(demo, "allocations", row.id, "provisional", 123_456_700)
    update_field(demo, "allocations", row.id, "agreed", 123_456_800)

    found = read_entries(demo, text="£1,234,5")
    assert [(line.field, line.new) for line in found] == [
        ("Agreed", "£1,234,568"),
        ("Provisional", "£1,234,567"),
    ]
    assert [line.field for line in read_entries(demo, text="£1,234,5", limit=1)] == ["Agreed"]
    assert [line.field for line in read_entries(demo, text="£1,234,567")] == ["Provisional"]
    assert read_entries(demo, text="PROVISIONAL")[0].id == found[1].id
    assert read_entries(demo, text="no such words anywhere") == []


def test_newest_first_across_the_whole_workbook(demo: Any) -> None:
    provider = load_rows(demo, "providers")[0]
    update_field(demo, "providers", provider.id, "contact", "First")
    update_field(demo, "providers", provider.id, "contact", "Second")

    lines = read_entries(demo, limit=2)
    assert [line.new for line in lines] == ["Second", "First"]
    assert lines[0].at >= lines[1].at and lines[0].id > lines[1].id


def test_an_entry_naming_an_area_is_shown_as_its_record(demo: Any) -> None:
    """Key dates write the area ("contracts"), not the table: still the agreement's history."""
    row = _open_agreement(demo)
    with demo.session() as session:
        audit.record(session, "done", "contracts", row.id, "end", None, date(2010, 3, 31))

    line = read_entries(demo, Agreement, row.id, limit=1)[0]
    assert (line.entity, line.record, line.action) == ("Agreement", row.values[0], "Done")
    assert line.new == "31/03/2010"


def test_a_value_not_of_its_kind_is_shown_as_stored() -> None:
    assert shown_value(Kind.MONEY, "12345") == "£123.45"
    assert shown_value(Kind.MONEY, "to be agreed") == "to be agreed"
    assert shown_value(Kind.DATE, "2010-03-31") == "31/03/2010"
    assert shown_value(Kind.DATE, "Summer 2009") == "Summer 2009"
    assert shown_value(None, "2010-03-31") == "2010-03-31"
    assert shown_value(Kind.MONEY, None) == ""


def test_a_deleted_record_keeps_its_history_by_number(demo: Any) -> None:
    from dom_desk.domain import records

    risk = load_rows(demo, "risks")[0]
    update_field(demo, "risks", risk.id, "owner", "Head of Finance")
    records.delete(demo, "risks", risk.id)

    history = read_entries(demo, Risk, risk.id)
    assert history[0].action == "Delete record" and risk.values[0] in history[0].note
    assert "Head of Finance" in {line.new for line in history}
    assert {line.record for line in history} == {f"#{risk.id}"}


# -- the command ------------------------------------------------------------------------


def _audit_csv(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, str]]:
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_the_command_prints_the_edit_as_csv(demo: Any, capsys: pytest.CaptureFixture[str]) -> None:
    row = _open_allocation(demo)
    old = row.values[_column("allocations", "provisional")]
    update_field(demo, "allocations", row.id, "provisional", 123_456_700)

    rows = _audit_csv(capsys, "--db", demo.location, "--limit", "1")
    assert list(rows[0]) == list(HEADINGS)
    assert len(rows) == 1
    assert rows[0]["User"] == audit.current_user()
    assert rows[0]["Record type"] == "Allocation"
    assert rows[0]["Field"] == "Provisional"
    assert (rows[0]["Old value"], rows[0]["New value"]) == (format_pounds(old), "£1,234,567")
    assert rows[0]["When"][2] == "/" and rows[0]["When"][5] == "/"

    filtered = _audit_csv(capsys, "--db", demo.location, "--filter", "£1,234,567")
    assert [r["New value"] for r in filtered] == ["£1,234,567"]


def test_the_command_refuses_a_limit_below_one(
    demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--db", demo.location, "--limit", "0"]) != 0
    _out, err = capsys.readouterr()
    assert "--limit" in err and "Traceback" not in err


def test_the_allocation_history_is_found_by_model_class(demo: Any) -> None:
    row = _open_allocation(demo)
    update_field(demo, "allocations", row.id, "notes", "Checked with finance")
    by_class = read_entries(demo, Allocation, row.id)
    assert by_class == read_entries(demo, "allocation", row.id)
    assert by_class[0].new == "Checked with finance"


def test_the_commissioning_cycles_records_are_named_in_the_trail(demo: Any) -> None:
    from sqlalchemy import select

    from dom_desk.models import Bidder, DemandFigure, PaymentRule, PerformanceAction

    with demo.session() as session:
        bidder = session.scalars(select(Bidder).order_by(Bidder.id)).first().id
        action = session.scalars(select(PerformanceAction).order_by(PerformanceAction.id)).first()
        rule = session.scalars(select(PaymentRule).order_by(PaymentRule.id)).first()
        figure = session.scalars(select(DemandFigure).order_by(DemandFigure.id)).first()
        expected = {
            (Bidder, bidder): "HMP Buckley Hall (public sector bid), HMP Buckley Hall",
            # Long names are cut at a whole word.
            (
                PerformanceAction,
                action.id,
            ): "HMP Liverpool, Positive mandatory drug tests above target…",
            (PaymentRule, rule.id): rule.agreement.title,
        }
        figure_id, figure_provider = figure.id, figure.provider.name
    for (entity, entity_id), name in expected.items():
        assert record_name(demo, entity, entity_id) == name
    assert record_name(demo, DemandFigure, figure_id).startswith(figure_provider)
