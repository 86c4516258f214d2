"""`dom-desk new`: a region's own empty workbook from the command line, as File > New."""

from __future__ import annotations

from pathlib import Path

import pytest

from dom_desk.cli import main
from dom_desk.domain.periods import year_of
from dom_desk.domain.region import REGIONS, workbook_info
from dom_desk.storage.workbook import open_workbook


def _region_and_years(path: Path) -> tuple[str, list[str]]:
    wb = open_workbook(path, read_only=True)
    try:
        info = workbook_info(wb)
        return info.region_name, list(info.years)
    finally:
        wb.close()


def test_a_new_wales_workbook_has_its_region_and_first_year(tmp_path: Path, capsys) -> None:
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "wales", "--year", "2009-10", str(path)]) == 0
    assert "Wales" in capsys.readouterr().out
    assert _region_and_years(path) == ("Wales", ["2009-10"])


def test_the_first_year_defaults_to_the_current_one(tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "ne.domdesk"
    assert main(["new", "--region", "North  East", str(path)]) == 0
    assert _region_and_years(path) == ("North East", [year_of(date.today())])


def test_an_existing_file_is_never_replaced(tmp_path: Path, capsys) -> None:
    path = tmp_path / "mine.domdesk"
    path.write_bytes(b"someone's figures")
    assert main(["new", "--region", "Wales", str(path)]) != 0
    assert "already exists" in capsys.readouterr().err
    assert path.read_bytes() == b"someone's figures"


@pytest.mark.parametrize(
    ("argv", "option"),
    [(["--region", "Narnia"], "--region"), (["--region", "Wales", "--year", "2009-1"], "--year")],
)
def test_a_wrong_region_or_year_is_refused_naming_the_option(
    tmp_path: Path, capsys, argv: list[str], option: str
) -> None:
    folder = tmp_path / "regions"
    folder.mkdir()
    assert main(["new", *argv, str(folder / "new.domdesk")]) != 0
    err = capsys.readouterr().err
    assert err.removeprefix("dom-desk: ").startswith(option), err
    assert not list(folder.iterdir())  # no file, no lock left behind


def test_the_ten_regions_are_those_file_new_offers() -> None:
    assert len(REGIONS) == 10 and REGIONS[-1] == "Wales"
