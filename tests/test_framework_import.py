"""`dom-desk import-framework`: a shipped framework (or a framework file) added to a year
of a new region's workbook, read back through the domain, idempotent, updating only what
differs, and refusing a bad file with the workbook unchanged."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from dom_desk.cli import main
from dom_desk.domain.measures import all_measures, measures_of_year
from dom_desk.readers.frameworks import framework_dir, read_framework, shipped_frameworks
from dom_desk.storage.workbook import open_workbook

FRAMEWORKS = shipped_frameworks()


#: A Wales made by `dom-desk new` for each year, once per test process (each run of
#: every migration takes a quarter of a second or more); tests work on copies.
_made: dict[str, Path] = {}
_folder = tempfile.TemporaryDirectory(prefix="new-wales-")


def _new_wales(tmp_path: Path, year: str = "2009-10") -> Path:
    if year not in _made:
        made = Path(_folder.name) / year / "wales.domdesk"
        made.parent.mkdir()
        assert main(["new", "--region", "Wales", "--year", year, str(made)]) == 0
        assert not Path(f"{made}-wal").exists(), "the file alone must hold the region"
        _made[year] = made
    path = tmp_path / "wales.domdesk"
    shutil.copyfile(_made[year], path)
    return path


def _import(path: Path, year: str, framework: str) -> int:
    return main(["import-framework", "--db", str(path), "--year", year, framework])


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = ("measure", "measure_part", "measure_year", "audit_entry", "financial_year")
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _measures(path: Path, year: str | None = None):
    wb = open_workbook(path, read_only=True)
    try:
        found = all_measures(wb) if year is None else measures_of_year(wb, year)
        return {m.code: m for m in found}
    finally:
        wb.close()


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.path.stem)
def test_every_shipped_framework_imports_as_printed(framework, tmp_path: Path, capsys) -> None:
    path = _new_wales(tmp_path, framework.year)
    capsys.readouterr()
    assert _import(path, framework.year, framework.path.stem) == 0
    out = capsys.readouterr().out
    assert f"{len(framework.measures)} measures added" in out
    assert "published for" not in out

    stored = _measures(path, framework.year)
    assert sorted(stored) == sorted(m.code for m in framework.measures)
    for printed in framework.measures:
        measure = stored[printed.code]
        assert measure.title == printed.wording
        assert measure.weighting == printed.weight
        assert measure.unit.label == printed.unit
        assert measure.national_value == printed.national_value
        assert (measure.outcome, measure.driver) == (printed.outcome or "", printed.driver or "")
        assert measure.years == (framework.year,)
        assert measure.source == framework.source
        assert [(p.label, p.wording, p.weighting) for p in measure.parts] == [
            (p.suffix, p.wording, p.weight) for p in printed.parts
        ]
        for part, printed_part in zip(measure.parts, printed.parts, strict=True):
            assert (part.unit or measure.unit).label == printed_part.unit
            own_value = part.national_value
            assert (own_value if own_value is not None else measure.national_value) == (
                printed_part.national_value
            )


def test_the_published_weights_add_up_in_the_workbook(tmp_path: Path) -> None:
    framework = read_framework(framework_dir() / "nps-targets-2005-06.json")
    path = _new_wales(tmp_path, "2005-06")
    assert _import(path, "2005-06", "nps-targets-2005-06") == 0
    stored = _measures(path).values()
    total = sum(m.weighting or 0 for m in stored) + sum(
        p.weighting or 0 for m in stored for p in m.parts
    )
    assert total == framework.total_weight


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.path.stem)
def test_importing_the_same_framework_twice_changes_nothing_the_second_time(
    framework, tmp_path: Path, capsys
) -> None:
    path = _new_wales(tmp_path, framework.year)
    assert _import(path, framework.year, framework.path.stem) == 0
    first = _counts(path)
    before = _measures(path)
    capsys.readouterr()
    assert _import(path, framework.year, framework.name) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert _counts(path) == first
    assert _measures(path) == before


def test_a_changed_field_is_the_only_one_updated_and_is_named(tmp_path: Path, capsys) -> None:
    shipped = framework_dir() / "national-targets-2007-08.json"
    data = json.loads(shipped.read_text(encoding="utf-8"))
    path = _new_wales(tmp_path, "2007-08")
    assert _import(path, "2007-08", str(shipped)) == 0
    before = _measures(path)

    changed = data["measures"][2]
    changed["wording"] = changed["wording"] + " (revised)"
    revised = tmp_path / "national-targets-revised.json"
    revised.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert _import(path, "2007-08", str(revised)) == 0
    out = capsys.readouterr().out
    assert f"{changed['code']}: updated wording" in out
    assert "0 measures added, 1 updated" in out

    after = _measures(path)
    assert after[changed["code"]].title == changed["wording"]
    assert {c: m for c, m in after.items() if c != changed["code"]} == {
        c: m for c, m in before.items() if c != changed["code"]
    }
    assert after[changed["code"]].parts == before[changed["code"]].parts


def test_a_framework_of_another_year_imports_into_the_year_asked_and_says_so(
    tmp_path: Path, capsys
) -> None:
    path = _new_wales(tmp_path, "2009-10")
    assert _import(path, "2008-09", "noms-kpis-2009-10") == 0
    out = capsys.readouterr().out
    assert "published for 2009-10" in out
    assert "did not hold 2008-09" in out
    assert sorted(_measures(path, "2008-09")) == sorted(
        m.code for m in read_framework(framework_dir() / "noms-kpis-2009-10.json").measures
    )
    assert _measures(path, "2009-10") == {}


def test_importing_into_the_demo_keeps_its_notes_aggregations_and_years(
    demo_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, path)
    before = _measures(path)
    assert _import(path, "2009-10", "nps-targets-2005-06") == 0
    after = _measures(path)
    held = [code for code in before if code in after]
    assert any(before[c].notes for c in held)
    for code in held:
        assert after[code].notes == before[code].notes or not before[code].notes
        assert after[code].aggregation == before[code].aggregation
        # Every-year measures stay so; the demo's 2008-09-only counts gain 2009-10 if imported.
        was = before[code].years
        assert after[code].years in {was, was and (*was, "2009-10")}
    added = set(after) - set(before)
    assert added and all(after[c].years == ("2009-10",) for c in added)


def test_a_second_years_import_links_the_measures_to_both_years(tmp_path: Path) -> None:
    path = _new_wales(tmp_path, "2009-10")
    assert _import(path, "2009-10", "noms-kpis-2009-10") == 0
    assert _import(path, "2010-11", "noms-kpis-2009-10") == 0
    assert {m.years for m in _measures(path).values()} == {("2009-10", "2010-11")}


def _duplicate_code(data: dict) -> None:
    data["measures"][-1]["code"] = data["measures"][0]["code"]


def _bad_unit(data: dict) -> None:
    data["measures"][0]["wording"] = "Changed, and must not be stored"
    data["measures"][-1]["unit"] = "furlongs"


def _area_too_long(data: dict) -> None:
    data["measures"][0]["wording"] = "Changed, and must not be stored"
    data["measures"][-1]["area"] = "x" * 121


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (None, "is not valid JSON"),
        (_bad_unit, "'furlongs' is not one of"),
        (_duplicate_code, "is already used by measure 1"),
        (_area_too_long, "measure 13 (KPI 13): The measure's area is longer than 120"),
    ],
)
def test_a_bad_framework_file_is_refused_and_the_workbook_is_unchanged(
    tmp_path: Path, capsys, spoil, says: str
) -> None:
    path = _new_wales(tmp_path)
    assert _import(path, "2009-10", "noms-kpis-2009-10") == 0
    before, measures = _counts(path), _measures(path)
    bad = tmp_path / "bad-framework.json"
    if spoil is None:
        bad.write_text("{not json", encoding="utf-8")
    else:
        data = json.loads((framework_dir() / "noms-kpis-2009-10.json").read_text("utf-8"))
        spoil(data)
        bad.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert _import(path, "2009-10", str(bad)) != 0
    err = capsys.readouterr().err
    assert "bad-framework.json" in err and says in err, err
    assert _counts(path) == before
    assert _measures(path) == measures


def test_the_guidance_as_printed_is_kept_where_it_says_more(tmp_path: Path) -> None:
    framework = read_framework(framework_dir() / "noms-kpis-2009-10.json")
    path = _new_wales(tmp_path)
    assert _import(path, "2009-10", "noms-kpis-2009-10") == 0
    stored = _measures(path)
    for printed in framework.measures:
        worded = f"Guidance as printed: {printed.guidance_printed}."
        says_more = printed.guidance_printed not in (None, printed.guidance)
        assert (worded in stored[printed.code].notes) == says_more
    assert any(p.guidance_printed not in (None, p.guidance) for p in framework.measures)


def test_an_unknown_framework_name_or_a_bad_year_is_refused(tmp_path: Path, capsys) -> None:
    path = _new_wales(tmp_path)
    before = _counts(path)
    assert _import(path, "2009-10", "KPIs of Narnia") != 0
    assert "no shipped framework" in capsys.readouterr().err
    assert _import(path, "2009-1", "noms-kpis-2009-10") != 0
    assert capsys.readouterr().err.removeprefix("dom-desk: ").startswith("--year")
    assert _counts(path) == before
