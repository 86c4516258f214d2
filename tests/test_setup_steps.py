"""The first-run guide's steps (issue 13, item 9): what a new region lacks, in the order
a DOM's team sets it up, each done once the region has it."""

from __future__ import annotations

from pathlib import Path

from dom_desk.cli import main
from dom_desk.domain import overview
from dom_desk.domain.records import create_provider
from dom_desk.domain.region import ensure_year
from dom_desk.domain.setup_steps import setup_steps
from dom_desk.storage.workbook import open_workbook

ORDER = ["providers", "measures", "services", "agreements", "envelope", "targets", "priorities"]


def _new_wales(tmp_path: Path) -> Path:
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(path)]) == 0
    return path


def test_a_new_region_lacks_every_step_in_order_each_saying_what_to_do(tmp_path) -> None:
    wb = open_workbook(_new_wales(tmp_path))
    try:
        setup = setup_steps(wb)
        assert (setup.region, setup.year) == ("Wales", "2009-10")
        assert [s.key for s in setup.steps] == ORDER
        assert not any(s.done for s in setup.steps)
        assert not setup.complete and setup.next_step.key == "providers"
        measures = setup.steps[1]
        assert measures.title == "Measures for 2009-10"
        assert "import a published framework" in measures.missing
        # The Overview carries the same steps, read in its one transaction.
        assert [s.key for s in overview.overview(wb).setup] == ORDER
    finally:
        wb.close()


def test_a_step_is_done_once_the_region_has_it_and_says_how_many(tmp_path) -> None:
    path = _new_wales(tmp_path)
    wb = open_workbook(path)
    try:
        create_provider(wb, "HMP Cardiff", "Public prison", "Public")
        providers = setup_steps(wb).steps[0]
        assert providers.done and providers.count == 1 and providers.missing == ""
        assert setup_steps(wb).next_step.key == "measures"
    finally:
        wb.close()
    # Measures count for the year they are linked to, not for another.
    assert main(["import-framework", "--db", str(path), "--year", "2009-10", "NOMS 2009-10"]) == 0
    wb = open_workbook(path)
    try:
        assert setup_steps(wb, "2009-10").steps[1].count == 13
        with wb.session() as session:
            ensure_year(session, "2010-11")
        assert setup_steps(wb, "2010-11").steps[1].count == 0
    finally:
        wb.close()


def test_the_demo_has_every_step_done(demo) -> None:
    setup = setup_steps(demo)
    assert setup.complete, [s.missing for s in setup.steps if not s.done]
    assert setup.next_step is None
