"""No internal period code ("2009-10-M", "2009-04", "2009-10-Q1") in what the command line
prints for a person to read: key dates, attention, the returns schedule and chase list,
actions, the audit trail's record names, import notes, template file names; `list
periods` gives each code beside its label, the codes --period options take."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from dom_desk.cli import main
from dom_desk.domain.periods import parse_period

#: Something written like a month or quarter code. "2009-10" alone is the financial year,
#: as people write it, so only a year-month pair that is not a financial year counts.
_CANDIDATE = re.compile(r"\b(\d{4})-(\d{2})(-M|-Q[1-4])?\b", re.IGNORECASE)


def codes_in(text: str) -> list[str]:
    found = []
    for match in _CANDIDATE.finditer(text):
        year, second, suffix = int(match.group(1)), int(match.group(2)), match.group(3)
        if suffix or ((year + 1) % 100 != second and 1 <= second <= 12):
            found.append(match.group(0))
    return found


def test_the_finder_tells_codes_from_years() -> None:
    assert codes_in("Oct 2009, Q1 2009-10 and the 2010-11 allocations") == []
    assert codes_in("2009-10-M, 2009-04 and 2009-10-Q1") == ["2009-10-M", "2009-04", "2009-10-Q1"]


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    return copy


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "command",
    [
        ("keydates",),
        ("attention",),
        ("returns", "schedule"),
        ("returns", "chase"),
        ("actions", "list"),
    ],
)
def test_printed_reports_name_periods_by_label(db: Path, capsys, command: tuple[str, ...]) -> None:
    code, out, err = _run(capsys, *command, "--db", str(db))
    assert code == 0, err
    assert out.strip()
    assert codes_in(out) == [], codes_in(out)[:5]


def test_the_audit_trail_names_results_and_periods_by_label(db: Path, capsys) -> None:
    code, out, err = _run(capsys, "audit", "--db", str(db))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    results = [r["Record"] for r in rows if r["Record type"] == "Result"]
    periods = [r["Record"] for r in rows if r["Record type"] == "Period"]
    assert results and periods
    assert [n for n in results + periods if codes_in(n)] == []
    # A result is named provider, measure and the month as people write it.
    assert any(re.fullmatch(r".+, .+, [A-Z][a-z]{2} \d{4}", n) for n in results), results[:3]
    assert "Oct 2009" in periods and "Q1 2009-10" in periods


def test_list_periods_gives_the_label_beside_the_code_options_take(db: Path, capsys) -> None:
    code, out, _ = _run(capsys, "list", "periods", "--db", str(db))
    assert code == 0
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["2009-10-M"]["label"] == "Oct 2009"
    assert rows["2009-04"]["label"] == "Apr 2009"
    assert rows["2009-10-Q1"]["label"] == "Q1 2009-10"
    assert rows["2009-10"]["label"] == "2009-10"
    # Each label reads back as its code, so either may be typed.
    assert all(parse_period(r["label"]).code == c for c, r in rows.items())


def test_templates_and_import_notes_say_the_label(db: Path, tmp_path: Path, capsys) -> None:
    out_dir = tmp_path / "templates"
    code, out, err = _run(
        capsys, "template", "--db", str(db), "--period", "2009-10-M", "--all-providers",
        "--out-dir", str(out_dir),
    )  # fmt: skip
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert "Oct 2009 HMP Liverpool.xlsx" in names
    assert [n for n in names if codes_in(n)] == [] and codes_in(out) == []

    code, _out, err = _run(
        capsys, "template", "--db", str(db), "--period", "Q2 2009-10",
        "--provider", "HMP Manchester", "--out-dir", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    template = tmp_path / "Q2 2009-10 HMP Manchester.xlsx"
    code, out, err = _run(capsys, "import", "--db", str(db), "--dry-run", str(template))
    text = out + err
    # The demo's prisons return monthly: the note about the quarter names it as people do.
    assert "already has monthly figures for Q2 2009-10" in text, text
    assert codes_in(text) == [], codes_in(text)


def test_a_period_option_takes_the_label_and_a_missing_period_is_named_by_it(
    db: Path, tmp_path: Path, capsys
) -> None:
    by_code = _run(capsys, "export", "matrix", "--db", str(db), "--period", "2009-09",
                   "-o", str(tmp_path / "a.xlsx"))  # fmt: skip
    by_label = _run(capsys, "export", "matrix", "--db", str(db), "--period", "Sep 2009",
                    "-o", str(tmp_path / "b.xlsx"))  # fmt: skip
    assert by_code[0] == by_label[0] == 0
    assert by_code[1].replace("a.xlsx", "") == by_label[1].replace("b.xlsx", "")
    assert "Sep 2009" in by_label[1] and codes_in(by_label[1]) == []
    code, out, err = _run(capsys, "export", "matrix", "--db", str(db), "--period", "2012-10-M",
                          "-o", str(tmp_path / "c.xlsx"))  # fmt: skip
    assert code != 0 and "no period Oct 2012" in err and codes_in(err) == [], err
